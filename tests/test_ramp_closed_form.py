"""The ramp against figures derived by hand (acceptance 1): a two-station line, two changes with
known lead times, installation downtimes and learning constants.

The line: S1 (50 s fixed work + 4 s index, MTBF 5 h, MTTR 30 min) feeds S2 (40 + 5 s, MTBF 4 h,
MTTR 20 min); three 8-hour shifts, six days, 5% planned downtime: 144 shift hours a week, so 24
hours a week are outside the shifts. Two changes:

- one more copy of S1, ordered in week 0, lead time 3 weeks: lands in week 3, 60 h of installation
  of which 24 fit outside the shifts, so 36 shift hours are lost; learns on availability from 60%
  with a time constant of 2 weeks;
- a repair programme at S2 (MTTR x 0.6), ordered in week 2, lead time 5 weeks: lands in week 7,
  30 h of installation, 6 lost; learns on the cycle from 90% with a time constant of 3 weeks.

By hand: a station makes at most m·A/t units a second (t its effective cycle, A = MTBF/(MTBF+MTTR)
its availability, m its maturity); the line makes the least of its stations; a week makes that
over its running hours (shift hours less the lost ones, times 0.95) × 3600 s. The week's maturity
is the mean of m(t) = 1 − (1 − m0)·exp(−t/τ) over the week: 1 − (1 − m0)·τ·(e^{−k/τ} − e^{−(k+1)/τ}).
"""

from __future__ import annotations

import math

import pytest

import cyclecore
from cyclecore.changes import DuplicateStation, RepairProgramme
from cyclecore.model.line import Calendar, CostBook, Downtimes, LeadTimes, Line, Reliability, Station

WEEKS = 20
SHIFT_HOURS = 3 * 8 * 6
RUNNING = 0.95


def two_station_line() -> Line:
    return Line(
        name="two-station",
        calendar=Calendar(shifts_per_day=3, hours_per_shift=8, days_per_week=6, planned_downtime=0.05),
        stations=(Station(name="S1", fixed_time_s=50.0, index_time_s=4.0, buffer_after=2,
                          reliability=Reliability(mtbf_h=5.0, mttr_min=30.0)),
                  Station(name="S2", fixed_time_s=40.0, index_time_s=5.0,
                          reliability=Reliability(mtbf_h=4.0, mttr_min=20.0))),
        costs=CostBook(lead_time_weeks=LeadTimes(station_duplicate=3, repair_programme=5),
                       downtime_h=Downtimes(station_duplicate=60, repair_programme=30)),
    ).evolve()


LEARNING = {"duplicate_station": {"start": 0.6, "weeks": 2.0},
            "repair_programme": {"start": 0.9, "weeks": 3.0, "applies_to": "cycle"}}


def the_ramp(**options):
    return cyclecore.ramp(two_station_line(), [DuplicateStation("S1"), RepairProgramme("S2")], weeks=WEEKS,
                          order_weeks={"repair_programme@S2": 2}, learning=LEARNING, **options)


def mean_maturity(k: int, start: float, tau: float) -> float:
    """The mean of 1 − (1 − m0)·exp(−t/τ) over t in [k, k+1), integrated by hand."""
    return 1.0 - (1.0 - start) * tau * (math.exp(-k / tau) - math.exp(-(k + 1) / tau))


def by_hand(week: int) -> tuple[float, float]:
    """(capacity, expected) units of week ``week``."""
    duplicated, repaired = week >= 3, week >= 7
    t1 = 54.0 / (2 if duplicated else 1)
    t2 = 45.0
    a1 = 5.0 / 5.5
    a2 = 4.0 / (4.0 + (12.0 if repaired else 20.0) / 60.0)
    m1 = mean_maturity(week - 3, 0.6, 2.0) if duplicated else 1.0
    m2 = mean_maturity(week - 7, 0.9, 3.0) if repaired else 1.0
    lost = {3: 60.0 - 24.0, 7: 30.0 - 24.0}.get(week, 0.0)
    capacity = SHIFT_HOURS * RUNNING * 3600.0 / max(t1, t2)
    expected = (SHIFT_HOURS - lost) * RUNNING * 3600.0 * min(m1 * a1 / t1, m2 * a2 / t2)
    return capacity, expected


