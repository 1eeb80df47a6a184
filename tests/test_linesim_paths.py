"""The two kernels, seeds and scheduling: same input and seed, same numbers, bit for bit.

The max-plus recursion and the event loop draw from the same per-station streams in the same
order and do the same arithmetic, so where both apply (busy-clock failures, one machine per
station, no bypass) they must give the same sample path, not just the same averages.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from cyclecore.linesim import simulate_serial


def _line(seed, stations=6):
    rng = np.random.default_rng(seed)
    return dict(
        cycle_s=rng.uniform(40.0, 60.0, stations),
        buffer_places=rng.integers(0, 5, stations - 1),
        mtbf_s=rng.uniform(1.0, 6.0, stations) * 3600.0,
        mttr_s=rng.uniform(3.0, 40.0, stations) * 60.0,
    )


@pytest.mark.parametrize("failures", ["exponential", "weibull", "lognormal", "geometric"])
@pytest.mark.parametrize("processing", ["deterministic", "exponential"])
def test_max_plus_and_event_loop_follow_the_same_sample_path(failures, processing):
    line = _line(len(failures) * 10 + len(processing))
    kwargs = dict(hours=50, replications=3, seed=7, failures=failures, processing=processing)
    fast = simulate_serial(**line, **kwargs, kernel="max-plus")
    general = simulate_serial(**line, **kwargs, kernel="event-loop")
    assert fast.replication_units == general.replication_units
    assert fast.parts_simulated == general.parts_simulated
    for a, b in zip(fast.stations, general.stations):
        for field in ("working", "blocked", "starved", "failed", "bypassed"):
            assert getattr(a, field) == pytest.approx(getattr(b, field), abs=1e-12)
    np.testing.assert_allclose(fast.bottleneck.momentary_share, general.bottleneck.momentary_share, atol=1e-12)
    np.testing.assert_allclose(fast.bottleneck.mean_active_period_s, general.bottleneck.mean_active_period_s,
                               rtol=1e-12)
    for a, b in zip(fast.buffer_levels, general.buffer_levels):
        np.testing.assert_allclose(a, b, atol=1e-12)


def test_shares_and_buffer_levels_are_complete():
    result = simulate_serial(**_line(3), hours=50, replications=2, seed=1)
    for shares in result.stations:
        total = shares.working + shares.blocked + shares.starved + shares.failed + shares.bypassed
        assert total == pytest.approx(1.0, abs=1e-9)
    for levels in result.buffer_levels:
        assert sum(levels) == pytest.approx(1.0, abs=1e-9)
    assert sum(result.bottleneck.momentary_share) == pytest.approx(1.0, abs=1e-9)
    assert result.bottleneck_approximations == 0


def test_same_seed_gives_identical_results_and_another_seed_does_not():
    line = _line(5)
    a = simulate_serial(**line, hours=20, replications=3, seed=42)
    b = simulate_serial(**line, hours=20, replications=3, seed=42)
    c = simulate_serial(**line, hours=20, replications=3, seed=43)
    assert a.to_dict() == b.to_dict()
    assert a.replication_units != c.replication_units


@pytest.mark.parametrize("kernel", ["max-plus", "event-loop"])
def test_replications_are_identical_whichever_worker_runs_them(kernel):
    line = _line(9)
    alone = simulate_serial(**line, hours=20, replications=4, seed=3, kernel=kernel)
    with ThreadPoolExecutor(max_workers=2) as pool:
        spread = simulate_serial(**line, hours=20, replications=4, seed=3, kernel=kernel, executor=pool)
    assert spread.to_dict() == alone.to_dict()
    # a replication depends only on (seed, index): the first two of four are the two of two
    fewer = simulate_serial(**line, hours=20, replications=2, seed=3, kernel=kernel)
    assert fewer.replication_units == alone.replication_units[:2]


def test_common_random_numbers_make_a_change_at_one_station_a_paired_comparison():
    # speeding up station 2 must not reshuffle the breakdowns of the other stations: with one
    # stream per station the failure histories of the unchanged stations are the same
    line = _line(11)
    faster = dict(line, cycle_s=line["cycle_s"] * np.where(np.arange(6) == 2, 0.8, 1.0))
    base = simulate_serial(**line, hours=100, replications=8, seed=2)
    changed = simulate_serial(**faster, hours=100, replications=8, seed=2)
    paired = np.subtract(changed.replication_throughput_per_hour, base.replication_throughput_per_hour)
    spread_between_replications = np.std(base.replication_throughput_per_hour)
    assert np.std(paired) < 0.5 * spread_between_replications


def test_result_serialises_to_json_and_prints_readably():
    result = simulate_serial(**_line(1, stations=3), hours=5, replications=2, seed=0)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["throughput_per_hour"] == result.throughput_per_hour
    assert len(data["stations"]) == 3 and set(data["stations"][0]) == {"working", "blocked", "starved", "failed",
                                                                        "bypassed"}
    text = str(result)
    assert "units/h" in text and "bottleneck" in text and "99% CI" in text


def test_single_replication_has_no_confidence_interval():
    result = simulate_serial(**_line(1, stations=3), hours=5, replications=1, seed=0)
    assert result.ci95_per_hour is None and result.ci99_per_hour is None
    assert "CI" not in str(result)


@pytest.mark.parametrize("kernel", ["max-plus", "event-loop"])
def test_memory_does_not_grow_with_the_number_of_parts(kernel):
    # every array the kernels allocate is counted by Numba's runtime: a run 100x longer makes
    # exactly as many allocations (rolling arrays, no per-part storage)
    from numba.core.runtime import _nrt_python, rtsys

    line = _line(2)
    simulate_serial(**line, hours=1.0, replications=1, kernel=kernel)  # compile / load the cache first
    was_enabled = _nrt_python.memsys_stats_enabled()
    _nrt_python.memsys_enable_stats()
    try:
        counts = []
        for hours in (1.0, 100.0):
            before = rtsys.get_allocation_stats()
            result = simulate_serial(**line, hours=hours, replications=1, kernel=kernel)
            after = rtsys.get_allocation_stats()
            counts.append((after.alloc - before.alloc, result.parts_simulated))
    finally:
        if not was_enabled:
            _nrt_python.memsys_disable_stats()
    (short_allocs, short_parts), (long_allocs, long_parts) = counts
    assert long_parts > 50 * short_parts
    assert long_allocs == short_allocs
