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
