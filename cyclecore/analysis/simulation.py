"""Simulate a Line: its throughput with failures, buffers, blocking, starving and manual bypass.

The deterministic analysis gives each station's cycle (the slowest process); this adds the least
lucky one. The Line is turned into the plain arrays of :func:`cyclecore.linesim.simulate_serial`
(cycle per station from :func:`cyclecore.analysis.deterministic.analyze`, MTBF/MTTR, buffer places, parallel
copies, manual bypass) and the calendar turns throughput per hour into units per week.

Calendar convention: a week is ``shifts_per_day x hours_per_shift x days_per_week`` calendar hours
of shift time; planned downtime stops the whole line with everything frozen (so do the hours
outside shifts), so simulated running time is the production hours of the calendar.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cyclecore.analysis.deterministic import NO_TARGET, analyze
from cyclecore.arguments import CONFIDENCE, PROGRESS, REPLICATIONS, SEED, TARGET, WEEKS, Instance, Number, arguments
from cyclecore.model.line import Line
from cyclecore.model.plant import Plant
from cyclecore.linesim import SerialLineResult, simulate_serial
from cyclecore.linesim.random_streams import station_key
from cyclecore.results import Result, lookup

ONE_REPLICATION = "a single replication has no confidence interval"
NO_CONFIDENCE = "no confidence level asked for"


@dataclass(frozen=True)
class StationSimulation(Result):
    """One station over the simulated weeks (shares of running time; operator-hours per week)."""

    name: str
    cycle_s: float
    parallel: int
    working: float
    blocked: float
    starved: float
    failed: float
    bypassed: float
    bottleneck_share: float  # share of time it is the momentary bottleneck (active period method)
    operator_hours_per_week: float


@dataclass(frozen=True)
class BufferSimulation(Result):
    """The places after a station: how full they were."""

    after: str
    places: int
    mean_level: float
    empty_share: float
    full_share: float


@dataclass(frozen=True)
class LineSimulation(Result):
    """Outcome of :func:`simulate`: units per week with confidence intervals, per station and buffer."""

    line: str
    weeks: float
    replications: int
    seed: int
    hours_per_week: float
    units_per_week: float
    ci95_units_per_week: tuple[float, float] | None
    ci99_units_per_week: tuple[float, float] | None
    products_per_week: float          # the plant: identical lines / units per product
    deterministic_units_per_week: float  # no failures, from the deterministic analysis
    bottleneck_active_period: str
    bottleneck_arrow: str
    stations: tuple[StationSimulation, ...]
    buffers: tuple[BufferSimulation, ...]
    serial: SerialLineResult          # the plain-array result behind these numbers
    confidence: float | None = None   # the level of ci_* below, when asked for
    ci_units_per_week: tuple[float, float] | None = None
    ci_products_per_week: tuple[float, float] | None = None  # the plant: identical lines / units per product

    dict_omit = ("serial",)  # its per-station figures are the ones above, in SI units and arrays

    missing_reasons = {"ci95_units_per_week": ONE_REPLICATION, "ci99_units_per_week": ONE_REPLICATION,
                       "confidence": NO_CONFIDENCE, "ci_units_per_week": NO_CONFIDENCE,
                       "ci_products_per_week": NO_CONFIDENCE}

    def station(self, name: str) -> StationSimulation:
        return lookup(self.stations, name, owner=f"line {self.line!r}", kind="station")

    def __rich__(self):
        from cyclecore.analysis.tables import line_simulation_text

        return line_simulation_text(self)


@dataclass(frozen=True)
class Horizon:
    """The simulated window of ``weeks`` of a calendar: shift hours per week and in all, and the
    warm-up (10% of the production hours) run before counting."""

    hours_per_week: float
    hours: float
    warmup_hours: float
    planned_downtime: float


def horizon(calendar, weeks: float) -> Horizon:
    """The window :func:`simulate` uses for ``weeks`` of ``calendar`` (one source for every caller)."""
    hours_per_week = calendar.shifts_per_day * calendar.hours_per_shift * calendar.days_per_week
    hours = weeks * hours_per_week
    return Horizon(hours_per_week, hours, 0.1 * hours * (1.0 - calendar.planned_downtime), calendar.planned_downtime)


def line_arrays(line: Line, analysis=None) -> dict:
    """The plain arrays :func:`simulate_serial` needs for ``line`` (SI units); ``analysis`` is
    :func:`cyclecore.analysis.deterministic.analyze` of the line when the caller already has it."""
    analysis = analysis if analysis is not None else analyze(line)
    stations = line.stations
    never = [s.reliability is None for s in stations]
    after = [s.manual_bypass.after_min * 60.0 if s.manual_bypass else np.nan for s in stations]
    return dict(
        cycle_s=np.array([c.cycle_s for c in analysis.stations]),
        buffer_places=np.array([s.buffer_after for s in stations[:-1]], dtype=np.int64),
        mtbf_s=np.array([np.inf if n else s.reliability.mtbf_s for s, n in zip(stations, never)]),
        mttr_s=np.array([0.0 if n else s.reliability.mttr_s for s, n in zip(stations, never)]),
        parallel=np.array([s.parallel for s in stations], dtype=np.int64),
        bypass_after_s=np.array(after),
        bypass_cycle_s=np.array([s.manual_bypass.cycle_time_s if s.manual_bypass else np.nan for s in stations]),
        bypass_operators=np.array([s.manual_bypass.operators if s.manual_bypass else 0.0 for s in stations]),
        # random streams keyed by station name: a change at one station leaves the others' luck as it was
        station_keys=np.array([station_key(s.name) for s in stations], dtype=np.int64),
    )


def _in_weeks(error: ValueError, weeks: float, hours_per_week: float) -> ValueError:
    """The simulator's refusal of a request's work (it counts ``hours``) in the words of the
    caller, who asked for ``weeks`` of the calendar: the ceiling's suggestion becomes weeks."""
    import re

    text = str(error)
    if not text.startswith("hours: "):
        return error
    text = re.sub(r"hours <= ([0-9.eE+-]+)",
                  lambda m: f"weeks <= {float(m.group(1)) / hours_per_week:.3g}", text[len("hours: "):])
    text = re.sub(r"^got [0-9.eE+-]+", f"got {weeks:g}", text)
    return ValueError(f"weeks: {text}")


