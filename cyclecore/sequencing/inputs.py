"""Checking sequencing inputs once, at the boundary, and turning them into kernel arrays.

A robot's sequencing problem is a move-time matrix over *nodes* (node 0 is the robot's home, the
others are task configurations) plus, optionally, *alternatives*: groups of nodes that are
different IK configurations of the same task, of which exactly one is visited. Without
alternatives every node 1..n-1 is its own task. Precedence pairs name *tasks* (1..m), never the
home, and are closed transitively here so the kernels can test "must task a come before task b"
with one array look-up.

Every mistake raises :class:`ValueError` naming the argument and what was expected, in the form
of :mod:`cyclecore.arguments`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cyclecore import limits
from cyclecore.arguments import Array, refuse
from cyclecore.sequencing.precedence import precedence_closure


@dataclass(frozen=True)
class Tour:
    """A validated single-robot problem in kernel form.

    ``times`` (N, N) float64 s, inf = forbidden arc; ``task_of_node`` (N,) int64 (node 0 -> task
    0 = home); ``task_start``/``task_nodes`` list the nodes of task t as
    ``task_nodes[task_start[t]:task_start[t+1]]``; ``before`` (m+1, m+1) bool, the transitive
    closure of precedence over tasks; ``pairs`` (p, 2) int64, the given precedence pairs.
    """

    times: np.ndarray
    task_of_node: np.ndarray
    task_start: np.ndarray
    task_nodes: np.ndarray
    before: np.ndarray
    pairs: np.ndarray

    @property
    def n_nodes(self) -> int:
        return self.times.shape[0]

    @property
    def n_tasks(self) -> int:
        """Number of tasks, home excluded."""
        return self.task_start.shape[0] - 2

    @property
    def has_alternatives(self) -> bool:
        return self.n_nodes != self.n_tasks + 1


# Square, at least the home node; an entry is a move time, inf where the move is forbidden. A
# finite move is at most a day (limits.DURATION_S): sums of a route stay finite and exact.
TIME_MATRIX = Array(shape=("n", "n"), nonempty=True, at_least=limits.DURATION_S.low, at_most=limits.DURATION_S.high,
                    or_inf=True, what=f"a move time {limits.DURATION_S.text()}, or inf for a forbidden arc")
PAIR = "a pair (i, j) of integer task numbers"


def check_time_matrix(time_matrix, name: str = "time_matrix") -> np.ndarray:
    """A square float64 matrix of move times in s: in [0, 86400], or +inf for a forbidden arc, at
    most ``limits.ROUTE_NODES`` nodes. A copy: the solvers own it."""
    if isinstance(time_matrix, np.ndarray) and time_matrix.ndim == 2 and time_matrix.shape[0] > limits.ROUTE_NODES.high:
        raise ValueError(f"{name}: got {time_matrix.shape[0]:,} nodes, expected {limits.ROUTE_NODES.text()} "
                         f"({limits.ROUTE_NODES.reason})")  # before any copy of a huge matrix
    times = np.array(TIME_MATRIX.check(time_matrix, name))
    if times.shape[0] > limits.ROUTE_NODES.high:
        raise ValueError(f"{name}: got {times.shape[0]:,} nodes, expected {limits.ROUTE_NODES.text()} "
                         f"({limits.ROUTE_NODES.reason})")
    return times


def _is_integer(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_precedence(precedence, n_tasks: int, name: str = "precedence") -> np.ndarray:
    """Precedence pairs (i, j), tasks numbered 1..n_tasks, as an int64 (p, 2) array."""
    if precedence is None:
        return np.zeros((0, 2), dtype=np.int64)
    try:
        pairs = [tuple(pair) for pair in precedence]
    except TypeError:
        refuse(name, precedence, "an iterable of (i, j) task pairs")
    out = np.zeros((len(pairs), 2), dtype=np.int64)
    for k, pair in enumerate(pairs):
        if len(pair) != 2 or not all(_is_integer(value) for value in pair):
            refuse(f"{name}[{k}]", pair, PAIR)
        for side, value in enumerate(pair):
            if not 1 <= int(value) <= n_tasks:
                raise ValueError(
                    f"{name}[{k}]: task {int(value)} unknown; expected tasks 1..{n_tasks} "
                    "(0 is the home and is always first and last)"
                )
            out[k, side] = int(value)
        if out[k, 0] == out[k, 1]:
            raise ValueError(f"{name}[{k}]: task {out[k, 0]} cannot precede itself")
    return out


def check_alternatives(alternatives, n_nodes: int, name: str = "alternatives") -> list[list[int]]:
    """Groups of matrix nodes (1..n_nodes-1), disjoint, together covering every non-home node."""
    try:
        groups = [[value for value in group] for group in alternatives]
    except TypeError:
        refuse(name, alternatives, "a list of node groups, one per task")
    seen: dict[int, int] = {}
    out: list[list[int]] = []
    for t, group in enumerate(groups):
        if not group:
            raise ValueError(f"{name}[{t}]: empty group; each task needs at least one node")
        nodes = []
        for value in group:
            if not _is_integer(value):
                refuse(f"{name}[{t}]", value, "an integer node index")
            node = int(value)
            if not 1 <= node < n_nodes:
                raise ValueError(
                    f"{name}[{t}]: node {node} unknown; expected nodes 1..{n_nodes - 1} "
                    "of time_matrix (0 is the home)"
                )
            if node in seen:
                raise ValueError(f"{name}: node {node} is in groups {seen[node]} and {t}")
            seen[node] = t
            nodes.append(node)
        out.append(nodes)
    missing = sorted(set(range(1, n_nodes)) - set(seen))
    if missing:
        raise ValueError(
            f"{name}: nodes {missing[:10]} belong to no group; every non-home node of "
            "time_matrix must be an alternative of exactly one task"
        )
    return out


def build_tour(time_matrix, precedence=(), alternatives=None) -> Tour:
    """Validate a single-robot problem and return it in kernel form."""
    times = check_time_matrix(time_matrix)
    n_nodes = times.shape[0]
    if alternatives is None:
        groups = [[node] for node in range(1, n_nodes)]
    else:
        groups = check_alternatives(alternatives, n_nodes)
    n_tasks = len(groups)
    pairs = check_precedence(precedence, n_tasks)
    before = precedence_closure(pairs, n_tasks)

    task_of_node = np.zeros(n_nodes, dtype=np.int64)
    task_start = np.zeros(n_tasks + 2, dtype=np.int64)
    task_nodes = np.zeros(n_nodes, dtype=np.int64)
    task_start[1] = 1  # task 0 (home) is node 0 alone
    pos = 1
    for t, group in enumerate(groups, start=1):
        for node in sorted(group):
            task_of_node[node] = t
            task_nodes[pos] = node
            pos += 1
        task_start[t + 1] = pos
    return Tour(times, task_of_node, task_start, task_nodes, before, pairs)
