"""Motion-time speed: cyclecore's closed-form PTP kernel against Ruckig, in the same run.

One Ruckig call serves every row (:func:`ruckig_durations`), its fastest honest use from Python:
one Ruckig, InputParameter and Trajectory reused for all moves, limits set once, positions given
as Python lists (pybind11 converts a list to Ruckig's std::array about 1.7x faster than a NumPy
row; the one ``tolist()`` per batch is timed with it), one ``calculate`` per move.

group "ptp-6axis": durations of random 6-axis rest-to-rest moves of a bundled robot model
(jerk-limited), one thread: cyclecore's public ``ptp_duration`` on the whole batch in one call,
argument checks included; Ruckig per move. Per-move time = median / extra_info["items"].

group "ptp-6axis-vector-path": the kernel alone (``_core.ptp_durations``) on the same moves, on
the path this CPU takes (AVX2, four moves at a time, where the CPU has it) against the SSE2 path
(two moves at a time: the kernel before AVX2, and still the path of CPUs without it). Both give
the same bits (tests/test_motion_simd.py); the ratio is the vectorization's speed-up.

group "move-time-matrix": the 2,000 x 2,000 matrix of PTP durations between configurations (what
the task sequencer asks for). The matrix is symmetric, so either side needs each distinct pair
once: items are the n (n - 1) / 2 distinct pairs for cyclecore, and Ruckig times a sample of
distinct pairs with the same call as in "ptp-6axis".
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest
import yaml
from ruckig import InputParameter, Ruckig, Trajectory

from cyclecore import _core
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


def ruckig_durations(q0, q1, vmax, amax, jmax):
    """Ruckig's time-optimal duration of each move q0[k] -> q1[k]: the one peer call of every row."""
    otg, inp, traj = Ruckig(6), InputParameter(6), Trajectory(6)
    inp.max_velocity, inp.max_acceleration, inp.max_jerk = vmax.tolist(), amax.tolist(), jmax.tolist()
    calculate = otg.calculate
    out = []
    for start, target in zip(q0.tolist(), q1.tolist()):
        inp.current_position = start
        inp.target_position = target
        calculate(inp, traj)
        out.append(traj.duration)
    return np.array(out)


def test_ptp_6axis_cyclecore(benchmark, robot, moves):
    (vmax, amax, jmax), _ = robot
    q0, q1 = moves
    benchmark.group = "ptp-6axis"
    benchmark.extra_info.update(role="cyclecore", items=N_OURS)
    out = benchmark.pedantic(ptp_duration, args=(q0, q1, vmax, amax, jmax), rounds=15,
                             warmup_rounds=1)
    # Same answers as the peer on the peer's moves (the speed claim is for correct results).
    reference = ruckig_durations(q0[:N_PEER], q1[:N_PEER], vmax, amax, jmax)
    assert np.allclose(out[:N_PEER], reference, rtol=1e-9, atol=0)


def test_ptp_6axis_ruckig(benchmark, robot, moves):
    (vmax, amax, jmax), _ = robot
    q0, q1 = moves
    benchmark.group = "ptp-6axis"
    benchmark.extra_info.update(role="peer", items=N_PEER)
    benchmark.pedantic(ruckig_durations, args=(q0[:N_PEER], q1[:N_PEER], vmax, amax, jmax),
                       rounds=5, warmup_rounds=1)


def _kernel(q0, q1, limits, isa):
    return _core.ptp_durations(q0, q1, *(x[None, :] for x in limits), 1.0, isa=isa)[0]


def test_ptp_6axis_kernel_fastest_path(benchmark, robot, moves):
    limits, _ = robot
    benchmark.group = "ptp-6axis-vector-path"
    benchmark.extra_info.update(role="cyclecore", items=N_OURS, path=_core.best_isa())
    out = benchmark.pedantic(_kernel, args=(*moves, limits, "auto"), rounds=15, warmup_rounds=1)
    assert np.array_equal(out, _kernel(*moves, limits, "sse2"))  # the same bits on both paths


def test_ptp_6axis_kernel_sse2_path(benchmark, robot, moves):
    limits, _ = robot
    benchmark.group = "ptp-6axis-vector-path"
    benchmark.extra_info.update(role="peer", items=N_OURS, path="sse2 (the kernel before AVX2)")
    benchmark.pedantic(_kernel, args=(*moves, limits, "sse2"), rounds=15, warmup_rounds=1)


DISTINCT_PAIRS = N_CONFIGS * (N_CONFIGS - 1) // 2


def test_move_time_matrix_cyclecore(benchmark, robot, moves):
    (vmax, amax, jmax), _ = robot
    configs = moves[0][:N_CONFIGS]
    benchmark.group = "move-time-matrix"
    benchmark.extra_info.update(role="cyclecore", items=DISTINCT_PAIRS, configs=N_CONFIGS,
                                unit="distinct pair")
    m = benchmark.pedantic(move_time_matrix, args=(configs, vmax, amax, jmax), rounds=5,
                           warmup_rounds=1)
    assert m.shape == (N_CONFIGS, N_CONFIGS)
    i, j = _sampled_pairs()
    assert np.allclose(m[i, j], ruckig_durations(configs[i], configs[j], vmax, amax, jmax),
                       rtol=1e-9, atol=0)


def _sampled_pairs():
    """N_PEER distinct pairs i < j of the configurations, drawn uniformly."""
    rng = np.random.default_rng(7)
    i, j = rng.integers(0, N_CONFIGS, (2, 4 * N_PEER))
    keep = i < j
    return i[keep][:N_PEER], j[keep][:N_PEER]


def test_move_time_matrix_ruckig_pairs(benchmark, robot, moves):
    (vmax, amax, jmax), _ = robot
    configs = moves[0][:N_CONFIGS]
    i, j = _sampled_pairs()
    assert len(i) == N_PEER
    benchmark.group = "move-time-matrix"
    benchmark.extra_info.update(role="peer", items=N_PEER, unit="distinct pair (sampled)")
    benchmark.pedantic(ruckig_durations, args=(configs[i], configs[j], vmax, amax, jmax), rounds=5,
                       warmup_rounds=1)
