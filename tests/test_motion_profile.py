"""Single-axis profiles and sampled synchronized PTP moves.

Oracles: hand-derived textbook durations for every profile case; Ruckig's own trajectories
(sampled with ``Trajectory.at_time``) for each axis's time-optimal profile; numerical integration
of the sampled derivatives; and the limits themselves, which a sampled move must never exceed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from ruckig import InputParameter, Result, Ruckig, Trajectory

from cyclecore.robot.motion import ptp_duration, sample_ptp

LIMIT_TOL = 1e-9


def one_axis(d, v, a, j):
    return ptp_duration([0.0], [d], [v], [a], [j])


@pytest.mark.parametrize(
    "d, v, a, j, expected",
    [
        # Cruise at vmax, amax reached: T = d/v + v/a + a/j.
        (10.0, 2.0, 4.0, 16.0, 10 / 2 + 2 / 4 + 4 / 16),
        # No cruise, amax reached (d >= 2 a^3 / j^2 = 0.5): T = a/j + sqrt((a/j)^2 + 4 d / a).
        (1.0, 20.0, 4.0, 16.0, 0.25 + math.sqrt(0.0625 + 1.0)),
        # Neither vmax nor amax (d < 0.5): T = 4 cbrt(d / (2 j)).
        (0.1, 20.0, 4.0, 16.0, 4 * (0.1 / 32) ** (1 / 3)),
        # vmax reached before amax (v j < a^2): cruise, T = d/v + 2 sqrt(v/j).
        (5.0, 0.5, 10.0, 2.0, 5 / 0.5 + 2 * math.sqrt(0.25)),
        # vmax reached before amax, too short to cruise (d < 2 v sqrt(v/j) = 0.5).
        (0.25, 0.5, 10.0, 2.0, 4 * (0.25 / 4) ** (1 / 3)),
        # Trapezoid with cruise: T = d/v + v/a.
        (4.0, 1.0, 1.0, math.inf, 5.0),
        # Triangle (trapezoid without cruise): T = 2 sqrt(d/a).
        (0.25, 1.0, 1.0, math.inf, 1.0),
        # Zero-length move.
        (0.0, 1.0, 1.0, 1.0, 0.0),
        (0.0, 1.0, 1.0, math.inf, 0.0),
    ],
)
def test_single_axis_durations_match_the_textbook_cases(d, v, a, j, expected):
    assert one_axis(d, v, a, j) == pytest.approx(expected, rel=1e-14, abs=0)
    assert one_axis(-d, v, a, j) == one_axis(d, v, a, j)


def test_duration_is_continuous_across_case_boundaries():
    v, a, j = 2.0, 4.0, 16.0
    for boundary in (2 * a**3 / j**2, v * (v / a + a / j)):  # d_amax, d_cruise
        below, above = one_axis(boundary * (1 - 1e-12), v, a, j), one_axis(boundary * (1 + 1e-12), v, a, j)
        assert above >= below
        assert above - below < 1e-10


def test_tiny_moves_and_limits_spread_over_orders_of_magnitude():
    # A 1 micro-rad wrist twitch next to a slow, heavy main axis.
    t = ptp_duration([0.0, 0.0], [1e-6, 1e-6], [1e-3, 100.0], [1e-2, 1e4], [1e-1, 1e6])
    slow = 4 * (1e-6 / (2 * 1e-1)) ** (1 / 3)
    assert t == pytest.approx(slow, rel=1e-14)


def ruckig_axis(d, v, a, j):
    """Ruckig's time-optimal single-axis trajectory for a move 0 -> d."""
    otg, inp, traj = Ruckig(1), InputParameter(1), Trajectory(1)
    inp.current_position, inp.target_position = [0.0], [d]
    inp.max_velocity, inp.max_acceleration, inp.max_jerk = [v], [a], [j]
    assert otg.calculate(inp, traj) == Result.Working
    return traj


def random_move(rng, dof, infinite_jerk):
    q0 = rng.uniform(-3, 3, dof)
    q1 = q0 + 10 ** rng.uniform(-4, 0.7, dof) * rng.choice([-1, 1], dof)
    still = rng.random(dof) < 0.2
    q1[still] = q0[still]
    vmax = 10 ** rng.uniform(-1, 1, dof)
    amax = 10 ** rng.uniform(-1, 1.5, dof)
    jmax = np.full(dof, np.inf) if infinite_jerk else 10 ** rng.uniform(-1, 2.5, dof)
    return q0, q1, vmax, amax, jmax


@pytest.mark.parametrize("infinite_jerk", [False, True], ids=["jerk-limited", "trapezoid"])
def test_every_axis_follows_its_ruckig_profile_slowed_to_the_move_duration(infinite_jerk):
    rng = np.random.default_rng(11 + infinite_jerk)
    for _ in range(40):
        q0, q1, vmax, amax, jmax = random_move(rng, 6, infinite_jerk)
        T = ptp_duration(q0, q1, vmax, amax, jmax)
        times = np.linspace(0.0, T, 101)
        samples = sample_ptp(q0, q1, vmax, amax, jmax, times)
        assert samples.duration == T
        for i in range(6):
            d = q1[i] - q0[i]
            if d == 0.0:
                assert (samples.position[:, i] == q0[i]).all()
                assert (samples.velocity[:, i] == 0.0).all()
                continue
            traj = ruckig_axis(d, vmax[i], amax[i], jmax[i])
            k = traj.duration / T  # this axis's time scale
            ref = np.array([traj.at_time(t * k) for t in times])  # (k, 3, 1): p, v, a
            scale = abs(d)
            np.testing.assert_allclose(samples.position[:, i] - q0[i], ref[:, 0, 0], rtol=0, atol=1e-9 * scale)
            np.testing.assert_allclose(samples.velocity[:, i], ref[:, 1, 0] * k, rtol=0,
                                       atol=1e-9 * vmax[i])
            if not infinite_jerk:  # the trapezoid's acceleration jumps: compare away from jumps only
                np.testing.assert_allclose(samples.acceleration[:, i], ref[:, 2, 0] * k**2, rtol=0,
                                           atol=1e-9 * amax[i])


