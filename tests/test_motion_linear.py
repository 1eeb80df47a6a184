"""Cartesian linear (LIN) moves: path length, reorientation angle and duration.

Oracles: numpy distances and SciPy's rotation angle (``Rotation.magnitude``) for the geometry;
Ruckig with two axes (path length under the Cartesian limits, angle under the angular limits)
for the duration, since a LIN move lasts as long as the slower of the two 1-D motions.
"""

from __future__ import annotations

import numpy as np
import pytest
from ruckig import InputParameter, Result, Ruckig, Trajectory
from scipy.spatial.transform import Rotation

from cyclecore.robot.motion import linear_move_duration, linear_move_extent


def random_poses(rng, n):
    poses = np.tile(np.eye(4), (n, 1, 1))
    poses[:, :3, :3] = Rotation.random(n, random_state=rng).as_matrix()
    poses[:, :3, 3] = rng.uniform(-1.5, 1.5, (n, 3))
    return poses


def pose_pairs(rng, n):
    start = random_poses(rng, n)
    end = random_poses(rng, n)
    # Some pure translations, pure rotations, tiny and zero moves.
    end[: n // 8, :3, :3] = start[: n // 8, :3, :3]
    end[n // 8: n // 4, :3, 3] = start[n // 8: n // 4, :3, 3]
    end[n // 4: n // 4 + 10] = start[n // 4: n // 4 + 10]
    tiny = slice(n // 4 + 10, n // 4 + 40)
    end[tiny, :3, 3] = start[tiny, :3, 3] + rng.normal(0, 1e-6, (30, 3))
    return start, end


def ruckig_two_axis(length, angle, cartesian, angular):
    otg, inp, traj = Ruckig(2), InputParameter(2), Trajectory(2)
    inp.max_velocity = [cartesian[0], angular[0]]
    inp.max_acceleration = [cartesian[1], angular[1]]
    inp.max_jerk = [cartesian[2], angular[2]]
    out = np.empty(len(length))
    for k in range(len(length)):
        inp.current_position = [0.0, 0.0]
        inp.target_position = [length[k], angle[k]]
        assert otg.calculate(inp, traj) == Result.Working
        out[k] = traj.duration
    return out


def test_path_length_and_reorientation_angle_match_numpy_and_scipy():
    rng = np.random.default_rng(1)
    start, end = pose_pairs(rng, 2_000)
    length, angle = linear_move_extent(start, end)
    np.testing.assert_allclose(length, np.linalg.norm(end[:, :3, 3] - start[:, :3, 3], axis=1),
                               rtol=1e-15, atol=0)
    relative = np.einsum("nki,nkj->nij", start[:, :3, :3], end[:, :3, :3])
    np.testing.assert_allclose(angle, Rotation.from_matrix(relative).magnitude(), rtol=0, atol=1e-12)
    assert (angle >= 0).all() and (angle <= np.pi).all()


def test_reorientation_angle_is_accurate_near_zero_and_near_half_a_turn():
    start = np.eye(4)
    for theta in (1e-9, 1e-5, 0.5, np.pi - 1e-6, np.pi):
        end = np.eye(4)
        end[:3, :3] = Rotation.from_rotvec([0.0, theta, 0.0]).as_matrix()
        _, angle = linear_move_extent(start, end)
        assert angle[0] == pytest.approx(theta, rel=1e-9)


@pytest.mark.parametrize("infinite_jerk", [False, True], ids=["jerk-limited", "trapezoid"])
def test_durations_match_ruckig_on_the_path_length_and_angle(infinite_jerk):
    rng = np.random.default_rng(2 + infinite_jerk)
    start, end = pose_pairs(rng, 5_000)
    cartesian = (2.0, 8.0, np.inf if infinite_jerk else 40.0)  # m/s, m/s^2, m/s^3
    angular = (3.0, 15.0, np.inf if infinite_jerk else 90.0)   # rad/s, rad/s^2, rad/s^3
    for s in (1.0, 0.25):
        ours = linear_move_duration(start, end, *cartesian, *angular, speed_override=s)
        length = np.linalg.norm(end[:, :3, 3] - start[:, :3, 3], axis=1)
        relative = np.einsum("nki,nkj->nij", start[:, :3, :3], end[:, :3, :3])
        angle = Rotation.from_matrix(relative).magnitude()
        scaled = lambda lim: (lim[0] * s, lim[1] * s**2, lim[2] * s**3)  # noqa: E731
        reference = ruckig_two_axis(length, angle, scaled(cartesian), scaled(angular))
        # Tolerance covers the 1e-12 rad angle difference between the two geometry codes.
        np.testing.assert_allclose(ours, reference, rtol=1e-9, atol=1e-9)
        zero_moves = slice(len(ours) // 4, len(ours) // 4 + 10)  # see pose_pairs
        assert (ours[zero_moves] == 0).all()


def test_reorientation_can_be_the_slower_part_of_a_linear_move():
    start, end = np.eye(4), np.eye(4)
    end[:3, 3] = [0.01, 0.0, 0.0]  # 1 cm
    end[:3, :3] = Rotation.from_rotvec([0.0, 0.0, np.pi / 2]).as_matrix()  # quarter turn
    t = linear_move_duration(start, end, 1.0, 10.0, np.inf, 0.5, 1.0, np.inf)
    # Angular trapezoid: pi/2 > w^2/dw = 0.25, so T = angle / w + w / dw.
    assert t[0] == pytest.approx((np.pi / 2) / 0.5 + 0.5 / 1.0, rel=1e-14)


def test_linear_move_accepts_a_single_pose_pair():
    start, end = np.eye(4), np.eye(4)
    end[:3, 3] = [0.3, 0.4, 0.0]  # 0.5 m
    t = linear_move_duration(start, end, 1.0, 1.0, np.inf, 1.0, 1.0, np.inf)
    assert t.shape == (1,)
    assert t[0] == pytest.approx(2 * np.sqrt(0.5), rel=1e-15)  # triangle: 2 sqrt(d / a)
