"""A serial line in SimPy with the same semantics as ``cyclecore.linesim``: the peer and the oracle.

The leanest correct SimPy model we can write, so that the benchmark prices cyclecore against
SimPy's best honest use (issue 12):

- one process per station, and nothing else: no process per part, no resource per machine;
- a ``simpy.Store(capacity=B)`` per buffer of B >= 1 places. Station i ``put``s a finished part
  (blocked while the B places are full) and station i+1 ``get``s it when it is free. Parts in
  the store plus the part on station i+1 are the B + 1 positions downstream of station i, so a
  part leaves station i exactly when part k - B - 1 has left station i+1: blocking after service,
  the kernels' recursion ``D_i(k) >= D_{i+1}(k - B_i - 1)``;
- a buffer of B = 0 places is a hand-over, not a store (SimPy's Store needs capacity >= 1, and a
  Store of 1 would be one place too many): the station that is ready first waits on a plain
  event that the other one fires, so the part leaves station i exactly when station i+1 is free;
- operation-dependent failures folded into the part's timeout: the uptime left is consumed only
  while processing, and the repairs that fall inside a part lengthen that part's one timeout
  (the interrupted part resumes after repair, as in the kernels);
- the standard library's ``random`` (exponential times to failure and to repair).

Supply is unlimited in front of station 0, demand unlimited behind the last station. So each
station and part costs about 3 SimPy events (get, timeout, put). It shares no code and no random
numbers with cyclecore.
"""

from __future__ import annotations

import math
import random

import numpy as np
import simpy


def simulate_line_simpy(cycle_s, buffer_places, mtbf_s, mttr_s, hours, warmup_hours, seed):
    """One replication. Returns (units finished in the window after warm-up, parts finished in total)."""
    rng = random.Random(seed)
    n = len(cycle_s)
    env = simpy.Environment()
    t0 = 3600.0 * warmup_hours
    t1 = t0 + 3600.0 * hours
    links = [simpy.Store(env, capacity=int(b)) if b > 0 else _HandOver(env) for b in buffer_places]
    counts = [0, 0]  # parts finished in the window, in total

    def station(i, cycle, mtbf, mttr, upstream, downstream):
        fails = math.isfinite(mtbf)
        rate_up = 1.0 / mtbf if fails else 0.0
        rate_repair = 1.0 / mttr if mttr > 0 else math.inf
        uptime = rng.expovariate(rate_up) if fails else math.inf
        timeout = env.timeout
        while True:
            if upstream is not None:
                arrived = upstream.get()
                if arrived is not None:
                    yield arrived
            busy = cycle
            work = cycle
            while uptime < work:  # repairs inside this part lengthen its one timeout
                work -= uptime
                busy += rng.expovariate(rate_repair) if mttr > 0 else 0.0
                uptime = rng.expovariate(rate_up)
            uptime -= work
            yield timeout(busy)
            if downstream is not None:
                left = downstream.put(i)
                if left is not None:
                    yield left
            else:
                counts[1] += 1
                if t0 < env.now <= t1:
                    counts[0] += 1

    for i in range(n):
        env.process(station(i, float(cycle_s[i]), float(mtbf_s[i]), float(mttr_s[i]),
                            links[i - 1] if i > 0 else None, links[i] if i < n - 1 else None))
    env.run(until=t1)
    return counts[0], counts[1]


class _HandOver:
    """A buffer of no places: ``put`` completes when the next station takes the part, ``get`` when a
    part is handed over. Whichever side comes first waits on one plain event that the other fires;
    the side that comes second gets ``None`` (nothing to wait for) and goes on at once."""

    def __init__(self, env):
        self._env = env
        self._taker = None   # the free next station's event, waiting for a part
        self._giver = None   # the blocked station's event, waiting for the next station

    def put(self, part):
        if self._taker is not None:
            taker, self._taker = self._taker, None
            taker.succeed(part)
            return None  # handed over now: the station goes on without an event
        self._giver = self._env.event()
        return self._giver

    def get(self):
        if self._giver is not None:
            giver, self._giver = self._giver, None
            giver.succeed()
            return None
        self._taker = self._env.event()
        return self._taker


def ten_station_line():
    """The reference 10-station line of the benchmark and the agreement test (SI units)."""
    cycle_s = np.array([52.0, 55.0, 50.0, 58.0, 54.0, 56.0, 51.0, 57.0, 53.0, 55.0])
    buffer_places = np.array([3, 2, 4, 1, 3, 0, 2, 5, 2])
    mtbf_s = 3600.0 * np.array([6.0, 8.0, 4.0, 10.0, 5.0, 7.0, 9.0, 3.0, 6.0, 8.0])
    mttr_s = 60.0 * np.array([12.0, 20.0, 8.0, 30.0, 15.0, 10.0, 25.0, 9.0, 18.0, 14.0])
    return cycle_s, buffer_places, mtbf_s, mttr_s
