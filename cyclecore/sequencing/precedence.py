"""Precedence between tasks: "task i is done no later than task j".

Pairs are closed transitively once, so that every later question ("may this segment be
reversed?", "may this task move past that one?") is one look-up in a boolean matrix. A cycle
(i before j before ... before i) can never be honoured and is reported with the tasks on it.
"""

from __future__ import annotations

import numpy as np


def precedence_closure(pairs: np.ndarray, n_tasks: int, name: str = "precedence") -> np.ndarray:
    """(n_tasks+1, n_tasks+1) bool: ``before[a, b]`` when task a must precede task b.

    ``pairs`` (p, 2) int64 with tasks 1..n_tasks. Raises ValueError on a cycle.
    """
    size = n_tasks + 1
    successors: list[list[int]] = [[] for _ in range(size)]
    indegree = np.zeros(size, dtype=np.int64)
    for a, b in pairs:
        successors[a].append(int(b))
        indegree[b] += 1
    # Kahn's order: anything left over sits on (or behind) a cycle.
    ready = [t for t in range(1, size) if indegree[t] == 0]
    topo: list[int] = []
    while ready:
        t = ready.pop()
        topo.append(t)
        for s in successors[t]:
            indegree[s] -= 1
            if indegree[s] == 0:
                ready.append(s)
    if len(topo) != n_tasks:
        raise ValueError(f"{name}: contains a cycle through tasks {_cycle(successors, indegree)}")
    before = np.zeros((size, size), dtype=np.bool_)
    for t in reversed(topo):
        for s in successors[t]:
            before[t, s] = True
            before[t] |= before[s]
    return before


def _cycle(successors: list[list[int]], indegree: np.ndarray) -> list[int]:
    """One cycle among the tasks Kahn's order could not place, for the error message."""
    left = {t for t in range(len(successors)) if indegree[t] > 0}
    # Every task left over still has a predecessor left over, so walking backwards must loop.
    predecessors = {t: [] for t in left}
    for a, succ in enumerate(successors):
        for b in succ:
            if a in left and b in left:
                predecessors[b].append(a)
    start = min(left)
    path, seen = [start], {start: 0}
    while True:
        prev = min(predecessors[path[-1]])
        if prev in seen:
            return list(reversed(path[seen[prev]:])) + [path[-1]]
        seen[prev] = len(path)
        path.append(prev)


def respects_precedence(tasks_in_order, pairs) -> bool:
    """True when every pair (i, j) has i visited before j in ``tasks_in_order``."""
    position = {int(t): k for k, t in enumerate(tasks_in_order)}
    return all(position[int(a)] < position[int(b)] for a, b in pairs)
