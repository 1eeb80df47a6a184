"""A serial line in SimPy with the same semantics as ``cyclecore.linesim`` (the peer and the oracle).

Stations process one part at a time with a deterministic cycle time; failures are
operation-dependent (the time to failure is consumed only while processing), exponential times to
failure and to repair, and the interrupted part resumes after repair. Between station i and i+1
there are B_i places; a finished part leaves station i only when one of the B_i + 1 positions
downstream (the places plus station i+1 itself) is free, i.e. when part k - B_i - 1 has left
station i+1 (blocking after service). Supply is unlimited, demand is unlimited.

The positions are a ``simpy.Container`` of B_i + 1 tokens: station i takes a token before it
hands a part on, station i+1 returns it when that part leaves station i+1. Random numbers come
from its own NumPy generator, independent of cyclecore's streams.
"""

from __future__ import annotations

import numpy as np
import simpy


def simulate_line_simpy(cycle_s, buffer_places, mtbf_s, mttr_s, hours, warmup_hours, seed):
    """One replication. Returns (units finished in the window after warm-up, parts finished in total)."""
    rng = np.random.default_rng(seed)
    n = len(cycle_s)
    env = simpy.Environment()
    t0 = 3600.0 * warmup_hours
    t1 = t0 + 3600.0 * hours
    queues = [simpy.Store(env) for _ in range(n - 1)]
    positions = [simpy.Container(env, capacity=int(b) + 1, init=int(b) + 1) for b in buffer_places]
    counts = {"window": 0, "total": 0}

    def station(i):
        uptime = rng.exponential(mtbf_s[i]) if np.isfinite(mtbf_s[i]) else np.inf
        while True:
            if i > 0:
                yield queues[i - 1].get()
            work = cycle_s[i]
            while uptime < work:
                yield env.timeout(uptime)
                work -= uptime
                yield env.timeout(rng.exponential(mttr_s[i]))
                uptime = rng.exponential(mtbf_s[i])
            yield env.timeout(work)
            uptime -= work
            if i < n - 1:
                yield positions[i].get(1)  # blocked until a downstream position frees
                yield queues[i].put(1)
            else:
                counts["total"] += 1
                if t0 < env.now <= t1:
                    counts["window"] += 1
            if i > 0:
                yield positions[i - 1].put(1)  # the part left this station: its position is free

    for i in range(n):
        env.process(station(i))
    env.run(until=t1)
    return counts["window"], counts["total"]


def ten_station_line():
    """The reference 10-station line of the benchmark and the agreement test (SI units)."""
    cycle_s = np.array([52.0, 55.0, 50.0, 58.0, 54.0, 56.0, 51.0, 57.0, 53.0, 55.0])
    buffer_places = np.array([3, 2, 4, 1, 3, 0, 2, 5, 2])
    mtbf_s = 3600.0 * np.array([6.0, 8.0, 4.0, 10.0, 5.0, 7.0, 9.0, 3.0, 6.0, 8.0])
    mttr_s = 60.0 * np.array([12.0, 20.0, 8.0, 30.0, 15.0, 10.0, 25.0, 9.0, 18.0, 14.0])
    return cycle_s, buffer_places, mtbf_s, mttr_s
