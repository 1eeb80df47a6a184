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

The same two steps are also change values for a plan: :class:`Resequence` re-orders one robot's
program and :class:`AddRobots` adds robots to one station, each with a fixed search budget
(:data:`PROGRAM_TIME_LIMIT_S`, :data:`SPLIT_TIME_LIMIT_S`) and seed, so the same line always
gives the same result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cyclecore.analysis.deterministic import robot_cycles, station_cycle
from cyclecore.arguments import check_seed, check_time_limit
from cyclecore.changes.base import Price, StationChange, checked_count, checked_name, lever_price, station_robot
from cyclecore.model.line import Line, Robot, Station, Task
from cyclecore.results import Result, text_block
from cyclecore.robot.cell import configuration_options, flange_targets, robot_program
from cyclecore.robot.motion import move_time_matrix
from cyclecore.sequencing.sequencer import best_route
from cyclecore.sequencing.station_split import split_tasks

# Search budgets of the change values (s): each sizes its search's step counts, which end it, and
# caps it on the clock. Re-sequencing sizes every stage from its limit, so a short one repeats.
# The split's OR-Tools stage stops after a fixed 100 solutions (up to ~0.25 s on the body shop's
# stations) or at half its limit: below about 1 s the clock ends it first and the split changes
# from run to run (seen at 0.25 s on BS12), so the split keeps a longer budget.
PROGRAM_TIME_LIMIT_S = 0.25
SPLIT_TIME_LIMIT_S = 0.5
PROGRAM_SEED = 0


@dataclass(frozen=True)
class RobotBeforeAfter(Result):
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
class StationBeforeAfter(Result):
    """A station's analysed cycle before and after, s."""

    station: str
    cycle_before_s: float
    cycle_after_s: float


@dataclass(frozen=True)
class LineChangeReport(Result):
    """A new line and what changed: per robot and per station, before and after."""

    line: Line
    robots: tuple[RobotBeforeAfter, ...]
    stations: tuple[StationBeforeAfter, ...]

    dict_omit = ("line",)  # the new line has its own file (``--output``); the dict names it
    dict_properties = ("robot_time_saved_s", "tcp_path_saved_m")

    @property
    def robot_time_saved_s(self) -> float:
        """Sum over robots of cycle before - after, s (the total improvement)."""
        return float(sum(r.saved_s for r in self.robots))

    @property
    def tcp_path_saved_m(self) -> float:
        return float(sum(r.tcp_path_before_m - r.tcp_path_after_m for r in self.robots))

    def to_dict(self) -> dict:
        return {"line": self.line.name, **super().to_dict()}

    def station(self, name: str) -> StationBeforeAfter:
        from cyclecore.results import lookup

        return lookup(self.stations, name, owner="this change", kind="station", key="station")

    def __rich__(self):
        from rich.table import Table
        from rich.text import Text

        table = Table(title=Text(f"{self.line.name}: robots before -> after"), title_justify="left")
        for header in ("station", "robot", "tasks", "cycle s", "TCP path m", "method"):
            table.add_column(header, justify="left" if header in ("station", "robot", "method") else "right")
        for r in self.robots:
            table.add_row(Text(r.station), Text(r.robot), f"{r.tasks_before} -> {r.tasks_after}",
                          f"{r.cycle_before_s:.2f} -> {r.cycle_after_s:.2f}",
                          f"{r.tcp_path_before_m:.2f} -> {r.tcp_path_after_m:.2f}", r.method)
        rows = [f"station {s.station}: cycle {s.cycle_before_s:.2f} s -> {s.cycle_after_s:.2f} s"
                for s in self.stations]
        rows.append(f"total: {self.robot_time_saved_s:.2f} s of robot time and "
                    f"{self.tcp_path_saved_m:.2f} m of TCP path saved per unit")
        return text_block(table, *rows)


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


def free_slots(station: Station) -> tuple:
    """The station's robot slots no robot stands on yet (one added by an earlier split takes one)."""
    bases = [r.base for r in station.robots]
    return tuple(slot for slot in station.robot_slots if slot not in bases)


def _robots_for(station: Station, k: int) -> list[Robot]:
    existing = list(station.robots)
    if k <= len(existing):
        return existing[:k]
    if not existing:
        raise ValueError(f"station: {station.name!r} has no robot to copy for the extra robots")
    free = free_slots(station)
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


def _station_path(line: Line, station: Station) -> str:
    """``stations[i] 'name'``: where the user wrote the station (its name alone when not on ``line``)."""
    names = [s.name for s in line.stations]
    return f"stations[{names.index(station.name)}] {station.name!r}" if station.name in names else repr(station.name)


def _check_split_size(line: Line, station: Station) -> None:
    """ValueError in the line's words when the station has more tasks than a route can hold."""
    from cyclecore import limits

    most = limits.ROUTE_NODES.high - 1  # a robot's route also holds its home
    if len(station.tasks) > most:
        raise ValueError(f"{_station_path(line, station)}.tasks: the station has {len(station.tasks):,} tasks, at most "
                         f"{most:,} can be split over robots ({limits.ROUTE_NODES.reason}); move tasks to other "
                         "stations first")


