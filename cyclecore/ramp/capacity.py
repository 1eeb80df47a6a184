"""The :class:`Ramp`: a line or plant and its changes, built once, then cheap per question.

Built once: the changes are read, named, priced and checked (every change must apply to the line
it is for); learning, order weeks, shift plan and labour are resolved. Then, per question:

- ``ramp.week(w)``: week ``w`` of the ramp's own schedule (order weeks + lead times), with
  learning, installation downtime, labour — a :class:`~cyclecore.ramp.result.RampWeek`;
- ``ramp.capacity(landed=…, maturity=…)``: the line or plant with the changes a ramp simulator
  says have landed, each at the maturity it says — a :class:`~cyclecore.ramp.result.Capacity`.

**The weekly figures** (per copy of a line design, units per week):

- *capacity* = running hours × 3600 / slowest effective station cycle (the changes landed, no
  failures, no learning, no downtime): the step function;
- *expected* = running hours after installation downtime × 3600 × min over stations of
  m_i · A_i / t_i, where t_i is the station's effective cycle, A_i its isolated availability
  MTBF/(MTBF + MTTR) and m_i the product of the maturities of the landed changes that touch it.
  Each station runs at most m_i·A_i of its time, so this is the bottleneck's rate at its
  availability — the ample-buffer estimate of ``cyclecore analyze``, an upper estimate of what the
  simulator gives (``simulate=True`` measures blocking, starving and bypass too). Output steps up
  when a constraint is removed, then climbs with learning: the step-exponential curve.

Running hours = shifts a day × days × hours per shift × (1 − planned downtime); the labour pool
may cap them (:mod:`cyclecore.ramp.labour`). Products = units / units per product.

Everything a query needs is remembered: line states by the set of landed changes, stations by
their value (:mod:`cyclecore.ramp.states`), a schedule's downtime and output week by week. A week
query on the body shop takes well under a millisecond once its state has been seen.
"""

from __future__ import annotations

import math
import numpy as np

from cyclecore.arguments import Instance, refuse
from cyclecore.changes.base import lever_price
from cyclecore.model.line import Line
from cyclecore.model.plant import Plant
from cyclecore.ramp.inputs import read
from cyclecore.ramp.labour import Labour, ShiftPlan, Shifts, parse_shift_plan, staffing
from cyclecore.ramp.learning import DEFAULT_LEARNING, Learning, learning_from, week_maturity
from cyclecore.ramp.schedule import (
    RampChange, change_name, labels_of, landing_week, lost_shift_hours, mapping_items, order_weeks_of, select,
    target_of, unique_names,
)
from cyclecore.ramp.states import DesignStates, LineState

LINE_LEVEL = ("option", "rebalance_zone")
SECONDS_PER_HOUR = 3600.0
MATURITY = "a maturity in (0, 1]"


