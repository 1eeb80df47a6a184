"""cyclecore.simulate(line): the Line turned into simulate_serial's arrays, and the calendar."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cyclecore.analysis.deterministic import analyze
from cyclecore.model.line import Line
from cyclecore.linesim import simulate_serial
from cyclecore.linesim.random_streams import station_key
from cyclecore.analysis.simulation import line_arrays, simulate
from line_fixtures import valid_line


def _line(**station_changes) -> Line:
    data = valid_line()
    for index, changes in station_changes.items():
        data["stations"][int(index[1:])].update(changes)
    return Line.model_validate(data)


def test_simulate_is_simulate_serial_on_the_lines_arrays_scaled_by_the_calendar():
    line = _line()
    result = simulate(line, weeks=1.0, replications=3, seed=4)
    analysis = analyze(line)
    hours_per_week = 2 * 8.0 * 5
    by_hand = simulate_serial(
        cycle_s=[s.cycle_s for s in analysis.stations], buffer_places=[1], mtbf_s=[5 * 3600.0, np.inf],
        mttr_s=[600.0, 0.0], hours=hours_per_week, replications=3, seed=4, warmup_hours=0.1 * hours_per_week,
        station_keys=[station_key("S1"), station_key("S2")])  # a line's streams are keyed by station name
    assert result.serial.replication_units == by_hand.replication_units
    assert result.units_per_week == pytest.approx(by_hand.throughput_per_hour * hours_per_week)
    lo, hi = result.ci99_units_per_week
    assert lo == pytest.approx(by_hand.ci99_per_hour[0] * hours_per_week)
    assert hi == pytest.approx(by_hand.ci99_per_hour[1] * hours_per_week)
    assert [s.name for s in result.stations] == ["S1", "S2"]
    assert result.stations[0].failed > 0.0 and result.stations[1].failed == 0.0


def test_line_arrays_carry_reliability_buffers_parallel_copies_and_manual_bypass():
    line = _line(s0={"parallel": 2, "buffer_after": 3,
                     "manual_bypass": {"cycle_time_s": 40.0, "operators": 3, "after_min": 15.0}},
                 s1={"reliability": {"mtbf_h": 2.0, "mttr_min": 6.0}, "buffer_after": 7})
    arrays = line_arrays(line)
    np.testing.assert_array_equal(arrays["buffer_places"], [3])  # the last station's buffer_after ends the line
    np.testing.assert_array_equal(arrays["parallel"], [2, 1])
    np.testing.assert_allclose(arrays["mtbf_s"], [5 * 3600.0, 2 * 3600.0])
    np.testing.assert_allclose(arrays["mttr_s"], [600.0, 360.0])
    np.testing.assert_allclose(arrays["bypass_after_s"][0], 900.0)
    assert np.isnan(arrays["bypass_after_s"][1])
    assert arrays["bypass_cycle_s"][0] == 40.0 and arrays["bypass_operators"][0] == 3
    np.testing.assert_allclose(arrays["cycle_s"], [s.cycle_s for s in analyze(line).stations])
    result = simulate(line, weeks=0.5, replications=2, seed=1)
    assert result.serial.kernel == "event-loop"
    assert result.stations[0].parallel == 2


def test_line_without_failures_makes_the_deterministic_units_per_week():
    data = valid_line()
    del data["stations"][0]["reliability"]
    data["calendar"]["planned_downtime"] = 0.1
    line = Line.model_validate(data)
    result = simulate(line, weeks=1.0, replications=2, seed=0)
    expected = analyze(line).units_per_week
    # one part per slowest cycle over the production hours, to within one part
    assert abs(result.units_per_week - expected) <= 1.0
    assert result.bottleneck_active_period == result.bottleneck_arrow == analyze(line).bottleneck


def test_same_line_and_seed_give_the_same_numbers_and_progress_is_reported():
    line = _line()
    calls = []
    a = simulate(line, weeks=0.5, replications=3, seed=9, progress=lambda done, total: calls.append((done, total)))
    b = simulate(line, weeks=0.5, replications=3, seed=9)
    assert a.to_dict() == b.to_dict()
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_result_is_json_and_readable():
    result = simulate(_line(), weeks=0.5, replications=2, seed=0)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["units_per_week"] == result.units_per_week
    assert data["stations"][0]["name"] == "S1"
    text = str(result)
    assert "units/week" in text and "S1" in text and "bottleneck" in text


@pytest.mark.parametrize("weeks", [0, -1.0, float("nan"), float("inf"), "2"])
def test_weeks_must_be_positive(weeks):
    with pytest.raises(ValueError, match="weeks"):
        simulate(_line(), weeks=weeks)


def test_simulate_needs_a_line():
    with pytest.raises(ValueError, match="line"):
        simulate(valid_line())
