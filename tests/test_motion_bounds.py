"""Hostile arguments to the motion and kinematics APIs (issue 11, defect 3 and class 14).

Every array API refuses a wrong shape, NaN, inf, a huge or a denormal value with a ValueError that
names the argument (and the entry), never OverflowError, ZeroDivisionError, MemoryError, a hang,
or a NaN/inf result; the ranges are those of cyclecore.limits. Joint limits of ±1e308 (once a
hang of the C++ inverse kinematics that Ctrl-C could not stop) are refused at once, and the
kernel itself answers them promptly and correctly (a subprocess under a timeout).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from cyclecore import _core, limits
from cyclecore.robot.motion import (
    OPWKinematics,
    linear_move_duration,
    linear_move_extent,
    move_time_matrix,
    ptp_duration,
    route_totals,
    sample_ptp,
)

DOF = 6
Q0, Q1 = np.zeros(DOF), np.full(DOF, 0.5)
V, A, J = np.full(DOF, 2.0), np.full(DOF, 5.0), np.full(DOF, 25.0)
# KR 210 R3100-2-like geometry (m) and joint limits (rad)
GEOMETRY = dict(a1=0.35, a2=-0.041, b=0.0, c1=0.675, c2=1.35, c3=1.4, c4=0.215)
JOINT_MIN = np.radians([-185, -140, -120, -350, -125, -350])
JOINT_MAX = np.radians([185, -5, 168, 350, 125, 350])
ARM = dict(offsets_rad=np.zeros(DOF), signs=np.ones(DOF), joint_min_rad=JOINT_MIN,
           joint_max_rad=JOINT_MAX)

HOSTILE = [np.nan, np.inf, -np.inf, 1e308, -1e308, 5e-324, -5e-324, 0.0, 1e30]


def calls_with_joint_values(value):
    """Every API that takes joint values, with one entry replaced by value."""
    q = Q1.copy()
    q[3] = value
    pair = np.stack([Q0, q])
    arm = OPWKinematics(**GEOMETRY, **ARM)
    reachable = arm.forward(np.array([0.3, -0.4, 0.5, 2.0, 0.7, -2.5]))
    return {
        "q1": lambda: ptp_duration(Q0, q, V, A, J),
        "q0": lambda: ptp_duration(np.tile(q, (9, 1)), np.tile(Q1, (9, 1)), V, A, J),
        "configs": lambda: move_time_matrix(pair, V, A, J),
        "configs ": lambda: route_totals(pair, [[0, 1]], V, A, J),
        "q1  ": lambda: sample_ptp(Q0, q, V, A, J, times=[0.0, 0.5]),
        "q": lambda: arm.forward(q),
        "q_ref": lambda: arm.closest(reachable, q),
    }


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf, 1e308, -1e308, 1e30, 1000.5])
def test_joint_values_outside_the_range_are_refused_by_name(value):
    for name, call in calls_with_joint_values(value).items():
        with pytest.raises(ValueError, match=rf"^{name.strip()}\[(\d+, )?3\]: got "):
            call()


@pytest.mark.parametrize("value", [1000.0, -1000.0, 5e-324])
def test_joint_values_on_the_range_give_finite_answers(value):
    for call in calls_with_joint_values(value).values():
        result = call()
        if hasattr(result, "to_dict"):  # RouteTotals, PTPSamples
            arrays = [np.asarray(x, dtype=float) for x in vars(result).values()]
        else:
            arrays = [np.asarray(x, dtype=float) for x in (result if isinstance(result, tuple) else (result,))]
        assert all(np.isfinite(x).all() for x in arrays)


def test_a_value_beyond_the_range_is_named_wherever_it_sits_in_a_large_batch():
    # The kernel checks the range while it reads the values; the wrapper names the first entry.
    rng = np.random.default_rng(1)
    q0, q1 = rng.uniform(-3, 3, (2, 10_001, DOF))
    for k, i in ((0, 0), (5_000, 4), (10_000, 5), (10_000, 0)):
        bad = q1.copy()
        bad[k, i] = 1e15
        with pytest.raises(ValueError, match=rf"^q1\[{k}, {i}\]: got 1000000000000000.0, expected a finite number in \[-1000, 1000\] rad"):
            ptp_duration(q0, bad, V, A, J)


@pytest.mark.parametrize("name, limit, value", [
    (name, limit, value) for name, limit in (("vmax", limits.JOINT_SPEED_RAD_S),
                                             ("amax", limits.JOINT_ACCELERATION_RAD_S2),
                                             ("jmax", limits.JOINT_JERK_RAD_S3))
    for value in HOSTILE if not (name == "jmax" and value == np.inf)])  # jmax = inf: the trapezoid
def test_joint_limits_outside_their_range_are_refused_by_name(name, limit, value):
    bad = dict(vmax=V, amax=A, jmax=J)
    bad[name] = np.full(DOF, 2.0)
    bad[name][1] = value
    per_move = {k: np.tile(x, (2, 1)) for k, x in bad.items()}
    pair = np.stack([Q0, Q1])
    for call in (lambda: ptp_duration(Q0, Q1, **bad), lambda: ptp_duration(pair, pair[::-1], **per_move),
                 lambda: move_time_matrix(pair, **bad), lambda: route_totals(pair, [[0, 1]], **bad),
                 lambda: sample_ptp(Q0, Q1, times=[0.1], **bad)):
        assert not limit.holds(value)
        with pytest.raises(ValueError, match=rf"^{name}\[(\d, )?1\]: got "):
            call()


def test_the_extremes_of_every_range_give_finite_durations():
    # The slowest and the fastest robot the ranges allow, the longest and shortest moves, the
    # lowest override: every duration finite (no overflow, no division by ~0), none negative.
    lows = [limits.JOINT_SPEED_RAD_S.low, limits.JOINT_ACCELERATION_RAD_S2.low, limits.JOINT_JERK_RAD_S3.low]
    highs = [limits.JOINT_SPEED_RAD_S.high, limits.JOINT_ACCELERATION_RAD_S2.high, limits.JOINT_JERK_RAD_S3.high]
    q_low, q_high = limits.JOINT_POSITION_RAD.low, limits.JOINT_POSITION_RAD.high
    q0 = np.array([[q_low] * DOF, [0.0] * DOF, [q_high] * DOF])
    q1 = np.array([[q_high] * DOF, [5e-324] * DOF, [np.nextafter(q_high, 0)] * DOF])
    for vaj in (lows, highs, [lows[0], highs[1], lows[2]], [highs[0], lows[1], np.inf]):
        v, a, j = (np.full(DOF, x) for x in vaj)
        for s in (limits.SPEED_OVERRIDE.low, 1.0):
            t = ptp_duration(q0, q1, v, a, j, speed_override=s)
            assert np.isfinite(t).all() and (t >= 0).all() and t[0] > 0, (vaj, s, t)
            assert np.isfinite(move_time_matrix(np.vstack([q0, q1]), v, a, j, s)).all()


@pytest.mark.parametrize("value", [5e-324, 1e-300, 0.0, -0.5, 1.5, np.nan, np.inf, 1e308])
def test_speed_overrides_outside_one_to_hundred_percent_are_refused(value):
    pose = np.eye(4)
    for call in (lambda: ptp_duration(Q0, Q1, V, A, J, speed_override=value),
                 lambda: move_time_matrix(np.stack([Q0, Q1]), V, A, J, value),
                 lambda: route_totals(np.stack([Q0, Q1]), [[0, 1]], V, A, J, value),
                 lambda: sample_ptp(Q0, Q1, V, A, J, [0.0], value),
                 lambda: linear_move_duration(pose, pose, 1, 1, 1, 1, 1, 1, value)):
        with pytest.raises(ValueError, match=r"^speed_override: got .*, expected a finite number in \[0.01, 1\]"):
            call()


@pytest.mark.parametrize("shape_q0, shape_q1", [((3, DOF), (4, DOF)), ((DOF,), (5,)), ((2, 3, DOF), (2, 3, DOF)),
                                                ((0,), (0,)), ((), ())])
def test_wrong_shapes_are_refused_by_name(shape_q0, shape_q1):
    with pytest.raises(ValueError, match="q0|q1"):
        ptp_duration(np.zeros(shape_q0), np.zeros(shape_q1), V, A, J)


def test_a_move_time_matrix_beyond_its_memory_ceiling_is_refused_before_allocating():
    n = limits.MAX_MOVE_TIME_MATRIX_CONFIGS + 1
    configs = np.broadcast_to(Q0, (n, DOF))
    with pytest.raises(ValueError, match=rf"^configs: got {n:,} configurations, expected at most"):
        move_time_matrix(configs, V, A, J)


def test_sampling_beyond_the_sample_ceiling_is_refused_before_allocating():
    times = np.zeros(limits.MAX_TRAJECTORY_SAMPLES // DOF + 1)
    with pytest.raises(ValueError, match=r"^times: got .* times of 6 axes, expected at most"):
        sample_ptp(Q0, Q1, V, A, J, times)


@pytest.mark.parametrize("name, value, error", [
    ("v_max", 5e-324, r"v_max: got 5e-324"), ("a_max", 1e308, r"a_max: got 1e\+308"),
    ("j_max", 1e308, r"j_max: got 1e\+308"), ("w_max", np.inf, r"w_max: got inf"),
    ("dw_max", 5e-324, r"dw_max: got 5e-324"), ("ddw_max", 0.0, r"ddw_max: got 0.0"),
])
def test_linear_move_limits_outside_their_range_are_refused_by_name(name, value, error):
    pose = np.eye(4)
    good = dict(v_max=1.0, a_max=1.0, j_max=1.0, w_max=1.0, dw_max=1.0, ddw_max=1.0)
    with pytest.raises(ValueError, match=f"^{error}, expected"):
        linear_move_duration(pose, pose, **dict(good, **{name: value}))
    assert linear_move_duration(pose, pose, **dict(good, j_max=np.inf, ddw_max=np.inf)) == [0.0]


@pytest.mark.parametrize("value", [1e308, -1e308, 101.0, np.inf, np.nan])
def test_pose_positions_beyond_the_cell_are_refused_by_entry(value):
    far = np.tile(np.eye(4), (3, 1, 1))
    far[2, 1, 3] = value
    with pytest.raises(ValueError, match=r"^end_poses\[2, 1, 3\]: got "):
        linear_move_extent(np.tile(np.eye(4), (3, 1, 1)), far)
    arm = OPWKinematics(**GEOMETRY, **ARM)
    if abs(value) <= limits.IK_TARGET_M.high:  # a cell pose seen from a far base: unreachable, not wrong
        assert np.isnan(arm.inverse(far[2])).all() and not arm.closest(far[2], np.zeros(6))[1]
    else:
        with pytest.raises(ValueError, match=r"^poses\[1, 3\]: got "):
            arm.inverse(far[2])


@pytest.mark.parametrize("field", ["joint_min_rad", "joint_max_rad", "offsets_rad"])
@pytest.mark.parametrize("value", [1e308, -1e308, np.radians(1e308), 13.0, np.nan, np.inf])
def test_joint_limits_and_offsets_beyond_two_turns_are_refused_by_name(field, value):
    bad = dict(ARM)
    bad[field] = np.array(ARM[field], dtype=float)
    bad[field][4] = value
    with pytest.raises(ValueError, match=rf"^{field}\[4\]: got .*, expected a finite number in \[-12.566"):
        OPWKinematics(**GEOMETRY, **bad)


@pytest.mark.parametrize("field, value", [("c2", 0.0), ("c3", -1.0), ("c2", 1e308), ("a1", 21.0),
                                          ("b", -1e308), ("c4", np.nan), ("a2", 5e-324 * np.inf)])
def test_link_lengths_outside_their_range_are_refused_by_name(field, value):
    with pytest.raises(ValueError, match=rf"^{field}: got "):
        OPWKinematics(**dict(GEOMETRY, **{field: value}), **ARM)


def test_joint_limits_of_1e308_degrees_neither_hang_the_kernel_nor_pass_the_wrapper():
    # Issue 11, defect 3. The C++ kernel (below the wrapper) answers at once and correctly:
    # the whole-turn fit looks at a bounded set of candidate turns, whatever the limits.
    script = textwrap.dedent("""
        import numpy as np
        from cyclecore import _core
        wide = np.full(6, np.radians(1e308))
        geometry = np.array([0.35, -0.041, 0.0, 0.675, 1.35, 1.4, 0.215])
        robot = _core.OpwRobot(geometry, np.zeros(6), np.ones(6), -wide, wide)
        q = np.array([[0.3, -0.4, 0.5, 2.0, 0.7, -2.5]])
        pose = _core.opw_forward(robot, q)
        closest, ok = _core.opw_closest(robot, pose, q)
        solutions = _core.opw_inverse(robot, pose)
        assert ok[0] and np.allclose(closest, q, atol=1e-9), closest
        assert any(np.allclose(s, q, atol=1e-9) for s in solutions[0]), solutions
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-P", "-c", script], capture_output=True, text=True, timeout=20)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
    with pytest.raises(ValueError, match=r"^joint_min_rad\[0\]: got -1.745\d*e\+306, expected"):
        OPWKinematics(**GEOMETRY, **dict(ARM, joint_min_rad=np.full(DOF, -np.radians(1e308)),
                                         joint_max_rad=np.full(DOF, np.radians(1e308))))