class RampLine:
    """One line design of the ramp: its states and what each of its changes does to them."""

    def __init__(self, index, design, ids, changes, learning, states: DesignStates):
        self.index = index
        self.name = design.name
        self.line = design.line
        self.copies = design.copies
        self.added = design.added
        self.ids = tuple(ids)  # global indices of the design's own changes, plan order
        self.states = states
        calendar = design.line.calendar
        self.hours_per_shift = calendar.hours_per_shift
        self.running = 1.0 - calendar.planned_downtime
        names = states.names
        self.touch = np.zeros((len(names), len(ids)), dtype=bool)
        for j, g in enumerate(ids):
            for station in changes[g].stations:
                self.touch[names.index(station), j] = True
        self.on_cycle = np.array([learning[g].applies_to == "cycle" for g in ids], dtype=bool)
        self.operators = np.array([changes[g].price.operators_per_shift for g in ids])
        self.downtime = np.array([changes[g].price.downtime_h for g in ids])
        self.duplicate: int | None = None  # global index of its added copies, if any
        self._touch_of: dict[tuple, np.ndarray] = {}

    def state(self, local: frozenset) -> LineState:
        return self.states.state(local)

    def full(self) -> LineState:
        return self.states.state(frozenset(range(len(self.ids))))

    def station_maturity(self, state: LineState, maturity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per station, the product of the maturities of the changes in effect that touch it:
        those learning on availability, and those learning on the cycle."""
        applied = list(state.applied)
        touch = self.touch[:, applied]
        on_cycle = self.on_cycle[applied]
        values = maturity[applied]
        availability = np.prod(np.where(touch & ~on_cycle, values, 1.0), axis=1)
        cycle = np.prod(np.where(touch & on_cycle, values, 1.0), axis=1)
        return availability, cycle

    def rate(self, state: LineState, maturity: np.ndarray) -> tuple[float, int]:
        """Expected units per second of running time of one copy, and the bottleneck's index.

        ``maturity``: per local change (only the entries of changes in effect are read)."""
        touch = self._touch_of.get(state.applied)
        if touch is None:
            touch = self._touch_of[state.applied] = self.touch[:, list(state.applied)]
        if touch.shape[1]:
            m = np.prod(np.where(touch, maturity[list(state.applied)], 1.0), axis=1)
        else:
            m = 1.0
        per_station = m * state.availability / state.effective_cycle_s
        slowest = int(np.argmin(per_station))
        return float(per_station[slowest]), slowest


class Ramp:
    """A line or plant and its changes, ready for weekly questions (see the module docstring).

    subject: a Line or Plant. changes: a plan (``Plan``, or a plan file's content as
    :func:`cyclecore.plan.result.load_plan_file` reads it) or a list of changes (a mapping from
    design name to changes for a plant). order_weeks: ``{change: week}`` or ``[(change, week)]``,
    the week each change is ordered (default 0; a change is named by its name, station, kind or
    design: :attr:`changes`). shifts: the shift plan (:func:`~cyclecore.ramp.labour.parse_shift_plan`;
    default the lines' own calendar). labour: a :class:`~cyclecore.ramp.labour.Labour` (default:
    no limit). learning: ``{change or kind: {"start": m0, "weeks": τ[, "applies_to": …]}}`` over
    :data:`~cyclecore.ramp.learning.DEFAULT_LEARNING`. target: products/week the summary judges
    (default: the plan's target).

    Attributes: ``changes`` (:class:`~cyclecore.ramp.schedule.RampChange`, named), ``order_weeks``,
    ``learning`` and ``landing_weeks`` (one per change), ``shifts``, ``labour``, ``lines`` (one
    :class:`RampLine` per line design) and ``nominal``, the ramp's own :class:`Schedule`.

    Raises ``ValueError`` naming the argument or the plan's field on bad input."""

    def __init__(self, subject, changes, *, order_weeks=None, shifts=None, labour=None, learning=None,
                 target=None):
        from cyclecore.plan.result import fingerprint

        Instance((Line, Plant), what="a cyclecore Line or Plant").check(subject, "line_or_plant")
        given = read(subject, changes)
        self.subject = given.subject
        self.kind = given.kind
        self.labour = Instance(Labour, optional=True).check(labour, "labour") or Labour()
        if target is None:
            target = given.target
        elif isinstance(target, bool) or not isinstance(target, (int, float)) or not 0 < target < math.inf:
            refuse("target", target, "a positive number of products per week")
        self.target = None if target is None else float(target)
        plant = given.kind == "plant"
        self.units_per_product = given.designs[0].line.units_per_product
        self.currency = given.designs[0].line.costs.currency

        entries, per_design = [], []
        for design, listed in zip(given.designs, given.changes):
            ids = []
            for change, where in listed:
                ids.append(len(entries))
                entries.append(_ramp_change(design, change, where, plant))
            if design.added:
                entries.append(_copies_change(design, plant))
            per_design.append(ids)
        names = unique_names([e.name for e in entries])
        self.changes: tuple[RampChange, ...] = tuple(
            e if e.name == n else _renamed(e, n) for e, n in zip(entries, names))

        self.learning: tuple[Learning, ...] = self._learning(given.learning, learning)
        selections = list(given.order_weeks)
        selections += [(k, v, f"order_weeks[{k!r}]") for k, v in mapping_items(order_weeks, "order_weeks")]
        self.order_weeks: tuple[float, ...] = order_weeks_of(self.changes, selections)
        self.shifts: ShiftPlan = self._shift_plan(given.designs, shifts)

        self.lines: list[RampLine] = []  # one per line design, plant order
        for index, (design, ids) in enumerate(zip(given.designs, per_design)):
            states = DesignStates(design.line, fingerprint(design.line), [self.changes[g].change for g in ids],
                                  [self.changes[g].where for g in ids],
                                  [self.changes[g].kind in LINE_LEVEL for g in ids])
            states.state(frozenset(range(len(ids))), strict=True)  # every change applies to its line
            entry = RampLine(index, design, ids, self.changes, self.learning, states)
            if design.added:
                entry.duplicate = next(g for g, c in enumerate(self.changes)
                                       if c.design == design.name and c.kind == "line_duplicate")
            self.lines.append(entry)
        self._by_name = {c.name: g for g, c in enumerate(self.changes)}
        self.nominal = self.schedule()
        self._simulators: dict = {}

    # ------------------------------------------------------------------------------ resolving
    def _learning(self, from_plan, from_argument) -> tuple[Learning, ...]:
        resolved = [DEFAULT_LEARNING[c.kind] for c in self.changes]
        overrides = list(from_plan)
        overrides += [(str(k), v, f"learning[{k!r}]") for k, v in mapping_items(from_argument, "learning")]
        for selector, value, where in overrides:
            if selector in DEFAULT_LEARNING and not any(c.kind == selector for c in self.changes):
                learning_from(value, where, DEFAULT_LEARNING[selector])  # checked, though no change uses it
                continue
            for g in select(self.changes, selector, where):
                resolved[g] = learning_from(value, where, resolved[g])  # fields not given stay as they were
        return tuple(resolved)

    def _shift_plan(self, designs, shifts) -> ShiftPlan:
        patterns = {d.name: Shifts(d.line.calendar.shifts_per_day, d.line.calendar.days_per_week) for d in designs}
        first = next(iter(patterns.values()))
        if shifts is None and len(set(patterns.values())) > 1:
            shown = ", ".join(f"{name}: {p}" for name, p in patterns.items())
            raise ValueError(f"shifts: the lines run different shift patterns ({shown}); give one shift plan for "
                             "the plant (e.g. '3x5')")
        plan = parse_shift_plan(shifts, first)
        for _, pattern in plan.patterns:
            _fits_a_day(pattern, designs)
        return plan

    # ------------------------------------------------------------------------------ schedules
    def schedule(self, lead_time_weeks=None, learning_weeks=None) -> "Schedule":
        """The ramp's schedule (its order weeks and lead times), or one with other lead times or
        learning time constants (a scenario's), in the order of :attr:`changes`."""
        leads = [c.price.lead_time_weeks for c in self.changes] if lead_time_weeks is None else lead_time_weeks
        taus = [l.weeks for l in self.learning] if learning_weeks is None else learning_weeks
        landing = tuple(landing_week(o, lead) for o, lead in zip(self.order_weeks, leads))
        return Schedule(self, landing, tuple(float(t) for t in taus))

    def scenarios(self, count: int, seed: int = 0, uncertainty=None):
        """``count`` uncertainty scenarios from ``seed``: each change's lead time and learning time
        constant, drawn as :mod:`cyclecore.ramp.uncertainty` says (``uncertainty``: an
        :class:`~cyclecore.ramp.uncertainty.Uncertainty`, default slips of a quarter of the lead
        time on average and a learning spread of 0.3). ``schedule(s.lead_time_weeks,
        s.learning_weeks)`` gives a scenario's schedule."""
        from cyclecore.arguments import SEED
        from cyclecore.ramp.uncertainty import SCENARIOS, Uncertainty, draw_scenarios

        count = SCENARIOS.check(count, "scenarios")
        seed = SEED.check(seed, "seed")
        uncertainty = Instance(Uncertainty, optional=True).check(uncertainty, "uncertainty") or Uncertainty()
        return draw_scenarios([c.price.lead_time_weeks for c in self.changes], [l.weeks for l in self.learning],
                              count, seed, uncertainty)

    def result(self, weeks: int = 52, **options):
        """The whole ramp over ``weeks`` weeks: a :class:`~cyclecore.ramp.result.RampResult`
        (``options`` as :func:`cyclecore.ramp.run.ramp`: simulate, replications, seed, confidence,
        scenarios, uncertainty, progress)."""
        from cyclecore.ramp.horizon import run

        return run(self, weeks, **options)

    @property
    def landing_weeks(self) -> tuple[int, ...]:
        """The week each change lands in the ramp's own schedule."""
        return self.nominal.landing

    def week(self, week: int):
        """Week ``week`` (0 = the first) of the ramp's schedule: a :class:`~cyclecore.ramp.result.RampWeek`."""
        return self.nominal.row(_week_number(week))

    def simulated_week(self, week: int, replications: int = 10, seed: int = 0, confidence: float = 0.9):
        """Week ``week`` of the ramp's schedule simulated (:mod:`cyclecore.ramp.simulated`): a
        :class:`~cyclecore.ramp.result.SimulatedWeek` with every replication's products. Simulated
        lines are remembered per (replications, seed), so weeks whose state does not change are free."""
        from cyclecore.arguments import SEED
        from cyclecore.linesim.confidence import mean_interval
        from cyclecore.ramp.horizon import RAMP_CONFIDENCE, RAMP_REPLICATIONS
        from cyclecore.ramp.result import SimulatedWeek
        from cyclecore.ramp.simulated import WeekSimulator

        week = _week_number(week)
        replications = RAMP_REPLICATIONS.check(replications, "replications")
        seed = SEED.check(seed, "seed")
        confidence = RAMP_CONFIDENCE.check(confidence, "confidence")
        simulator = self._simulators.get((replications, seed))
        if simulator is None:
            simulator = self._simulators[(replications, seed)] = WeekSimulator(self, replications, seed, confidence)
        products = simulator.replications_of(self.nominal, week)
        lo, hi = mean_interval(products, confidence)
        return SimulatedWeek(week=week, products_per_week=float(np.mean(products)), low_products_per_week=lo,
                             high_products_per_week=hi, confidence=confidence, replications=replications, seed=seed,
                             replication_products_per_week=tuple(float(x) for x in products))

    # ------------------------------------------------------------------------------ capacity
    def capacity(self, landed=None, maturity=None, shifts=None):
        """The line or plant with the changes ``landed`` (names, see :attr:`changes`) in place, each
        at ``maturity`` (``{name: m}`` with m in (0, 1]; default 1), running ``shifts`` (a pattern
        like ``"3x5"`` or ``(3, 5)``; default the shift plan's first): a
        :class:`~cyclecore.ramp.result.Capacity` for a full week, without installation downtime.

        For a ramp simulator that decides itself what has landed: the line states are remembered,
        so a call costs a few dozen microseconds once its set of landed changes has been seen."""
        from cyclecore.ramp.result import Capacity, LineCapacity

        chosen = self._landed_indices(landed)
        mats = np.ones(len(self.changes))
        for name, value in mapping_items(maturity, "maturity"):
            g = self._by_name.get(name)
            if g is None:
                refuse(f"maturity[{name!r}]", name, f"the name of a change of this ramp ({', '.join(self._by_name)})")
            if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not 0 < value <= 1:
                refuse(f"maturity[{name!r}]", value, MATURITY)
            mats[g] = float(value)
        pattern = self.shifts.at(0) if shifts is None else parse_shift_plan(shifts, self.shifts.at(0)).at(0)
        _fits_a_day(pattern, self.lines)
        lines, crew = [], 0.0
        for d in self.lines:
            local = frozenset(j for j, g in enumerate(d.ids) if g in chosen)
            state = d.state(local)
            rate, slowest = d.rate(state, mats[list(d.ids)])
            hours = pattern.per_week * d.hours_per_shift * d.running
            copies_new = d.added if d.duplicate is not None and d.duplicate in chosen else 0
            new_units = 0.0
            if copies_new:
                full = d.full()
                new_rate, _ = d.rate(full, np.full(len(d.ids), 1.0))
                new_units = hours * SECONDS_PER_HOUR * new_rate * mats[d.duplicate]
            crew_line = self.crew(d, state, local, copies_new)
            crew += crew_line
            lines.append(LineCapacity(
                line=d.name, copies=d.copies, added_copies_running=copies_new,
                units_per_week_per_copy=hours * SECONDS_PER_HOUR * rate,
                new_copy_units_per_week=new_units,
                capacity_units_per_week_per_copy=hours * SECONDS_PER_HOUR * state.capacity_per_s,
                bottleneck=state.stations[slowest], changes_in_effect=len(state.applied),
                operators_per_shift=crew_line))
        upp = self.units_per_product
        units = sum(l.copies * l.units_per_week_per_copy + l.added_copies_running * l.new_copy_units_per_week
                    for l in lines)
        capacity = sum((l.copies + l.added_copies_running) * l.capacity_units_per_week_per_copy for l in lines)
        return Capacity(shifts_per_day=pattern.shifts_per_day, days_per_week=pattern.days_per_week,
                        landed=tuple(self.changes[g].name for g in sorted(chosen)),
                        units_per_week=units, products_per_week=units / upp,
                        capacity_units_per_week=capacity, capacity_products_per_week=capacity / upp,
                        operators_per_shift=crew, lines=tuple(lines))

    def _landed_indices(self, landed) -> set[int]:
        if landed is None:
            return set()
        if isinstance(landed, str) or not hasattr(landed, "__iter__"):
            refuse("landed", landed, "a list of change names (Ramp.changes)")
        chosen = set()
        for k, name in enumerate(landed):
            g = self._by_name.get(name) if isinstance(name, str) else None
            if g is None:
                refuse(f"landed[{k}]", name, f"the name of a change of this ramp ({', '.join(self._by_name)})")
            chosen.add(g)
        return chosen

    def crew(self, d: RampLine, state: LineState, local, copies_new: int) -> float:
        """Operators per shift of design ``d``: its existing copies with the ``local`` changes
        landed, and ``copies_new`` added copies built with all of them."""
        base = self.labour.crew(d.name)
        landed_ops = float(sum(d.operators[j] for j in local))
        crew = d.copies * (base + state.standby_operators + landed_ops)
        if copies_new:
            full = d.full()
            own = self.changes[d.duplicate].price.operators_per_shift
            crew += copies_new * (base + full.standby_operators + own + float(d.operators.sum()))
        return crew


class Schedule:
    """When each change lands and how fast it matures, and what the ramp makes week by week under
    it (remembered, so weeks already computed cost nothing). :meth:`Ramp.schedule` makes one."""

    def __init__(self, ramp: Ramp, landing: tuple[int, ...], learning_weeks: tuple[float, ...]):
        self.ramp = ramp
        self.landing = landing
        self.learning_weeks = learning_weeks
        self.starts = tuple(l.start for l in ramp.learning)
        self._lost: dict[tuple[int, int], list[float]] = {}
        self._figures: dict[tuple[int, int], "WeekFigures"] = {}
        self._rows: list = []
        self._cumulative: list[float] = []

    def maturity(self, g: int, week: int) -> float:
        """Mean maturity of change ``g`` over ``week`` (1 before… it is only read once landed)."""
        return week_maturity(week - self.landing[g], self.starts[g], self.learning_weeks[g])

    def lost_hours(self, d: RampLine, week: int, drop: int = 0) -> float:
        """Shift hours one existing copy of ``d`` loses to installation in ``week``."""
        memo = self._lost.setdefault((d.index, drop), [])
        if len(memo) <= week:
            horizon = max(week + 1, 2 * len(memo), 64)  # ahead, so week-by-week questions stay linear
            installs = [0.0] * horizon
            for j, g in enumerate(d.ids):
                if self.landing[g] < horizon:
                    installs[self.landing[g]] += float(d.downtime[j])
            if d.duplicate is not None and self.landing[d.duplicate] < horizon:
                installs[self.landing[d.duplicate]] += self.ramp.changes[d.duplicate].price.downtime_h
            shifts = [self._pattern(w, drop).per_week * d.hours_per_shift for w in range(horizon)]
            memo[:] = lost_shift_hours(installs, shifts)
        return memo[week]

    def _pattern(self, week: int, drop: int) -> Shifts:
        pattern = self.ramp.shifts.at(week)
        return pattern if not drop else Shifts(pattern.shifts_per_day - drop, pattern.days_per_week)

    def figures(self, week: int, drop: int = 0) -> "WeekFigures":
        """The week's figures (one shift fewer a day with ``drop=1``)."""
        key = (week, drop)
        found = self._figures.get(key)
        if found is not None:
            return found
        ramp = self.ramp
        pattern = self._pattern(week, drop)
        lines = []
        crew = 0.0
        for d in ramp.lines:
            local = frozenset(j for j, g in enumerate(d.ids) if self.landing[g] <= week)
            state = d.state(local)
            mats = np.ones(len(d.ids))
            for j in state.applied:
                mats[j] = self.maturity(d.ids[j], week)
            rate, slowest = d.rate(state, mats)
            shift_hours = pattern.per_week * d.hours_per_shift
            lost = self.lost_hours(d, week, drop)
            copies_new = d.added if d.duplicate is not None and self.landing[d.duplicate] <= week else 0
            running_s = shift_hours * d.running * SECONDS_PER_HOUR  # one copy's running seconds, no downtime
            units = d.copies * (shift_hours - lost) * d.running * SECONDS_PER_HOUR * rate
            capacity = d.copies * running_s * state.capacity_per_s
            if copies_new:  # added copies: built with every change, maturing as a new line
                full = d.full()
                new_rate, _ = d.rate(full, np.ones(len(d.ids)))
                units += copies_new * running_s * new_rate * self.maturity(d.duplicate, week)
                capacity += copies_new * running_s * full.capacity_per_s
            crew_line = ramp.crew(d, state, local, copies_new)
            crew += crew_line
            lines.append(LineWeek(d.name, d.copies + copies_new, len(state.applied), state.stations[slowest],
                                  units, capacity, lost * d.copies, crew_line))
        staffed = staffing(crew, pattern, ramp.labour, week)
        figures = WeekFigures(week, pattern, tuple(lines), staffed)
        self._figures[key] = figures
        return figures

    def products(self, week: int, drop: int = 0) -> float:
        """Expected products in ``week`` (labour cap included)."""
        return self.figures(week, drop).products(self.ramp.units_per_product)

    def cumulative(self, week: int) -> float:
        """Expected products from week 0 to ``week`` inclusive."""
        while len(self._cumulative) <= week:
            w = len(self._cumulative)
            self._cumulative.append((self._cumulative[-1] if w else 0.0) + self.products(w))
        return self._cumulative[week]

    def row(self, week: int):
        """The :class:`~cyclecore.ramp.result.RampWeek` of ``week``."""
        from cyclecore.ramp.result import week_row

        while len(self._rows) <= week:
            self._rows.append(None)
        if self._rows[week] is None:
            self._rows[week] = week_row(self, week)
        return self._rows[week]


class LineWeek:
    """One line design in one week: copies running, changes in effect, bottleneck, expected and
    capacity units (all copies, before the labour cap), shift hours lost (all copies), crew."""

    __slots__ = ("line", "copies", "changes_in_effect", "bottleneck", "units", "capacity_units", "lost_hours",
                 "operators_per_shift")

    def __init__(self, line, copies, changes_in_effect, bottleneck, units, capacity_units, lost_hours,
                 operators_per_shift):
        self.line = line
        self.copies = copies
        self.changes_in_effect = changes_in_effect
        self.bottleneck = bottleneck
        self.units = units
        self.capacity_units = capacity_units
        self.lost_hours = lost_hours
        self.operators_per_shift = operators_per_shift


class WeekFigures:
    """A week of a schedule: its shift pattern, its lines and its staffing."""

    __slots__ = ("week", "pattern", "lines", "staffing")

    def __init__(self, week, pattern, lines, staffing_):
        self.week = week
        self.pattern = pattern
        self.lines = lines
        self.staffing = staffing_

    @property
    def units(self) -> float:
        return sum(l.units for l in self.lines) * self.staffing.share

    def products(self, units_per_product: int) -> float:
        return self.units / units_per_product


# ---------------------------------------------------------------------------------- building changes
def _ramp_change(design, change, where: str, plant: bool) -> RampChange:
    from cyclecore.changes.options import option_stations
    from cyclecore.changes.zones import zone_stations

    line = design.line
    try:
        if change.kind == "option":
            stations = option_stations(line, change.option)
        elif change.kind == "rebalance_zone":
            stations = zone_stations(line, change.zone)
        else:
            stations = (line.station(change.station).name,)
        price = change.price(line)
    except KeyError as error:
        raise ValueError(f"{where}: {error.args[0]}") from None
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
    name = change_name(design.name if plant else None, change.kind, target_of(change))
    return RampChange(name=name, design=design.name, kind=change.kind, change=change, price=price,
                      copies=design.copies, installed_on=design.copies + design.added, stations=tuple(stations),
                      description=change.describe(), where=where,
                      labels=labels_of(design.name, plant, change, change.kind, name))


def _copies_change(design, plant: bool) -> RampChange:
    line = design.line
    price = lever_price(line, "line_duplicate", line.costs.line_duplicate)
    name = change_name(design.name if plant else None, "line_duplicate", None)
    count = design.added
    return RampChange(name=name, design=design.name, kind="line_duplicate", change=None, price=price, copies=count,
                      installed_on=count, stations=tuple(s.name for s in line.stations),
                      description=f"{count} more cop{'y' if count == 1 else 'ies'} of line {design.name}",
                      where=f"plan: designs[{design.name!r}].added_copies",
                      labels=labels_of(design.name, plant, None, "line_duplicate", name))


def _renamed(change: RampChange, name: str) -> RampChange:
    from dataclasses import replace

    return replace(change, name=name, labels=change.labels | {name})


def _fits_a_day(pattern: Shifts, designs) -> None:
    """``ValueError`` when ``pattern``'s shifts of a design's hours make more than 24 h a day."""
    for design in designs:
        hours_per_shift = design.line.calendar.hours_per_shift
        hours = pattern.shifts_per_day * hours_per_shift
        if hours > 24 + 1e-9:
            raise ValueError(f"shifts: {pattern.shifts_per_day} shifts of {hours_per_shift:g} h on line "
                             f"{design.name!r} make {hours:g} h a day; expected at most 24 h")


def _week_number(week) -> int:
    if isinstance(week, bool) or not isinstance(week, (int, np.integer)) or week < 0:
        refuse("week", week, "a whole week number >= 0")
    return int(week)


__all__ = ["Ramp", "RampLine", "Schedule", "WeekFigures", "LineWeek"]
