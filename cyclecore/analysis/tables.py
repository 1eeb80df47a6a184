"""Text tables of the deterministic analysis (``print(analysis)`` and ``cyclecore analyze``)."""

from __future__ import annotations

from rich.table import Table

from cyclecore.results import render


def _s(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def analysis_table(analysis) -> Table:
    """Per-station table of an :class:`~cyclecore.analysis.deterministic.Analysis`."""
    table = Table(title=f"{analysis.line}: station cycle times (s)", title_justify="left")
    for header in ("station", "zone", "robots", "cycle", "motion", "process", "logic", "index",
                   "effective", "slack vs takt", "TCP path m", "avail."):
        table.add_column(header, justify="left" if header in ("station", "zone") else "right")
    for s in analysis.stations:
        marker = " ◀ bottleneck" if s.name == analysis.bottleneck else ""
        effective = _s(s.effective_cycle_s) + (f" (÷{s.parallel})" if s.parallel > 1 else "")
        table.add_row(
            s.name + marker, str(s.zone), str(len(s.robots)), _s(s.cycle_s), _s(s.motion_s),
            _s(s.process_s), _s(s.logic_s), _s(s.index_s), effective, _s(s.slack_s),
            _s(s.tcp_path_m), "—" if s.availability is None else f"{s.availability:.1%}",
        )
    return table


def analysis_summary(analysis) -> str:
    a = analysis
    lines = [
        f"bottleneck: {a.bottleneck}, line cycle {a.line_cycle_s:.2f} s",
        f"calendar: {a.production_hours_per_week:.1f} production h/week",
        f"capacity at 100% availability: {a.units_per_week:,.0f} units/week per line"
        + (f" → {a.products_per_week:,.0f} products/week from {a.identical_lines} line(s) "
           f"at {a.units_per_product} unit(s)/product"
           if (a.identical_lines, a.units_per_product) != (1, 1) else ""),
        f"estimate with isolated station availability: {a.units_per_week_no_buffers:,.0f} (no buffers) "
        f"to {a.units_per_week_ample_buffers:,.0f} (ample buffers) units/week per line "
        "(estimate; `cyclecore simulate` gives the figure with failures and buffers)",
    ]
    if a.takt_s is not None:
        verdict = (f"short by {a.gap_s:.2f} s of cycle time at the bottleneck"
                   if a.gap_s > 0 else f"meets it with {-a.gap_s:.2f} s to spare")
        short = sum(1 for s in a.stations if s.slack_s is not None and s.slack_s < 0)
        lines.append(
            f"target {a.target_products_per_week:,.0f} products/week → {a.target_units_per_week:,.0f} "
            f"units/week per line → takt {a.takt_s:.2f} s: {verdict}; {short} station(s) slower than takt"
        )
    return "\n".join(lines)


def analysis_text(analysis) -> str:
    return render(analysis_table(analysis), analysis_summary(analysis))
