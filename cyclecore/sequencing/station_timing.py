"""When each robot of a station finishes, given who does which task in which order.

The semantics every split solver and its tests share:

* every robot starts at its home at t = 0, visits its tasks in route order and returns home;
* robot r reaches task j from its previous node p at ``finish(p) + times[r][p, j]``
  (``finish(home) = 0``);
* task j starts at ``max(arrival, finish(i) for every precedence pair (i, j))`` — a robot waits
  at the task for another robot's predecessor work — and finishes ``process_time[j]`` later;
* a robot's cycle is its last finish plus the move home (0 for a robot with no tasks); the
  station cycle is the slowest robot's.

Robots never wait without a reason, so these are the earliest times the routes allow. If the
routes make robots wait for each other in a circle (a deadlock) the split is infeasible and its
station cycle is inf.
"""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np

# A station as the split kernels read it, one typed table instead of five parameters: move times
# (k, n+1, n+1) s, process times (n+1,) s, reach (k, n+1) bool, and the predecessor lists of
# :func:`predecessor_lists`.
StationTables = namedtuple("StationTables", "times process reach pred_start preds")


@numba.njit(cache=True)
def route_timing(times, process, flat, route_start, pred_start, preds):
    """Finish time of every task (n+1,) and cycle of every robot (k,), s, for routes held flat.

    Robot r's tasks are ``flat[route_start[r]:route_start[r + 1]]`` (int64, no home); task j's
    direct predecessors are ``preds[pred_start[j]:pred_start[j + 1]]`` (:func:`predecessor_lists`);
    ``times`` and ``process`` as :func:`station_timing`. The compiled form the split searches call.
    """
    k = times.shape[0]
    n_nodes = times.shape[1]
    finish = np.full(n_nodes, np.inf)
    finish[0] = 0.0
    cycles = np.zeros(k)
    pointer = route_start[:-1].copy()
    ready = np.zeros(k)
    here = np.zeros(k, dtype=np.int64)
    remaining = route_start[-1] - route_start[0]
    # Each pass schedules every robot's next task whose predecessors are finished; a pass that
    # schedules nothing while tasks remain is a deadlock.
    while remaining > 0:
        progressed = False
        for r in range(k):
            while pointer[r] < route_start[r + 1]:
                j = flat[pointer[r]]
                start = ready[r] + times[r, here[r], j]
                blocked = False
                for q in range(pred_start[j], pred_start[j + 1]):
                    f = finish[preds[q]]
                    if f == np.inf:
                        blocked = True
                        break
                    if f > start:
                        start = f
                if blocked:
                    break
                finish[j] = start + process[j]
                ready[r] = finish[j]
                here[r] = j
                pointer[r] += 1
                remaining -= 1
                progressed = True
        if not progressed:
            return finish, np.full(k, np.inf)
    for r in range(k):
        cycles[r] = ready[r] + times[r, here[r], 0] if here[r] != 0 else 0.0
    return finish, cycles


def predecessor_lists(pairs: np.ndarray, n_tasks: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR lists of direct predecessors: task j's are ``preds[pred_start[j]:pred_start[j+1]]``."""
    counts = np.zeros(n_tasks + 2, dtype=np.int64)
    for _, b in pairs:
        counts[b + 1] += 1
    pred_start = np.cumsum(counts).astype(np.int64)
    preds = np.zeros(pairs.shape[0], dtype=np.int64)
    fill = pred_start[:-1].copy()
    for a, b in pairs:
        preds[fill[b]] = a
        fill[b] += 1
    return pred_start, preds


def station_timing(times: np.ndarray, process: np.ndarray, routes, pairs: np.ndarray):
    """Finish time of every task (n+1,) and cycle of every robot (k,), both in s.

    times: (k, n+1, n+1) s per robot; process: (n+1,) s with process[0] = 0; routes: k int
    arrays of tasks (home at the ends optional); pairs: (p, 2) precedence pairs.
    """
    tasks = [np.asarray(r, dtype=np.int64) for r in routes]
    tasks = [t[t != 0] for t in tasks]
    flat = np.concatenate(tasks) if tasks else np.zeros(0, np.int64)
    route_start = np.zeros(len(tasks) + 1, dtype=np.int64)
    route_start[1:] = np.cumsum([t.shape[0] for t in tasks])
    pred_start, preds = predecessor_lists(pairs, process.shape[0] - 1)
    return route_timing(times, process, flat.astype(np.int64), route_start, pred_start, preds)
