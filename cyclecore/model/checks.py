"""Checks a line must pass beyond field types: names, references, options, precedence, robots, reach.

Each check returns :class:`~cyclecore.model.errors.Problem` values with the field path, so a file
with several mistakes is reported in one go.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from cyclecore.model.errors import Problem
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the checks read a line; Line.evolve calls them, so the import runs one way
    from cyclecore.model.line import DeclaredOption, Line


def check_line(line: Line, *, check_reach: bool = True) -> list[Problem]:
    """All problems of a schema-valid line; empty when the line can be evaluated."""
    problems = _check_names(line)
    problems += _check_work(line)
    problems += _check_robots(line)
    problems += _check_task_references(line)
    problems += _check_options(line)
    if not problems:
        problems += _check_precedence(line)
    if check_reach and not problems:
        problems += _check_reach(line)
    return problems


def _duplicates(names):
    counts = Counter(names)
    return {name for name, count in counts.items() if count > 1}


def _check_names(line: Line) -> list[Problem]:
    problems = []
    twice = _duplicates(s.name for s in line.stations)
    for i, station in enumerate(line.stations):
        if station.name in twice:
            problems.append(Problem(f"stations[{i}].name", "station names must be unique", station.name))
        for j in sorted(_duplicate_positions([r.name for r in station.robots])):
            problems.append(Problem(f"stations[{i}].robots[{j}].name",
                                    "robot names must be unique within a station", station.robots[j].name))
    seen: dict[str, str] = {}
    for i, station in enumerate(line.stations):
        for k, task in enumerate(station.tasks):
            if task.name in seen:
                problems.append(Problem(f"stations[{i}].tasks[{k}].name",
                                        f"task names must be unique in the line (also at {seen[task.name]})",
                                        task.name))
            else:
                seen[task.name] = f"stations[{i}].tasks[{k}]"
    return problems


def _check_work(line: Line) -> list[Problem]:
    """Every station does something: a station with no task, no fixed work and no index time would
    have a cycle of 0 s, an infinite output, and no bottleneck a balance could be measured against."""
    return [Problem(f"stations[{i}]", "station has no work (no tasks, fixed_time_s and index_time_s are 0); "
                                      "expected tasks, fixed_time_s > 0 or index_time_s > 0, or remove the station")
            for i, station in enumerate(line.stations)
            if not station.tasks and station.fixed_time_s == 0 and station.index_time_s == 0]


def _duplicate_positions(names: list[str]) -> set[int]:
    first: dict[str, int] = {}
    out = set()
    for position, name in enumerate(names):
        if name in first:
            out.add(position)
        else:
            first[name] = position
    return out


def _check_robots(line: Line) -> list[Problem]:
    problems = []
    known = line.models
    for i, station in enumerate(line.stations):
        for j, robot in enumerate(station.robots):
            where = f"stations[{i}].robots[{j}]"
            model = known.get(robot.model)
            if model is None:
                problems.append(Problem(f"{where}.model",
                                        f"unknown robot model; expected one of {', '.join(sorted(known))} "
                                        "or a model defined under robot_models", robot.model))
                continue
            outside = _outside_limits(np.radians(robot.home_deg), model)
            if outside:
                problems.append(Problem(f"{where}.home_deg",
                                        f"axis {outside} outside the joint limits of {robot.model}", robot.home_deg))
    return problems


def _outside_limits(q: np.ndarray, model) -> str:
    tol = 1e-9
    bad = np.flatnonzero((q < model.joint_min - tol) | (q > model.joint_max + tol))
    return ", ".join(f"A{a + 1}" for a in bad)


def _outside_limits_deg(q_deg, model) -> str:
    """As :func:`_outside_limits` for six values in degrees, without arrays: called per task."""
    bad = [f"A{a + 1}" for a, (q, lo, hi) in enumerate(zip(q_deg, model.joint_min_deg, model.joint_max_deg))
           if q < lo - 1e-7 or q > hi + 1e-7]
    return ", ".join(bad)


def _check_task_references(line: Line) -> list[Problem]:
    problems = []
    station_of = {t.name: i for i, s in enumerate(line.stations) for t in s.tasks}
    models = line.models  # once: the property merges two dicts
    for i, station in enumerate(line.stations):
        robots = {r.name for r in station.robots}
        robot_of = {r.name: r for r in station.robots}
        for k, task in enumerate(station.tasks):
            where = f"stations[{i}].tasks[{k}]"
            if not station.robots:
                problems.append(Problem(where, "a task needs a robot, but the station has none "
                                               "(model non-robot work with fixed_time_s)", task.name))
                continue
            if task.robot is None and len(robots) > 1:
                problems.append(Problem(f"{where}.robot",
                                        f"required when a station has several robots; expected one of {', '.join(sorted(robots))}"))
            if task.robot is not None and task.robot not in robots:
                problems.append(Problem(f"{where}.robot",
                                        f"unknown robot; expected one of {', '.join(sorted(robots))}", task.robot))
            for m, allowed in enumerate(task.robots or []):
                if allowed not in robots:
                    problems.append(Problem(f"{where}.robots[{m}]",
                                            f"unknown robot; expected one of {', '.join(sorted(robots))}", allowed))
            if task.joints_deg is not None and (task.robot is None or task.robot in robots):
                robot = robot_of[task.robot] if task.robot else station.robots[0]
                model = models.get(robot.model)
                if model is not None:
                    outside = _outside_limits_deg(task.joints_deg, model)
                    if outside:
                        problems.append(Problem(f"{where}.joints_deg",
                                                f"axis {outside} outside the joint limits of {robot.model}",
                                                task.joints_deg))
            for m, before in enumerate(task.after):
                if before not in station_of:
                    problems.append(Problem(f"{where}.after[{m}]", "unknown task name", before))
                elif station_of[before] > i:
                    problems.append(Problem(f"{where}.after[{m}]",
                                            f"predecessor is done in a later station ({line.stations[station_of[before]].name}); "
                                            "expected a task in this or an earlier station", before))
                elif before == task.name:
                    problems.append(Problem(f"{where}.after[{m}]", "a task cannot precede itself", before))
    return problems


def _some(names: list[str], shown: int = 5) -> str:
    """A few names for a message: the first ``shown``, and how many there are in all."""
    if len(names) <= shown:
        return ", ".join(names)
    return ", ".join(names[:shown]) + f", … ({len(names)} in all)"


def _check_options(line: Line) -> list[Problem]:
    """Declared options: unique names, edits of existing tasks, one edit per task, and removals
    that leave every station some work."""
    problems = []
    twice = _duplicates(o.name for o in line.options)
    tasks = [t.name for s in line.stations for t in s.tasks]
    station_of = {t.name: i for i, s in enumerate(line.stations) for t in s.tasks}
    known = set(tasks)
    for i, option in enumerate(line.options):
        if option.name in twice:
            problems.append(Problem(f"options[{i}].name", "option names must be unique", option.name))
        first: dict[str, int] = {}
        for k, edit in enumerate(option.tasks):
            where = f"options[{i}].tasks[{k}].task"
            if edit.task not in known:
                problems.append(Problem(where, f"unknown task; expected a task of the line ({_some(tasks)})",
                                        edit.task))
            elif edit.task in first:
                problems.append(Problem(where, f"task already edited at options[{i}].tasks[{first[edit.task]}]; "
                                               "expected one edit per task in an option", edit.task))
            else:
                first[edit.task] = k
        for s, k in stations_emptied(line, option, station_of):
            station = line.stations[s]
            problems.append(Problem(f"options[{i}].tasks[{k}].remove",
                                    f"removes the last task of station {station.name} ({_some([t.name for t in station.tasks])}), "
                                    "which has no fixed work; expected a station to keep some work"))
    return problems


def stations_emptied(line: Line, option: DeclaredOption,
                     station_of: dict[str, int] | None = None) -> list[tuple[int, int]]:
    """Stations that ``option``'s removals leave with no task and no fixed work, as (station
    index, index of the option's last edit removing one of its tasks). ``station_of`` (task name
    → station index) may be given when many options are checked: the work is then linear in the
    option's edits, not in the line."""
    if station_of is None:
        station_of = {t.name: i for i, s in enumerate(line.stations) for t in s.tasks}
    removed: dict[int, set[str]] = {}
    last: dict[int, int] = {}
    for k, edit in enumerate(option.tasks):
        s = station_of.get(edit.task)
        if edit.remove and s is not None:
            removed.setdefault(s, set()).add(edit.task)
            last[s] = k
    return [(s, last[s]) for s in sorted(removed)
            if line.stations[s].fixed_time_s == 0 and len(removed[s]) == len(line.stations[s].tasks)]


