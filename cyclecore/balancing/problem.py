"""The line-balancing problem as every method here shares it: an instance, a balance, and the
line prepared once with exact integer times.

An :class:`Instance` is what the readers (:mod:`.scholl`, :mod:`.otto`) give and the benchmark
lists (:mod:`.instances`) pair with cycle times or station counts; a :class:`Balance` is what
every solver (:mod:`.salbp`, :mod:`.cpsat`) returns; an :class:`IntegerLine` is the validated
line in flow order with integer task times, so that every comparison in the searches is exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from cyclecore.results import Result

from .bbr import SearchLine, search_line
from .integer_times import integer_scale, scaled_up
from .precedence import TaskGraph, check_precedence, check_task_times, task_graph


@dataclass(frozen=True)
class Instance(Result):
    """Task times (n,), precedence pairs (m, 2) 0-based, and the file's cycle time if any."""

    name: str
    task_times: np.ndarray
    precedence: np.ndarray
    cycle_time: float | None = None
    order_strength: float | None = None

    missing_reasons = {"cycle_time": "the file gives no cycle time",
                       "order_strength": "the file gives no order strength"}

    @property
    def n(self) -> int:
        return int(self.task_times.shape[0])


@dataclass(frozen=True)
class Balance(Result):
    """A balance of a line's tasks over its stations.

    ``station`` (n,) int64: station of each task (in the caller's task order), stations numbered
    0, 1, ... in flow order. ``objective``: stations
    (int, SALBP-1) or cycle time in seconds (float, SALBP-2). ``lower_bound``: proven bound on the
    objective. ``proven_optimal``: objective == a proven bound. ``station_time`` (m,): work per
    station in seconds; ``cycle_time`` its maximum. ``method``: which solver produced it.
    ``nodes``: search states charged. ``clock_capped``: the wall-clock safety cap, not the
    effort limit, stopped a search, so the same call on a less busy machine may give another
    balance (see :mod:`.salbp`).
    """

    station: np.ndarray
    objective: int | float
    lower_bound: int | float
    proven_optimal: bool
    method: str
    station_time: np.ndarray
    nodes: int = 0
    clock_capped: bool = False

    dict_properties = ("stations", "cycle_time")

    @property
    def stations(self) -> int:
        return int(self.station_time.shape[0])

    @property
    def cycle_time(self) -> float:
        return float(self.station_time.max())


@dataclass(frozen=True)
class IntegerLine:
    """A validated line in flow order with exact integer times: seconds times ``scale``.

    ``graph``: the precedence graph (flow order, see :class:`~.precedence.TaskGraph`);
    ``times`` (n,) float seconds in the caller's task order; ``t`` (n,) int64 task times in flow
    order, ``head`` / ``tail`` (n,) a task's time plus all its predecessors' / successors'.
    """

    graph: TaskGraph
    times: np.ndarray
    scale: int
    t: np.ndarray
    head: np.ndarray
    tail: np.ndarray

    @cached_property
    def search(self) -> SearchLine:
        """The line as the exact search reads it (built on first use: only BB&R needs it)."""
        return search_line(self.t, self.head, self.tail, self.graph.arcs, self.graph.after)

    def to_user(self, flow_station: np.ndarray) -> np.ndarray:
        """Stations (n,) given in flow order, in the caller's task order (int64)."""
        station = np.empty_like(flow_station)
        station[self.graph.order] = flow_station
        return station.astype(np.int64)


def integer_line(task_times, precedence, extra=()) -> IntegerLine:
    """Check ``task_times`` (n,) s and ``precedence`` (m, 2) and scale them to integers; the
    scale also makes every time in ``extra`` (e.g. a cycle time, s) integral."""
    times = check_task_times(task_times)
    graph = task_graph(times, check_precedence(precedence, times.shape[0]))
    scale = integer_scale(np.concatenate([times, np.asarray(extra, dtype=np.float64)]))
    t = scaled_up(graph.times, scale)
    follows = graph.after.astype(np.int64)
    return IntegerLine(graph, times, scale, t, t + follows.T @ t, t + follows @ t)


def station_times(times: np.ndarray, station: np.ndarray) -> np.ndarray:
    """Work per station (m,) in the unit of ``times`` (n,), for 0-based ``station`` (n,)."""
    return np.bincount(station, weights=times, minlength=int(station.max()) + 1)
