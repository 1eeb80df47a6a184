"""Station timelines: what each station was doing, when, and who held the line back.

Every moment of a station is in exactly one state:

- ``WORKING``  processing a part at its automatic rate;
- ``FAILED``   down for repair and not running manually (the interrupted part waits on it);
- ``BYPASSED`` down, but processing a part manually at its bypass cycle time;
- ``BLOCKED``  holding a finished part because the places downstream are full
  (blocking after service);
- ``STARVED``  empty because nothing is waiting upstream (also a bypassed station that waits).

Working, failed and bypassed are *active* (the station itself decides when the part leaves);
blocked and starved are *waiting*. Shares are machine-seconds inside the observation window
(after warm-up), divided by the number of parallel machines in Python.

Momentary bottleneck (active period method, Roser, Nakano & Tanaka 2002): at each instant, the
bottleneck is the station whose current uninterrupted active period is the longest. A station's
active period is only known once it ends, so periods wait in a small per-station queue and a sweep
attributes time up to the earliest moment at which every station's status is settled. Memory is
bounded: if a queue fills (a station has an active period longer than ``QUEUE`` periods of
another), its oldest period is dropped and ``approximations`` counts it.

Buffer levels (parts on the places between two stations, not counting parts inside machines)
are accumulated as a time-weighted histogram.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

WORKING = 0
BLOCKED = 1
STARVED = 2
FAILED = 3
BYPASSED = 4
STATES = ("working", "blocked", "starved", "failed", "bypassed")
QUEUE = 4096

Timeline = namedtuple(
    "Timeline",
    "window shares operator_s open_start known queue q_head q_len sweep bottleneck_s "
    "period_total period_count approximations buffer_hist buffer_level buffer_mark",
)


def new_timeline(stations: int, buffer_places: np.ndarray, t0: float, t1: float) -> Timeline:
    """Empty timeline for a line of ``stations`` observed over [t0, t1] (s)."""
    places = int(buffer_places.max()) if len(buffer_places) else 0
    return Timeline(
        window=np.array([t0, t1]),
        shares=np.zeros((stations, 5)),
        operator_s=np.zeros(stations),
        open_start=np.full(stations, np.nan),
        known=np.zeros(stations),
        queue=np.zeros((stations, QUEUE, 2)),
        q_head=np.zeros(stations, dtype=np.int64),
        q_len=np.zeros(stations, dtype=np.int64),
        sweep=np.zeros(1),
        bottleneck_s=np.zeros(stations),
        period_total=np.zeros(stations),
        period_count=np.zeros(stations),
        approximations=np.zeros(1, dtype=np.int64),
        buffer_hist=np.zeros((max(stations - 1, 0), places + 1)),
        buffer_level=np.zeros(max(stations - 1, 0), dtype=np.int64),
        buffer_mark=np.zeros(max(stations - 1, 0)),
    )


@njit(cache=True, inline="always")
def overlap(a, b, t0, t1):
    """Length of [a, b) inside the window [t0, t1]."""
    lo = a if a > t0 else t0
    hi = b if b < t1 else t1
    return hi - lo if hi > lo else 0.0


@njit(cache=True)
def record_state(tl, station, state, a, b, weight):
    """Station spent [a, b) in ``state`` (weight = 1 / parallel machines)."""
    if b > a:
        tl.shares[station, state] += weight * overlap(a, b, tl.window[0], tl.window[1])


@njit(cache=True)
def mark_active(tl, station, t):
    """The station became active at t (no effect if it already is)."""
    t = min(t, tl.window[1])
    if np.isnan(tl.open_start[station]):
        tl.open_start[station] = t


@njit(cache=True)
def mark_waiting(tl, station, t):
    """The station started waiting at t: its active period, if any, ends here."""
    t = min(t, tl.window[1])
    start = tl.open_start[station]
    if np.isnan(start):
        return
    tl.open_start[station] = np.nan
    if t <= start:
        return
    if t > tl.window[0]:
        tl.period_total[station] += t - start
        tl.period_count[station] += 1.0
    if tl.q_len[station] == QUEUE:
        tl.q_head[station] = (tl.q_head[station] + 1) % QUEUE
        tl.q_len[station] -= 1
        tl.approximations[0] += 1
    slot = (tl.q_head[station] + tl.q_len[station]) % QUEUE
    tl.queue[station, slot, 0] = start
    tl.queue[station, slot, 1] = t
    tl.q_len[station] += 1


@njit(cache=True)
def record_station(tl, station, state, a, b):
    """Single-machine station spent [a, b) in ``state``: shares and active periods."""
    if b <= a:
        return
    record_state(tl, station, state, a, b, 1.0)
    if state == BLOCKED or state == STARVED:
        mark_waiting(tl, station, a)
    else:
        mark_active(tl, station, a)


@njit(cache=True)
def settled_until(tl):
    """Earliest time at which some station's status is still open."""
    horizon = np.inf
    for i in range(len(tl.known)):
        t = tl.open_start[i] if not np.isnan(tl.open_start[i]) else min(tl.known[i], tl.window[1])
        if t < horizon:
            horizon = t
    return horizon


@njit(cache=True)
def advance_bottleneck(tl, horizon):
    """Attribute [sweep, horizon) to the momentary bottleneck (longest covering active period)."""
    t = tl.sweep[0]
    n = len(tl.known)
    while t < horizon:
        best = -1
        best_length = -1.0
        following = horizon
        for i in range(n):
            while tl.q_len[i] > 0 and tl.queue[i, tl.q_head[i], 1] <= t:
                tl.q_head[i] = (tl.q_head[i] + 1) % QUEUE
                tl.q_len[i] -= 1
            if tl.q_len[i] == 0:
                continue
            start = tl.queue[i, tl.q_head[i], 0]
            end = tl.queue[i, tl.q_head[i], 1]
            if start <= t:
                if end - start > best_length:
                    best_length = end - start
                    best = i
                if end < following:
                    following = end
            elif start < following:
                following = start
        if best >= 0:
            tl.bottleneck_s[best] += overlap(t, following, tl.window[0], tl.window[1])
        t = following
    if horizon > tl.sweep[0]:
        tl.sweep[0] = horizon


@njit(cache=True)
def buffer_change(tl, buffer, t, delta):
    """The level of ``buffer`` changes by ``delta`` parts at t (events in time order)."""
    level = tl.buffer_level[buffer]
    tl.buffer_hist[buffer, level] += overlap(tl.buffer_mark[buffer], t, tl.window[0], tl.window[1])
    tl.buffer_mark[buffer] = t
    tl.buffer_level[buffer] = level + delta


@njit(cache=True)
def close_timeline(tl):
    """End of the window: close open active periods and buffer intervals at t1."""
    t1 = tl.window[1]
    for i in range(len(tl.known)):
        mark_waiting(tl, i, t1)
        tl.known[i] = t1
    advance_bottleneck(tl, t1)
    for b in range(len(tl.buffer_level)):
        buffer_change(tl, b, t1, 0)
