"""Rebalance and split speak the line's words, not their kernels': a task longer than the
balancer's one-day range per item in milliseconds is balanced (its work is seconds), and a zone
or station beyond what the searches can take is refused naming the zone or the station (its
field path), the limit and what to do — never `task_times[...]` or `robot_matrices`."""

from __future__ import annotations

import numpy as np
import pytest

import cyclecore
from cyclecore import limits
from cyclecore.changes.programs import split_station
from cyclecore.changes.rebalance import rebalance
from cyclecore.files.line_file import line_from_dict
from cyclecore.robot.geometry import rpy_from_matrix

MODEL = "IRB2400-10"
HOME = [0.0, 0.0, 0.0, 0.0, 60.0, 0.0]


def poses(n, seed=0):
    """Flange poses from forward kinematics near home: the robot reaches every one."""
    rng = np.random.default_rng(seed)
    arm = cyclecore.load_example("tutorial").robot_model(MODEL).arm
    joints = np.radians(np.array(HOME) + rng.uniform(-30, 30, size=(n, 6)))
    return [{"xyz_m": [float(v) for v in f[:3, 3]], "rpy_deg": [float(v) for v in np.degrees(rpy_from_matrix(f))]}
            for f in arm.forward(joints)]


def zone_line(tasks_per_station, *, logic=(), robots_per_station=1):
    """Stations S1, S2 in zone 1, each with its own robots and ``tasks_per_station`` reachable tasks;
    ``logic``: (station, task, seconds) of logic time."""
    extra = {(s, t): v for s, t, v in logic}
    stations = []
    for s in range(2):
        robots = [{"name": f"R{r + 1}", "model": MODEL, "home_deg": HOME} for r in range(robots_per_station)]
        tasks = [{"name": f"T{s}_{t}", "pose": p, "process_time_s": 1.0, "logic_time_s": extra.get((s, t), 0.0)}
                 | ({"robot": "R1"} if robots_per_station > 1 else {})
                 for t, p in enumerate(poses(tasks_per_station, seed=s))]
        stations.append({"name": f"S{s + 1}", "zone": 1, "index_time_s": 2.0, "robots": robots, "tasks": tasks})
    return line_from_dict({"name": "zones", "stations": stations})


def test_rebalance_balances_a_task_of_more_than_86_4_s_of_work():
    # 100 s of logic time was refused as "task_times[..]: got 100xxx.0, expected ... [0, 86400] s"
    # (milliseconds checked as seconds); the zone cycle can never be below its longest task
    line = zone_line(3, logic=[(0, 1, 100.0)])
    report = rebalance(line, 1, time_limit=1.0)
    assert report.planned_cycle_s >= 100.0 + 2.0
    assert report.zone_cycle_after_s >= 100.0 + 2.0


def test_rebalance_of_a_zone_beyond_the_balancing_limit_names_the_zone_and_its_stations():
    line = zone_line(2)
    big = line.stations[0]
    many = tuple(big.tasks[0].evolve(name=f"X{k}") for k in range(limits.BALANCING_TASKS.high))
    line = line.with_station(big.evolve(tasks=many))
    with pytest.raises(ValueError) as refused:
        rebalance(line, 1)
    text = str(refused.value)
    assert text.startswith("zone 1: the zone has 2,002 tasks")
    assert "stations[0] 'S1': 2,000 tasks" in text and "at most 2,000" in text
    assert "task_times" not in text


def test_split_naming_a_task_no_robot_of_the_split_may_do():
    # T0_2 may only be done by R2; a split down to R1 alone leaves it to no robot
    line = zone_line(3, robots_per_station=2)
    station = line.stations[0]
    tasks = list(station.tasks)
    tasks[2] = tasks[2].evolve(robot="R2", robots=("R2",))
    line = line.with_station(station.evolve(tasks=tuple(tasks)))
    with pytest.raises(ValueError) as refused:
        split_station(line, "S1", 1, time_limit=0.5)
    text = str(refused.value)
    assert text.startswith("stations[0] 'S1'.tasks[2] 'T0_2': no robot of the split may do this task")
    assert "R2" in text and "robot_matrices" not in text


def test_split_of_a_station_beyond_the_route_limit_names_the_station():
    line = zone_line(1)
    station = line.stations[1]
    many = tuple(station.tasks[0].evolve(name=f"X{k}") for k in range(limits.ROUTE_NODES.high))
    line = line.with_station(station.evolve(tasks=many))
    with pytest.raises(ValueError) as refused:
        split_station(line, "S2", 1, time_limit=0.5)
    text = str(refused.value)
    assert text.startswith("stations[1] 'S2'.tasks: the station has 5,000 tasks, at most 4,999")
    assert "robot_matrices" not in text
