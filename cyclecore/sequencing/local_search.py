"""Fast route improvement that never breaks precedence: 2-opt, or-opt and configuration swaps.

Compiled with Numba so the plan search can re-polish thousands of routes. A route is held as a
node array with the home at both ends. Three moves, each applied while it shortens the route:

* **2-opt** reverses a stretch of the route. With asymmetric times the reversed stretch is
  re-costed in both directions as it grows, so each candidate is O(1). A stretch may not be
  reversed once it contains two tasks with a precedence between them.
* **or-opt** moves a run of 1–3 tasks (optionally reversed) elsewhere; it may not jump over a
  task it must precede (moving later) or that must precede it (moving earlier).
* **configuration swap** (with alternatives) picks, for a task in place, the IK configuration
  that makes its two arcs shortest.

Forbidden arcs (inf) are priced at a large finite penalty so a route that uses one can still be
repaired; reported costs always come from the original matrix. An iterated local search
(double-bridge kicks, seeded) escapes local optima for a fixed number of kicks, so its result
depends only on the input and the seed.
"""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np

from cyclecore.arguments import Array
from cyclecore.sequencing.inputs import Tour, build_tour
from cyclecore.sequencing.route import Route, route_cost


# A tour's tasks as the kernels read them, one typed table instead of five parameters: the
# arrays of :class:`~cyclecore.sequencing.inputs.Tour` of the same names.
TourTasks = namedtuple("TourTasks", "task_of task_start task_nodes before pairs")


def tour_tasks(tour_problem: Tour) -> TourTasks:
    """The task table of a validated tour problem."""
    return TourTasks(tour_problem.task_of_node, tour_problem.task_start, tour_problem.task_nodes,
                     tour_problem.before, tour_problem.pairs)


def penalised_times(times: np.ndarray) -> tuple[np.ndarray, float]:
    """Forbidden arcs priced far above any route of allowed arcs; plus a rounding tolerance (s)."""
    finite = times[np.isfinite(times)]
    top = float(finite.max()) if finite.size else 1.0
    penalty = (top + 1.0) * (times.shape[0] + 1) * 16.0
    weights = np.where(np.isfinite(times), times, penalty)
    return np.ascontiguousarray(weights), 1e-9 * (top + 1.0)


@numba.njit(cache=True)
def _segment_has_precedence(tour, i, j, task_of, before):
    for a in range(i, j + 1):
        for b in range(i, j + 1):
            if a != b and before[task_of[tour[a]], task_of[tour[b]]]:
                return True
    return False


@numba.njit(cache=True)
def _two_opt_sweep(w, tour, task_of, before, has_prec, eps):
    m = tour.shape[0] - 2
    improved = False
    i = 1
    while i < m:
        a = tour[i - 1]
        fwd = 0.0
        rev = 0.0
        applied = False
        for j in range(i + 1, m + 1):
            if has_prec:
                tj = task_of[tour[j]]
                clash = False
                for k in range(i, j):
                    if before[task_of[tour[k]], tj]:
                        clash = True
                        break
                if clash:
                    break  # every longer stretch contains the same pair
            fwd += w[tour[j - 1], tour[j]]
            rev += w[tour[j], tour[j - 1]]
            b = tour[j + 1]
            delta = (w[a, tour[j]] + rev + w[tour[i], b]) - (w[a, tour[i]] + fwd + w[tour[j], b])
            if delta < -eps:
                lo = i
                hi = j
                while lo < hi:
                    tmp = tour[lo]
                    tour[lo] = tour[hi]
                    tour[hi] = tmp
                    lo += 1
                    hi -= 1
                improved = True
                applied = True
                break
        if not applied:
            i += 1
    return improved


@numba.njit(cache=True)
def _move_run(tour, i, length, p, flip):
    """Move tour[i:i+length] to sit between tour[p] and tour[p+1] (p outside the run)."""
    out = np.empty_like(tour)
    pos = 0
    for k in range(tour.shape[0]):
        if i <= k < i + length:
            continue
        out[pos] = tour[k]
        pos += 1
        if k == p:
            for q in range(length):
                out[pos] = tour[i + length - 1 - q] if flip else tour[i + q]
                pos += 1
    tour[:] = out


