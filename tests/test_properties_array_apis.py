"""Every public array API, given arbitrary arrays and scalars, answers finitely or refuses by name.

Issue 11, class 14: the kernels' public functions raised OverflowError, ZeroDivisionError,
MemoryError and Numba TypingErrors on bad arguments. The property for each function here: draw a
valid call (small sizes), spoil up to two of its arguments with hostile values (NaN, ±inf, 1e308,
5e-324, 2**70, 10**400, booleans, None, strings, a wrong shape, an empty array, one bad element),
and the call either returns a result holding only finite numbers (``to_dict()`` JSON-safe, every
array finite) or raises ``ValueError`` whose message names one of the function's arguments. Any
other exception fails the test, and Hypothesis shrinks it to the smallest call.

Derandomized: CI runs the same examples every time.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cyclecore.balancing import salbp1, salbp2
from cyclecore.linesim import simulate_serial
from cyclecore.robot.motion import (OPWKinematics, linear_move_duration, linear_move_extent, move_time_matrix,
                                    ptp_duration, route_totals, sample_ptp)
from cyclecore.sequencing import best_route, exact_route, improve_route, split_tasks, with_tool_changes

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

HOSTILE_FLOATS = [math.nan, math.inf, -math.inf, 0.0, -0.0, -1.0, 1e308, -1e308, 5e-324, 1e-300, 1e30, -1e30]
HOSTILE_SCALARS = HOSTILE_FLOATS + [2**70, -(2**70), 10**400, 0, -1, True, False, None, "1", "", b"x", [], [[]],
                                    {}, 1 + 2j, np.float32("nan"), np.int64(2**62)]


def hostile_like(value):
    """A strategy of spoiled versions of ``value``: a hostile scalar, or an array like it with one
    bad element, the wrong shape, no elements, strings or objects."""
    scalars = st.sampled_from(HOSTILE_SCALARS)
    array = np.asarray(value, dtype=float) if _is_numeric_array(value) else None
    if array is None or array.ndim == 0:
        return scalars
    options = [scalars, st.just(np.empty((0,))), st.just(array.reshape(-1)[:-1] if array.size else array[None]),
               st.just(array[None]), st.just(array.astype(str)), st.just(array.astype(object)),
               st.just(np.full(array.shape, 2**70, dtype=object)), st.just(array.T.copy() if array.ndim == 2 else array)]
    if array.size:
        options.append(st.tuples(st.integers(0, array.size - 1), st.sampled_from(HOSTILE_FLOATS)).map(
            lambda spot: _with_element(array, *spot)))
    return st.one_of(options)


def _is_numeric_array(value) -> bool:
    try:
        return np.asarray(value, dtype=float).ndim >= 1
    except (TypeError, ValueError, OverflowError):
        return False


def _with_element(array, index, value):
    out = array.astype(float).copy()
    out.reshape(-1)[index] = value
    return out


def spoiled(valid, names, most=2):
    """Valid keyword arguments from ``valid``, then up to ``most`` of ``names`` spoiled."""

    @st.composite
    def build(draw):
        kwargs = draw(valid)
        for _ in range(draw(st.integers(0, most))):
            name = draw(st.sampled_from(names))
            kwargs[name] = draw(hostile_like(kwargs.get(name, 1.0)))
        return kwargs

    return build()


def answers_finitely_or_refuses_by_name(call, names, *, nan_marks=()):
    """Run ``call()``: a finite result, or a ValueError naming one of ``names``. ``nan_marks``
    are result fields where NaN is a documented marker (an IK branch with no solution)."""
    try:
        result = call()
    except ValueError as error:
        message = str(error)
        named = [n for n in names if re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", message)]
        assert named, f"ValueError names no argument of {names}: {message!r}"
        return None
    _assert_finite(result, "result", nan_marks)
    return result


def _assert_finite(value, where, nan_marks=()):
    if hasattr(value, "to_dict") and dataclasses.is_dataclass(value):
        json.dumps(value.to_dict(), allow_nan=False)  # the result protocol: never NaN or inf
        for item in dataclasses.fields(value):
            if item.name not in nan_marks:
                _assert_finite(getattr(value, item.name), f"{where}.{item.name}", nan_marks)
    elif isinstance(value, np.ndarray):
        if value.dtype.kind in "fc":
            assert np.isfinite(value).all(), f"{where}: non-finite values {value[~np.isfinite(value)][:5]}"
    elif isinstance(value, (float, np.floating)):
        assert math.isfinite(value), f"{where} = {value}"
    elif isinstance(value, (list, tuple)):
        for k, item in enumerate(value):
            _assert_finite(item, f"{where}[{k}]", nan_marks)
    elif isinstance(value, dict):
        for k, item in value.items():
            _assert_finite(item, f"{where}[{k!r}]", nan_marks)


# --- motion ---------------------------------------------------------------------------------------
def floats(low, high):
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


@st.composite
def ptp_calls(draw):
    dof, n = draw(st.integers(1, 7)), draw(st.integers(1, 4))
    joints = st.lists(st.lists(floats(-6, 6), min_size=dof, max_size=dof), min_size=n, max_size=n)
    limits = st.lists(floats(0.1, 20), min_size=dof, max_size=dof)
    return {"q0": np.array(draw(joints)), "q1": np.array(draw(joints)), "vmax": np.array(draw(limits)),
            "amax": np.array(draw(limits)), "jmax": np.array(draw(limits)) * 5,
            "speed_override": draw(floats(0.05, 1.0))}


PTP = ["q0", "q1", "vmax", "amax", "jmax", "speed_override"]


@SETTINGS
@given(spoiled(ptp_calls(), PTP))
def test_ptp_duration_answers_finitely_or_names_the_argument(kwargs):
    answers_finitely_or_refuses_by_name(lambda: ptp_duration(**kwargs), PTP)


@SETTINGS
@given(spoiled(ptp_calls().map(lambda k: {"configs": k["q0"], **{n: k[n] for n in PTP[2:]}}),
               ["configs", "vmax", "amax", "jmax", "speed_override"]))
def test_move_time_matrix_answers_finitely_or_names_the_argument(kwargs):
    answers_finitely_or_refuses_by_name(lambda: move_time_matrix(**kwargs), list(kwargs))


@st.composite
def route_calls(draw):
    base = draw(ptp_calls())
    n = base["q0"].shape[0]
    routes = draw(st.lists(st.lists(st.integers(0, n - 1), min_size=0, max_size=6), min_size=1, max_size=3))
    width = max(len(r) for r in routes)
    padded = np.array([r + [-1] * (width - len(r)) for r in routes], dtype=np.int64)
    tcp = draw(st.one_of(st.none(), st.just(np.linspace(0, 1, n * 3).reshape(n, 3))))
    return {"configs": base["q0"], "routes": padded, "vmax": base["vmax"], "amax": base["amax"],
            "jmax": base["jmax"], "speed_override": base["speed_override"], "tcp_positions": tcp}


@SETTINGS
@given(spoiled(route_calls(), ["configs", "routes", "vmax", "amax", "jmax", "speed_override", "tcp_positions"]))
def test_route_totals_answers_finitely_or_names_the_argument(kwargs):
    answers_finitely_or_refuses_by_name(lambda: route_totals(**kwargs), list(kwargs))


@SETTINGS
@given(spoiled(ptp_calls().map(lambda k: {**k, "q0": k["q0"][0], "q1": k["q1"][0],
                                          "times": np.linspace(0.0, 3.0, 7)}), PTP + ["times"]))
def test_sample_ptp_answers_finitely_or_names_the_argument(kwargs):
    answers_finitely_or_refuses_by_name(lambda: sample_ptp(**kwargs), PTP + ["times"])


def _pose(x, y, z, roll, pitch, yaw):
    cr, sr, cp, sp, cy, sy = np.cos(roll), np.sin(roll), np.cos(pitch), np.sin(pitch), np.cos(yaw), np.sin(yaw)
    pose = np.eye(4)
    pose[:3, :3] = [[cy * cp, cy * sp * sr - sy * cr, cy * sp * cr + sy * sr],
                    [sy * cp, sy * sp * sr + cy * cr, sy * sp * cr - cy * sr],
                    [-sp, cp * sr, cp * cr]]
    pose[:3, 3] = [x, y, z]
    return pose


poses = st.lists(st.tuples(*[floats(-2, 2)] * 3, *[floats(-3.1, 3.1)] * 3).map(lambda p: _pose(*p)),
                 min_size=1, max_size=3).map(np.array)
LINEAR = ["start_poses", "end_poses", "v_max", "a_max", "j_max", "w_max", "dw_max", "ddw_max", "speed_override"]


@st.composite
def linear_calls(draw):
    start = draw(poses)
    end = draw(poses.filter(lambda p: True))[: len(start)]
    if len(end) < len(start):
        start = start[: len(end)]
    return {"start_poses": start, "end_poses": end, "v_max": 2.0, "a_max": 10.0, "j_max": 50.0, "w_max": 3.0,
            "dw_max": 10.0, "ddw_max": 50.0, "speed_override": draw(floats(0.05, 1.0))}


@SETTINGS
@given(spoiled(linear_calls(), LINEAR))
def test_linear_moves_answer_finitely_or_name_the_argument(kwargs):
    answers_finitely_or_refuses_by_name(lambda: linear_move_duration(**kwargs), LINEAR)
    answers_finitely_or_refuses_by_name(
        lambda: linear_move_extent(kwargs["start_poses"], kwargs["end_poses"]), ["start_poses", "end_poses"])


KR210 = {"a1": 0.330, "a2": -0.115, "b": 0.0, "c1": 0.645, "c2": 1.350, "c3": 1.420, "c4": 0.240,
         "offsets_rad": np.radians([0, -90, 0, 0, 0, 0]), "signs": [-1, 1, 1, -1, 1, -1],
         "joint_min_rad": np.radians([-185, -140, -120, -350, -122.5, -350]),
         "joint_max_rad": np.radians([185, -5, 168, 350, 122.5, 350])}
# joint limits are spoiled in their own test below, in a subprocess: ±1e308 limits hung the IK (class 3)
OPW_SPOILED = ["a1", "a2", "b", "c1", "c2", "c3", "c4", "offsets_rad", "signs"]


@SETTINGS
@given(spoiled(st.just(KR210).map(dict), OPW_SPOILED),
       st.lists(floats(-3, 3), min_size=6, max_size=6), st.sampled_from(HOSTILE_FLOATS + [0.5]))
def test_opw_kinematics_answers_finitely_or_names_the_argument(kwargs, q, bad):
    robot = answers_finitely_or_refuses_by_name(lambda: OPWKinematics(**kwargs), list(kwargs))
    if robot is None:
        return
    pose = answers_finitely_or_refuses_by_name(lambda: robot.forward(q), ["q"])
    answers_finitely_or_refuses_by_name(lambda: robot.forward([*q[:5], bad]), ["q"])
    solutions = robot.inverse(pose)  # a NaN row marks a branch without a solution (documented)
    assert solutions.shape == (8, 6)
    reached, ok = robot.closest(pose, q)
    _assert_unreachable_rows_are_nan(reached, ok)
    spoiled_pose = pose.copy()
    spoiled_pose[0, 3] = bad
    try:
        reached, ok = robot.closest(spoiled_pose, q)
    except ValueError as error:
        assert "poses" in str(error), error
    else:
        _assert_unreachable_rows_are_nan(reached, ok)


def _assert_unreachable_rows_are_nan(reached, ok):
    """An unreachable pose is a NaN row with ok False, never a made-up configuration."""
    rows, ok = np.asarray(reached).reshape(-1, 6), np.asarray(ok).reshape(-1)
    assert np.isfinite(rows[ok]).all() and np.isnan(rows[~ok]).all()


HUGE_LIMITS = textwrap.dedent("""
    import numpy as np
    from cyclecore.robot.motion import OPWKinematics
    try:
        robot = OPWKinematics(0.33, -0.115, 0.0, 0.645, 1.35, 1.42, 0.24, [0] * 6, [1] * 6, [-{0}] * 6, [{0}] * 6)
    except ValueError as error:
        assert "joint_m" in str(error), error
        print("refused")
    else:
        q, ok = robot.closest(robot.forward([0.1] * 6), [0.0] * 6)
        print("answered", bool(ok[0]))
