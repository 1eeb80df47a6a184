"""The kernels against an independent SimPy model of the same semantics (the benchmark's lean peer).

The SimPy model (``benchmarks/simpy_line.py``) shares no code and no random numbers with
cyclecore: its buffers are SimPy Stores, a buffer of no places a hand-over, its random numbers
the standard library's. Two estimates agree when their difference is inside the 99% Welch
interval of two independent means; the interval is asked to be tight enough to catch a wrong
model (one place more or less on every buffer moves the throughput by more than it).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from cyclecore.linesim import simulate_serial
from cyclecore.linesim.confidence import t_quantile
from simpy_line import simulate_line_simpy, ten_station_line

WARMUP = 10.0


def _agree(ours_per_hour, peer_per_hour):
    ours_x = np.asarray(ours_per_hour)
    peer = np.asarray(peer_per_hour)
    se2_ours = ours_x.var(ddof=1) / len(ours_x)
    se2_peer = peer.var(ddof=1) / len(peer)
    dof = (se2_ours + se2_peer) ** 2 / (se2_ours**2 / (len(ours_x) - 1) + se2_peer**2 / (len(peer) - 1))
    half_width = t_quantile(0.99, int(math.floor(dof))) * math.sqrt(se2_ours + se2_peer)
    return abs(ours_x.mean() - peer.mean()), half_width


def _peer(line, hours, seeds):
    return [simulate_line_simpy(*line, hours, WARMUP, seed)[0] / hours for seed in seeds]


@pytest.mark.parametrize("kernel", ["max-plus", "event-loop"])
def test_ten_station_line_matches_the_lean_simpy_model_within_the_99_percent_interval(kernel):
    line = ten_station_line()
    ours = simulate_serial(*line, hours=100.0, replications=20, seed=21, warmup_hours=WARMUP, kernel=kernel)
    peer = _peer(line, 100.0, range(8))
    gap, half_width = _agree(ours.replication_throughput_per_hour, peer)
    assert gap <= half_width, (ours.throughput_per_hour, np.mean(peer), half_width)
    assert half_width < 0.05 * np.mean(peer)


def test_zero_place_buffers_hand_parts_over_exactly_as_the_kernel_does():
    # every buffer has no place and repairs are short (about one cycle): a single place would
    # absorb most stops, so the one-place line runs about 8% faster and a Store(capacity=1)
    # in place of the hand-over would be caught
    cycle = np.array([30.0, 32.0, 31.0, 30.0])
    mtbf = np.array([400.0, 450.0, 380.0, 420.0])
    mttr = np.array([30.0, 35.0, 28.0, 32.0])
    zero = (cycle, np.zeros(3, dtype=np.int64), mtbf, mttr)
    ours = simulate_serial(*zero, hours=60.0, replications=16, seed=5, warmup_hours=WARMUP)
    peer = _peer(zero, 60.0, range(10))
    gap, half_width = _agree(ours.replication_throughput_per_hour, peer)
    assert gap <= half_width, (ours.throughput_per_hour, np.mean(peer), half_width)
    one_place = simulate_serial(cycle, np.ones(3, dtype=np.int64), mtbf, mttr, hours=60.0, replications=16,
                                seed=5, warmup_hours=WARMUP)
    assert one_place.throughput_per_hour - ours.throughput_per_hour > 3 * half_width


def test_line_without_failures_makes_one_part_per_slowest_cycle_in_simpy_too():
    # the oracle's own sanity: deterministic, failure-free, the slowest station sets the pace
    cycle = np.array([20.0, 25.0, 22.0])
    window, _ = simulate_line_simpy(cycle, np.array([0, 2]), np.full(3, np.inf), np.zeros(3), 10.0, 1.0, 0)
    assert abs(window - 10.0 * 3600.0 / 25.0) <= 1
