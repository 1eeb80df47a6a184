"""Line simulation speed: cyclecore.linesim against the lean SimPy model of the same line, same run.

group "linesim-10-station": the reference 10-station line with operation-dependent exponential
failures and finite buffers (``simpy_line.ten_station_line``), one thread. cyclecore simulates
5 replications of 2,000 h with everything it reports (shares, buffer levels, both bottleneck
methods); SimPy (the leanest correct model: a process per station, a Store per buffer, repairs
folded into the part's timeout, the standard library's random) simulates one replication of
50 h and only counts parts. Per-item time = median / extra_info["items"], items = station-parts
(parts finished by the last station, warm-up included, times the 10 stations): the ns per
station-part of issue 12. The ratio is the same per part.

group "linesim-10-station-event-loop": the same line forced through the general event loop
(what time-dependent failures, bypass and parallel machines use), against the same peer.

Both sides run on one core. On a machine other jobs share, ``--benchmark-timer=time.process_time``
measures the CPU time each side used rather than the wall time the scheduler gave it.
"""

from __future__ import annotations

import pytest

from cyclecore.linesim import simulate_serial
from simpy_line import simulate_line_simpy, ten_station_line

OUR_HOURS = 2000.0
OUR_REPLICATIONS = 5
PEER_HOURS = 50.0
WARMUP = 10.0


@pytest.fixture(scope="module")
def line():
    cycle, places, mtbf, mttr = ten_station_line()
    simulate_serial(cycle, places, mtbf, mttr, hours=1.0, replications=1)  # compile or load Numba's cache
    simulate_serial(cycle, places, mtbf, mttr, hours=1.0, replications=1, kernel="event-loop")
    return cycle, places, mtbf, mttr


def _ours(benchmark, line, group, kernel):
    cycle, places, mtbf, mttr = line
    benchmark.group = group
    benchmark.extra_info["role"] = "cyclecore"
    result = benchmark.pedantic(
        simulate_serial, args=(cycle, places, mtbf, mttr),
        kwargs=dict(hours=OUR_HOURS, replications=OUR_REPLICATIONS, seed=1, warmup_hours=WARMUP, kernel=kernel),
        rounds=3, iterations=1)
    benchmark.extra_info["items"] = result.parts_simulated * len(cycle)
    benchmark.extra_info["kernel"] = result.kernel


def _peer(benchmark, line, group):
    cycle, places, mtbf, mttr = line
    benchmark.group = group
    benchmark.extra_info["role"] = "peer"
    window, total = benchmark.pedantic(simulate_line_simpy, args=(cycle, places, mtbf, mttr, PEER_HOURS, WARMUP, 1),
                                       rounds=3, iterations=1)
    benchmark.extra_info["items"] = total * len(cycle)


def test_linesim_10_station_cyclecore(benchmark, line):
    _ours(benchmark, line, "linesim-10-station", "auto")


def test_linesim_10_station_simpy(benchmark, line):
    _peer(benchmark, line, "linesim-10-station")


def test_linesim_10_station_event_loop_cyclecore(benchmark, line):
    _ours(benchmark, line, "linesim-10-station-event-loop", "event-loop")


def test_linesim_10_station_event_loop_simpy(benchmark, line):
    _peer(benchmark, line, "linesim-10-station-event-loop")
