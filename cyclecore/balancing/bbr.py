"""Branch, bound and remember: the exact station-count search for simple line balancing (SALBP-1).

After Sewell & Jacobson (2012), "A branch, bound, and remember algorithm for the simple assembly
line balancing problem", INFORMS Journal on Computing 24(3):433-442.

The line is filled station by station. A search *state* is the set of tasks already placed in
stations 1..k, stored as a bitset; a branch closes station k+1 with one of its *maximal loads*
(a precedence-feasible set of available tasks that fits in the cycle time and to which no further
available task could be added — leaving a fitting task out never helps the station count).

* Bound: k + max(LB1, LB2, LB3) of the tasks still to place; a load must also leave no more idle
  time than the incumbent allows, and every task whose latest station (from its tail of successor
  work) is k+1 must be in it. Loads are enumerated in flow order so both tests cut whole families
  of loads at once.
* Dominance (Jackson 1956): task i dominates j when t_i >= t_j and i's followers include all of
  j's (ties broken by index). A load holding j while an available i is left out and would fit in
  j's place is skipped: swapping them never hurts, so an optimum without such loads exists.
* Remember: every state reached is kept in an open-addressing hash table (numpy arrays) with the
  fewest stations it was reached with; reaching it again with as many or more stations is pruned.
  Many different station sequences end in the same set of placed tasks, so this collapses the
  tree into a much smaller graph.
* Order: depth first, children with the least idle time first, so the first dive is Hoffmann's
  heuristic (the fullest station first) and good incumbents come early.

The kernel is deterministic; only the wall-clock limit can stop it at a run-dependent point, in
which case it reports that the incumbent is not proven (``node_limit`` gives a reproducible cut).
"""

from __future__ import annotations

import numpy as np
from numba import njit, objmode

