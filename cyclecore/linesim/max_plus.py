"""Fast path: a serial line as a max-plus recursion, no event queue.

With one machine per station, blocking after service and B_i places between stations i and i+1,
the time part k leaves station i is

    D_i(k) = max( max(D_{i-1}(k), D_i(k-1)) + S_i(k),  D_{i+1}(k - B_i - 1) )

(start when the part has arrived and the previous one has left; leave when the part k-B_i-1
has left the next station, freeing a place). Supply is unlimited (D_{-1} = -inf), demand is
unlimited (the last station is never blocked).

Operation-dependent failures (failure clock runs only while processing) only lengthen the part
they hit: S_i(k) is the part's work content plus the repairs that fell into it, so the recursion
stays exact. The uptime left on each station carries over from part to part. The arithmetic
(and the order of random draws per stream) is the same as the event loop's, so both give the
same sample path for the same seed. Memory: rolling arrays of B_max + 2 parts per station.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .durations import GEOMETRIC, fails_this_cycle, sample, work_content
from .random_streams import PROCESSING, REPAIR, UPTIME
from .timeline import (
    BLOCKED, FAILED, STARVED, WORKING, advance_bottleneck, buffer_change, close_timeline, record_station,
    settled_until,
)


@njit(cache=True)
def _serve(states, tl, i, start, cycle, work_model, up_kind, up, rep, uptime_left):
    """Process one part on station i from ``start``; record working/failed time; return the end."""
    t = start
    w = work_content(states, i, PROCESSING, work_model, cycle[i])
    if up_kind == GEOMETRIC:
        if fails_this_cycle(states, i, UPTIME, up[i, 0]):
            r = sample(states, i, REPAIR, GEOMETRIC, rep[i, 0], rep[i, 1], rep[i, 2])
            record_station(tl, i, FAILED, t, t + r)
            t = t + r
        record_station(tl, i, WORKING, t, t + w)
        return t + w
    while uptime_left[i] < w:
        failure = t + uptime_left[i]
        record_station(tl, i, WORKING, t, failure)
        w -= uptime_left[i]
        r = sample(states, i, REPAIR, up_kind, rep[i, 0], rep[i, 1], rep[i, 2])
        record_station(tl, i, FAILED, failure, failure + r)
        t = failure + r
        uptime_left[i] = sample(states, i, UPTIME, up_kind, up[i, 0], up[i, 1], up[i, 2])
    record_station(tl, i, WORKING, t, t + w)
    uptime_left[i] -= w
    return t + w


@njit(cache=True)
def _buffer_interval(tl, exits, exit_head, exit_len, b, arrive, leave):
    """Part sat on buffer b during [arrive, leave); intervals arrive in FIFO order."""
    size = exits.shape[1]
    while exit_len[b] > 0 and exits[b, exit_head[b]] <= arrive:
        buffer_change(tl, b, exits[b, exit_head[b]], -1)
        exit_head[b] = (exit_head[b] + 1) % size
        exit_len[b] -= 1
    if leave > arrive:
        buffer_change(tl, b, arrive, 1)
        exits[b, (exit_head[b] + exit_len[b]) % size] = leave
        exit_len[b] += 1


@njit(cache=True, nogil=True)
def run_max_plus(cycle, places, work_model, up_kind, up, rep, states, tl):
    """One replication. Returns (units in the window, parts completed in total)."""
    n = len(cycle)
    t0 = tl.window[0]
    t1 = tl.window[1]
    ring = 2
    for b in places:
        ring = max(ring, b + 2)
    departures = np.full((n, ring), -np.inf)
    previous = np.zeros(n)  # D_i(k-1); stations are free at time 0
    uptime_left = np.empty(n)
    for i in range(n):
        uptime_left[i] = np.inf
        if up_kind != GEOMETRIC:
            uptime_left[i] = sample(states, i, UPTIME, up_kind, up[i, 0], up[i, 1], up[i, 2])
    exits = np.zeros((max(n - 1, 1), ring))
    exit_head = np.zeros(max(n - 1, 1), dtype=np.int64)
    exit_len = np.zeros(max(n - 1, 1), dtype=np.int64)
    units = 0
    k = 0
    while True:
        arrival = -np.inf  # unlimited supply in front of station 0
        slot = k % ring
        for i in range(n):
            start = arrival if arrival > previous[i] else previous[i]
            if i > 0:
                record_station(tl, i, STARVED, previous[i], start)
                _buffer_interval(tl, exits, exit_head, exit_len, i - 1, arrival, start)
            end = _serve(states, tl, i, start, cycle, work_model, up_kind, up, rep, uptime_left)
            leave = end
            if i < n - 1 and k - places[i] - 1 >= 0:
                freed = departures[i + 1, (k - places[i] - 1) % ring]
                if freed > leave:
                    leave = freed
            record_station(tl, i, BLOCKED, end, leave)
            departures[i, slot] = leave
            previous[i] = leave
            tl.known[i] = leave
            arrival = leave
        if t0 < arrival <= t1:
            units += 1
        k += 1
        advance_bottleneck(tl, settled_until(tl))
        if previous[0] > t1:
            break
    for b in range(n - 1):
        _buffer_interval(tl, exits, exit_head, exit_len, b, np.inf, np.inf)
    close_timeline(tl)
    return units, k
