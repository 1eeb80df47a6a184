"""PTP durations against Ruckig, the reference jerk-limited trajectory generator.

For rest-to-rest moves Ruckig computes the time-optimal synchronized trajectory numerically; the
closed form in cyclecore must give the same duration to 1e-9 relative (it does to ~1e-15) on
large randomized suites: long and tiny moves, still axes, limits spread over orders of
magnitude, finite and infinite jerk (Ruckig accepts jerk = inf as acceleration-limited).
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from ruckig import InputParameter, Result, Ruckig, Trajectory

from cyclecore.robot.motion import move_time_matrix, ptp_duration, route_totals

DOF = 6
REL_TOL = 1e-9


def ruckig_durations(q0, q1, vmax, amax, jmax):
    """Ruckig's duration for each move; limits (n, dof) or (dof,)."""
    n, dof = q0.shape
    otg, inp, traj = Ruckig(dof), InputParameter(dof), Trajectory(dof)
    per_move = np.ndim(vmax) == 2
    if not per_move:
        inp.max_velocity, inp.max_acceleration, inp.max_jerk = vmax, amax, jmax
    out = np.empty(n)
    for k in range(n):
        inp.current_position = q0[k]
        inp.target_position = q1[k]
        if per_move:
            inp.max_velocity, inp.max_acceleration, inp.max_jerk = vmax[k], amax[k], jmax[k]
        assert otg.calculate(inp, traj) == Result.Working
        out[k] = traj.duration
    return out


def random_moves(rng, n):
    """Moves from 1e-6 rad to 10 rad per axis (log-uniform), about 20% of axes still."""
    q0 = rng.uniform(-3.0, 3.0, (n, DOF))
    step = 10.0 ** rng.uniform(-6.0, 1.0, (n, DOF)) * rng.choice([-1.0, 1.0], (n, DOF))
    still = rng.random((n, DOF)) < 0.2
    return q0, q0 + np.where(still, 0.0, step)


def random_limits(rng, shape, infinite_jerk):
    """Limits spread over 3-5 orders of magnitude, so every profile case occurs."""
    vmax = 10.0 ** rng.uniform(-2.0, 1.0, shape)
    amax = 10.0 ** rng.uniform(-2.0, 2.0, shape)
    jmax = np.full(shape, np.inf) if infinite_jerk else 10.0 ** rng.uniform(-2.0, 3.0, shape)
    return vmax, amax, jmax


def assert_relative(ours, reference):
    rel = np.abs(ours - reference) / np.maximum(reference, np.finfo(float).tiny)
    worst = int(np.argmax(rel))
    assert rel[worst] <= REL_TOL, f"move {worst}: {ours[worst]!r} vs Ruckig {reference[worst]!r}"
    # Zero-length moves are exactly zero on both sides.
    assert np.array_equal(ours == 0.0, reference == 0.0)


@pytest.mark.parametrize("infinite_jerk", [False, True], ids=["jerk-limited", "trapezoid"])
def test_100k_random_moves_with_per_move_limits_match_ruckig(infinite_jerk):
    rng = np.random.default_rng(20261127 + infinite_jerk)
    n = 100_000
    q0, q1 = random_moves(rng, n)
    vmax, amax, jmax = random_limits(rng, (n, DOF), infinite_jerk)
    assert_relative(ptp_duration(q0, q1, vmax, amax, jmax), ruckig_durations(q0, q1, vmax, amax, jmax))


@pytest.mark.parametrize("infinite_jerk", [False, True], ids=["jerk-limited", "trapezoid"])
def test_100k_random_moves_with_shared_limits_match_ruckig(infinite_jerk):
    # Shared (dof,) limits take the kernel's unrolled 6-axis path: 20 limit sets x 5,000 moves.
    rng = np.random.default_rng(1127 + infinite_jerk)
    for _ in range(20):
        q0, q1 = random_moves(rng, 5_000)
        vmax, amax, jmax = random_limits(rng, DOF, infinite_jerk)
        ours = ptp_duration(q0, q1, vmax, amax, jmax)
        assert_relative(ours, ruckig_durations(q0, q1, vmax, amax, jmax))
        # The same limits given per move go through the general loop: identical bits.
        per_move = [np.broadcast_to(x, q0.shape) for x in (vmax, amax, jmax)]
        assert np.array_equal(ours, ptp_duration(q0, q1, *per_move))


def bundled_models():
    from importlib import resources

    text = resources.files("cyclecore").joinpath("data/robot_models.yaml").read_text()
    return yaml.safe_load(text)


@pytest.mark.parametrize("model", sorted(bundled_models()))
def test_bundled_robot_moves_match_ruckig_at_several_overrides(model):
    spec = bundled_models()[model]
    vmax = np.radians(spec["max_velocity_deg_s"])
    amax = np.radians(spec["max_acceleration_deg_s2"])
    jmax = np.radians(spec["max_jerk_deg_s3"])
    lo, hi = np.radians(spec["joint_min_deg"]), np.radians(spec["joint_max_deg"])
    rng = np.random.default_rng(len(model))
    q0, q1 = rng.uniform(lo, hi, (2, 3_000, DOF))
    for s in (1.0, 0.5, 0.1):
        # Override = the same move with limits v*s, a*s^2, j*s^3.
        reference = ruckig_durations(q0, q1, vmax * s, amax * s**2, jmax * s**3)
        assert_relative(ptp_duration(q0, q1, vmax, amax, jmax, speed_override=s), reference)


