"""Sharing a station's tasks among robots: exact on small stations, never worse with more robots.

Timing semantics (the same as ``cyclecore.sequencing.station_timing``, re-derived here by a
different algorithm): robots start at home at t = 0; a task starts when its robot has arrived
and every predecessor (on any robot) has finished; the robot's cycle ends when it is back home.
The oracle finds those times by relaxing the constraints to a fixed point, and enumerates every
assignment of tasks to robots and every order.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from cyclecore.sequencing import split_tasks


def oracle_cycles(matrices, process, routes, precedence):
    """Robot cycles (s) by fixed-point relaxation; inf for a deadlock (times never settle)."""
    n = len(process)
    finish = [0.0] * (n + 1)
    preds = {j: [a for a, b in precedence if b == j] for j in range(1, n + 1)}
    for _ in range(n + 2):
        changed = False
        for r, route in enumerate(routes):
            prev = 0
            for j in route:
                start = max([finish[prev] + matrices[r][prev][j]] + [finish[i] for i in preds[j]])
                if start + process[j - 1] > finish[j] + 1e-12:
                    finish[j] = start + process[j - 1]
                    changed = True
                prev = j
        if not changed:
            return [finish[route[-1]] + matrices[r][route[-1]][0] if route else 0.0
                    for r, route in enumerate(routes)]
    return [np.inf] * len(routes)


def oracle_station_cycle(matrices, process, precedence):
    k, n = len(matrices), len(process)
    best = np.inf
    # Balanced assignments first: they find a good cycle early, which prunes the rest.
    assignments = sorted(itertools.product(range(k), repeat=n),
                         key=lambda a: max(a.count(r) for r in range(k)))
    for assign in assignments:
        groups = [[j + 1 for j in range(n) if assign[j] == r] for r in range(k)]
        if any(not np.isfinite(matrices[r][0][j]) for r, g in enumerate(groups) for j in g):
            continue  # unreachable task (these stations forbid reach through the home arcs)
        # A robot's cycle is at least its moves and process times without waiting: orders
        # already that slow on their own cannot win, which keeps the enumeration quick.
        options = []
        for r, g in enumerate(groups):
            keep = []
            for order in itertools.permutations(g):
                path = (0, *order, 0)
                alone = sum(matrices[r][a][b] for a, b in zip(path[:-1], path[1:]))
                alone += sum(process[j - 1] for j in order)
                if alone < best:
                    keep.append(order)
            options.append(keep)
        for orders in itertools.product(*options):
            best = min(best, max(oracle_cycles(matrices, process, orders, precedence)))
    return best


def random_station(rng, n_tasks, k, reach_radius=np.inf):
    points = rng.uniform(0.0, 2.0, (n_tasks, 2))
    homes = rng.uniform(-0.5, 2.5, (k, 2))
    matrices = []
    for r in range(k):
        nodes = np.vstack([homes[r], points])
        times = np.linalg.norm(nodes[:, None] - nodes[None], axis=2) / 1.5 + 0.2
        np.fill_diagonal(times, 0.0)
        far = np.linalg.norm(points - homes[r], axis=1) > reach_radius
        times[1:][far] = np.inf
        times[:, 1:][:, far] = np.inf
        matrices.append(times)
    process = rng.uniform(0.4, 1.6, n_tasks)
    return matrices, process


def station_cycle_of(split, matrices, process, precedence):
    return max(oracle_cycles(matrices, process, [r[1:-1].tolist() for r in split.routes], precedence))


@pytest.mark.parametrize("seed", range(8))
def test_two_robot_split_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n_tasks = [4, 5, 5, 6, 6, 6, 7, 7][seed]
    matrices, process = random_station(rng, n_tasks, 2, reach_radius=2.2 if seed % 3 == 0 else np.inf)
    if any(all(not np.isfinite(m[0, j]) for m in matrices) for j in range(1, n_tasks + 1)):
        pytest.skip("random station has a task no robot reaches")  # not expected with these seeds
    # Cross-robot precedence: task 1 before 2, and 3 before the last task.
    precedence = [(1, 2), (3, n_tasks)]

    split = split_tasks(matrices, process, precedence, time_limit=1.0)

    expected = oracle_station_cycle(matrices, process, precedence)
    assert split.proven_optimal
    assert split.station_cycle == pytest.approx(expected, rel=1e-12)
    # The reported cycles are the oracle's timing of the reported routes.
    assert split.robot_cycles.tolist() == pytest.approx(
        oracle_cycles(matrices, process, [r[1:-1].tolist() for r in split.routes], precedence),
        rel=1e-12)
    assert sorted(j for r in split.routes for j in r[1:-1]) == list(range(1, n_tasks + 1))


def test_eight_task_station_split_matches_brute_force():
    rng = np.random.default_rng(42)
    matrices, process = random_station(rng, 8, 2)
    precedence = [(1, 5), (5, 8), (2, 6)]

    split = split_tasks(matrices, process, precedence, time_limit=1.0)

    assert split.station_cycle == pytest.approx(
        oracle_station_cycle(matrices, process, precedence), rel=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_search_path_finds_the_brute_force_split_of_small_stations(seed):
    # exact_up_to=0 forces greedy + OR-Tools + local search on a brute-forceable station.
    rng = np.random.default_rng(50 + seed)
    matrices, process = random_station(rng, 6, 2)
    precedence = [(1, 2), (4, 3)]

    split = split_tasks(matrices, process, precedence, time_limit=0.4, exact_up_to=0)

    assert not split.proven_optimal
    assert split.station_cycle == pytest.approx(
        oracle_station_cycle(matrices, process, precedence), rel=1e-9)
    assert split.station_cycle == pytest.approx(
        station_cycle_of(split, matrices, process, precedence), rel=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_adding_a_robot_never_increases_the_station_cycle(seed):
    rng = np.random.default_rng(300 + seed)
    n_tasks = 16
    matrices, process = random_station(rng, n_tasks, 3)
    precedence = [(1, 2), (2, 3), (5, 9), (10, 4)]

    cycles = []
    previous = None
    for k in (1, 2, 3):
        split = split_tasks(matrices[:k], process, precedence, time_limit=0.6, seed=seed,
                            initial_routes=previous)
        assert split.station_cycle == pytest.approx(
            station_cycle_of(split, matrices[:k], process, precedence), rel=1e-12)
        cycles.append(split.station_cycle)
        previous = [r[1:-1].tolist() for r in split.routes]
    assert cycles[1] <= cycles[0] and cycles[2] <= cycles[1]
    # Without a warm start too: a second robot on 16 tasks is far better than one.
    alone = split_tasks(matrices[:2], process, precedence, time_limit=0.6, seed=seed)
    assert alone.station_cycle <= cycles[0]


def test_robot_waits_for_a_predecessor_done_by_the_other_robot():
    # Robot 0 may only do task 1, robot 1 only task 2; task 1 must finish before task 2 starts.
    inf = np.inf
    robot0 = np.array([[0, 1.0, inf], [1.0, 0, inf], [inf, inf, 0]])
    robot1 = np.array([[0, inf, 0.5], [inf, 0, inf], [0.5, inf, 0]])
    split = split_tasks([robot0, robot1], [2.0, 1.0], [(1, 2)], time_limit=0.5)
    # Robot 0: 1 s move, 2 s weld, 1 s home = 4 s. Robot 1 arrives at 0.5 s, waits until 3 s,
    # welds 1 s, is home at 4.5 s.
    assert [r.tolist() for r in split.routes] == [[0, 1, 0], [0, 2, 0]]
    assert split.robot_cycles.tolist() == pytest.approx([4.0, 4.5])
    assert split.station_cycle == pytest.approx(4.5)


def test_one_robot_split_is_its_best_route_over_move_and_process_time():
    rng = np.random.default_rng(5)
    matrices, process = random_station(rng, 7, 1)
    split = split_tasks(matrices, process, [(2, 5)], time_limit=0.5)
    assert split.proven_optimal
    assert split.station_cycle == pytest.approx(
        oracle_station_cycle(matrices, process, [(2, 5)]), rel=1e-12)


def test_split_is_repeatable_for_a_seed():
    rng = np.random.default_rng(77)
    matrices, process = random_station(rng, 20, 2)
    first = split_tasks(matrices, process, [(1, 2), (3, 4)], time_limit=1.0, seed=3)
    second = split_tasks(matrices, process, [(1, 2), (3, 4)], time_limit=1.0, seed=3)
    assert [r.tolist() for r in first.routes] == [r.tolist() for r in second.routes]
    assert first.station_cycle == second.station_cycle


@pytest.mark.parametrize("seed", range(2))
def test_ortools_split_model_alone_matches_brute_force(seed, monkeypatch):
    # The OR-Tools vehicle model on its own, from its own first solution and with a longer
    # search than split_tasks gives it: per-robot matrices, span cost, reach and cross-robot
    # precedence must describe the brute-force problem.
    from cyclecore.sequencing import station_split
    from cyclecore.sequencing.station_split import check_split_station, ortools_split

    monkeypatch.setattr(station_split, "ORTOOLS_SOLUTIONS", 2000)

    rng = np.random.default_rng(600 + seed)
    matrices, process = random_station(rng, 5, 2, reach_radius=2.4)
    precedence = [(1, 2), (4, 3)]
    station = check_split_station(matrices, process, precedence)

    routes = ortools_split(station, None, 5.0)

    _, cycle = station.cycles(routes)
    assert cycle == pytest.approx(oracle_station_cycle(matrices, process, precedence), rel=1e-6)