def test_wide_joint_limits_give_the_nearest_whole_turn_as_a_brute_force_search_does():
    # Limits of two turns either way (the widest allowed): closest() must pick, per joint, the
    # variant q + 2πk inside the limits nearest to q_ref, as enumerating every k does.
    wide = dict(ARM, joint_min_rad=np.full(DOF, limits.JOINT_RANGE_RAD.low),
                joint_max_rad=np.full(DOF, limits.JOINT_RANGE_RAD.high))
    arm = OPWKinematics(**GEOMETRY, **wide)
    rng = np.random.default_rng(11)
    q = rng.uniform(-3, 3, (300, DOF))
    q[:, 1] = rng.uniform(-2.4, -0.1, 300)
    ref = rng.uniform(limits.JOINT_RANGE_RAD.low, limits.JOINT_RANGE_RAD.high, (300, DOF))
    poses = arm.forward(q)
    got, ok = arm.closest(poses, ref)
    assert ok.all()
    for k in range(300):
        best = np.inf
        for branch in arm.inverse(poses[k]):
            if np.isnan(branch).any():
                continue
            turns = np.arange(-3, 4) * 2 * np.pi
            variants = branch[:, None] + turns[None, :]  # (6, 7)
            inside = (variants >= limits.JOINT_RANGE_RAD.low - 1e-10) & (variants <= limits.JOINT_RANGE_RAD.high + 1e-10)
            dist = np.where(inside, np.abs(variants - ref[k][:, None]), np.inf).min(axis=1)
            best = min(best, float(np.sum(dist ** 2)))
        assert np.sum((got[k] - ref[k]) ** 2) == pytest.approx(best, rel=1e-9, abs=1e-12)


