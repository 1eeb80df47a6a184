"""Sequencing on a line: re-order each robot's tasks, or share a station's tasks over more robots.

Both functions return a new :class:`~cyclecore.model.line.Line` and a before/after report, per robot
(cycle, motion time, TCP and joint path length) and per station. "Before" and "after" are both
the deterministic analysis of :mod:`cyclecore.analysis.deterministic` (exact jerk-limited PTP moves, IK
configurations chosen closest to the previous one in program order), so the report always
agrees with ``cyclecore.analyze`` on the returned line.

* :func:`sequence` solves each robot's route over every IK configuration of its tasks
  (generalised TSP) and also over the configurations its program uses now; the shorter one as
  analysed wins, and a robot keeps the file's order unless a new order is strictly faster — no
  robot ever gets slower.
* :func:`split_station` mounts extra robots (same model, tool and home as the station's first
  robot) at the station's ``robot_slots`` and splits the tasks over all of them with
  :func:`~cyclecore.sequencing.split_tasks`, starting from the current split; if the analysed
  station cycle would not improve, the tasks stay where they were (the new robots idle), so
  adding robots never makes the station slower.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from cyclecore.robot.cell import configuration_options, flange_targets, robot_program
from cyclecore.analysis.deterministic import robot_cycles, station_cycle
from cyclecore.model.line import Line, Robot, Station, Task
from cyclecore.robot.motion import move_time_matrix
from cyclecore.arguments import check_seed, check_time_limit
from cyclecore.sequencing.sequencer import best_route
from cyclecore.sequencing.station_split import split_tasks


@dataclass(frozen=True)
class RobotBeforeAfter:
    """One robot's cycle and path before and after (s, m, rad)."""

    station: str
    robot: str
    tasks_before: int
    tasks_after: int
    cycle_before_s: float
    cycle_after_s: float
    motion_before_s: float
    motion_after_s: float
    tcp_path_before_m: float
    tcp_path_after_m: float
    joint_path_before_rad: float
    joint_path_after_rad: float
    method: str

    @property
    def saved_s(self) -> float:
        return self.cycle_before_s - self.cycle_after_s


@dataclass(frozen=True)
class StationBeforeAfter:
    """A station's analysed cycle before and after, s."""

    station: str
    cycle_before_s: float
    cycle_after_s: float


@dataclass(frozen=True)
class LineChangeReport:
    """A new line and what changed: per robot and per station, before and after."""

    line: Line
    robots: tuple[RobotBeforeAfter, ...]
    stations: tuple[StationBeforeAfter, ...]

    @property
    def robot_time_saved_s(self) -> float:
        """Sum over robots of cycle before - after, s (the total improvement)."""
        return float(sum(r.saved_s for r in self.robots))

    @property
    def tcp_path_saved_m(self) -> float:
        return float(sum(r.tcp_path_before_m - r.tcp_path_after_m for r in self.robots))

    def to_dict(self) -> dict:
        return {
            "line": self.line.name,
            "robots": [asdict(r) for r in self.robots],
            "stations": [asdict(s) for s in self.stations],
            "robot_time_saved_s": self.robot_time_saved_s,
            "tcp_path_saved_m": self.tcp_path_saved_m,
        }

    def __str__(self) -> str:
        rows = [f"{'station':14s} {'robot':8s} {'tasks':>11s} {'cycle s':>17s} {'TCP path m':>15s}  method"]
        for r in self.robots:
            rows.append(
                f"{r.station:14s} {r.robot:8s} {r.tasks_before:5d}->{r.tasks_after:<5d} "
                f"{r.cycle_before_s:7.2f}->{r.cycle_after_s:<8.2f} "
                f"{r.tcp_path_before_m:6.2f}->{r.tcp_path_after_m:<7.2f}  {r.method}"
            )
        for s in self.stations:
            rows.append(f"station {s.station}: cycle {s.cycle_before_s:.2f} s -> {s.cycle_after_s:.2f} s")
        rows.append(
            f"total: {self.robot_time_saved_s:.2f} s of robot time and "
            f"{self.tcp_path_saved_m:.2f} m of TCP path saved per unit"
        )
        return "\n".join(rows)


def _check_line(line) -> Line:
    if not isinstance(line, Line):
        raise ValueError(f"line: expected a cyclecore Line, got {type(line).__name__}")
    return line


def _station(line: Line, name) -> Station:
    try:
        return line.station(name)
    except KeyError:
        known = ", ".join(s.name for s in line.stations)
        raise ValueError(f"station: unknown station {name!r}; expected one of {known}") from None


def _single(station: Station, robot: Robot, tasks: list[Task]) -> Station:
    """The station as seen by one robot doing ``tasks`` in this order."""
    return station.evolve(robots=(robot,), tasks=tuple(tasks))


