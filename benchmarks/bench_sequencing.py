"""Route sequencing and station splitting, with plain OR-Tools routing measured side by side.

Groups:

* ``sequencing-30`` / ``sequencing-60`` — one robot, 30 / 60 weld spots. cyclecore's
  ``best_route`` with a 0.1 s limit against the textbook OR-Tools set-up (a Python distance
  callback, PATH_CHEAPEST_ARC, guided local search, no warm start) with 1 s. The figure of merit
  is the gap to the best route known for the instance — the best of a long iterated-local-search
  run (40,000 kicks) and of every route either solver returned in this session — and cyclecore
  must be at least as close. The ratio of these two rows is the ratio of two time limits, not a
  speed-up: the next group measures that.
* ``route-quality-30`` / ``route-quality-60`` — the same instances, each solver at its best
  honest use: OR-Tools with the matrix registered natively (no Python callback), PATH_CHEAPEST_ARC
  and guided local search, its anytime trace recorded by a solution callback (the clock starts
  before the model is built); cyclecore's ``best_route`` run once per time limit of a sweep
  (its searches stop on counts, so each limit is one complete run a user could make, timed on the
  clock). Printed, in one run: **equal quality**, each one's time to a route within 0.1% of the
  best known cost (the ratio of the two is the speed-up), and **equal time**, the gap to the best
  known that each reaches within the same wall-clock budgets.
* ``route-polish-60`` — the inner loop of the plan search: improve a given 60-spot route to a
  local optimum. cyclecore's Numba ``improve_route`` (2-opt / or-opt) against OR-Tools' own local
  search from the same start (native matrix, greedy descent, no metaheuristic); both costs are
  reported.
* ``split-60x3`` — 60 spots shared by 3 robots with reach limits and precedence, 2 s limit for
  both: cyclecore's ``split_tasks`` against the textbook OR-Tools multi-vehicle model (Python
  transit callbacks, global span cost, no warm start). Reports each station cycle (re-timed by
  the same float timing), the greedy list schedule, and a lower bound: every spot needs its
  process time plus at least its cheapest arrival move, spread evenly over the robots.
"""

from __future__ import annotations

import numpy as np
import pytest
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from cyclecore.sequencing import best_route, improve_route, split_tasks
from cyclecore.sequencing.inputs import build_tour
from cyclecore.sequencing.local_search import nearest_feasible_tour, penalised_times, polish
from cyclecore.sequencing.route import route_cost
from cyclecore.sequencing.station_split import check_split_station, greedy_split

TIME_LIMIT = 0.1
PEER_TIME_LIMIT = 1.0
SPLIT_LIMIT = 2.0
BEST_KNOWN_KICKS = 40_000


def weld_cell(n_spots: int, seed: int) -> np.ndarray:
    """Move times (s) between a home and n weld spots on a car-body-sized box: synchronised
    axes, so a move takes as long as its slowest Cartesian component, plus settling."""
    rng = np.random.default_rng(seed)
    points = rng.uniform([0.0, 0.0, 0.0], [1.6, 1.2, 0.8], (n_spots + 1, 3))
    delta = np.abs(points[:, None] - points[None])
    times = 0.15 + np.max(delta / np.array([1.2, 1.0, 0.8]), axis=2)
    np.fill_diagonal(times, 0.0)
    return times


_BEST: dict[int, float] = {}
_PEER_COST: dict[int, float] = {}


def best_known(times: np.ndarray) -> float:
    key = times.shape[0]
    if key not in _BEST:
        tour = build_tour(times)
        start = nearest_feasible_tour(tour, penalised_times(times)[0])
        _BEST[key] = route_cost(times, polish(tour, start, kicks=BEST_KNOWN_KICKS, seed=12345))
    return _BEST[key]


def record(times: np.ndarray, cost: float) -> None:
    _BEST[times.shape[0]] = min(best_known(times), cost)


