"""The serial line as the kernels see it: validated, contiguous arrays in SI units.

Parameters are checked once, here, at the boundary; a mistake raises ``ValueError`` naming the
parameter and what was expected. The kernels then trust their input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

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

    @property
    def stations(self) -> int:
        return len(self.cycle_s)

    @property
    def has_bypass(self) -> bool:
        return bool(np.isfinite(self.bypass_after_s).any())


def _vector(name, value, n, *, allow_none_default=None):
    if value is None:
        value = allow_none_default
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        array = np.full(n, float(array))
    if array.shape != (n,):
        raise ValueError(f"{name}: expected shape ({n},) (one value per station), got shape {array.shape}")
    return np.ascontiguousarray(array)


def _positive_finite(name, array):
    bad = ~(np.isfinite(array) & (array > 0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name}[{i}]: got {array[i]!r}, expected a finite number > 0 (seconds)")


def build_spec(cycle_s, buffer_places, mtbf_s, mttr_s, *, failures="exponential", processing="deterministic",
               failure_clock="busy", parallel=None, bypass_after_s=None, bypass_cycle_s=None,
               bypass_operators=None, weibull_shape=1.5, lognormal_sigma=0.5) -> SerialLineSpec:
    """Check every parameter of :func:`cyclecore.linesim.simulate_serial` and build the arrays."""
    try:
        cycle = np.asarray(cycle_s, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"cycle_s: expected a 1-D array of cycle times in seconds, got {cycle_s!r}") from None
    if cycle.ndim != 1 or len(cycle) < 1:
        raise ValueError(f"cycle_s: expected a 1-D array with one cycle time per station, got shape {cycle.shape}")
    n = len(cycle)
    _positive_finite("cycle_s", cycle)

    places = np.asarray(buffer_places if buffer_places is not None else np.zeros(n - 1), dtype=float)
    if places.shape != (n - 1,):
        raise ValueError(f"buffer_places: expected shape ({n - 1},) (one buffer between consecutive stations), "
                         f"got shape {places.shape}")
    if (~np.isfinite(places) | (places < 0) | (places != np.round(places))).any():
        raise ValueError(f"buffer_places: expected whole numbers >= 0, got {places.tolist()}")

    mtbf = _vector("mtbf_s", mtbf_s, n)
    mttr = _vector("mttr_s", mttr_s, n)
    for i in range(n):
        if not (mtbf[i] > 0) or math.isnan(mtbf[i]):
            raise ValueError(f"mtbf_s[{i}]: got {mtbf[i]!r}, expected > 0 seconds (inf = never fails)")
        if not (math.isfinite(mttr[i]) and mttr[i] >= 0):
            raise ValueError(f"mttr_s[{i}]: got {mttr[i]!r}, expected a finite number >= 0 seconds")

    if failures not in DISTRIBUTIONS:
        raise ValueError(f"failures: got {failures!r}, expected one of {sorted(DISTRIBUTIONS)}")
    if processing not in PROCESSING_MODELS:
        raise ValueError(f"processing: got {processing!r}, expected one of {sorted(PROCESSING_MODELS)}")
    if failure_clock not in FAILURE_CLOCKS:
        raise ValueError(f"failure_clock: got {failure_clock!r}, expected one of {list(FAILURE_CLOCKS)}")
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
    if not (math.isfinite(weibull_shape) and weibull_shape > 0):
        raise ValueError(f"weibull_shape: got {weibull_shape!r}, expected a finite number > 0")
    if not (math.isfinite(lognormal_sigma) and lognormal_sigma > 0):
        raise ValueError(f"lognormal_sigma: got {lognormal_sigma!r}, expected a finite number > 0")

    par = _vector("parallel", parallel, n, allow_none_default=1)
    if (~np.isfinite(par) | (par < 1) | (par != np.round(par))).any():
        raise ValueError(f"parallel: expected whole numbers >= 1 (machines per station), got {par.tolist()}")

    after = _vector("bypass_after_s", bypass_after_s, n, allow_none_default=np.nan)
    after = np.where(np.isnan(after), np.inf, after)
    if (after < 0).any():
        raise ValueError(f"bypass_after_s: expected >= 0 seconds or NaN (no bypass), got {after.tolist()}")
    manual = _vector("bypass_cycle_s", bypass_cycle_s, n, allow_none_default=np.nan)
    operators = _vector("bypass_operators", bypass_operators, n, allow_none_default=0.0)
    for i in range(n):
        if math.isfinite(after[i]):
            if not (math.isfinite(manual[i]) and manual[i] > 0):
                raise ValueError(f"bypass_cycle_s[{i}]: station {i} has a manual bypass, so it needs a manual "
                                 f"cycle time > 0 seconds, got {manual[i]!r}")
            if not (math.isfinite(operators[i]) and operators[i] >= 0):
                raise ValueError(f"bypass_operators[{i}]: expected a finite number >= 0, got {operators[i]!r}")
    manual = np.where(np.isfinite(after), manual, cycle)
    operators = np.where(np.isfinite(after), operators, 0.0)

    return SerialLineSpec(
        cycle_s=np.ascontiguousarray(cycle),
        buffer_places=np.ascontiguousarray(places.astype(np.int64)),
        mtbf_s=mtbf,
        mttr_s=mttr,
        parallel=np.ascontiguousarray(par.astype(np.int64)),
        bypass_after_s=np.ascontiguousarray(after),
        bypass_cycle_s=np.ascontiguousarray(manual),
        bypass_operators=np.ascontiguousarray(operators),
        failures=kind,
        processing=PROCESSING_MODELS[processing],
        busy_clock=failure_clock == "busy",
        uptime_params=distribution_parameters(kind, mtbf, cycle, weibull_shape, lognormal_sigma),
        repair_params=distribution_parameters(kind, mttr, cycle, weibull_shape, lognormal_sigma),
    )