def test_speed_override_divides_the_duration_exactly():
    rng = np.random.default_rng(3)
    q0, q1 = random_moves(rng, 1_000)
    vmax, amax, jmax = random_limits(rng, DOF, False)
    full = ptp_duration(q0, q1, vmax, amax, jmax)
    for s in (0.8, 0.3, 0.01):  # 0.01: the lowest override (limits.SPEED_OVERRIDE)
        assert np.array_equal(ptp_duration(q0, q1, vmax, amax, jmax, speed_override=s), full / s)


def test_single_move_returns_a_float_equal_to_ruckig():
    q0, q1 = np.zeros(DOF), np.array([1.0, -0.5, 0.25, 0.0, 2.0, -3.0])
    vmax, amax, jmax = np.full(DOF, 2.0), np.full(DOF, 5.0), np.full(DOF, 20.0)
    t = ptp_duration(q0, q1, vmax, amax, jmax)
    assert isinstance(t, float)
    reference = ruckig_durations(q0[None], q1[None], vmax, amax, jmax)[0]
    assert abs(t - reference) <= REL_TOL * reference


def test_one_start_to_many_targets_broadcasts():
    rng = np.random.default_rng(4)
    q0 = rng.uniform(-1, 1, DOF)
    q1 = rng.uniform(-1, 1, (50, DOF))
    v, a, j = np.full(DOF, 1.0), np.full(DOF, 3.0), np.full(DOF, 15.0)
    assert np.array_equal(ptp_duration(q0, q1, v, a, j), ptp_duration(np.tile(q0, (50, 1)), q1, v, a, j))


def test_move_time_matrix_is_every_pairwise_duration():
    rng = np.random.default_rng(5)
    configs = rng.uniform(-3, 3, (120, DOF))
    vmax, amax, jmax = random_limits(rng, DOF, False)
    m = move_time_matrix(configs, vmax, amax, jmax, speed_override=0.7)
    i, j = np.meshgrid(np.arange(120), np.arange(120), indexing="ij")
    pairwise = ptp_duration(configs[i.ravel()], configs[j.ravel()], vmax, amax, jmax, 0.7)
    assert np.array_equal(m, pairwise.reshape(120, 120))
    assert np.array_equal(np.diag(m), np.zeros(120))
    assert np.array_equal(m, m.T)
    reference = ruckig_durations(configs[:40][None].repeat(40, 0).reshape(-1, DOF),
                                 configs[:40][:, None].repeat(40, 1).reshape(-1, DOF),
                                 vmax * 0.7, amax * 0.49, jmax * 0.343)
    assert_relative(m[:40, :40].T.ravel(), reference)


def test_route_totals_add_up_the_moves_of_each_route():
    rng = np.random.default_rng(6)
    n = 30
    configs = rng.uniform(-2, 2, (n, DOF))
    tcp = rng.uniform(-1, 1, (n, 3))
    vmax, amax, jmax = random_limits(rng, DOF, False)
    routes = np.full((25, 9), -1, dtype=np.int64)
    lengths = rng.integers(0, 10, 25)
    for r, length in enumerate(lengths):
        routes[r, :length] = rng.integers(0, n, length)
    totals = route_totals(configs, routes, vmax, amax, jmax, speed_override=0.9, tcp_positions=tcp)
    for r, length in enumerate(lengths):
        stops = routes[r, :length]
        a, b = stops[:-1], stops[1:]
        moves = ptp_duration(configs[a], configs[b], vmax, amax, jmax, 0.9) if length > 1 else []
        assert totals.time_s[r] == pytest.approx(np.sum(moves), rel=1e-14, abs=0)
        assert totals.joint_path_rad[r] == pytest.approx(
            np.linalg.norm(configs[b] - configs[a], axis=1).sum(), rel=1e-14, abs=0)
        assert totals.tcp_path_m[r] == pytest.approx(
            np.linalg.norm(tcp[b] - tcp[a], axis=1).sum(), rel=1e-14, abs=0)
    assert np.array_equal(totals.time_s[lengths < 2], np.zeros((lengths < 2).sum()))


def test_route_totals_without_tcp_positions_report_zero_tcp_path():
    configs = np.array([[0.0] * DOF, [1.0] * DOF, [0.5] * DOF])
    limits = (np.full(DOF, 1.0), np.full(DOF, 2.0), np.full(DOF, 10.0))
    totals = route_totals(configs, np.array([[0, 1, 2, 0]]), *limits)
    assert totals.tcp_path_m.tolist() == [0.0]
    expected = ptp_duration(configs[[0, 1, 2]], configs[[1, 2, 0]], *limits).sum()
    assert totals.time_s[0] == pytest.approx(expected, rel=1e-15)
    assert totals.joint_path_rad[0] == pytest.approx(np.sqrt(6) * 2.0, rel=1e-15)
    assert not np.isnan(totals.time_s).any()
