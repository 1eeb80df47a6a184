"""A tiny time limit is a tiny effort, not a race against the clock (issue 11, defect 13).

With a small limit the searches' fixed start (building the OR-Tools model, CP-SAT's presolve)
is most of the wall time; a clock cap of ten times the limit would fire on a busy machine and the
answer would change from run to run. The caps have a floor, so the effort count still decides.
"""

from __future__ import annotations


import numpy as np
from busy_machine import cores_saturated

from cyclecore.sequencing import best_route, split_tasks


def scattered(n: int, seed: int) -> np.ndarray:
    """Move times between n random points of a 2 m cell, 1 m/s."""
    points = np.random.default_rng(seed).uniform(0.0, 2.0, (n, 2))
    return np.linalg.norm(points[:, None] - points[None, :], axis=2)


def test_routes_and_splits_at_a_tiny_limit_repeat_with_every_core_busy():
    # balancing's searches are checked the same way in test_balancing_determinism.py
    route_times, split_times = scattered(60, 1), scattered(25, 2)
    process = np.full(24, 0.5)

    def searches():
        route = best_route(route_times, time_limit=0.001, seed=5)
        split = split_tasks([split_times, split_times], process, time_limit=0.001, seed=5)
        return route.order.tolist(), route.method, [list(r) for r in split.routes], split.method

    idle = searches()
    with cores_saturated(2):
        busy = searches()
    assert busy == idle


def test_a_route_or_split_says_when_the_clock_cap_ended_its_search(monkeypatch):
    times = scattered(300, 4)
    assert not best_route(times, time_limit=0.001, seed=1).clock_capped  # the count ends it
    # with the floor taken away the cap is 10 x 1 ms: far too short for OR-Tools' first solutions
    monkeypatch.setattr("cyclecore.sequencing.routing.CLOCK_FLOOR_S", 0.0)
    route = best_route(times, time_limit=0.001, seed=1)
    assert route.clock_capped and route.to_dict()["clock_capped"] is True
    split = split_tasks([times[:120, :120]] * 2, np.full(119, 0.5), time_limit=0.001, seed=1)
    assert split.clock_capped
