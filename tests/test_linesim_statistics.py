"""Confidence intervals and the two bottleneck methods, each against an independent reference."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from cyclecore.linesim.bottleneck import arrow_method
from cyclecore.linesim.confidence import mean_interval, t_quantile
from cyclecore.linesim.timeline import (
    BOTTLENECK_S, KNOWN, advance_bottleneck, mark_active, mark_waiting, new_timeline, settled_until,
)


@pytest.mark.parametrize("dof", [1, 2, 3, 4, 7, 9, 10, 29, 30, 101])
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_student_t_quantile_matches_scipy(level, dof):
    assert t_quantile(level, dof) == pytest.approx(stats.t.ppf(0.5 + level / 2, dof), rel=1e-12)


def test_mean_interval_matches_scipy():
    x = np.random.default_rng(0).normal(10.0, 2.0, 12)
    low, high = mean_interval(x, 0.99)
    ref = stats.t.interval(0.99, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert (low, high) == pytest.approx(ref, rel=1e-12)
    assert mean_interval([3.0], 0.95) is None


def test_arrow_method_finds_the_station_both_arrows_point_at():
    # Li & Meerkov's rule: arrow i -> i+1 when BL_i > ST_{i+1}; station 2 is blocked rarely and
    # its neighbours are blocked (upstream) / starved (downstream) often
    blocked = np.array([0.30, 0.25, 0.02, 0.01, 0.0])
    starved = np.array([0.0, 0.01, 0.03, 0.20, 0.28])
    primary, arrows, severity = arrow_method(blocked, starved)
    assert arrows == ">><<"
    assert primary == 2
    assert severity[2] == pytest.approx(abs(0.20 - 0.02) + abs(0.25 - 0.03))
    # two local bottlenecks, the first and the last station: the more severe one is primary
    blocked = np.array([0.05, 0.0, 0.30, 0.02])
    starved = np.array([0.0, 0.10, 0.01, 0.10])
    primary, arrows, severity = arrow_method(blocked, starved)
    assert arrows == "<<>"
    assert severity == pytest.approx((0.05, 0.0, 0.0, 0.20))
    assert primary == 3


def _brute_force_momentary(periods, stations, t0, t1, step=0.01):
    """Bottleneck on a fine grid: the station whose covering active period is longest."""
    share = np.zeros(stations)
    for t in np.arange(t0 + step / 2, t1, step):
        best, best_length = -1, -1.0
        for i in range(stations):
            for start, end in periods[i]:
                if start <= t < end and end - start > best_length:
                    best, best_length = i, end - start
        if best >= 0:
            share[best] += step
    return share


@pytest.mark.parametrize("seed", range(5))
def test_momentary_bottleneck_sweep_matches_brute_force_on_random_periods(seed):
    rng = np.random.default_rng(seed)
    stations, t0, t1 = 4, 2.0, 60.0
    periods = []
    for _ in range(stations):
        edges = np.cumsum(rng.uniform(0.3, 3.0, size=60))  # continuous: no ties in period length
        edges = edges[edges < 70.0]
        periods.append([(a, b) for a, b in zip(edges[0::2], edges[1::2])])
    clock, station = new_timeline(stations, np.zeros(stations - 1, dtype=np.int64), t0, t1)
    # feed the station timelines in time order, sweeping now and then as the kernels do
    events = sorted((t, i, kind) for i in range(stations) for a, b in periods[i] for t, kind in ((a, 1), (b, 0)))
    for k, (t, i, kind) in enumerate(events):
        if kind == 1:
            mark_active(station, i, t, t1)
        else:
            mark_waiting(station, i, t, t0, t1)
        station[:, KNOWN] = t
        if k % 7 == 0:
            advance_bottleneck(clock, station, settled_until(station, t1))
    for i in range(stations):
        mark_waiting(station, i, t1, t0, t1)
    station[:, KNOWN] = t1
    advance_bottleneck(clock, station, t1)
    clipped = [[(max(a, 0.0), min(b, t1)) for a, b in p if a < t1] for p in periods]
    expected = _brute_force_momentary(clipped, stations, t0, t1)
    np.testing.assert_allclose(station[:, BOTTLENECK_S], expected, atol=0.011 * 4)


def _event_by_event_momentary(periods, stations, t0, t1):
    """The momentary bottleneck as documented, one event at a time: starts and ends in (time,
    station) order; a strictly longer period takes over when it starts; when the bottleneck's
    period ends, the longest covering period takes over, the lowest station among equals."""
    events = sorted((t, i, kind, a, b) for i in range(stations) for a, b in periods[i]
                    for t, kind in ((a, 1), (b, 0)))
    share = np.zeros(stations)
    covering = {}
    best, best_length, now = -1, -1.0, 0.0
    for t, i, kind, a, b in events:
        if best >= 0:
            share[best] += max(0.0, min(t, t1) - max(now, t0))
        now = t
        if kind == 1:
            covering[i] = b - a
            if b - a > best_length:
                best, best_length = i, b - a
        else:
            del covering[i]
            if i == best:
                best, best_length = -1, -1.0
                for j in sorted(covering):
                    if covering[j] > best_length:
                        best, best_length = j, covering[j]
    return share


@pytest.mark.parametrize("seed", range(6))
def test_lazy_sweep_keeps_the_documented_tie_rules_on_whole_second_periods(seed):
    # whole-second periods: equal lengths and simultaneous starts and ends everywhere, the cases
    # where the order of events decides (a deterministic line is full of them)
    rng = np.random.default_rng(100 + seed)
    stations, t0, t1 = 5, 3.0, 200.0
    periods = []
    for _ in range(stations):
        edges = np.cumsum(rng.integers(1, 4, size=160)).astype(float)
        edges = edges[edges < 220.0]
        periods.append([(a, b) for a, b in zip(edges[0::2], edges[1::2])])
    clock, station = new_timeline(stations, np.zeros(stations - 1, dtype=np.int64), t0, t1)
    events = sorted((t, kind, i) for i in range(stations) for a, b in periods[i] for t, kind in ((a, 1), (b, 0)))
    for k, (t, kind, i) in enumerate(events):
        if t > t1:
            break
        if kind == 1:
            mark_active(station, i, t, t1)
        else:
            mark_waiting(station, i, t, t0, t1)
        station[:, KNOWN] = t
        if k % 5 == 0:
            advance_bottleneck(clock, station, settled_until(station, t1))
    for i in range(stations):
        mark_waiting(station, i, t1, t0, t1)
    station[:, KNOWN] = t1
    advance_bottleneck(clock, station, t1)
    clipped = [[(a, min(b, t1)) for a, b in p if a < t1] for p in periods]
    expected = _event_by_event_momentary(clipped, stations, t0, t1)
    np.testing.assert_array_equal(station[:, BOTTLENECK_S], expected)