@numba.njit(cache=True)
def _or_opt_sweep(w, tour, task_of, before, has_prec, eps):
    m = tour.shape[0] - 2
    improved = False
    for length in range(1, 4):
        i = 1
        while i + length - 1 <= m:
            end = i + length - 1
            s0 = tour[i]
            s1 = tour[end]
            a = tour[i - 1]
            b = tour[end + 1]
            gain = w[a, s0] + w[s1, b] - w[a, b]
            inner_fwd = 0.0
            inner_rev = 0.0
            for k in range(i, end):
                inner_fwd += w[tour[k], tour[k + 1]]
                inner_rev += w[tour[k + 1], tour[k]]
            can_flip = length > 1 and not (
                has_prec and _segment_has_precedence(tour, i, end, task_of, before)
            )
            best = -eps
            best_p = -1
            best_flip = False
            # Later: the run jumps over tour[p]; it must not have to precede it.
            for p in range(end + 1, m + 1):
                if has_prec:
                    tp = task_of[tour[p]]
                    clash = False
                    for k in range(i, end + 1):
                        if before[task_of[tour[k]], tp]:
                            clash = True
                            break
                    if clash:
                        break
                c = tour[p]
                e = tour[p + 1]
                delta = w[c, s0] + w[s1, e] - w[c, e] - gain
                if delta < best:
                    best = delta
                    best_p = p
                    best_flip = False
                if can_flip:
                    delta = w[c, s1] + inner_rev + w[s0, e] - w[c, e] - inner_fwd - gain
                    if delta < best:
                        best = delta
                        best_p = p
                        best_flip = True
            # Earlier: the run jumps over tour[p+1]; that task must not have to precede it.
            for p in range(i - 2, -1, -1):
                if has_prec:
                    tp = task_of[tour[p + 1]]
                    clash = False
                    for k in range(i, end + 1):
                        if before[tp, task_of[tour[k]]]:
                            clash = True
                            break
                    if clash:
                        break
                c = tour[p]
                e = tour[p + 1]
                delta = w[c, s0] + w[s1, e] - w[c, e] - gain
                if delta < best:
                    best = delta
                    best_p = p
                    best_flip = False
                if can_flip:
                    delta = w[c, s1] + inner_rev + w[s0, e] - w[c, e] - inner_fwd - gain
                    if delta < best:
                        best = delta
                        best_p = p
                        best_flip = True
            if best_p >= 0:
                _move_run(tour, i, length, best_p, best_flip)
                improved = True
            else:
                i += 1
    return improved


@numba.njit(cache=True)
def _configuration_sweep(w, tour, task_of, task_start, task_nodes, eps):
    m = tour.shape[0] - 2
    improved = False
    for pos in range(1, m + 1):
        v = tour[pos]
        t = task_of[v]
        if task_start[t + 1] - task_start[t] < 2:
            continue
        a = tour[pos - 1]
        b = tour[pos + 1]
        now = w[a, v] + w[v, b]
        best = now - eps
        best_u = -1
        for k in range(task_start[t], task_start[t + 1]):
            u = task_nodes[k]
            cand = w[a, u] + w[u, b]
            if cand < best:
                best = cand
                best_u = u
        if best_u >= 0:
            tour[pos] = best_u
            improved = True
    return improved


@numba.njit(cache=True)
def _descend(w, tour, tasks, has_alt, eps):
    """Apply the three moves until none shortens the route (a local optimum)."""
    has_prec = tasks.pairs.shape[0] > 0
    while True:
        improved = _two_opt_sweep(w, tour, tasks.task_of, tasks.before, has_prec, eps)
        improved |= _or_opt_sweep(w, tour, tasks.task_of, tasks.before, has_prec, eps)
        if has_alt:
            improved |= _configuration_sweep(w, tour, tasks.task_of, tasks.task_start, tasks.task_nodes, eps)
        if not improved:
            return


@numba.njit(cache=True)
def _tour_weight(w, tour):
    total = 0.0
    for k in range(tour.shape[0] - 1):
        total += w[tour[k], tour[k + 1]]
    return total


@numba.njit(cache=True)
def _respects(tour, task_of, pairs, rank):
    for k in range(tour.shape[0]):
        rank[task_of[tour[k]]] = k
    rank[0] = 0
    for q in range(pairs.shape[0]):
        if rank[pairs[q, 0]] >= rank[pairs[q, 1]]:
            return False
    return True


@numba.njit(cache=True)
def _iterated(w, tour, tasks, has_alt, eps, kicks, seed):
    """Local optimum, then ``kicks`` double-bridge perturbations each followed by descent;
    keeps the best route. Deterministic for a given seed."""
    has_prec = tasks.pairs.shape[0] > 0
    _descend(w, tour, tasks, has_alt, eps)
    m = tour.shape[0] - 2
    best = tour.copy()
    best_w = _tour_weight(w, best)
    if m < 4:
        return best  # a double bridge needs four stretches
    np.random.seed(seed)
    trial = np.empty_like(tour)
    rank = np.zeros(tasks.task_start.shape[0] - 1, dtype=np.int64)
    for _ in range(kicks):
        # Double bridge A B C D -> A C B D keeps every stretch's direction (fine for asymmetric).
        cuts = np.sort(np.random.choice(m - 1, 3, replace=False) + 2)
        p1, p2, p3 = cuts[0], cuts[1], cuts[2]
        pos = 0
        for k in range(0, p1):
            trial[pos] = best[k]
            pos += 1
        for k in range(p2, p3):
            trial[pos] = best[k]
            pos += 1
        for k in range(p1, p2):
            trial[pos] = best[k]
            pos += 1
        for k in range(p3, m + 2):
            trial[pos] = best[k]
            pos += 1
        if has_prec and not _respects(trial, tasks.task_of, tasks.pairs, rank):
            continue
        _descend(w, trial, tasks, has_alt, eps)
        trial_w = _tour_weight(w, trial)
        if trial_w < best_w - eps:
            best[:] = trial
            best_w = trial_w
    return best


