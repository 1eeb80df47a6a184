"""Priority-rule balancing: fill stations one after another with the most urgent task that fits.

This is how line engineers balance by hand, and it gives the exact search a good first answer
(an upper bound on stations) in microseconds. A station is filled with the available task of
highest priority that still fits in the cycle time; when none fits, the next station opens. Several
classic priorities are tried (positional weight = own time plus all successors' times, task time,
number of successors, tail stations), each in flow order and on the reversed line (balancing
from the last station backwards), and the best balance is kept.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _fill_stations(t, pred_ptr, pred_idx, succ_ptr, succ_idx, c, priority, out_station):
    """Station-oriented greedy; returns the number of stations, or -1 if a task exceeds c."""
    n = t.shape[0]
    waiting = np.zeros(n, dtype=np.int64)
    for j in range(n):
        waiting[j] = pred_ptr[j + 1] - pred_ptr[j]
    done = np.zeros(n, dtype=np.bool_)
    placed = 0
    station = 0
    load = 0
    while placed < n:
        best = -1
        for j in range(n):
            if not done[j] and waiting[j] == 0 and load + t[j] <= c:
                if best < 0 or priority[j] > priority[best]:
                    best = j
        if best < 0:
            if load == 0:
                return -1
            station += 1
            load = 0
            continue
        done[best] = True
        out_station[best] = station
        load += t[best]
        placed += 1
        for k in range(succ_ptr[best], succ_ptr[best + 1]):
            waiting[succ_idx[k]] -= 1
    return station + 1


def csr(n: int, arcs: np.ndarray):
    """Predecessor and successor lists of a flow-order arc array as CSR (ptr, idx) pairs."""
    if arcs.shape[0] == 0:
        z = np.zeros(n + 1, dtype=np.int64)
        e = np.zeros(0, dtype=np.int64)
        return z, e, z.copy(), e.copy()
    by_to = arcs[np.lexsort((arcs[:, 0], arcs[:, 1]))]
    pred_ptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(pred_ptr, by_to[:, 1] + 1, 1)
    pred_ptr = np.cumsum(pred_ptr)
    by_from = arcs[np.lexsort((arcs[:, 1], arcs[:, 0]))]
    succ_ptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(succ_ptr, by_from[:, 0] + 1, 1)
    succ_ptr = np.cumsum(succ_ptr)
    return pred_ptr, by_to[:, 0].copy(), succ_ptr, by_from[:, 1].copy()


def _priorities(t: np.ndarray, after: np.ndarray, c: int) -> list[np.ndarray]:
    n = t.shape[0]
    succ_time = after.astype(np.int64) @ t
    n_succ = after.sum(axis=1).astype(np.int64)
    tie = (n - np.arange(n)).astype(np.int64)  # earlier flow index wins ties
    big = np.int64(n + 1)
    rules = [
        (t + succ_time) * big + tie,                       # positional weight
        t * big + tie,                                     # longest task first
        n_succ * big + tie,                                # most followers first
        ((-(-(t + succ_time) // c)) * (t.max() + 1) + t) * big + tie,  # tail stations, then time
    ]
    return rules


def best_priority_balance(t: np.ndarray, arcs: np.ndarray, after: np.ndarray, c: int) -> tuple[int, np.ndarray]:
    """Fewest stations over all rules, both directions; returns (stations, station (n,) 0-based).

    ``t`` int64 (n,) in flow order, ``arcs`` flow-order pairs, ``after`` transitive successor
    matrix, ``c`` integer cycle time >= max(t).
    """
    n = t.shape[0]
    best_m = n + 1
    best = np.arange(n, dtype=np.int64)
    pp, pi, sp, si = csr(n, arcs)
    rev_arcs = (n - 1 - arcs[:, ::-1]) if arcs.shape[0] else arcs
    rev_t = t[::-1].copy()
    rpp, rpi, rsp, rsi = csr(n, rev_arcs)
    rev_after = after[::-1, ::-1].T.copy()
    out = np.empty(n, dtype=np.int64)
    for prio in _priorities(t, after, c):
        m = _fill_stations(t, pp, pi, sp, si, c, prio, out)
        if 0 < m < best_m:
            best_m, best = m, out.copy()
    for prio in _priorities(rev_t, rev_after, c):
        m = _fill_stations(rev_t, rpp, rpi, rsp, rsi, c, prio, out)
        if 0 < m < best_m:
            best_m = m
            # reversed station k is station m-1-k of the forward line
            best = (m - 1 - out[::-1]).copy()
    return best_m, best


def priority_cycle(t: np.ndarray, arcs: np.ndarray, after: np.ndarray, m: int, lo: int) -> tuple[int, np.ndarray]:
    """Shortest integer cycle time, bisected from ``lo``, at which a priority rule fits ``m``
    stations; returns (cycle time, station (n,) 0-based). Arguments as
    :func:`best_priority_balance`, all in flow order."""
    hi = int(t.sum())
    best = np.zeros(t.shape[0], dtype=np.int64)  # one station holds everything at c = sum t
    while lo < hi:
        mid = (lo + hi) // 2
        ub, flow = best_priority_balance(t, arcs, after, mid)
        if ub <= m:
            hi, best = int(np.bincount(flow, weights=t).max()), flow
        else:
            lo = mid + 1
    return hi, best
