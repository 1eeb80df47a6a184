"""Arm kinematics of the bundled robots: forward against independent chains, inverse round trips.

Oracles: (1) every bundled robot built joint by joint from its ROS-Industrial URDF (joint
origins and axes, tool0 frame), as plain matrix products in numpy;
(2) for every bundled robot, a plain chain of elementary rotations and translations built from
the OPW parameter definitions; (3) FK(IK(pose)) == pose for 10,000 random reachable poses per
robot, every solution inside the joint limits, and the joint vector that produced the pose among
the solutions.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest
import yaml

from cyclecore.robot.motion import OPWKinematics

TOL = 1e-9


def bundled_models() -> dict:
    text = resources.files("cyclecore").joinpath("data/robot_models.yaml").read_text()
    return yaml.safe_load(text)


MODELS = sorted(bundled_models())


def rot(axis, angle):
    """Rotation matrix about a unit axis (Rodrigues)."""
    x, y, z = np.asarray(axis, dtype=float) / np.linalg.norm(axis)
    k = np.array([[0, -z, y], [z, 0, -x], [-y, x, 0]])
    return np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * k @ k


def transform(rotation=np.eye(3), translation=(0.0, 0.0, 0.0)):
    t = np.eye(4)
    t[:3, :3] = rotation
    t[:3, 3] = translation
    return t


def urdf_chain(joints, q, tool_rotation):
    """Flange pose of a URDF serial chain: each joint = (origin xyz, axis), rpy all zero."""
    pose = np.eye(4)
    for (origin, axis), qi in zip(joints, q):
        pose = pose @ transform(translation=origin) @ transform(rot(axis, qi))
    return pose @ transform(tool_rotation)


# kr210_r3100-2_macro.xacro: joint_a1..a6 origins and axes; tool0 = link_6 turned rpy(0, 90°, 0).
KR210_URDF = [
    ((0, 0, 0.645), (0, 0, -1)),
    ((0.33, 0, 0), (0, 1, 0)),
    ((1.350, 0, 0), (0, 1, 0)),
    ((1.420, 0, 0.115), (-1, 0, 0)),
    ((0, 0, 0), (0, 1, 0)),
    ((0.240, 0, 0), (-1, 0, 0)),
]
KR210_TOOL0 = rot((0, 1, 0), np.pi / 2)


# abb_irb2400_support/urdf/irb2400_macro.xacro (ros-industrial/abb): tool0 = link_6 (its x axis is
# the flange normal); the OPW flange frame has z along the normal: tool0 turned about y by 90°.
IRB2400_URDF = [
    ((0, 0, 0), (0, 0, 1)),
    ((0.1, 0, 0.615), (0, 1, 0)),
    ((0, 0, 0.705), (0, 1, 0)),
    ((0.258, 0, 0.135), (1, 0, 0)),
    ((0.497, 0, 0), (0, 1, 0)),
    ((0.085, 0, 0), (1, 0, 0)),
]
IRB2400_TOOL0_TO_OPW_FLANGE = rot((0, 1, 0), np.pi / 2)

# fanuc_r2000ic_support/urdf/r2000ic165f_macro.xacro (ros-industrial/fanuc): base_link frame at the
# floor; tool0 = link_6 turned rpy(pi, -pi/2, 0), i.e. Ry(-pi/2) Rx(pi).
R2000IC_URDF = [
    ((0, 0, 0.670), (0, 0, 1)),
    ((0.312, 0, 0), (0, 1, 0)),
    ((0, 0, 1.075), (0, -1, 0)),
    ((0, 0, 0.225), (-1, 0, 0)),
    ((1.280, 0, 0), (0, -1, 0)),
    ((0.215, 0, 0), (-1, 0, 0)),
]
R2000IC_TOOL0 = rot((0, 1, 0), -np.pi / 2) @ rot((1, 0, 0), np.pi)


def opw_chain(k, q):
    """The OPW model as elementary motions, from the definitions of its parameters."""
    theta = np.asarray(k["signs"]) * q - np.radians(k["offsets_deg"])
    z, y = (0, 0, 1), (0, 1, 0)
    return (transform(rot(z, theta[0])) @ transform(translation=(k["a1"], k["b"], k["c1"]))
            @ transform(rot(y, theta[1])) @ transform(translation=(0, 0, k["c2"]))
            @ transform(rot(y, theta[2])) @ transform(translation=(k["a2"], 0, k["c3"]))
            @ transform(rot(z, theta[3])) @ transform(rot(y, theta[4]))
            @ transform(rot(z, theta[5])) @ transform(translation=(0, 0, k["c4"])))


def random_joints(arm, n, seed):
    rng = np.random.default_rng(seed)
    return rng.uniform(arm.joint_min, arm.joint_max, (n, 6))


@pytest.mark.parametrize(
    "model, chain, tool",
    [("KR210-R3100-2", KR210_URDF, KR210_TOOL0),
     ("IRB2400-10", IRB2400_URDF, IRB2400_TOOL0_TO_OPW_FLANGE),
     ("R-2000iC-165F", R2000IC_URDF, R2000IC_TOOL0)],
)
def test_forward_kinematics_equals_the_ros_industrial_urdf_chain(model, chain, tool):
    arm = OPWKinematics.from_model_dict(bundled_models()[model])
    q = random_joints(arm, 500, seed=1)
    for qi, pose in zip(q, arm.forward(q)):
        np.testing.assert_allclose(pose, urdf_chain(chain, qi, tool), rtol=0, atol=TOL)


def test_kr210_home_pose_matches_the_datasheet_geometry():
    # Home (0, -90, 90, 0, 0, 0) deg: upper arm vertical, forearm horizontal, flange facing down.
    arm = OPWKinematics.from_model_dict(bundled_models()["KR210-R3100-2"])
    pose = arm.forward(np.radians([0, -90, 90, 0, 0, 0]))
    # x: a1 + c3 + c4 = 0.33 + 1.42 + 0.24; z: c1 + c2 - a2 = 0.645 + 1.35 + 0.115.
    np.testing.assert_allclose(pose[:3, 3], [1.99, 0.0, 2.11], atol=TOL)
    np.testing.assert_allclose(pose[:3, 2], [1.0, 0.0, 0.0], atol=TOL)


@pytest.mark.parametrize("model", MODELS)
def test_forward_kinematics_equals_the_elementary_chain(model):
    spec = bundled_models()[model]
    arm = OPWKinematics.from_model_dict(spec)
    q = random_joints(arm, 300, seed=2)
    for qi, pose in zip(q, arm.forward(q)):
        np.testing.assert_allclose(pose, opw_chain(spec["kinematics"], qi), rtol=0, atol=TOL)


@pytest.mark.parametrize("model", MODELS)
def test_inverse_kinematics_reproduces_10k_random_reachable_poses(model):
    arm = OPWKinematics.from_model_dict(bundled_models()[model])
    q = random_joints(arm, 10_000, seed=3)
    poses = arm.forward(q)
    solutions = arm.inverse(poses)
    assert solutions.shape == (10_000, 8, 6)
    valid = ~np.isnan(solutions).any(axis=2)
    # A branch is either a full solution or a full NaN row, never partly filled.
    assert np.array_equal(valid, ~np.isnan(solutions).all(axis=2))
    assert valid.any(axis=1).all()
    found = solutions[valid]
    owner = np.nonzero(valid)[0]
    # Every solution reaches the pose ...
    np.testing.assert_allclose(arm.forward(found), poses[owner], rtol=0, atol=TOL)
    # ... within the joint limits ...
    assert (found >= arm.joint_min).all() and (found <= arm.joint_max).all()
    # ... and the joint vector that produced the pose is one of them (up to whole turns).
    turns = (solutions - q[:, None, :]) / (2 * np.pi)
    same = np.abs(turns - np.round(turns)).max(axis=2) * 2 * np.pi < 1e-7
    assert same.any(axis=1).all()


@pytest.mark.parametrize("model", MODELS)
def test_closest_solution_is_the_generating_configuration(model):
    arm = OPWKinematics.from_model_dict(bundled_models()[model])
    q = random_joints(arm, 10_000, seed=4)
    poses = arm.forward(q)
    q_best, reachable = arm.closest(poses, q)
    assert reachable.all()
    np.testing.assert_allclose(q_best, q, rtol=0, atol=1e-7)
    np.testing.assert_allclose(arm.forward(q_best), poses, rtol=0, atol=TOL)


@pytest.mark.parametrize("model", MODELS)
def test_closest_picks_the_nearest_branch_and_turn_by_brute_force(model):
    arm = OPWKinematics.from_model_dict(bundled_models()[model])
    rng = np.random.default_rng(5)
    poses = arm.forward(random_joints(arm, 300, seed=6))
    q_ref = rng.uniform(arm.joint_min, arm.joint_max, (300, 6))
    q_best, reachable = arm.closest(poses, q_ref)
    assert reachable.all()
    # Brute force: every branch, every whole-turn variant of every joint inside the limits.
    branches = arm.inverse(poses)
    for k in range(300):
        best = np.inf
        for sol in branches[k][~np.isnan(branches[k]).any(axis=1)]:
            dist = 0.0
            for i in range(6):
                variants = sol[i] + 2 * np.pi * np.arange(-3, 4)
                inside = variants[(variants >= arm.joint_min[i]) & (variants <= arm.joint_max[i])]
                dist += np.min((inside - q_ref[k, i]) ** 2)
            best = min(best, dist)
        assert np.sum((q_best[k] - q_ref[k]) ** 2) == pytest.approx(best, rel=1e-9, abs=1e-12)


def test_wrist_axes_beyond_half_a_turn_use_the_nearest_whole_turn():
    # KR 210 axis 6 spans +-350 deg: a reference near +300 deg must get +300, not -60.
    arm = OPWKinematics.from_model_dict(bundled_models()["KR210-R3100-2"])
    q = np.radians([10, -60, 80, 20, 40, 300])
    q_best, ok = arm.closest(arm.forward(q), q)
    assert ok
    np.testing.assert_allclose(q_best, q, atol=1e-9)
    # Without a reference, inverse() reports each joint at its value closest to zero.
    solutions = arm.inverse(arm.forward(q))
    axis6 = np.degrees(solutions[~np.isnan(solutions).any(axis=1), 5])
    assert np.abs(axis6).max() <= 180 + 1e-9
    assert np.isclose(axis6, -60).any()


@pytest.mark.parametrize("model", MODELS)
def test_far_away_poses_are_reported_unreachable(model):
    arm = OPWKinematics.from_model_dict(bundled_models()[model])
    rng = np.random.default_rng(7)
    poses = np.tile(np.eye(4), (50, 1, 1))
    direction = rng.normal(size=(50, 3))
    poses[:, :3, 3] = 10.0 * direction / np.linalg.norm(direction, axis=1, keepdims=True)
    assert np.isnan(arm.inverse(poses)).all()
    q, reachable = arm.closest(poses, np.zeros(6))
    assert not reachable.any()
    assert np.isnan(q).all()


def test_poses_reachable_only_outside_the_joint_limits_are_unreachable():
    # KR 210 axis 2 must stay in [-140, -5] deg; q2 = +30 deg leans the arm backwards. Every
    # configuration that reaches this pose has axis 2 outside its range.
    spec = bundled_models()["KR210-R3100-2"]
    free_arm = OPWKinematics.from_model_dict(dict(spec, joint_min_deg=[-360] * 6,
                                                  joint_max_deg=[360] * 6))
    arm = OPWKinematics.from_model_dict(spec)
    pose = free_arm.forward(np.radians([0, 30, 10, 0, 30, 0]))
    unlimited = free_arm.inverse(pose)
    unlimited = unlimited[~np.isnan(unlimited).any(axis=1)]
    assert len(unlimited) > 0
    np.testing.assert_allclose(free_arm.forward(unlimited), np.broadcast_to(pose, (len(unlimited), 4, 4)), atol=TOL)
    axis2 = np.degrees(unlimited[:, 1])
    assert ((axis2 > -5) & (axis2 - 360 < -140)).all()  # no whole-turn variant fits either
    assert np.isnan(arm.inverse(pose)).all()
    q, ok = arm.closest(pose, np.zeros(6))
    assert not ok and np.isnan(q).all()


def test_wrist_singularity_still_gives_a_valid_solution():
    arm = OPWKinematics.from_model_dict(bundled_models()["IRB2400-10"])
    q = np.radians([20, 10, 15, 30, 0.0, -40])  # axis 5 at zero: axes 4 and 6 aligned
    pose = arm.forward(q)
    q_best, ok = arm.closest(pose, q)
    assert ok
    np.testing.assert_allclose(arm.forward(q_best), pose, atol=TOL)