def _with_order(station: Station, robot: Robot, order: list[Task]) -> Station:
    """The station with ``robot``'s tasks in ``order``, every other task where it was."""
    mine = {t.name for t in station.tasks_of(robot.name)}
    queue = iter(order)  # the new tasks may also carry the configuration chosen for them
    tasks = [next(queue) if t.name in mine else t for t in station.tasks]
    return station.evolve(tasks=tuple(tasks))


def _precedence(tasks: list[Task]) -> list[tuple[int, int]]:
    """Pairs among these tasks (numbered from 1); predecessors done elsewhere are ignored."""
    number = {t.name: k for k, t in enumerate(tasks, start=1)}
    return [(number[a], number[t.name]) for t in tasks for a in t.after if a in number]


def _in_configuration(task: Task, q: np.ndarray) -> Task:
    """The task taught in configuration ``q`` (rad), so the analysis reaches it exactly that way."""
    if task.pose is None:
        return task
    return task.evolve(configuration_deg=tuple(np.degrees(q).tolist()))


def _sequence_robot(line: Line, station: Station, robot: Robot, time_limit: float, seed: int):
    tasks = station.tasks_of(robot.name)
    model = line.robot_model(robot.model)
    limits = (model.vmax, model.amax, model.jmax)
    pairs = _precedence(tasks)
    candidates: list[tuple[str, list[Task]]] = []
    if len(tasks) >= 2:
        options = configuration_options(line, station, robot, tasks)
        if options.reachable.all():
            times = move_time_matrix(options.configs, *limits, robot.speed_override)
            route = best_route(times, time_limit, pairs, alternatives=[list(g) for g in options.groups],
                               seed=seed)
            task_of = {v: k for k, g in enumerate(options.groups) for v in g}
            chosen = [_in_configuration(tasks[task_of[int(v)]], options.configs[int(v)])
                      for v in route.order[1:-1]]
            candidates.append((f"ik-choice {route.method}", chosen))
        program = robot_program(line, station, robot, tasks)
        times = move_time_matrix(program.configs, *limits, robot.speed_override)
        route = best_route(times, time_limit, pairs, seed=seed)
        candidates.append((f"program-ik {route.method}", [tasks[int(v) - 1] for v in route.order[1:-1]]))
    before = robot_cycles(line, _single(station, robot, tasks))[0]
    best, best_order, best_method = before, tasks, "kept"
    for method, order in candidates:
        after = robot_cycles(line, _single(station, robot, order))[0]
        if after.cycle_s < best.cycle_s - 1e-9:
            best, best_order, best_method = after, order, method
    return before, best, best_order, best_method


def _row(station: str, before, after, method: str) -> RobotBeforeAfter:
    return RobotBeforeAfter(
        station, before.robot, before.tasks, after.tasks, before.cycle_s, after.cycle_s,
        before.motion_s, after.motion_s, before.tcp_path_m, after.tcp_path_m,
        before.joint_path_rad, after.joint_path_rad, method,
    )


def sequence(line, station=None, time_limit=1.0, *, seed=0) -> LineChangeReport:
    """Re-order every robot's tasks (of one station, or of the whole line) for a shorter cycle.

    line: a :class:`~cyclecore.model.line.Line`. station: a station name, or None for every station.
    time_limit: s per robot and candidate (routes of up to 12 tasks are solved exactly).
    Precedence (``after``) between tasks of the same robot is kept. Returns a
    :class:`LineChangeReport` whose ``line`` is the re-sequenced line; no robot gets slower.
    """
    line = _check_line(line)
    time_limit = check_time_limit(time_limit)
    seed = check_seed(seed)
    names = [s.name for s in line.stations] if station is None else [_station(line, station).name]
    new_line = line
    robot_rows, station_rows = [], []
    for name in names:
        current = new_line.station(name)
        before_station = station_cycle(new_line, current)
        for robot in current.robots:
            before, after, order, method = _sequence_robot(new_line, current, robot, time_limit, seed)
            current = _with_order(current, robot, order)
            robot_rows.append(_row(name, before, after, method))
        new_line = new_line.with_station(current)
        after_station = station_cycle(new_line, current)
        station_rows.append(StationBeforeAfter(name, before_station.cycle_s, after_station.cycle_s))
    return LineChangeReport(new_line, tuple(robot_rows), tuple(station_rows))


def _robots_for(station: Station, k: int) -> list[Robot]:
    existing = list(station.robots)
    if k <= len(existing):
        return existing[:k]
    if not existing:
        raise ValueError(f"station: {station.name!r} has no robot to copy for the extra robots")
    # A slot where a robot already stands (one added by an earlier split) is taken.
    bases = [r.base for r in existing]
    free = [slot for slot in station.robot_slots if slot not in bases]
    available = len(existing) + len(free)
    if k > available:
        raise ValueError(
            f"robots: station {station.name!r} has {len(existing)} robots and {len(free)} free "
            f"robot slots, so at most {available} robots; got {k}"
        )
    template = existing[0]
    taken = {r.name for r in existing}
    added = []
    number = 1
    for slot in free[: k - len(existing)]:
        while f"R{number}" in taken:
            number += 1
        taken.add(f"R{number}")
        added.append(template.evolve(name=f"R{number}", base=slot))
    return existing + added


