"""Lines whose throughput is known in closed form: no failures, zero buffers, huge buffers, one station.

- No failures: the line makes one part per slowest cycle (parallel machines: m_i per cycle).
- Zero buffers, identical cycle times t, operation-dependent failures: a failure of any station
  stops the flow while it lasts and nothing else is lost, so throughput = 1 / (t + sum_i t*MTTR_i/MTBF_i).
  This is exact when failures never overlap (one station that can fail); with several, two
  repairs can overlap in rare cases, a second-order effect measured here at well under 0.5%.
  With unequal cycle times a faster station's slack absorbs part of its repairs: the
  formula with t_max is then only a bound, so it is not asserted there.
- Large buffers decouple the stations: throughput approaches min_i e_i / t_i,
  e_i = MTBF_i / (MTBF_i + MTTR_i), from below.
- One station with manual bypass (renewal-reward): per failure cycle the station works U (mean
  MTBF) automatically, is down min(R, A) and works (R - A)+ manually at the bypass cycle time, so
  throughput = (MTBF/t + E[(R - A)+]/t_manual) / (MTBF + MTTR), E[(R - A)+] = MTTR e^(-A/MTTR) for
  exponential repairs.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from cyclecore.linesim import simulate_serial


@pytest.mark.parametrize("kernel", ["max-plus", "event-loop"])
@pytest.mark.parametrize("case", range(4))
def test_line_without_failures_makes_one_part_per_slowest_cycle(kernel, case):
    rng = np.random.default_rng(case)
    stations = int(rng.integers(1, 8))
    cycle = rng.uniform(20.0, 60.0, stations)
    places = rng.integers(0, 4, stations - 1)
    hours = 10.0
    result = simulate_serial(cycle, places, np.inf, 0.0, hours, replications=2, seed=case, kernel=kernel)
    expected = hours * 3600.0 / cycle.max()
    for units in result.replication_units:
        assert abs(units - expected) <= 1.0
    slowest = int(np.argmax(cycle))
    assert result.stations[slowest].working == pytest.approx(1.0)
    for i, shares in enumerate(result.stations):
        assert shares.working == pytest.approx(cycle[i] / cycle.max(), abs=1e-3)
        assert shares.failed == 0.0 and shares.bypassed == 0.0
    assert result.bottleneck.active_period == slowest
    assert result.bottleneck.arrow == slowest
    assert result.bottleneck.momentary_share[slowest] == pytest.approx(1.0)


def test_deterministic_line_fills_the_buffer_before_its_bottleneck_and_empties_the_one_after():
    result = simulate_serial([10.0, 12.0, 8.0], [2, 3], np.inf, 0.0, 5.0, replications=1, kernel="max-plus")
    before, after = result.buffer_levels
    assert before[2] == pytest.approx(1.0)   # upstream is faster and blocked: its buffer stays full
    assert after[0] == pytest.approx(1.0)    # downstream is faster: nothing ever waits for it
    s0, s1, s2 = result.stations
    assert s0.blocked == pytest.approx(2.0 / 12.0, abs=1e-4)
    assert s2.starved == pytest.approx(4.0 / 12.0, abs=1e-4)


def test_parallel_machines_without_failures_multiply_a_stations_rate():
    cycle = np.array([20.0, 50.0, 30.0, 25.0])
    parallel = np.array([1, 3, 2, 1])
    hours = 10.0
    result = simulate_serial(cycle, [1, 2, 1], np.inf, 0.0, hours, replications=1, parallel=parallel)
    assert result.kernel == "event-loop"
    rate = (parallel / cycle).min()
    assert abs(result.units - hours * 3600.0 * rate) <= parallel.max()


@pytest.mark.parametrize("failures", ["exponential", "lognormal", "weibull"])
def test_zero_buffer_line_with_one_failing_station_matches_the_closed_form(failures):
    t = 10.0
    mtbf = np.array([np.inf, 2000.0, np.inf, np.inf])
    mttr = np.array([0.0, 200.0, 0.0, 0.0])
    expected = 3600.0 / (t + t * 200.0 / 2000.0)
    result = simulate_serial([t] * 4, [0, 0, 0], mtbf, mttr, hours=400, replications=10, seed=2, failures=failures)
    low, high = result.ci99_per_hour
    assert low <= expected <= high, (expected, result.ci99_per_hour)


@pytest.mark.parametrize("failures", ["exponential", "geometric"])
def test_zero_buffer_line_with_rare_failures_everywhere_is_close_to_the_closed_form(failures):
    t = 10.0
    mtbf = np.array([3000.0, 2000.0, 5000.0, 4000.0])
    mttr = np.array([300.0, 200.0, 100.0, 600.0])
    expected = 3600.0 / (t + np.sum(t * mttr / mtbf))
    result = simulate_serial([t] * 4, [0, 0, 0], mtbf, mttr, hours=500, replications=10, seed=4, failures=failures)
    assert result.throughput_per_hour == pytest.approx(expected, rel=0.005)


def test_large_buffers_approach_the_least_efficient_station():
    cycle = np.array([10.0, 11.0, 10.0])
    mtbf = np.array([1800.0, 3600.0, 1200.0])
    mttr = np.array([180.0, 240.0, 200.0])
    bound = 3600.0 * np.min(mtbf / (mtbf + mttr) / cycle)
    throughputs = []
    for places in (0, 10, 100, 1000):
        result = simulate_serial(cycle, [places, places], mtbf, mttr, hours=1000, replications=6, seed=8,
                                 warmup_hours=100)
        throughputs.append(result.throughput_per_hour)
        assert result.ci99_per_hour[0] <= bound
    assert throughputs == sorted(throughputs)
    assert throughputs[-1] == pytest.approx(bound, rel=0.01)
    assert throughputs[0] < 0.9 * bound


@pytest.mark.parametrize("failure_clock", ["busy", "time"])
def test_single_station_with_manual_bypass_matches_renewal_reward(failure_clock):
    cycle, manual, mtbf, mttr, after, operators = 30.0, 75.0, 4 * 3600.0, 1800.0, 600.0, 2.0
    tail = mttr * math.exp(-after / mttr)  # E[(R - A)+] for exponential repairs
    expected = 3600.0 * (mtbf / cycle + tail / manual) / (mtbf + mttr)
    result = simulate_serial([cycle], [], mtbf, mttr, hours=2000, replications=10, seed=6, failure_clock=failure_clock,
                             bypass_after_s=after, bypass_cycle_s=manual, bypass_operators=operators)
    low, high = result.ci99_per_hour
    assert low <= expected <= high, (expected, result.ci99_per_hour)
    shares = result.stations[0]
    assert shares.bypassed == pytest.approx(tail / (mtbf + mttr), rel=0.05)
    assert shares.failed == pytest.approx((mttr - tail) / (mtbf + mttr), rel=0.05)
    assert result.operator_hours[0] == pytest.approx(2000 * operators * tail / (mtbf + mttr), rel=0.05)


def test_bypass_raises_throughput_of_a_line_and_counts_operator_hours():
    # common random numbers: each station's failures and repairs come from its own streams, so the
    # two variants see the same breakdowns and the comparison is paired, replication by replication
    cycle = [30.0, 32.0, 30.0]
    common = dict(hours=200, replications=6, seed=1, failure_clock="busy")
    without = simulate_serial(cycle, [2, 2], 3 * 3600.0, 3600.0, **common)
    never = simulate_serial(cycle, [2, 2], 3 * 3600.0, 3600.0, bypass_after_s=[2.5e6, np.nan, 2.5e6],
                            bypass_cycle_s=[90.0, np.nan, 90.0], bypass_operators=[3, 0, 3], **common)
    with_bypass = simulate_serial(cycle, [2, 2], 3 * 3600.0, 3600.0, bypass_after_s=[900.0, np.nan, 900.0],
                                  bypass_cycle_s=[90.0, np.nan, 90.0], bypass_operators=[3, 0, 3], **common)
    assert with_bypass.kernel == "event-loop" and without.kernel == "max-plus"
    assert never.replication_units == without.replication_units  # a bypass that never starts changes nothing
    gains = np.subtract(with_bypass.replication_units, without.replication_units)
    assert (gains > 0).all()
    assert with_bypass.operator_hours[1] == 0.0 and with_bypass.stations[1].bypassed == 0.0
    assert with_bypass.operator_hours[0] > 0.0 and with_bypass.stations[0].bypassed > 0.0


@pytest.mark.parametrize("failure_clock", ["busy", "time"])
def test_parallel_machines_that_fail_independently_give_machines_times_availability(failure_clock):
    machines, cycle, mtbf, mttr = 3, 40.0, 2 * 3600.0, 900.0
    expected = 3600.0 * machines * mtbf / (mtbf + mttr) / cycle
    result = simulate_serial([cycle], [], mtbf, mttr, hours=1000, replications=10, seed=9, parallel=[machines],
                             failure_clock=failure_clock)
    low, high = result.ci99_per_hour
    assert low <= expected <= high, (expected, result.ci99_per_hour)


def test_time_dependent_failures_cost_more_than_operation_dependent_ones_on_a_starved_station():
    # station 1 is much faster than station 0, so it waits most of the time: with the busy clock it
    # rarely fails, with the time clock it fails as often as if it were always working
    kwargs = dict(hours=300, replications=8, seed=3, failures="exponential")
    busy = simulate_serial([30.0, 10.0], [1], [np.inf, 3600.0], [0.0, 1800.0], failure_clock="busy", **kwargs)
    time = simulate_serial([30.0, 10.0], [1], [np.inf, 3600.0], [0.0, 1800.0], failure_clock="time", **kwargs)
    assert time.ci99_per_hour[1] < busy.ci99_per_hour[0]
    # time clock: station 1 down 1/3 of the time; busy clock: only per busy hour
    assert time.stations[1].failed == pytest.approx(1800.0 / 5400.0, rel=0.1)