@arguments(line=Instance(Line), weeks=WEEKS, replications=REPLICATIONS, seed=SEED, progress=PROGRESS,
           warmup_hours=Number(at_least=0, optional=True), confidence=CONFIDENCE)
def simulate(line: Line, weeks: float = 1.0, replications: int = 10, seed: int = 0, progress=None,
             failures: str = "exponential", failure_clock: str = "busy", warmup_hours: float | None = None,
             executor=None, confidence: float | None = None) -> LineSimulation:
    """Simulate ``line`` for ``weeks`` of its calendar, ``replications`` times, from ``seed``.

    Same line and seed give the same numbers, bit for bit. ``progress(done, total)`` is called
    after each replication. ``warmup_hours`` (running hours before counting) defaults to 10% of
    the simulated production hours. See :func:`cyclecore.linesim.simulate_serial` for the rest.
    """
    calendar = line.calendar
    window = horizon(calendar, weeks)
    hours_per_week, hours = window.hours_per_week, window.hours
    if warmup_hours is None:
        warmup_hours = window.warmup_hours
    analysis = analyze(line)
    arrays = line_arrays(line, analysis)
    try:
        serial = simulate_serial(**arrays, hours=hours, replications=replications, seed=seed, failures=failures,
                                 failure_clock=failure_clock, warmup_hours=warmup_hours,
                                 planned_downtime=calendar.planned_downtime, executor=executor, progress=progress)
    except ValueError as error:
        raise _in_weeks(error, weeks, hours_per_week) from None
    names = [s.name for s in line.stations]
    per_week = hours_per_week

    def scale(ci):
        return None if ci is None else (ci[0] * per_week, ci[1] * per_week)

    stations = tuple(
        StationSimulation(
            name=name, cycle_s=float(arrays["cycle_s"][i]), parallel=int(arrays["parallel"][i]),
            working=shares.working, blocked=shares.blocked, starved=shares.starved, failed=shares.failed,
            bypassed=shares.bypassed, bottleneck_share=serial.bottleneck.momentary_share[i],
            operator_hours_per_week=serial.operator_hours[i] / weeks)
        for i, (name, shares) in enumerate(zip(names, serial.stations)))
    buffers = tuple(
        BufferSimulation(after=names[j], places=len(levels) - 1,
                         mean_level=float(sum(k * share for k, share in enumerate(levels))),
                         empty_share=levels[0], full_share=levels[-1])
        for j, levels in enumerate(serial.buffer_levels))
    units_per_week = serial.throughput_per_hour * per_week
    return LineSimulation(
        line=line.name,
        weeks=float(weeks),
        replications=serial.replications,
        seed=serial.seed,
        hours_per_week=hours_per_week,
        units_per_week=units_per_week,
        ci95_units_per_week=scale(serial.ci95_per_hour),
        ci99_units_per_week=scale(serial.ci99_per_hour),
        products_per_week=line.products_per_week(units_per_week),
        deterministic_units_per_week=analysis.units_per_week,
        bottleneck_active_period=names[serial.bottleneck.active_period],
        bottleneck_arrow=names[serial.bottleneck.arrow],
        stations=stations,
        buffers=buffers,
        serial=serial,
        **_at_confidence(np.asarray(serial.replication_throughput_per_hour) * per_week, confidence,
                         line.identical_lines / line.units_per_product),
    )


@dataclass(frozen=True)
class PlantLineSimulation(Result):
    """One line design of a plant: every copy simulated as an independent line."""

    name: str
    copies: int
    units_per_week: float  # all copies together, mean over replications
    units_per_week_per_copy: tuple[float, ...]  # mean of each copy
    deterministic_units_per_week: float  # all copies, no failures


