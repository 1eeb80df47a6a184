"""What a combination of changes makes per week: simulated with failures, judged at a confidence.

A combination is turned into the simulator's plain arrays (cycle and parallel copies per station
from its station options, buffer places, MTTR after repair programmes, the line's MTBF and manual
bypass) and simulated exactly as :func:`cyclecore.simulate` simulates a line (same window,
warm-up and seeds), so a plan's figure is the figure ``cyclecore simulate`` prints for the
changed line. Every candidate uses the same seed: common random numbers, so two plans are
compared on the same luck and the search is a fixed function of its inputs.

The rule: a combination meets a target when the lower end of the two-sided ``confidence``
interval of its mean units/week (Student t over replications) is at least the target.

:func:`output_bound` is a proven upper bound on any replication's units/week, so on the mean
and the lower end too: a candidate whose bound is below what is needed is never simulated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cyclecore.analysis.simulation import horizon
from cyclecore.linesim import simulate_serial
from cyclecore.linesim.confidence import mean_interval
from cyclecore.plan.levers import Simulation


@dataclass(frozen=True)
class LineArrays:
    """A candidate line as the simulator sees it (SI units; one row per station)."""

    cycle_s: tuple[float, ...]
    parallel: tuple[int, ...]
    buffer_places: tuple[int, ...]
    mtbf_s: tuple[float, ...]
    mttr_s: tuple[float, ...]
    bypass_after_s: tuple[float, ...]
    bypass_cycle_s: tuple[float, ...]
    bypass_operators: tuple[float, ...]
    station_keys: tuple[int, ...] | None = None  # random-stream key per station (by name); None: by position


@dataclass(frozen=True)
class Output:
    """Simulated units/week of one candidate: mean, the confidence interval, and the share of time
    each station was the momentary bottleneck (to steer the search)."""

    mean: float
    lower: float
    upper: float
    bottleneck_share: tuple[float, ...]
    failed_share: tuple[float, ...]


def simulate_arrays(arrays: LineArrays, calendar, simulation: Simulation) -> Output:
    """Units/week of ``arrays`` under ``calendar``, measured as ``simulation`` says."""
    window = horizon(calendar, simulation.weeks)
    result = simulate_serial(
        cycle_s=np.array(arrays.cycle_s), buffer_places=np.array(arrays.buffer_places, dtype=np.int64),
        mtbf_s=np.array(arrays.mtbf_s), mttr_s=np.array(arrays.mttr_s),
        parallel=np.array(arrays.parallel, dtype=np.int64), bypass_after_s=np.array(arrays.bypass_after_s),
        bypass_cycle_s=np.array(arrays.bypass_cycle_s), bypass_operators=np.array(arrays.bypass_operators),
        station_keys=None if arrays.station_keys is None else np.array(arrays.station_keys, dtype=np.int64),
        hours=window.hours, replications=simulation.replications, seed=simulation.seed,
        warmup_hours=window.warmup_hours, planned_downtime=window.planned_downtime)
    per_week = np.asarray(result.replication_throughput_per_hour) * window.hours_per_week
    lower, upper = mean_interval(per_week, simulation.confidence)
    return Output(float(np.mean(per_week)), float(lower), float(upper),
                  tuple(float(x) for x in result.bottleneck.momentary_share),
                  tuple(float(s.failed) for s in result.stations))


def output_bound(arrays: LineArrays, calendar, simulation: Simulation) -> float:
    """An upper bound on any replication's units/week (so on the mean and the lower end).

    In the counted window of T running seconds the slowest station (effective cycle c, the faster
    of its automatic and manual cycle, over its p copies) finishes at most p·(T/c + 1) parts, and
    at most every place of the line holds a part at the start of the window."""
    window = horizon(calendar, simulation.weeks)
    running_s = 3600.0 * window.hours * (1.0 - window.planned_downtime)
    cycle = np.array(arrays.cycle_s)
    manual = np.array(arrays.bypass_cycle_s)
    fastest = np.where(np.isfinite(manual), np.minimum(cycle, np.nan_to_num(manual, nan=np.inf)), cycle)
    parallel = np.array(arrays.parallel, dtype=float)
    effective = fastest / parallel
    slowest = int(np.argmax(effective))
    parts = (running_s / effective[slowest] + parallel[slowest]
             + float(np.sum(parallel)) + float(np.sum(arrays.buffer_places)))
    return parts / window.hours * window.hours_per_week
