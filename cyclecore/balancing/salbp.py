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

Determinism: the exact searches stop on counts, never on the clock. ``time_limit`` is turned into
an effort of ``STATES_PER_SECOND`` search states per second (about that many seconds on this
project's 2-core reference machine), shared out between the searches as they run; ``node_limit``
instead gives every exact search its own count. The same input then gives the same balance on a
busy or an idle machine. The wall clock is only a safety cap at ten times the time limit (at
least 10 s; :func:`.cpsat.wall_clock_cap`, shared with the constrained model); when it fires, the :class:`Balance` says so (``clock_capped``), since that answer may differ
from run to run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cyclecore import limits
from cyclecore.arguments import SEED, TIME_LIMIT, Integer, Number, arguments

from . import bbr
from .bounds import cycle_lower_bound, station_lower_bound
from .integer_times import scaled_down, scaled_up
from .precedence import check_precedence, check_task_times
from .priority_rules import best_priority_balance, priority_cycle
from .problem import Balance, IntegerLine, integer_line, station_times

_BATCH = 2  # loads generated per expansion: small batches keep the cyclic search lively

# Effort per second of time limit: BB&R charges 5,000 to 6,400 states per second on this project's
# 2-core reference machine at load average 10 (Scholl's WEE-MAG, WARNECKE, ARC111 and BARTHOL2
# graphs), about four times that on an idle core: the effort takes about the time limit there,
# and the clock cap (ten times the limit) stays clear of it even on the busy machine. A count,
# not a clock, keeps the answer repeatable.
STATES_PER_SECOND = 20_000


@dataclass
class _Budget:
    """What stops the exact searches of one call (module docstring): ``states_left`` of the
    effort counted from ``time_limit``, or, with ``node_limit``, that many states per exact
    search; and the wall clock at :func:`.cpsat.wall_clock_cap` as a safety cap
    (``clock_capped`` once it fired)."""

    time_limit: float
    node_limit: int | None
    clock_used: float = 0.0  # seconds the searches ran (their own clocks: compilation excluded)
    states_left: int = 0
    clock_capped: bool = False

    def __post_init__(self):
        self.total = max(1, int(STATES_PER_SECOND * self.time_limit))
        self.states_left = self.total

    def clock_left(self) -> float:
        """Seconds before the safety cap fires (as CP-SAT's: :func:`.cpsat.wall_clock_cap`)."""
        from .cpsat import wall_clock_cap

        return wall_clock_cap(self.time_limit) - self.clock_used

    def exhausted(self, reserve: float = 0.0) -> bool:
        """No effort left (beyond ``reserve``, a share of the whole) or the clock cap fired."""
        if self.clock_capped:
            return True
        return self.node_limit is None and self.states_left <= reserve * self.total

    def allowance(self, parts: int) -> int:
        """States one of ``parts`` coming searches may use (``node_limit`` when given)."""
        if self.node_limit is not None:
            return int(self.node_limit)
        return max(1, self.states_left // max(parts, 1))

    def search(self, line, c: int, ub: int, incumbent: np.ndarray, *, lower_bound: int, stop_at: int,
               states: int):
        """One BB&R search within ``states`` and the clock cap; the states it used are spent."""
        left = self.clock_left()
        if left <= 0:
            self.clock_capped = True
            return ub, incumbent, bbr.TIME_LIMIT, 0
        m, flow, status, used, seconds = bbr.search_timed(line, c, ub, incumbent, lower_bound=lower_bound,
                                                          stop_at=stop_at, time_limit=left,
                                                          node_limit=max(1, int(states)), batch=_BATCH)
        self.states_left -= used
        self.clock_used += seconds
        if status == bbr.TIME_LIMIT:
            self.clock_capped = True
        return m, flow, status, used


# What both problems take besides the line: the effort (s on the reference machine), the seed of
# the CP-SAT model and, for a fixed effort per search, a state count per exact search.
_SEARCH = dict(time_limit=TIME_LIMIT, seed=SEED,
               node_limit=Integer(at_least=1, at_most=2**62, optional=True))
_CYCLE_TIME = Number(at_least=1e-6, at_most=limits.CYCLE_S.high, unit="s",
                     what=f"a cycle time in [1e-06, {limits.CYCLE_S.high:g}] s (microsecond resolution)")
_STATIONS = Integer(at_least=1, at_most=limits.BALANCING_TASKS.high)


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
               stop_at: int, budget: _Budget, states: int):
    """BB&R on the line in both directions, half the effort each.

    Many lines are far easier to balance from the last station backwards (the bidirectional idea
    of Scholl's SALOME). The direction whose first station has fewer candidate tasks (work ahead
    of them within one cycle) branches less and goes first; the other gets the effort left of
    ``states``, with the incumbent (with ``node_limit``, each gets ``node_limit``). ``station``
    is the incumbent in user order (ignored while ``ub`` is not achieved, e.g. m+1 in a
    feasibility probe). Returns (stations, station (user order), done, states).
    """
    order = [(fwd, False), (back, True)]
    if int((back.head <= c).sum()) < int((fwd.head <= c).sum()):
        order.reverse()
    nodes = 0
    done = False
    for turn, (line, flipped) in enumerate(order):
        if budget.clock_capped:
            break
        share = states if budget.node_limit is not None else (states // 2 if turn == 0 else states - nodes)
        incumbent = (ub - 1 - station) if flipped else station
        m, flow, status, more = budget.search(line.search, c, ub, incumbent[line.graph.order], lower_bound=lb,
                                              stop_at=stop_at, states=max(1, share))
        nodes += more
        if m < ub:
            ub, station = m, line.to_user(flow)
            if flipped:
                station = m - 1 - station
        done = status == bbr.PROVEN or ub <= max(lb, stop_at)
        if done:
            break
    return ub, station, done, nodes


@arguments(cycle_time=_CYCLE_TIME, **_SEARCH)
def salbp1(task_times, precedence, cycle_time, time_limit: float = 10.0, *, zoning=None, seed: int = 0,
           node_limit: int | None = None) -> Balance:
    """Fewest stations for a cycle time (SALBP-1).

    ``task_times`` (n,) seconds in [0, 86400], at most 2,000 tasks; ``precedence`` (m, 2) pairs
    (i, j): i at j's station or earlier; ``cycle_time`` seconds; ``time_limit``: the search's
    effort, in seconds on the reference machine (module docstring; the wall clock is capped at
    ten times it, at least 10 s); ``zoning`` see :func:`cyclecore.balancing.cpsat.check_zoning`;
    ``node_limit``: states per exact search instead (see :mod:`.bbr`); ``seed``: CP-SAT's (with
    zoning). Returns a :class:`Balance` with ``objective`` = stations; ``clock_capped`` says
    whether the safety cap stopped a search.
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
    budget = _Budget(tl, node_limit)
    if not proven:
        method = "branch, bound and remember"
        back = _reversed(times, precedence, [c])
        ub, station, proven, nodes = _both_ways(line, back, ci, ub, station, lb, lb, budget, budget.allowance(1))
        if proven:
            lb = ub
    return Balance(station, int(ub), int(ub if proven else lb), bool(proven), method,
                   station_times(times, station), nodes, budget.clock_capped)


@arguments(stations=_STATIONS, **_SEARCH)
def salbp2(task_times, precedence, stations: int, time_limit: float = 10.0, *, zoning=None, seed: int = 0,
           node_limit: int | None = None) -> Balance:
    """Shortest cycle time for a number of stations (SALBP-2).

    ``stations`` in [1, 2000]; other arguments as :func:`salbp1`. Returns a :class:`Balance`
    with ``objective`` = cycle time in seconds (the largest station work) and ``lower_bound`` a
    proven bound on it.
    """
    times = check_task_times(task_times)
    m, tl = stations, time_limit
    if zoning is not None:
        from .cpsat import solve_zoned

        return solve_zoned(times, precedence, cycle_time=None, stations=m, time_limit=tl, zoning=zoning, seed=seed)
    budget = _Budget(tl, node_limit)
    line = integer_line(times, precedence)
    if int(line.t.sum()) == 0:  # no work to share: every balance has cycle time 0
        station = np.zeros(times.shape[0], dtype=np.int64)
        return Balance(station, 0.0, 0.0, True, "no work to share", station_times(times, station))
    lo = cycle_lower_bound(line.t, m, line.head, line.tail)
    # first answer: bisect the cycle time for the priority rules
    hi_c, flow = priority_cycle(line.t, line.graph.arcs, line.graph.after, m, lo)
    bisection = _Bisection(line, times, precedence, m, budget, lo, hi_c, line.to_user(flow))
    bisection.probe_halves()
    bisection.refute_below_best()
    st = station_times(times, bisection.station)
    objective = float(st.max())
    proven = bisection.proven_lo >= bisection.hi_c
    return Balance(bisection.station, objective, objective if proven else float(bisection.proven_lo / line.scale),
                   bool(proven), bisection.method, st, bisection.nodes, budget.clock_capped)


class _Bisection:
    """SALBP-2 as feasibility questions "does cycle time c fit m stations?" (integer times).

    Holds the best balance found (``station``, user order, at cycle ``hi_c``), the proven lower
    bound ``proven_lo`` and the next cycle time still to ask about, ``search_lo``.
    """

    def __init__(self, line: IntegerLine, times, precedence, m: int, budget: _Budget, lo: int,
                 hi_c: int, station: np.ndarray):
        self.line, self.times, self.precedence, self.m, self.budget = line, times, precedence, m, budget
        self.t_user = scaled_up(times, line.scale)
        self.back = None
        self.search_lo = self.proven_lo = lo
        self.hi_c, self.station = hi_c, station
        self.nodes = 0
        self.method = "priority rules"
        self.none = np.zeros(line.t.shape[0], dtype=np.int64)

    def _exact(self, c: int, m_lb: int, states: int):
        """Exact probe at c within ``states``: (fits, balance in user order or None, decided)."""
        if self.back is None:
            self.back = _reversed(self.times, self.precedence)
        got, found, done, nodes = _both_ways(self.line, self.back, c, self.m + 1, self.none, m_lb, self.m,
                                             self.budget, states)
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
            if self.budget.exhausted():
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
                    fits, found, done = self._exact(c, m_lb, self.budget.allowance(probes))
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
        """Effort left after undecided probes: ask for any balance just below the best one, again
        and again, until one is refuted (then the best one is optimal) or one stays undecided."""
        line = self.line
        while self.proven_lo < self.hi_c:
            if self.budget.exhausted(reserve=0.05):
                break
            c = self.hi_c - 1
            m_lb = station_lower_bound(line.t, c, line.head, line.tail)
            if m_lb > self.m:
                self.proven_lo = self.hi_c
                break
            fits, found, done = self._exact(c, m_lb, self.budget.allowance(2))
            if fits:
                self._improve(found)
            elif done:
                self.proven_lo = self.hi_c
            else:
                break
