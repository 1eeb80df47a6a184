"""Single-robot sequencing is optimal: checked against brute force over every visiting order.

The oracle here is independent of the solvers: it lists every permutation of the tasks (and
every choice of IK configuration), drops those that break precedence, and sums the matrix.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from cyclecore.sequencing import best_route, exact_route, improve_route, with_tool_changes


def brute_force_route(times, precedence=(), groups=None):
    """Shortest closed route by enumeration: (cost, order including home at both ends)."""
    if groups is None:
        return _brute_force_plain(times, precedence)
    m = len(groups)
    best = (np.inf, None)
    for perm in itertools.permutations(range(1, m + 1)):
        rank = {t: k for k, t in enumerate(perm)}
        if any(rank[a] > rank[b] for a, b in precedence):
            continue
        for choice in itertools.product(*[groups[t - 1] for t in perm]):
            order = (0, *choice, 0)
            cost = sum(times[a, b] for a, b in zip(order[:-1], order[1:]))
            if cost < best[0]:
                best = (cost, order)
    return best


def _brute_force_plain(times, precedence):
    """Every permutation at once with numpy, one block per first task (10 tasks: 3.6M orders)."""
    m = times.shape[0] - 1
    tails = np.array(list(itertools.permutations(range(m - 1))), dtype=np.int64).reshape(-1, m - 1)
    best = (np.inf, None)
    for first in range(1, m + 1):
        others = np.array([t for t in range(1, m + 1) if t != first], dtype=np.int64)
        orders = np.concatenate(
            [np.zeros((len(tails), 1), np.int64), np.full((len(tails), 1), first),
             others[tails], np.zeros((len(tails), 1), np.int64)], axis=1)
        rank = np.empty_like(orders)
        rank[np.arange(len(orders))[:, None], orders] = np.arange(m + 2)
        ok = np.ones(len(orders), dtype=bool)
        for a, b in precedence:
            ok &= rank[:, a] < rank[:, b]
        if not ok.any():
            continue
        orders = orders[ok]
        costs = times[orders[:, :-1], orders[:, 1:]].sum(axis=1)
        k = int(np.argmin(costs))
        if costs[k] < best[0]:
            best = (float(costs[k]), tuple(orders[k]))
    return best


def random_cell(rng, n_tasks, asymmetric=False):
    """Move times between a home and n tasks of a robot cell, in s."""
    points = rng.uniform(0.0, 2.0, (n_tasks + 1, 3))
    times = np.linalg.norm(points[:, None] - points[None], axis=2) / 1.5 + 0.15
    if asymmetric:
        times = times * rng.uniform(0.8, 1.3, times.shape)
    np.fill_diagonal(times, 0.0)
    return times


def random_precedence(rng, n_tasks, count):
    pairs = set()
    while len(pairs) < count:
        a, b = sorted(rng.choice(np.arange(1, n_tasks + 1), 2, replace=False))
        pairs.add((int(a), int(b)))  # a < b: never a cycle
    return sorted(pairs)


def follows(order, precedence, task_of=lambda v: v):
    rank = {task_of(int(v)): k for k, v in enumerate(order[1:-1])}
    return all(rank[a] < rank[b] for a, b in precedence)


@pytest.mark.parametrize("seed", range(6))
def test_exact_route_matches_brute_force_with_precedence_and_tool_changes(seed):
    rng = np.random.default_rng(seed)
    n_tasks = [5, 6, 7, 8, 8, 9][seed]
    times = random_cell(rng, n_tasks, asymmetric=seed % 2 == 1)
    tools = ["gun-A"] + [str(t) for t in rng.choice(["gun-A", "gun-B"], n_tasks)]
    times = with_tool_changes(times, tools, change_time_s=1.2)
    precedence = random_precedence(rng, n_tasks, 3)
    expected_cost, _ = brute_force_route(times, precedence)

    route = exact_route(times, precedence)

    assert route.proven_optimal
    assert route.cost == pytest.approx(expected_cost, rel=1e-12)
    assert route.order[0] == 0 and route.order[-1] == 0
    assert sorted(route.order[1:-1].tolist()) == list(range(1, n_tasks + 1))
    assert follows(route.order, precedence)


def test_best_route_on_ten_tasks_is_the_brute_force_optimum():
    rng = np.random.default_rng(10)
    times = with_tool_changes(random_cell(rng, 10, asymmetric=True),
                              ["A"] + ["A", "B"] * 5, change_time_s=0.8)
    precedence = [(2, 7), (7, 4), (1, 9)]
    expected_cost, _ = brute_force_route(times, precedence)

    route = best_route(times, time_limit=1.0, precedence=precedence)

    assert route.method == "exact-dp" and route.proven_optimal
    assert route.cost == pytest.approx(expected_cost, rel=1e-12)
    assert follows(route.order, precedence)


@pytest.mark.parametrize("seed", range(4))
def test_heuristic_path_finds_the_optimum_of_small_cells(seed):
    # exact_up_to=0 forces the local search + OR-Tools path on a brute-forceable cell.
    rng = np.random.default_rng(100 + seed)
    n_tasks = 8
    times = random_cell(rng, n_tasks, asymmetric=True)
    precedence = random_precedence(rng, n_tasks, 2)
    expected_cost, _ = brute_force_route(times, precedence)

    route = best_route(times, time_limit=0.5, precedence=precedence, exact_up_to=0, seed=seed)

    assert not route.proven_optimal
    assert route.cost == pytest.approx(expected_cost, rel=1e-9)
    assert follows(route.order, precedence)


@pytest.mark.parametrize("seed", range(3))
def test_alternative_configurations_choose_one_node_per_task_optimally(seed):
    rng = np.random.default_rng(200 + seed)
    n_tasks = 5
    # Two IK configurations per task: nodes 2t-1 and 2t; configuration switches cost extra.
    groups = [[2 * t - 1, 2 * t] for t in range(1, n_tasks + 1)]
    times = random_cell(rng, 2 * n_tasks, asymmetric=True)
    precedence = [(1, 4), (3, 2)]
    task_of = {v: t for t, g in enumerate(groups, start=1) for v in g}
    expected_cost, _ = brute_force_route(times, precedence, groups)

    exact = exact_route(times, precedence, alternatives=groups)
    heuristic = best_route(times, 0.5, precedence, alternatives=groups, exact_up_to=0)

    for route in (exact, heuristic):
        assert route.cost == pytest.approx(expected_cost, rel=1e-9)
        visited = sorted(task_of[int(v)] for v in route.order[1:-1])
        assert visited == list(range(1, n_tasks + 1))
        assert follows(route.order, precedence, task_of.get)


def test_forbidden_arcs_are_never_used():
    rng = np.random.default_rng(7)
    times = random_cell(rng, 7)
    times[0, 1:4] = np.inf  # the robot cannot leave home towards tasks 1-3
    times[5, 6] = np.inf
    expected_cost, _ = brute_force_route(times)

    for route in (exact_route(times), best_route(times, 0.5, exact_up_to=0)):
        assert np.isfinite(route.cost)
        assert route.cost == pytest.approx(expected_cost, rel=1e-9)


def test_improve_route_keeps_precedence_and_never_lengthens_the_route():
    rng = np.random.default_rng(11)
    for trial in range(20):
        n_tasks = int(rng.integers(5, 40))
        times = random_cell(rng, n_tasks, asymmetric=trial % 2 == 0)
        precedence = random_precedence(rng, n_tasks, min(8, n_tasks // 2))
        start = [0, *range(1, n_tasks + 1), 0]  # tasks in index order honour a < b pairs
        start_cost = sum(times[a, b] for a, b in zip(start[:-1], start[1:]))

        route = improve_route(times, start, precedence)

        assert route.cost <= start_cost + 1e-12
        assert follows(route.order, precedence)
        assert sorted(route.order[1:-1].tolist()) == list(range(1, n_tasks + 1))
        assert route.cost == pytest.approx(
            sum(times[a, b] for a, b in zip(route.order[:-1], route.order[1:])), rel=1e-12
        )


def test_improved_route_has_no_improving_two_opt_or_single_task_move():
    # The polish ends in a local optimum: check every 2-opt reversal and every single-task
    # relocation directly, on a symmetric cell without precedence.
    rng = np.random.default_rng(12)
    times = random_cell(rng, 25)
    route = improve_route(times, list(range(26)) + [0])
    order = route.order.tolist()

    def cost(o):
        return sum(times[a, b] for a, b in zip(o[:-1], o[1:]))

    base = cost(order)
    for i in range(1, 26):
        for j in range(i + 1, 26):
            assert cost(order[:i] + order[i:j + 1][::-1] + order[j + 1:]) >= base - 1e-9
        rest = order[:i] + order[i + 1:]
        for p in range(1, 26):
            assert cost(rest[:p] + [order[i]] + rest[p:]) >= base - 1e-9


def test_best_route_is_deterministic_for_a_seed():
    rng = np.random.default_rng(13)
    times = random_cell(rng, 30, asymmetric=True)
    precedence = random_precedence(rng, 30, 6)
    first = best_route(times, 0.3, precedence, seed=5)
    second = best_route(times, 0.3, precedence, seed=5)
    assert np.array_equal(first.order, second.order) and first.cost == second.cost


def test_tool_change_time_lands_only_on_arcs_between_different_tools():
    times = np.arange(16, dtype=float).reshape(4, 4)
    out = with_tool_changes(times, ["A", "A", "B", "C"], 2.5)
    changed = np.array([[0, 0, 1, 1], [0, 0, 1, 1], [1, 1, 0, 1], [1, 1, 1, 0]], dtype=bool)
    assert np.array_equal(out, times + 2.5 * changed)
    per_pair = np.array([[0.0, 1.0], [3.0, 0.0]])
    out = with_tool_changes(times, ["A", "B", "B", "A"], per_pair)
    assert out[0, 1] == times[0, 1] + 1.0 and out[1, 0] == times[1, 0] + 3.0
    assert out[1, 2] == times[1, 2] and out[0, 3] == times[0, 3]


def test_a_route_with_no_tasks_stays_home():
    route = best_route(np.zeros((1, 1)))
    assert route.order.tolist() == [0, 0] and route.cost == 0.0 and route.proven_optimal


@pytest.mark.parametrize("seed", range(3))
def test_ortools_model_alone_finds_the_optimum_with_precedence_and_alternatives(seed):
    # The OR-Tools stage on its own (no warm start, no polish): its precedence dimension and
    # disjunctions must describe the same problem as the brute force.
    from cyclecore.sequencing.inputs import build_tour
    from cyclecore.sequencing.routing import ortools_route

    rng = np.random.default_rng(400 + seed)
    groups = [[2 * t - 1, 2 * t] for t in range(1, 6)]
    times = random_cell(rng, 10, asymmetric=True)
    times[0, 3] = np.inf
    precedence = [(1, 4), (3, 2), (5, 1)]
    expected_cost, _ = brute_force_route(times, precedence, groups)

    order = ortools_route(build_tour(times, precedence, groups), None, 0.3)

    task_of = {v: t for t, g in enumerate(groups, start=1) for v in g}
    assert follows(order, precedence, task_of.get)
    assert sorted(task_of[int(v)] for v in order[1:-1]) == [1, 2, 3, 4, 5]
    cost = sum(times[a, b] for a, b in zip(order[:-1], order[1:]))
    assert cost == pytest.approx(expected_cost, rel=1e-9)