def test_weekly_output_is_the_hand_derived_step_exponential():
    result = the_ramp()
    assert [r.week for r in result.rows] == list(range(WEEKS))
    for row in result.rows:
        capacity, expected = by_hand(row.week)
        assert row.capacity_products_per_week == pytest.approx(capacity, rel=1e-9, abs=0)
        assert row.expected_products_per_week == pytest.approx(expected, rel=1e-9, abs=0)


def test_output_steps_to_the_next_constraint_then_climbs():
    rows = the_ramp().rows
    # S1 is the constraint until its copy lands; then S2 is, until its repair programme lands
    assert {r.bottleneck for r in rows[:3]} == {"S1"}
    assert {r.bottleneck for r in rows[4:]} == {"S2"}
    # after each landing (and its downtime week) output climbs towards the new rate, week by week
    climbing = [r.expected_products_per_week for r in rows[8:]]
    assert all(b > a for a, b in zip(climbing, climbing[1:]))
    assert rows[4].expected_products_per_week > rows[2].expected_products_per_week  # the step up


def test_landing_weeks_downtime_and_cumulative_figures():
    result = the_ramp()
    assert [(c.name, c.ordered_week, c.landing_week) for c in result.changes] == [
        ("duplicate_station@S1", 0.0, 3), ("repair_programme@S2", 2.0, 7)]
    assert [r.landed for r in result.rows[:8]] == [(), (), (), ("duplicate_station@S1",), (), (), (),
                                                   ("repair_programme@S2",)]
    assert [r.downtime_h for r in result.rows[:9]] == [0, 0, 0, 36.0, 0, 0, 0, 6.0, 0]
    running = 0.0
    for row in result.rows:
        running += by_hand(row.week)[1]
        assert row.cumulative_products == pytest.approx(running, rel=1e-9)
    # capex is booked in the week a change is ordered: the copy in week 0, the programme in week 2
    book = CostBook()
    assert [r.cumulative_capex for r in result.rows[:3]] == [
        book.station_duplicate, book.station_duplicate, book.station_duplicate + book.repair_programme]
    assert result.cumulative_capex == result.capex == book.station_duplicate + book.repair_programme


def test_first_week_the_target_is_met_is_read_off_the_hand_figures():
    target = 9_000.0
    result = the_ramp(target=target)
    first = next(w for w in range(WEEKS) if by_hand(w)[1] >= target)
    assert result.target_met_week == first


def test_with_every_change_landed_and_learnt_the_ramp_is_the_changed_lines_analysis():
    line = two_station_line()
    changed = RepairProgramme("S2").apply(DuplicateStation("S1").apply(line))
    analysis = cyclecore.analyze(changed)
    last = cyclecore.ramp(line, [DuplicateStation("S1"), RepairProgramme("S2")], weeks=12,
                          learning={"duplicate_station": {"start": 1.0, "weeks": 0},
                                    "repair_programme": {"start": 1.0, "weeks": 0}}).rows[-1]
    assert last.capacity_products_per_week == pytest.approx(analysis.units_per_week, rel=1e-12)
    assert last.expected_products_per_week == pytest.approx(analysis.units_per_week_ample_buffers, rel=1e-12)


def test_an_installation_longer_than_the_free_hours_carries_into_the_next_week():
    # seven days of three shifts: no hour outside the shifts, so all 200 h are lost; a week has 168
    line = two_station_line().evolve(calendar=Calendar(shifts_per_day=3, hours_per_shift=8, days_per_week=7),
                                     costs=CostBook(downtime_h=Downtimes(station_duplicate=200),
                                                    lead_time_weeks=LeadTimes(station_duplicate=1)))
    rows = cyclecore.ramp(line, [DuplicateStation("S1")], weeks=4).rows
    assert [r.downtime_h for r in rows] == [0.0, 168.0, 32.0, 0.0]
    assert rows[1].expected_products_per_week == 0.0


def test_the_same_ramp_twice_is_the_same_ramp():
    assert the_ramp(scenarios=5, seed=3).to_dict() == the_ramp(scenarios=5, seed=3).to_dict()
