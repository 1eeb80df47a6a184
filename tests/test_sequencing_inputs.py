"""Bad input to the sequencing entry points is a ValueError that names the argument."""

from __future__ import annotations

import numpy as np
import pytest

from cyclecore.sequencing import (
    best_route,
    exact_route,
    improve_route,
    split_tasks,
    with_tool_changes,
)


def cell(n=4):
    times = np.ones((n, n))
    np.fill_diagonal(times, 0.0)
    return times


@pytest.mark.parametrize("matrix, message", [
    (np.ones((3, 4)), r"time_matrix: got shape \(3, 4\), expected .*shape \(n, n\)"),
    (np.ones(5), r"time_matrix: got shape \(5,\), expected .*shape \(n, n\)"),
    (np.zeros((0, 0)), r"time_matrix: got shape \(0, 0\), expected a non-empty array"),
    (np.array([[0, 1], [np.nan, 0]]), r"time_matrix\[1, 0\]: got NaN"),
    (np.array([[0, -1.0], [1, 0]]), r"time_matrix\[0, 1\]: got -1.0, expected a move time in \[0, 86400\] s"),
    (np.array([[0, -np.inf], [1, 0]]), r"time_matrix\[0, 1\]: got -inf"),
    ([["a", "b"], ["c", "d"]], r"time_matrix: got .*, expected an array of numbers of shape \(n, n\)"),
])
@pytest.mark.parametrize("solve", [best_route, exact_route])
def test_malformed_time_matrix_is_rejected(solve, matrix, message):
    with pytest.raises(ValueError, match=message):
        solve(matrix)


@pytest.mark.parametrize("precedence, message", [
    ([(1, 2), (2, 3), (3, 1)], r"precedence: contains a cycle through tasks \[.*\]"),
    ([(1, 7)], "precedence\\[0\\]: task 7 unknown; expected tasks 1..3"),
    ([(0, 2)], "precedence\\[0\\]: task 0 unknown"),
    ([(2, 2)], "precedence\\[0\\]: task 2 cannot precede itself"),
    ([(1, 2, 3)], r"precedence\[0\]: got \(1, 2, 3\), expected a pair"),
    ([(1.5, 2)], r"precedence\[0\]: got \(1.5, 2\), expected a pair \(i, j\) of integer task numbers"),
    (5, "precedence: got 5, expected an iterable"),
])
def test_bad_precedence_is_rejected(precedence, message):
    for solve in (best_route, exact_route):
        with pytest.raises(ValueError, match=message):
            solve(cell(), precedence=precedence)
    with pytest.raises(ValueError, match=message):
        split_tasks([cell()], [1.0, 1.0, 1.0], precedence)


@pytest.mark.parametrize("alternatives, message", [
    ([[1, 2], [2, 3]], "alternatives: node 2 is in groups 0 and 1"),
    ([[1, 2]], r"alternatives: nodes \[3\] belong to no group"),
    ([[1, 2], [3, 9]], "alternatives\\[1\\]: node 9 unknown"),
    ([[1, 2], [0, 3]], "alternatives\\[1\\]: node 0 unknown"),
    ([[1, 2, 3], []], "alternatives\\[1\\]: empty group"),
])
def test_bad_alternatives_are_rejected(alternatives, message):
    with pytest.raises(ValueError, match=message):
        best_route(cell(), alternatives=alternatives)


def test_bad_scalars_are_rejected():
    with pytest.raises(ValueError, match="time_limit"):
        best_route(cell(), time_limit=0)
    with pytest.raises(ValueError, match="time_limit"):
        best_route(cell(), time_limit=float("nan"))
    with pytest.raises(ValueError, match="seed"):
        best_route(cell(), seed=-1)
    with pytest.raises(ValueError, match="exact_up_to"):
        best_route(cell(), exact_up_to=40)
    with pytest.raises(ValueError, match="exact_route|at most 16"):
        exact_route(cell(18))


def test_a_route_that_cannot_avoid_forbidden_arcs_is_reported():
    times = cell(3)
    times[0, :] = np.inf  # the robot cannot leave home
    for solve in (best_route, exact_route):
        with pytest.raises(ValueError, match="time_matrix: .*forbidden"):
            solve(times)


