"""The ramp's questions on the bundled body shop (24 stations, 72 robots), timed.

The ramp: every robot below the top validated override raised to it, a repair programme at every
station and one more buffer place after every station but the last — 84 changes, ordered zone by
zone (zone z in week 2z), so the line passes through many states over 52 weeks.

group "ramp-week": a deterministic week after the first, as a ramp simulator asks for it.
``capacity`` is ``Ramp.capacity(landed=…, maturity=…)`` with the landed changes and maturities of
each of the 52 weeks (every set of landed changes seen once before timing; the maturities change
every week, so nothing is a remembered answer); ``schedule`` computes all 52 weekly rows of a
fresh schedule (downtime carried week to week, crew, cumulative output). Aim: ≤ 1 ms a week.

group "ramp-simulated-week": ``Ramp.simulated_week`` — the line simulated for one week (10
replications) with the week's landed changes and maturity, a new seed every round so no run is
remembered. Aim: ≤ 0.2 s.
"""

from __future__ import annotations

import math

import pytest

import cyclecore
from cyclecore.changes import AddBuffer, RepairProgramme, SpeedUp

WEEKS = 52


@pytest.fixture(scope="module")
def body_shop_ramp():
    line = cyclecore.load_example("body-shop")
    top = max(line.costs.speed_override_steps)
    changes = [SpeedUp(s.name, r.name, top) for s in line.stations for r in s.robots if r.speed_override < top]
    changes += [RepairProgramme(s.name) for s in line.stations if s.reliability is not None]
    changes += [AddBuffer(s.name, 1) for s in line.stations[:-1]]
    order = {s.name: 2 * int(s.zone) for s in line.stations}  # a station's changes, with its zone's
    ramp = cyclecore.Ramp(line, changes, order_weeks=order)
    weeks = [ramp.week(w) for w in range(WEEKS)]  # every state of the ramp seen once
    return ramp, weeks


def _inputs(ramp, weeks):
    """The (landed, maturity) a simulator would pass for each week of the ramp's own schedule."""
    schedule = ramp.schedule()
    out = []
    for week in range(len(weeks)):
        landed = [c.name for c, w in zip(ramp.changes, schedule.landing) if w <= week]
        maturity = {c.name: schedule.maturity(g, week) for g, c in enumerate(ramp.changes)
                    if schedule.landing[g] <= week}
        out.append((landed, maturity))
    return out


def test_ramp_week_capacity_query(benchmark, body_shop_ramp):
    ramp, weeks = body_shop_ramp
    inputs = _inputs(ramp, weeks)
    for landed, maturity in inputs:  # each state once, untimed
        ramp.capacity(landed=landed, maturity=maturity)

    def all_weeks():
        return [ramp.capacity(landed=landed, maturity=maturity).units_per_week for landed, maturity in inputs]

    benchmark.group = "ramp-week"
    units = benchmark.pedantic(all_weeks, rounds=5, iterations=1)
    assert all(u > 0 and math.isfinite(u) for u in units)
    benchmark.extra_info.update(items=WEEKS, changes=len(ramp.changes), aim="<= 1 ms per week")


def test_ramp_week_schedule_rows(benchmark, body_shop_ramp):
    ramp, weeks = body_shop_ramp

    def all_rows():
        schedule = ramp.schedule()
        return [schedule.row(w) for w in range(WEEKS)]

    benchmark.group = "ramp-week"
    rows = benchmark.pedantic(all_rows, rounds=5, iterations=1)
    assert [r.expected_products_per_week for r in rows] == [r.expected_products_per_week for r in weeks]
    benchmark.extra_info.update(items=WEEKS, aim="<= 1 ms per week",
                                week0=round(rows[0].expected_products_per_week),
                                week51=round(rows[-1].expected_products_per_week))


def test_ramp_simulated_week(benchmark, body_shop_ramp):
    ramp, _ = body_shop_ramp
    ramp.simulated_week(20, replications=10, seed=0)  # load the kernels
    seeds = iter(range(1, 1000))

    def one_week():
        return ramp.simulated_week(20, replications=10, seed=next(seeds))

    benchmark.group = "ramp-simulated-week"
    week = benchmark.pedantic(one_week, rounds=3, iterations=1)
    assert week.products_per_week > 0
    benchmark.extra_info.update(items=1, replications=10, aim="<= 0.2 s",
                                products_per_week=round(week.products_per_week))
