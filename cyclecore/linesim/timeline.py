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
Period starts and ends are ordered by (time, station index); a period covers the instants of
[start, end).

The sweep is lazy: the momentary bottleneck changes only when a period *longer* than the current
one starts (a challenger) or when the current one ends (a re-election among the periods covering
that instant). So the sweep jumps from one such event to the next; periods that start and end
under a longer one are passed over once (each station remembers how far its queue is known to
hold no challenger), instead of every period start and end costing a scan of all stations.

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
  how many queued periods are known to be no challenger and for which length, dropped periods;
  then the buffer *after* the station: its level, the time of its last change, and the time spent
  at each level 0..B_max.
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
 COVER_LENGTH, SCANNED, SCANNED_FOR, DROPPED, LEVEL, MARK) = range(5, 20)
QUEUE_AT = 20
LEVELS = QUEUE_AT + 2 * QUEUE

Timeline = namedtuple("Timeline", "clock station")


def new_timeline(stations: int, buffer_places: np.ndarray, t0: float, t1: float) -> Timeline:
    """Empty timeline for a line of ``stations`` observed over [t0, t1] (s)."""
    places = int(buffer_places.max()) if len(buffer_places) else 0
    station = np.zeros((stations, LEVELS + places + 1))
    station[:, OPEN_START] = np.nan
    station[:, COVER_END] = np.nan
    station[:, COVER_LENGTH] = -1.0
    station[:, SCANNED_FOR] = np.inf
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
        _pop(station, i, 1)
        station[i, DROPPED] += 1.0
        length -= 1
    slot = QUEUE_AT + 2 * ((int(station[i, Q_HEAD]) + length) & (QUEUE - 1))
    station[i, slot] = start
    station[i, slot + 1] = t
    station[i, Q_LEN] = length + 1


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
def _pop(station, i, count):
    """Forget the ``count`` oldest queued periods of station i."""
    station[i, Q_HEAD] = (int(station[i, Q_HEAD]) + count) & (QUEUE - 1)
    station[i, Q_LEN] -= count
    station[i, SCANNED] = max(station[i, SCANNED] - count, 0.0)


@njit(cache=True)
def _challenger(station, i, longer_than, horizon):
    """Offset in station i's queue of its first period longer than ``longer_than`` starting before
    ``horizon``, or -1. Periods already found shorter (for this length or a longer one) are skipped."""
    if longer_than < station[i, SCANNED_FOR]:
        station[i, SCANNED] = 0.0
    station[i, SCANNED_FOR] = longer_than
    head = int(station[i, Q_HEAD])
    length = int(station[i, Q_LEN])
    k = int(station[i, SCANNED])
    while k < length:
        slot = QUEUE_AT + 2 * ((head + k) & (QUEUE - 1))
        if station[i, slot] >= horizon:
            break
        if station[i, slot + 1] - station[i, slot] > longer_than:
            station[i, SCANNED] = k
            return k
        k += 1
    station[i, SCANNED] = k
    return -1


@njit(cache=True)
def advance_bottleneck(clock, station, horizon):
    """Attribute [sweep, horizon) to the momentary bottleneck (longest covering active period).

    Events are taken in (time, station) order, and only two kinds can change the bottleneck: the
    start of a period longer than the bottleneck's (a challenger, which takes over) and the end of
    the bottleneck's own period (a re-election: the longest period covering that instant, the
    lowest station index among equals). Everything at or after ``horizon`` waits for a later sweep.
    """
    n = station.shape[0]
    t = clock[SWEEP]
    t0 = clock[T0]
    t1 = clock[T1]
    best = int(clock[BEST])
    best_length = clock[BEST_LENGTH]
    while True:
        # the earliest challenger, in (time, station) order
        who = -1
        when = horizon
        offset = -1
        for i in range(n):
            k = _challenger(station, i, best_length, horizon)
            if k >= 0:
                start = station[i, QUEUE_AT + 2 * ((int(station[i, Q_HEAD]) + k) & (QUEUE - 1))]
                if start < when:
                    who, when, offset = i, start, k
        ends = station[best, COVER_END] if best >= 0 else np.inf
        if best >= 0 and ends < horizon and (who < 0 or ends < when or (ends == when and best < who)):
            # the bottleneck's period ends at (ends, best): re-elect among the periods covering it
            station[best, BOTTLENECK_S] += overlap(t, ends, t0, t1)
            t = ends
            station[best, COVER_END] = np.nan
            station[best, COVER_LENGTH] = -1.0
            ended = best
            best = -1
            best_length = -1.0
            for i in range(n):
                if i == ended:
                    continue
                head = int(station[i, Q_HEAD])
                started = 0
                while started < station[i, Q_LEN]:  # periods started before (ends, ended)
                    slot = QUEUE_AT + 2 * ((head + started) & (QUEUE - 1))
                    start = station[i, slot]
                    if start > ends or (start == ends and i > ended):
                        break
                    station[i, COVER_END] = station[i, slot + 1]
                    station[i, COVER_LENGTH] = station[i, slot + 1] - start
                    started += 1
                if started > 0:
                    _pop(station, i, started)
                finish = station[i, COVER_END]
                if not np.isnan(finish) and not (finish > ends or (finish == ends and i > ended)):
                    station[i, COVER_END] = np.nan  # ended before this instant
                    station[i, COVER_LENGTH] = -1.0
                if station[i, COVER_LENGTH] > best_length:
                    best_length = station[i, COVER_LENGTH]
                    best = i
        elif who >= 0:
            # a longer period starts: it takes over; the challenger's station drops what came before
            if best >= 0:
                station[best, BOTTLENECK_S] += overlap(t, when, t0, t1)
            t = when
            slot = QUEUE_AT + 2 * ((int(station[who, Q_HEAD]) + offset) & (QUEUE - 1))
            station[who, COVER_END] = station[who, slot + 1]
            station[who, COVER_LENGTH] = station[who, slot + 1] - station[who, slot]
            _pop(station, who, offset + 1)
            best = who
            best_length = station[who, COVER_LENGTH]
        else:
            break
    if horizon > t:
        if best >= 0:
            station[best, BOTTLENECK_S] += overlap(t, horizon, t0, t1)
        t = horizon
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
