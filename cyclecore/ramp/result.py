"""What a ramp reports: a row per week, the changes and their schedule, and a summary.

Every figure is per week of the whole line or plant (all copies), products = units / units per
product. Rows are plain, named fields so a chart, a CSV or a ramp simulator can read them
(``RampResult.rows[w].expected_products_per_week`` is the S-curve, ``cumulative_products`` its
integral).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import ClassVar

from cyclecore.results import Result, lookup, text_block

NOT_SIMULATED = "not simulated (simulate=True, --simulate)"
NO_SCENARIOS = "no scenarios run (scenarios=N, --scenarios N)"
NO_POOL = "no labour pool given: no limit"
NO_TARGET = "no target given (target=, --target, or the plan's)"


@dataclass(frozen=True)
class LineCapacity(Result):
    """One line design in :meth:`Ramp.capacity`: units/week of one existing copy (expected: at the
    stations' availability and the changes' maturity; capacity: no failures, full maturity), of
    one added copy (0 when none runs), its bottleneck and its crew per shift (all its copies)."""

    line: str
    copies: int
    added_copies_running: int
    units_per_week_per_copy: float
    new_copy_units_per_week: float
    capacity_units_per_week_per_copy: float
    bottleneck: str
    changes_in_effect: int
    operators_per_shift: float


@dataclass(frozen=True)
class Capacity(Result):
    """The line or plant with some changes landed, for a full week of a shift pattern (no
    installation downtime, no labour cap): expected and capacity units and products per week, and
    the crew per shift."""

    shifts_per_day: int
    days_per_week: float
    landed: tuple[str, ...]
    units_per_week: float
    products_per_week: float
    capacity_units_per_week: float
    capacity_products_per_week: float
    operators_per_shift: float
    lines: tuple[LineCapacity, ...]

    def line(self, name: str) -> LineCapacity:
        return lookup(self.lines, name, owner="this capacity", kind="line", key="line")


@dataclass(frozen=True)
class RampChangeRow(Result):
    """A change in the ramp: what and where, when it is ordered and lands (weeks), its price (per
    copy: downtime h, operators per shift; capex for all ``copies`` it is installed on) and its
    learning (starting share, time constant in weeks, what it acts on)."""

    name: str
    line: str
    kind: str
    description: str
    stations: tuple[str, ...]
    copies: int
    ordered_week: float
    lead_time_weeks: float
    landing_week: int
    downtime_h: float
    operators_per_shift: float
    capex: float
    learning_start: float
    learning_weeks: float
    learning_applies_to: str


@dataclass(frozen=True)
class RampWeek(Result):
    """One week of the ramp (week 0 is the first).

    shifts: the pattern run; landed: changes that land this week; downtime_h: shift hours lost to
    installation (summed over line copies). capacity: no failures, changes at full maturity, no
    downtime. expected: at the stations' availability and the changes' maturity, after downtime
    and the labour cap. simulated: mean and the confidence interval over replications (with
    ``simulate``). Labour: crew per shift, headcount needed and in the pool, operators short, and
    planned and staffed shifts. cumulative: expected products and capex (booked in the week a
    change is ordered) from week 0 to this week. P10/P50/P90: over the uncertainty scenarios."""

    week: int
    shifts_per_day: int
    days_per_week: float
    landed: tuple[str, ...]
    changes_in_effect: int
    downtime_h: float
    capacity_products_per_week: float
    expected_products_per_week: float
    expected_units_per_week: float
    operators_per_shift: float
    headcount_needed: float
    headcount_available: float | None
    operators_short: float
    shifts_planned: float
    shifts_staffed: float
    bottleneck: str
    cumulative_products: float
    cumulative_capex: float
    simulated_products_per_week: float | None = None
    simulated_low_products_per_week: float | None = None
    simulated_high_products_per_week: float | None = None
    p10_products_per_week: float | None = None
    p50_products_per_week: float | None = None
    p90_products_per_week: float | None = None
    p10_cumulative_products: float | None = None
    p50_cumulative_products: float | None = None
    p90_cumulative_products: float | None = None

    missing_reasons: ClassVar = {
        "headcount_available": NO_POOL,
        **{f"simulated{part}_products_per_week": NOT_SIMULATED for part in ("", "_low", "_high")},
        **{f"p{p}_{what}": NO_SCENARIOS for p in (10, 50, 90)
           for what in ("products_per_week", "cumulative_products")},
    }

    @property
    def labour_capped(self) -> bool:
        """The pool could not staff every planned shift."""
        return self.shifts_staffed < self.shifts_planned


@dataclass(frozen=True)
class SimulatedWeek(Result):
    """A week of the ramp simulated: mean products, the ``confidence`` interval, and each
    replication's products (the plant's sum of its copies, same seeds every week: common random
    numbers, so two weeks or two plans compare replication by replication)."""

    week: int
    products_per_week: float
    low_products_per_week: float
    high_products_per_week: float
    confidence: float
    replications: int
    seed: int
    replication_products_per_week: tuple[float, ...]


# the CSV's columns: every plain field of a week
CSV_COLUMNS = tuple(f.name for f in dataclasses.fields(RampWeek))


@dataclass(frozen=True)
class RampResult(Result):
    """A ramp: its weekly rows, its changes, and the summary a planner reads first.

    target_met_week: the first week whose expected output reaches the target (simulated: whose
    interval's lower end does). drop_shift_week: the first week from which every remaining week
    makes the target on one shift a day fewer; drop_shift_headcount_saved: operators that frees.
    labour_short_weeks: weeks the pool could not staff."""

    subject: str
    kind: str
    weeks: int
    units_per_product: int
    currency: str
    target_products_per_week: float | None
    shift_plan: str
    labour_pool: float | None
    hires_per_week: float
    changes: tuple[RampChangeRow, ...]
    rows: tuple[RampWeek, ...]
    capex: float
    cumulative_capex: float
    cumulative_products: float
    today_expected_products_per_week: float
    final_expected_products_per_week: float
    final_capacity_products_per_week: float
    target_met_week: int | None
    simulated: bool
    replications: int | None
    seed: int
    confidence: float | None
    cumulative_simulated_products: float | None
    target_met_week_simulated: int | None
    scenarios: int
    slip_share: float | None
    learning_spread: float | None
    p10_cumulative_products: float | None
    p50_cumulative_products: float | None
    p90_cumulative_products: float | None
    drop_shift_week: int | None
    drop_shift_products_per_week: float | None
    drop_shift_headcount_saved: float | None
    labour_short_weeks: tuple[int, ...]

    missing_reasons: ClassVar = {
        "target_products_per_week": NO_TARGET,
        "labour_pool": NO_POOL,
        "target_met_week": "the target is not reached within the horizon (or no target given)",
        "replications": NOT_SIMULATED, "confidence": NOT_SIMULATED, "cumulative_simulated_products": NOT_SIMULATED,
        "target_met_week_simulated": "not simulated, or the simulated lower end never reaches the target",
        "slip_share": NO_SCENARIOS, "learning_spread": NO_SCENARIOS,
        "p10_cumulative_products": NO_SCENARIOS, "p50_cumulative_products": NO_SCENARIOS,
        "p90_cumulative_products": NO_SCENARIOS,
        "drop_shift_week": "no target, a single shift, or no week from which one shift fewer still meets it",
        "drop_shift_products_per_week": "no week can drop a shift",
        "drop_shift_headcount_saved": "no week can drop a shift",
    }

    def week(self, week: int) -> RampWeek:
        return lookup(self.rows, week, owner=f"ramp of {self.subject!r}", kind="week", key="week")

    def change(self, name: str) -> RampChangeRow:
        return lookup(self.changes, name, owner=f"ramp of {self.subject!r}", kind="change")

    def __rich__(self):
        return text_block(*_ramp_text(self))


def ramp_csv(result: RampResult) -> str:
    """The weekly rows as CSV (one column per :class:`RampWeek` field; landed changes joined by ';')."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in result.rows:
        cells = []
        for name in CSV_COLUMNS:
            value = getattr(row, name)
            if isinstance(value, tuple):
                value = ";".join(value)
            elif value is None:
                value = ""
            elif isinstance(value, float):
                value = repr(value)
            cells.append(value)
        writer.writerow(cells)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------- building rows
def week_row(schedule, week: int) -> RampWeek:
    """Week ``week`` of a schedule (:class:`cyclecore.ramp.capacity.Schedule`) as a RampWeek."""
    ramp = schedule.ramp
    figures = schedule.figures(week)
    staffed = figures.staffing
    upp = ramp.units_per_product
    units = figures.units
    capex = sum(c.capex for c, ordered in zip(ramp.changes, ramp.order_weeks) if int(ordered) <= week)
    if ramp.kind == "line":
        bottleneck = figures.lines[0].bottleneck
    else:
        bottleneck = "; ".join(f"{l.line}: {l.bottleneck}" for l in figures.lines)
    return RampWeek(
        week=week, shifts_per_day=figures.pattern.shifts_per_day, days_per_week=figures.pattern.days_per_week,
        landed=tuple(c.name for c, w in zip(ramp.changes, schedule.landing) if w == week),
        changes_in_effect=sum(l.changes_in_effect for l in figures.lines)
        + sum(1 for c, w in zip(ramp.changes, schedule.landing) if c.kind == "line_duplicate" and w <= week),
        downtime_h=sum(l.lost_hours for l in figures.lines),
        capacity_products_per_week=sum(l.capacity_units for l in figures.lines) / upp,
        expected_products_per_week=units / upp, expected_units_per_week=units,
        operators_per_shift=staffed.operators_per_shift, headcount_needed=staffed.headcount_needed,
        headcount_available=staffed.headcount_available, operators_short=staffed.operators_short,
        shifts_planned=staffed.shifts_planned, shifts_staffed=staffed.shifts_staffed,
        bottleneck=bottleneck, cumulative_products=schedule.cumulative(week), cumulative_capex=capex)


def change_rows(ramp) -> tuple[RampChangeRow, ...]:
    rows = []
    for change, ordered, landing, learning in zip(ramp.changes, ramp.order_weeks, ramp.landing_weeks, ramp.learning):
        rows.append(RampChangeRow(
            name=change.name, line=change.design, kind=change.kind, description=change.description,
            stations=change.stations, copies=change.installed_on, ordered_week=ordered,
            lead_time_weeks=change.price.lead_time_weeks, landing_week=landing, downtime_h=change.price.downtime_h,
            operators_per_shift=change.price.operators_per_shift, capex=change.capex,
            learning_start=learning.start, learning_weeks=learning.weeks, learning_applies_to=learning.applies_to))
    return tuple(rows)


# ---------------------------------------------------------------------------------- text
def _ramp_text(result: RampResult):
    from rich.table import Table
    from rich.text import Text

    money = result.currency
    parts = []
    simulated = result.simulated
    spread = result.scenarios > 0
    table = Table(title=Text(f"{result.subject}: ramp over {result.weeks} weeks (products/week)"),
                  title_justify="left")
    headers = ["week", "shifts", "landed", "capacity", "expected"]
    if simulated:
        headers.append(f"simulated [{result.confidence:.0%}]")
    if spread:
        headers.append("P10 / P50 / P90")
    short = result.labour_pool is not None  # a shortfall needs a pool
    capex_moves = len({row.cumulative_capex for row in result.rows}) > 1  # changes ordered later on
    headers += ["crew/shift"] + (["short"] if short else []) + ["cumulative"] + ([f"capex {money}"] if capex_moves else [])
    for header in headers:
        table.add_column(header, justify="left" if header in ("landed", "shifts") else "right", overflow="fold",
                         min_width=30 if header == "landed" else None, no_wrap=header.startswith("simulated"))
    for row in result.rows:
        landed = _landed_text(row.landed)
        cells = [str(row.week), f"{row.shifts_per_day}x{row.days_per_week:g}", Text(landed),
                 f"{row.capacity_products_per_week:,.0f}", f"{row.expected_products_per_week:,.0f}"]
        if simulated:
            cells.append(f"{row.simulated_products_per_week:,.0f} [{row.simulated_low_products_per_week:,.0f}, "
                         f"{row.simulated_high_products_per_week:,.0f}]")
        if spread:
            cells.append(f"{row.p10_products_per_week:,.0f} / {row.p50_products_per_week:,.0f} / "
                         f"{row.p90_products_per_week:,.0f}")
        cells.append(f"{row.operators_per_shift:.1f}")
        if short:
            cells.append(f"{row.operators_short:.1f}" if row.operators_short else "")
        cells.append(f"{row.cumulative_products:,.0f}")
        if capex_moves:
            cells.append(f"{row.cumulative_capex:,.0f}")
        table.add_row(*cells)
    parts.append(table)
    parts += summary_lines(result)
    return parts


def summary_lines(result: RampResult) -> list[str]:
    """The summary as lines of text (the CLI prints them under the table)."""
    money = result.currency
    lines = []
    target = result.target_products_per_week
    if target is None:
        lines.append("target: none given (--target)")
    else:
        met = "not within the horizon" if result.target_met_week is None else f"week {result.target_met_week}"
        text = f"target {target:,.0f} products/week: first met {met} (expected)"
        if result.simulated:
            sim = result.target_met_week_simulated
            text += f", {'not within the horizon' if sim is None else f'week {sim}'} (simulated, lower end of the " \
                    f"{result.confidence:.0%} interval)"
        lines.append(text)
    lines.append(f"output: week 0 {result.today_expected_products_per_week:,.0f} -> week {result.weeks - 1} "
                 f"{result.final_expected_products_per_week:,.0f} products/week expected "
                 f"({result.final_capacity_products_per_week:,.0f} capacity without failures)")
    cumulative = f"cumulative over {result.weeks} weeks: {result.cumulative_products:,.0f} products (expected)"
    if result.cumulative_simulated_products is not None:
        cumulative += f", {result.cumulative_simulated_products:,.0f} (simulated mean)"
    lines.append(cumulative + f"; capex {result.cumulative_capex:,.0f} {money} of {result.capex:,.0f}")
    if result.scenarios:
        lines.append(f"scenarios: {result.scenarios} (seed {result.seed}; lead-time slips of "
                     f"{result.slip_share:.0%} on average, learning spread {result.learning_spread:g}): cumulative "
                     f"P10 {result.p10_cumulative_products:,.0f} / P50 {result.p50_cumulative_products:,.0f} / "
                     f"P90 {result.p90_cumulative_products:,.0f} products")
    if target is not None:
        if result.drop_shift_week is None:
            lines.append("drop a shift: no week from which one shift a day fewer still meets the target")
        else:
            lines.append(f"drop a shift: from week {result.drop_shift_week} on, one shift a day fewer still meets the "
                         f"target ({result.drop_shift_products_per_week:,.0f} products/week that week), "
                         f"{result.drop_shift_headcount_saved:.1f} operators fewer")
    if result.labour_short_weeks:
        worst = max(result.rows[w].operators_short for w in result.labour_short_weeks)
        weeks = _week_ranges(result.labour_short_weeks)
        lines.append(f"labour: the pool is short in week(s) {weeks} (up to {worst:.1f} operators); output capped to "
                     "the shifts it can staff")
    elif result.labour_pool is not None:
        lines.append("labour: the pool staffs every planned shift")
    return lines


def _landed_text(names) -> str:
    """A week's landed changes for the table: the names when few, else a count per kind."""
    if len(names) <= 3:
        return ", ".join(names)
    kinds: dict[str, int] = {}
    for name in names:
        kind = name.split(":", 1)[-1].split("@", 1)[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    return f"{len(names)}: " + ", ".join(f"{count} {kind}" for kind, count in kinds.items())


def _week_ranges(weeks) -> str:
    runs = []
    for w in weeks:
        if runs and w == runs[-1][1] + 1:
            runs[-1][1] = w
        else:
            runs.append([w, w])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)
