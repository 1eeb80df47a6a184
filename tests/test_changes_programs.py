"""Robot programs as changes: Resequence finds the shortest program of one robot (checked by
brute force over every order and every inverse-kinematics branch), AddRobots the best split of a
small station over its robots (brute force over every assignment and order), neither is ever
slower than the line it starts from, and both give the same answer every time."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import cyclecore
from cyclecore.analysis.deterministic import robot_cycles, station_cycle
from cyclecore.changes import AddRobots, Resequence
from cyclecore.files.line_file import line_from_dict
from cyclecore.robot.geometry import rpy_from_matrix
from cyclecore.robot.motion import ptp_duration

MODEL = "IRB2400-10"
HOME = [0.0, 0.0, 0.0, 0.0, 60.0, 0.0]


def one_station_line(tasks, *, slots=(), override=1.0, index_time_s=2.0):
    robot = {"name": "R1", "model": MODEL, "home_deg": HOME, "speed_override": override}
    return line_from_dict({"name": "programs", "stations": [
        {"name": "S1", "index_time_s": index_time_s, "robots": [robot], "tasks": tasks,
         "robot_slots": [{"xyz_m": list(xyz)} for xyz in slots]}]})


def random_joints(rng, n):
    return [[float(v) for v in np.array(HOME) + rng.uniform(-40, 40, size=6)] for _ in range(n)]


def reachable_poses(rng, n):
    """TCP poses made by forward kinematics of joint values near home, so the robot reaches them
    (base and tool at the identity: the pose is the flange pose)."""
    arm = cyclecore.load_example("tutorial").robot_model(MODEL).arm
    flange = arm.forward(np.radians(np.array(random_joints(rng, n))))
    return [{"xyz_m": [float(v) for v in f[:3, 3]], "rpy_deg": [float(v) for v in np.degrees(rpy_from_matrix(f))]}
            for f in flange]


def move_s(line, q0, q1, override):
    model = line.robot_model(MODEL)
    return ptp_duration(q0, q1, model.vmax, model.amax, model.jmax, override)


def brute_force_program_s(line, tasks, options, override):
    """Shortest home -> tasks -> home over every precedence-feasible order and, along each order,
    every choice among each task's configurations (a shortest path through the layers).
    ``options[name]``: (m, 6) rad configurations of that task."""
    home = np.radians(HOME)
    fixed = sum(t["process_time_s"] + t.get("logic_time_s", 0.0) for t in tasks)
    best = np.inf
    for order in itertools.permutations(tasks):
        done = set()
        feasible = True
        for task in order:
            if not set(task.get("after", [])) <= done:
                feasible = False
                break
            done.add(task["name"])
        if not feasible:
            continue
        reach = np.array([move_s(line, home, q, override) for q in options[order[0]["name"]]])
        for before, task in zip(order, order[1:]):
            here = options[task["name"]]
            reach = np.array([min(reach[i] + move_s(line, p, q, override)
                                  for i, p in enumerate(options[before["name"]])) for q in here])
        total = min(reach[i] + move_s(line, q, home, override) for i, q in enumerate(options[order[-1]["name"]]))
        best = min(best, total)
    return best + fixed


@pytest.mark.parametrize("seed", range(3))
def test_resequenced_joint_target_program_is_the_brute_force_shortest(seed):
    rng = np.random.default_rng(seed)
    names = [f"t{k}" for k in range(7)]
    tasks = [{"name": name, "joints_deg": q, "process_time_s": float(rng.uniform(0.1, 1.0)),
              "logic_time_s": 0.1} for name, q in zip(names, random_joints(rng, 7))]
    tasks[5]["after"] = ["t2"]  # a precedence pair the shortest program must keep
    line = one_station_line(tasks, override=0.8)
    options = {t["name"]: np.radians([t["joints_deg"]]) for t in tasks}
    before = robot_cycles(line, line.station("S1"))[0].cycle_s

    changed = Resequence("S1", "R1").apply(line)

    after = robot_cycles(changed, changed.station("S1"))[0].cycle_s
    oracle = brute_force_program_s(line, tasks, options, 0.8)
    assert oracle < before  # the file's order is not the shortest, so the change has work to do
    assert after == pytest.approx(oracle, rel=1e-9)
    order = [t.name for t in changed.station("S1").tasks]
    assert sorted(order) == names and order.index("t2") < order.index("t5")


@pytest.mark.parametrize("seed", range(2))
def test_resequenced_pose_program_is_no_longer_than_every_order_and_ik_branch(seed):
    rng = np.random.default_rng(10 + seed)
    tasks = [{"name": f"p{k}", "pose": pose, "process_time_s": 0.3}
             for k, pose in enumerate(reachable_poses(rng, 5))]
    line = one_station_line(tasks)
    arm = line.robot_model(MODEL).arm
    flange = np.array([t.pose.matrix for t in line.station("S1").tasks])
    options = {}
    for task, branches in zip(tasks, arm.inverse(flange)):
        options[task["name"]] = branches[~np.isnan(branches).any(axis=1)]
        assert len(options[task["name"]]) >= 2  # a real choice of configuration
    before = robot_cycles(line, line.station("S1"))[0].cycle_s
    oracle = brute_force_program_s(line, tasks, options, 1.0)
    assert oracle < before  # the file's order and configurations are not the best

    changed = Resequence("S1", "R1").apply(line)

    # The search may also use wrist angles ± 360°, beyond the eight branches: never longer.
    after = robot_cycles(changed, changed.station("S1"))[0].cycle_s
    assert after <= oracle * (1 + 1e-9)


def test_a_resequenced_program_is_kept_when_resequenced_again():
    line = cyclecore.load_example("tutorial")
    once = Resequence("ST20", "R1").apply(line)
    assert once.station("ST20") != line.station("ST20")
    assert Resequence("ST20", "R1").apply(once) == once


def test_only_the_named_robot_is_resequenced():
    line = cyclecore.load_example("tutorial")
    changed = Resequence("ST10", "R2").apply(line)
    old, new = line.station("ST10"), changed.station("ST10")
    assert new.tasks_of("R1") == old.tasks_of("R1")
    assert robot_cycles(changed, new)[1].cycle_s <= robot_cycles(line, old)[1].cycle_s


def brute_force_split_cycle_s(line, tasks, robots):
    """Shortest station cycle over every assignment of tasks to ``robots`` identical robots and
    every order of each robot's tasks (joint targets: the same move times for every robot)."""
    home = np.radians(HOME)
    station = line.station("S1")

    def program_s(mine):
        if not mine:
            return 0.0
        best = np.inf
        for order in itertools.permutations(mine):
            path = [home, *(np.radians(t["joints_deg"]) for t in order), home]
            best = min(best, sum(move_s(line, a, b, 1.0) for a, b in zip(path, path[1:])))
        return best + sum(t["process_time_s"] for t in mine)

    best = np.inf
    for assignment in itertools.product(range(robots), repeat=len(tasks)):
        groups = [[t for t, r in zip(tasks, assignment) if r == k] for k in range(robots)]
        best = min(best, max(program_s(g) for g in groups))
    return best + station.index_time_s


