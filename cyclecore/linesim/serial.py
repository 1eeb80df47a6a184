"""The plain-array entry point: simulate a serial line over replications and summarise it."""

from __future__ import annotations

from functools import partial

import numpy as np

from cyclecore import limits
from cyclecore.arguments import PROGRESS, SEED, Choice, Integer, Number, arguments, refuse

from .bottleneck import Bottleneck, active_period_method, arrow_method
from .confidence import mean_interval
from .event_loop import run_event_loop
from .max_plus import run_max_plus
from .parameters import SerialLineSpec, build_spec
from .random_streams import station_streams
from .result import SerialLineResult, StationShares
from .timeline import (
    BOTTLENECK_S, DROPPED, LEVELS, OPERATOR_S, PERIOD_COUNT, PERIOD_TOTAL, buffer_levels, new_timeline,
)

KERNELS = ("auto", "max-plus", "event-loop")
_HORIZON_H = limits.HORIZON_S.high / 3600.0
_MIN_WINDOW_S = 1.0  # an observation window shorter than a second sees no part of any real line


@arguments(hours=Number(above=0, at_most=_HORIZON_H, what=f"a number of hours in (0, {_HORIZON_H:g}]"),
           replications=Integer(at_least=limits.REPLICATIONS[0], at_most=limits.REPLICATIONS[1]), seed=SEED,
           warmup_hours=Number(at_least=0, at_most=_HORIZON_H, optional=True,
                               what=f"a number of hours in [0, {_HORIZON_H:g}] or None"),
           planned_downtime=Number(at_least=0, below=1, what="a share 0 <= x < 1"),
           kernel=Choice(KERNELS), progress=PROGRESS)
def simulate_serial(cycle_s, buffer_places, mtbf_s, mttr_s, hours, replications=10, seed=0,
                    failures="exponential", processing="deterministic", failure_clock="busy",
                    warmup_hours=None, parallel=None, bypass_after_s=None, bypass_cycle_s=None,
                    bypass_operators=None, planned_downtime=0.0, weibull_shape=1.5, lognormal_sigma=0.5,
                    kernel="auto", executor=None, progress=None, station_keys=None) -> SerialLineResult:
    """Simulate a serial line with finite buffers, failures and manual bypass.

    Stations (n) in flow order, unlimited supply in front, unlimited demand behind.

    - cycle_s (n,): automatic cycle time per station, s.
    - buffer_places (n-1,): places between station i and i+1; blocking after service, 0 = a part
      passes directly to the next station when it is free.
    - mtbf_s, mttr_s (n,): mean time between failures (inf = never fails) and mean time to repair,
      s. Scalars are broadcast to every station (also for parallel and the bypass arrays).
    - hours: observed calendar hours per replication, counted after ``warmup_hours`` of running
      (default 10% of ``hours``); ``replications`` independent runs from ``seed``.
    - failures: 'exponential' | 'weibull' (shape ``weibull_shape``) | 'lognormal' (log-space sigma
      ``lognormal_sigma``) | 'geometric' (failure at a cycle start with probability tau/MTBF,
      repairs of whole cycles); every distribution keeps the given mean.
    - processing: 'deterministic' | 'exponential' (mean = cycle time).
    - failure_clock: 'busy' (a station fails only while processing) | 'time' (in any state but
      repair).
    - parallel (n,): identical machines per station (default 1).
    - bypass_after_s, bypass_cycle_s, bypass_operators (n,): a repair longer than bypass_after_s
      turns the station manual at bypass_cycle_s with that many operators until repaired
      (NaN/None = no bypass).
    - planned_downtime: share of calendar time the whole line stands still (state frozen).
    - kernel: 'auto' (max-plus when it is exact, else the event loop) | 'max-plus' | 'event-loop'.
    - station_keys (n,): each station's random-stream key, distinct integers >= 0 (default: its
      position). Pass :func:`~cyclecore.linesim.random_streams.station_key` of each station's name
      and a changed, added or removed station leaves every other station's draws as they were.
    - executor: anything with ``map`` (e.g. ``ThreadPoolExecutor``) to spread replications;
      results are identical whichever runs them. progress: ``progress(done, total)`` after each
      replication.

    Every argument is checked against the ranges of :mod:`cyclecore.limits`, and the work the
    request implies (station-parts and failures over all replications, see :func:`simulated_events`)
    against ``limits.MAX_SIMULATED_EVENTS`` before anything runs.

    Returns a :class:`SerialLineResult`. Raises ValueError naming the parameter on bad input.
    """
    spec = build_spec(cycle_s, buffer_places, mtbf_s, mttr_s, failures=failures, processing=processing,
                      failure_clock=failure_clock, parallel=parallel, bypass_after_s=bypass_after_s,
                      bypass_cycle_s=bypass_cycle_s, bypass_operators=bypass_operators,
                      weibull_shape=weibull_shape, lognormal_sigma=lognormal_sigma, station_keys=station_keys)
    if warmup_hours is None:
        warmup_hours = 0.1 * hours
    chosen = _choose_kernel(spec, kernel)

    t0 = 3600.0 * float(warmup_hours)
    t1 = t0 + 3600.0 * hours * (1.0 - planned_downtime)
    if not limits.HORIZON_S.holds(t1):
        refuse("warmup_hours", warmup_hours, f"warm-up and observed hours together {limits.HORIZON_S.text()}, "
               f"here {hours:g} h observed")
    if not t1 - t0 >= _MIN_WINDOW_S:
        refuse("planned_downtime" if planned_downtime > 0 else "hours", planned_downtime if planned_downtime > 0
               else hours, f"an observed running time of at least {_MIN_WINDOW_S:g} s, here hours x (1 - "
               f"planned_downtime) x 3600 = {t1 - t0:.3g} s")
    _check_work(spec, t1, hours, int(replications))
    run = partial(_replication, spec, chosen, int(seed), t0, t1)
    outcomes = []
    for outcome in (executor.map(run, range(replications)) if executor is not None else map(run, range(replications))):
        outcomes.append(outcome)
        if progress is not None:
            progress(len(outcomes), int(replications))
    return _summarise(spec, outcomes, hours, float(warmup_hours), int(replications), int(seed), chosen, t1 - t0)


