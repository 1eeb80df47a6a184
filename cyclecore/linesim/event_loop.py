"""General path: a discrete-event loop over machines, for what the max-plus recursion cannot do.

Needed for time-dependent failures (the failure clock runs in every state but repair), manual
bypass (the repair runs in calendar time while the station keeps working by hand, across parts)
and parallel identical machines in a stage.

Event semantics, per machine:

- *start*: an idle machine that can work (up, or bypassed) takes a part from the buffer in front
  of it, or directly from a blocked machine upstream when that buffer is empty (station 0 always
  has a part). Its work content is drawn; in the geometric model the failure draw happens here.
- *complete*: the part is finished. At the last station it leaves the line (unlimited demand);
  elsewhere it moves to the downstream buffer if a place is free, otherwise the machine is
  BLOCKED holding it (blocking after service). Blocked machines release parts in the order they
  finished.
- *fail*: the machine goes down; the interrupted part stays on it with its remaining work and
  resumes after repair. The repair time is drawn now. With the busy clock a machine fails only
  while processing automatically; with the time clock it can fail whatever it is doing.
- *bypass*: if the repair lasts longer than the bypass threshold, after that threshold the machine
  runs manually at its bypass cycle time (operators counted) until the repair ends.
- *repair*: the machine is back to automatic; the next time to failure is drawn.

Simultaneous events are handled one by one; states are recorded only when time moves on, so a
zero-length wait never breaks an active period (as in the max-plus path). Per-stream draws happen
in the same order as in the max-plus path, so the two agree part for part where both apply.

For speed, per-station parameters travel as one table (Numba pays an atomic reference-count pair
per array argument of a call it does not inline), the helpers below are inlined into the loop
(``inline='always'``: about a quarter of the time went into calling them), parts are moved only
around the station where an event happened (spreading while something moves), and only stations
touched since the last event time are re-recorded. The timeline helpers stay calls: inlining them
too made the loop slower (more code than registers).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .durations import GEOMETRIC, fails_this_cycle, sample, work_content
from .random_streams import PROCESSING, REPAIR, UPTIME
from .timeline import (
    BLOCKED, BYPASSED, FAILED, KNOWN, LEVEL, OPERATOR_S, STARVED, SWEEP_EVERY, T0, T1, WORKING,
    advance_bottleneck, buffer_change, close_timeline, mark_active, mark_waiting, overlap, record_state,
    settled_until,
)

COMPLETE = 0
FAIL = 1
BYPASS = 2
REPAIR_END = 3

# per-station parameter table ``p``
(_CYCLE, _UP_A, _UP_B, _UP_MEAN, _REP_A, _REP_B, _REP_MEAN, _BYPASS_AFTER, _MANUAL_RATE, _OPERATORS, _PLACES,
 _FIRST, _COUNT) = range(13)
# machine tables: floats ``f`` and integers ``s``
_WORK_LEFT, _WORK_MARK, _RATE, _UPTIME, _NEXT_FAIL, _REPAIR_END, _BYPASS_AT, _FINISHED, _SEG_START, _NEXT = range(10)
_HAS_PART, _DONE, _DOWN, _MANUAL, _SEG_STATE, _KIND, _STAGE = range(7)


@njit(cache=True, inline='always')
def _state(s, m):
    if s[m, _DOWN] == 1 and s[m, _MANUAL] == 0:
        return FAILED
    if s[m, _HAS_PART] == 1 and s[m, _DONE] == 0:
        return BYPASSED if s[m, _MANUAL] == 1 else WORKING
    if s[m, _HAS_PART] == 1:
        return BLOCKED
    return STARVED


@njit(cache=True, inline='always')
def _can_work(s, m):
    return s[m, _DOWN] == 0 or s[m, _MANUAL] == 1


@njit(cache=True, inline='always')
def _schedule(f, s, m, busy_clock):
    """Next event of machine m."""
    processing = s[m, _HAS_PART] == 1 and s[m, _DONE] == 0
    when = np.inf
    kind = -1
    if s[m, _DOWN] == 1:
        if s[m, _MANUAL] == 1:
            when = f[m, _REPAIR_END]
            kind = REPAIR_END
            if processing:
                done = f[m, _WORK_MARK] + f[m, _WORK_LEFT] / f[m, _RATE]
                if done < when:
                    when = done
                    kind = COMPLETE
        elif f[m, _BYPASS_AT] < f[m, _REPAIR_END]:
            when = f[m, _BYPASS_AT]
            kind = BYPASS
        else:
            when = f[m, _REPAIR_END]
            kind = REPAIR_END
    elif busy_clock:
        if processing:
            if f[m, _UPTIME] < f[m, _WORK_LEFT]:
                when = f[m, _WORK_MARK] + f[m, _UPTIME]
                kind = FAIL
            else:
                when = f[m, _WORK_MARK] + f[m, _WORK_LEFT]
                kind = COMPLETE
    else:
        when = f[m, _NEXT_FAIL]
        kind = FAIL
        if processing:
            done = f[m, _WORK_MARK] + f[m, _WORK_LEFT]
            if done <= when:
                when = done
                kind = COMPLETE
    f[m, _NEXT] = when
    s[m, _KIND] = kind


@njit(cache=True, inline='always')
def _fail(f, s, m, t, states, i, up_kind, p):
    s[m, _DOWN] = 1
    r = sample(states, i, REPAIR, up_kind, p[i, _REP_A], p[i, _REP_B], p[i, _REP_MEAN])
    f[m, _REPAIR_END] = t + r
    f[m, _BYPASS_AT] = t + p[i, _BYPASS_AFTER] if p[i, _BYPASS_AFTER] < r else np.inf


@njit(cache=True, inline='always')
def _start(f, s, m, t, states, i, work_model, up_kind, p):
    s[m, _HAS_PART] = 1
    s[m, _DONE] = 0
    f[m, _WORK_LEFT] = work_content(states, i, PROCESSING, work_model, p[i, _CYCLE])
    f[m, _WORK_MARK] = t
    if s[m, _MANUAL] == 1:
        f[m, _RATE] = p[i, _MANUAL_RATE]
    else:
        f[m, _RATE] = 1.0
        if up_kind == GEOMETRIC and fails_this_cycle(states, i, UPTIME, p[i, _UP_A]):
            _fail(f, s, m, t, states, i, up_kind, p)


@njit(cache=True, inline='always')
def _earliest_blocked(f, s, first, count):
    best = -1
    for m in range(first, first + count):
        if s[m, _HAS_PART] == 1 and s[m, _DONE] == 1 and _can_work(s, m):
            if best < 0 or f[m, _FINISHED] < f[best, _FINISHED]:
                best = m
    return best


@njit(cache=True, inline='always')
def _settle(f, s, t, t0, t1, station, p, dirty, need, states, work_model, up_kind, busy_clock, around):
    """Move parts until nothing can move at time t, starting around stage ``around`` and spreading
    upstream (a freed machine or place) and downstream (a new part) while something moves.

    Passes run downstream to upstream over a range that grows for the next pass. Within a pass a
    station is visited only if something it could act on changed since its last visit (``need``):
    a machine or place of its own freed by the station after it (this pass), a part pushed into
    the buffer before it, or a machine of its own released into the buffer after it (the next
    pass). Any other visit would move nothing, so skipping it keeps every move, and its order, as
    in visiting every station of the range on every pass."""
    n = p.shape[0]
    lo = max(around - 1, 0)
    hi = min(around + 1, n - 1)
    for i in range(lo, hi + 1):
        need[i] = 1
    pending = True
    while pending:
        pending = False
        low = lo
        for i in range(hi, low - 1, -1):
            if need[i] == 0:
                continue
            need[i] = 0
            first = int(p[i, _FIRST])
            count = int(p[i, _COUNT])
            for m in range(first, first + count):
                if s[m, _HAS_PART] == 1 or not _can_work(s, m):
                    continue
                if i > 0:
                    if station[i - 1, LEVEL] > 0:
                        buffer_change(station, i - 1, t, -1, t0, t1)
                    else:
                        u = _earliest_blocked(f, s, int(p[i - 1, _FIRST]), int(p[i - 1, _COUNT]))
                        if u < 0:
                            continue
                        s[u, _HAS_PART] = 0
                        s[u, _DONE] = 0
                        _schedule(f, s, u, busy_clock)
                    dirty[i - 1] = 1
                    need[i - 1] = 1  # a place or a machine freed upstream
                    if i - 1 < low:
                        lo = i - 1
                        pending = True
                _start(f, s, m, t, states, i, work_model, up_kind, p)
                _schedule(f, s, m, busy_clock)
                dirty[i] = 1
            if i < n - 1:
                while station[i, LEVEL] < p[i, _PLACES]:
                    u = _earliest_blocked(f, s, first, count)
                    if u < 0:
                        break
                    buffer_change(station, i, t, 1, t0, t1)
                    s[u, _HAS_PART] = 0
                    s[u, _DONE] = 0
                    _schedule(f, s, u, busy_clock)
                    dirty[i] = 1
                    need[i] = 1  # the released machine takes a part, on the next pass
                    need[i + 1] = 1  # and the next station the part pushed
                    pending = True
                    if i + 1 > hi:
                        hi = i + 1


@njit(cache=True, inline='always')
def _time_moves_on(f, s, t, t0, t1, station, p, dirty):
    """Record the states that held up to time t of the stations touched since the last time."""
    for i in range(p.shape[0]):
        if dirty[i] == 0:
            continue
        dirty[i] = 0
        active = False
        first = int(p[i, _FIRST])
        count = int(p[i, _COUNT])
        for m in range(first, first + count):
            state = _state(s, m)
            key = state + 5 * s[m, _MANUAL]
            if key != s[m, _SEG_STATE]:
                old = s[m, _SEG_STATE]
                if old >= 0:
                    record_state(station, i, old % 5, f[m, _SEG_START], t, 1.0 / count, t0, t1)
                    if old >= 5 and t > f[m, _SEG_START]:
                        station[i, OPERATOR_S] += p[i, _OPERATORS] * overlap(f[m, _SEG_START], t, t0, t1)
                s[m, _SEG_STATE] = key
                f[m, _SEG_START] = t
            if state != BLOCKED and state != STARVED:
                active = True
        if active:
            mark_active(station, i, t, t1)
        else:
            mark_waiting(station, i, t, t0, t1)


@njit(cache=True, nogil=True)
def run_event_loop(cycle, places, parallel, work_model, up_kind, up, rep, busy_clock, bypass_after,
                   manual_rate, operators, states, clock, station):
    """One replication. Returns (units finished in the window, parts finished since time 0)."""
    n = len(cycle)
    t0 = clock[T0]
    t1 = clock[T1]
    p = np.zeros((n, 13))
    machines = 0
    for i in range(n):
        p[i, _CYCLE] = cycle[i]
        p[i, _UP_A] = up[i, 0]
        p[i, _UP_B] = up[i, 1]
        p[i, _UP_MEAN] = up[i, 2]
        p[i, _REP_A] = rep[i, 0]
        p[i, _REP_B] = rep[i, 1]
        p[i, _REP_MEAN] = rep[i, 2]
        p[i, _BYPASS_AFTER] = bypass_after[i]
        p[i, _MANUAL_RATE] = manual_rate[i]
        p[i, _OPERATORS] = operators[i]
        p[i, _PLACES] = places[i] if i < n - 1 else 0.0
        p[i, _FIRST] = machines
        p[i, _COUNT] = parallel[i]
        machines += parallel[i]
    f = np.zeros((machines, 10))
    s = np.zeros((machines, 7), dtype=np.int64)
    dirty = np.ones(n, dtype=np.int64)
    need = np.zeros(n, dtype=np.int64)
    for i in range(n):
        for m in range(int(p[i, _FIRST]), int(p[i, _FIRST] + p[i, _COUNT])):
            s[m, _STAGE] = i
            s[m, _SEG_STATE] = -1
            f[m, _RATE] = 1.0
            f[m, _BYPASS_AT] = np.inf
            f[m, _REPAIR_END] = np.inf
            f[m, _UPTIME] = np.inf
            f[m, _NEXT_FAIL] = np.inf
            if up_kind != GEOMETRIC:
                u = sample(states, i, UPTIME, up_kind, up[i, 0], up[i, 1], up[i, 2])
                f[m, _UPTIME] = u
                f[m, _NEXT_FAIL] = u
            _schedule(f, s, m, busy_clock)
    units = 0
    completed = 0
    steps = 0
    t = 0.0
    for i in range(n - 1, -1, -1):
        _settle(f, s, t, t0, t1, station, p, dirty, need, states, work_model, up_kind, busy_clock, i)
    while True:
        m = 0
        for j in range(1, machines):
            if f[j, _NEXT] < f[m, _NEXT]:
                m = j
        when = f[m, _NEXT]
        if when > t:
            _time_moves_on(f, s, t, t0, t1, station, p, dirty)
            steps += 1
            if steps % SWEEP_EVERY == 0:
                for i in range(n):
                    station[i, KNOWN] = t
                advance_bottleneck(clock, station, settled_until(station, t1))
            if when > t1:
                break
            t = when
        i = s[m, _STAGE]
        dirty[i] = 1
        kind = s[m, _KIND]
        if kind == COMPLETE:
            if s[m, _MANUAL] == 0 and busy_clock:
                f[m, _UPTIME] -= f[m, _WORK_LEFT]
            f[m, _WORK_LEFT] = 0.0
            if i == n - 1:
                s[m, _HAS_PART] = 0
                completed += 1
                if t0 < t <= t1:
                    units += 1
            else:
                s[m, _DONE] = 1
                f[m, _FINISHED] = t
        elif kind == FAIL:
            if s[m, _HAS_PART] == 1 and s[m, _DONE] == 0:
                if busy_clock:
                    f[m, _WORK_LEFT] -= f[m, _UPTIME]
                else:
                    f[m, _WORK_LEFT] -= t - f[m, _WORK_MARK]
            f[m, _NEXT_FAIL] = np.inf
            _fail(f, s, m, t, states, i, up_kind, p)
        elif kind == BYPASS:
            s[m, _MANUAL] = 1
            f[m, _BYPASS_AT] = np.inf
            f[m, _WORK_MARK] = t
            f[m, _RATE] = p[i, _MANUAL_RATE]
        else:  # REPAIR_END
            if s[m, _MANUAL] == 1 and s[m, _HAS_PART] == 1 and s[m, _DONE] == 0:
                f[m, _WORK_LEFT] -= (t - f[m, _WORK_MARK]) * f[m, _RATE]
            s[m, _MANUAL] = 0
            s[m, _DOWN] = 0
            f[m, _RATE] = 1.0
            f[m, _WORK_MARK] = t
            f[m, _REPAIR_END] = np.inf
            f[m, _BYPASS_AT] = np.inf
            if up_kind != GEOMETRIC:
                u = sample(states, i, UPTIME, up_kind, up[i, 0], up[i, 1], up[i, 2])
                f[m, _UPTIME] = u
                f[m, _NEXT_FAIL] = t + u
        _schedule(f, s, m, busy_clock)
        _settle(f, s, t, t0, t1, station, p, dirty, need, states, work_model, up_kind, busy_clock, i)
    for m in range(machines):
        i = s[m, _STAGE]
        old = s[m, _SEG_STATE]
        count = p[i, _COUNT]
        record_state(station, i, old % 5, f[m, _SEG_START], t1, 1.0 / count, t0, t1)
        if old >= 5:
            station[i, OPERATOR_S] += operators[i] * overlap(f[m, _SEG_START], t1, t0, t1)
    close_timeline(clock, station, n - 1)
    return units, completed
