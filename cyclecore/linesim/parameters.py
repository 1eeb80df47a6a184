"""The serial line as the kernels see it: validated, contiguous arrays in SI units.

Parameters are checked once, here, at the boundary, with the specs of :mod:`cyclecore.arguments`
and the ranges of :mod:`cyclecore.limits` (a real line's cycle times, MTBF, MTTR, buffers, machines,
operators and distribution shapes); a mistake raises ``ValueError`` naming the parameter and what
was expected. The kernels then trust their input: every duration they draw is finite, and the
work of a request is bounded (see :func:`cyclecore.linesim.serial.simulate_serial`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cyclecore import limits
from cyclecore.arguments import Array, Choice, Number, refuse

from .durations import DISTRIBUTIONS, GEOMETRIC, PROCESSING_MODELS, distribution_parameters

FAILURE_CLOCKS = ("busy", "time")


@dataclass(frozen=True)
class SerialLineSpec:
    """A validated serial line: n stations, n-1 buffers, everything as float64/int64 arrays."""

    cycle_s: np.ndarray          # (n,) automatic cycle time per station, s
    buffer_places: np.ndarray    # (n-1,) int, places between station i and i+1
    mtbf_s: np.ndarray           # (n,) mean operating (busy clock) or calendar (time clock) time to failure, s
    mttr_s: np.ndarray           # (n,) mean time to repair, s
    parallel: np.ndarray         # (n,) int, identical machines per station
    bypass_after_s: np.ndarray   # (n,) repair age at which manual bypass starts, inf = never
    bypass_cycle_s: np.ndarray   # (n,) manual cycle time, s
    bypass_operators: np.ndarray  # (n,) operators while bypassed
    failures: int                # durations.EXPONENTIAL ... GEOMETRIC
    processing: int              # durations.DETERMINISTIC or EXPONENTIAL_WORK
    busy_clock: bool
    uptime_params: np.ndarray    # (n, 3) kernel parameters of the time to failure
    repair_params: np.ndarray    # (n, 3) kernel parameters of the repair time
    station_keys: np.ndarray     # (n,) int, each station's random-stream key (position, or a hash of its name)

    @property
    def stations(self) -> int:
        return len(self.cycle_s)

    @property
    def has_bypass(self) -> bool:
        return bool(np.isfinite(self.bypass_after_s).any())


def build_spec(cycle_s, buffer_places, mtbf_s, mttr_s, *, failures="exponential", processing="deterministic",
               failure_clock="busy", parallel=None, bypass_after_s=None, bypass_cycle_s=None,
               bypass_operators=None, weibull_shape=1.5, lognormal_sigma=0.5, station_keys=None) -> SerialLineSpec:
    """Check every parameter of :func:`cyclecore.linesim.simulate_serial` and build the arrays."""
    cycle = Array(nonempty=True, above=limits.CYCLE_S.low, at_most=limits.CYCLE_S.high,
                  what=f"a cycle time {limits.CYCLE_S.text()}").check(cycle_s, "cycle_s")
    n = len(cycle)
    if not limits.SIMULATED_STATIONS.holds(n):
        raise ValueError(f"cycle_s: got {n} stations, expected a number of stations "
                         f"{limits.SIMULATED_STATIONS.text()}")
    places = Array(shape=(n - 1,), integer=True, at_least=limits.BUFFER.low, at_most=limits.BUFFER.high,
                   what=f"a whole number of places {limits.BUFFER.text()}").check(
        np.zeros(n - 1, dtype=np.int64) if buffer_places is None else buffer_places, "buffer_places")

    def per_station(name, value, **spec):  # scalars are broadcast to every station
        return Array(shape=(n,), broadcast=True, **spec).check(value, name)

    mtbf_text = f"a time between failures {limits.MTBF_S.text()} (inf = never fails)"
    mtbf = per_station("mtbf_s", mtbf_s, at_least=limits.MTBF_S.low, finite=False, what=mtbf_text)
    _finite_at_most(mtbf, limits.MTBF_S.high, "mtbf_s", mtbf_text)
    mttr = per_station("mttr_s", mttr_s, at_least=limits.MTTR_S.low, at_most=limits.MTTR_S.high,
                       what=f"a repair time {limits.MTTR_S.text()}")
    failures = Choice(tuple(sorted(DISTRIBUTIONS))).check(failures, "failures")
    processing = Choice(tuple(sorted(PROCESSING_MODELS))).check(processing, "processing")
    failure_clock = Choice(FAILURE_CLOCKS).check(failure_clock, "failure_clock")
    kind = DISTRIBUTIONS[failures]
    if kind == GEOMETRIC:
        if failure_clock != "busy":
            raise ValueError("failure_clock: the geometric failure model counts operating cycles, "
                             "so it needs failure_clock='busy'")
        for i in range(n):
            if mtbf[i] < cycle[i]:
                raise ValueError(f"mtbf_s[{i}]: geometric failures need MTBF >= the cycle time "
                                 f"({cycle[i]} s) so that tau/MTBF is a probability, got {mtbf[i]}")
            if 0 < mttr[i] < cycle[i]:
                raise ValueError(f"mttr_s[{i}]: geometric repairs last whole cycles, so MTTR must be 0 or "
                                 f">= the cycle time ({cycle[i]} s), got {mttr[i]}")
    weibull_shape = Number(at_least=limits.WEIBULL_SHAPE.low, at_most=limits.WEIBULL_SHAPE.high,
                           what=f"a Weibull shape {limits.WEIBULL_SHAPE.text()}").check(weibull_shape,
                                                                                          "weibull_shape")
    lognormal_sigma = Number(above=limits.LOGNORMAL_SIGMA.low, at_most=limits.LOGNORMAL_SIGMA.high,
                             what=f"a log-space sigma {limits.LOGNORMAL_SIGMA.text()}").check(
        lognormal_sigma, "lognormal_sigma")

    par = per_station("parallel", 1 if parallel is None else parallel, integer=True,
                      at_least=limits.PARALLEL.low, at_most=limits.PARALLEL.high,
                      what=f"a whole number of machines per station {limits.PARALLEL.text()}")
    # NaN (or None) means "no bypass" for the station; a bypass only matters after a repair this old
    after_text = f"a repair age {limits.MTTR_S.text()}, or NaN for no bypass"
    after = per_station("bypass_after_s", np.nan if bypass_after_s is None else bypass_after_s,
                        at_least=0, finite=False, allow_nan=True, what=after_text)
    _finite_at_most(after, limits.MTTR_S.high, "bypass_after_s", after_text)
    after = np.where(np.isnan(after), np.inf, after)
    manual = per_station("bypass_cycle_s", np.nan if bypass_cycle_s is None else bypass_cycle_s,
                         finite=False, allow_nan=True)
    operators = per_station("bypass_operators", 0.0 if bypass_operators is None else bypass_operators,
                            finite=False, allow_nan=True)
    for i in np.flatnonzero(np.isfinite(after)):
        if not limits.CYCLE_S.holds(manual[i]):
            refuse(f"bypass_cycle_s[{i}]", manual[i], f"a manual cycle time {limits.CYCLE_S.text()}, since "
                   f"station {i} has a manual bypass")
        if not (math.isfinite(operators[i]) and 0 <= operators[i] <= limits.OPERATORS.high):
            refuse(f"bypass_operators[{i}]", operators[i], f"a number of operators in [0, {limits.OPERATORS.high:,}]")
    manual = np.where(np.isfinite(after), manual, cycle)
    operators = np.where(np.isfinite(after), operators, 0.0)
    keys = (np.arange(n, dtype=np.int64) if station_keys is None else
            Array(shape=(n,), integer=True, at_least=0, what="a stream key >= 0 (an integer)").check(
                station_keys, "station_keys"))
    seen: set[int] = set()
    for i, key in enumerate(keys.tolist()):
        if key in seen:
            refuse(f"station_keys[{i}]", key, "a key no other station has (stations with one key would share "
                   "their random streams)")
        seen.add(key)

    return SerialLineSpec(
        cycle_s=cycle,
        buffer_places=places,
        mtbf_s=mtbf,
        mttr_s=mttr,
        parallel=par,
        bypass_after_s=np.ascontiguousarray(after),
        bypass_cycle_s=np.ascontiguousarray(manual),
        bypass_operators=np.ascontiguousarray(operators),
        failures=kind,
        processing=PROCESSING_MODELS[processing],
        busy_clock=failure_clock == "busy",
        uptime_params=distribution_parameters(kind, mtbf, cycle, weibull_shape, lognormal_sigma),
        repair_params=distribution_parameters(kind, mttr, cycle, weibull_shape, lognormal_sigma),
        station_keys=keys,
    )


def _finite_at_most(values: np.ndarray, high: float, name: str, expected: str) -> None:
    """Finite entries at most ``high`` (inf keeps its meaning: never fails, no bypass)."""
    too_big = np.isfinite(values) & (values > high)
    if too_big.any():
        i = int(np.flatnonzero(too_big)[0])
        refuse(f"{name}[{i}]", values[i], expected)
