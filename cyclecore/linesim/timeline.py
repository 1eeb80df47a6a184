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
another), its oldest period is dropped and counted (``SerialLineResult.bottleneck_approximations``).
Equal period lengths keep the current bottleneck; a re-election picks the lowest station index.

Buffer levels (parts on the places between two stations, not counting parts inside machines)
are accumulated as a time-weighted histogram.

The timeline is two plain float arrays. Numba's small helpers are only cheap when they take few
arrays (every array argument costs an atomic reference-count pair when the call is not inlined),
so nearly everything lives in one row per station:

- ``clock``   (5,): window start t0, window end t1, sweep position, current momentary bottleneck
  and the length of its active period;
- ``station`` (n, LEVELS + B_max + 1): shares of the five states (machine-seconds), operator-seconds,
  the open active period's start (NaN = none), known-until time, momentary-bottleneck seconds,
  total and count of active periods ending in the window, the queue of closed periods (head,
  length, then QUEUE (start, end) pairs), the period covering the sweep position (end, length),
  the station's next change in the sweep, dropped periods; then the buffer *after* the station:
  its level, the time of its last change, and the time spent at each level 0..B_max.
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
QUEUE = 4096
SWEEP_EVERY = 64  # parts or event times between bottleneck sweeps: amortises the sweep's set-up

# clock columns
T0, T1, SWEEP, BEST, BEST_LENGTH = range(5)
# station columns (0..4 are the states)
(OPERATOR_S, OPEN_START, KNOWN, BOTTLENECK_S, PERIOD_TOTAL, PERIOD_COUNT, Q_HEAD, Q_LEN, COVER_END,
 COVER_LENGTH, NEXT_CHANGE, DROPPED, LEVEL, MARK) = range(5, 19)
QUEUE_AT = 19
LEVELS = QUEUE_AT + 2 * QUEUE

Timeline = namedtuple("Timeline", "clock station")


def new_timeline(stations: int, buffer_places: np.ndarray, t0: float, t1: float) -> Timeline:
    """Empty timeline for a line of ``stations`` observed over [t0, t1] (s)."""
    places = int(buffer_places.max()) if len(buffer_places) else 0
    station = np.zeros((stations, LEVELS + places + 1))
    station[:, OPEN_START] = np.nan
    station[:, COVER_END] = np.nan
    station[:, COVER_LENGTH] = -1.0
    station[:, NEXT_CHANGE] = np.inf
    return Timeline(clock=np.array([t0, t1, 0.0, -1.0, -1.0]), station=station)


def buffer_levels(station: np.ndarray, buffer: int, places: int) -> np.ndarray:
    """Seconds the buffer after station ``buffer`` spent at 0..places parts."""
    return station[buffer, LEVELS:LEVELS + places + 1]


@njit(cache=True)
def overlap(a, b, t0, t1):
    """Length of [a, b) inside the window [t0, t1]."""
    lo = a if a > t0 else t0
    hi = b if b < t1 else t1
    return hi - lo if hi > lo else 0.0


@njit(cache=True)
def record_state(station, i, state, a, b, weight, t0, t1):
    """Station i spent [a, b) in ``state`` (weight = 1 / parallel machines)."""
    if b > a:
        station[i, state] += weight * overlap(a, b, t0, t1)


@njit(cache=True)
def mark_active(station, i, t, t1):
    """Station i became active at t (no effect if it already is)."""
    if np.isnan(station[i, OPEN_START]):
        station[i, OPEN_START] = min(t, t1)


