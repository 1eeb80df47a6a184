"""The vector paths of the PTP kernel (AVX2 four moves at a time, SSE2 two) give exactly the bits
of the plain scalar loop, on every kind of move: long and short, still axes, case-3 axes that
decide the maximum, non-finite values, and batch sizes that leave a tail.

The scalar loop is the oracle here (it is itself checked against Ruckig in
test_motion_ptp_vs_ruckig.py); the speed of the vector paths is shown in benchmarks/bench_motion.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from cyclecore import _core

DOF = 6
VECTOR_PATHS = [isa for isa in ("sse2", "avx2") if _core.isa_available(isa)]


def bits(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x).view(np.uint64)


def durations(q0, q1, v, a, j, s=1.0, isa="auto"):
    out, in_range = _core.ptp_durations(q0, q1, v, a, j, s, isa=isa)
    assert in_range  # no bound given: every finite value is in range
    return out


def limits(rng, infinite_jerk=False):
    """One shared limit set spread over orders of magnitude, as (1, 6) blocks for the kernel."""
    v = 10.0 ** rng.uniform(-2.0, 1.0, (1, DOF))
    a = 10.0 ** rng.uniform(-2.0, 2.0, (1, DOF))
    j = np.full((1, DOF), np.inf) if infinite_jerk else 10.0 ** rng.uniform(-2.0, 3.0, (1, DOF))
    return v, a, j


def moves(rng, n):
    """Moves from 1e-9 to 10 rad per axis, about 20% of axes still, some -0.0 steps."""
    q0 = rng.uniform(-3.0, 3.0, (n, DOF))
    step = 10.0 ** rng.uniform(-9.0, 1.0, (n, DOF)) * rng.choice([-1.0, 1.0], (n, DOF))
    still = rng.random((n, DOF)) < 0.2
    return q0, q0 + np.where(still, 0.0, step)


@pytest.mark.skipif(not VECTOR_PATHS, reason="no vector path on this CPU")
@pytest.mark.parametrize("isa", VECTOR_PATHS)
@pytest.mark.parametrize("infinite_jerk", [False, True], ids=["jerk-limited", "trapezoid"])
def test_vector_path_durations_are_bit_identical_to_the_scalar_loop(isa, infinite_jerk):
    rng = np.random.default_rng(12 + infinite_jerk)
    for _ in range(30):
        v, a, j = limits(rng, infinite_jerk)
        q0, q1 = moves(rng, 1_003)  # not a multiple of 4 or 2: the tail runs too
        for s in (1.0, 0.37):
            scalar = durations(q0, q1, v, a, j, s, isa="scalar")
            assert np.array_equal(bits(durations(q0, q1, v, a, j, s, isa=isa)), bits(scalar))


@pytest.mark.skipif(not VECTOR_PATHS, reason="no vector path on this CPU")
@pytest.mark.parametrize("isa", VECTOR_PATHS)
def test_a_short_axis_that_decides_the_move_is_evaluated_exactly_in_every_lane(isa):
    # All axes short (case 3, a cube root): the slowest is found by the exact fallback, lane by
    # lane; moves mixed with long ones so that only some lanes of a vector take it.
    rng = np.random.default_rng(3)
    v, a, j = np.full((1, DOF), 2.0), np.full((1, DOF), 5.0), np.full((1, DOF), 25.0)
    q0 = rng.uniform(-1, 1, (4_001, DOF))
    short = rng.random(4_001) < 0.5
    step = np.where(short[:, None], rng.uniform(-1e-3, 1e-3, (4_001, DOF)), rng.uniform(-2, 2, (4_001, DOF)))
    q1 = q0 + step
    scalar = durations(q0, q1, v, a, j, 1.0, isa="scalar")
    assert np.array_equal(bits(durations(q0, q1, v, a, j, 1.0, isa=isa)), bits(scalar))
    # Exactly the closed form of case 3 for the slowest axis of a short move: 4 cbrt(d / 2j).
    k = int(np.flatnonzero(short)[0])
    expected = max(4.0 * np.cbrt(abs(q1[k, i] - q0[k, i]) / (2 * 25.0)) for i in range(DOF))
    assert scalar[k] == pytest.approx(expected, rel=1e-15)


@pytest.mark.skipif(not VECTOR_PATHS, reason="no vector path on this CPU")
@pytest.mark.parametrize("isa", VECTOR_PATHS)
def test_non_finite_joint_values_give_nan_in_their_own_lane_only(isa):
    rng = np.random.default_rng(4)
    v, a, j = limits(rng)
    q0, q1 = moves(rng, 23)
    q1[5, 2], q0[6, 0], q1[7, 5], q0[22, 4] = np.nan, np.inf, -np.inf, np.nan
    out, in_range = _core.ptp_durations(q0, q1, v, a, j, 1.0, isa=isa)
    assert np.flatnonzero(np.isnan(out)).tolist() == [5, 6, 7, 22]
    assert not in_range
    assert np.array_equal(bits(out), bits(_core.ptp_durations(q0, q1, v, a, j, 1.0, isa="scalar")[0]))


@pytest.mark.parametrize("isa", ["scalar"] + VECTOR_PATHS)
def test_the_kernel_reports_a_joint_value_beyond_the_bound_wherever_it_sits(isa):
    # The range check rides along with the kernel's own pass over the values (the wrapper then
    # names the entry): each position of a batch of 11 (vector body and tail), either array, and
    # either sign; a value exactly on the bound is inside.
    rng = np.random.default_rng(8)
    v, a, j = limits(rng)
    q0, q1 = moves(rng, 11)
    bound = 100.0
    assert _core.ptp_durations(q0, q1, v, a, j, 1.0, isa=isa, q_bound=bound)[1]
    for k in range(11):
        for i in range(DOF):
            for which, value in ((0, bound), (1, -bound), (0, np.nextafter(bound, 200.0)),
                                 (1, -np.nextafter(bound, 200.0)), (0, np.inf), (1, np.nan)):
                arrays = [q0.copy(), q1.copy()]
                arrays[which][k, i] = value
                inside = abs(value) <= bound
                assert _core.ptp_durations(*arrays, v, a, j, 1.0, isa=isa, q_bound=bound)[1] == inside


@pytest.mark.skipif(not VECTOR_PATHS, reason="no vector path on this CPU")
@pytest.mark.parametrize("isa", VECTOR_PATHS)
def test_every_batch_size_up_to_twelve_moves_matches_the_scalar_loop(isa):
    rng = np.random.default_rng(5)
    v, a, j = limits(rng)
    for n in range(13):
        q0, q1 = moves(rng, n)
        scalar = durations(q0, q1, v, a, j, 1.0, isa="scalar")
        assert np.array_equal(bits(durations(q0, q1, v, a, j, 1.0, isa=isa)), bits(scalar))


@pytest.mark.skipif(not VECTOR_PATHS, reason="no vector path on this CPU")
@pytest.mark.parametrize("isa", VECTOR_PATHS)
def test_move_time_matrix_vector_path_is_bit_identical_for_every_size(isa):
    rng = np.random.default_rng(6)
    for n in list(range(1, 12)) + [97]:
        v, a, j = limits(rng)
        configs = moves(rng, n)[1]
        for s in (1.0, 0.8):
            scalar = _core.move_time_matrix(configs, v, a, j, s, isa="scalar")
            assert np.array_equal(bits(_core.move_time_matrix(configs, v, a, j, s, isa=isa)), bits(scalar))
            # and each entry is the move's own duration from the batched kernel
            i, k = np.triu_indices(n, 1)
            pairs = durations(configs[i], configs[k], v, a, j, s, isa="scalar")
            assert np.array_equal(scalar[i, k], pairs) and np.array_equal(scalar[k, i], pairs)


@pytest.mark.skipif(not sys.platform.startswith("linux") or not Path("/proc/cpuinfo").exists(),
                    reason="reads the CPU flags from /proc/cpuinfo")
def test_the_fastest_path_the_cpu_has_is_taken_by_default():
    flags = Path("/proc/cpuinfo").read_text().split()
    assert _core.best_isa() == ("avx2" if "avx2" in flags else "sse2")


def test_an_unknown_path_is_refused_by_name():
    with pytest.raises(ValueError, match="isa: got 'avx9'"):
        _core.ptp_durations(np.zeros((1, DOF)), np.ones((1, DOF)), *(np.ones((1, DOF)),) * 3, 1.0,
                            isa="avx9")