def test_no_kernel_entry_point_raises_anything_but_valueerror_on_garbage():
    garbage = [None, "x", [[1, 2], [3]], np.zeros((2, 2), dtype=complex), np.array([True] * 6),
               np.full((1, DOF), 1e308), np.zeros((0, DOF)), {"a": 1}, 2**70, -(2**70), 10**400,
               [10**400] * DOF, np.full(DOF, 2**70, dtype=object)]
    arm = OPWKinematics(**GEOMETRY, **ARM)
    for g in garbage:
        for call in (lambda: ptp_duration(g, Q1, V, A, J), lambda: ptp_duration(Q0, Q1, g, A, J),
                     lambda: ptp_duration(Q0, Q1, V, A, J, g), lambda: move_time_matrix(g, V, A, J),
                     lambda: route_totals(np.stack([Q0, Q1]), g, V, A, J), lambda: sample_ptp(Q0, Q1, V, A, J, g),
                     lambda: linear_move_duration(g, np.eye(4), 1, 1, 1, 1, 1, 1), lambda: arm.forward(g),
                     lambda: arm.inverse(g), lambda: arm.closest(np.eye(4), g)):
            try:
                result = call()
            except ValueError:
                continue
            result = result.time_s if hasattr(result, "time_s") else result
            values = np.asarray(result if not isinstance(result, tuple) else result[0], dtype=float)
            assert np.isfinite(values[~np.isnan(values)]).all()