@njit(cache=True)
def mark_waiting(station, i, t, t0, t1):
    """Station i started waiting at t: its active period, if any, ends here and joins the queue."""
    t = min(t, t1)
    start = station[i, OPEN_START]
    if np.isnan(start):
        return
    station[i, OPEN_START] = np.nan
    if t <= start:
        return
    if t > t0:
        station[i, PERIOD_TOTAL] += t - start
        station[i, PERIOD_COUNT] += 1.0
    length = int(station[i, Q_LEN])
    if length == QUEUE:  # the sweep is held up by one very long period: forget the oldest queued one
        station[i, Q_HEAD] = (station[i, Q_HEAD] + 1) % QUEUE
        station[i, DROPPED] += 1.0
        length -= 1
    slot = QUEUE_AT + 2 * ((int(station[i, Q_HEAD]) + length) % QUEUE)
    station[i, slot] = start
    station[i, slot + 1] = t
    station[i, Q_LEN] = length + 1
    if length == 0 and np.isnan(station[i, COVER_END]):
        station[i, NEXT_CHANGE] = start


@njit(cache=True)
def settled_until(station, t1):
    """Earliest time at which some station's status is still open."""
    horizon = np.inf
    for i in range(station.shape[0]):
        t = station[i, OPEN_START]
        if np.isnan(t):
            t = min(station[i, KNOWN], t1)
        if t < horizon:
            horizon = t
    return horizon


@njit(cache=True)
def advance_bottleneck(clock, station, horizon):
    """Attribute [sweep, horizon) to the momentary bottleneck (longest covering active period).

    Queued periods become *covering* when the sweep reaches their start; the bottleneck changes
    only when a longer period starts or the bottleneck's own period ends (then it is re-elected).
    """
    n = station.shape[0]
    t = clock[SWEEP]
    best = int(clock[BEST])
    best_length = clock[BEST_LENGTH]
    while True:
        j = -1
        following = horizon
        for i in range(n):
            if station[i, NEXT_CHANGE] < following:
                following = station[i, NEXT_CHANGE]
                j = i
        if following > t:
            if best >= 0:
                station[best, BOTTLENECK_S] += overlap(t, following, clock[T0], clock[T1])
            t = following
        if j < 0:
            break
        if not np.isnan(station[j, COVER_END]):
            # the covering period of j ends
            station[j, COVER_END] = np.nan
            station[j, COVER_LENGTH] = -1.0
            if station[j, Q_LEN] > 0:
                station[j, NEXT_CHANGE] = station[j, QUEUE_AT + 2 * int(station[j, Q_HEAD])]
            else:
                station[j, NEXT_CHANGE] = np.inf
            if best == j:
                best = -1
                best_length = -1.0
                for i in range(n):
                    if station[i, COVER_LENGTH] > best_length:
                        best_length = station[i, COVER_LENGTH]
                        best = i
        else:
            # the next queued period of j starts covering
            slot = QUEUE_AT + 2 * int(station[j, Q_HEAD])
            station[j, COVER_END] = station[j, slot + 1]
            station[j, COVER_LENGTH] = station[j, slot + 1] - station[j, slot]
            station[j, NEXT_CHANGE] = station[j, slot + 1]
            station[j, Q_HEAD] = (station[j, Q_HEAD] + 1) % QUEUE
            station[j, Q_LEN] -= 1
            if station[j, COVER_LENGTH] > best_length:
                best_length = station[j, COVER_LENGTH]
                best = j
    clock[SWEEP] = max(t, clock[SWEEP])
    clock[BEST] = best
    clock[BEST_LENGTH] = best_length


@njit(cache=True)
def buffer_change(station, j, t, delta, t0, t1):
    """The level of the buffer after station j changes by ``delta`` parts at t (in time order)."""
    level = int(station[j, LEVEL])
    station[j, LEVELS + level] += overlap(station[j, MARK], t, t0, t1)
    station[j, MARK] = t
    station[j, LEVEL] = level + delta


@njit(cache=True)
def close_timeline(clock, station, buffers):
    """End of the window: close open active periods and the first ``buffers`` buffers at t1."""
    t0 = clock[T0]
    t1 = clock[T1]
    for i in range(station.shape[0]):
        mark_waiting(station, i, t1, t0, t1)
        station[i, KNOWN] = t1
    advance_bottleneck(clock, station, t1)
    for j in range(buffers):
        buffer_change(station, j, t1, 0, t0, t1)
