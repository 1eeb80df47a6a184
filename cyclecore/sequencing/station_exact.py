"""Exact station split for small stations: every assignment of tasks to robots, every order.

For a handful of tasks the space is small — (n + k - 1)! / (k - 1)! splits, 362,880 for 8 tasks
on 2 robots — and each is timed exactly (:mod:`cyclecore.sequencing.station_timing`) in
compiled code, so enumerating it proves the optimum in well under a second. Assignments are
counted like an odometer over robots; each robot's tasks then run through all their
permutations in lexicographic order. Ties keep the first split met, so the result is
deterministic.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from cyclecore.sequencing.station_timing import StationTables, route_timing

MAX_EXACT_SPLITS = 400_000


def split_count(n: int, k: int) -> int:
    """How many (assignment, order) splits the enumeration visits at most."""
    return math.factorial(n + k - 1) // math.factorial(k - 1)


@numba.njit(cache=True)
def _next_permutation(a, lo, hi):
    """Next lexicographic permutation of a[lo:hi] in place; False (and sorted) after the last."""
    i = hi - 2
    while i >= lo and a[i] >= a[i + 1]:
        i -= 1
    if i < lo:
        a[lo:hi] = np.sort(a[lo:hi])
        return False
    j = hi - 1
    while a[j] <= a[i]:
        j -= 1
    a[i], a[j] = a[j], a[i]
    a[i + 1:hi] = a[i + 1:hi][::-1].copy()
    return True


@numba.njit(cache=True)
def _enumerate(station):
    times, process, reach = station.times, station.process, station.reach
    pred_start, preds = station.pred_start, station.preds
    k = times.shape[0]
    n = process.shape[0] - 1
    assign = np.zeros(n, dtype=np.int64)
    flat = np.zeros(n, dtype=np.int64)
    route_start = np.zeros(k + 1, dtype=np.int64)
    best = np.inf
    best_sum = np.inf
    best_flat = np.zeros(n, dtype=np.int64)
    best_start = np.zeros(k + 1, dtype=np.int64)
    while True:
        ok = True
        for j in range(n):
            if not reach[assign[j], j + 1]:
                ok = False
                break
        if ok:
            pos = 0
            for r in range(k):
                route_start[r] = pos
                for j in range(n):
                    if assign[j] == r:
                        flat[pos] = j + 1
                        pos += 1
            route_start[k] = n
            while True:
                _, cycles = route_timing(times, process, flat, route_start, pred_start, preds)
                c1 = cycles.max()
                c2 = cycles.sum()
                if c1 < best or (c1 == best and c2 < best_sum):
                    best = c1
                    best_sum = c2
                    best_flat[:] = flat
                    best_start[:] = route_start
                # Odometer over the robots' permutations.
                r = 0
                while r < k and not _next_permutation(flat, route_start[r], route_start[r + 1]):
                    r += 1
                if r == k:
                    break
        # Next assignment.
        j = 0
        while j < n:
            assign[j] += 1
            if assign[j] < k:
                break
            assign[j] = 0
            j += 1
        if j == n:
            break
    return best, best_flat, best_start


def exact_split(times, process, reach, pred_start, preds):
    """Optimal routes (list of k task lists) and station cycle in s; inf if none is feasible."""
    best, flat, start = _enumerate(StationTables(times, process, reach, pred_start, preds))
    routes = [flat[start[r]:start[r + 1]].tolist() for r in range(times.shape[0])]
    return routes, float(best)
