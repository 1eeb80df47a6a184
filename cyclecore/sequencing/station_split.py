"""Sharing a station's tasks among k robots so that the slowest robot finishes first.

Each robot sees the station through its own move-time matrix (its base gives its own IK and
move times; inf where it cannot reach). The split is a vehicle-routing problem with one vehicle
per robot, solved by OR-Tools:

* one transit matrix per robot (``RegisterTransitMatrix``), arc p -> j costing
  ``process_time[p] + times[r][p, j]`` in integer microseconds, on a shared time dimension
  (``AddDimensionWithVehicleTransits``) whose cumul at a task is the time it starts and whose
  slack lets a robot wait;
* a global span cost on that dimension, so the objective is the slowest robot's return home;
* reach by removing the robots that cannot reach a task from its vehicle variable; a forbidden
  arc takes longer than the horizon, so no feasible route uses it;
* precedence ``start(j) >= start(i) + process_time[i]`` on the shared dimension, so it holds in
  time across robots.

A greedy list schedule (tasks in precedence order, each to the robot that would finish it
earliest) is the warm start. The greedy split, OR-Tools' split and any split the caller already
has are each polished by :mod:`cyclecore.sequencing.station_local_search`, re-timed with
:mod:`cyclecore.sequencing.station_timing` in float seconds, and the best is kept. Small
stations are enumerated exactly instead (:mod:`cyclecore.sequencing.station_exact`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.constraint_solver import pywrapcp

from cyclecore.sequencing.exact import MAX_EXACT_TASKS
from cyclecore.sequencing.inputs import check_precedence, check_time_matrix
from cyclecore.sequencing.precedence import precedence_closure
from cyclecore.sequencing.routing import CLOCK_CAP, search_parameters, solve_from_routes
from cyclecore import limits
from cyclecore.arguments import SEED, TIME_LIMIT, Array, Integer, arguments, refuse
from cyclecore.results import Result
from cyclecore.sequencing.sequencer import best_route
from cyclecore.sequencing.station_exact import MAX_EXACT_SPLITS, exact_split, split_count
from cyclecore.sequencing.station_local_search import polish_split
from cyclecore.sequencing.station_timing import predecessor_lists, station_timing

SPAN_WEIGHT = 100  # slowest robot's return home, weighed against the sum of all arc times
# OR-Tools stops after this many solutions (or at half the time limit). Guided local search on
# the span objective slows down unpredictably as it goes (300 solutions can take 0.6 s or 5 s),
# so a modest count that normally ends the search first keeps results repeatable; the
# deterministic local search that follows does the fine work.
ORTOOLS_SOLUTIONS = 100
SPLIT_KICK_RATE = 4e6  # a kick costs ~3.5e-8 s x n^3 x k on the reference machine


@dataclass(frozen=True)
class Split(Result):
    """A station's tasks shared among its robots.

    routes: one int64 array per robot, tasks 1..n in visiting order with home 0 at both ends.
    robot_cycles: (k,) s, home -> tasks -> home including waits and process times.
    station_cycle: s, the slowest robot's cycle.
    proven_optimal: True only when a solver proved no split is faster.
    method: which solver produced it.
    """

    routes: tuple
    robot_cycles: np.ndarray
    station_cycle: float
    proven_optimal: bool
    method: str


@dataclass(frozen=True)
class SplitStation:
    """A station's tasks as the split solvers see them, checked by :func:`check_split_station`."""

    times: np.ndarray  # (k, n+1, n+1) s
    process: np.ndarray  # (n+1,) s, process[0] = 0
    pairs: np.ndarray  # (p, 2)
    reach: np.ndarray  # (k, n+1) bool

    @property
    def k(self) -> int:
        return self.times.shape[0]

    @property
    def n(self) -> int:
        return self.times.shape[1] - 1

    def cycles(self, routes) -> tuple[np.ndarray, float]:
        """Robot cycles (k,) and station cycle, s, of ``routes`` (k task lists), as
        :mod:`cyclecore.sequencing.station_timing` times them."""
        _, cycles = station_timing(self.times, self.process, routes, self.pairs)
        return cycles, float(cycles.max()) if cycles.size else 0.0


