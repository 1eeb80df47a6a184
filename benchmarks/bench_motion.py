"""Motion-time speed: cyclecore's closed-form PTP kernel against Ruckig, in the same run.

group "ptp-6axis": durations of random 6-axis rest-to-rest moves of a bundled robot model
(jerk-limited), one thread. Ruckig (peer) is called per move from Python, as a user would;
cyclecore gets the whole batch in one call. Per-move time = median / extra_info["items"].

group "move-time-matrix": the full 2,000 x 2,000 matrix of PTP durations between configurations
(what the task sequencer asks for); the peer is Ruckig on a sample of the pairs.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest
import yaml
from ruckig import InputParameter, Ruckig, Trajectory

from cyclecore.robot.motion import move_time_matrix, ptp_duration

MODEL = "KR210-R3100-2"
N_OURS = 200_000
N_PEER = 2_000
N_CONFIGS = 2_000


@pytest.fixture(scope="module")
def robot():
    text = resources.files("cyclecore").joinpath("data/robot_models.yaml").read_text()
    spec = yaml.safe_load(text)[MODEL]
    limits = tuple(np.radians(spec[k]) for k in
                   ("max_velocity_deg_s", "max_acceleration_deg_s2", "max_jerk_deg_s3"))
    bounds = np.radians(spec["joint_min_deg"]), np.radians(spec["joint_max_deg"])
    return limits, bounds


@pytest.fixture(scope="module")
def moves(robot):
    _, (lo, hi) = robot
    rng = np.random.default_rng(2026)
    return rng.uniform(lo, hi, (N_OURS, 6)), rng.uniform(lo, hi, (N_OURS, 6))


def ruckig_loop(q0, q1, vmax, amax, jmax):
    otg, inp, traj = Ruckig(6), InputParameter(6), Trajectory(6)
    inp.max_velocity, inp.max_acceleration, inp.max_jerk = vmax, amax, jmax
    out = np.empty(len(q0))
    for k in range(len(q0)):
        inp.current_position = q0[k]
        inp.target_position = q1[k]
        otg.calculate(inp, traj)
        out[k] = traj.duration
    return out


def test_ptp_6axis_cyclecore(benchmark, robot, moves):
    (vmax, amax, jmax), _ = robot
    q0, q1 = moves
    benchmark.group = "ptp-6axis"
    benchmark.extra_info.update(role="cyclecore", items=N_OURS)
    out = benchmark.pedantic(ptp_duration, args=(q0, q1, vmax, amax, jmax), rounds=15,
                             warmup_rounds=1)
    # Same answers as the peer on the peer's moves (the speed claim is for correct results).
    reference = ruckig_loop(q0[:200], q1[:200], vmax, amax, jmax)
    assert np.allclose(out[:200], reference, rtol=1e-9, atol=0)


def test_ptp_6axis_ruckig(benchmark, robot, moves):
    (vmax, amax, jmax), _ = robot
    q0, q1 = moves
    benchmark.group = "ptp-6axis"
    benchmark.extra_info.update(role="peer", items=N_PEER)
    benchmark.pedantic(ruckig_loop, args=(q0[:N_PEER], q1[:N_PEER], vmax, amax, jmax),
                       rounds=5, warmup_rounds=1)


def test_move_time_matrix_cyclecore(benchmark, robot, moves):
    (vmax, amax, jmax), _ = robot
    configs = moves[0][:N_CONFIGS]
    benchmark.group = "move-time-matrix"
    benchmark.extra_info.update(role="cyclecore", items=N_CONFIGS * N_CONFIGS,
                                configs=N_CONFIGS)
    m = benchmark.pedantic(move_time_matrix, args=(configs, vmax, amax, jmax), rounds=5,
                           warmup_rounds=1)
    assert m.shape == (N_CONFIGS, N_CONFIGS)


def test_move_time_matrix_ruckig_pairs(benchmark, robot, moves):
    (vmax, amax, jmax), _ = robot
    configs = moves[0][:N_CONFIGS]
    rng = np.random.default_rng(7)
    i, j = rng.integers(0, N_CONFIGS, (2, N_PEER))
    benchmark.group = "move-time-matrix"
    benchmark.extra_info.update(role="peer", items=N_PEER, note="sampled pairs")
    benchmark.pedantic(ruckig_loop, args=(configs[i], configs[j], vmax, amax, jmax), rounds=3,
                       warmup_rounds=1)