def precedence_cycle(names: list[str], predecessors: dict[str, list[str]]) -> list[str]:
    """One cycle in a precedence graph as a list of names (empty when there is none)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in names:
        if state.get(start):
            continue
        stack = [(start, iter(predecessors.get(start, ())))]
        path = [start]
        state[start] = 1
        while stack:
            node, successors = stack[-1]
            advanced = False
            for nxt in successors:
                if state.get(nxt) == 1:
                    return path[path.index(nxt):] + [nxt]
                if not state.get(nxt):
                    state[nxt] = 1
                    path.append(nxt)
                    stack.append((nxt, iter(predecessors.get(nxt, ()))))
                    advanced = True
                    break
            if not advanced:
                state[node] = 2
                path.pop()
                stack.pop()
    return []


def _check_precedence(line: Line) -> list[Problem]:
    problems = []
    names = [t.name for s in line.stations for t in s.tasks]
    predecessors = {t.name: list(t.after) for s in line.stations for t in s.tasks}
    cycle = precedence_cycle(names, predecessors)
    if cycle:
        where = {t.name: f"stations[{i}].tasks[{k}]" for i, s in enumerate(line.stations) for k, t in enumerate(s.tasks)}
        problems.append(Problem(f"{where[cycle[0]]}.after",
                                "precedence cycle: " + " → ".join(reversed(cycle)) + "; expected an acyclic order"))
        return problems
    for i, station in enumerate(line.stations):
        positions: dict[str, int] = {}  # task name → index in the station, built for the first message
        for robot in station.robots:
            program = station.tasks_of(robot.name)
            position = {t.name: p for p, t in enumerate(program)}
            for task in program:
                for m, before in enumerate(task.after):
                    if before in position and position[before] > position[task.name]:
                        k = _index_of(station, task, positions)  # only for a message
                        problems.append(Problem(f"stations[{i}].tasks[{k}].after[{m}]",
                                                f"robot {robot.name}'s program does {task.name!r} before its "
                                                f"predecessor {before!r}; expected program order to respect precedence",
                                                before))
    return problems


def _check_reach(line: Line) -> list[Problem]:
    from cyclecore.robot.cell import robot_program

    problems = []
    for i, station in enumerate(line.stations):
        positions: dict[str, int] = {}
        for robot in station.robots:
            program = robot_program(line, station, robot)
            for task, ok in zip(program.tasks, program.reachable):
                if not ok:
                    k = _index_of(station, task, positions)
                    problems.append(Problem(f"stations[{i}].tasks[{k}].pose",
                                            f"not reachable by robot {robot.name} ({robot.model}) within its joint "
                                            "limits; expected a target inside the work envelope", task.pose.xyz_m))
    return problems


def _index_of(station, task, positions: dict[str, int]) -> int:
    """The position of ``task`` in its station, for a message: by name (unique once the name check
    passed, which these checks wait for) from ``positions``, filled once per station so that many
    messages stay linear."""
    if not positions:
        positions.update((t.name, k) for k, t in enumerate(station.tasks))
    return positions[task.name]
