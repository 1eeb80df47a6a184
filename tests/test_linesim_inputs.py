"""Bad input to simulate_serial raises ValueError naming the parameter and what was expected."""

from __future__ import annotations

import numpy as np
import pytest

from cyclecore.linesim import simulate_serial

GOOD = dict(cycle_s=[10.0, 12.0, 11.0], buffer_places=[2, 1], mtbf_s=[3600.0, 7200.0, np.inf],
            mttr_s=[300.0, 600.0, 0.0], hours=1.0, replications=2)


def _call(**changes):
    return simulate_serial(**{**GOOD, **changes})


@pytest.mark.parametrize("changes, field", [
    (dict(mtbf_s=[3600.0, -1.0, 3600.0]), r"mtbf_s\[1\]"),
    (dict(mtbf_s=[3600.0, 0.0, 3600.0]), r"mtbf_s\[1\]"),
    (dict(mtbf_s=[3600.0, np.nan, 3600.0]), r"mtbf_s\[1\]"),
    (dict(mttr_s=[-5.0, 1.0, 1.0]), r"mttr_s\[0\]"),
    (dict(mttr_s=[np.inf, 1.0, 1.0]), r"mttr_s\[0\]"),
    (dict(cycle_s=[10.0, 0.0, 11.0]), r"cycle_s\[1\]"),
    (dict(cycle_s=[10.0, np.inf, 11.0]), r"cycle_s\[1\]"),
    (dict(cycle_s=[]), "cycle_s"),
    (dict(cycle_s=[[1.0, 2.0]]), "cycle_s"),
    (dict(cycle_s="fast"), "cycle_s"),
    (dict(buffer_places=[2]), "buffer_places"),
    (dict(buffer_places=[2, -1]), "buffer_places"),
    (dict(buffer_places=[2, 1.5]), "buffer_places"),
    (dict(mtbf_s=[3600.0, 3600.0]), "mtbf_s"),
    (dict(mttr_s=[1.0, 2.0, 3.0, 4.0]), "mttr_s"),
    (dict(parallel=[1, 0, 1]), "parallel"),
    (dict(parallel=[1, 1.5, 1]), "parallel"),
    (dict(parallel=[1, 1]), "parallel"),
    (dict(failures="gamma"), "failures"),
    (dict(processing="uniform"), "processing"),
    (dict(failure_clock="wall"), "failure_clock"),
    (dict(failures="geometric", failure_clock="time"), "failure_clock"),
    (dict(failures="geometric", mtbf_s=[5.0, 3600.0, 3600.0]), r"mtbf_s\[0\]"),
    (dict(failures="geometric", mttr_s=[5.0, 600.0, 0.0]), r"mttr_s\[0\]"),
    (dict(hours=0.0), "hours"),
    (dict(hours=-3.0), "hours"),
    (dict(hours=np.inf), "hours"),
    (dict(hours="1"), "hours"),
    (dict(warmup_hours=-1.0), "warmup_hours"),
    (dict(warmup_hours=True), "warmup_hours"),
    (dict(progress="yes"), "progress"),
    (dict(planned_downtime=1.0), "planned_downtime"),
    (dict(planned_downtime=-0.1), "planned_downtime"),
    (dict(replications=0), "replications"),
    (dict(replications=2.5), "replications"),
    (dict(seed=-1), "seed"),
    (dict(seed=1.5), "seed"),
    (dict(weibull_shape=0.0), "weibull_shape"),
    (dict(lognormal_sigma=-1.0), "lognormal_sigma"),
    (dict(bypass_after_s=[600.0, np.nan, np.nan]), r"bypass_cycle_s\[0\]"),
    (dict(bypass_after_s=[-1.0, np.nan, np.nan], bypass_cycle_s=[30.0, 1, 1]), "bypass_after_s"),
    (dict(bypass_after_s=[600.0, np.nan, np.nan], bypass_cycle_s=[30.0, 1, 1], bypass_operators=[-1, 0, 0]),
     r"bypass_operators\[0\]"),
    (dict(kernel="fastest"), "kernel"),
    (dict(kernel="max-plus", failure_clock="time"), "kernel"),
    (dict(kernel="max-plus", parallel=[1, 2, 1]), "kernel"),
])
def test_bad_input_names_the_parameter(changes, field):
    with pytest.raises(ValueError, match=field):
        _call(**changes)


def test_scalars_are_broadcast_to_every_station():
    a = _call(mtbf_s=3600.0, mttr_s=300.0, parallel=1)
    b = _call(mtbf_s=[3600.0] * 3, mttr_s=[300.0] * 3, parallel=[1, 1, 1])
    assert a.to_dict() == b.to_dict()


def test_planned_downtime_scales_calendar_throughput_and_nothing_else():
    # the whole line stops with everything frozen, so a line that runs 80% of the calendar
    # makes 80% of the units per calendar hour, with the same running-time behaviour
    base = _call(hours=10.0, warmup_hours=1.0)
    planned = _call(hours=12.5, warmup_hours=1.0, planned_downtime=0.2)
    assert planned.replication_units == base.replication_units
    assert planned.throughput_per_hour == pytest.approx(0.8 * base.throughput_per_hour)


# --- issue 11: every argument within the ranges of cyclecore.limits, the work bounded, no NaN/inf ----