def check_split_station(robot_matrices, process_time_s, precedence) -> SplitStation:
    """Check :func:`split_tasks`' station arguments once, at the boundary; ValueError naming the
    argument otherwise."""
    try:
        matrices = list(robot_matrices)
    except TypeError:
        refuse("robot_matrices", robot_matrices, "a list of k (n+1, n+1) move-time matrices")
    if len(matrices) < 1:
        raise ValueError("robot_matrices: expected at least one robot (k >= 1), got 0")
    checked = [check_time_matrix(m, f"robot_matrices[{r}]") for r, m in enumerate(matrices)]
    size = checked[0].shape[0]
    for r, m in enumerate(checked):
        if m.shape[0] != size:
            raise ValueError(
                f"robot_matrices[{r}]: shape {m.shape}, but robot_matrices[0] is {checked[0].shape}; "
                "every robot needs the same home + n tasks"
            )
    n = size - 1
    process = Array(shape=(n,), at_least=limits.DURATION_S.low, at_most=limits.DURATION_S.high,
                    unit="s").check(process_time_s, "process_time_s")
    pairs = check_precedence(precedence, n)
    precedence_closure(pairs, n)  # raises on a cycle
    times = np.ascontiguousarray(np.stack(checked))
    off_diagonal = ~np.eye(size, dtype=np.bool_)
    into = (np.isfinite(times) & off_diagonal[None]).any(axis=1)  # some arc arrives
    out_of = (np.isfinite(times) & off_diagonal[None]).any(axis=2)  # some arc leaves
    reach = into & out_of
    reach[:, 0] = True
    for j in range(1, size):
        if not reach[:, j].any():
            raise ValueError(
                f"robot_matrices: task {j} cannot be reached by any robot (no finite move into and "
                "out of it in any robot's matrix)"
            )
    return SplitStation(times, np.concatenate([[0.0], process]), pairs, reach)


def _topological(station: SplitStation) -> list[int]:
    n = station.n
    missing = np.zeros(n + 1, dtype=np.int64)
    successors: list[list[int]] = [[] for _ in range(n + 1)]
    for a, b in station.pairs:
        missing[b] += 1
        successors[a].append(int(b))
    order: list[int] = []
    ready = sorted(j for j in range(1, n + 1) if missing[j] == 0)
    while ready:
        j = ready.pop(0)
        order.append(j)
        for s in successors[j]:
            missing[s] -= 1
            if missing[s] == 0:
                ready.append(s)
        ready.sort()
    return order


def greedy_split(station: SplitStation) -> list[list[int]] | None:
    """List schedule: tasks in precedence order, each appended to the robot that would be back
    home earliest after doing it. None when some task fits no robot (forbidden arcs)."""
    k, times, process = station.k, station.times, station.process
    finish = np.zeros(station.n + 1)
    ready = np.zeros(k)
    here = np.zeros(k, dtype=np.int64)
    preds: list[list[int]] = [[] for _ in range(station.n + 1)]
    for a, b in station.pairs:
        preds[b].append(int(a))
    routes: list[list[int]] = [[] for _ in range(k)]
    for j in _topological(station):
        gate = max((finish[i] for i in preds[j]), default=0.0)
        best, best_r = np.inf, -1
        for r in range(k):
            if not station.reach[r, j]:
                continue
            done = max(ready[r] + times[r, here[r], j], gate) + process[j]
            back = done + times[r, j, 0]
            if back < best:
                best, best_r = back, r
        if best_r < 0:
            return None
        finish[j] = max(ready[best_r] + times[best_r, here[best_r], j], gate) + process[j]
        ready[best_r] = finish[j]
        here[best_r] = j
        routes[best_r].append(j)
    return routes