@pytest.mark.parametrize("seed", range(2))
def test_added_robot_splits_a_small_station_as_brute_force_does(seed):
    rng = np.random.default_rng(20 + seed)
    tasks = [{"name": f"j{k}", "joints_deg": q, "process_time_s": float(rng.uniform(0.5, 2.0))}
             for k, q in enumerate(random_joints(rng, 5))]
    line = one_station_line(tasks, slots=[(1.5, 0.0, 0.0)])
    before = station_cycle(line, line.station("S1")).cycle_s

    changed = AddRobots("S1", 1).apply(line)

    station = changed.station("S1")
    assert [r.name for r in station.robots] == ["R1", "R2"]
    assert station.robots[1].base == line.station("S1").robot_slots[0]
    after = station_cycle(changed, station).cycle_s
    assert after == pytest.approx(brute_force_split_cycle_s(line, tasks, 2), rel=1e-9)
    assert after < before


def test_added_robots_never_slow_the_module_lines_bottleneck_and_repeat_exactly():
    line = cyclecore.load_example("module-line")
    name = cyclecore.analyze(line).bottleneck
    station = line.station(name)
    before = station_cycle(line, station).cycle_s

    first = AddRobots(name, 1).on_station(line, station)
    again = AddRobots(name, 1).on_station(line, station)

    assert first == again
    assert len(first.robots) == len(station.robots) + 1
    assert station_cycle(line, first).cycle_s <= before
    assert sorted(t.name for t in first.tasks) == sorted(t.name for t in station.tasks)


def test_program_changes_on_a_large_station_repeat_exactly():
    # BS12's split is where a too-short budget let the clock, not the search's counts, end it.
    line = cyclecore.load_example("body-shop")
    station = line.station("BS12")
    for change in (AddRobots("BS12", 1), Resequence("BS12", station.robots[0].name)):
        first = change.on_station(line, station)
        assert all(change.on_station(line, station) == first for _ in range(2))


def test_robots_need_free_slots():
    line = cyclecore.load_example("tutorial")  # ST10 has no robot slots, ST20 one
    with pytest.raises(ValueError, match=r"robots: station 'ST10' has 0 free robot slot\(s\)"):
        AddRobots("ST10", 1).apply(line)
    with pytest.raises(ValueError, match=r"robots: station 'ST20' has 1 free robot slot\(s\) .* got 2"):
        AddRobots("ST20", 2).apply(line)
    with pytest.raises(ValueError, match="robots: expected a whole number of extra robots >= 1, got 0"):
        AddRobots("ST20", 0)
