"""Station rebalancing on plain arrays: fewest stations for a cycle time (SALBP-1) and shortest
cycle time for a number of stations (SALBP-2).

Tasks are indexed from 0; a precedence pair ``(i, j)`` means task i is done at the same station as
j or an earlier one. Stations are numbered 0, 1, ... in flow order. Task and cycle times are in
seconds (any consistent unit works; integral values are used exactly).

Without zoning the exact branch-bound-and-remember search (:mod:`.bbr`) is used, started from the
best priority-rule balance (:mod:`.priority_rules`) and bounded by :mod:`.bounds`. SALBP-2 is
solved as a sequence of SALBP-1 feasibility questions "does cycle time c fit in m stations?",
bisecting between the cycle-time lower bound and the best balance found. With zoning (tasks that
must share or must not share a station, fixed stations, tool limits) the constrained model of
:mod:`.cpsat` is solved instead.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from cyclecore.arguments import check_time_limit
from cyclecore.results import Result

from . import bbr
from .bounds import cycle_lower_bound, lb2_weights, lb3_weights, station_lower_bound
from .integer_times import integer_scale, scaled_down, scaled_up
from .precedence import TaskGraph, check_precedence, check_task_times, task_graph
from .priority_rules import best_priority_balance, csr

_TABLE_BYTES = 256 * 2**20
_NO_NODE_LIMIT = 2**62
_BATCH = 2  # loads generated per expansion: small batches keep the cyclic search lively


@dataclass(frozen=True)
class Balance(Result):
    """A balance of a line's tasks over its stations.

    ``station`` (n,) int64: station of each task (in the caller's task order), stations numbered
    0, 1, ... in flow order. ``objective``: stations
    (int, SALBP-1) or cycle time in seconds (float, SALBP-2). ``lower_bound``: proven bound on the
    objective. ``proven_optimal``: objective == a proven bound. ``station_time`` (m,): work per
    station in seconds; ``cycle_time`` its maximum. ``method``: which solver produced it.
    """

    station: np.ndarray
    objective: int | float
    lower_bound: int | float
    proven_optimal: bool
    method: str
    station_time: np.ndarray
    nodes: int = 0

    dict_properties = ("stations", "cycle_time")

    @property
    def stations(self) -> int:
        return int(self.station_time.shape[0])

    @property
    def cycle_time(self) -> float:
        return float(self.station_time.max())


@dataclass(frozen=True)
class _IntegerLine:
    """A validated line in flow order with exact integer times (scaled by ``scale``)."""

    graph: TaskGraph
    times: np.ndarray  # float seconds, user order
    t: np.ndarray  # int64, flow order
    head: np.ndarray
    tail: np.ndarray
    scale: int
    csr: tuple
    dom: tuple
    ancestors: np.ndarray  # (n, words) uint64: bitset of every task's transitive predecessors


def _prepare(task_times, precedence, extra=()) -> _IntegerLine:
    times = check_task_times(task_times)
    arcs = check_precedence(precedence, times.shape[0])
    graph = task_graph(times, arcs)
    scale = integer_scale(np.concatenate([times, np.asarray(extra, dtype=np.float64)]))
    t = scaled_up(graph.times, scale)
    after = graph.after.astype(np.int64)
    head = t + after.T @ t
    tail = t + after @ t
    return _IntegerLine(graph, times, t, head, tail, scale, csr(times.shape[0], graph.arcs),
                        bbr.dominators(t, graph.after), _bitsets(graph.after.T))


def _bitsets(rows: np.ndarray) -> np.ndarray:
    """Boolean rows (n, n) packed as uint64 words, bit j of word j // 64 = column j."""
    n = rows.shape[0]
    words = (n + 63) // 64
    padded = np.zeros((n, words * 64), dtype=bool)
    padded[:, :n] = rows
    return np.packbits(padded.reshape(n, words, 64)[:, :, ::-1], axis=2, bitorder="big").view(">u8").reshape(n, words).astype(np.uint64)


def _table(n: int):
    words = (n + 63) // 64
    cap = 1 << 12
    while cap * 2 * (8 * words + 4) <= _TABLE_BYTES and cap < (1 << 24):
        cap *= 2
    return np.zeros((cap, words), dtype=np.uint64), np.zeros(cap, dtype=np.int32)


def _pool(n: int) -> int:
    """Open-state capacity of the search for n tasks within the memory budget."""
    words = (n + 63) // 64
    return max(1 << 16, _TABLE_BYTES // (8 * words + 40))


def _exact_stations(line: _IntegerLine, c: int, incumbent_m: int, incumbent: np.ndarray,
                    lower: int, stop_at: int, time_limit: float, node_limit: int):
    """Run BB&R at integer cycle time ``c``; returns (stations, flow-order station, status, nodes)."""
    t = line.t
    pp, pi, sp, si = line.csr
    keys, vals = _table(t.shape[0])
    station = incumbent.copy()
    tail_st = -((-line.tail) // c)
    m, status, nodes = bbr.bbr_search(
        t, pp, pi, sp, si, line.dom[0], line.dom[1], np.int64(c), lb2_weights(t, c), lb3_weights(t, c), tail_st,
        line.head, line.ancestors,
        int(lower), int(incumbent_m), station, int(stop_at), keys, vals, float(time_limit), int(node_limit), _BATCH, _pool(t.shape[0]),
    )
    return int(m), station, int(status), int(nodes)


def _to_user(line: _IntegerLine, flow_station: np.ndarray) -> np.ndarray:
    station = np.empty_like(flow_station)
    station[line.graph.order] = flow_station
    return station.astype(np.int64)


def _station_time(times: np.ndarray, station: np.ndarray) -> np.ndarray:
    return np.bincount(station, weights=times, minlength=int(station.max()) + 1)


def _check_cycle_time(times: np.ndarray, cycle_time) -> float:
    try:
        c = float(cycle_time)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"cycle_time: expected seconds > 0, got {cycle_time!r}") from exc
    if not (c > 0 and math.isfinite(c)):
        raise ValueError(f"cycle_time: expected finite seconds > 0, got {cycle_time!r}")
    if times.max() > c:
        j = int(np.argmax(times))
        raise ValueError(
            f"task_times: task {j} takes {times[j]} s, longer than cycle_time = {c} s; "
            "it fits in no station"
        )
    return c


def _priority_cycle(line: _IntegerLine, m: int, lo: int):
    """Shortest cycle time (bisected from ``lo``) at which a priority rule fits m stations."""
    t = line.t
    hi = int(t.sum())
    best = np.zeros(t.shape[0], dtype=np.int64)  # one station holds everything at c = sum t
    while lo < hi:
        mid = (lo + hi) // 2
        ub, flow = best_priority_balance(t, line.graph.arcs, line.graph.after, mid)
        if ub <= m:
            hi, best = int(np.bincount(flow, weights=t).max()), flow
        else:
            lo = mid + 1
    return hi, best


def _reversed(times: np.ndarray, precedence) -> _IntegerLine:
    """The same line balanced from the last station backwards: every precedence pair flipped."""
    return _prepare(times, check_precedence(precedence, times.shape[0])[:, ::-1])


def _both_ways(fwd: _IntegerLine, back: _IntegerLine, c: int, ub: int, station: np.ndarray, lb: int,
               stop_at: int, time_limit: float, node_limit: int):
    """BB&R on the line in both directions, half the time each.

    Many lines are far easier to balance from the last station backwards (the bidirectional idea
    of Scholl's SALOME). The direction whose first station has fewer candidate tasks (work ahead
    of them within one cycle) branches less and goes first; the other gets the time left, with the
    incumbent. ``station`` is the incumbent in user order (ignored while ``ub`` is not achieved,
    e.g. m+1 in a feasibility probe). Returns (stations, station (user order), done, states).
    """
    start = time.perf_counter()
    order = [(fwd, False), (back, True)]
    if int((back.head <= c).sum()) < int((fwd.head <= c).sum()):
        order.reverse()
    nodes = 0
    done = False
    for turn, (line, flipped) in enumerate(order):
        left = time_limit / 2 if turn == 0 else max(time_limit - (time.perf_counter() - start), 1e-3)
        incumbent = (ub - 1 - station) if flipped else station
        m, flow, status, more = _exact_stations(line, c, ub, incumbent[line.graph.order], lb, stop_at, left, node_limit)
        nodes += more
        if m < ub:
            ub, station = m, _to_user(line, flow)
            if flipped:
                station = m - 1 - station
        done = status == bbr.PROVEN or ub <= max(lb, stop_at)
        if done:
            break
    return ub, station, done, nodes


def salbp1(task_times, precedence, cycle_time, time_limit: float = 10.0, *, zoning=None, seed: int = 0,
           node_limit: int | None = None) -> Balance:
    """Fewest stations for a cycle time (SALBP-1).

    ``task_times`` (n,) seconds >= 0; ``precedence`` (m, 2) pairs (i, j): i at j's station or
    earlier; ``cycle_time`` seconds; ``time_limit`` seconds of search; ``zoning`` see
    :func:`cyclecore.balancing.cpsat.check_zoning`; ``node_limit`` caps each exact search for
    run-independent results. Returns a :class:`Balance` with ``objective`` = stations.
    """
    times = check_task_times(task_times)
    c = _check_cycle_time(times, cycle_time)
    tl = check_time_limit(time_limit)
    if zoning is not None:
        from .cpsat import solve_zoned

        return solve_zoned(times, precedence, cycle_time=c, stations=None, time_limit=tl, zoning=zoning, seed=seed)
    line = _prepare(times, precedence, [c])
    ci = scaled_down(c, line.scale)
    lb = station_lower_bound(line.t, ci, line.head, line.tail)
    ub, flow = best_priority_balance(line.t, line.graph.arcs, line.graph.after, ci)
    station = _to_user(line, flow)
    method = "priority rules"
    nodes = 0
    proven = ub <= lb
    if not proven:
        method = "branch, bound and remember"
        limit = _NO_NODE_LIMIT if node_limit is None else int(node_limit)
        back = _prepare(times, check_precedence(precedence, times.shape[0])[:, ::-1], [c])
        ub, station, proven, nodes = _both_ways(line, back, ci, ub, station, lb, lb, tl, limit)
        if proven:
            lb = ub
    return Balance(station, int(ub), int(ub if proven else lb), bool(proven), method,
                   _station_time(times, station), nodes)


def salbp2(task_times, precedence, stations: int, time_limit: float = 10.0, *, zoning=None, seed: int = 0,
           node_limit: int | None = None) -> Balance:
    """Shortest cycle time for a number of stations (SALBP-2).

    ``stations`` >= 1; other arguments as :func:`salbp1`. Returns a :class:`Balance` with
    ``objective`` = cycle time in seconds (the largest station work) and ``lower_bound`` a proven
    bound on it.
    """
    times = check_task_times(task_times)
    if isinstance(stations, bool) or not isinstance(stations, (int, np.integer)) or stations < 1:
        raise ValueError(f"stations: expected an integer >= 1, got {stations!r}")
    m = int(stations)
    tl = check_time_limit(time_limit)
    if zoning is not None:
        from .cpsat import solve_zoned

        return solve_zoned(times, precedence, cycle_time=None, stations=m, time_limit=tl, zoning=zoning, seed=seed)
    start = time.perf_counter()
    line = _prepare(times, precedence)
    back = None
    t = line.t
    t_user = scaled_up(times, line.scale)
    lo = cycle_lower_bound(t, m, line.head, line.tail)
    proven_lo = lo
    # first answer: bisect the cycle time for the priority rules
    hi_c, flow = _priority_cycle(line, m, lo)
    hi_station = _to_user(line, flow)
    nodes = 0
    method = "priority rules"
    search_lo = lo
    limit = _NO_NODE_LIMIT if node_limit is None else int(node_limit)
    none = np.zeros(t.shape[0], dtype=np.int64)
    # bisect between the lower bound and the best balance: "does cycle time c fit m stations?"
    while search_lo < hi_c:
        left = tl - (time.perf_counter() - start)
        if left <= 0:
            break
        probes = max(1, math.ceil(math.log2(hi_c - search_lo + 1)))
        c = search_lo + (hi_c - search_lo) // 2
        m_lb = station_lower_bound(t, c, line.head, line.tail)
        feasible = None
        if m_lb > m:
            feasible = False
        else:
            ub, flow = best_priority_balance(t, line.graph.arcs, line.graph.after, c)
            if ub <= m:
                feasible, found = True, _to_user(line, flow)
            else:
                if back is None:
                    back = _reversed(times, precedence)
                got, found, done, n_nodes = _both_ways(line, back, c, m + 1, none, m_lb, m, left / probes, limit)
                nodes += n_nodes
                method = "branch, bound and remember"
                if got <= m:
                    feasible = True
                elif done:
                    feasible = False
        if feasible:
            hi_station = found
            hi_c = int(np.bincount(found, weights=t_user).max())
        else:
            search_lo = c + 1
            if feasible is False:
                # what does not fit at c fits at no shorter cycle either
                proven_lo = max(proven_lo, c + 1)
    # time left after undecided probes: ask for any balance just below the best one, again and
    # again, until one is refuted (then the best one is optimal) or one stays undecided
    while proven_lo < hi_c:
        left = tl - (time.perf_counter() - start)
        if left <= 0.05 * tl:
            break
        c = hi_c - 1
        if back is None:
            back = _reversed(times, precedence)
        m_lb = station_lower_bound(t, c, line.head, line.tail)
        if m_lb > m:
            proven_lo = hi_c
            break
        got, found, done, n_nodes = _both_ways(line, back, c, m + 1, none, m_lb, m, left / 2, limit)
        nodes += n_nodes
        method = "branch, bound and remember"
        if got <= m:
            hi_station = found
            hi_c = int(np.bincount(found, weights=t_user).max())
        elif done:
            proven_lo = hi_c
        else:
            break
    st = _station_time(times, hi_station)
    objective = float(st.max())
    proven = proven_lo >= hi_c
    return Balance(hi_station, objective, objective if proven else float(proven_lo / line.scale), bool(proven),
                   method, st, nodes)