def ortools_split(station: SplitStation, warm: list[list[int]] | None, time_limit: float) -> list[list[int]] | None:
    """OR-Tools' vehicle-routing split (module docstring) from the ``warm`` routes, if any, in
    ``time_limit`` s; routes (k task lists), or None when it finds none."""
    k, n = station.k, station.n
    finite = np.isfinite(station.times)
    safe = np.where(finite, station.times, 0.0)
    top_in = safe.max(axis=(0, 1))  # slowest arrival at each node over robots
    horizon_s = float(station.process.sum() + top_in.sum()) + 1.0
    scale = min(1e6, 2.0**50 / max(horizon_s, 1.0) / (n + 2))
    horizon = int(np.ceil(horizon_s * scale))
    process_int = np.rint(station.process * scale).astype(np.int64)

    manager = pywrapcp.RoutingIndexManager(n + 1, k, 0)
    model = pywrapcp.RoutingModel(manager)
    transits = []
    for r in range(k):
        move = np.rint(safe[r] * scale).astype(np.int64)
        matrix = process_int[:, None] + move
        # A forbidden arc is longer than the horizon: no feasible route can use it.
        matrix = np.where(finite[r], matrix, horizon + 1)
        np.fill_diagonal(matrix, 0)
        index = model.RegisterTransitMatrix(matrix.tolist())
        transits.append(index)
        model.SetArcCostEvaluatorOfVehicle(index, r)
    model.AddDimensionWithVehicleTransits(transits, horizon, horizon, True, "time")
    clock = model.GetDimensionOrDie("time")
    clock.SetGlobalSpanCostCoefficient(SPAN_WEIGHT)
    for j in range(1, n + 1):
        # (SetAllowedVehiclesForIndex takes an absl::Span the Python wrapper cannot build.)
        barred = [r for r in range(k) if not station.reach[r, j]]
        if barred:
            model.VehicleVar(manager.NodeToIndex(j)).RemoveValues(barred)
    solver = model.solver()
    for a, b in station.pairs:
        solver.Add(
            clock.CumulVar(manager.NodeToIndex(int(b)))
            >= clock.CumulVar(manager.NodeToIndex(int(a))) + int(process_int[a])
        )
    for r in range(k):
        model.AddVariableMinimizedByFinalizer(clock.CumulVar(model.End(r)))

    params = search_parameters(time_limit, ORTOOLS_SOLUTIONS)
    solution = solve_from_routes(model, params, warm)
    if solution is None:
        return None
    routes = []
    for r in range(k):
        index = solution.Value(model.NextVar(model.Start(r)))
        tasks = []
        while not model.IsEnd(index):
            tasks.append(manager.IndexToNode(index))
            index = solution.Value(model.NextVar(index))
        routes.append(tasks)
    return routes