""")


@pytest.mark.parametrize("limit", ["1e308", "1e5"])
def test_opw_kinematics_with_huge_joint_limits_answers_or_refuses_within_seconds(limit):
    try:
        process = subprocess.run([sys.executable, "-P", "-c", HUGE_LIMITS.format(limit)], capture_output=True,
                                 text=True, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail(f"joint limits ±{limit} rad: no answer within 20 s")
    assert process.returncode == 0, process.stderr
    assert process.stdout.split()[0] in ("refused", "answered")


# --- line simulation --------------------------------------------------------------------------------
SERIAL = ["cycle_s", "buffer_places", "mtbf_s", "mttr_s", "hours", "replications", "seed", "warmup_hours",
          "parallel", "planned_downtime", "weibull_shape", "lognormal_sigma", "bypass_after_s", "bypass_cycle_s"]


@st.composite
def serial_calls(draw):
    n = draw(st.integers(1, 4))
    return {"cycle_s": np.array(draw(st.lists(floats(5, 120), min_size=n, max_size=n))),
            "buffer_places": np.array(draw(st.lists(st.integers(0, 5), min_size=n - 1, max_size=n - 1)), dtype=np.int64),
            "mtbf_s": np.array(draw(st.lists(st.sampled_from([3600.0, 7200.0, math.inf]), min_size=n, max_size=n))),
            "mttr_s": np.array(draw(st.lists(floats(60, 1800), min_size=n, max_size=n))),
            "hours": draw(floats(1, 24)), "replications": draw(st.integers(2, 3)), "seed": draw(st.integers(0, 99)),
            "failures": draw(st.sampled_from(["exponential", "weibull", "lognormal", "geometric"])),
            "failure_clock": draw(st.sampled_from(["busy", "time"])),
            "parallel": np.ones(n, dtype=np.int64), "planned_downtime": 0.0, "weibull_shape": 1.5,
            "lognormal_sigma": 0.5, "warmup_hours": None,
            "bypass_after_s": np.full(n, 600.0), "bypass_cycle_s": np.full(n, 200.0)}


@settings(SETTINGS, max_examples=50)
@given(spoiled(serial_calls(), SERIAL))
def test_simulate_serial_answers_finitely_or_names_the_argument(kwargs):
    answers_finitely_or_refuses_by_name(lambda: simulate_serial(**kwargs), SERIAL + ["failures", "failure_clock"])


# --- balancing ---------------------------------------------------------------------------------------
@st.composite
def balancing_calls(draw):
    n = draw(st.integers(1, 8))
    times = np.array(draw(st.lists(floats(0, 10), min_size=n, max_size=n)))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=n))
    precedence = np.array([(i, j) for i, j in pairs if i < j], dtype=np.int64).reshape(-1, 2)
    return {"task_times": times, "precedence": precedence, "cycle_time": float(times.max()) + draw(floats(0.1, 10)),
            "stations": draw(st.integers(1, 4)), "time_limit": 2.0, "seed": draw(st.integers(0, 9))}


BALANCING = ["task_times", "precedence", "cycle_time", "stations", "time_limit", "seed"]


@SETTINGS
@given(spoiled(balancing_calls(), BALANCING))
def test_salbp_answers_finitely_or_names_the_argument(kwargs):
    common = {k: kwargs[k] for k in ("task_times", "precedence", "time_limit")}
    answers_finitely_or_refuses_by_name(lambda: salbp1(**common, cycle_time=kwargs["cycle_time"], seed=kwargs["seed"]),
                                        BALANCING)
    answers_finitely_or_refuses_by_name(lambda: salbp2(**common, stations=kwargs["stations"], seed=kwargs["seed"]),
                                        BALANCING)


# --- sequencing --------------------------------------------------------------------------------------
@st.composite
def route_problems(draw):
    n = draw(st.integers(2, 8))
    points = np.array(draw(st.lists(st.tuples(floats(0, 3), floats(0, 3)), min_size=n, max_size=n)))
    matrix = np.sqrt(((points[:, None] - points[None]) ** 2).sum(-1)) + 0.1 * (1 - np.eye(n))
    pairs = draw(st.lists(st.tuples(st.integers(1, n - 1), st.integers(1, n - 1)), max_size=2))
    precedence = [(i, j) for i, j in pairs if i < j]
    return {"time_matrix": matrix, "precedence": precedence, "seed": draw(st.integers(0, 9)), "time_limit": 1.0,
            "order": list(range(n)) + [0], "tools": [draw(st.sampled_from("ab")) for _ in range(n)],
            "change_time_s": 1.5}


SEQUENCING = ["time_matrix", "precedence", "seed", "time_limit", "order", "tools", "change_time_s"]


@SETTINGS
@given(spoiled(route_problems(), SEQUENCING))
def test_route_apis_answer_finitely_or_name_the_argument(kwargs):
    m, p = kwargs["time_matrix"], kwargs["precedence"]
    answers_finitely_or_refuses_by_name(
        lambda: best_route(m, time_limit=kwargs["time_limit"], precedence=p, seed=kwargs["seed"]), SEQUENCING)
    answers_finitely_or_refuses_by_name(lambda: exact_route(m, precedence=p), SEQUENCING)
    answers_finitely_or_refuses_by_name(lambda: improve_route(m, kwargs["order"], precedence=p), SEQUENCING)
    answers_finitely_or_refuses_by_name(lambda: with_tool_changes(m, kwargs["tools"], kwargs["change_time_s"]),
                                        SEQUENCING)


@st.composite
def split_calls(draw):
    problem = draw(route_problems())
    n = problem["time_matrix"].shape[0] - 1
    k = draw(st.integers(1, 3))
    return {"robot_matrices": [problem["time_matrix"] * (1 + r / 10) for r in range(k)],
            "process_time_s": np.array(draw(st.lists(floats(0, 3), min_size=n, max_size=n))),
            "precedence": problem["precedence"], "time_limit": 1.0, "seed": problem["seed"]}


SPLIT = ["robot_matrices", "process_time_s", "precedence", "time_limit", "seed"]


@settings(SETTINGS, max_examples=40)
@given(spoiled(split_calls(), SPLIT))
def test_split_tasks_answers_finitely_or_names_the_argument(kwargs):
    answers_finitely_or_refuses_by_name(lambda: split_tasks(**kwargs), SPLIT)