@pytest.mark.parametrize("changes, field", [
    (dict(buffer_places=[10**30, 1]), "buffer_places"),  # once silently wrapped to a negative number
    (dict(buffer_places=np.array([10**12, 1])), r"buffer_places\[0\].*100,000"),  # once a MemoryError
    (dict(buffer_places=[1e30, 1]), "buffer_places"),
    (dict(cycle_s=[10.0, 1e308, 11.0]), r"cycle_s\[1\].*86400"),  # once a hang
    (dict(cycle_s=[1.0] * 1001, buffer_places=[0] * 1000, mtbf_s=np.inf, mttr_s=0.0), "cycle_s.*1,000"),
    (dict(hours=1e6), r"hours.*88888"),  # once a hang
    (dict(hours=1e-9), "hours.*at least 1 s"),
    (dict(warmup_hours=1e6), "warmup_hours"),
    (dict(hours=80_000.0, warmup_hours=10_000.0), "warmup_hours.*3.2e\\+08"),
    (dict(planned_downtime=1 - 1e-13), "planned_downtime.*at least 1 s"),
    (dict(replications=10**6), r"replications.*100000"),  # once a hang
    (dict(mtbf_s=5e-324), r"mtbf_s\[0\].*\[1, 3.2e\+09\]"),  # once a hang
    (dict(mtbf_s=[3600.0, 1e300, np.inf]), r"mtbf_s\[1\]"),
    (dict(mttr_s=[300.0, 1e12, 0.0]), r"mttr_s\[1\]"),
    (dict(failures="lognormal", lognormal_sigma=50.0), "lognormal_sigma.*3"),  # once a hang
    (dict(failures="weibull", weibull_shape=1e-3), "weibull_shape.*0.2"),  # once an OverflowError
    (dict(failures="weibull", weibull_shape=1e6), "weibull_shape"),
    (dict(parallel=[1, 10**9, 1]), r"parallel\[1\]"),
    (dict(bypass_after_s=[1e300, np.nan, np.nan], bypass_cycle_s=[30.0, 1, 1]), r"bypass_after_s\[0\]"),
    (dict(bypass_after_s=[600.0, np.nan, np.nan], bypass_cycle_s=[1e300, 1, 1]), r"bypass_cycle_s\[0\]"),
    (dict(bypass_after_s=[600.0, np.nan, np.nan], bypass_cycle_s=[30.0, 1, 1], bypass_operators=[1e9, 0, 0]),
     r"bypass_operators\[0\]"),
])
def test_values_beyond_a_real_lines_range_are_refused_naming_the_parameter(changes, field):
    with pytest.raises(ValueError, match=field):
        _call(**changes)


@pytest.mark.parametrize("changes", [
    dict(hours=80_000.0, replications=100),                        # long horizon, many replications
    dict(cycle_s=[1e-6, 1e-6, 1e-6], hours=100.0),                 # microsecond cycles: 1e12 parts
    dict(mtbf_s=1.0, mttr_s=0.0, cycle_s=[86_400.0] * 3, hours=80_000.0, replications=20),  # failures
])
def test_a_request_beyond_the_work_ceiling_is_refused_before_it_starts_with_a_smaller_value(changes):
    with pytest.raises(ValueError, match=r"^hours: .*MAX_SIMULATED_EVENTS.*use hours <= [0-9.e+]+") as refused:
        _call(**changes)
    suggested = float(str(refused.value).split("use hours <= ")[1].split()[0])
    assert 0 < suggested < changes["hours"]


def test_the_work_estimate_bounds_what_the_kernels_really_do():
    from cyclecore.linesim.parameters import build_spec
    from cyclecore.linesim.serial import simulated_events

    line = dict(cycle_s=[10.0, 12.0, 11.0], buffer_places=[2, 1], mtbf_s=[60.0, 120.0, np.inf],
                mttr_s=[30.0, 20.0, 0.0])
    result = simulate_serial(**line, hours=2.0, warmup_hours=0.0, replications=3, seed=4)
    estimate = simulated_events(build_spec(**line), 2.0 * 3600.0, 3)
    station_parts = 3 * result.parts_simulated  # over the 3 replications
    assert station_parts <= estimate <= 2 * station_parts  # an upper bound, and not a loose one


def _numbers(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _numbers(item)
    elif isinstance(value, float):
        yield value


@pytest.mark.parametrize("changes", [
    dict(failures="lognormal", lognormal_sigma=3.0, mtbf_s=1.0, mttr_s=2_592_000.0),
    dict(failures="weibull", weibull_shape=0.2, mtbf_s=3.2e9, mttr_s=2_592_000.0),
    dict(failures="weibull", weibull_shape=20.0, mtbf_s=1.0, mttr_s=0.0, hours=0.5),
    dict(cycle_s=[86_400.0, 1e-3, 86_400.0], hours=1.0 / 3600.0, warmup_hours=0.0),
    dict(buffer_places=[100_000, 0], hours=3.0, replications=1),
    dict(planned_downtime=0.999, hours=1.0),
])
def test_extreme_values_within_range_give_finite_results(changes):
    result = _call(**changes).to_dict()
    numbers = list(_numbers(result))
    assert numbers and all(np.isfinite(x) for x in numbers)
