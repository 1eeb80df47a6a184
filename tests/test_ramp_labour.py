"""Shifts and labour (acceptance 4), on lines whose figures are worked out by hand.

The line of the seed: a 216 s station makes 3 shifts × 8 h × 5 days × 3600 s / 216 s = 2,000 units a
week. A manual check station behind it (100 s, never the constraint) has a manual bypass staffed by
2 operators; the line's base crew is 10 a shift, so it needs 12 operators a shift, and on 15 shifts a
week, with each operator working 5 shifts, 36 people.
"""

from __future__ import annotations

import math
import re

import pytest

import cyclecore
from cyclecore.changes import DuplicateStation
from cyclecore.model.line import Calendar, CostBook, Downtimes, LeadTimes, Line, ManualBypass, Station
from cyclecore.ramp.labour import Labour


def seed_line() -> Line:
    return Line(
        name="older-line",
        calendar=Calendar(shifts_per_day=3, hours_per_shift=8, days_per_week=5),
        stations=(Station(name="S1", fixed_time_s=216.0),
                  Station(name="check", fixed_time_s=100.0,
                          manual_bypass=ManualBypass(cycle_time_s=200.0, operators=2, after_min=10))),
        costs=CostBook(lead_time_weeks=LeadTimes(station_duplicate=6), downtime_h=Downtimes(station_duplicate=48)),
    ).evolve()


def test_a_short_pool_caps_output_to_the_shifts_it_can_staff_and_reports_the_shortfall():
    labour = Labour(pool=30, hires_per_week=1, crew_per_shift=10)
    result = cyclecore.ramp(seed_line(), [], weeks=8, labour=labour)
    for row in result.rows:
        pool = 30 + row.week
        staffed = min(15, math.floor(pool * 5 / 12))  # whole shifts: operator-shifts / crew
        assert row.operators_per_shift == 12
        assert row.headcount_needed == 36
        assert row.headcount_available == pool
        assert row.operators_short == max(0, 36 - pool)
        assert row.shifts_staffed == staffed
        assert row.expected_products_per_week == pytest.approx(2000.0 * staffed / 15, rel=1e-12)
        assert row.capacity_products_per_week == pytest.approx(2000.0, rel=1e-12)  # what the line could make
    assert [r.expected_products_per_week for r in result.rows[:3]] == pytest.approx([1600.0, 1600.0, 2000 * 13 / 15])
    assert result.labour_short_weeks == (0, 1, 2, 3, 4, 5)
    text = str(result)
    assert "labour: the pool is short in week(s) 0-5 (up to 6.0 operators)" in text


def test_a_pool_that_suffices_caps_nothing():
    result = cyclecore.ramp(seed_line(), [], weeks=3, labour=Labour(pool=36, crew_per_shift=10))
    assert [r.expected_products_per_week for r in result.rows] == pytest.approx([2000.0] * 3)
    assert result.labour_short_weeks == ()


def mean_maturity(k: int, start: float, tau: float) -> float:
    return 1.0 - (1.0 - start) * tau * (math.exp(-k / tau) - math.exp(-(k + 1) / tau))


def test_once_the_line_is_faster_a_shift_can_go_from_the_week_worked_out_by_hand():
    # 2,000/week on 3 shifts; target 1,800 (the seed). A second copy of S1 (lead time 6 weeks,
    # learning from 50% with tau = 4 weeks) halves its cycle: on 2 shifts the line then makes
    # 80 h x 3600 / 108 s x m = 2,666.7 x m, which reaches 1,800 once the week's mean maturity
    # m >= 0.675. Installation (48 h) fits in the free hours on 3 shifts (48) and on 2 (88).
    target = 1800.0
    result = cyclecore.ramp(seed_line(), [DuplicateStation("S1")], weeks=20, target=target,
                            labour=Labour(crew_per_shift=10),
                            learning={"duplicate_station": {"start": 0.5, "weeks": 4.0}})
    two_shifts = 80 * 3600 / 108
    first = next(k for k in range(20) if two_shifts * mean_maturity(k, 0.5, 4.0) >= target)
    assert first == 2
    assert result.drop_shift_week == 6 + first
    assert result.drop_shift_products_per_week == pytest.approx(two_shifts * mean_maturity(first, 0.5, 4.0),
                                                                rel=1e-12)
    # the crew once the copy has landed: 10 + 2 (bypass) + 0.5 (the new cell); one shift a day
    # fewer is 5 shifts a week fewer, 12.5 x 5 / 5 operators
    assert result.rows[8].operators_per_shift == 12.5
    assert result.drop_shift_headcount_saved == pytest.approx(12.5)
    # before the copy, three shifts make the seed's 2,000
    assert result.rows[0].expected_products_per_week == pytest.approx(2000.0)
    assert "drop a shift: from week 8 on" in str(result)


def test_a_shift_plan_that_drops_a_shift_from_a_week_on():
    result = cyclecore.ramp(seed_line(), [], weeks=4, shifts="0:3x5,2:2x5", labour=Labour(crew_per_shift=10))
    assert [(r.shifts_per_day, r.days_per_week) for r in result.rows] == [(3, 5), (3, 5), (2, 5), (2, 5)]
    assert [r.expected_products_per_week for r in result.rows] == pytest.approx([2000, 2000, 2000 * 2 / 3,
                                                                                  2000 * 2 / 3])
    assert [r.headcount_needed for r in result.rows] == [36, 36, 24, 24]
    assert result.shift_plan == "0:3x5,2:2x5"


@pytest.mark.parametrize("shifts, field", [("3y5", "shifts"), ("5x5", "shifts (shifts a day)"),
                                           ("2:3x5", "shifts"), ("3x8", "shifts (days a week)")])
def test_a_bad_shift_plan_is_refused_by_name(shifts, field):
    with pytest.raises(ValueError, match=rf"^{re.escape(field)}"):
        cyclecore.ramp(seed_line(), [], weeks=2, shifts=shifts)


def test_three_shifts_of_ten_hours_do_not_fit_a_day():
    line = seed_line().evolve(calendar=Calendar(shifts_per_day=2, hours_per_shift=10, days_per_week=5))
    with pytest.raises(ValueError, match="shifts: 3 shifts of 10 h on line 'older-line' make 30 h a day"):
        cyclecore.ramp(line, [], weeks=2, shifts="3x5")

