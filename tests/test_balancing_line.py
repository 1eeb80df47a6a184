"""Rebalancing a zone of a real line: the proposal is optimal for the planning estimate (checked
by brute force), the new line keeps every task, honours precedence and reach, the exact
before/after evaluation decides whether the change is kept, and the same request gives the same
answer on an idle or a busy machine."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from busy_machine import cores_saturated, every_core

from cyclecore.changes.rebalance import rebalance
from cyclecore.examples import load_example
from cyclecore.robot.geometry import rpy_from_matrix
from cyclecore.files.line_file import line_from_dict
from cyclecore.model.line import Line

HOME = [0.0, 0.0, 0.0, 0.0, 60.0, 0.0]
MODEL = "IRB2400-10"


def reachable_poses(k, seed):
    """Cell-frame TCP poses computed by forward kinematics, so the robot reaches them."""
    line = line_from_dict(_line_dict([], []), check_reach=False)
    arm = line.robot_model(MODEL).arm
    rng = np.random.default_rng(seed)
    q = np.radians(np.array(HOME) + rng.uniform(-25, 25, size=(k, 6)))
    flange = arm.forward(q)
    return [{"xyz_m": [float(v) for v in f[:3, 3]], "rpy_deg": [float(v) for v in np.degrees(rpy_from_matrix(f))]}
            for f in flange]


def _line_dict(tasks1, tasks2):
    robot = {"name": "R1", "model": MODEL, "home_deg": HOME}
    return {
        "name": "zone-test",
        "stations": [
            {"name": "S1", "zone": "A", "index_time_s": 2.0, "robots": [robot], "tasks": tasks1},
            {"name": "S2", "zone": "A", "index_time_s": 3.0, "robots": [robot], "tasks": tasks2},
            {"name": "S3", "zone": "B", "index_time_s": 1.0, "robots": [robot], "tasks": []},
        ],
    }


def zone_line(seed):
    rng = np.random.default_rng(seed)
    poses = reachable_poses(7, seed)
    work = rng.integers(1, 9, size=7).astype(float)  # whole seconds: exact at ms resolution
    tasks = []
    for j in range(7):
        after = [f"t{i}" for i in range(j) if rng.random() < 0.2]
        tasks.append({"name": f"t{j}", "pose": poses[j], "process_time_s": 0.1, "work_content_s": work[j],
                      "after": after})
    split = int(rng.integers(2, 6))
    return line_from_dict(_line_dict(tasks[:split], tasks[split:])), work


def brute_planned_cycle(line, work):
    tasks = [t for s in line.stations[:2] for t in s.tasks]
    index = {t.name: j for j, t in enumerate(tasks)}
    over = [2.0, 3.0]
    best = None
    for assign in itertools.product(range(2), repeat=len(tasks)):
        if any(assign[index[p]] > assign[j] for j, t in enumerate(tasks) for p in t.after):
            continue
        loads = [sum(work[j] for j in range(len(tasks)) if assign[j] == s) + over[s] for s in range(2)]
        best = max(loads) if best is None else min(best, max(loads))
    return best


@pytest.mark.parametrize("seed", range(4))
def test_zone_rebalance_is_optimal_for_the_planning_estimate(seed):
    line, work = zone_line(seed)
    r = rebalance(line, "A", "min-cycle", time_limit=5.0)
    assert r.proven_optimal
    assert r.planned_cycle_s == pytest.approx(brute_planned_cycle(line, work))
    new = r.line
    assert isinstance(new, Line)
    names = sorted(t.name for s in new.stations for t in s.tasks)
    assert names == sorted(f"t{j}" for j in range(7))
    station_of = {t.name: i for i, s in enumerate(new.stations) for t in s.tasks}
    for s in new.stations:
        for t in s.tasks:
            assert all(station_of[p] <= station_of[t.name] for p in t.after)
    assert not new.stations[2].tasks  # zone B is not touched
    if r.improved:
        assert r.zone_cycle_after_s < r.zone_cycle_before_s
    else:
        assert new is line and not r.moved


def test_min_stations_empties_a_station_when_the_work_fits_in_one():
    poses = reachable_poses(3, 11)
    tasks = [{"name": f"t{j}", "pose": poses[j], "process_time_s": 0.2, "work_content_s": 1.0} for j in range(3)]
    line = line_from_dict(_line_dict(tasks[:1], tasks[1:]))
    r = rebalance(line, "A", "min-stations", cycle_time=60.0, time_limit=5.0)
    assert r.planned_stations == 1 and r.proven_optimal
    assert r.improved and r.stations_used_after == 1
    assert sum(len(s.tasks) for s in r.line.stations[:2]) == 3


def test_bad_rebalance_requests_are_refused():
    line, _ = zone_line(0)
    with pytest.raises(ValueError, match="zone.*no zone 'C'.*A, B"):
        rebalance(line, "C")
    with pytest.raises(ValueError, match="objective"):
        rebalance(line, "A", "fastest")
    with pytest.raises(ValueError, match="line"):
        rebalance({"name": "x"}, "A")
    with pytest.raises(ValueError, match="time_limit"):
        rebalance(line, "A", time_limit=-1)


def test_task_no_robot_of_the_zone_reaches_is_refused_by_name():
    poses = reachable_poses(2, 5)
    far = {"xyz_m": [9.0, 9.0, 9.0], "rpy_deg": [180.0, 0.0, 0.0]}
    tasks = [{"name": "near", "pose": poses[0], "process_time_s": 0.2},
             {"name": "far-away", "pose": far, "process_time_s": 0.2}]
    line = line_from_dict(_line_dict(tasks[:1], tasks[1:]), check_reach=False)
    with pytest.raises(ValueError, match="far-away.*no robot"):
        rebalance(line, "A")


def test_rebalance_gives_the_same_answer_twice_and_on_a_busy_machine():
    # zone 2 of the module line is not solved to optimality in 0.5 s: the search stops on its
    # budget, and that budget is deterministic time, not the wall clock
    line = load_example("module-line")
    first = rebalance(line, 2, time_limit=0.5)
    assert not first.proven_optimal
    again = rebalance(line, 2, time_limit=0.5)
    with cores_saturated(every_core()):
        loaded = rebalance(line, 2, time_limit=0.5)
    for other in (again, loaded):
        assert other.to_dict() == first.to_dict()
        assert other.line == first.line


def test_zone_without_robots_is_reported_unchanged():
    line = load_example("module-line")
    r = rebalance(line, 4)  # the end-of-line test station: no robots, no tasks
    assert r.line is line and not r.moved and not r.improved
    assert r.zone_cycle_after_s == r.zone_cycle_before_s
