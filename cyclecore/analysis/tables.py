"""The text of the analyses' results: what ``print(result)`` and the CLI show.

One builder per result (deterministic analysis, line and plant simulation, plant analysis). Each
returns rich renderables, a table and then lines of text, which
:func:`cyclecore.results.render` turns into the text (``str(result)``). Names from line and plant
files go in as plain text, never as rich markup.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from cyclecore.results import text_block


def _s(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _table(title: str, headers: tuple[str, ...], left: tuple[str, ...]) -> Table:
    table = Table(title=Text(title), title_justify="left")
    for header in headers:
        table.add_column(header, justify="left" if header in left else "right")
    return table


# --- deterministic analysis ---------------------------------------------------------------------


def analysis_table(analysis) -> Table:
    """Per-station table of an :class:`~cyclecore.analysis.deterministic.Analysis`."""
    table = _table(f"{analysis.line}: station cycle times (s)",
                   ("station", "zone", "robots", "cycle", "motion", "process", "logic", "index",
                    "effective", "slack vs takt", "TCP path m", "avail."), left=("station", "zone"))
    for s in analysis.stations:
        marker = " ◀ bottleneck" if s.name == analysis.bottleneck else ""
        effective = _s(s.effective_cycle_s) + (f" (÷{s.parallel})" if s.parallel > 1 else "")
        table.add_row(
            Text(s.name + marker), Text(str(s.zone)), str(len(s.robots)), _s(s.cycle_s), _s(s.motion_s),
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


def analysis_text(analysis):
    """``print(analysis)``: the station table, then the bottleneck, capacity and target lines."""
    return text_block(analysis_table(analysis), analysis_summary(analysis))


# --- simulation ---------------------------------------------------------------------------------


def _throughput_lines(title: str, result) -> list[str]:
    """The opening lines of a simulation's text: run, units/week beside the no-failure figure, 99% CI."""
    rows = [f"{title}: simulated {result.replications} x {result.weeks:g} week(s) (seed {result.seed})",
            f"  units/week      {result.units_per_week:,.0f}   (deterministic, no failures: "
            f"{result.deterministic_units_per_week:,.0f})"]
    if result.ci99_units_per_week is not None:
        lo, hi = result.ci99_units_per_week
        rows.append(f"  99% CI          [{lo:,.0f}, {hi:,.0f}]")
    return rows


def line_simulation_text(result):
    """``print(simulate(line))``: throughput, bottleneck, a station table and the buffers."""
    head = _throughput_lines(f"Line {result.line}", result)
    head.append(f"  products/week   {result.products_per_week:,.1f} (plant)")
    head.append(f"  bottleneck      {result.bottleneck_active_period} (active period), "
                f"{result.bottleneck_arrow} (arrow method)")
    table = _table(f"{result.line}: stations (shares of running time)",
                   ("station", "cycle s", "working", "blocked", "starved", "failed", "bypassed", "bottleneck"),
                   left=("station",))
    for s in result.stations:
        table.add_row(Text(s.name), f"{s.cycle_s:.2f}", f"{s.working:.1%}", f"{s.blocked:.1%}",
                      f"{s.starved:.1%}", f"{s.failed:.1%}", f"{s.bypassed:.1%}", f"{s.bottleneck_share:.1%}")
    buffers = [f"buffer after {b.after}: {b.places} places, mean {b.mean_level:.2f}, "
               f"empty {b.empty_share:.0%}, full {b.full_share:.0%}" for b in result.buffers if b.places]
    return text_block("\n".join(head), table, *(["\n".join(buffers)] if buffers else []))


def _simulated_target(result) -> str:
    """The simulated plant against its target, and whether the 99% CI settles which side it is on."""
    target, gap = result.target_products_per_week, result.gap_products_per_week
    verdict = f"short by {gap:,.1f}" if gap > 0 else f"meets it with {-gap:,.1f} to spare"
    text = f"{target:,.1f} products/week: {verdict}"
    if result.ci99_products_per_week is not None:
        lo, hi = result.ci99_products_per_week
        text += (" (short even at the top of the 99% CI)" if hi < target
                 else " (met even at the bottom of the 99% CI)" if lo >= target
                 else " (the target is inside the 99% CI: simulate longer to settle it)")
    return text


def plant_simulation_text(result):
    """``print(simulate_plant(plant))``: plant throughput, then each line design."""
    rows = _throughput_lines(f"Plant {result.plant}", result)
    rows.append(f"  products/week   {result.products_per_week:,.1f} at {result.units_per_product} unit(s)/product")
    if result.target_products_per_week is not None:
        rows.append(f"  target          {_simulated_target(result)}")
    for design in result.lines:
        rows.append(f"  {design.name}: {design.copies} cop{'y' if design.copies == 1 else 'ies'}, "
                    f"{design.units_per_week:,.0f} units/week (deterministic {design.deterministic_units_per_week:,.0f})")
    return text_block("\n".join(rows))


# --- plant analysis -----------------------------------------------------------------------------


def plant_table(analysis) -> Table:
    """Per-design table of a :class:`~cyclecore.analysis.plant.PlantAnalysis`."""
    a = analysis
    headers = ("line", "copies", "cycle s", "bottleneck", "per copy", "no buf.", "ample buf.", "all copies",
               "share")
    if a.target_products_per_week is not None:
        headers += ("need/copy", "takt s", "gap s")
    table = _table(f"{a.plant}: line designs (units/week)", headers, left=("line", "bottleneck"))
    for r in a.lines:
        row = [Text(r.name if r.name == r.line else f"{r.name} ({r.line})"), str(r.copies), f"{r.line_cycle_s:.2f}",
               Text(r.bottleneck), f"{r.units_per_week:,.0f}", f"{r.units_per_week_no_buffers:,.0f}",
               f"{r.units_per_week_ample_buffers:,.0f}", f"{r.design_units_per_week:,.0f}", f"{r.share:.1%}"]
        if a.target_products_per_week is not None:
            row += [f"{r.target_units_per_week:,.0f}", f"{r.takt_s:.2f}", f"{r.gap_s:+.2f}"]
        table.add_row(*row)
    return table


def plant_summary(analysis) -> str:
    a = analysis
    lines = [
        f"plant capacity at 100% availability: {a.units_per_week:,.0f} units/week (Σ copies × units/week per copy) "
        f"→ {a.products_per_week:,.0f} products/week at {a.units_per_product} unit(s)/product",
        f"estimate with isolated station availability: {a.products_per_week_no_buffers:,.0f} (no buffers) to "
        f"{a.products_per_week_ample_buffers:,.0f} (ample buffers) products/week "
        "(estimate; simulate each line for the figure with failures and buffers)",
    ]
    if a.target_products_per_week is not None:
        gap = a.gap_products_per_week
        verdict = (f"short by {gap:,.0f} products/week" if gap > 0
                   else f"meets it with {-gap:,.0f} products/week to spare")
        lines.append(f"target {a.target_products_per_week:,.0f} products/week = {a.target_units_per_week:,.0f} "
                     f"units/week at 100% availability: {verdict}")

        def names(group):
            return ", ".join(group) if group else "none"

        lines.append(f"designs short of their share (target split in proportion to capacity): "
                     f"{names(a.short_lines)} at 100% availability; {names(a.short_lines_ample_buffers)} "
                     f"by the ample-buffer estimate; {names(a.short_lines_no_buffers)} by the no-buffer estimate")
    return "\n".join(lines)


def plant_analysis_text(analysis):
    """``print(analyze_plant(plant))``: the design table, then capacity and target lines."""
    return text_block(plant_table(analysis), plant_summary(analysis))
