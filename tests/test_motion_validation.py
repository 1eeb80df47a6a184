"""Bad input to cyclecore.robot.motion is refused with a ValueError that names the argument."""

from __future__ import annotations

import numpy as np
import pytest

from cyclecore.robot.motion import (
    OPWKinematics,
    linear_move_duration,
    move_time_matrix,
    ptp_duration,
    route_totals,
    sample_ptp,
)

DOF = 6
Q0, Q1 = np.zeros(DOF), np.full(DOF, 0.5)
V, A, J = np.full(DOF, 2.0), np.full(DOF, 5.0), np.full(DOF, 25.0)


def limits(**override):
    kw = dict(vmax=V, amax=A, jmax=J)
    kw.update(override)
    return kw


@pytest.mark.parametrize("name", ["vmax", "amax", "jmax"])
@pytest.mark.parametrize("bad, message", [(np.nan, "NaN"), (0.0, r"in \[0.001, "), (-1.0, r"in \[0.001, ")])
def test_nan_zero_or_negative_limits_are_refused_by_name(name, bad, message):
    value = np.full(DOF, 2.0)
    value[3] = bad
    for call in (
        lambda kw: ptp_duration(Q0, Q1, **kw),
        lambda kw: move_time_matrix(np.stack([Q0, Q1]), **kw),
        lambda kw: route_totals(np.stack([Q0, Q1]), [[0, 1]], **kw),
        lambda kw: sample_ptp(Q0, Q1, times=[0.0, 0.1], **kw),
    ):
        with pytest.raises(ValueError, match=f"{name}.*{message}"):
            call(limits(**{name: value}))


@pytest.mark.parametrize("name", ["vmax", "amax"])
def test_infinite_speed_or_acceleration_is_refused(name):
    with pytest.raises(ValueError, match=f"{name}.*finite"):
        ptp_duration(Q0, Q1, **limits(**{name: np.full(DOF, np.inf)}))


def test_infinite_jerk_is_the_trapezoid_not_an_error():
    assert ptp_duration(Q0, Q1, **limits(jmax=np.full(DOF, np.inf))) > 0


@pytest.mark.parametrize("s", [0.0, -0.5, 1.5, np.nan, "fast"])
def test_speed_override_must_be_in_the_unit_interval(s):
    with pytest.raises(ValueError, match="speed_override"):
        ptp_duration(Q0, Q1, **limits(), speed_override=s)
    with pytest.raises(ValueError, match="speed_override"):
        move_time_matrix(np.stack([Q0, Q1]), **limits(), speed_override=s)


def test_shape_mismatches_are_refused():
    with pytest.raises(ValueError, match="q0, q1"):
        ptp_duration(np.zeros((3, DOF)), np.zeros((4, DOF)), **limits())
    with pytest.raises(ValueError, match="q0, q1"):
        ptp_duration(np.zeros(5), np.zeros(DOF), **limits())
    with pytest.raises(ValueError, match="vmax.*shape"):
        ptp_duration(Q0, Q1, **limits(vmax=np.full(5, 1.0)))
    with pytest.raises(ValueError, match="amax.*shape"):
        ptp_duration(np.zeros((3, DOF)), np.ones((3, DOF)), **limits(amax=np.ones((4, DOF))))
    with pytest.raises(ValueError, match="configs"):
        move_time_matrix(np.zeros(DOF), **limits())
    with pytest.raises(ValueError, match="times"):
        sample_ptp(Q0, Q1, times=np.zeros((2, 2)), **limits())
    with pytest.raises(ValueError, match="tcp_positions"):
        route_totals(np.stack([Q0, Q1]), [[0, 1]], **limits(), tcp_positions=np.zeros((2, 2)))


def test_non_finite_joint_values_are_refused_by_name():
    bad = Q1.copy()
    bad[2] = np.nan
    with pytest.raises(ValueError, match="q1.*finite"):
        ptp_duration(Q0, bad, **limits())
    with pytest.raises(ValueError, match="q0.*finite"):
        ptp_duration(np.stack([Q0, np.full(DOF, np.inf)]), np.stack([Q1, Q1]), **limits())
    with pytest.raises(ValueError, match="configs.*finite"):
        move_time_matrix(np.stack([Q0, bad]), **limits())


def test_route_indices_must_be_valid_with_padding_only_at_the_end():
    configs = np.stack([Q0, Q1, Q1 * 2])
    with pytest.raises(ValueError, match="routes.*indices"):
        route_totals(configs, [[0, 3]], **limits())
    with pytest.raises(ValueError, match="routes.*indices"):
        route_totals(configs, [[0, -2]], **limits())
    with pytest.raises(ValueError, match="routes.*padding"):
        route_totals(configs, [[0, -1, 1]], **limits())
    with pytest.raises(ValueError, match="routes.*integer"):
        route_totals(configs, [[0.0, 1.0]], **limits())


def test_linear_move_limits_and_poses_are_checked():
    pose = np.eye(4)
    good = dict(v_max=1.0, a_max=1.0, j_max=1.0, w_max=1.0, dw_max=1.0, ddw_max=1.0)
    for name in good:
        for bad in (0.0, -1.0, np.nan):
            with pytest.raises(ValueError, match=name):
                linear_move_duration(pose, pose, **dict(good, **{name: bad}))
    with pytest.raises(ValueError, match="v_max"):
        linear_move_duration(pose, pose, **dict(good, v_max=np.inf))
    skewed = np.eye(4)
    skewed[0, 1] = 0.3
    with pytest.raises(ValueError, match="end_poses.*rotation"):
        linear_move_duration(pose, skewed, **good)
    projective = np.eye(4)
    projective[3, 0] = 1.0
    with pytest.raises(ValueError, match="start_poses.*last row"):
        linear_move_duration(projective, pose, **good)
    with pytest.raises(ValueError, match="start_poses, end_poses"):
        linear_move_duration(np.tile(pose, (2, 1, 1)), np.tile(pose, (3, 1, 1)), **good)


def test_kinematics_arguments_are_checked():
    geometry = dict(a1=0.1, a2=-0.1, b=0.0, c1=0.6, c2=0.7, c3=0.75, c4=0.1)
    ok = dict(offsets_rad=np.zeros(6), signs=np.ones(6), joint_min_rad=-np.ones(6) * 3,
              joint_max_rad=np.ones(6) * 3)
    arm = OPWKinematics(**geometry, **ok)
    with pytest.raises(ValueError, match="signs"):
        OPWKinematics(**geometry, **dict(ok, signs=[1, 1, 0, 1, 1, 1]))
    with pytest.raises(ValueError, match="joint_min_rad"):
        OPWKinematics(**geometry, **dict(ok, joint_min_rad=np.ones(6) * 4))
    with pytest.raises(ValueError, match="offsets_rad.*shape"):
        OPWKinematics(**geometry, **dict(ok, offsets_rad=np.zeros(5)))
    with pytest.raises(ValueError, match="q.*shape"):
        arm.forward(np.zeros(5))
    with pytest.raises(ValueError, match="q.*finite"):
        arm.forward(np.full(6, np.nan))
    with pytest.raises(ValueError, match="poses.*shape"):
        arm.inverse(np.eye(3))
    with pytest.raises(ValueError, match="q_ref.*shape"):
        arm.closest(np.tile(np.eye(4), (3, 1, 1)), np.zeros((2, 6)))
    with pytest.raises(AttributeError):
        arm.c2 = 1.0
    with pytest.raises(ValueError, match="missing field"):
        OPWKinematics.from_model_dict({"kinematics": {"type": "opw"}})
