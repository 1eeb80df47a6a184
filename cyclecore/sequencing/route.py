"""A robot's route: the closed tour home -> task configurations -> home, and what it costs.

Costs are always recomputed from the float move-time matrix in s, whatever solver found the
order (OR-Tools works in integer microseconds; its rounding never reaches the reported cost).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cyclecore.results import Result


@dataclass(frozen=True)
class Route(Result):
    """A closed route of one robot.

    order: int64 array of matrix node indices, starting and ending with the home 0.
    cost: total move time along ``order`` in s (sum of ``time_matrix[a, b]`` over its arcs).
    proven_optimal: True only when a solver proved no better route exists.
    method: which solver produced it ("exact-dp", "ortools-gls+local-search", ...).
    clock_capped: the wall-clock safety cap, not the solution count, ended the OR-Tools stage (a
    very busy machine): the same call may then give another route.
    """

    order: np.ndarray
    cost: float
    proven_optimal: bool
    method: str
    clock_capped: bool = False

    def __post_init__(self):
        order = np.array(self.order, dtype=np.int64)
        order.setflags(write=False)
        object.__setattr__(self, "order", order)


def route_cost(times: np.ndarray, order) -> float:
    """Sum of ``times[a, b]`` over consecutive nodes of ``order`` (s); inf if an arc is forbidden."""
    order = np.asarray(order, dtype=np.int64)
    if order.shape[0] < 2:
        return 0.0
    # A route with no tasks never moves: its cost is 0 whatever the matrix's diagonal says.
    if order.shape[0] == 2 and order[0] == order[1]:
        return 0.0
    return float(np.sum(times[order[:-1], order[1:]]))