def test_improve_route_checks_the_given_order():
    with pytest.raises(ValueError, match="order: must visit every task exactly once"):
        improve_route(cell(), [0, 1, 2, 0])
    with pytest.raises(ValueError, match="order: node 9 unknown"):
        improve_route(cell(), [0, 1, 9, 3, 0])
    with pytest.raises(ValueError, match="order: visits task 2 before task 1"):
        improve_route(cell(), [0, 2, 1, 3, 0], precedence=[(1, 2)])


def test_tool_change_inputs_are_checked():
    with pytest.raises(ValueError, match="tools: expected 4 labels"):
        with_tool_changes(cell(), ["A", "B"], 1.0)
    with pytest.raises(ValueError, match=r"change_time_s: got -1.0, expected a finite number in \[0, 86400\] s"):
        with_tool_changes(cell(), ["A"] * 4, -1.0)
    with pytest.raises(ValueError, match=r"change_time_s: got shape \(3, 3\), expected shape \(\) or \(2, 2\)"):
        with_tool_changes(cell(), ["A", "B", "A", "B"], np.ones((3, 3)))


def test_split_inputs_are_checked():
    with pytest.raises(ValueError, match=r"robot_matrices: expected at least one robot \(k >= 1\)"):
        split_tasks([], [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match=r"robot_matrices\[1\]: shape \(3, 3\)"):
        split_tasks([cell(), cell(3)], [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match=r"robot_matrices\[0\]\[0, 1\]: got NaN"):
        bad = cell()
        bad[0, 1] = np.nan
        split_tasks([bad], [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match=r"process_time_s: got shape \(2,\), expected shape \(3,\)"):
        split_tasks([cell()], [1.0, 1.0])
    with pytest.raises(ValueError, match=r"process_time_s\[1\]: got -1.0, expected a finite number in \[0, 86400\] s"):
        split_tasks([cell()], [1.0, -1.0, 1.0])
    with pytest.raises(ValueError, match="initial_routes: must hold every task"):
        split_tasks([cell(), cell()], [1.0, 1.0, 1.0], initial_routes=[[1], [2]])


def test_task_no_robot_can_reach_is_named():
    a, b = cell(), cell()
    for m in (a, b):
        m[2, :] = np.inf
        m[:, 2] = np.inf
        m[2, 2] = 0.0
    with pytest.raises(ValueError, match="robot_matrices: task 2 cannot be reached by any robot"):
        split_tasks([a, b], [1.0, 1.0, 1.0])


# --- issue 11, defect 14: extreme arguments are refused by name, before any work --------------------


def test_a_matrix_beyond_the_route_size_limit_is_refused_before_any_copy():
    huge = np.zeros((5_001, 5_001))  # zero pages: cheap to make, a few copies would not be
    with pytest.raises(ValueError, match=r"time_matrix: got 5,001 nodes, expected in \[1, 5,000\] nodes"):
        best_route(huge)


@pytest.mark.parametrize("solve", [best_route, exact_route])
def test_a_finite_but_absurd_move_time_is_refused_not_read_as_forbidden(solve):
    # 1e300 + 1e300 + ... overflowed to inf and was reported as "a forbidden (inf) arc"
    times = np.full((4, 4), 1e300)
    np.fill_diagonal(times, 0.0)
    with pytest.raises(ValueError, match=r"time_matrix\[0, 1\]: got 1e\+300, expected a move time in \[0, 86400\] s"):
        solve(times)


def test_split_refuses_absurd_process_times_and_seeds_by_name():
    with pytest.raises(ValueError, match=r"process_time_s\[0\]: got 1e\+308"):
        split_tasks([cell(), cell()], [1e308, 1.0, 1.0])
    with pytest.raises(ValueError, match=r"seed: got 1180591620717411303424, expected an integer seed in \[0, 2\*\*63 - 1\]"):
        split_tasks([cell(), cell()], [1.0, 1.0, 1.0], seed=2**70)
    with pytest.raises(ValueError, match=r"time_limit: got 1e\+308"):
        split_tasks([cell(), cell()], [1.0, 1.0, 1.0], time_limit=1e308)
