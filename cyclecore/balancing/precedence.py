"""The precedence graph of a line's tasks: validation, flow order and what each task drags along.

A precedence pair ``(i, j)`` says task ``i`` is done at the same station as ``j`` or at an earlier
one. Every balancing method here works in *flow order* (a topological order in which every
predecessor has a smaller index), and most bounds need, for each task, the total work that must be
done before it (its *head*) and after it (its *tail*). This module checks the user's arrays once,
at the boundary, and computes those quantities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cyclecore import limits
from cyclecore.arguments import Array


# Among ready tasks the longest comes first in flow order: station loads are enumerated in flow
# order, so full stations (the ones a tight balance needs) are met early.
_LONG_FIRST = True


@dataclass(frozen=True)
class TaskGraph:
    """Validated tasks in flow order.

    ``order[k]`` is the user's index of the k-th task in flow order, ``rank[i]`` its inverse.
    ``times`` (n,) and the arrays below are in flow order. ``arcs`` (m, 2) int64 are the distinct
    direct precedence pairs in flow order (``arcs[:, 0] < arcs[:, 1]``). ``head[k]`` is the time of
    task k plus all its (transitive) predecessors; ``tail[k]`` the same with successors.
    ``after`` (n, n) bool: ``after[i, j]`` is True when j is a transitive successor of i.
    """

    order: np.ndarray
    rank: np.ndarray
    times: np.ndarray
    arcs: np.ndarray
    head: np.ndarray
    tail: np.ndarray
    after: np.ndarray

    @property
    def n(self) -> int:
        return int(self.times.shape[0])


TASK_TIMES = Array(nonempty=True, at_least=limits.DURATION_S.low, at_most=limits.DURATION_S.high, unit="s")
PAIRS = Array(shape=("m", 2), integer=True)


def check_task_times(task_times, name: str = "task_times") -> np.ndarray:
    """Task times (n,) as float64 s in [0, 86400], at most ``limits.BALANCING_TASKS`` of them
    (the precedence closure takes n² cells), else ValueError naming ``name``."""
    times = TASK_TIMES.check(task_times, name)
    if times.shape[0] > limits.BALANCING_TASKS.high:
        raise ValueError(f"{name}: got {times.shape[0]:,} tasks, expected {limits.BALANCING_TASKS.text()} "
                         f"({limits.BALANCING_TASKS.reason}); balance the line zone by zone")
    return times


def check_precedence(precedence, n: int, name: str = "precedence") -> np.ndarray:
    """Precedence pairs as an (m, 2) int64 array of task indices in [0, n); ValueError otherwise."""
    if precedence is None:
        return np.zeros((0, 2), dtype=np.int64)
    try:
        empty = np.size(precedence) == 0
    except (TypeError, ValueError):  # ragged: the check below names it
        empty = False
    if empty:
        return np.zeros((0, 2), dtype=np.int64)
    arcs = PAIRS.check(precedence, name)
    bad = (arcs < 0) | (arcs >= n)
    if np.any(bad):
        row = int(np.flatnonzero(bad.any(axis=1))[0])
        raise ValueError(
            f"{name}: pair {row} = {tuple(int(v) for v in arcs[row])} names an unknown task; "
            f"task indices run from 0 to {n - 1}"
        )
    loops = arcs[:, 0] == arcs[:, 1]
    if np.any(loops):
        i = int(arcs[np.flatnonzero(loops)[0], 0])
        raise ValueError(f"{name}: pair ({i}, {i}) makes task {i} its own predecessor (a cycle)")
    return arcs


def task_graph(task_times: np.ndarray, arcs: np.ndarray, name: str = "precedence") -> TaskGraph:
    """Flow order, heads and tails of validated arrays; ValueError naming ``name`` on a cycle."""
    n = task_times.shape[0]
    arcs = np.unique(arcs, axis=0) if arcs.shape[0] else arcs
    indeg = np.zeros(n, dtype=np.int64)
    succ: list[list[int]] = [[] for _ in range(n)]
    for i, j in arcs:
        succ[int(i)].append(int(j))
        indeg[int(j)] += 1
    # Kahn's algorithm taking the smallest ready index first: a deterministic flow order that
    # keeps the user's numbering wherever precedence allows.
    import heapq

    key = (lambda i: (-float(task_times[i]), i)) if _LONG_FIRST else (lambda i: (0.0, i))
    ready = [key(i) for i in range(n) if indeg[i] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        i = heapq.heappop(ready)[1]
        order.append(i)
        for j in succ[i]:
            indeg[j] -= 1
            if indeg[j] == 0:
                heapq.heappush(ready, key(j))
    if len(order) < n:
        stuck = sorted(set(range(n)) - set(order))
        raise ValueError(f"{name}: the pairs contain a cycle through tasks {stuck[:8]}")
    order_a = np.asarray(order, dtype=np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[order_a] = np.arange(n)
    times = task_times[order_a]
    flow_arcs = rank[arcs] if arcs.shape[0] else np.zeros((0, 2), dtype=np.int64)
    if flow_arcs.shape[0]:
        flow_arcs = flow_arcs[np.lexsort((flow_arcs[:, 1], flow_arcs[:, 0]))]
    after = np.zeros((n, n), dtype=bool)
    succ_flow: list[list[int]] = [[] for _ in range(n)]
    for i, j in flow_arcs:
        succ_flow[int(i)].append(int(j))
    for i in range(n - 1, -1, -1):
        row = after[i]
        for j in succ_flow[i]:
            row[j] = True
            row |= after[j]
    tail = times + after.astype(np.float64) @ times
    head = times + after.T.astype(np.float64) @ times
    return TaskGraph(order_a, rank, times, flow_arcs, head, tail, after)
