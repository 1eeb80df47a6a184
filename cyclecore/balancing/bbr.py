"""Branch, bound and remember: the exact station-count search for simple line balancing (SALBP-1).

After Sewell & Jacobson (2012), "A branch, bound, and remember algorithm for the simple assembly
line balancing problem", INFORMS Journal on Computing 24(3):433-442.

The line is filled station by station. A search *state* is the set of tasks already placed in
stations 1..k, stored as a bitset; a branch closes station k+1 with one of its *maximal loads*
(a precedence-feasible set of available tasks that fits in the cycle time and to which no further
available task could be added — leaving a fitting task out never helps the station count).

* Bound: k + max(LB1, LB2, LB3) of the tasks still to place, and the chain bound (an open task
  needs room for its open predecessors before it and its successors after it); a load must also
  leave no more idle time than the incumbent allows, and every task whose latest station (from
  its tail of successor work) is k+1 must be in it. Loads are enumerated in flow order so both
  tests cut whole families of loads at once.
* Dominance (Jackson 1956): task i dominates j when t_i >= t_j and i's followers include all of
  j's (ties broken by index). A load holding j while an available i is left out and would fit in
  j's place is skipped: swapping them never hurts, so an optimum without such loads exists.
* Remember: every state reached is kept in an open-addressing hash table (numpy arrays) with the
  fewest stations it was reached with; reaching it again with as many or more stations is pruned.
  Many different station sequences end in the same set of placed tasks, so this collapses the
  tree into a much smaller graph.
* Order: cyclic best-first search (CBFS). Open states are kept per number of closed stations,
  best first by total idle time so far; the search expands the best state of station count 0,
  then of 1, 2, ... and wraps around. Each sweep is a dive, so incumbents come early as in depth-
  first search, yet every sweep restarts from the best unexplored states of every depth instead of
  getting stuck below one bad early station.
* Loads are generated lazily, a batch at a time: a state with millions of maximal loads (long
  stations of short tasks) is resumed later from where its enumeration stopped.

The kernel is deterministic; only the wall-clock limit can stop it at a run-dependent point, in
which case it reports that the incumbent is not proven. ``node_limit`` gives a reproducible cut:
it counts expanded states, and one expansion that enumerates loads for long is charged one more
state per ``STEPS_PER_STATE`` enumeration steps, so the cut does not depend on the clock either.

Parameters travel as a few typed tables whose rows are named by the constants below, as in
:mod:`cyclecore.linesim.event_loop` (Numba pays a reference-count pair per array argument of a
call it does not inline, and a table keeps the signatures readable): the line (``task``, one
row per per-task quantity; ``ptr``/``idx``, the predecessor, successor and dominator lists), the
state being expanded (``state``), its scratch rows (``scratch``) and bitsets (``bits``), and the
run's counters (``run``) and clock (``clock``). :func:`search` builds them from a
:class:`SearchLine`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit, objmode
from numba.typed import List

from .bounds import lb2_weights, lb3_weights
from .priority_rules import csr

PROVEN = 0
TIME_LIMIT = 1
NODE_LIMIT = 2
MEMORY_LIMIT = 3

# load-enumeration steps charged as one state against node_limit: about what one expansion costs,
# so charged states track the search's time and an effort limit stays near its time limit
STEPS_PER_STATE = 1 << 11

_ONE = np.uint64(1)

# the line, flow order: rows of ``task`` (rows, n) int64 ...
_T, _HEAD, _W2, _W3, _TAIL_STATIONS = range(5)
# ... and rows of ``ptr`` (3, n + 1): list of task j is idx[ptr[row, j]:ptr[row, j + 1]]
_PRED, _SUCC, _DOM = range(3)
# the state being expanded: ``state`` int64
_C, _K, _M_MAX, _NF, _REM, _REM2, _REM3, _RESUME, _RESUME_POS, _BATCH = range(10)
# its scratch rows: ``scratch`` (rows, n + 1) int64
_FREE, _WHERE, _SUFFIX, _LONGEST, _WAITING, _IN_LOAD, _SEL = range(7)
# its bitsets: ``bits`` (rows, words) uint64 (the state, a stopped load to resume, the load built)
_CUR, _RESUME_LOAD, _LOAD = range(3)
# the run: ``run`` int64 counters and ``clock`` float64 seconds
_STEPS, _FILL, _NODES, _NODE_LIMIT = range(4)
_T0, _TIME_LIMIT = range(2)
# how an expansion ended
_ENUMERATED, _PARTIAL, _SOLVED, _OUT_OF_TIME, _OUT_OF_STATES = range(5)


@njit(cache=True)
def _hash(bits):
    h = np.uint64(14695981039346656037)
    for w in range(bits.shape[0]):
        h ^= bits[w]
        h *= np.uint64(1099511628211)
        h ^= h >> np.uint64(29)
    return h


@njit(cache=True)
def _remember(keys, vals, run, bits, depth):
    """True when ``bits`` is new or now reached with fewer stations (and stores it)."""
    cap = vals.shape[0]
    mask = np.uint64(cap - 1)
    h = np.int64(_hash(bits) & mask)
    nw = bits.shape[0]
    while True:
        v = vals[h]
        if v == 0:
            # A full table stops remembering but never stops the search: still exact, just slower.
            if run[_FILL] * 4 >= cap * 3:
                return True
            for w in range(nw):
                keys[h, w] = bits[w]
            vals[h] = depth + 1
            run[_FILL] += 1
            return True
        same = True
        for w in range(nw):
            if keys[h, w] != bits[w]:
                same = False
                break
        if same:
            if v <= depth + 1:
                return False
            vals[h] = depth + 1
            return True
        h = (h + 1) & np.int64(cap - 1)


@njit(cache=True)
def _stored_depth(keys, vals, bits):
    """Fewest stations a state was reached with, or a large number when not stored."""
    cap = vals.shape[0]
    h = np.int64(_hash(bits) & np.uint64(cap - 1))
    nw = bits.shape[0]
    while True:
        v = vals[h]
        if v == 0:
            return 1 << 30
        same = True
        for w in range(nw):
            if keys[h, w] != bits[w]:
                same = False
                break
        if same:
            return v - 1
        h = (h + 1) & np.int64(cap - 1)


@njit(cache=True)
def _dominator_lists(t, after):
    n = t.shape[0]
    cnt = np.zeros(n + 1, dtype=np.int64)
    flags = np.zeros((n, n), dtype=np.bool_)
    for j in range(n):
        for i in range(n):
            if i == j or t[i] < t[j]:
                continue
            covers = True
            equal = True
            for k in range(n):
                if after[j, k] and not after[i, k]:
                    covers = False
                    break
                if after[i, k] and not after[j, k]:
                    equal = False
            if not covers:
                continue
            if t[i] == t[j] and equal and i > j:
                continue  # identical tasks: the lower index dominates
            flags[i, j] = True
            cnt[j + 1] += 1
    ptr = np.cumsum(cnt)
    idx = np.empty(ptr[n], dtype=np.int64)
    fill = ptr[:n].copy()
    for j in range(n):
        for i in range(n):
            if flags[i, j]:
                idx[fill[j]] = i
                fill[j] += 1
    return ptr, idx


def dominators(t: np.ndarray, after: np.ndarray):
    """CSR lists (ptr, idx) of the tasks dominating each task (flow order, int64 times)."""
    return _dominator_lists(np.ascontiguousarray(t, dtype=np.int64), np.ascontiguousarray(after))


@njit(cache=True)
def _ceil(a, b):
    return -((-a) // b)


@njit(cache=True)
def _out_of_states(run):
    """The run has used its ``node_limit``: states expanded plus long enumerations charged."""
    return run[_NODES] + run[_STEPS] // STEPS_PER_STATE > run[_NODE_LIMIT]


@njit(cache=True)
def _expand(task, ptr, idx, state, scratch, bits, keys, vals, run, clock, child_bits, child_key):
    """Enumerate up to ``state[_BATCH]`` new maximal loads for station k+1 of ``bits[_CUR]``.

    Children (new or improved states) go to ``child_bits``/``child_key`` (idle time of the load).
    When the batch is full, the enumeration point is written to ``bits[_RESUME_LOAD]`` (load) and
    ``state[_RESUME_POS]``. Returns (how it ended, number of children, child_bits, child_key);
    on ``_SOLVED`` ``bits[_LOAD]`` holds the load that places every remaining task.
    """
    t = task[_T]
    w2 = task[_W2]
    w3 = task[_W3]
    tail_stations = task[_TAIL_STATIONS]
    free = scratch[_FREE]
    where = scratch[_WHERE]
    suffix = scratch[_SUFFIX]
    longest = scratch[_LONGEST]
    waiting = scratch[_WAITING]
    in_load = scratch[_IN_LOAD]
    sel = scratch[_SEL]
    cur = bits[_CUR]
    resume_bits = bits[_RESUME_LOAD]
    load_bits = bits[_LOAD]
    c = state[_C]
    k = state[_K]
    m_max = state[_M_MAX]
    nf = state[_NF]
    rem = state[_REM]
    rem2 = state[_REM2]
    rem3 = state[_REM3]
    batch = state[_BATCH]
    nw = cur.shape[0]
    for p in range(nf):
        j = free[p]
        cnt = 0
        chain = 0
        for q in range(ptr[_PRED, j], ptr[_PRED, j + 1]):
            i = idx[q]
            if (cur[i >> 6] >> np.uint64(i & 63)) & _ONE == 0:
                cnt += 1
                chain = max(chain, longest[i])
        waiting[j] = cnt
        # a task behind a chain of unplaced work longer than c cannot join this station
        longest[j] = chain + t[j]
    suffix[nf] = 0
    for p in range(nf - 1, -1, -1):
        j = free[p]
        suffix[p] = suffix[p + 1] + (t[j] if longest[j] <= c else 0)
    # the load must leave at most (m_max - k - 1) stations of work behind ...
    min_load = rem - (m_max - k - 1) * c
    # ... and must contain every task whose latest station is k+1
    must_tail = m_max - k

    # enumerate maximal loads in flow order: sel holds positions in `free`
    nsel = 0
    pos = 0
    lt = 0
    l2 = 0
    l3 = 0
    nchild = 0
    ended = _ENUMERATED
    for w in range(nw):
        load_bits[w] = 0
    if state[_RESUME] == 1:
        # replay the stopped enumeration: its load, taken in flow order
        for p in range(nf):
            j = free[p]
            if (resume_bits[j >> 6] >> np.uint64(j & 63)) & _ONE == 0:
                continue
            sel[nsel] = p
            nsel += 1
            in_load[j] = 1
            load_bits[j >> 6] |= _ONE << np.uint64(j & 63)
            lt += t[j]
            l2 += w2[j]
            l3 += w3[j]
            for q in range(ptr[_SUCC, j], ptr[_SUCC, j + 1]):
                waiting[idx[q]] -= 1
        pos = state[_RESUME_POS]
    while True:
        if nchild >= batch:
            for w in range(nw):
                resume_bits[w] = load_bits[w]
            state[_RESUME_POS] = pos
            ended = _PARTIAL
            break
        run[_STEPS] += 1
        if run[_STEPS] % STEPS_PER_STATE == 0:
            if _out_of_states(run):
                ended = _OUT_OF_STATES
                break
            with objmode(now="f8"):
                now = __import__("time").perf_counter()
            if now - clock[_T0] > clock[_TIME_LIMIT]:
                ended = _OUT_OF_TIME
                break
        found = -1
        dead = lt + suffix[pos] < min_load
        if not dead:
            for p in range(pos, nf):
                j = free[p]
                if waiting[j] == 0 and lt + t[j] <= c:
                    # an equally long dominator already left out: taking j is dominated
                    dominated = False
                    for q in range(ptr[_DOM, j], ptr[_DOM, j + 1]):
                        i = idx[q]
                        wi = where[i]
                        if wi >= 0 and wi < p and t[i] == t[j] and in_load[i] == 0 and waiting[i] == 0:
                            dominated = True
                            break
                    if not dominated:
                        found = p
                        break
                if tail_stations[j] >= must_tail:
                    dead = True  # a must-place task is passed over for good
                    break
        if found >= 0 and not dead:
            j = free[found]
            sel[nsel] = found
            nsel += 1
            in_load[j] = 1
            load_bits[j >> 6] |= _ONE << np.uint64(j & 63)
            lt += t[j]
            l2 += w2[j]
            l3 += w3[j]
            for q in range(ptr[_SUCC, j], ptr[_SUCC, j + 1]):
                waiting[idx[q]] -= 1
            pos = found + 1
            continue
        if not dead and lt >= min_load and lt > 0:
            maximal = True
            for p in range(pos):
                j = free[p]
                if in_load[j] == 0 and waiting[j] == 0 and lt + t[j] <= c:
                    maximal = False
                    break
            if maximal:
                # Jackson dominance: a left-out available task could take a member's place
                for p in range(pos):
                    j = free[p]
                    if in_load[j] == 0:
                        continue
                    for q in range(ptr[_DOM, j], ptr[_DOM, j + 1]):
                        i = idx[q]
                        if where[i] >= 0 and in_load[i] == 0 and waiting[i] == 0 and lt - t[j] + t[i] <= c:
                            maximal = False
                            break
                    if not maximal:
                        break
            if maximal:
                left = rem - lt
                lbc = k + 1 + max(_ceil(left, c), max(_ceil(rem2 - l2, 2), _ceil(rem3 - l3, 6)))
                if lbc <= m_max:
                    if left == 0:
                        ended = _SOLVED  # every task placed: load_bits closes station k+1
                        break
                    for w in range(nw):
                        child_bits[nchild, w] = cur[w] | load_bits[w]
                    if _remember(keys, vals, run, child_bits[nchild], k + 1):
                        child_key[nchild] = c - lt
                        nchild += 1
                        if nchild == child_key.shape[0]:
                            nb = np.zeros((2 * nchild, nw), dtype=np.uint64)
                            nb[:nchild] = child_bits
                            child_bits = nb
                            nk = np.zeros(2 * nchild, dtype=np.int64)
                            nk[:nchild] = child_key
                            child_key = nk
        # backtrack: drop the last task and try the loads without it; leaving out a
        # must-place task is never feasible, so such branches are skipped at once
        finished = True
        while nsel > 0:
            nsel -= 1
            p = sel[nsel]
            j = free[p]
            in_load[j] = 0
            load_bits[j >> 6] &= ~(_ONE << np.uint64(j & 63))
            lt -= t[j]
            l2 -= w2[j]
            l3 -= w3[j]
            for q in range(ptr[_SUCC, j], ptr[_SUCC, j + 1]):
                waiting[idx[q]] += 1
            pos = p + 1
            if tail_stations[j] < must_tail:
                finished = False
                break
        if finished:
            break
    # clean per-state scratch (load_bits is kept: it is the closing load of a solution)
    while nsel > 0:
        nsel -= 1
        j = free[sel[nsel]]
        in_load[j] = 0
        for q in range(ptr[_SUCC, j], ptr[_SUCC, j + 1]):
            waiting[idx[q]] += 1
    return ended, nchild, child_bits, child_key


_DEBRUIJN = np.array([0, 1, 48, 2, 57, 49, 28, 3, 61, 58, 50, 42, 38, 29, 17, 4, 62, 55, 59, 36, 53, 51,
                      43, 22, 45, 39, 33, 30, 24, 18, 12, 5, 63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52,
                      21, 44, 32, 23, 11, 46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9, 13, 8, 7, 6],
                     dtype=np.int64)  # index of the lowest set bit from (bit * 0x03F79D71B4CB0A89) >> 58


@njit(cache=True)
def _chain_too_long(task, ancestors, state, scratch, cur):
    """Chain bound on a state: an open task j needs ceil(head'/c) stations from k+1 up to its own
    (head' = its time plus its still open predecessors') and ceil(tail/c) from its own to the last,
    so k + both - 1 must not exceed the incumbent minus one."""
    t = task[_T]
    head = task[_HEAD]
    tail_stations = task[_TAIL_STATIONS]
    free = scratch[_FREE]
    c = state[_C]
    k = state[_K]
    m_max = state[_M_MAX]
    nw = cur.shape[0]
    for p in range(state[_NF]):
        j = free[p]
        room = (m_max - k - tail_stations[j] + 1) * c
        if head[j] <= room:
            continue  # even with every predecessor still open it fits
        h = t[j]
        for w in range(nw):
            x = ancestors[j, w] & ~cur[w]
            while x != 0:
                low = x & (~x + np.uint64(1))
                bit = _DEBRUIJN[np.int64((low * np.uint64(0x03F79D71B4CB0A89)) >> np.uint64(58))]
                h += t[w * 64 + bit]
                x ^= low
        if h > room:
            return True
    return False


@njit(cache=True)
def _heap_push(heap, size, idx, key):
    i = size
    heap[i] = idx
    while i > 0:
        parent = (i - 1) >> 1
        a = heap[i]
        b = heap[parent]
        # lower idle first; among equals the newest state (a dive continues)
        if key[a] < key[b] or (key[a] == key[b] and a > b):
            heap[i] = b
            heap[parent] = a
            i = parent
        else:
            break


@njit(cache=True)
def _heap_pop(heap, size, key):
    top = heap[0]
    size -= 1
    heap[0] = heap[size]
    i = 0
    while True:
        l = 2 * i + 1
        if l >= size:
            break
        best = l
        r = l + 1
        if r < size:
            a = heap[r]
            b = heap[l]
            if key[a] < key[b] or (key[a] == key[b] and a > b):
                best = r
        a = heap[best]
        b = heap[i]
        if key[a] < key[b] or (key[a] == key[b] and a > b):
            heap[best] = b
            heap[i] = a
            i = best
        else:
            break
    return top


# what the caller asks of one search: ``ask`` int64
(_ASK_CYCLE, _ASK_LOWER_BOUND, _ASK_INCUMBENT, _ASK_STOP_AT, _ASK_NODE_LIMIT, _ASK_BATCH,
 _ASK_POOL_CAP) = range(7)
_FIRST_POOL = 1 << 12  # the state pool starts small and doubles: most searches end early


@njit(cache=True)
def _grown_rows(a, rows):
    b = np.zeros((rows, a.shape[1]), dtype=np.uint64)
    b[: a.shape[0]] = a
    return b


@njit(cache=True)
def _grown(a, size, fill):
    b = np.full(size, fill, dtype=np.int64)
    b[: a.shape[0]] = a
    return b


@njit(cache=True)
def bbr_search(task, ptr, idx, ancestors, keys, vals, ask, time_limit, best_station):
    """Search for a balance with fewer than ``ask[_ASK_INCUMBENT]`` stations.

    ``task``, ``ptr``/``idx`` and ``ancestors`` are the line's tables (module docstring), for the
    cycle time ``ask[_ASK_CYCLE]``. ``best_station`` (n,) holds the incumbent (0-based stations,
    flow order) and is overwritten by improvements. The search stops when the incumbent reaches
    ``max(ask[_ASK_LOWER_BOUND], ask[_ASK_STOP_AT])`` or the search space is exhausted (status
    PROVEN), the wall clock passes ``time_limit`` s (TIME_LIMIT), ``ask[_ASK_NODE_LIMIT]`` states
    are charged (NODE_LIMIT) or ``ask[_ASK_POOL_CAP]`` open states are stored (MEMORY_LIMIT).
    ``keys`` (cap, words) uint64 / ``vals`` (cap,) int32 are the remember table (cap a power of
    two, vals zeroed); ``ask[_ASK_BATCH]`` loads are generated per expansion. Returns (best_m,
    status, states charged: expanded plus long enumerations, as counted against the node limit,
    seconds the search ran: its own wall clock, compilation excluded).
    """
    n = task.shape[1]
    nw = keys.shape[1]
    w2 = task[_W2]
    w3 = task[_W3]
    best_m = ask[_ASK_INCUMBENT]
    goal = max(ask[_ASK_LOWER_BOUND], ask[_ASK_STOP_AT])
    if best_m <= goal:
        return best_m, PROVEN, 0, 0.0
    clock = np.empty(2, dtype=np.float64)
    with objmode(t0="f8"):
        t0 = __import__("time").perf_counter()
    clock[_T0] = t0
    clock[_TIME_LIMIT] = time_limit
    run = np.zeros(4, dtype=np.int64)
    run[_NODE_LIMIT] = ask[_ASK_NODE_LIMIT]
    pool_cap = ask[_ASK_POOL_CAP]
    batch = ask[_ASK_BATCH]

    # every generated state lives in the pool: bits, closed stations, parent (to read the
    # balance back), idle time so far, and where its stopped load enumeration resumes (-1: fresh)
    size = min(pool_cap, _FIRST_POOL)
    pbits = np.zeros((size, nw), dtype=np.uint64)
    pdepth = np.zeros(size, dtype=np.int64)
    pparent = np.zeros(size, dtype=np.int64)
    pkey = np.zeros(size, dtype=np.int64)
    pcont = np.full(size, -1, dtype=np.int64)
    cbits = np.zeros((64, nw), dtype=np.uint64)
    cpos = np.zeros(64, dtype=np.int64)
    ncont = 0
    levels = n + 2
    heaps = List()
    for d in range(levels):
        heaps.append(np.empty(8, dtype=np.int64))
    hsize = np.zeros(levels, dtype=np.int64)

    child_bits = np.zeros((batch + 1, nw), dtype=np.uint64)
    child_key = np.zeros(batch + 1, dtype=np.int64)
    scratch = np.zeros((7, n + 1), dtype=np.int64)
    free = scratch[_FREE]
    where = scratch[_WHERE]
    bits = np.zeros((3, nw), dtype=np.uint64)
    cur = bits[_CUR]
    state = np.zeros(10, dtype=np.int64)
    state[_C] = ask[_ASK_CYCLE]
    state[_BATCH] = batch
    c = state[_C]

    # root: nothing placed, zero stations closed
    npool = 1
    pparent[0] = -1
    _remember(keys, vals, run, pbits[0], 0)
    _heap_push(heaps[0], 0, 0, pkey)
    hsize[0] = 1
    open_states = 1
    level = 0
    status = PROVEN
    while open_states > 0:
        while hsize[level] == 0:
            level += 1
            if level >= levels:
                level = 0
        idx_state = _heap_pop(heaps[level], hsize[level], pkey)
        hsize[level] -= 1
        open_states -= 1
        k = pdepth[idx_state]
        for w in range(nw):
            cur[w] = pbits[idx_state, w]
        resume = pcont[idx_state] >= 0
        if not resume and _stored_depth(keys, vals, cur) < k:
            continue  # reached by a shorter route too, which is expanded instead
        m_max = best_m - 1
        nf = 0
        rem = 0
        rem2 = 0
        rem3 = 0
        for j in range(n):
            where[j] = -1
            if (cur[j >> 6] >> np.uint64(j & 63)) & _ONE == 0:
                where[j] = nf
                free[nf] = j
                nf += 1
                rem += task[_T, j]
                rem2 += w2[j]
                rem3 += w3[j]
        if k + max(_ceil(rem, c), max(_ceil(rem2, 2), _ceil(rem3, 6))) > m_max:
            continue
        state[_K] = k
        state[_M_MAX] = m_max
        state[_NF] = nf
        state[_REM] = rem
        state[_REM2] = rem2
        state[_REM3] = rem3
        if _chain_too_long(task, ancestors, state, scratch, cur):
            continue
        if not resume:
            run[_NODES] += 1
            if _out_of_states(run):
                status = NODE_LIMIT
                break
        if run[_NODES] % 1024 == 0:
            with objmode(now="f8"):
                now = __import__("time").perf_counter()
            if now - t0 > time_limit:
                status = TIME_LIMIT
                break
        state[_RESUME] = 0
        if resume:
            ci = pcont[idx_state]
            for w in range(nw):
                bits[_RESUME_LOAD, w] = cbits[ci, w]
            state[_RESUME] = 1
            state[_RESUME_POS] = cpos[ci]
        ended, nchild, child_bits, child_key = _expand(
            task, ptr, idx, state, scratch, bits, keys, vals, run, clock, child_bits, child_key)
        if ended == _OUT_OF_TIME:
            status = TIME_LIMIT
            break
        if ended == _OUT_OF_STATES:
            status = NODE_LIMIT
            break
        if ended == _SOLVED:
            for j in range(n):
                if (bits[_LOAD, j >> 6] >> np.uint64(j & 63)) & _ONE == 1:
                    best_station[j] = k
            node = idx_state
            while pdepth[node] > 0:
                par = pparent[node]
                for j in range(n):
                    wi = j >> 6
                    b = np.uint64(j & 63)
                    if (pbits[node, wi] >> b) & _ONE == 1 and (pbits[par, wi] >> b) & _ONE == 0:
                        best_station[j] = pdepth[node] - 1
                node = par
            best_m = k + 1
            if best_m <= goal:
                break
            level = 0
            continue
        if npool + nchild + 1 > size:
            if npool + nchild + 1 > pool_cap:
                status = MEMORY_LIMIT
                break
            while npool + nchild + 1 > size:
                size = min(2 * size, pool_cap)
            pbits = _grown_rows(pbits, size)
            pdepth = _grown(pdepth, size, 0)
            pparent = _grown(pparent, size, 0)
            pkey = _grown(pkey, size, 0)
            pcont = _grown(pcont, size, -1)
        if ended == _PARTIAL:
            if ncont == cpos.shape[0]:
                cbits = _grown_rows(cbits, 2 * ncont)
                cpos = _grown(cpos, 2 * ncont, 0)
            for w in range(nw):
                cbits[ncont, w] = bits[_RESUME_LOAD, w]
                pbits[npool, w] = cur[w]
            cpos[ncont] = state[_RESUME_POS]
            pdepth[npool] = k
            pparent[npool] = pparent[idx_state]
            pkey[npool] = pkey[idx_state]
            pcont[npool] = ncont
            ncont += 1
            if hsize[k] == heaps[k].shape[0]:
                grown = np.empty(2 * hsize[k], dtype=np.int64)
                grown[: hsize[k]] = heaps[k]
                heaps[k] = grown
            _heap_push(heaps[k], hsize[k], npool, pkey)
            hsize[k] += 1
            open_states += 1
            npool += 1
        d = k + 1
        for r in range(nchild):
            for w in range(nw):
                pbits[npool, w] = child_bits[r, w]
            pdepth[npool] = d
            pparent[npool] = idx_state
            pkey[npool] = pkey[idx_state] + child_key[r]
            if hsize[d] == heaps[d].shape[0]:
                grown = np.empty(2 * hsize[d], dtype=np.int64)
                grown[: hsize[d]] = heaps[d]
                heaps[d] = grown
            _heap_push(heaps[d], hsize[d], npool, pkey)
            hsize[d] += 1
            open_states += 1
            npool += 1
        level = k + 1
        if level >= levels:
            level = 0
    with objmode(t1="f8"):
        t1 = __import__("time").perf_counter()
    return best_m, status, run[_NODES] + run[_STEPS] // STEPS_PER_STATE, t1 - t0


_TABLE_BYTES = 256 * 2**20  # memory for the remember table and for the open states, each


@dataclass(frozen=True)
class SearchLine:
    """A line as the search reads it, built once per line and direction: flow order, integer times.

    ``t`` (n,) int64 task times; ``head`` / ``tail`` (n,) a task's time plus all its transitive
    predecessors' / successors'; ``ptr`` (3, n + 1) and ``idx``: predecessor, successor and
    dominator lists (rows ``_PRED``, ``_SUCC``, ``_DOM``); ``ancestors`` (n, words) uint64:
    bitset of every task's transitive predecessors.
    """

    t: np.ndarray
    head: np.ndarray
    tail: np.ndarray
    ptr: np.ndarray
    idx: np.ndarray
    ancestors: np.ndarray

    @property
    def n(self) -> int:
        return int(self.t.shape[0])


def search_line(t: np.ndarray, head: np.ndarray, tail: np.ndarray, arcs: np.ndarray, after: np.ndarray) -> SearchLine:
    """The search's view of a line, all in flow order: ``t``, ``head``, ``tail`` (n,) int64 (see
    :class:`SearchLine`), ``arcs`` (m, 2) precedence pairs, ``after`` (n, n) bool, True when j
    transitively follows i."""
    t = np.ascontiguousarray(t, dtype=np.int64)
    n = t.shape[0]
    pred_ptr, pred_idx, succ_ptr, succ_idx = csr(n, arcs)
    dom_ptr, dom_idx = dominators(t, after)
    ptr = np.stack([pred_ptr, succ_ptr + pred_idx.shape[0], dom_ptr + pred_idx.shape[0] + succ_idx.shape[0]])
    idx = np.concatenate([pred_idx, succ_idx, dom_idx]).astype(np.int64)
    return SearchLine(t, np.asarray(head, dtype=np.int64), np.asarray(tail, dtype=np.int64),
                      np.ascontiguousarray(ptr, dtype=np.int64), idx, _bitsets(after.T))


def search(line: SearchLine, c: int, incumbent_m: int, incumbent: np.ndarray, *, lower_bound: int, stop_at: int,
           time_limit: float, node_limit: int, batch: int) -> tuple[int, np.ndarray, int, int]:
    """Branch, bound and remember at integer cycle time ``c``: a balance with fewer stations than
    ``incumbent_m``.

    ``incumbent`` (n,) int64: 0-based flow-order stations of the incumbent (ignored while it does
    not have ``incumbent_m`` stations, e.g. m + 1 in a feasibility probe). The search stops at
    ``max(lower_bound, stop_at)`` stations, after ``time_limit`` s of wall clock or
    ``node_limit`` states (see the module docstring); ``batch`` loads are generated per expansion.
    Returns (stations, station (n,) flow order, status, states charged against ``node_limit``).
    """
    m, station, status, nodes, _ = search_timed(line, c, incumbent_m, incumbent, lower_bound=lower_bound,
                                                stop_at=stop_at, time_limit=time_limit, node_limit=node_limit,
                                                batch=batch)
    return m, station, status, nodes


def search_timed(line: SearchLine, c: int, incumbent_m: int, incumbent: np.ndarray, *, lower_bound: int,
                 stop_at: int, time_limit: float, node_limit: int, batch: int):
    """:func:`search`, and the seconds the kernel ran (its own clock: a first call's compilation
    is not counted against a caller's safety cap)."""
    t = line.t
    c = int(c)
    task = np.stack([t, line.head, lb2_weights(t, c), lb3_weights(t, c), -((-line.tail) // c)]).astype(np.int64)
    ask = np.array([c, lower_bound, incumbent_m, stop_at, node_limit, batch, _pool(line.n)], dtype=np.int64)
    keys, vals = _table(line.n)
    station = np.array(incumbent, dtype=np.int64)
    m, status, nodes, seconds = bbr_search(task, line.ptr, line.idx, line.ancestors, keys, vals, ask,
                                           float(time_limit), station)
    return int(m), station, int(status), int(nodes), float(seconds)


def _bitsets(rows: np.ndarray) -> np.ndarray:
    """Boolean rows (n, n) packed as uint64 words, bit j of word j // 64 = column j."""
    n = rows.shape[0]
    words = (n + 63) // 64
    padded = np.zeros((n, words * 64), dtype=bool)
    padded[:, :n] = rows
    return (np.packbits(padded.reshape(n, words, 64)[:, :, ::-1], axis=2, bitorder="big")
            .view(">u8").reshape(n, words).astype(np.uint64))


def _table(n: int):
    """The remember table for n tasks: as many slots as fit in the memory budget."""
    words = (n + 63) // 64
    cap = 1 << 12
    while cap * 2 * (8 * words + 4) <= _TABLE_BYTES and cap < (1 << 24):
        cap *= 2
    return np.zeros((cap, words), dtype=np.uint64), np.zeros(cap, dtype=np.int32)


def _pool(n: int) -> int:
    """Open-state capacity of the search for n tasks within the memory budget."""
    words = (n + 63) // 64
    return max(1 << 16, _TABLE_BYTES // (8 * words + 40))
