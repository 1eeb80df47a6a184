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
  its tail of successor work) is k+1 must be in it. Loads are enumerated in flow order so both tests cut whole families
  of loads at once.
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
which case it reports that the incumbent is not proven (``node_limit`` gives a reproducible cut).
"""

from __future__ import annotations

import numpy as np
from numba import njit, objmode
from numba.typed import List

PROVEN = 0
TIME_LIMIT = 1
NODE_LIMIT = 2
MEMORY_LIMIT = 3

_ONE = np.uint64(1)


@njit(cache=True)
def _hash(bits):
    h = np.uint64(14695981039346656037)
    for w in range(bits.shape[0]):
        h ^= bits[w]
        h *= np.uint64(1099511628211)
        h ^= h >> np.uint64(29)
    return h


@njit(cache=True)
def _remember(keys, vals, fill, bits, depth):
    """True when ``bits`` is new or now reached with fewer stations (and stores it)."""
    cap = vals.shape[0]
    mask = np.uint64(cap - 1)
    h = np.int64(_hash(bits) & mask)
    nw = bits.shape[0]
    while True:
        v = vals[h]
        if v == 0:
            # A full table stops remembering but never stops the search: still exact, just slower.
            if fill[0] * 4 >= cap * 3:
                return True
            for w in range(nw):
                keys[h, w] = bits[w]
            vals[h] = depth + 1
            fill[0] += 1
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
def _expand(t, pred_ptr, pred_idx, succ_ptr, succ_idx, dom_ptr, dom_idx, c, w2, w3, tail_stations,
            cur, k, m_max, resume, resume_bits, resume_pos, batch, keys, vals, fill,
            free, nf, where, rem, rem2, rem3, suffix, longest, waiting, in_load, sel, load_bits,
            child_bits, child_key, steps, t0, time_limit):
    """Enumerate up to ``batch`` new maximal loads for station k+1 of state ``cur``.

    Children (new or improved states) go to ``child_bits``/``child_key`` (idle time of the load).
    When stopped early, the enumeration point is written to ``resume_bits`` (load) and returned as
    the resume position. Returns (nchild, partial, resume_pos, solved, timed_out, child_bits,
    child_key); on ``solved`` ``load_bits`` holds the load that places every remaining task.
    """
    nw = cur.shape[0]
    timed_out = False
    for p in range(nf):
        j = free[p]
        cnt = 0
        chain = 0
        for q in range(pred_ptr[j], pred_ptr[j + 1]):
            i = pred_idx[q]
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
    solved = False
    for w in range(nw):
        load_bits[w] = 0
    partial = False
    if resume:
        # replay the stopped enumeration: its load, taken in flow order
        for p in range(nf):
            j = free[p]
            if (resume_bits[j >> 6] >> np.uint64(j & 63)) & _ONE == 0:
                continue
            sel[nsel] = p
            nsel += 1
            in_load[j] = True
            load_bits[j >> 6] |= _ONE << np.uint64(j & 63)
            lt += t[j]
            l2 += w2[j]
            l3 += w3[j]
            for q in range(succ_ptr[j], succ_ptr[j + 1]):
                waiting[succ_idx[q]] -= 1
        pos = resume_pos
    while True:
        if nchild >= batch:
            for w in range(nw):
                resume_bits[w] = load_bits[w]
            resume_pos = pos
            partial = True
            break
        steps[0] += 1
        if steps[0] % 65536 == 0:
            with objmode(now="f8"):
                now = __import__("time").perf_counter()
            if now - t0 > time_limit:
                timed_out = True
                break
        found = -1
        dead = lt + suffix[pos] < min_load
        if not dead:
            for p in range(pos, nf):
                j = free[p]
                if waiting[j] == 0 and lt + t[j] <= c:
                    # an equally long dominator already left out: taking j is dominated
                    dominated = False
                    for q in range(dom_ptr[j], dom_ptr[j + 1]):
                        i = dom_idx[q]
                        wi = where[i]
                        if wi >= 0 and wi < p and t[i] == t[j] and not in_load[i] and waiting[i] == 0:
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
            in_load[j] = True
            load_bits[j >> 6] |= _ONE << np.uint64(j & 63)
            lt += t[j]
            l2 += w2[j]
            l3 += w3[j]
            for q in range(succ_ptr[j], succ_ptr[j + 1]):
                waiting[succ_idx[q]] -= 1
            pos = found + 1
            continue
        if not dead and lt >= min_load and lt > 0:
            maximal = True
            for p in range(pos):
                j = free[p]
                if not in_load[j] and waiting[j] == 0 and lt + t[j] <= c:
                    maximal = False
                    break
            if maximal:
                # Jackson dominance: a left-out available task could take a member's place
                for p in range(pos):
                    j = free[p]
                    if not in_load[j]:
                        continue
                    for q in range(dom_ptr[j], dom_ptr[j + 1]):
                        i = dom_idx[q]
                        if where[i] >= 0 and not in_load[i] and waiting[i] == 0 and lt - t[j] + t[i] <= c:
                            maximal = False
                            break
                    if not maximal:
                        break
            if maximal:
                left = rem - lt
                lbc = k + 1 + max(_ceil(left, c), max(_ceil(rem2 - l2, 2), _ceil(rem3 - l3, 6)))
                if lbc <= m_max:
                    if left == 0:
                        solved = True  # every task placed: load_bits closes station k+1
                    else:
                        for w in range(nw):
                            child_bits[nchild, w] = cur[w] | load_bits[w]
                        if _remember(keys, vals, fill, child_bits[nchild], k + 1):
                            child_key[nchild] = c - lt
                            nchild += 1
                            if nchild == child_key.shape[0]:
                                nb = np.zeros((2 * nchild, nw), dtype=np.uint64)
                                nb[:nchild] = child_bits
                                child_bits = nb
                                nk = np.zeros(2 * nchild, dtype=np.int64)
                                nk[:nchild] = child_key
                                child_key = nk
        if solved:
            break
        # backtrack: drop the last task and try the loads without it; leaving out a
        # must-place task is never feasible, so such branches are skipped at once
        finished = True
        while nsel > 0:
            nsel -= 1
            p = sel[nsel]
            j = free[p]
            in_load[j] = False
            load_bits[j >> 6] &= ~(_ONE << np.uint64(j & 63))
            lt -= t[j]
            l2 -= w2[j]
            l3 -= w3[j]
            for q in range(succ_ptr[j], succ_ptr[j + 1]):
                waiting[succ_idx[q]] += 1
            pos = p + 1
            if tail_stations[j] < must_tail:
                finished = False
                break
        if finished:
            break
    # clean per-node scratch (load_bits is kept: it is the closing load of a solution)
    while nsel > 0:
        nsel -= 1
        j = free[sel[nsel]]
        in_load[j] = False
        for q in range(succ_ptr[j], succ_ptr[j + 1]):
            waiting[succ_idx[q]] += 1
    return nchild, partial, resume_pos, solved, timed_out, child_bits, child_key


_DEBRUIJN = np.array([0, 1, 48, 2, 57, 49, 28, 3, 61, 58, 50, 42, 38, 29, 17, 4, 62, 55, 59, 36, 53, 51,
                      43, 22, 45, 39, 33, 30, 24, 18, 12, 5, 63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52,
                      21, 44, 32, 23, 11, 46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9, 13, 8, 7, 6],
                     dtype=np.int64)  # index of the lowest set bit from (bit * 0x03F79D71B4CB0A89) >> 58


@njit(cache=True)
def _chain_too_long(t, head, ancestors, tail_stations, cur, free, nf, k, m_max, c):
    """Chain bound on a state: an open task j needs ceil(head'/c) stations from k+1 up to its own
    (head' = its time plus its still open predecessors') and ceil(tail/c) from its own to the last,
    so k + both - 1 must not exceed the incumbent minus one."""
    nw = cur.shape[0]
    for p in range(nf):
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


@njit(cache=True)
def bbr_search(t, pred_ptr, pred_idx, succ_ptr, succ_idx, dom_ptr, dom_idx, c, w2, w3, tail_stations,
               head, ancestors, lower_bound, best_m, best_station, stop_at, keys, vals, time_limit, node_limit, batch, pool_cap):
    """Search for a balance with fewer than ``best_m`` stations.

    Arrays are in flow order: ``t`` int64 (n,) task times, CSR predecessor/successor/dominator
    lists, ``w2``/``w3`` LB2/LB3 weights, ``tail_stations`` = ceil(tail / c), ``head`` (n,) own plus
    all predecessors' time, ``ancestors`` (n, words) uint64 bitsets of all predecessors. ``best_station`` (n,)
    holds the incumbent (0-based stations) and is overwritten by improvements. The search stops
    when the incumbent reaches ``max(lower_bound, stop_at)`` or the search space is exhausted
    (status PROVEN), the wall clock passes ``time_limit`` s (TIME_LIMIT), ``node_limit`` states are
    expanded (NODE_LIMIT) or ``pool_cap`` open states are stored (MEMORY_LIMIT). ``keys`` (cap,
    words) uint64 / ``vals`` (cap,) int32 are the remember table (cap a power of two, vals zeroed);
    ``batch`` loads are generated per expansion. Returns (best_m, status, states expanded).
    """
    n = t.shape[0]
    nw = keys.shape[1]
    goal = max(lower_bound, stop_at)
    if best_m <= goal:
        return best_m, PROVEN, 0
    with objmode(t0="f8"):
        t0 = __import__("time").perf_counter()
    fill = np.zeros(1, dtype=np.int64)
    steps = np.zeros(1, dtype=np.int64)

    # every generated state lives in the pool: bits, closed stations, parent (to read the
    # balance back), idle time so far, and where its stopped load enumeration resumes (-1: fresh)
    pbits = np.zeros((pool_cap, nw), dtype=np.uint64)
    pdepth = np.zeros(pool_cap, dtype=np.int64)
    pparent = np.zeros(pool_cap, dtype=np.int64)
    pkey = np.zeros(pool_cap, dtype=np.int64)
    pcont = np.full(pool_cap, -1, dtype=np.int64)
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
    free = np.empty(n, dtype=np.int64)
    where = np.full(n, -1, dtype=np.int64)
    suffix = np.zeros(n + 1, dtype=np.int64)
    longest = np.zeros(n, dtype=np.int64)
    waiting = np.zeros(n, dtype=np.int64)
    in_load = np.zeros(n, dtype=np.bool_)
    sel = np.empty(n, dtype=np.int64)
    load_bits = np.zeros(nw, dtype=np.uint64)
    resume_bits = np.zeros(nw, dtype=np.uint64)

    # root: nothing placed, zero stations closed
    npool = 1
    pparent[0] = -1
    _remember(keys, vals, fill, pbits[0], 0)
    _heap_push(heaps[0], 0, 0, pkey)
    hsize[0] = 1
    open_states = 1
    level = 0
    nodes = 0
    status = PROVEN
    while open_states > 0:
        while hsize[level] == 0:
            level += 1
            if level >= levels:
                level = 0
        idx = _heap_pop(heaps[level], hsize[level], pkey)
        hsize[level] -= 1
        open_states -= 1
        k = pdepth[idx]
        cur = pbits[idx]
        resume = pcont[idx] >= 0
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
                rem += t[j]
                rem2 += w2[j]
                rem3 += w3[j]
        if k + max(_ceil(rem, c), max(_ceil(rem2, 2), _ceil(rem3, 6))) > m_max:
            continue
        if _chain_too_long(t, head, ancestors, tail_stations, cur, free, nf, k, m_max, c):
            continue
        if not resume:
            nodes += 1
            if nodes > node_limit:
                status = NODE_LIMIT
                break
        if nodes % 1024 == 0:
            with objmode(now="f8"):
                now = __import__("time").perf_counter()
            if now - t0 > time_limit:
                status = TIME_LIMIT
                break
        rpos = 0
        if resume:
            ci = pcont[idx]
            for w in range(nw):
                resume_bits[w] = cbits[ci, w]
            rpos = cpos[ci]
        nchild, partial, rpos, solved, timed_out, child_bits, child_key = _expand(
            t, pred_ptr, pred_idx, succ_ptr, succ_idx, dom_ptr, dom_idx, c, w2, w3, tail_stations,
            cur, k, m_max, resume, resume_bits, rpos, batch, keys, vals, fill,
            free, nf, where, rem, rem2, rem3, suffix, longest, waiting, in_load, sel, load_bits,
            child_bits, child_key, steps, t0, time_limit)
        if timed_out:
            status = TIME_LIMIT
            break
        if solved:
            for j in range(n):
                if (load_bits[j >> 6] >> np.uint64(j & 63)) & _ONE == 1:
                    best_station[j] = k
            node = idx
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
        if npool + nchild + 1 > pool_cap:
            status = MEMORY_LIMIT
            break
        if partial:
            if ncont == cpos.shape[0]:
                nb = np.zeros((2 * ncont, nw), dtype=np.uint64)
                nb[:ncont] = cbits
                cbits = nb
                npos = np.zeros(2 * ncont, dtype=np.int64)
                npos[:ncont] = cpos
                cpos = npos
            for w in range(nw):
                cbits[ncont, w] = resume_bits[w]
                pbits[npool, w] = cur[w]
            cpos[ncont] = rpos
            pdepth[npool] = k
            pparent[npool] = pparent[idx]
            pkey[npool] = pkey[idx]
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
            pparent[npool] = idx
            pkey[npool] = pkey[idx] + child_key[r]
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
    return best_m, status, nodes