@dataclass(frozen=True)
class PlantSimulation(Result):
    """Outcome of :func:`simulate_plant`: plant output per week with confidence intervals."""

    plant: str
    weeks: float
    replications: int
    seed: int
    units_per_product: int
    units_per_week: float
    ci95_units_per_week: tuple[float, float] | None
    ci99_units_per_week: tuple[float, float] | None
    products_per_week: float
    ci99_products_per_week: tuple[float, float] | None
    deterministic_units_per_week: float
    lines: tuple[PlantLineSimulation, ...]
    target_products_per_week: float | None = None
    gap_products_per_week: float | None = None  # target − products_per_week (positive: short)
    replication_units_per_week: tuple[float, ...] = ()  # the plant's output in each replication
    confidence: float | None = None   # the level of ci_* below, when asked for
    ci_units_per_week: tuple[float, float] | None = None
    ci_products_per_week: tuple[float, float] | None = None

    missing_reasons = {name: ONE_REPLICATION for name in
                       ("ci95_units_per_week", "ci99_units_per_week", "ci99_products_per_week")} | {
        "target_products_per_week": NO_TARGET, "gap_products_per_week": NO_TARGET, "confidence": NO_CONFIDENCE,
        "ci_units_per_week": NO_CONFIDENCE, "ci_products_per_week": NO_CONFIDENCE}

    def line(self, name: str) -> PlantLineSimulation:
        return lookup(self.lines, name, owner=f"plant {self.plant!r}", kind="line")

    def __rich__(self):
        from cyclecore.analysis.tables import plant_simulation_text

        return plant_simulation_text(self)


@arguments(plant=Instance(Plant), weeks=WEEKS, replications=REPLICATIONS, seed=SEED, progress=PROGRESS,
           target=TARGET, confidence=CONFIDENCE)
def simulate_plant(plant, weeks: float = 1.0, replications: int = 10, seed: int = 0, progress=None,
                   failures: str = "exponential", failure_clock: str = "busy", executor=None,
                   target: float | None = None, confidence: float | None = None) -> PlantSimulation:
    """Simulate every line of a :class:`~cyclecore.model.plant.Plant`, each copy of a design independently.

    Lines of a plant share nothing (each has its own supply and demand), so the plant's output in
    replication r is the sum over all copies of their output in replication r; the confidence
    intervals are taken over those sums. Every copy gets its own seed, spawned from ``seed`` in
    plant order, so the same plant and seed give the same numbers. ``progress(done, total)``
    counts simulated copies. ``target``: plant output wanted, products per week; the result then
    gives the gap to it.
    """
    from cyclecore.linesim.confidence import mean_interval

    copies = [(design, c) for design in plant.lines for c in range(design.copies)]
    children = np.random.SeedSequence(seed).spawn(len(copies))
    totals = np.zeros(replications)
    per_design: dict[str, list[float]] = {d.name: [] for d in plant.lines}
    deterministic = {d.name: 0.0 for d in plant.lines}
    for done, ((design, _), child) in enumerate(zip(copies, children), start=1):
        run = simulate(design.line, weeks=weeks, replications=replications,
                       seed=int(child.generate_state(1)[0]), failures=failures,
                       failure_clock=failure_clock, executor=executor)
        totals += np.asarray(run.serial.replication_throughput_per_hour) * run.hours_per_week
        per_design[design.name].append(run.units_per_week)
        deterministic[design.name] += run.deterministic_units_per_week
        if progress is not None:
            progress(done, len(copies))
    units = float(np.mean(totals))
    ci99 = mean_interval(totals, 0.99)
    upp = plant.units_per_product
    return PlantSimulation(
        plant=plant.name, weeks=float(weeks), replications=replications, seed=seed, units_per_product=upp,
        units_per_week=units, ci95_units_per_week=mean_interval(totals, 0.95), ci99_units_per_week=ci99,
        products_per_week=units / upp,
        ci99_products_per_week=None if ci99 is None else (ci99[0] / upp, ci99[1] / upp),
        deterministic_units_per_week=float(sum(deterministic.values())),
        lines=tuple(PlantLineSimulation(d.name, d.copies, float(sum(per_design[d.name])),
                                        tuple(per_design[d.name]), deterministic[d.name])
                    for d in plant.lines),
        target_products_per_week=target,
        gap_products_per_week=None if target is None else target - units / upp,
        replication_units_per_week=tuple(float(x) for x in totals),
        **_at_confidence(totals, confidence, 1.0 / upp),
    )


def _at_confidence(per_week, confidence: float | None, products_per_unit: float) -> dict:
    """The ``confidence``-level interval of units and products per week over replications."""
    if confidence is None:
        return {}
    from cyclecore.linesim.confidence import mean_interval

    lo, hi = mean_interval(np.asarray(per_week, dtype=float), confidence)
    return {"confidence": float(confidence), "ci_units_per_week": (lo, hi),
            "ci_products_per_week": (lo * products_per_unit, hi * products_per_unit)}
