"""The plan's searches are solved once: verification and the ramp look the answers up, and the
look-up never changes an answer.

The oracle is the search itself run afresh (``solving_afresh``): the same plan, bit for bit, and
the same changed stations, whatever the memory holds. The tutorial line has what every searching
change needs: a zone of two stations (rebalance), robots with two or more tasks (re-sequence) and
a free robot slot (added robots).
"""

from __future__ import annotations

import json

import pytest

import cyclecore
from cyclecore.changes import AddRobots, RebalanceZone, Resequence, solved
from cyclecore.plan.executors import InProcess, ProcessPool
from cyclecore.plan.result import apply_plan

LEVERS = cyclecore.Levers(options=False, max_robots_added=1, duplicate_station=False, max_buffer_places=1,
                          added_lines=0)


def _optimize(executor):
    return cyclecore.optimize(cyclecore.load_example("tutorial"), target=10_000, weeks=0.2, replications=4, seed=7,
                              levers=LEVERS, executor=executor, exhaustive_limit=0)


@pytest.fixture()
def fresh_memory():
    from cyclecore.ramp import states

    def forget():
        solved.forget()
        for cache in (states._CONTEXTS, states._CHAINS, states._CYCLES):  # the ramp's own memory too
            cache.clear()

    forget()
    yield
    forget()


@pytest.fixture()
def searches(monkeypatch):
    """Counts the searches run by each searching change (re-sequence, split, rebalance)."""
    from cyclecore.changes import programs, rebalance

    counts = {"resequence": 0, "split": 0, "rebalance": 0}

    def counted(name, module, function):
        real = getattr(module, function)

        def run(*args, **kwargs):
            counts[name] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, function, run)

    counted("resequence", programs, "_sequence_robot")
    counted("split", programs, "_split")
    counted("rebalance", rebalance, "_propose")
    return counts


def test_a_plan_made_with_remembered_answers_equals_the_plan_made_solving_every_search_afresh(fresh_memory):
    remembered = _optimize(InProcess())
    with solved.solving_afresh():
        afresh = _optimize(InProcess())
    assert json.dumps(remembered.to_dict(), sort_keys=True) == json.dumps(afresh.to_dict(), sort_keys=True)
    kinds = {c.kind for design in remembered.designs for c in design.changes}
    curve_changes = " ".join(" ".join(p.changes) for design in remembered.designs for p in design.curve)
    assert "resequence" in kinds or "re-sequence" in curve_changes  # the searches did take part


def test_verifying_and_ramping_a_plan_solve_no_search_again(fresh_memory, searches):
    from cyclecore.plan.levers import Simulation
    from cyclecore.plan.line_search import search_line

    line = cyclecore.load_example("tutorial")
    search_line(line, 10_000.0, LEVERS, Simulation(weeks=0.2, replications=4, seed=7), InProcess(),
                exhaustive_limit=0)
    searched = dict(searches)
    assert sum(searched.values()) > 0
    solved.forget()
    plan = _optimize(InProcess())  # the same search, then verification and the ramp of each option
    assert searches == {name: 2 * count for name, count in searched.items()}
    for name in searches:
        searches[name] = 0
    changed = apply_plan(plan.to_dict(), line)
    assert searches == {"resequence": 0, "split": 0, "rebalance": 0}
    with solved.solving_afresh():
        assert apply_plan(plan.to_dict(), line) == changed  # the look-ups gave the searches' own answers


def test_answers_solved_in_worker_processes_are_learned_by_the_parent(fresh_memory, searches):
    with ProcessPool(2) as pool:
        plan = _optimize(pool)
    for name in searches:
        searches[name] = 0
    apply_plan(plan.to_dict(), cyclecore.load_example("tutorial"))
    assert searches == {"resequence": 0, "split": 0, "rebalance": 0}


@pytest.mark.parametrize("change", [Resequence("ST10", "R1"), AddRobots("ST20", 1), RebalanceZone(1)],
                         ids=["resequence", "add robots", "rebalance zone"])
def test_a_remembered_change_gives_what_solving_it_afresh_gives(fresh_memory, searches, change):
    line = cyclecore.load_example("tutorial")
    first = change.apply(line)
    again = change.apply(line)
    assert sum(searches.values()) == 1  # the second was a look-up
    with solved.solving_afresh():
        afresh = change.apply(line)
    assert first == again == afresh


def test_a_station_that_differs_in_one_task_time_is_solved_again(fresh_memory, searches):
    line = cyclecore.load_example("tutorial")
    station = line.station("ST10")
    Resequence("ST10", "R1").on_station(line, station)
    task = station.tasks[0]
    other = station.evolve(tasks=(task.evolve(process_time_s=task.process_time_s + 1e-9),) + station.tasks[1:])
    Resequence("ST10", "R1").on_station(line, other)
    assert searches["resequence"] == 2
