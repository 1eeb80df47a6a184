"""A line design with some of its changes landed: its stations as the simulator and the weekly
figures see them, built from caches so that a new set of landed changes re-evaluates only the
stations those changes touch.

Changes apply in plan order, line-level ones (declared options, zone rebalances) first, then each
station's own changes in turn — as ``cyclecore apply`` applies a plan — so the state with every
change landed is the changed line of the plan. With only some landed:

- the *context* line is the line with the landed line-level changes applied (remembered by those
  changes);
- each station's value is the context's station with its landed station changes applied one after
  another (remembered by every prefix of that chain, so landing one more change costs one step);
- each station value is evaluated once (:func:`cyclecore.analysis.deterministic.station_cycle`:
  exact moves), remembered by the value itself.

A change that cannot apply yet because it builds on one that has not landed (a speed-up of a
robot still to be added) waits: it takes effect in the first state where it applies. With every
change landed each one must apply; otherwise the input is refused, naming the change.

The caches are shared by every ramp in the process (keyed by the line's fingerprint and the change
values) and bounded, like the robot programs of :mod:`cyclecore.robot.cell`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cyclecore.analysis.deterministic import station_cycle
from cyclecore.linesim.random_streams import station_key
from cyclecore.model.errors import LineFileError
from cyclecore.model.line import Line, Station

KEPT = 4096
_CONTEXTS: dict = {}  # (fingerprint, line-level changes) -> (Line, applied flags, first error)
_CHAINS: dict = {}    # (fingerprint, line-level changes, station, station changes) -> (Station, applied, error)
_CYCLES: dict = {}    # (fingerprint, Station) -> (cycle_s, effective_cycle_s)


def _remember(cache: dict, key, value):
    if len(cache) >= KEPT:
        cache.clear()
    cache[key] = value
    return value


def _error_text(error: Exception) -> str:
    if isinstance(error, KeyError) and error.args:
        return str(error.args[0])
    return str(error)


@dataclass(frozen=True)
class LineState:
    """One copy of a line design with some changes in effect (SI units, one row per station).

    ``applied``: indices (into the design's list of changes) of the changes in effect;
    ``standby_operators``: operators of its manual bypasses, on call every shift."""

    stations: tuple[str, ...]
    cycle_s: np.ndarray
    parallel: np.ndarray
    effective_cycle_s: np.ndarray
    availability: np.ndarray
    mtbf_s: np.ndarray
    mttr_s: np.ndarray
    buffer_places: np.ndarray
    bypass_after_s: np.ndarray
    bypass_cycle_s: np.ndarray
    bypass_operators: np.ndarray
    station_keys: np.ndarray
    applied: tuple[int, ...]
    standby_operators: float

    @property
    def capacity_per_s(self) -> float:
        """Units per second of running time without failures: one per slowest effective cycle."""
        return 1.0 / float(np.max(self.effective_cycle_s))


class DesignStates:
    """The states of one line design, by the set of its changes landed.

    ``changes``: the design's changes in plan order (Change values); ``where``: how the input named
    each (for messages); ``fingerprint``: the base line's (cache key)."""

    def __init__(self, line: Line, fingerprint: str, changes, where, line_level):
        self.line = line
        self.fingerprint = fingerprint
        self.changes = tuple(changes)
        self.where = tuple(where)
        self.line_level = tuple(bool(x) for x in line_level)
        self.names = tuple(s.name for s in line.stations)
        self.station_of = tuple(None if self.line_level[i] else c.station for i, c in enumerate(self.changes))
        self._states: dict[frozenset, LineState] = {}

    def state(self, landed: frozenset, strict: bool = False) -> LineState:
        """The state with the changes ``landed`` (indices into the design's changes) landed.
        ``strict``: every landed change must apply (``ValueError`` naming it otherwise)."""
        found = self._states.get(landed)
        if found is not None and not strict:
            return found
        order = sorted(landed)
        context_ids = tuple(i for i in order if self.line_level[i])
        line, applied, error = self._context(context_ids)
        if strict and error is not None:
            raise ValueError(error)
        in_effect = [i for i, ok in zip(context_ids, applied) if ok]
        context_key = tuple(self.changes[i] for i in context_ids)
        values = []
        for name in self.names:
            chain = tuple(i for i in order if self.station_of[i] == name)
            station, flags, chain_error = self._chain(context_key, line, name, chain)
            if strict and chain_error is not None:
                raise ValueError(chain_error)
            in_effect += [i for i, ok in zip(chain, flags) if ok]
            values.append(station)
        state = self._build(line, values, tuple(sorted(in_effect)))
        self._states[landed] = state
        return state

    # ---------------------------------------------------------------------------------- caches
    def _context(self, ids: tuple[int, ...]):
        key = (self.fingerprint, tuple(self.changes[i] for i in ids))
        found = _CONTEXTS.get(key)
        if found is not None:
            return found
        line, applied, error = self.line, [], None
        for i in ids:
            try:
                line = self.changes[i].apply(line)
                applied.append(True)
            except (KeyError, ValueError, LineFileError) as problem:
                applied.append(False)
                error = error or f"{self.where[i]}: {_error_text(problem)}"
        return _remember(_CONTEXTS, key, (line, tuple(applied), error))

    def _chain(self, context_key, line: Line, name: str, ids: tuple[int, ...]):
        key = (self.fingerprint, context_key, name, tuple(self.changes[i] for i in ids))
        found = _CHAINS.get(key)
        if found is not None:
            return found
        if not ids:
            return _remember(_CHAINS, key, (line.station(name), (), None))
        station, flags, error = self._chain(context_key, line, name, ids[:-1])
        last = ids[-1]
        try:
            station = self.changes[last].on_station(line, station)
            flags = flags + (True,)
        except (KeyError, ValueError, LineFileError) as problem:
            flags = flags + (False,)
            error = error or f"{self.where[last]}: {_error_text(problem)}"
        return _remember(_CHAINS, key, (station, flags, error))

    def _cycle(self, line: Line, station: Station):
        key = (self.fingerprint, station)
        found = _CYCLES.get(key)
        if found is None:
            cycle = station_cycle(line, station)
            found = _remember(_CYCLES, key, (cycle.cycle_s, cycle.effective_cycle_s))
        return found

    def _build(self, line: Line, stations, applied: tuple[int, ...]) -> LineState:
        cycles = [self._cycle(line, s) for s in stations]
        mtbf = np.array([s.reliability.mtbf_s if s.reliability else math.inf for s in stations])
        mttr = np.array([s.reliability.mttr_s if s.reliability else 0.0 for s in stations])
        fails = np.isfinite(mtbf)
        availability = np.ones(len(stations))
        availability[fails] = mtbf[fails] / (mtbf[fails] + mttr[fails])
        bypass = [s.manual_bypass for s in stations]
        return LineState(
            stations=self.names,
            cycle_s=np.array([c[0] for c in cycles]),
            parallel=np.array([s.parallel for s in stations], dtype=np.int64),
            effective_cycle_s=np.array([c[1] for c in cycles]),
            availability=availability,
            mtbf_s=mtbf, mttr_s=mttr,
            buffer_places=np.array([s.buffer_after for s in stations[:-1]], dtype=np.int64),
            bypass_after_s=np.array([b.after_min * 60.0 if b else math.nan for b in bypass]),
            bypass_cycle_s=np.array([b.cycle_time_s if b else math.nan for b in bypass]),
            bypass_operators=np.array([float(b.operators) if b else 0.0 for b in bypass]),
            station_keys=np.array([station_key(name) for name in self.names], dtype=np.int64),
            applied=applied,
            standby_operators=float(sum(b.operators for b in bypass if b)),
        )
