"""Fast path: a serial line as a max-plus recursion, no event queue.

With one machine per station, blocking after service and B_i places between stations i and i+1,
the time part k leaves station i is

    D_i(k) = max( max(D_{i-1}(k), D_i(k-1)) + S_i(k),  D_{i+1}(k - B_i - 1) )

(start when the part has arrived and the previous one has left; leave when the part k-B_i-1
has left the next station, freeing a place). Supply is unlimited (D_{-1} = -inf), demand is
unlimited (the last station is never blocked).

Operation-dependent failures (failure clock runs only while processing) only lengthen the part
they hit: S_i(k) is the part's work content plus the repairs that fell into it, so the recursion
stays exact. The uptime left on each station carries over from part to part: failures are drawn
per failure (the next time to failure, in busy time), so a part that no failure hits costs no
random draw, only a subtraction. The arithmetic
(and the order of random draws per stream) is the same as the event loop's, so both give the
same sample path for the same seed. Memory: rolling arrays of B_max + 2 parts per station.

The common case (no failure inside the part) is written out in the loop rather than in helpers:
a helper that takes arrays and is not inlined costs more than the whole recursion step.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .durations import DETERMINISTIC, GEOMETRIC, fails_this_cycle, sample, work_content
from .random_streams import PROCESSING, REPAIR, UPTIME
from .timeline import (
    BLOCKED, FAILED, KNOWN, OPEN_START, STARVED, SWEEP_EVERY, T0, T1, WORKING, advance_bottleneck,
    buffer_change, close_timeline, mark_active, mark_waiting, overlap, record_state, settled_until,
)


@njit(cache=True)
def _serve_with_failures(states, station, i, start, w, up_kind, up, rep, uptime_left, t0, t1):
    """Process a part of work content w on station i from ``start`` when a failure may hit it;
    record working and failed time; return the end."""
    t = start
    if up_kind == GEOMETRIC:
        if fails_this_cycle(states, i, UPTIME, up[i, 0]):
            r = sample(states, i, REPAIR, GEOMETRIC, rep[i, 0], rep[i, 1], rep[i, 2])
            if r > 0:
                record_state(station, i, FAILED, t, t + r, 1.0, t0, t1)
                mark_active(station, i, t, t1)
            t = t + r
        record_state(station, i, WORKING, t, t + w, 1.0, t0, t1)
        mark_active(station, i, t, t1)
        return t + w
    while uptime_left[i] < w:
        failure = t + uptime_left[i]
        if failure > t:
            record_state(station, i, WORKING, t, failure, 1.0, t0, t1)
            mark_active(station, i, t, t1)
        w -= uptime_left[i]
        r = sample(states, i, REPAIR, up_kind, rep[i, 0], rep[i, 1], rep[i, 2])
        if r > 0:
            record_state(station, i, FAILED, failure, failure + r, 1.0, t0, t1)
            mark_active(station, i, failure, t1)
        t = failure + r
        uptime_left[i] = sample(states, i, UPTIME, up_kind, up[i, 0], up[i, 1], up[i, 2])
    record_state(station, i, WORKING, t, t + w, 1.0, t0, t1)
    mark_active(station, i, t, t1)
    uptime_left[i] -= w
    return t + w


@njit(cache=True, nogil=True)
def run_max_plus(cycle, places, work_model, up_kind, up, rep, states, clock, station):
    """One replication. Returns (units finished in the window, parts finished since time 0)."""
    n = len(cycle)
    t0 = clock[T0]
    t1 = clock[T1]
    ring = 2
    for b in places:
        ring = max(ring, b + 2)
    departures = np.full((n, ring), -np.inf)
    previous = np.zeros(n)  # D_i(k-1); stations are free at time 0
    uptime_left = np.full(n, np.inf)
    if up_kind != GEOMETRIC:
        for i in range(n):
            uptime_left[i] = sample(states, i, UPTIME, up_kind, up[i, 0], up[i, 1], up[i, 2])
    # parts on buffer b leave it (enter station b+1) at these times, FIFO
    exits = np.zeros((max(n - 1, 1), ring))
    exit_head = np.zeros(max(n - 1, 1), dtype=np.int64)
    exit_len = np.zeros(max(n - 1, 1), dtype=np.int64)
    units = 0
    completed = 0
    k = 0
    while True:
        arrival = -np.inf  # unlimited supply in front of station 0
        slot = k % ring
        for i in range(n):
            start = arrival if arrival > previous[i] else previous[i]
            if i > 0:
                if start > previous[i]:
                    station[i, STARVED] += overlap(previous[i], start, t0, t1)
                    mark_waiting(station, i, previous[i], t0, t1)
                b = i - 1
                while exit_len[b] > 0 and exits[b, exit_head[b]] <= arrival:
                    buffer_change(station, b, exits[b, exit_head[b]], -1, t0, t1)
                    exit_head[b] = (exit_head[b] + 1) % ring
                    exit_len[b] -= 1
                if start > arrival:
                    buffer_change(station, b, arrival, 1, t0, t1)
                    exits[b, (exit_head[b] + exit_len[b]) % ring] = start
                    exit_len[b] += 1
            if work_model == DETERMINISTIC:
                w = cycle[i]
            else:
                w = work_content(states, i, PROCESSING, work_model, cycle[i])
            if up_kind != GEOMETRIC and uptime_left[i] >= w:
                end = start + w
                uptime_left[i] -= w
                if end > start:
                    station[i, WORKING] += overlap(start, end, t0, t1)
                    if np.isnan(station[i, OPEN_START]):
                        mark_active(station, i, start, t1)
            else:
                end = _serve_with_failures(states, station, i, start, w, up_kind, up, rep, uptime_left, t0, t1)
            leave = end
            if i < n - 1 and k - places[i] - 1 >= 0:
                freed = departures[i + 1, (k - places[i] - 1) % ring]
                if freed > leave:
                    leave = freed
            if leave > end:
                station[i, BLOCKED] += overlap(end, leave, t0, t1)
                mark_waiting(station, i, end, t0, t1)
            departures[i, slot] = leave
            previous[i] = leave
            station[i, KNOWN] = leave
            arrival = leave
        if arrival <= t1:
            completed += 1
            if arrival > t0:
                units += 1
        k += 1
        if k % SWEEP_EVERY == 0:
            advance_bottleneck(clock, station, settled_until(station, t1))
        if previous[0] > t1:
            break
    for b in range(n - 1):
        while exit_len[b] > 0:
            buffer_change(station, b, exits[b, exit_head[b]], -1, t0, t1)
            exit_head[b] = (exit_head[b] + 1) % ring
            exit_len[b] -= 1
    close_timeline(clock, station, n - 1)
    return units, completed

