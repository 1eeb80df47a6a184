"""Choosing the best route for one robot: exact when small, local search plus OR-Tools when not.

Up to ``exact_up_to`` tasks the subset DP proves the optimum. Above that, three stages:

1. a precedence-feasible greedy start (nearest available task);
2. the Numba iterated local search (2-opt / or-opt / configuration swaps with seeded
   double-bridge kicks) for a fixed number of kicks scaled from the time limit, so this stage
   is deterministic and machine-independent;
3. OR-Tools guided local search warm-started from that route, with the matrix registered
   natively, stopping after a number of solutions fixed by the time limit and the size; its
   route is kept only if strictly shorter.

Determinism: every stage stops on a count that depends only on the input, the time limit and
``seed``, so the result is bit-for-bit repeatable on a busy or an idle machine. The counts are
sized to take about the time limit on this project's 2-core reference machine; the clock is only
a safety cap at ``CLOCK_CAP`` times the time limit (a machine that much slower could differ).
"""

from __future__ import annotations

import time

import numpy as np

from cyclecore.arguments import SEED, TIME_LIMIT, Integer, arguments
from cyclecore.sequencing.exact import MAX_EXACT_TASKS, solve_exact
from cyclecore.sequencing.inputs import build_tour
from cyclecore.sequencing.local_search import nearest_feasible_tour, penalised_times, polish
from cyclecore.sequencing.route import Route, route_cost
from cyclecore.sequencing.routing import CLOCK_CAP, clock_capped, ortools_route

# Kick budget: the iterated local search manages about 3.5e7 / m^2 kicks per second for m >= 30
# tasks (at most ~45,000/s for small m) on this project's 2-core reference machine; the budget
# below is about a third of the time limit there. A count, not a clock, keeps it repeatable.
KICK_RATE = 1.2e7
SMALL_KICK_RATE = 1.5e4
MIN_KICKS, MAX_KICKS = 50, 50_000
# OR-Tools stops after this many solutions per (second x task^2), at most 200: about a third of
# the time limit here, so the solution count, not the clock, normally ends the search.
ORTOOLS_SOLUTION_RATE = 2e5
MIN_SOLUTIONS, MAX_SOLUTIONS = 10, 200


def kick_budget(time_limit: float, n_tasks: int) -> int:
    rate = min(KICK_RATE / max(n_tasks, 1) ** 2, SMALL_KICK_RATE)
    return int(min(MAX_KICKS, max(MIN_KICKS, rate * time_limit)))


def ortools_solutions(time_limit: float, n_tasks: int) -> int:
    rate = ORTOOLS_SOLUTION_RATE * time_limit / max(n_tasks, 1) ** 2
    return int(min(MAX_SOLUTIONS, max(MIN_SOLUTIONS, rate)))


@arguments(time_limit=TIME_LIMIT, seed=SEED, exact_up_to=Integer(at_least=0, at_most=MAX_EXACT_TASKS))
def best_route(time_matrix, time_limit=5.0, precedence=(), *, alternatives=None,
               exact_up_to=12, seed=0) -> Route:
    """Shortest closed route home -> every task -> home that honours precedence.

    time_matrix: (n, n) move times in s (tool changes included, see ``with_tool_changes``),
    asymmetric allowed, inf = forbidden arc; node 0 is the robot's home.
    time_limit: s, bound on the heuristic stages (the exact DP is not time-limited).
    precedence: pairs (i, j) of tasks, i done no later than j. Tasks are numbered 1..m; without
    ``alternatives`` task i is node i.
    alternatives: optional list of m groups of nodes, group t-1 holding the alternative IK
    configurations of task t; exactly one node per group is visited (generalised TSP).
    exact_up_to: up to this many tasks (at most 16) the DP proves the optimum.
    seed: seeds the local search's kicks.

    Returns a :class:`Route` (order in node indices with 0 at both ends, cost in s). Raises
    ValueError on bad input or when every route found uses a forbidden arc.
    """
    tour = build_tour(time_matrix, precedence, alternatives)
    if tour.n_tasks <= exact_up_to:
        return solve_exact(tour)

    weights, eps = penalised_times(tour.times)
    start = nearest_feasible_tour(tour, weights)
    best = polish(tour, start, kicks=kick_budget(time_limit, tour.n_tasks), seed=seed)
    best_cost = route_cost(weights, best)
    method = "local-search"
    capped = False

    if tour.n_tasks >= 2:
        started = time.perf_counter()
        found = ortools_route(tour, best, CLOCK_CAP * time_limit,
                              solution_limit=ortools_solutions(time_limit, tour.n_tasks))
        capped = clock_capped(started, CLOCK_CAP * time_limit)
        if found is not None:
            found = polish(tour, found)
            found_cost = route_cost(weights, found)
            if found_cost < best_cost - eps:
                best, best_cost, method = found, found_cost, "ortools-gls+local-search"

    cost = route_cost(tour.times, best)
    if not np.isfinite(cost):
        raise ValueError(
            "time_matrix: no route found that honours precedence without a forbidden (inf) arc"
        )
    return Route(best, cost, False, method, capped)
