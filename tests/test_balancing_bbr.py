"""The branch-bound-and-remember kernel alone is exact: started from the worst incumbent (one
station per task) with no lower bound, it must find and prove the brute-force optimum, also when
loads are generated one or two at a time (so every stopped enumeration is resumed)."""

from __future__ import annotations

import numpy as np
import pytest
from test_balancing_bruteforce import brute_salbp1, random_line

from cyclecore.balancing import bbr
from cyclecore.balancing.problem import integer_line


def run_kernel(times, arcs, c, batch):
    line = integer_line(times, arcs, [c])
    n = line.t.shape[0]
    flow = np.arange(n, dtype=np.int64)  # one task per station: always feasible, never good
    m, flow, status, nodes = bbr.search(line.search, int(c), n, flow, lower_bound=1, stop_at=1, time_limit=60.0,
                                        node_limit=2**62, batch=batch)
    return m, status, line.to_user(flow)


@pytest.mark.parametrize("batch", [1, 2, 32])
@pytest.mark.parametrize("seed", range(10))
def test_kernel_from_worst_incumbent_finds_and_proves_the_optimum(seed, batch):
    rng = np.random.default_rng(500 + seed)
    n = int(rng.integers(5, 9))
    times, arcs = random_line(rng, n)
    times = np.round(times)
    c = float(times.max() + rng.integers(0, 10))
    m, status, station = run_kernel(times, arcs, c, batch)
    assert status == bbr.PROVEN
    assert m == brute_salbp1(times, arcs, c)
    assert station.max() + 1 == m
    assert np.bincount(station, weights=times).max() <= c
    assert all(station[i] <= station[j] for i, j in arcs)


def test_kernel_solves_a_line_of_identical_tasks_that_needs_dominance():
    # 12 identical tasks, 3 per station: without dominance there are C(12,3) loads per station
    times = np.full(12, 5.0)
    m, status, station = run_kernel(times, [], 15.0, 4)
    assert (m, status) == (4, bbr.PROVEN)
    assert np.bincount(station).tolist() == [3, 3, 3, 3]
