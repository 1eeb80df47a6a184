"""Properties of the plan search's building blocks, on generated inputs (Hypothesis).

- :func:`cyclecore.plan.output.output_bound` is a proven upper bound: no replication the line
  simulator runs, on any small line (cycles, parallel copies, buffers, failures, manual bypass,
  planned downtime), makes more units per week. The exhaustive search skips a combination on this
  bound, so a bound that is ever too low would make it miss the optimum.
- :func:`cyclecore.plan.stations.frontier` keeps exactly the options no other option dominates
  (checked by comparing every pair).
- :class:`~cyclecore.changes.base.Price` adds up like an order: costs, hours and operators add,
  the lead time is the longest, whatever the grouping.
- every change kind survives the plan file: ``change_from_dict(c.to_dict())`` (through JSON) is ``c``.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyclecore.changes import (AddBuffer, AddRobots, ApplyOption, DuplicateStation, Price, RebalanceZone,
                               RepairProgramme, Resequence, SpeedUp, change_from_dict)
from cyclecore.linesim import simulate_serial
from cyclecore.model.line import Calendar
from cyclecore.plan.levers import Simulation
from cyclecore.plan.output import LineArrays, output_bound, simulate_arrays
from cyclecore.plan.stations import StationOption, frontier

FEW = settings(max_examples=40, deadline=None)


# --------------------------------------------------------------------------- the output bound
@st.composite
def small_lines(draw):
    """A small line as the simulator sees it, with its calendar and measurement."""
    n = draw(st.integers(1, 4))
    cycle = [draw(st.floats(5.0, 60.0)) for _ in range(n)]
    parallel = [draw(st.integers(1, 3)) for _ in range(n)]
    buffers = [draw(st.integers(0, 3)) for _ in range(n - 1)]
    mtbf, mttr = [], []
    for _ in range(n):
        if draw(st.booleans()):
            mtbf.append(draw(st.floats(0.2, 10.0)) * 3600.0)
            mttr.append(draw(st.floats(0.0, 60.0)) * 60.0)
        else:
            mtbf.append(math.inf)
            mttr.append(0.0)
    after, manual, operators = [], [], []
    for i in range(n):
        if mtbf[i] < math.inf and draw(st.booleans()):
            # a manual cycle may even be faster than the automatic one: the bound must still hold
            after.append(draw(st.floats(0.0, 30.0)) * 60.0)
            manual.append(draw(st.floats(3.0, 90.0)))
            operators.append(float(draw(st.integers(1, 2))))
        else:
            after.append(math.nan)
            manual.append(math.nan)
            operators.append(0.0)
    arrays = LineArrays(tuple(cycle), tuple(parallel), tuple(buffers), tuple(mtbf), tuple(mttr),
                        tuple(after), tuple(manual), tuple(operators))
    calendar = Calendar(shifts_per_day=draw(st.integers(1, 3)), hours_per_shift=draw(st.sampled_from([7.5, 8.0])),
                        days_per_week=draw(st.sampled_from([5.0, 6.0])),
                        planned_downtime=draw(st.sampled_from([0.0, 0.1])))
    simulation = Simulation(weeks=draw(st.sampled_from([0.05, 0.1, 0.2])), replications=draw(st.integers(2, 4)),
                            seed=draw(st.integers(0, 2**31 - 1)), confidence=0.9)
    return arrays, calendar, simulation


def replication_units_per_week(arrays: LineArrays, calendar: Calendar, simulation: Simulation) -> np.ndarray:
    """Every replication's units/week, from the simulator itself over the window `simulate` uses:
    ``weeks`` of the calendar, the first tenth of the running time as warm-up."""
    hours_per_week = calendar.shifts_per_day * calendar.hours_per_shift * calendar.days_per_week
    hours = simulation.weeks * hours_per_week
    result = simulate_serial(
        cycle_s=np.array(arrays.cycle_s), buffer_places=np.array(arrays.buffer_places, dtype=np.int64),
        mtbf_s=np.array(arrays.mtbf_s), mttr_s=np.array(arrays.mttr_s),
        parallel=np.array(arrays.parallel, dtype=np.int64), bypass_after_s=np.array(arrays.bypass_after_s),
        bypass_cycle_s=np.array(arrays.bypass_cycle_s), bypass_operators=np.array(arrays.bypass_operators),
        hours=hours, replications=simulation.replications, seed=simulation.seed,
        warmup_hours=0.1 * hours * (1.0 - calendar.planned_downtime), planned_downtime=calendar.planned_downtime)
    return np.array(result.replication_units, dtype=float) / hours * hours_per_week


@FEW
@given(small_lines())
def test_output_bound_is_above_every_simulated_replication(line):
    arrays, calendar, simulation = line
    bound = output_bound(arrays, calendar, simulation)
    per_week = replication_units_per_week(arrays, calendar, simulation)
    assert (per_week <= bound).all(), (per_week, bound)
    measured = simulate_arrays(arrays, calendar, simulation)
    assert measured.mean <= bound
    assert measured.lower <= bound


def test_output_bound_of_a_station_that_never_fails_is_its_pace_plus_what_it_holds():
    # no failures, no bypass use: the bound is the station's own pace plus what the line holds
    arrays = LineArrays((10.0,), (2,), (), (math.inf,), (0.0,), (math.nan,), (math.nan,), (0.0,))
    calendar = Calendar(shifts_per_day=1, hours_per_shift=8.0, days_per_week=5.0)
    simulation = Simulation(weeks=0.1, replications=2, seed=3)
    per_week = replication_units_per_week(arrays, calendar, simulation)
    bound = output_bound(arrays, calendar, simulation)
    assert (per_week <= bound).all()
    # two copies at 10 s: 720 units per running hour; the bound may exceed that only by the
    # parts the line holds (here 2 copies, finishing once more each), never by a whole hour's worth
    assert bound < 720.0 * 40.0 * 1.01


# --------------------------------------------------------------------------- station frontier
@st.composite
def station_options(draw):
    """Options of one station with coarse capex and cycles, so that ties are common."""
    count = draw(st.integers(0, 12))
    out = []
    for k in range(count):
        capex = draw(st.sampled_from([0.0, 5_000.0, 10_000.0, 20_000.0, 150_000.0]))
        cycle = draw(st.sampled_from([8.0, 10.0, 12.0, 15.0, 20.0]))
        parallel = draw(st.integers(1, 2))
        out.append(StationOption(station="ST10", changes=(AddBuffer("ST10", k + 1),), price=Price(capex=capex),
                                 cycle_s=cycle, parallel=parallel, effective_cycle_s=cycle / parallel, robots=1))
    return out


def _beaten(options, k) -> bool:
    """Option k is beaten by another no dearer and no slower that is cheaper, faster, or listed first."""
    a = options[k]
    for j, b in enumerate(options):
        if j == k:
            continue
        if b.capex <= a.capex and b.effective_cycle_s <= a.effective_cycle_s and (
                b.capex < a.capex or b.effective_cycle_s < a.effective_cycle_s or j < k):
            return True
    return False


@FEW
@given(station_options())
def test_station_frontier_keeps_exactly_the_non_dominated_options(options):
    kept = frontier(options)
    expected = [options[k] for k in range(len(options)) if not _beaten(options, k)]
    assert sorted(map(id, kept)) == sorted(map(id, expected))
    # cheapest first, and each one strictly faster than the one before
    for before, after in zip(kept, kept[1:]):
        assert before.capex < after.capex
        assert after.effective_cycle_s < before.effective_cycle_s


# --------------------------------------------------------------------------- prices
amounts = st.floats(0.0, 1e7, allow_nan=False, allow_infinity=False)
prices = st.builds(Price, capex=amounts, engineering_h=st.floats(0.0, 1e4), operators_per_shift=st.floats(-5.0, 20.0),
                   lead_time_weeks=st.floats(0.0, 104.0), downtime_h=st.floats(0.0, 500.0))


@FEW
@given(prices, prices, prices)
def test_price_addition_is_associative_with_the_longest_lead_time(a, b, c):
    left, right = (a + b) + c, a + (b + c)
    assert left.lead_time_weeks == right.lead_time_weeks == max(a.lead_time_weeks, b.lead_time_weeks,
                                                               c.lead_time_weeks)
    for field, parts in (("capex", (a.capex, b.capex, c.capex)),
                         ("engineering_h", (a.engineering_h, b.engineering_h, c.engineering_h)),
                         ("operators_per_shift", (a.operators_per_shift, b.operators_per_shift, c.operators_per_shift)),
                         ("downtime_h", (a.downtime_h, b.downtime_h, c.downtime_h))):
        assert getattr(left, field) == pytest.approx(math.fsum(parts), rel=1e-12, abs=1e-9)
        assert getattr(right, field) == pytest.approx(getattr(left, field), rel=1e-12, abs=1e-9)


@FEW
@given(prices, prices)
def test_price_addition_is_commutative_and_nothing_is_its_zero(a, b):
    assert a + b == b + a
    assert a + Price() == a == Price() + a


# --------------------------------------------------------------------------- changes round trip
names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
changes = st.one_of(
    st.builds(Resequence, station=names, robot=names),
    st.builds(AddRobots, station=names, robots=st.integers(1, 8)),
    st.builds(SpeedUp, station=names, robot=names, override=st.floats(0.01, 1.0)),
    st.builds(AddBuffer, station=names, places=st.integers(1, 20)),
    st.builds(RepairProgramme, station=names),
    st.builds(DuplicateStation, station=names),
    st.builds(RebalanceZone, zone=st.one_of(st.integers(0, 99), names)),
    st.builds(ApplyOption, option=names),
)


@FEW
@given(changes)
def test_every_change_survives_a_plan_file(change):
    data = json.loads(json.dumps(change.to_dict(), allow_nan=False))
    assert data["kind"] == change.kind
    back = change_from_dict(data)
    assert back == change
    assert type(back) is type(change)
