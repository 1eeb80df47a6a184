"""The plan: which changes, where, what they cost, what the line or plant then makes, and the curve.

A :class:`Plan` speaks the result protocol (:mod:`cyclecore.results`); ``str(plan)`` is the table
``cyclecore optimize`` prints, ``plan.to_dict()`` the plan file ``-o`` writes (changes as
``{"kind": ...}`` values, each line's fingerprint so a plan is never applied to another line),
and ``plan.apply(line_or_plant)`` the changed line or plant.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import ClassVar

from cyclecore.changes.base import Change, change_from_dict
from cyclecore.model.line import Line
from cyclecore.model.plant import Plant, PlantLine
from cyclecore.results import Result, lookup, text_block


def fingerprint(line: Line) -> str:
    """A short hash of everything in a line (its value as JSON)."""
    return hashlib.sha256(line.model_dump_json().encode()).hexdigest()[:16]


@dataclass(frozen=True)
class StationRow(Result):
    """One changed station of a plan: its changes, robots added, cycle before/after (s), capex of
    one copy of its line, and the longest lead time (weeks)."""

    line: str
    station: str
    changes: tuple[str, ...]
    robots_added: int
    cycle_before_s: float
    cycle_after_s: float
    capex: float
    lead_time_weeks: float


@dataclass(frozen=True)
class LinePoint(Result):
    """A point of one line design's own curve, per copy: capex, units/week (lower end of the
    confidence interval, mean, without failures) and its changes."""

    capex: float
    units_per_week: float
    mean_units_per_week: float
    deterministic_units_per_week: float
    changes: tuple[str, ...]


@dataclass(frozen=True)
class DesignPlan(Result):
    """One line design in a plan: its changes (applied to every copy), copies added, the method
    that chose them and, for the frontier method, a lower bound on the optimal capex per copy."""

    name: str
    line: str
    fingerprint: str
    copies: int
    added_copies: int
    changes: tuple[Change, ...]
    method: str
    capex_per_copy: float
    capex_lower_bound_per_copy: float | None
    units_per_week_per_copy: float  # lower end of the confidence interval
    mean_units_per_week_per_copy: float
    deterministic_units_per_week_per_copy: float
    blocked_by: str
    curve: tuple[LinePoint, ...]  # this design's Pareto curve per copy, from today on

    missing_reasons: ClassVar = {"capex_lower_bound_per_copy": "no target given, or no change meets it"}

    def to_dict(self) -> dict:
        data = super().to_dict()
        data["changes"] = [c.to_dict() for c in self.changes]
        return data


@dataclass(frozen=True)
class CurvePoint(Result):
    """A point of the capex-versus-output curve (products/week: lower end of the interval, mean,
    and without failures), with the line copies it adds."""

    capex: float
    products_per_week: float
    mean_products_per_week: float
    deterministic_products_per_week: float
    added_lines: int
    changes: int


@dataclass(frozen=True)
class Option(Result):
    """The best plan of one kind (accelerating only, or adding a line): capex, lead time (weeks),
    operators added per shift, products/week, and the products of its first 52 weeks as the ramp
    sees them (every change ordered in week 0: lead times, installation downtime, learning;
    :mod:`cyclecore.ramp`)."""

    capex: float
    lead_time_weeks: float
    operators_per_shift: float
    products_per_week: float
    added_lines: int
    cumulative_products_52_weeks: float | None = None  # ramp (issue 9)

    missing_reasons: ClassVar = {"cumulative_products_52_weeks": "not ramped"}


@dataclass(frozen=True)
class Verdict(Result):
    """Accelerate the existing lines, or duplicate one: the best of each and the choice."""

    accelerate: Option | None
    duplicate: Option | None
    choice: str

    missing_reasons: ClassVar = {"accelerate": "no plan without a new line reaches the target",
                                 "duplicate": "no plan with a new line reaches the target"}


@dataclass(frozen=True)
class Plan(Result):
    """The cheapest changes found that lift a line or plant to its target, and the whole curve.

    Figures are per week; ``products`` = units / units per product. ``products_per_week`` is the
    lower end of the ``confidence`` interval simulated for the changed line or plant (the figure
    the target is judged on); ``verified_*`` come from simulating the changed plant exactly as
    ``cyclecore simulate`` does."""

    subject: str
    kind: str  # "line" or "plant"
    target_products_per_week: float
    units_per_product: int
    confidence: float
    weeks: float
    replications: int
    seed: int
    reached: bool
    designs: tuple[DesignPlan, ...]
    stations: tuple[StationRow, ...]
    capex: float
    engineering_h: float
    operators_per_shift: float
    lead_time_weeks: float
    downtime_h: float
    robots_added: int
    today_products_per_week: float
    today_deterministic_products_per_week: float
    products_per_week: float
    mean_products_per_week: float
    deterministic_products_per_week: float
    verified_products_per_week: tuple[float, float] | None
    verdict: Verdict
    curve: tuple[CurvePoint, ...]
    best_reachable_products_per_week: float
    blocked_by: str
    station_evaluations: int
    simulations: int
    currency: str
    not_searched: tuple[str, ...] = ()  # stations too large for the searching levers, kept as they are

    missing_reasons: ClassVar = {"verified_products_per_week": "the target is not reached: nothing to verify"}

    @property
    def changes(self) -> tuple[Change, ...]:
        """Every change of every design (each applies to all copies of its design)."""
        return tuple(c for d in self.designs for c in d.changes)

    @property
    def units_per_week(self) -> float:
        """Lower end of the simulated interval, units/week of the whole plant."""
        return self.products_per_week * self.units_per_product

    def design(self, name: str) -> DesignPlan:
        return lookup(self.designs, name, owner=f"plan for {self.subject!r}", kind="line design")

    def station(self, name: str) -> StationRow:
        return lookup(self.stations, name, owner=f"plan for {self.subject!r}", kind="changed station",
                      key="station")

    def apply(self, subject: Line | Plant) -> Line | Plant:
        """The changed line or plant; ``ValueError`` when ``subject`` is not the one planned for."""
        return apply_plan(self.to_dict(), subject)

    def to_dict(self) -> dict:
        data = super().to_dict()
        data["designs"] = [d.to_dict() for d in self.designs]
        return data

    def __rich__(self):
        return text_block(*_plan_text(self))


def _plan_text(plan: Plan):
    from rich.table import Table

    money = plan.currency
    parts = []
    table = Table(title=f"{plan.subject}: plan for {plan.target_products_per_week:,.0f} products/week "
                        f"({plan.confidence:.0%} confidence)", title_justify="left")
    for header in ("line", "station", "changes", "robots +", "cycle before s", "cycle after s",
                   f"capex/copy {money}", "lead time wk"):
        table.add_column(header, justify="left" if header in ("line", "station", "changes") else "right")
    for row in plan.stations:
        table.add_row(row.line, row.station, "; ".join(row.changes), str(row.robots_added),
                      f"{row.cycle_before_s:.2f}", f"{row.cycle_after_s:.2f}", f"{row.capex:,.0f}",
                      f"{row.lead_time_weeks:g}")
    parts.append(table)
    for design in plan.designs:
        if design.added_copies:
            parts.append(f"{design.name}: add {design.added_copies} line cop{'y' if design.added_copies == 1 else 'ies'} "
                         f"(to {design.copies + design.added_copies}), built with the changes above")
    parts.append(
        f"totals: capex {plan.capex:,.0f} {money}, {plan.robots_added} robot(s) added, "
        f"{plan.operators_per_shift:+.1f} operator(s) per shift, lead time {plan.lead_time_weeks:g} weeks, "
        f"installation downtime {plan.downtime_h:g} h, engineering {plan.engineering_h:g} h")
    parts.append(
        f"output: today {plan.today_products_per_week:,.0f} products/week (simulated, {plan.confidence:.0%} lower "
        f"bound; {plan.today_deterministic_products_per_week:,.0f} without failures) -> "
        f"{plan.products_per_week:,.0f} planned (mean {plan.mean_products_per_week:,.0f}, "
        f"{plan.deterministic_products_per_week:,.0f} without failures)")
    if plan.verified_products_per_week is not None:
        lo, hi = plan.verified_products_per_week
        parts.append(f"verified: the changed {plan.kind} simulated as `cyclecore simulate` does makes "
                     f"[{lo:,.0f}, {hi:,.0f}] products/week ({plan.confidence:.0%} interval, "
                     f"{plan.replications} x {plan.weeks:g} week(s), seed {plan.seed})")
    parts += [f"not searched: {note}" for note in plan.not_searched]
    if not plan.reached:
        parts.append(f"NOT REACHED: best reachable {plan.best_reachable_products_per_week:,.0f} products/week; "
                     f"blocked by {plan.blocked_by}")
    v = plan.verdict
    for label, option in (("accelerate (no new line)", v.accelerate), ("duplicate (add a line)", v.duplicate)):
        if option is None:
            parts.append(f"{label}: does not reach the target")
        else:
            parts.append(f"{label}: capex {option.capex:,.0f} {money}, lead time {option.lead_time_weeks:g} weeks, "
                         f"{option.operators_per_shift:+.1f} operators/shift, {option.products_per_week:,.0f} products/week")
    years = [(label, o.cumulative_products_52_weeks) for label, o in (("accelerate", v.accelerate),
                                                                         ("duplicate", v.duplicate))
             if o is not None and o.cumulative_products_52_weeks is not None]
    if years:  # the ramp-aware verdict (issue 9): lead times, installation and learning decide the first year
        parts.append("first 52 weeks (ramp, every change ordered now): "
                     + ", ".join(f"{label} {total:,.0f} products" for label, total in years))
    parts.append(f"verdict: {v.choice}")
    methods = ", ".join(f"{d.name}: {d.method}" for d in plan.designs)
    parts.append(f"search: {methods}; {plan.station_evaluations} station evaluations, {plan.simulations} simulations; "
                 f"curve of {len(plan.curve)} points (--curve CSV)")
    for design in plan.designs:
        bound = design.capex_lower_bound_per_copy
        if design.method != "exhaustive" and bound is not None:
            parts.append(f"{design.name}: no plan per copy can cost less than {bound:,.0f} {money} "
                         f"(the cheapest line meeting its share without failures); this plan: {design.capex_per_copy:,.0f}")
    return parts


# --------------------------------------------------------------------------- applying a plan file
def _designs_of(subject) -> dict[str, Line]:
    if isinstance(subject, Line):
        return {subject.name: subject}
    if isinstance(subject, Plant):
        return {entry.name: entry.line for entry in subject.lines}
    raise ValueError(f"expected a cyclecore Line or Plant, got {type(subject).__name__}")


def apply_plan(data: dict, subject: Line | Plant) -> Line | Plant:
    """Apply a plan (``Plan.to_dict()`` or a plan file's content) to the line or plant it was made for.

    Raises ``ValueError`` naming what does not match: another line (fingerprint), unknown line
    designs, stations or robots, or a malformed change."""
    if not isinstance(data, dict) or not isinstance(data.get("designs"), list):
        raise ValueError("plan: expected a cyclecore plan (a mapping with 'designs'), as `cyclecore optimize -o` writes")
    lines = _designs_of(subject)
    if data.get("kind") not in ("line", "plant") or (data["kind"] == "line") != isinstance(subject, Line):
        raise ValueError(f"plan: made for a {data.get('kind')!r}, applied to a "
                         f"{'line' if isinstance(subject, Line) else 'plant'}")
    changed: dict[str, Line] = {}
    for i, design in enumerate(data["designs"]):
        where = f"designs[{i}]"
        name = design.get("name") if isinstance(design, dict) else None
        if name not in lines:
            made_for = f"{data.get('kind')} {data.get('subject', name)!r}"
            if isinstance(design, dict) and "fingerprint" in design:
                made_for += f" (line {name!r}, fingerprint {design['fingerprint']!r})"
            here = ", ".join(f"{n!r} (fingerprint {fingerprint(line)!r})" for n, line in lines.items())
            raise ValueError(f"plan: {where}: made for {made_for}, not for this {data.get('kind')}, whose "
                             f"line designs are {here}; run `cyclecore optimize` on this one")
        line = lines[name]
        if design.get("fingerprint") != fingerprint(line):
            raise ValueError(f"plan: {where}: made for another version of line {line.name!r} "
                             f"(fingerprint {design.get('fingerprint')!r}, this line {fingerprint(line)!r}); "
                             "run `cyclecore optimize` on this line")
        changes = design.get("changes")
        if not isinstance(changes, list):
            raise ValueError(f"plan: {where}.changes: expected a list of changes")
        for k, entry in enumerate(changes):
            try:
                change = change_from_dict(entry)
                line = change.apply(line)
            except KeyError as error:
                raise ValueError(f"plan: {where}.changes[{k}]: {error.args[0]}") from None
            except ValueError as error:
                raise ValueError(f"plan: {where}.changes[{k}]: {error}") from None
        added = design.get("added_copies", 0)
        if isinstance(added, bool) or not isinstance(added, int) or added < 0:
            raise ValueError(f"plan: {where}.added_copies: got {added!r}, expected a whole number >= 0")
        if added:
            line = line.evolve(identical_lines=line.identical_lines + added, check_reach=False)
        changed[name] = line
    if isinstance(subject, Line):
        return changed.get(subject.name, subject)
    return Plant(name=subject.name, description=subject.description, file=subject.file,
                 lines=tuple(PlantLine(e.name, changed.get(e.name, e.line), e.file) for e in subject.lines))


def plan_json(plan: Plan) -> str:
    """The plan file's text (what ``cyclecore optimize -o`` writes)."""
    import json

    return json.dumps(plan.to_dict(), indent=2, allow_nan=False)


CURVE_COLUMNS = ("capex", "products_per_week", "mean_products_per_week", "deterministic_products_per_week",
                 "added_lines", "changes")


def curve_csv(plan: Plan) -> str:
    """The capex-versus-output curve as CSV (products/week: lower end of the interval, mean,
    without failures)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CURVE_COLUMNS)
    for point in plan.curve:
        writer.writerow([repr(getattr(point, name)) if isinstance(getattr(point, name), float) else getattr(point, name)
                         for name in CURVE_COLUMNS])
    return buffer.getvalue()


def load_plan_file(path) -> dict:
    """A plan file's content; ValueError naming the file when it is not a cyclecore plan."""
    from pathlib import Path

    from cyclecore.files.documents import parse_document, read_bounded_text  # size, depth, keys: bounded

    path = Path(path)
    if not path.exists():
        raise ValueError(f"{path}: plan file not found")
    data = parse_document(path, read_bounded_text(path, "a plan file written by `cyclecore optimize -o`"), "json")
    if not isinstance(data, dict) or "designs" not in data or "kind" not in data:
        raise ValueError(f"{path}: expected a plan written by `cyclecore optimize -o` (with 'kind' and 'designs')")
    return data