def plain_ortools_route(times: np.ndarray, time_limit: float) -> float:
    """The usual OR-Tools TSP recipe: Python callback per arc, no warm start."""
    n = times.shape[0]
    scaled = np.rint(times * 1e6).astype(np.int64).tolist()
    manager = pywrapcp.RoutingIndexManager(n, 1, 0)
    model = pywrapcp.RoutingModel(manager)

    def distance(i, j):
        return scaled[manager.IndexToNode(i)][manager.IndexToNode(j)]

    model.SetArcCostEvaluatorOfAllVehicles(model.RegisterTransitCallback(distance))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromNanoseconds(int(time_limit * 1e9))
    solution = model.SolveWithParameters(params)
    index, order = model.Start(0), [0]
    while not model.IsEnd(index):
        index = solution.Value(model.NextVar(index))
        order.append(manager.IndexToNode(index))
    return route_cost(times, order)


@pytest.mark.parametrize("n_spots", [30, 60])
def test_sequencing_plain_ortools_peer(benchmark, n_spots):
    times = weld_cell(n_spots, seed=n_spots)
    reference = best_known(times)
    benchmark.group = f"sequencing-{n_spots}"
    benchmark.extra_info["role"] = "peer"
    benchmark.extra_info["items"] = n_spots
    cost = benchmark.pedantic(plain_ortools_route, args=(times, PEER_TIME_LIMIT), rounds=2, iterations=1)
    record(times, cost)
    _PEER_COST[n_spots] = cost
    benchmark.extra_info["cost_s"] = round(cost, 4)
    benchmark.extra_info["gap_to_best_known_pct"] = round(100 * (cost / reference - 1), 3)


@pytest.mark.parametrize("n_spots", [30, 60])
def test_sequencing_cyclecore(benchmark, n_spots):
    times = weld_cell(n_spots, seed=n_spots)
    reference = best_known(times)
    benchmark.group = f"sequencing-{n_spots}"
    benchmark.extra_info["role"] = "cyclecore"
    benchmark.extra_info["items"] = n_spots
    route = benchmark.pedantic(best_route, args=(times, TIME_LIMIT), rounds=2, iterations=1)
    record(times, route.cost)
    benchmark.extra_info["cost_s"] = round(route.cost, 4)
    benchmark.extra_info["gap_to_best_known_pct"] = round(100 * (route.cost / reference - 1), 3)
    assert route.cost <= 1.01 * reference
    if n_spots not in _PEER_COST:  # the peer's benchmark was deselected: run it once, untimed
        _PEER_COST[n_spots] = plain_ortools_route(times, PEER_TIME_LIMIT)
    assert route.cost <= _PEER_COST[n_spots] + 1e-9


# --------------------------------------------------------------------------- equal quality, equal time
QUALITY = 1e-3  # "reached": within 0.1% of the best known cost
SWEEP_LIMITS = (0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)  # best_route time limits, s
PEER_TRACE_S = 5.0  # OR-Tools' anytime run
BUDGETS_S = (0.05, 0.1, 0.3, 1.0)  # equal-time comparison points, s of wall clock


def ortools_trace(times: np.ndarray, time_limit: float) -> list[tuple[float, float]]:
    """OR-Tools' best use for one route: native matrix, PATH_CHEAPEST_ARC, guided local search.
    Returns (s since the call began, route cost in s) of every solution it reports, in order."""
    import time

    start = time.perf_counter()
    n = times.shape[0]
    manager = pywrapcp.RoutingIndexManager(n, 1, 0)
    model = pywrapcp.RoutingModel(manager)
    model.SetArcCostEvaluatorOfAllVehicles(model.RegisterTransitMatrix(np.rint(times * 1e6).astype(np.int64).tolist()))
    trace = []
    model.AddAtSolutionCallback(lambda: trace.append((time.perf_counter() - start, model.CostVar().Max() / 1e6)))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromNanoseconds(int(time_limit * 1e9))
    solution = model.SolveWithParameters(params)
    index, order = model.Start(0), [0]
    while not model.IsEnd(index):
        index = solution.Value(model.NextVar(index))
        order.append(manager.IndexToNode(index))
    record(times, route_cost(times, order))
    return trace


