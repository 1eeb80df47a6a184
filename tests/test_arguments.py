"""The same mistake gets the same message from every public function, and the CLI turns it into
exit code 2 without a traceback.

Every message has one form, ``<argument>: got <value>, expected <what>``; for an entry of an
array the argument is indexed (``cycle_s[1]``). The expected texts below are written out by hand:
they are the contract users and scripts read.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

import cyclecore
from cyclecore.arguments import Array, Integer, Number, arguments
from cyclecore.balancing import salbp1, salbp2
from cyclecore.cli import app
from cyclecore.examples import load_example_plant
from cyclecore.linesim import simulate_serial
from cyclecore.robot.motion import OPWKinematics, move_time_matrix, ptp_duration
from cyclecore.sequencing import best_route, split_tasks

LINE = cyclecore.load_example("tutorial")
PLANT = load_example_plant("module-plant")
DOF = 6
LIMITS = dict(vmax=np.full(DOF, 2.0), amax=np.full(DOF, 5.0), jmax=np.full(DOF, 25.0))
SERIAL = dict(cycle_s=[10.0, 12.0], buffer_places=[1], mtbf_s=[3600.0, 3600.0], mttr_s=[60.0, 60.0],
              hours=1.0, replications=2)


def cell(n: int = 3) -> np.ndarray:
    times = np.ones((n, n))
    np.fill_diagonal(times, 0.0)
    return times


def ring(n: int) -> np.ndarray:
    """Move times between n points on a circle: large enough for the local search (> 12 tasks)."""
    angle = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
    points = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return np.linalg.norm(points[:, None] - points[None, :], axis=2)


def message(call) -> str:
    with pytest.raises(ValueError) as caught:
        call()
    return str(caught.value)


# --- scalars: one message per argument, whichever function takes it ----------------------------

TARGET_TAKERS = {
    "analyze": lambda target: cyclecore.analyze(LINE, target=target),
    "analyze_plant": lambda target: cyclecore.analyze_plant(PLANT, target=target),
    "simulate_plant": lambda target: cyclecore.simulate_plant(PLANT, weeks=0.1, replications=2, target=target),
}


@pytest.mark.parametrize("bad, shown", [
    (True, "True"), (False, "False"), (0, "0"), (-5.0, "-5.0"), (math.nan, "NaN"), (math.inf, "inf"),
    ("1000", "'1000'"), (np.bool_(True), "True"), (5e-324, "5e-324"),
])
@pytest.mark.parametrize("function", sorted(TARGET_TAKERS))
def test_a_bad_target_reads_the_same_from_every_function(function, bad, shown):
    expected = f"target: got {shown}, expected a positive number of products per week in [0.001, 1e+09]"
    assert message(lambda: TARGET_TAKERS[function](bad)) == expected


SEED_TAKERS = {
    "simulate": lambda seed: cyclecore.simulate(LINE, weeks=0.1, replications=2, seed=seed),
    "simulate_plant": lambda seed: cyclecore.simulate_plant(PLANT, weeks=0.1, replications=2, seed=seed),
    "simulate_serial": lambda seed: simulate_serial(**SERIAL, seed=seed),
    "best_route": lambda seed: best_route(cell(), seed=seed),
    "best_route local search": lambda seed: best_route(ring(20), time_limit=0.05, seed=seed),
    "split_tasks": lambda seed: split_tasks([cell(), cell()], [1.0, 1.0], seed=seed),
    "salbp1": lambda seed: salbp1([2.0, 3.0], [(0, 1)], 5.0, seed=seed),
    "salbp2": lambda seed: salbp2([2.0, 3.0], [(0, 1)], 2, seed=seed),
    "salbp2 zoned": lambda seed: salbp2([2.0, 3.0], [], 2, zoning={"apart": [(0, 1)]}, seed=seed),
}


@pytest.mark.parametrize("bad, shown", [(True, "True"), (-1, "-1"), (1.5, "1.5"), ("7", "'7'"), (None, "None"),
                                        (2**63, "9223372036854775808"), (2**70, str(2**70)),
                                        (np.uint64(2**63), "9223372036854775808")])
@pytest.mark.parametrize("function", sorted(SEED_TAKERS))
def test_a_bad_seed_reads_the_same_from_every_function(function, bad, shown):
    expected = f"seed: got {shown}, expected an integer seed in [0, 2**63 - 1]"
    assert message(lambda: SEED_TAKERS[function](bad)) == expected


@pytest.mark.parametrize("function", sorted(SEED_TAKERS))
def test_the_largest_seed_is_a_seed_like_any_other(function):
    # 2**63 - 1 is the top of the one SEED range: every search and simulation takes it (the
    # 32-bit seeds of CP-SAT and Numba's generator are derived from it, never overflowed)
    SEED_TAKERS[function](2**63 - 1)


TIME_LIMIT_TAKERS = {
    "best_route": lambda limit: best_route(cell(), time_limit=limit),
    "split_tasks": lambda limit: split_tasks([cell(), cell()], [1.0, 1.0], time_limit=limit),
    "salbp1": lambda limit: salbp1([2.0, 3.0], [(0, 1)], 5.0, time_limit=limit),
}


@pytest.mark.parametrize("bad, shown", [(True, "True"), (0, "0"), (-1.0, "-1.0"), (math.nan, "NaN"),
                                        (math.inf, "inf"), ("1", "'1'"), (1e308, "1e+308"), (86_400.5, "86400.5")])
@pytest.mark.parametrize("function", sorted(TIME_LIMIT_TAKERS))
def test_a_bad_time_limit_reads_the_same_from_every_search(function, bad, shown):
    expected = f"time_limit: got {shown}, expected a time limit in (0, 86400] s"
    assert message(lambda: TIME_LIMIT_TAKERS[function](bad)) == expected


@pytest.mark.parametrize("bad, shown", [(True, "True"), (0, "0"), (math.inf, "inf"), ("2", "'2'")])
@pytest.mark.parametrize("simulate", [cyclecore.simulate, cyclecore.simulate_plant])
def test_weeks_and_replications_read_the_same_for_a_line_and_a_plant(simulate, bad, shown):
    subject = LINE if simulate is cyclecore.simulate else PLANT
    weeks = f"weeks: got {shown}, expected a number of weeks in (0, 529.101]"
    replications = f"replications: got {shown}, expected an integer in [1, 100000]"
    assert message(lambda: simulate(subject, weeks=bad)) == weeks
    assert message(lambda: simulate(subject, replications=bad)) == replications


def test_simulate_serial_refuses_the_same_replications_as_the_line_simulation():
    assert (message(lambda: simulate_serial(**dict(SERIAL, replications=0)))
            == message(lambda: cyclecore.simulate(LINE, replications=0))
            == "replications: got 0, expected an integer in [1, 100000]")


@pytest.mark.parametrize("call, expected", [
    (lambda: cyclecore.analyze("line.yaml"), "line: got a str, expected a cyclecore Line"),
    (lambda: cyclecore.simulate({"stations": []}), "line: got a dict, expected a cyclecore Line"),
    (lambda: cyclecore.analyze_plant(LINE), "plant: got a Line, expected a cyclecore Plant"),
    (lambda: cyclecore.simulate_plant(LINE), "plant: got a Line, expected a cyclecore Plant"),
    (lambda: cyclecore.load_line(7), "path: got an int, expected a file path (text or pathlib.Path)"),
    (lambda: cyclecore.load_plant(None), "path: got None, expected a file path (text or pathlib.Path)"),
])
def test_the_wrong_kind_of_object_is_named_by_its_type(call, expected):
    assert message(call) == expected


def test_a_speed_override_outside_the_unit_interval_reads_the_same_for_every_motion_call():
    q0, q1 = np.zeros(DOF), np.full(DOF, 0.5)
    for bad, shown in ((True, "True"), (0.0, "0.0"), (1.5, "1.5"), (math.nan, "NaN")):
        expected = f"speed_override: got {shown}, expected a finite number in [0.01, 1]"
        assert message(lambda: ptp_duration(q0, q1, **LIMITS, speed_override=bad)) == expected
        assert message(lambda: move_time_matrix(np.stack([q0, q1]), **LIMITS, speed_override=bad)) == expected


# --- arrays: the entry at fault is named by its index --------------------------------------------

NAN_AT_1 = [
    (lambda: simulate_serial(**dict(SERIAL, cycle_s=[10.0, math.nan])), "cycle_s[1]",
     "a cycle time in (0, 86400] s"),
    (lambda: simulate_serial(**dict(SERIAL, mttr_s=[60.0, math.nan])), "mttr_s[1]",
     "a repair time in [0, 2.592e+06] s"),
    (lambda: salbp1([2.0, math.nan], [(0, 1)], 5.0), "task_times[1]", "a finite number in [0, 86400] s"),
    (lambda: split_tasks([cell(), cell()], [1.0, math.nan]), "process_time_s[1]",
     "a finite number in [0, 86400] s"),
    (lambda: ptp_duration(np.zeros(DOF), np.ones(DOF), **dict(LIMITS, vmax=[2.0, math.nan, 2, 2, 2, 2])),
     "vmax[1]", "a finite number in [0.001, 100] rad/s"),
    (lambda: best_route(np.array([[0.0, math.nan], [1.0, 0.0]])), "time_matrix[0, 1]",
     "a move time in [0, 86400] s, or inf for a forbidden arc"),
]


@pytest.mark.parametrize("call, where, expected", NAN_AT_1)
def test_nan_in_an_array_names_the_entry(call, where, expected):
    assert message(call) == f"{where}: got NaN, expected {expected}"


@pytest.mark.parametrize("call, where", [
    (lambda: simulate_serial(**dict(SERIAL, cycle_s=[10.0, math.inf])), "cycle_s[1]"),
    (lambda: salbp1([2.0, math.inf], [(0, 1)], 5.0), "task_times[1]"),
    (lambda: ptp_duration(np.zeros(DOF), np.ones(DOF), **dict(LIMITS, amax=[5.0, math.inf, 5, 5, 5, 5])),
     "amax[1]"),
])
def test_inf_is_refused_where_a_finite_value_is_expected(call, where):
    assert message(call).startswith(f"{where}: got inf, expected a ")
    assert "or inf" not in message(call)


def test_inf_is_accepted_where_it_means_something():
    # a station that never fails, a trapezoidal profile without a jerk limit
    assert simulate_serial(**dict(SERIAL, mtbf_s=[math.inf, math.inf])).throughput_per_hour > 0
    assert ptp_duration(np.zeros(DOF), np.ones(DOF), **dict(LIMITS, jmax=np.full(DOF, math.inf))) > 0


@pytest.mark.parametrize("call, where, expected", [
    (lambda: simulate_serial(**dict(SERIAL, mttr_s=[60.0, -1.0])), "mttr_s[1]", "a repair time in [0, 2.592e+06] s"),
    (lambda: salbp1([2.0, -1.0], [(0, 1)], 5.0), "task_times[1]", "a finite number in [0, 86400] s"),
    (lambda: split_tasks([cell(), cell()], [1.0, -1.0]), "process_time_s[1]", "a finite number in [0, 86400] s"),
])
def test_a_negative_time_names_the_entry(call, where, expected):
    assert message(call) == f"{where}: got -1.0, expected {expected}"


@pytest.mark.parametrize("call, where", [
    (lambda: salbp1([2.0, 1e308], [(0, 1)], 5.0), "task_times[1]"),
    (lambda: split_tasks([cell(), cell()], [1.0, 1e308]), "process_time_s[1]"),
    (lambda: best_route(np.array([[0.0, 1e308], [1.0, 0.0]])), "time_matrix[0, 1]"),
])
def test_a_finite_but_absurd_time_names_the_entry(call, where):
    # 1e308 s is finite, but no move or task takes longer than a day (limits.DURATION_S): sums
    # of such times would overflow to inf and read as a forbidden arc
    assert message(call).startswith(f"{where}: got 1e+308, expected ")


@pytest.mark.parametrize("call, expected", [
    (lambda: simulate_serial(**dict(SERIAL, cycle_s=[True, True])),
     "cycle_s: got [True, True], expected an array of numbers of shape (n,)"),
    (lambda: salbp1([True, False], [(0, 1)], 5.0),
     "task_times: got [True, False], expected an array of numbers of shape (n,)"),
    (lambda: ptp_duration(np.zeros(DOF), np.ones(DOF), **dict(LIMITS, vmax=np.ones(DOF, dtype=bool))),
     "vmax: got array([ True,  True,  True,  True,  True,  True]), expected an array of numbers of shape (6,) "
     "or (1, 6)"),
    (lambda: simulate_serial(**dict(SERIAL, buffer_places=[True])),
     "buffer_places: got [True], expected an array of integers of shape (1,)"),
])
def test_booleans_are_never_numbers_in_an_array_either(call, expected):
    assert message(call) == expected


@pytest.mark.parametrize("call, expected", [
    (lambda: simulate_serial(**dict(SERIAL, cycle_s=[[10.0, 12.0]])),
     "cycle_s: got shape (1, 2), expected a non-empty array of shape (n,)"),
    (lambda: salbp1(np.ones((2, 2)), [(0, 1)], 5.0),
     "task_times: got shape (2, 2), expected a non-empty array of shape (n,)"),
    (lambda: split_tasks([cell(), cell()], [1.0, 1.0, 1.0]),
     "process_time_s: got shape (3,), expected shape (2,)"),
    (lambda: move_time_matrix(np.zeros(DOF), **LIMITS), "configs: got shape (6,), expected shape (n, dof)"),
    (lambda: best_route(np.ones((2, 3))),
     "time_matrix: got shape (2, 3), expected a non-empty array of shape (n, n)"),
    (lambda: ptp_duration(np.zeros(DOF), np.ones(DOF), **dict(LIMITS, jmax=np.ones(5))),
     "jmax: got shape (5,), expected shape (6,) or (1, 6)"),
])
def test_a_wrong_shape_names_the_shape_got_and_expected(call, expected):
    assert message(call) == expected


def test_text_where_an_array_is_expected_is_refused_by_name():
    assert (message(lambda: simulate_serial(**dict(SERIAL, cycle_s="fast")))
            == "cycle_s: got 'fast', expected an array of numbers of shape (n,)")
    assert (message(lambda: OPWKinematics(0.1, -0.1, 0.0, 0.6, 0.7, 0.75, 0.1, "zero", np.ones(6),
                                          -np.ones(6), np.ones(6)))
            == "offsets_rad: got 'zero', expected an array of numbers of shape (6,)")


def test_an_integer_beyond_any_float_in_an_array_is_refused_by_name():
    # 10**400 has no float: numpy's conversion raises OverflowError, which must not leak
    assert (message(lambda: simulate_serial(**dict(SERIAL, cycle_s=[10**400, 1.0])))
            == "cycle_s: got [10000000000000000000000000000000000000000000000000000000..., "
               "expected an array of numbers of shape (n,)")


# --- the checker itself -------------------------------------------------------------------------


def test_checked_values_come_back_plain():
    @arguments(hours=Number(above=0), count=Integer(at_least=1), times=Array(shape=(2,)))
    def plan(hours, count=1, times=(1, 2)):
        return hours, count, times

    hours, count, times = plan(np.float32(2.5), count=np.int64(3))
    assert type(hours) is float and type(count) is int
    assert times.dtype == np.float64 and times.tolist() == [1.0, 2.0]


def test_a_declaration_for_an_argument_the_function_lacks_fails_at_once():
    with pytest.raises(TypeError, match="weeks"):
        @arguments(weeks=Number(above=0))
        def simulate(line, week=1.0):
            return line


# --- the command line ---------------------------------------------------------------------------

runner = CliRunner()


@pytest.mark.parametrize("args, expected", [
    # every option is checked with the API's own specs, by the option's name, before any work
    (["analyze", "--example", "tutorial", "--target", "inf"], "--target: got inf"),
    (["simulate", "--example", "tutorial", "--weeks", "inf"], "--weeks: got inf"),
    (["plant", "--example", "module-plant", "--target", "inf"], "--target: got inf"),
    (["plant", "--example", "module-plant", "--simulate", "--weeks", "inf"], "--weeks: got inf"),
    (["plant", "--example", "module-plant", "--simulate", "--weeks", "0.1", "--target", "inf"],
     "--target: got inf"),
    (["rebalance", "--example", "tutorial", "--zone", "1", "--time-limit", "inf"], "--time-limit: got inf"),
    (["simulate", "--example", "tutorial", "--weeks", "nan"], "--weeks: got NaN"),
    (["sequence", "--example", "tutorial", "--time-limit", "nan"], "--time-limit: got NaN"),
])
def test_the_cli_turns_a_refused_argument_into_exit_2_with_its_message(args, expected):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "Traceback" not in result.output


def test_the_cli_reports_a_simulated_plant_against_its_target():
    args = ["plant", "--example", "module-plant", "--simulate", "--weeks", "0.1", "--replications", "3"]
    target = 1000.0
    result = runner.invoke(app, [*args, "--target", str(target), "--json"])
    assert result.exit_code == 0, result.output
    without = cyclecore.simulate_plant(PLANT, weeks=0.1, replications=3, seed=0)
    data = json.loads(result.output)
    assert data["target_products_per_week"] == target
    assert data["gap_products_per_week"] == pytest.approx(target - without.products_per_week)
    text = runner.invoke(app, [*args, "--target", str(target)]).output
    assert f"target          {target:,.1f} products/week" in text