@arguments(time_limit=TIME_LIMIT, seed=SEED, exact_up_to=Integer(at_least=0, at_most=limits.ROUTE_NODES.high))
def split_tasks(robot_matrices, process_time_s, precedence=(), time_limit=5.0, seed=0, *,
                exact_up_to=8, initial_routes=None) -> Split:
    """Assign and order a station's tasks over k robots to minimise the station cycle.

    robot_matrices: k arrays (n+1, n+1) of move times in s; index 0 is that robot's home,
    1..n the station's tasks as that robot reaches them; inf where it cannot (a task with no
    finite arc in and out is out of that robot's reach). process_time_s: (n,) s added when a
    task is done (weld, logic, handshake). precedence: pairs (i, j) of tasks 1..n; j starts only
    after i is finished, also across robots (a robot waits). time_limit: s for the search.
    seed: seeds the local search's kicks. exact_up_to: stations of at most this many tasks whose
    splits number at most 400,000 are enumerated exactly (proven optimal). initial_routes:
    optional known split (one task list per robot, home optional; fewer lists than robots leave
    the rest idle), e.g. the split before a robot was added; the result is never slower.

    Timing semantics: :mod:`cyclecore.sequencing.station_timing`. Returns a :class:`Split`.
    Determinism: the exact, greedy and local-search stages depend only on input and seed (their
    budgets are counts); the OR-Tools stage stops after a solution count sized to fit in half
    the time limit on the reference machine, with the clock only a safety cap at ``CLOCK_CAP``
    times that — so results repeat bit for bit on a busy or an idle machine.
    """
    station = check_split_station(robot_matrices, process_time_s, precedence)
    k, n = station.k, station.n
    pred_start, preds = predecessor_lists(station.pairs, n)
    given = _check_initial(station, initial_routes) if initial_routes is not None else None
    if n == 0:
        return _result([[] for _ in range(k)], np.zeros(k), 0.0, True, "no-tasks")

    if k == 1:
        # One robot: a plain route over move + process times, exact up to 12 tasks.
        times = station.times[0] + station.process[None, :]
        route = best_route(times, time_limit, station.pairs, seed=seed,
                           exact_up_to=min(12, MAX_EXACT_TASKS))
        routes = [route.order[1:-1].tolist()]
        cycles, cycle = station.cycles(routes)
        if given is not None and not route.proven_optimal:
            g_cycles, g_cycle = station.cycles(given)
            if g_cycle < cycle:
                return _result(given, g_cycles, g_cycle, False, "initial")
        return _result(routes, cycles, cycle, route.proven_optimal, route.method)

    if n <= exact_up_to and split_count(n, k) <= MAX_EXACT_SPLITS:
        routes, cycle = exact_split(station.times, station.process, station.reach, pred_start, preds)
        if not np.isfinite(cycle):
            raise ValueError("robot_matrices: every split uses a forbidden (inf) arc or deadlocks")
        cycles, cycle = station.cycles(routes)
        return _result(routes, cycles, cycle, True, "exact-enumeration")

    candidates = []
    if given is not None:
        candidates.append(("initial", given))
    greedy = greedy_split(station)
    if greedy is not None:
        candidates.append(("greedy", greedy))
    # OR-Tools starts from the fresh greedy split (a given split stays a candidate of its own,
    # so a poor start cannot trap the search near it).
    warm = greedy if greedy is not None else given
    found = ortools_split(station, warm, CLOCK_CAP * 0.5 * time_limit)
    if found is not None:
        candidates.append(("ortools-gls", found))
    kicks = split_kicks(time_limit, n, k, len(candidates))
    scored = []
    for method, routes in candidates:
        scored.append((station.cycles(routes), method, routes))
        polished = polish_split(station.times, station.process, station.reach, routes, pred_start,
                                preds, kicks=kicks, seed=seed)
        scored.append((station.cycles(polished), method + "+local-search", polished))
    # Slowest robot first, then the sum of cycles; the earlier candidate wins a tie.
    (cycles, cycle), method, routes = min(scored, key=lambda c: (c[0][1], float(c[0][0].sum())))
    if not np.isfinite(cycle):
        raise ValueError("robot_matrices: no split found whose routes avoid forbidden (inf) arcs")
    return _result(routes, cycles, cycle, False, method)


def _check_initial(station: SplitStation, initial_routes) -> list[list[int]]:
    try:
        routes = [[int(j) for j in np.asarray(r).ravel() if int(j) != 0] for r in initial_routes]
    except (TypeError, ValueError):
        refuse("initial_routes", initial_routes, "one list of task indices per robot")
    if len(routes) > station.k:
        raise ValueError(f"initial_routes: {len(routes)} routes for {station.k} robots")
    routes += [[] for _ in range(station.k - len(routes))]
    tasks = sorted(j for r in routes for j in r)
    if tasks != list(range(1, station.n + 1)):
        raise ValueError(f"initial_routes: must hold every task 1..{station.n} exactly once")
    for r, route in enumerate(routes):
        for j in route:
            if not station.reach[r, j]:
                raise ValueError(f"initial_routes: robot {r} cannot reach task {j}")
    return routes


def split_kicks(time_limit: float, n: int, k: int, starts: int) -> int:
    """Fixed kick count per start for the split's local search: together about a third of the
    time limit on the reference machine, independent of the machine actually running it."""
    rate = SPLIT_KICK_RATE * time_limit / max(n, 1) ** 3 / max(k, 1) / max(starts, 1)
    return int(min(2000, max(2, rate)))


def _result(routes, cycles, cycle, proven, method) -> Split:
    arrays = tuple(np.array([0, *r, 0], dtype=np.int64) for r in routes)
    return Split(arrays, np.asarray(cycles, dtype=np.float64), float(cycle), proven, method)