def cyclecore_sweep(times: np.ndarray) -> list[tuple[float, float]]:
    """(wall s, route cost s) of one complete ``best_route`` run per time limit of the sweep."""
    import time

    best_route(times, SWEEP_LIMITS[0])  # Numba kernels compiled (or loaded) outside the timing
    out = []
    for limit in SWEEP_LIMITS:
        start = time.perf_counter()
        route = best_route(times, limit)
        out.append((time.perf_counter() - start, route.cost))
        record(times, route.cost)
    return out


def time_to_quality(points, threshold: float) -> float:
    """First time (s) a point reaches ``threshold`` (inf if none does)."""
    return min((t for t, cost in points if cost <= threshold), default=float("inf"))


def cost_within(points, budget: float) -> float:
    """Best cost among the points reached within ``budget`` s (inf if none)."""
    return min((cost for t, cost in points if t <= budget), default=float("inf"))


@pytest.mark.parametrize("n_spots", [30, 60])
def test_route_at_equal_quality_and_equal_time(benchmark, n_spots, capsys):
    times = weld_cell(n_spots, seed=n_spots)
    best_known(times)
    peer = ortools_trace(times, PEER_TRACE_S)
    sweep = cyclecore_sweep(times)
    benchmark.group = f"route-quality-{n_spots}"
    benchmark.extra_info["role"] = "cyclecore"
    benchmark.extra_info["items"] = n_spots
    benchmark.pedantic(best_route, args=(times, TIME_LIMIT), rounds=2, iterations=1)
    reference = best_known(times)  # every route found in this run counted
    threshold = reference * (1 + QUALITY)
    ours, theirs = time_to_quality(sweep, threshold), time_to_quality(peer, threshold)
    info = benchmark.extra_info
    info["best_known_cost_s"] = round(reference, 4)
    info["cyclecore_time_to_0.1pct_s"] = round(ours, 4)
    info["ortools_time_to_0.1pct_s"] = round(theirs, 4) if np.isfinite(theirs) else f"not within {PEER_TRACE_S} s"
    info["speed_up_at_equal_quality"] = round(theirs / ours, 1) if np.isfinite(theirs) else f"> {PEER_TRACE_S / ours:.0f}"
    lines = [f"route-quality-{n_spots}: best known {reference:.4f} s; OR-Tools native matrix + GLS vs best_route sweep",
             f"  equal quality (within 0.1%): cyclecore {ours:.3f} s, OR-Tools "
             f"{f'{theirs:.3f} s' if np.isfinite(theirs) else f'not within {PEER_TRACE_S:g} s'}, "
             f"speed-up {info['speed_up_at_equal_quality']}x"]
    default_s = benchmark.stats.stats.median  # best_route at the 0.1 s limit the plan search uses, on the clock
    for budget in BUDGETS_S + (default_s,):
        a, b = cost_within(sweep, budget), cost_within(peer, budget)
        if budget == default_s:
            a = best_route(times, TIME_LIMIT).cost  # the very run timed above (deterministic)
            lines.append(f"  at best_route's {TIME_LIMIT:g} s limit, measured {default_s:.3f} s:")
        gap = lambda c: f"{100 * (c / reference - 1):.2f}%" if np.isfinite(c) else "no route"
        info[f"gap_pct_at_{budget:.3g}s"] = {"cyclecore": gap(a), "ortools": gap(b)}
        lines.append(f"  equal time {budget:.3g} s: gap to best known cyclecore {gap(a)}, OR-Tools {gap(b)}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert np.isfinite(ours), "best_route never came within 0.1% of the best known route"


def ortools_descent(times: np.ndarray, order: np.ndarray) -> float:
    """OR-Tools at its fastest for polishing: native matrix, warm start, greedy descent."""
    n = times.shape[0]
    manager = pywrapcp.RoutingIndexManager(n, 1, 0)
    model = pywrapcp.RoutingModel(manager)
    transit = model.RegisterTransitMatrix(np.rint(times * 1e6).astype(np.int64).tolist())
    model.SetArcCostEvaluatorOfAllVehicles(transit)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
    params.time_limit.FromNanoseconds(int(10e9))
    model.CloseModelWithParameters(params)
    start = model.ReadAssignmentFromRoutes([[int(v) for v in order[1:-1]]], True)
    solution = model.SolveFromAssignmentWithParameters(start, params)
    index, route = model.Start(0), [0]
    while not model.IsEnd(index):
        index = solution.Value(model.NextVar(index))
        route.append(manager.IndexToNode(index))
    return route_cost(times, route)


def _polish_start(n_spots: int):
    times = weld_cell(n_spots, seed=1000 + n_spots)
    order = np.concatenate([[0], np.random.default_rng(n_spots).permutation(np.arange(1, n_spots + 1)), [0]])
    return times, order


def test_route_polish_60_ortools_descent_peer(benchmark):
    times, order = _polish_start(60)
    benchmark.group = "route-polish-60"
    benchmark.extra_info["role"] = "peer"
    benchmark.extra_info["items"] = 60
    cost = benchmark.pedantic(ortools_descent, args=(times, order), rounds=3, iterations=1)
    benchmark.extra_info["cost_s"] = round(cost, 4)
    benchmark.extra_info["start_cost_s"] = round(route_cost(times, order), 4)


def test_route_polish_60_numba(benchmark):
    times, order = _polish_start(60)
    improve_route(times, order)  # compile outside the timing
    benchmark.group = "route-polish-60"
    benchmark.extra_info["role"] = "cyclecore"
    benchmark.extra_info["items"] = 60
    route = benchmark.pedantic(improve_route, args=(times, order), rounds=5, iterations=1)
    benchmark.extra_info["cost_s"] = round(route.cost, 4)
    benchmark.extra_info["start_cost_s"] = round(route_cost(times, order), 4)
    assert route.cost < route_cost(times, order)


def split_station(n_spots: int = 60, k: int = 3, seed: int = 7):
    """A body-side station: spots along a 3 m panel, robots on both sides, each reaching the
    spots within 2.4 m of its base; a few spots must be welded before their neighbours."""
    rng = np.random.default_rng(seed)
    spots = rng.uniform([0.0, 0.0, 0.6], [3.0, 0.4, 1.6], (n_spots, 3))
    bases = np.array([[0.6, -1.2, 0.0], [2.4, -1.2, 0.0], [1.5, 1.6, 0.0]])[:k]
    matrices = []
    for base in bases:
        nodes = np.vstack([base + [0.0, 0.0, 1.2], spots])
        delta = np.abs(nodes[:, None] - nodes[None])
        times = 0.15 + np.max(delta / np.array([1.2, 1.0, 0.8]), axis=2)
        np.fill_diagonal(times, 0.0)
        far = np.linalg.norm(spots[:, :2] - base[:2], axis=1) > 2.4
        times[1:][far] = np.inf
        times[:, 1:][:, far] = np.inf
        matrices.append(times)
    process = rng.uniform(0.6, 1.1, n_spots)  # weld + gun open/close
    precedence = [(j, j + 1) for j in range(1, n_spots, 6)]
    return matrices, process, precedence


def plain_ortools_split(matrices, process, precedence, time_limit):
    """The textbook OR-Tools multi-vehicle model: one Python transit callback per robot
    (process time of the task left + move), a time dimension with waiting slack, global span
    cost, reach by removing vehicles, precedence on the time cumuls, no warm start."""
    k, size = len(matrices), matrices[0].shape[0]
    proc = np.concatenate([[0.0], process])
    horizon = int(1e6 * (proc.sum() + sum(np.nanmax(np.where(np.isfinite(m), m, np.nan)) for m in matrices) * size))
    manager = pywrapcp.RoutingIndexManager(size, k, 0)
    model = pywrapcp.RoutingModel(manager)
    callbacks = []
    for r in range(k):
        times = matrices[r]

        def transit(i, j, times=times):
            a, b = manager.IndexToNode(i), manager.IndexToNode(j)
            move = times[a, b]
            return int(round(1e6 * (proc[a] + move))) if np.isfinite(move) else horizon + 1

        index = model.RegisterTransitCallback(transit)
        callbacks.append(index)
        model.SetArcCostEvaluatorOfVehicle(index, r)
    model.AddDimensionWithVehicleTransits(callbacks, horizon, horizon, True, "time")
    clock = model.GetDimensionOrDie("time")
    clock.SetGlobalSpanCostCoefficient(100)
    for j in range(1, size):
        barred = [r for r in range(k) if not np.isfinite(matrices[r][0, j])]
        if barred:
            model.VehicleVar(manager.NodeToIndex(j)).RemoveValues(barred)
    for a, b in precedence:
        model.solver().Add(clock.CumulVar(manager.NodeToIndex(b))
                           >= clock.CumulVar(manager.NodeToIndex(a)) + int(round(1e6 * proc[a])))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromNanoseconds(int(time_limit * 1e9))
    solution = model.SolveWithParameters(params)
    routes = []
    for r in range(k):
        index, tasks = solution.Value(model.NextVar(model.Start(r))), []
        while not model.IsEnd(index):
            tasks.append(manager.IndexToNode(index))
            index = solution.Value(model.NextVar(index))
        routes.append(tasks)
    return routes


_SPLIT_PEER: dict[str, float] = {}


def test_split_60_spots_3_robots_plain_ortools_peer(benchmark):
    matrices, process, precedence = split_station()
    station = check_split_station(matrices, process, precedence)
    benchmark.group = "split-60x3"
    benchmark.extra_info["role"] = "peer"
    benchmark.extra_info["items"] = len(process)
    routes = benchmark.pedantic(plain_ortools_split, args=(matrices, process, precedence, SPLIT_LIMIT),
                                rounds=1, iterations=1)
    _, cycle = station.cycles(routes)
    _SPLIT_PEER["cycle"] = cycle
    benchmark.extra_info["station_cycle_s"] = round(cycle, 3)


def test_split_60_spots_3_robots(benchmark):
    matrices, process, precedence = split_station()
    station = check_split_station(matrices, process, precedence)
    _, greedy_cycle = station.cycles(greedy_split(station))
    arrival = np.stack([np.where(np.eye(m.shape[0], dtype=bool), np.inf, m).min(axis=0)[1:]
                        for m in matrices]).min(axis=0)
    lower_bound = float((process + arrival).sum()) / len(matrices)
    benchmark.group = "split-60x3"
    benchmark.extra_info["role"] = "cyclecore"
    benchmark.extra_info["items"] = len(process)
    split = benchmark.pedantic(split_tasks, args=(matrices, process, precedence, SPLIT_LIMIT),
                               rounds=1, iterations=1)
    benchmark.extra_info["station_cycle_s"] = round(split.station_cycle, 3)
    benchmark.extra_info["greedy_cycle_s"] = round(greedy_cycle, 3)
    benchmark.extra_info["lower_bound_s"] = round(lower_bound, 3)
    benchmark.extra_info["method"] = split.method
    assert lower_bound <= split.station_cycle <= greedy_cycle
    if "cycle" in _SPLIT_PEER:
        benchmark.extra_info["peer_station_cycle_s"] = round(_SPLIT_PEER["cycle"], 3)
