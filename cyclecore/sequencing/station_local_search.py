"""Polishing a station split in float seconds: move or swap tasks while the slowest robot gains.

OR-Tools' guided local search steers by arc costs, which says little about the station cycle
once robots wait for each other. This search evaluates every candidate with the exact station
timing (:mod:`cyclecore.sequencing.station_timing`), so cross-robot waiting, reach and forbidden
arcs are priced exactly. Moves: relocate one task to any position of any robot that reaches it;
swap two tasks. A move is taken when it lowers (station cycle, sum of robot cycles)
lexicographically. Seeded random relocations then kick the search out of local optima for a
fixed number of rounds, so the result depends only on the input and the seed.
"""

from __future__ import annotations

import numba
import numpy as np

from cyclecore.sequencing.station_timing import StationTables, route_timing


@numba.njit(cache=True)
def _flatten(routes, lengths, flat, route_start):
    pos = 0
    for r in range(routes.shape[0]):
        route_start[r] = pos
        for q in range(lengths[r]):
            flat[pos] = routes[r, q]
            pos += 1
    route_start[routes.shape[0]] = pos


@numba.njit(cache=True)
def _score(station, routes, lengths, flat, route_start):
    _flatten(routes, lengths, flat, route_start)
    _, cycles = route_timing(station.times, station.process, flat, route_start, station.pred_start, station.preds)
    return cycles.max(), cycles.sum()


@numba.njit(cache=True)
def _better(a1, a2, b1, b2, eps):
    return a1 < b1 - eps or (a1 <= b1 + eps and a2 < b2 - eps)


@numba.njit(cache=True)
def _remove(routes, lengths, r, a):
    for q in range(a, lengths[r] - 1):
        routes[r, q] = routes[r, q + 1]
    lengths[r] -= 1


@numba.njit(cache=True)
def _insert(routes, lengths, r, b, task):
    for q in range(lengths[r], b, -1):
        routes[r, q] = routes[r, q - 1]
    routes[r, b] = task
    lengths[r] += 1


@numba.njit(cache=True)
def _descend(station, routes, lengths, eps):
    reach = station.reach
    k = routes.shape[0]
    n = station.process.shape[0] - 1
    flat = np.zeros(n, dtype=np.int64)
    route_start = np.zeros(k + 1, dtype=np.int64)
    best1, best2 = _score(station, routes, lengths, flat, route_start)
    improved = True
    while improved:
        improved = False
        # Relocate one task.
        for r in range(k):
            a = 0
            while a < lengths[r]:
                task = routes[r, a]
                _remove(routes, lengths, r, a)
                found = False
                for r2 in range(k):
                    if not reach[r2, task]:
                        continue
                    for b in range(lengths[r2] + 1):
                        if r2 == r and b == a:
                            continue
                        _insert(routes, lengths, r2, b, task)
                        c1, c2 = _score(station, routes, lengths, flat, route_start)
                        if _better(c1, c2, best1, best2, eps):
                            best1, best2 = c1, c2
                            found = True
                            break
                        _remove(routes, lengths, r2, b)
                    if found:
                        break
                if found:
                    improved = True
                else:
                    _insert(routes, lengths, r, a, task)
                    a += 1
        # Swap two tasks (same robot or two robots that each reach the other's task).
        for r in range(k):
            for a in range(lengths[r]):
                for r2 in range(r, k):
                    start = a + 1 if r2 == r else 0
                    for b in range(start, lengths[r2]):
                        t1 = routes[r, a]
                        t2 = routes[r2, b]
                        if not (reach[r2, t1] and reach[r, t2]):
                            continue
                        routes[r, a] = t2
                        routes[r2, b] = t1
                        c1, c2 = _score(station, routes, lengths, flat, route_start)
                        if _better(c1, c2, best1, best2, eps):
                            best1, best2 = c1, c2
                            improved = True
                        else:
                            routes[r, a] = t1
                            routes[r2, b] = t2
    return best1, best2


@numba.njit(cache=True)
def _iterated(station, routes, lengths, eps, kicks, seed):
    best1, best2 = _descend(station, routes, lengths, eps)
    reach = station.reach
    k = routes.shape[0]
    n = station.process.shape[0] - 1
    if n < 3:
        return best1
    np.random.seed(seed)
    best_routes = routes.copy()
    best_lengths = lengths.copy()
    for _ in range(kicks):
        trial = best_routes.copy()
        trial_lengths = best_lengths.copy()
        # Kick: move three random tasks to random places in robots that reach them.
        for _m in range(3):
            r = np.random.randint(k)
            if trial_lengths[r] == 0:
                continue
            a = np.random.randint(trial_lengths[r])
            task = trial[r, a]
            r2 = np.random.randint(k)
            if not reach[r2, task]:
                r2 = r
            _remove(trial, trial_lengths, r, a)
            b = np.random.randint(trial_lengths[r2] + 1)
            _insert(trial, trial_lengths, r2, b, task)
        c1, c2 = _descend(station, trial, trial_lengths, eps)
        if _better(c1, c2, best1, best2, eps):
            best1, best2 = c1, c2
            best_routes[:] = trial
            best_lengths[:] = trial_lengths
    routes[:] = best_routes
    lengths[:] = best_lengths
    return best1


def polish_split(times, process, reach, routes, pred_start, preds, kicks=0, seed=0):
    """Improved routes (list of k task lists) from ``routes``; never a slower station."""
    k = times.shape[0]
    n = process.shape[0] - 1
    table = np.zeros((k, max(n, 1)), dtype=np.int64)
    lengths = np.zeros(k, dtype=np.int64)
    for r, route in enumerate(routes):
        lengths[r] = len(route)
        table[r, : len(route)] = route
    finite = times[np.isfinite(times)]
    eps = 1e-9 * (float(finite.max()) + float(process.max()) + 1.0) if finite.size else 1e-9
    _iterated(StationTables(times, process, reach, pred_start, preds), table, lengths, eps, int(kicks), int(seed))
    return [table[r, : lengths[r]].tolist() for r in range(k)]