def simulated_events(spec: SerialLineSpec, until_s: float, replications: int) -> float:
    """An upper estimate of the work of a request: station-parts plus failures, over all replications.

    No station finishes parts faster than its machines at their fastest cycle (automatic or manual),
    so no part leaves the line faster than the slowest such station allows; a machine fails at most
    once per MTBF of running time. Warm-up included (the kernels simulate from time 0)."""
    fastest_cycle = np.minimum(spec.cycle_s, spec.bypass_cycle_s)
    line_rate = float(np.min(spec.parallel / fastest_cycle))  # parts/s
    parts = until_s * line_rate + 1.0
    failures = float(np.sum(spec.parallel * until_s / spec.mtbf_s))  # inf MTBF gives 0
    return replications * (spec.stations * parts + failures)


def _check_work(spec: SerialLineSpec, until_s: float, hours: float, replications: int) -> None:
    events = simulated_events(spec, until_s, replications)
    ceiling = limits.MAX_SIMULATED_EVENTS
    if events <= ceiling:
        return
    share = ceiling / events
    suggestion = f"hours <= {hours * share:.3g}"
    if int(replications * share) >= 1:
        suggestion += f" or replications <= {int(replications * share)}"
    refuse("hours", hours, f"a request within the ceiling of {ceiling:.3g} simulated station-parts and failures "
           f"(cyclecore.limits.MAX_SIMULATED_EVENTS); {replications} replication(s) of this line need about "
           f"{events:.3g}: use {suggestion}")


def _choose_kernel(spec: SerialLineSpec, kernel: str) -> str:
    max_plus_exact = spec.busy_clock and not spec.has_bypass and bool((spec.parallel == 1).all())
    if kernel == "max-plus" and not max_plus_exact:
        raise ValueError("kernel: 'max-plus' is exact only with failure_clock='busy', one machine per station "
                         "and no manual bypass; use 'event-loop' or 'auto'")
    if kernel == "auto":
        return "max-plus" if max_plus_exact else "event-loop"
    return kernel


def _replication(spec: SerialLineSpec, kernel: str, seed: int, t0: float, t1: float, replication: int):
    """One independent replication; its random streams depend only on (seed, replication, station keys)."""
    states = station_streams(seed, replication, spec.stations, spec.station_keys)
    timeline = new_timeline(spec.stations, spec.buffer_places, t0, t1)
    if kernel == "max-plus":
        units, parts = run_max_plus(spec.cycle_s, spec.buffer_places, spec.processing, spec.failures,
                                    spec.uptime_params, spec.repair_params, states, *timeline)
    else:
        units, parts = run_event_loop(spec.cycle_s, spec.buffer_places, spec.parallel, spec.processing,
                                      spec.failures, spec.uptime_params, spec.repair_params, spec.busy_clock,
                                      spec.bypass_after_s, spec.cycle_s / spec.bypass_cycle_s,
                                      spec.bypass_operators, states, *timeline)
    return int(units), int(parts), timeline


def _summarise(spec, outcomes, hours, warmup_hours, replications, seed, kernel, window_s) -> SerialLineResult:
    units = np.array([o[0] for o in outcomes], dtype=float)
    per_hour = units / hours
    stations = np.mean([o[2].station[:, :LEVELS] for o in outcomes], axis=0)
    shares = stations[:, :5] / window_s
    momentary = stations[:, BOTTLENECK_S] / window_s
    period_total = stations[:, PERIOD_TOTAL]
    period_count = stations[:, PERIOD_COUNT]
    mean_period = np.divide(period_total, period_count, out=np.zeros_like(period_total), where=period_count > 0)
    arrow, arrows, severity = arrow_method(shares[:, 1], shares[:, 2])
    bottleneck = Bottleneck(
        active_period=active_period_method(momentary),
        arrow=arrow,
        momentary_share=tuple(float(x) for x in momentary),
        mean_active_period_s=tuple(float(x) for x in mean_period),
        arrows=arrows,
        severity=severity,
    )
    buffers = []
    for j in range(spec.stations - 1):
        places = int(spec.buffer_places[j])
        hist = np.mean([buffer_levels(o[2].station, j, places) for o in outcomes], axis=0) / window_s
        buffers.append(tuple(float(x) for x in hist))
    operator_hours = stations[:, OPERATOR_S] / 3600.0
    return SerialLineResult(
        throughput_per_hour=float(np.mean(per_hour)),
        ci95_per_hour=mean_interval(per_hour, 0.95),
        ci99_per_hour=mean_interval(per_hour, 0.99),
        units=float(np.mean(units)),
        replication_units=tuple(int(u) for u in units),
        replication_throughput_per_hour=tuple(float(x) for x in per_hour),
        parts_simulated=int(sum(o[1] for o in outcomes)),
        hours=hours,
        warmup_hours=warmup_hours,
        replications=replications,
        seed=seed,
        kernel=kernel,
        stations=tuple(StationShares(*(float(x) for x in row)) for row in shares),
        operator_hours=tuple(float(x) for x in operator_hours),
        buffer_levels=tuple(buffers),
        bottleneck=bottleneck,
        bottleneck_approximations=int(sum(o[2].station[:, DROPPED].sum() for o in outcomes)),
    )
