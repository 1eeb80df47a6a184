"""A station too large for the plan's searching levers (more than limits.PLAN_SEARCHED_TASKS
tasks) keeps its programs: no re-sequencing, added robots or rebalancing of its zone, decided by
counting its tasks before any search starts. The rest of the plan is still made, and the plan
says which station was not searched. Without the ceiling, the tutorial with 500 more tasks in
ST20 ran for minutes (fuzz findings 13 and 18)."""

from __future__ import annotations

import time

import pytest

import cyclecore
from cyclecore import limits
from cyclecore.plan.levers import Levers, unsearched
from cyclecore.plan.optimizer import TargetNotReached
from cyclecore.plan.stations import station_options


def tutorial_with_a_large_st20(extra):
    line = cyclecore.load_example("tutorial")
    st20 = line.station("ST20")
    first = st20.tasks[0]
    added = tuple(first.evolve(name=f"{first.name}-copy{k}", after=()) for k in range(extra))
    return line.with_station(st20.evolve(tasks=st20.tasks + added))


def kinds(options):
    return {change.kind for option in options for change in option.changes}


def test_a_station_above_the_ceiling_has_the_options_of_its_unsearched_levers_only():
    line = tutorial_with_a_large_st20(limits.PLAN_SEARCHED_TASKS.high)
    options = station_options(line, "ST20", Levers())
    assert not kinds(options) & {"resequence", "add_robots"}
    # exactly the options of the same station with the searching levers switched off
    unsearched_levers = station_options(line, "ST20", Levers(resequence=False, robots=False))
    assert [(o.changes, o.cycle_s) for o in options] == [(o.changes, o.cycle_s) for o in unsearched_levers]
    # a station within the ceiling is still searched
    small = cyclecore.load_example("tutorial")
    assert "resequence" in kinds(station_options(small, "ST20", Levers()))


def test_optimize_skips_the_large_station_and_says_so_in_the_plan():
    line = tutorial_with_a_large_st20(500)  # fuzz finding 13: 510 tasks in ST20
    notes = unsearched(line, Levers())
    assert len(notes) == 1 and "stations[1] 'ST20' has 510 tasks, more than the 150" in notes[0]
    start = time.process_time()
    try:
        plan = cyclecore.optimize(line, target=6000, weeks=0.05, replications=2)
    except TargetNotReached as no_answer:
        assert "not searched: " + notes[0] in str(no_answer)
        plan = no_answer.plan
    assert time.process_time() - start < 20  # was minutes; the search itself is counted, this is a guard
    assert plan.not_searched == notes
    assert plan.to_dict()["not_searched"] == list(notes)
    assert "not searched: " in str(plan)
    assert not {c.kind for c in plan.changes} & {"resequence", "add_robots", "rebalance_zone"}
