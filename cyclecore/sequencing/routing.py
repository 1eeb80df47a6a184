"""Route sequencing with OR-Tools routing: native matrix, warm start, guided local search.

OR-Tools is fast here only when it never calls back into Python per arc, so the move times are
registered as an integer matrix (``RegisterTransitMatrix``, microseconds). The search starts from
a route we already have (from the Numba local search), and guided local search improves it under
the time limit. Precedence is a "position" dimension (one step per visit) with
``position(i) <= position(j)``; alternative IK configurations are a mandatory disjunction (exactly
one node per task). Forbidden arcs are removed from the successor domains.

Determinism: the search is single-threaded and seedless, so the same input gives the same route
whenever the search runs to the same point; with a time limit that point depends on the machine.
"""

from __future__ import annotations

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from cyclecore.sequencing.inputs import Tour


def integer_scale(times: np.ndarray) -> float:
    """Units per second for integer costs: microseconds unless the matrix is so large that a
    route's total could overflow 2^52 (exactly representable, far from int64 limits)."""
    finite = times[np.isfinite(times)]
    top = float(finite.max()) if finite.size else 1.0
    limit = 2.0**52 / ((top + 1.0) * (times.shape[0] + 1))
    return min(1e6, limit)


# OR-Tools stops on a solution count; its clock limit is only a safety net this many times the
# budget, so a busy machine changes how long a search takes, never what it finds
CLOCK_CAP = 10.0
# ... and never below this when a solution count is the stop: building the model and the first
# solution take up to seconds on a busy machine whatever the budget (as balancing's CP-SAT cap)
CLOCK_FLOOR_S = 10.0


def search_parameters(time_limit: float, solution_limit: int | None = None):
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    if solution_limit is not None:
        params.solution_limit = int(solution_limit)
        time_limit = max(time_limit, CLOCK_FLOOR_S)
    params.time_limit.FromNanoseconds(max(1, int(round(time_limit * 1e9))))
    return params


def solve_from_routes(model, params, routes=None):
    """Close ``model`` and solve it, warm-started from ``routes`` (node lists per vehicle, without
    the depots) when they are given and feasible; None when no solution is found."""
    model.CloseModelWithParameters(params)
    solution = None
    if routes is not None:
        initial = model.ReadAssignmentFromRoutes(routes, True)
        if initial is not None:
            solution = model.SolveFromAssignmentWithParameters(initial, params)
    if solution is None:
        solution = model.SolveWithParameters(params)
    return solution


def ortools_route(tour: Tour, start: np.ndarray | None, time_limit: float,
                  solution_limit: int | None = None) -> np.ndarray | None:
    """Best route OR-Tools finds within ``time_limit`` s, as a node array with home at both ends
    (or None if it found none). ``start``: a feasible warm-start route in the same form."""
    times = tour.times
    n = times.shape[0]
    scale = integer_scale(times)
    finite = np.isfinite(times)
    big = int(2**52 // (n + 1))
    costs = np.where(finite, np.rint(np.where(finite, times, 0.0) * scale), big).astype(np.int64)
    np.fill_diagonal(costs, 0)

    manager = pywrapcp.RoutingIndexManager(n, 1, 0)
    model = pywrapcp.RoutingModel(manager)
    transit = model.RegisterTransitMatrix(costs.tolist())
    model.SetArcCostEvaluatorOfAllVehicles(transit)

    # Forbidden arcs leave the successor domain, so no route can ever use one.
    for i, j in zip(*np.nonzero(~finite)):
        if i == j:
            continue
        src = model.Start(0) if i == 0 else manager.NodeToIndex(int(i))
        dst = model.End(0) if j == 0 else manager.NodeToIndex(int(j))
        model.NextVar(src).RemoveValue(dst)

    groups = [tour.task_nodes[tour.task_start[t]:tour.task_start[t + 1]]
              for t in range(1, tour.n_tasks + 1)]
    for group in groups:
        if len(group) > 1:
            model.AddDisjunction([manager.NodeToIndex(int(v)) for v in group])

    if tour.pairs.shape[0]:
        model.AddConstantDimension(1, n + 1, True, "position")
        position = model.GetDimensionOrDie("position")
        solver = model.solver()
        for a, b in tour.pairs:
            for u in groups[a - 1]:
                for v in groups[b - 1]:
                    cu = position.CumulVar(manager.NodeToIndex(int(u)))
                    cv = position.CumulVar(manager.NodeToIndex(int(v)))
                    if len(groups[a - 1]) == 1 and len(groups[b - 1]) == 1:
                        solver.Add(cu <= cv)
                    else:
                        # Only binding when both configurations are the ones visited.
                        au = model.ActiveVar(manager.NodeToIndex(int(u)))
                        av = model.ActiveVar(manager.NodeToIndex(int(v)))
                        slack = (n + 2) * (2 - au - av)
                        solver.Add(cu <= cv + slack)

    params = search_parameters(time_limit, solution_limit)
    warm = None if start is None else [[int(v) for v in start[1:-1]]]
    solution = solve_from_routes(model, params, warm)
    if solution is None:
        return None
    index = model.Start(0)
    nodes = [0]
    index = solution.Value(model.NextVar(index))
    while not model.IsEnd(index):
        nodes.append(manager.IndexToNode(index))
        index = solution.Value(model.NextVar(index))
    nodes.append(0)
    return np.array(nodes, dtype=np.int64)