def _check_split_reach(line: Line, station: Station, team: list[Robot], matrices) -> None:
    """ValueError naming the first task no robot of ``team`` may do (out of reach, not in its
    ``robots`` list, or taught in joints for another robot)."""
    reach = np.zeros(len(station.tasks), dtype=bool)
    for times in matrices:
        reach |= np.isfinite(times[0, 1:])
    if reach.all():
        return
    k = int(np.flatnonzero(~reach)[0])
    task = station.tasks[k]
    if task.joints_deg is not None and task.robot is not None:
        why = f"it is taught in joints for robot {task.robot!r}"
    elif task.robots is not None:
        why = f"its robots list allows only {', '.join(task.robots)}"
    else:
        why = "its pose is out of every robot's reach"
    robots = ", ".join(f"{r.name} at {tuple(round(float(v), 3) for v in r.base.xyz_m)}" for r in team)
    if len(team) < len(station.robots):
        robots += f": the split keeps the first {len(team)} of the station's {len(station.robots)} robots"
    raise ValueError(f"{_station_path(line, station)}.tasks[{k}] {task.name!r}: no robot of the split may do this "
                     f"task ({why}; robots {robots}); change the task or the station's robot_slots")


def _split(line: Line, current: Station, robots: int, time_limit: float, seed: int):
    """The station with its tasks shared over ``robots`` robots, its analysed cycle before and
    after, and the method; only the station is built (the caller validates the line)."""
    team = _robots_for(current, robots)
    tasks = list(current.tasks)
    if not tasks:
        raise ValueError(f"station: {current.name!r} has no tasks to split")
    _check_split_size(line, current)
    index = {t.name: k for k, t in enumerate(tasks, start=1)}
    matrices = _split_matrices(line, current, team)
    _check_split_reach(line, current, team, matrices)
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
    before = station_cycle(line, current)
    after = station_cycle(line, proposal)  # the line only lends its robot models here
    method = split.method
    if len(team) >= len(current.robots) and after.cycle_s > before.cycle_s:
        # The split model's IK choice differs from the analysis' where they disagree, so keep
        # the current split with the new robots idle (never slower).
        proposal = current.evolve(robots=tuple(team))
        after, method = station_cycle(line, proposal), "kept"
    return proposal, before, after, method


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
    proposal, before, after, method = _split(line, current, int(robots), time_limit, seed)
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


# --- the same steps as change values ---------------------------------------------------------------


@dataclass(frozen=True)
class Resequence(StationChange):
    """Re-order one robot's program (and the arm configurations it reaches its tasks in) for the
    shortest cycle; the robot keeps its order unless a new one is strictly faster.

    Price: the cost book's ``resequence`` (re-teach and validate one program), lever "resequence".
    """

    station: str
    robot: str
    kind = "resequence"

    def __post_init__(self):
        checked_name("station", self.station)
        checked_name("robot", self.robot)

    def on_station(self, line: Line, station: Station) -> Station:
        from cyclecore.changes.solved import remembered, station_value

        robot = station_robot(station, self.robot)

        def solve():
            _, _, order, _ = _sequence_robot(line, station, robot, PROGRAM_TIME_LIMIT_S, PROGRAM_SEED)
            return _with_order(station, robot, order)

        return remembered((self, station_value(line, station)), solve)

    def price(self, line: Line) -> Price:
        return lever_price(line, "resequence", line.costs.resequence)

    def describe(self) -> str:
        return f"re-sequence {self.robot} at {self.station}"


@dataclass(frozen=True)
class AddRobots(StationChange):
    """Mount ``robots`` more robots (copies of the station's first robot) at free robot slots
    and re-split the station's tasks over all its robots; never slower than before.

    A plan holds one AddRobots per station: two more robots is ``AddRobots(s, 2)``, which replaces
    ``AddRobots(s, 1)`` rather than following it. Price: ``robots`` × (``robot`` +
    ``robot_integration``) from the cost book, lever "robot".
    """

    station: str
    robots: int
    kind = "add_robots"

    def __post_init__(self):
        checked_name("station", self.station)
        object.__setattr__(self, "robots", checked_count("robots", self.robots, "extra robots"))

    def on_station(self, line: Line, station: Station) -> Station:
        free = len(free_slots(station))
        if self.robots > free:
            raise ValueError(f"robots: station {station.name!r} has {free} free robot slot(s) "
                             f"(robot_slots), so at most {free} more robot(s); got {self.robots}")
        total = len(station.robots) + self.robots
        from cyclecore.changes.solved import remembered, station_value

        return remembered((self, station_value(line, station)),
                          lambda: _split(line, station, total, SPLIT_TIME_LIMIT_S, PROGRAM_SEED)[0])

    def price(self, line: Line) -> Price:
        costs = line.costs
        return lever_price(line, "robot", costs.robot + costs.robot_integration, count=self.robots)

    def describe(self) -> str:
        return f"add {self.robots} robot{'s' if self.robots != 1 else ''} at {self.station}"
