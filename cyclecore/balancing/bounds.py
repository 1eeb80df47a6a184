"""Lower bounds on stations and cycle time, and the station window of every task.

All quantities use integer task times ``t`` (n,) and an integer cycle time ``c``.

* LB1: stations >= ceil(sum t / c) — the work has to fit somewhere.
* LB2: tasks longer than c/2 cannot share a station; two of exactly c/2 can (Scholl & Klein).
* LB3: weights 1 (> 2c/3), 2/3 (= 2c/3), 1/2 (in (c/3, 2c/3)), 1/3 (= c/3); no station carries
  more than weight 1 (Scholl & Klein's third bin-packing bound).
* Chain bound: task j needs ceil(head_j / c) stations up to and including its own, and
  ceil(tail_j / c) from its own onward, so stations >= both - 1.
* Station windows (1-based): j cannot be placed before ``earliest = ceil(head_j / c)`` and, with
  m stations, not after ``latest = m + 1 - ceil(tail_j / c)``.

For SALBP-2 (m stations given) the cycle time lower bound is the smallest c at which none of the
station bounds exceeds m, together with the pigeonhole bound: among the k*m + 1 longest tasks,
some station holds k + 1 of them.
"""

from __future__ import annotations

import numpy as np


def _ceil_div(a, b):
    return -(-a // b)


def lb2_weights(t: np.ndarray, c: int) -> np.ndarray:
    """Per-task LB2 weight in halves: 2 above c/2, 1 at exactly c/2, else 0."""
    twice = 2 * t
    return np.where(twice > c, 2, np.where(twice == c, 1, 0)).astype(np.int64)


def lb3_weights(t: np.ndarray, c: int) -> np.ndarray:
    """Per-task LB3 weight in sixths: 6 / 4 / 3 / 2 / 0 (see module docstring)."""
    thrice = 3 * t
    w = np.zeros(t.shape[0], dtype=np.int64)
    w[thrice == c] = 2
    w[(thrice > c) & (thrice < 2 * c)] = 3
    w[thrice == 2 * c] = 4
    w[thrice > 2 * c] = 6
    return w


def station_lower_bound(t: np.ndarray, c: int, head: np.ndarray | None = None, tail: np.ndarray | None = None) -> int:
    """Max of LB1, LB2, LB3 and (with head/tail given) the chain bound; stations, >= 1."""
    lb = max(1, int(_ceil_div(int(t.sum()), c)))
    lb = max(lb, int(_ceil_div(int(lb2_weights(t, c).sum()), 2)))
    lb = max(lb, int(_ceil_div(int(lb3_weights(t, c).sum()), 6)))
    if head is not None and tail is not None and t.shape[0]:
        lb = max(lb, int(np.max(_ceil_div(head, c) + _ceil_div(tail, c) - 1)))
    return lb


def earliest_station(head: np.ndarray, c: int) -> np.ndarray:
    """1-based earliest station of each task: ceil(head / c)."""
    return _ceil_div(head.astype(np.int64), c)


def latest_station(tail: np.ndarray, c: int, stations: int) -> np.ndarray:
    """1-based latest station of each task with ``stations`` stations: m + 1 - ceil(tail / c)."""
    return stations + 1 - _ceil_div(tail.astype(np.int64), c)


def cycle_lower_bound(t: np.ndarray, stations: int, head: np.ndarray | None = None, tail: np.ndarray | None = None) -> int:
    """Smallest cycle time not ruled out by the bounds above for ``stations`` stations."""
    m = int(stations)
    desc = np.sort(t)[::-1]
    lo = max(int(desc[0]), int(_ceil_div(int(t.sum()), m)))
    k = 1
    while k * m + 1 <= desc.shape[0]:
        top = desc[: k * m + 1]
        lo = max(lo, int(top[-(k + 1):].sum()))
        k += 1
    # Every station bound is non-increasing in c, so bisect for the first c where all are <= m.
    hi = max(lo, int(t.sum()))
    if station_lower_bound(t, lo, head, tail) <= m:
        return lo
    while lo < hi:
        mid = (lo + hi) // 2
        if station_lower_bound(t, mid, head, tail) <= m:
            hi = mid
        else:
            lo = mid + 1
    return lo
