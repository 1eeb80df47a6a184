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

from cyclecore.arguments import SEED, TIME_LIMIT, Integer, Number, arguments

from . import bbr
from .bounds import cycle_lower_bound, station_lower_bound
from .integer_times import scaled_down, scaled_up
from .precedence import check_precedence, check_task_times
from .priority_rules import best_priority_balance, priority_cycle
from .problem import Balance, IntegerLine, integer_line, station_times

_NO_NODE_LIMIT = 2**62
_BATCH = 2  # loads generated per expansion: small batches keep the cyclic search lively


@dataclass(frozen=True)
class _Budget:
    """What stops each exact search: the wall clock (``time_limit`` s, shared out between the
    searches), or, reproducibly, ``node_limit`` states per search with the wall clock only a
    safety cap (each search may then use all the time left)."""

    time_limit: float
    node_limit: int | None

    @property
    def states(self) -> int:
        return _NO_NODE_LIMIT if self.node_limit is None else int(self.node_limit)

    def share(self, left: float, parts: int) -> float:
        """Seconds one of ``parts`` searches may take out of ``left``."""
        return left if self.node_limit is not None else left / parts


# What both problems take besides the line: the search budget and, for reproducible results, a
# state count per exact search.
_SEARCH = dict(time_limit=TIME_LIMIT, seed=SEED, node_limit=Integer(at_least=1, optional=True))


def _check_cycle_time(times: np.ndarray, c: float) -> float:
    """A checked cycle time (s) that every task fits in."""
    if times.max() > c:
        j = int(np.argmax(times))
        raise ValueError(
            f"task_times: task {j} takes {times[j]} s, longer than cycle_time = {c} s; "
            "it fits in no station"
        )
    return c


def _reversed(times: np.ndarray, precedence, extra=()) -> IntegerLine:
    """The same line balanced from the last station backwards: every precedence pair flipped."""
    return integer_line(times, check_precedence(precedence, times.shape[0])[:, ::-1], extra)


def _both_ways(fwd: IntegerLine, back: IntegerLine, c: int, ub: int, station: np.ndarray, lb: int,
               stop_at: int, budget: _Budget, time_limit: float):
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
        left = budget.share(time_limit, 2) if turn == 0 else max(time_limit - (time.perf_counter() - start), 1e-3)
        incumbent = (ub - 1 - station) if flipped else station
        m, flow, status, more = bbr.search(line.search, c, ub, incumbent[line.graph.order], lower_bound=lb,
                                           stop_at=stop_at, time_limit=left, node_limit=budget.states, batch=_BATCH)
        nodes += more
        if m < ub:
            ub, station = m, line.to_user(flow)
            if flipped:
                station = m - 1 - station
        done = status == bbr.PROVEN or ub <= max(lb, stop_at)
        if done:
            break
    return ub, station, done, nodes


@arguments(cycle_time=Number(above=0, unit="s"), **_SEARCH)
def salbp1(task_times, precedence, cycle_time, time_limit: float = 10.0, *, zoning=None, seed: int = 0,
           node_limit: int | None = None) -> Balance:
    """Fewest stations for a cycle time (SALBP-1).

    ``task_times`` (n,) seconds >= 0; ``precedence`` (m, 2) pairs (i, j): i at j's station or
    earlier; ``cycle_time`` seconds; ``time_limit`` seconds of search; ``zoning`` see
    :func:`cyclecore.balancing.cpsat.check_zoning`; ``node_limit``: states per exact search (see
    :mod:`.bbr`), for results that do not depend on the machine's speed or load (``time_limit``
    then only caps the wall clock). Returns a :class:`Balance` with ``objective`` = stations.
    """
    times = check_task_times(task_times)
    c = _check_cycle_time(times, cycle_time)
    tl = time_limit
    if zoning is not None:
        from .cpsat import solve_zoned

        return solve_zoned(times, precedence, cycle_time=c, stations=None, time_limit=tl, zoning=zoning, seed=seed)
    line = integer_line(times, precedence, [c])
    ci = scaled_down(c, line.scale)
    lb = station_lower_bound(line.t, ci, line.head, line.tail)
    ub, flow = best_priority_balance(line.t, line.graph.arcs, line.graph.after, ci)
    station = line.to_user(flow)
    method = "priority rules"
    nodes = 0
    proven = ub <= lb
    if not proven:
        method = "branch, bound and remember"
        back = _reversed(times, precedence, [c])
        ub, station, proven, nodes = _both_ways(line, back, ci, ub, station, lb, lb, _Budget(tl, node_limit), tl)
        if proven:
            lb = ub
    return Balance(station, int(ub), int(ub if proven else lb), bool(proven), method,
                   station_times(times, station), nodes)


