"""Balancing is exact on small lines: every answer equals full enumeration of task->station maps."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from cyclecore.balancing import salbp1, salbp2


def random_line(rng, n):
    times = rng.integers(1, 10, size=n).astype(float)
    arcs = [(i, j) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.25]
    perm = rng.permutation(n)  # users do not number tasks in flow order
    times_p = np.empty(n)
    times_p[perm] = times
    return times_p, [(int(perm[i]), int(perm[j])) for i, j in arcs]


def all_balances(n, arcs, stations):
    """Every map task -> station in 0..stations-1 honouring precedence (independent oracle)."""
    for assign in itertools.product(range(stations), repeat=n):
        if all(assign[i] <= assign[j] for i, j in arcs):
            yield assign


def zoning_ok(assign, zoning, times=None):
    for g in zoning.get("together", []):
        if len({assign[j] for j in g}) > 1:
            return False
    for i, j in zoning.get("apart", []):
        if assign[i] == assign[j]:
            return False
    for j, s in zoning.get("fixed", {}).items():
        if assign[j] != s:
            return False
    tools = zoning.get("tools")
    if tools:
        per = {}
        for j, tool in enumerate(tools["tool"]):
            if tool is not None:
                per.setdefault(assign[j], set()).add(tool)
        if any(len(v) > tools["max_per_station"] for v in per.values()):
            return False
    return True


def brute_salbp1(times, arcs, c, zoning=None):
    """Fewest stations by trying 1, 2, ... stations with every assignment; None if none fits."""
    n = len(times)
    for k in range(1, n + 1):
        for assign in all_balances(n, arcs, k):
            loads = np.bincount(assign, weights=times, minlength=k)
            if loads.max() <= c + 1e-9 and (not zoning or zoning_ok(assign, zoning)):
                return len(set(assign))
    return None


def brute_salbp2(times, arcs, m, zoning=None):
    best = None
    for assign in all_balances(len(times), arcs, m):
        if zoning and not zoning_ok(assign, zoning):
            continue
        cyc = np.bincount(assign, weights=times, minlength=m).max()
        best = cyc if best is None else min(best, cyc)
    return best


def check_balance(b, times, arcs, c=None, m=None):
    st = b.station
    for i, j in arcs:
        assert st[i] <= st[j], f"precedence {i}->{j} broken"
    loads = np.bincount(st, weights=times)
    if c is not None:
        assert loads.max() <= c + 1e-9
        assert b.objective == len(set(st.tolist())) == st.max() + 1
    if m is not None:
        assert st.max() < m
        assert b.objective == pytest.approx(loads.max())


@pytest.mark.parametrize("seed", range(12))
def test_salbp1_matches_brute_force_on_small_random_lines(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 7))
    times, arcs = random_line(rng, n)
    c = float(times.max() + rng.integers(0, 8))
    b = salbp1(times, arcs, c)
    check_balance(b, times, arcs, c=c)
    assert b.objective == brute_salbp1(times, arcs, c)
    assert b.proven_optimal and b.lower_bound == b.objective


@pytest.mark.parametrize("seed", range(12))
def test_salbp2_matches_brute_force_on_small_random_lines(seed):
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(4, 7))
    times, arcs = random_line(rng, n)
    m = int(rng.integers(1, 4))
    b = salbp2(times, arcs, m)
    check_balance(b, times, arcs, m=m)
    assert b.objective == pytest.approx(brute_salbp2(times, arcs, m))
    assert b.proven_optimal


def test_salbp2_with_fractional_seconds_is_exact():
    times = np.array([0.1, 0.2, 0.3, 0.4, 0.25, 0.15])
    arcs = [(0, 2), (1, 3)]
    b = salbp2(times, arcs, 3)
    assert b.objective == pytest.approx(brute_salbp2(times, arcs, 3))


def test_tight_line_without_precedence_fills_every_station():
    times = np.array([4.0, 4.0, 3.0, 3.0, 3.0, 3.0, 2.0, 2.0])
    b = salbp1(times, [], 8.0)
    assert b.objective == brute_salbp1(times, [], 8.0) == 3


@pytest.mark.parametrize("seed", range(8))
def test_zoned_salbp1_matches_brute_force(seed):
    rng = np.random.default_rng(200 + seed)
    n = 6
    times, arcs = random_line(rng, n)
    c = float(times.max() + rng.integers(2, 8))
    a, b_, d = (int(v) for v in rng.choice(n, 3, replace=False))
    zoning = {"apart": [(a, b_)], "together": [[b_, d]] if rng.random() < 0.5 else [],
              "tools": {"tool": [["gun-A", "gun-B", None][int(k)] for k in rng.integers(0, 3, n)], "max_per_station": 1}}
    expected = brute_salbp1(times, arcs, c, zoning)
    if expected is None:
        with pytest.raises(ValueError, match="zoning"):
            salbp1(times, arcs, c, zoning=zoning)
        return
    got = salbp1(times, arcs, c, zoning=zoning)
    check_balance(got, times, arcs, c=c)
    assert zoning_ok(got.station.tolist(), zoning)
    assert got.objective == expected and got.proven_optimal


@pytest.mark.parametrize("seed", range(8))
def test_zoned_salbp2_matches_brute_force(seed):
    rng = np.random.default_rng(300 + seed)
    n = 6
    times, arcs = random_line(rng, n)
    m = 3
    j = int(rng.integers(0, n))
    zoning = {"fixed": {j: int(rng.integers(0, m))}, "apart": [tuple(int(v) for v in rng.choice(n, 2, replace=False))]}
    expected = brute_salbp2(times, arcs, m, zoning)
    if expected is None:
        with pytest.raises(ValueError, match="zoning"):
            salbp2(times, arcs, m, zoning=zoning)
        return
    got = salbp2(times, arcs, m, zoning=zoning)
    check_balance(got, times, arcs, m=m)
    assert zoning_ok(got.station.tolist(), zoning)
    assert got.objective == pytest.approx(expected) and got.proven_optimal


def test_same_input_gives_the_same_balance():
    rng = np.random.default_rng(7)
    times, arcs = random_line(rng, 9)
    a = salbp1(times, arcs, 12.0, node_limit=10_000)
    b = salbp1(times, arcs, 12.0, node_limit=10_000)
    assert np.array_equal(a.station, b.station) and a.to_dict() == b.to_dict()
    z = {"apart": [(0, 1)]}
    a = salbp2(times, arcs, 3, zoning=z, seed=3)
    b = salbp2(times, arcs, 3, zoning=z, seed=3)
    assert np.array_equal(a.station, b.station)