PROVEN = 0
TIME_LIMIT = 1
NODE_LIMIT = 2

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
def bbr_search(t, pred_ptr, pred_idx, succ_ptr, succ_idx, dom_ptr, dom_idx, c, w2, w3, tail_stations,
               lower_bound, best_m, best_station, stop_at, keys, vals, time_limit, node_limit, batch):
    """Search for a balance with fewer than ``best_m`` stations.

    Arrays are in flow order: ``t`` int64 (n,) task times, CSR predecessor/successor/dominator lists,
    ``w2``/``w3`` LB2/LB3 weights, ``tail_stations`` = ceil(tail / c). ``best_station`` (n,) holds
    the incumbent (0-based stations) and is overwritten by improvements. The search stops when the
    incumbent reaches ``max(lower_bound, stop_at)``, the tree is exhausted (status PROVEN), the
    wall clock passes ``time_limit`` seconds (TIME_LIMIT) or ``node_limit`` nodes are expanded
    (NODE_LIMIT). ``keys`` (cap, words) uint64 / ``vals`` (cap,) int32 are the remember table
    (cap a power of two, vals zeroed). ``batch``: loads generated per step before descending.
    Returns (best_m, status, nodes expanded).
    """
    n = t.shape[0]
    nw = keys.shape[1]
    goal = max(lower_bound, stop_at)
    if best_m <= goal:
        return best_m, PROVEN, 0
    with objmode(t0="f8"):
        t0 = __import__("time").perf_counter()
    fill = np.zeros(1, dtype=np.int64)

    stack_bits = np.zeros((1024, nw), dtype=np.uint64)
    stack_depth = np.zeros(1024, dtype=np.int64)
    stack_resume = np.zeros(1024, dtype=np.bool_)
    # a node's loads are enumerated in batches; the enumeration point of the (at most one)
    # unfinished node per depth is kept here and picked up when its marker is popped
    cont_sel = np.zeros((n + 2, n), dtype=np.int64)
    cont_nsel = np.zeros(n + 2, dtype=np.int64)
    cont_pos = np.zeros(n + 2, dtype=np.int64)
    sp = 0
    path = np.zeros((n + 2, nw), dtype=np.uint64)
    child_bits = np.zeros((256, nw), dtype=np.uint64)
    child_key = np.zeros(256, dtype=np.int64)

    free = np.empty(n, dtype=np.int64)
    where = np.full(n, -1, dtype=np.int64)
    suffix = np.zeros(n + 1, dtype=np.int64)
    longest = np.zeros(n, dtype=np.int64)
    waiting = np.zeros(n, dtype=np.int64)
    in_load = np.zeros(n, dtype=np.bool_)
    sel = np.empty(n, dtype=np.int64)
    load_bits = np.zeros(nw, dtype=np.uint64)
    cur = np.zeros(nw, dtype=np.uint64)

    # root: nothing placed, zero stations closed
    sp = 1
    _remember(keys, vals, fill, stack_bits[0], 0)
    nodes = 0
    steps = 0
    status = PROVEN
    while sp > 0:
        sp -= 1
        k = stack_depth[sp]
        resume = stack_resume[sp]
        if resume:
            for w in range(nw):
                cur[w] = path[k, w]
        else:
            for w in range(nw):
                cur[w] = stack_bits[sp, w]
            if _stored_depth(keys, vals, cur) < k:
                continue  # reached later by a shorter route, which was (or will be) expanded
        m_max = best_m - 1
        # bound at this node with the current incumbent
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
        lbr = max(_ceil(rem, c), max(_ceil(rem2, 2), _ceil(rem3, 6)))
        if k + lbr > m_max:
            continue
        if not resume:
            nodes += 1
        if nodes % 1024 == 0:
            with objmode(now="f8"):
                now = __import__("time").perf_counter()
            if now - t0 > time_limit:
                status = TIME_LIMIT
                break
        if nodes > node_limit:
            status = NODE_LIMIT
            break
        for w in range(nw):
            path[k, w] = cur[w]
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
            for r in range(cont_nsel[k]):
                p = cont_sel[k, r]
                j = free[p]
                sel[nsel] = p
                nsel += 1
                in_load[j] = True
                load_bits[j >> 6] |= _ONE << np.uint64(j & 63)
                lt += t[j]
                l2 += w2[j]
                l3 += w3[j]
                for q in range(succ_ptr[j], succ_ptr[j + 1]):
                    waiting[succ_idx[q]] -= 1
            pos = cont_pos[k]
        while True:
            if nchild >= batch:
                for r in range(nsel):
                    cont_sel[k, r] = sel[r]
                cont_nsel[k] = nsel
                cont_pos[k] = pos
                partial = True
                break
            steps += 1
            if steps % 65536 == 0:
                with objmode(now="f8"):
                    now = __import__("time").perf_counter()
                if now - t0 > time_limit:
                    status = TIME_LIMIT
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
                            # every task placed: a balance with k+1 stations
                            for s in range(1, k + 1):
                                for jj in range(n):
                                    wi = jj >> 6
                                    b = np.uint64(jj & 63)
                                    if (path[s, wi] >> b) & _ONE == 1 and (path[s - 1, wi] >> b) & _ONE == 0:
                                        best_station[jj] = s - 1
                            for p in range(nf):
                                if in_load[free[p]]:
                                    best_station[free[p]] = k
                            best_m = k + 1
                            solved = True
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
        # clean per-node scratch
        while nsel > 0:
            nsel -= 1
            j = free[sel[nsel]]
            in_load[j] = False
            for q in range(succ_ptr[j], succ_ptr[j + 1]):
                waiting[succ_idx[q]] += 1
        if status != PROVEN:
            break
        if solved:
            if best_m <= goal:
                break
            continue
        if sp + nchild + 1 > stack_depth.shape[0]:
            cap = max(2 * stack_depth.shape[0], sp + nchild + 16)
            nb = np.zeros((cap, nw), dtype=np.uint64)
            nb[:sp] = stack_bits[:sp]
            stack_bits = nb
            nd = np.zeros(cap, dtype=np.int64)
            nd[:sp] = stack_depth[:sp]
            stack_depth = nd
            nr = np.zeros(cap, dtype=np.bool_)
            nr[:sp] = stack_resume[:sp]
            stack_resume = nr
        if partial:
            stack_depth[sp] = k
            stack_resume[sp] = True
            sp += 1
        if nchild == 0:
            continue
        order = np.argsort(child_key[:nchild], kind="mergesort")
        for r in range(nchild - 1, -1, -1):
            ci = order[r]
            for w in range(nw):
                stack_bits[sp, w] = child_bits[ci, w]
            stack_depth[sp] = k + 1
            stack_resume[sp] = False
            sp += 1
    return best_m, status, nodes