def _split_matrices(line: Line, station: Station, robots: list[Robot]) -> list[np.ndarray]:
    """Per robot: PTP times between its home and every task, each task at the IK configuration
    closest to that robot's home; inf where it cannot reach or may not do a task."""
    tasks = station.tasks
    matrices = []
    for robot in robots:
        model = line.robot_model(robot.model)
        configs = np.empty((len(tasks) + 1, 6))
        configs[0] = robot.home
        allowed = np.ones(len(tasks), dtype=bool)
        targets = flange_targets(robot, tasks)
        pose_rows = [k for k, t in enumerate(tasks) if t.pose is not None]
        if pose_rows:
            q, ok = model.arm.closest(targets[pose_rows], robot.home)
            for row, k in enumerate(pose_rows):
                allowed[k] = bool(ok[row])
                configs[k + 1] = q[row] if ok[row] else robot.home
        for k, task in enumerate(tasks):
            if task.joints_deg is not None:
                # A taught joint target belongs to the robot it was taught on.
                allowed[k] = task.robot in (None, robot.name)
                configs[k + 1] = np.radians(task.joints_deg)
            if task.robots is not None and robot.name not in task.robots:
                allowed[k] = False
        times = move_time_matrix(configs, model.vmax, model.amax, model.jmax, robot.speed_override)
        blocked = np.concatenate([[False], ~allowed])
        times[blocked, :] = np.inf
        times[:, blocked] = np.inf
        times[blocked, blocked] = 0.0
        matrices.append(times)
    return matrices


def split_station(line, station, robots, time_limit=5.0, *, seed=0) -> LineChangeReport:
    """Share a station's tasks over ``robots`` robots, adding robots at its robot slots.

    robots: total robots wanted (>= 1); above the station's current count, extra robots (a copy
    of its first robot) are mounted at ``robot_slots`` in order; below it, the first ``robots``
    robots are kept. time_limit: s for the split search. Precedence (``after``) within the
    station holds in time across robots. Returns a :class:`LineChangeReport`; with at least the
    current robots, the analysed station cycle never increases.
    """
    line = _check_line(line)
    current = _station(line, station)
    if isinstance(robots, (bool, np.bool_)) or not isinstance(robots, (int, np.integer)) or robots < 1:
        raise ValueError(f"robots: expected an integer number of robots >= 1 (k >= 1), got {robots!r}")
    time_limit = check_time_limit(time_limit)
    seed = check_seed(seed)
    team = _robots_for(current, int(robots))
    tasks = list(current.tasks)
    if not tasks:
        raise ValueError(f"station: {current.name!r} has no tasks to split")
    index = {t.name: k for k, t in enumerate(tasks, start=1)}
    matrices = _split_matrices(line, current, team)
    process = np.array([t.process_time_s + t.logic_time_s for t in tasks])
    pairs = [(index[a], index[t.name]) for t in tasks for a in t.after if a in index]
    names = [r.name for r in team]
    initial = None
    if len(team) >= len(current.robots):
        initial = [[index[t.name] for t in current.tasks_of(r.name)] for r in current.robots]
        covered = sorted(j for route in initial for j in route)
        reach_ok = all(np.isfinite(matrices[r][0, j]) or np.isfinite(matrices[r][j]).sum() > 1
                       for r, route in enumerate(initial) for j in route)
        if covered != list(range(1, len(tasks) + 1)) or not reach_ok:
            initial = None
    split = split_tasks(matrices, process, pairs, time_limit, seed, initial_routes=initial)

    ordered = [tasks[j - 1].evolve(robot=names[r])
               for r, route in enumerate(split.routes) for j in route[1:-1]]
    proposal = current.evolve(robots=tuple(team), tasks=tuple(ordered))
    kept = current.evolve(robots=tuple(team))
    before = station_cycle(line, current)
    after = station_cycle(line.with_station(proposal), proposal)
    method = split.method
    if len(team) >= len(current.robots) and after.cycle_s > before.cycle_s:
        # The split model's IK choice differs from the analysis' where they disagree, so keep
        # the current split with the new robots idle (never slower).
        proposal, after, method = kept, station_cycle(line.with_station(kept), kept), "kept"
    new_line = line.with_station(proposal)
    old = {r.robot: r for r in before.robots}
    rows = []
    for r in after.robots:
        prior = old.get(r.robot)
        if prior is None:  # a newly mounted robot had no cycle before
            prior = r.__class__(r.robot, r.model, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        rows.append(_row(current.name, prior, r, method))
    return LineChangeReport(
        new_line, tuple(rows), (StationBeforeAfter(current.name, before.cycle_s, after.cycle_s),)
    )