@arguments(stations=Integer(at_least=1), **_SEARCH)
def salbp2(task_times, precedence, stations: int, time_limit: float = 10.0, *, zoning=None, seed: int = 0,
           node_limit: int | None = None) -> Balance:
    """Shortest cycle time for a number of stations (SALBP-2).

    ``stations`` >= 1; other arguments as :func:`salbp1`. Returns a :class:`Balance` with
    ``objective`` = cycle time in seconds (the largest station work) and ``lower_bound`` a proven
    bound on it.
    """
    times = check_task_times(task_times)
    m, tl = stations, time_limit
    if zoning is not None:
        from .cpsat import solve_zoned

        return solve_zoned(times, precedence, cycle_time=None, stations=m, time_limit=tl, zoning=zoning, seed=seed)
    start = time.perf_counter()
    budget = _Budget(tl, node_limit)
    line = integer_line(times, precedence)
    lo = cycle_lower_bound(line.t, m, line.head, line.tail)
    # first answer: bisect the cycle time for the priority rules
    hi_c, flow = priority_cycle(line.t, line.graph.arcs, line.graph.after, m, lo)
    bisection = _Bisection(line, times, precedence, m, budget, start, lo, hi_c, line.to_user(flow))
    bisection.probe_halves()
    bisection.refute_below_best()
    st = station_times(times, bisection.station)
    objective = float(st.max())
    proven = bisection.proven_lo >= bisection.hi_c
    return Balance(bisection.station, objective, objective if proven else float(bisection.proven_lo / line.scale),
                   bool(proven), bisection.method, st, bisection.nodes)


class _Bisection:
    """SALBP-2 as feasibility questions "does cycle time c fit m stations?" (integer times).

    Holds the best balance found (``station``, user order, at cycle ``hi_c``), the proven lower
    bound ``proven_lo`` and the next cycle time still to ask about, ``search_lo``.
    """

    def __init__(self, line: IntegerLine, times, precedence, m: int, budget: _Budget, start: float, lo: int,
                 hi_c: int, station: np.ndarray):
        self.line, self.times, self.precedence, self.m, self.budget, self.start = (
            line, times, precedence, m, budget, start)
        self.t_user = scaled_up(times, line.scale)
        self.back = None
        self.search_lo = self.proven_lo = lo
        self.hi_c, self.station = hi_c, station
        self.nodes = 0
        self.method = "priority rules"
        self.none = np.zeros(line.t.shape[0], dtype=np.int64)

    def _left(self) -> float:
        return self.budget.time_limit - (time.perf_counter() - self.start)

    def _exact(self, c: int, m_lb: int, time_limit: float):
        """Exact probe at c: (fits, balance in user order or None, decided)."""
        if self.back is None:
            self.back = _reversed(self.times, self.precedence)
        got, found, done, nodes = _both_ways(self.line, self.back, c, self.m + 1, self.none, m_lb, self.m,
                                             self.budget, time_limit)
        self.nodes += nodes
        self.method = "branch, bound and remember"
        return got <= self.m, found, done

    def _improve(self, found: np.ndarray) -> None:
        self.station = found
        self.hi_c = int(np.bincount(found, weights=self.t_user).max())

    def probe_halves(self) -> None:
        """Bisect between the lower bound and the best balance."""
        line, t = self.line, self.line.t
        while self.search_lo < self.hi_c:
            left = self._left()
            if left <= 0:
                break
            probes = max(1, math.ceil(math.log2(self.hi_c - self.search_lo + 1)))
            c = self.search_lo + (self.hi_c - self.search_lo) // 2
            m_lb = station_lower_bound(t, c, line.head, line.tail)
            feasible = None
            if m_lb > self.m:
                feasible = False
            else:
                ub, flow = best_priority_balance(t, line.graph.arcs, line.graph.after, c)
                if ub <= self.m:
                    feasible, found = True, line.to_user(flow)
                else:
                    fits, found, done = self._exact(c, m_lb, self.budget.share(left, probes))
                    if fits:
                        feasible = True
                    elif done:
                        feasible = False
            if feasible:
                self._improve(found)
            else:
                self.search_lo = c + 1
                if feasible is False:
                    # what does not fit at c fits at no shorter cycle either
                    self.proven_lo = max(self.proven_lo, c + 1)

    def refute_below_best(self) -> None:
        """Time left after undecided probes: ask for any balance just below the best one, again
        and again, until one is refuted (then the best one is optimal) or one stays undecided."""
        line = self.line
        while self.proven_lo < self.hi_c:
            left = self._left()
            if left <= 0.05 * self.budget.time_limit:
                break
            c = self.hi_c - 1
            m_lb = station_lower_bound(line.t, c, line.head, line.tail)
            if m_lb > self.m:
                self.proven_lo = self.hi_c
                break
            fits, found, done = self._exact(c, m_lb, self.budget.share(left, 2))
            if fits:
                self._improve(found)
            elif done:
                self.proven_lo = self.hi_c
            else:
                break