@pytest.mark.parametrize("infinite_jerk", [False, True], ids=["jerk-limited", "trapezoid"])
def test_sampled_moves_respect_every_limit_and_end_exactly_at_rest_on_target(infinite_jerk):
    rng = np.random.default_rng(21 + infinite_jerk)
    for _ in range(200):
        q0, q1, vmax, amax, jmax = random_move(rng, 6, infinite_jerk)
        s = rng.choice([1.0, 0.5, 0.07])
        T = ptp_duration(q0, q1, vmax, amax, jmax, speed_override=s)
        times = np.concatenate([[-1.0, 0.0], np.sort(rng.uniform(0, T, 500)), [T, T + 1.0]])
        m = sample_ptp(q0, q1, vmax, amax, jmax, times, speed_override=s)
        assert m.duration == T
        assert (np.abs(m.velocity) <= vmax * s * (1 + LIMIT_TOL)).all()
        assert (np.abs(m.acceleration) <= amax * s**2 * (1 + LIMIT_TOL)).all()
        if not infinite_jerk:
            assert (np.abs(m.jerk) <= jmax * s**3 * (1 + LIMIT_TOL)).all()
        else:
            assert (m.jerk == 0).all()
        # Before the start and at t = 0: at q0, at rest. At T and after: exactly q1, at rest.
        for row, target in ((0, q0), (1, q0), (-2, q1), (-1, q1)):
            assert np.array_equal(m.position[row], target)
            assert not m.velocity[row].any() and not m.acceleration[row].any()
        # Each axis moves monotonically toward its target.
        steps = np.diff(m.position, axis=0) * np.sign(q1 - q0)
        assert (steps >= -1e-12 * (1 + np.abs(q1 - q0))).all()


def test_sampled_derivatives_integrate_to_the_sampled_positions():
    rng = np.random.default_rng(31)
    q0, q1, vmax, amax, jmax = random_move(rng, 6, False)
    T = ptp_duration(q0, q1, vmax, amax, jmax)
    times = np.linspace(0, T, 200_001)
    m = sample_ptp(q0, q1, vmax, amax, jmax, times)
    h = times[1] - times[0]

    def integral(rate):
        return np.concatenate([np.zeros((1, 6)), np.cumsum(0.5 * h * (rate[1:] + rate[:-1]), axis=0)])

    # Velocity and acceleration are continuous: the trapezoid rule is accurate to O(h^2).
    np.testing.assert_allclose(m.position - q0, integral(m.velocity), rtol=0, atol=1e-9 * np.abs(q1 - q0).max())
    np.testing.assert_allclose(m.velocity, integral(m.acceleration), rtol=0, atol=1e-9 * vmax.max())
    # The jerk jumps (at most 8 times per axis): each jump costs the rule jmax * h / 2.
    assert (np.abs(m.acceleration - integral(m.jerk)) <= 8 * jmax * h / 2).all()


def test_the_slowest_axis_uses_its_full_limits():
    q0, q1 = np.zeros(3), np.array([10.0, 0.1, -0.5])
    vmax, amax, jmax = np.array([1.0, 1.0, 1.0]), np.array([2.0, 2.0, 2.0]), np.array([8.0, 8.0, 8.0])
    T = ptp_duration(q0, q1, vmax, amax, jmax)
    m = sample_ptp(q0, q1, vmax, amax, jmax, np.linspace(0, T, 20_001))
    assert np.abs(m.velocity[:, 0]).max() == pytest.approx(1.0, rel=1e-12)
    assert np.abs(m.acceleration[:, 0]).max() == pytest.approx(2.0, rel=1e-12)
    assert np.abs(m.jerk[:, 0]).max() == pytest.approx(8.0, rel=1e-12)


def test_speed_override_is_pure_time_scaling_of_the_samples():
    rng = np.random.default_rng(41)
    q0, q1, vmax, amax, jmax = random_move(rng, 6, False)
    s = 0.4
    T1 = ptp_duration(q0, q1, vmax, amax, jmax)
    times = np.linspace(0, T1 / s, 301)
    slow = sample_ptp(q0, q1, vmax, amax, jmax, times, speed_override=s)
    fast = sample_ptp(q0, q1, vmax, amax, jmax, times * s)
    assert slow.duration == T1 / s
    np.testing.assert_allclose(slow.position, fast.position, rtol=0, atol=1e-12)
    np.testing.assert_allclose(slow.velocity, fast.velocity * s, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(slow.acceleration, fast.acceleration * s**2, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(slow.jerk, fast.jerk * s**3, rtol=1e-12, atol=1e-15)


def test_zero_length_move_stays_put():
    q = np.array([0.3, -1.0, 2.0])
    m = sample_ptp(q, q, [1, 1, 1], [1, 1, 1], [1, 1, 1], [0.0, 0.5, 3.0])
    assert m.duration == 0.0
    assert np.array_equal(m.position, np.tile(q, (3, 1)))
    assert not (m.velocity.any() or m.acceleration.any() or m.jerk.any())
