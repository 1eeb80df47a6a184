"""Random streams and durations: the generator is xoshiro256**, every distribution has the mean
it is given, and the shapes are the named distributions (checked against SciPy)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numba import njit
from scipy import stats

from cyclecore.linesim.durations import (
    DISTRIBUTIONS, EXPONENTIAL, GEOMETRIC, LOGNORMAL, WEIBULL, distribution_parameters, sample,
)
from cyclecore.linesim.random_streams import next_u64, station_streams

MASK = (1 << 64) - 1


def _xoshiro256ss_reference(state):
    """Blackman & Vigna's reference algorithm in plain Python integers."""
    s = [int(x) for x in state]

    def rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK

    while True:
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        yield result


def test_generator_is_xoshiro256_starstar():
    states = station_streams(seed=3, replication=1, stations=2)
    reference = _xoshiro256ss_reference(states[1, 2].copy())
    for _ in range(1000):
        assert int(next_u64(states, 1, 2)) == next(reference)


def test_streams_depend_only_on_seed_replication_station_and_purpose():
    a = station_streams(seed=7, replication=4, stations=5)
    b = station_streams(seed=7, replication=4, stations=3)
    np.testing.assert_array_equal(a[:3], b)  # adding stations does not move the others' streams
    assert len({tuple(row) for row in a.reshape(-1, 4)}) == 15  # all different
    assert not np.array_equal(a, station_streams(seed=7, replication=5, stations=5))


@njit(cache=True)
def _draws(states, kind, a, b, mean, count):
    out = np.empty(count)
    for k in range(count):
        out[k] = sample(states, 0, 0, kind, a, b, mean)
    return out


def _samples(name, mean, count=200_000, cycle=1.0, shape=1.5, sigma=0.5):
    kind = DISTRIBUTIONS[name]
    a, b, m = distribution_parameters(kind, np.array([mean]), np.array([cycle]), shape, sigma)[0]
    return _draws(station_streams(1, 0, 1), kind, a, b, m, count)


@pytest.mark.parametrize("name, reference", [
    ("exponential", stats.expon(scale=600.0)),
    ("weibull", stats.weibull_min(1.5, scale=600.0 / math.gamma(1 + 1 / 1.5))),
    ("lognormal", stats.lognorm(0.5, scale=600.0 * math.exp(-0.5 * 0.5**2))),
])
def test_continuous_durations_have_the_given_mean_and_the_named_shape(name, reference):
    x = _samples(name, 600.0)
    assert reference.mean() == pytest.approx(600.0)
    assert x.mean() == pytest.approx(600.0, rel=0.01)
    assert stats.kstest(x[:20_000], reference.cdf).pvalue > 0.01


def test_geometric_repairs_last_whole_cycles_with_mean_mttr():
    cycle, mttr = 2.0, 20.0
    x = _samples("geometric", mttr, cycle=cycle)
    cycles = x / cycle
    np.testing.assert_array_equal(cycles, np.round(cycles))
    assert cycles.min() == 1.0
    assert x.mean() == pytest.approx(mttr, rel=0.01)
    r = cycle / mttr
    for g in (1, 2, 5):
        assert np.mean(cycles == g) == pytest.approx(r * (1 - r) ** (g - 1), abs=0.005)


def test_infinite_mean_is_never_and_zero_mean_is_instantaneous():
    for kind in (EXPONENTIAL, WEIBULL, LOGNORMAL, GEOMETRIC):
        states = station_streams(0, 0, 1)
        assert sample(states, 0, 0, kind, 0.0, 0.0, np.inf) == np.inf
        assert sample(states, 0, 0, kind, 0.0, 0.0, 0.0) == 0.0