@numba.njit(cache=True)
def _nearest_feasible(w, tasks, pred_count, succ_start, succ):
    """Greedy start: from where the robot stands, go to the nearest node of any task whose
    predecessors are all done."""
    task_of = tasks.task_of
    task_start = tasks.task_start
    n_nodes = w.shape[0]
    m = task_start.shape[0] - 2
    missing = pred_count.copy()
    done = np.zeros(m + 1, dtype=np.bool_)
    tour = np.zeros(m + 2, dtype=np.int64)
    here = 0
    for pos in range(1, m + 1):
        best = np.inf
        best_u = -1
        for u in range(1, n_nodes):
            t = task_of[u]
            if done[t] or missing[t] > 0:
                continue
            if w[here, u] < best:
                best = w[here, u]
                best_u = u
        t = task_of[best_u]
        done[t] = True
        for k in range(succ_start[t], succ_start[t + 1]):
            missing[succ[k]] -= 1
        tour[pos] = best_u
        here = best_u
    return tour


def nearest_feasible_tour(tour_problem: Tour, weights: np.ndarray) -> np.ndarray:
    """A precedence-feasible starting route (node array, home at both ends)."""
    m = tour_problem.n_tasks
    pairs = tour_problem.pairs
    pred_count = np.zeros(m + 1, dtype=np.int64)
    order = np.argsort(pairs[:, 0], kind="stable") if pairs.shape[0] else np.zeros(0, np.int64)
    succ = pairs[order, 1].astype(np.int64) if pairs.shape[0] else np.zeros(0, np.int64)
    succ_start = np.zeros(m + 2, dtype=np.int64)
    for a, b in pairs:
        pred_count[b] += 1
        succ_start[a + 1] += 1
    succ_start = np.cumsum(succ_start).astype(np.int64)
    return _nearest_feasible(weights, tour_tasks(tour_problem), pred_count, succ_start, succ)


def polish(tour_problem: Tour, order: np.ndarray, kicks: int = 0, seed: int = 0) -> np.ndarray:
    """Local optimum reached from ``order`` (node array with home at both ends); with ``kicks``
    > 0, an iterated local search from there. Never returns a longer route than it was given."""
    weights, eps = penalised_times(tour_problem.times)
    start = np.array(order, dtype=np.int64)
    out = _iterated(weights, start.copy(), tour_tasks(tour_problem), tour_problem.has_alternatives, eps,
                    int(kicks), int(seed))
    if _tour_weight(weights, out) > _tour_weight(weights, start):
        return start
    return out


ORDER = Array(shape=("m",), integer=True, what="a node index (an integer)")


def check_order(tour_problem: Tour, order, name: str = "order") -> np.ndarray:
    """A closed route over the problem's nodes: home first and last, one node per task,
    precedence honoured. Accepts the order with or without the home at its ends."""
    # integers only: 8.5 (or True) is no node, and int() would have made it node 8 silently
    nodes = [int(v) for v in ORDER.check(order, name)]
    if nodes and nodes[0] == 0:
        nodes = nodes[1:]
    if nodes and nodes[-1] == 0:
        nodes = nodes[:-1]
    n = tour_problem.n_nodes
    for v in nodes:
        if not 1 <= v < n:
            raise ValueError(f"{name}: node {v} unknown; expected nodes 1..{n - 1} (home 0 only at the ends)")
    tasks = [int(tour_problem.task_of_node[v]) for v in nodes]
    if sorted(tasks) != list(range(1, tour_problem.n_tasks + 1)):
        raise ValueError(f"{name}: must visit every task exactly once (one node per task)")
    rank = {t: k for k, t in enumerate(tasks)}
    for a, b in tour_problem.pairs:
        if rank[int(a)] > rank[int(b)]:
            raise ValueError(f"{name}: visits task {b} before task {a}, against precedence")
    return np.array([0] + nodes + [0], dtype=np.int64)


def improve_route(time_matrix, order, precedence=(), *, alternatives=None) -> Route:
    """Shorten a given route by 2-opt, or-opt (and configuration swaps) without breaking
    precedence. Fully deterministic; the result is never longer than ``order``.

    time_matrix: (n, n) s, inf = forbidden arc. order: a closed route over the nodes (home 0 at
    both ends optional), honouring ``precedence`` (pairs of tasks, i before j).
    """
    problem = build_tour(time_matrix, precedence, alternatives)
    start = check_order(problem, order)
    out = polish(problem, start)
    return Route(out, route_cost(problem.times, out), False, "local-search")

