"""The reference 10-station line against an independent SimPy model of the same semantics.

The SimPy model (``benchmarks/simpy_line.py``, also the benchmark's peer) shares no code and no
random numbers with cyclecore. The two estimates agree when their difference is inside the 99%
Welch interval of two independent means.
"""

from __future__ import annotations

import math

import numpy as np

from cyclecore.linesim import simulate_serial
from cyclecore.linesim.confidence import t_quantile
from simpy_line import simulate_line_simpy, ten_station_line

HOURS = 100.0
WARMUP = 10.0


def test_ten_station_line_agrees_with_simpy_within_the_confidence_interval():
    cycle, places, mtbf, mttr = ten_station_line()
    ours = simulate_serial(cycle, places, mtbf, mttr, hours=HOURS, replications=20, seed=21, warmup_hours=WARMUP)
    peer = np.array([simulate_line_simpy(cycle, places, mtbf, mttr, HOURS, WARMUP, seed)[0] / HOURS
                     for seed in range(8)])
    ours_x = np.array(ours.replication_throughput_per_hour)
    se2_ours = ours_x.var(ddof=1) / len(ours_x)
    se2_peer = peer.var(ddof=1) / len(peer)
    dof = (se2_ours + se2_peer) ** 2 / (se2_ours**2 / (len(ours_x) - 1) + se2_peer**2 / (len(peer) - 1))
    half_width = t_quantile(0.99, int(math.floor(dof))) * math.sqrt(se2_ours + se2_peer)
    assert abs(ours_x.mean() - peer.mean()) <= half_width, (ours_x.mean(), peer.mean(), half_width)
    assert half_width < 0.05 * peer.mean()  # tight enough to catch a wrong model
