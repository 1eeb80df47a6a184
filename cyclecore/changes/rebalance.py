"""Rebalance a zone of a real line: move tasks between its stations, then measure the result.

The plain SALBP models assume identical stations. A zone of a real line is not like that: each
station has its own index time, fixed work and number of robots, a task can only move to a
station whose robots reach it, and a station holds at most ``tools_allowed`` different tools. So
the zone is modelled directly in CP-SAT (same strong ideas as :mod:`.cpsat`: precedence, the
current balance as a hint, one worker and a fixed seed for determinism):

* a task's *work* is its ``work_content_s`` or, if not given, process + logic time plus an equal
  share of its robot's current motion time (motion depends on the route, which re-sequencing
  decides later: this is the planning estimate, and it is labelled as such);
* every task goes to one robot of one station that reaches it; station s with index time o_s and
  fixed work f_s meets cycle C when each of its robots' work fits: work_robot <= C - o_s, and
  f_s + o_s <= C;
* ``min-cycle`` minimises C over the zone's stations (SALBP-2 shape); ``min-stations`` keeps
  C <= ``cycle_time`` (default: the zone's current cycle) and empties as many stations as it can
  (SALBP-1 shape); either way, among equal answers the fewest tasks change station.

Tasks given as joint targets (taught for one robot) stay where they are. Task poses are taken as
the same part-frame pose in every station of the zone (the part sits identically in each). The
new line's station cycles are then evaluated exactly (:func:`cyclecore.analysis.deterministic.station_cycle`,
with real moves); the before/after report compares them, and the original line is kept when the
exact evaluation shows no gain.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cyclecore.balancing.integer_times import scaled_down, scaled_up
from cyclecore.balancing.salbp import salbp2
from cyclecore.results import Result, lookup, text_block

OBJECTIVES = ("min-cycle", "min-stations")


@dataclass(frozen=True)
class StationLoad(Result):
    """One station before or after: estimated task work and the exact station cycle, s."""

    name: str
    tasks: tuple[str, ...]
    work_s: float
    cycle_s: float


@dataclass(frozen=True)
class Rebalance(Result):
    """Result of :func:`rebalance`: the new line and the before/after comparison of the zone."""

    line: object
    zone: int | str
    objective: str
    before: tuple[StationLoad, ...]
    after: tuple[StationLoad, ...]
    zone_cycle_before_s: float
    zone_cycle_after_s: float
    stations_used_before: int
    stations_used_after: int
    moved: tuple[tuple[str, str, str], ...]  # (task, from station, to station)
    planned_cycle_s: float  # the proposal's zone cycle by the planning estimate of task work
    planned_stations: int  # stations with tasks in the proposal
    proven_optimal: bool  # the proposal is optimal for the planning estimate
    improved: bool  # the exact evaluation confirms a gain; otherwise the line is kept as it was
    clock_capped: bool = False  # the wall-clock safety cap, not the effort limit, ended the search

    dict_omit = ("line",)  # the new line has its own file (``--output``)

    def station(self, name: str) -> StationLoad:
        """A station of the zone after the change."""
        return lookup(self.after, name, owner=f"zone {self.zone!r}", kind="station")

    def __rich__(self):
        from rich.table import Table
        from rich.text import Text

        head = (f"rebalance zone {self.zone} ({self.objective}): zone cycle "
                f"{self.zone_cycle_before_s:.3f} s -> {self.zone_cycle_after_s:.3f} s, stations used "
                f"{self.stations_used_before} -> {self.stations_used_after}, {len(self.moved)} task(s) moved"
                + ("; the search was stopped by the wall-clock safety cap (a busy machine): another run "
                   "may differ" if self.clock_capped else ""))
        table = Table()
        for header in ("station", "tasks before", "cycle before s", "tasks after", "cycle after s"):
            table.add_column(header, justify="left" if header == "station" else "right")
        for b, a in zip(self.before, self.after):
            table.add_row(Text(b.name), str(len(b.tasks)), f"{b.cycle_s:.3f}", str(len(a.tasks)), f"{a.cycle_s:.3f}")
        return text_block(head, table)


def _zone_stations(line, zone):
    stations = [s for s in line.stations if s.zone == zone or str(s.zone) == str(zone)]
    if not stations:
        known = sorted({str(s.zone) for s in line.stations})
        raise ValueError(f"zone: line {line.name!r} has no zone {zone!r} (zones: {', '.join(known)})")
    return stations


def _task_work(line, station) -> dict[str, float]:
    """Planning estimate of each task's work in its current station (s), see module docstring."""
    from cyclecore.analysis.deterministic import robot_cycles

    share = {}
    for rc in robot_cycles(line, station):
        if rc.tasks:
            share[rc.robot] = rc.motion_s / rc.tasks
    work = {}
    single = station.robots[0].name if len(station.robots) == 1 else None
    for task in station.tasks:
        if task.work_content_s is not None:
            work[task.name] = float(task.work_content_s)
        else:
            robot = task.robot or single
            work[task.name] = task.process_time_s + task.logic_time_s + share.get(robot, 0.0)
    return work


def _reach(line, station, tasks) -> np.ndarray:
    """(len(tasks),) bool: some robot of the station reaches the task."""
    from cyclecore.robot.cell import configuration_options

    ok = np.zeros(len(tasks), dtype=bool)
    for robot in station.robots:
        ok |= configuration_options(line, station, robot, list(tasks)).reachable
    return ok


def _exact_cycle(line, station) -> float:
    from cyclecore.analysis.deterministic import station_cycle

    if not station.tasks and station.fixed_time_s == 0 and station.index_time_s == 0:
        return 0.0
    return station_cycle(line, station).cycle_s


def rebalance(line, zone, objective: str = "min-cycle", *, cycle_time: float | None = None,
              time_limit: float = 10.0, seed: int = 0) -> Rebalance:
    """Move tasks between the stations of ``zone`` to shorten its cycle or free stations.

    ``objective``: ``"min-cycle"`` (shortest zone cycle on the same stations) or
    ``"min-stations"`` (fewest stations with tasks at zone cycle <= ``cycle_time`` s, default the
    current zone cycle). ``time_limit``: s of CP-SAT search (deterministic time, one worker, so
    the same answer on a busy or an idle machine). Returns a :class:`Rebalance` with the new Line
    and the before/after report.
    """
    from cyclecore.arguments import check_time_limit
    from cyclecore.model.line import Line

    if not isinstance(line, Line):
        raise ValueError(f"line: expected a cyclecore Line, got {type(line).__name__}")
    if objective not in OBJECTIVES:
        raise ValueError(f"objective: expected one of {OBJECTIVES}, got {objective!r}")
    time_limit = check_time_limit(time_limit)
    _check_zone_size(line, zone, _zone_stations(line, zone))  # before any work is estimated
    tasks = _zone_tasks(line, zone)
    before = _station_loads(line, tasks.stations, tasks, tasks.home)
    cycle_before = max(b.cycle_s for b in before)
    slots = _robot_slots(line, zone, tasks)
    target = cycle_before if cycle_time is None else float(cycle_time)
    if objective == "min-stations" and not (target > 0 and math.isfinite(target)):
        raise ValueError(f"cycle_time: expected finite seconds > 0, got {cycle_time!r}")
    proposal = _propose(zone, objective, tasks, slots, target, time_limit, seed)
    return _measured(line, zone, objective, tasks, before, proposal, target)


@dataclass(frozen=True)
class _ZoneTasks:
    """The zone's stations and its tasks in flow order, with each task's home station (index
    into ``stations``) and planning estimate of its work, s."""

    stations: tuple
    tasks: tuple
    home: tuple[int, ...]
    work: tuple[float, ...]

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.tasks]

    def work_at(self, where, s: int) -> float:
        """Estimated work of the tasks placed at station index ``s`` by ``where``, s."""
        return float(sum(self.work[j] for j in range(len(self.tasks)) if where[j] == s))


@dataclass(frozen=True)
class _RobotSlots:
    """Where a task may go: one slot per robot of each zone station."""

    slots: list[tuple[int, int]]  # (station index, robot index)
    allowed: np.ndarray  # (tasks, slots) bool: the slot's robot reaches the task and may do it
    current: np.ndarray  # (tasks,) the task's slot now, -1 when its robot is not known


@dataclass(frozen=True)
class _Proposal:
    """CP-SAT's balance of the zone, judged by the planning estimate of task work."""

    where: list[int]  # station index of each task
    robot_of: list[str]  # robot name of each task
    planned_cycle_s: float
    planned_stations: int
    proven_optimal: bool
    clock_capped: bool = False


def _zone_tasks(line, zone) -> _ZoneTasks:
    stations = _zone_stations(line, zone)
    tasks, home, work = [], [], []
    for s, st in enumerate(stations):
        w = _task_work(line, st)
        for task in st.tasks:
            tasks.append(task)
            home.append(s)
            work.append(w[task.name])
    names = [t.name for t in tasks]
    if len(set(names)) != len(names):
        dup = next(nm for nm in names if names.count(nm) > 1)
        raise ValueError(f"zone: task name {dup!r} appears twice in zone {zone!r}; names must be unique")
    return _ZoneTasks(tuple(stations), tuple(tasks), tuple(home), tuple(work))


def _check_zone_size(line, zone, stations) -> None:
    """ValueError in the line's words when the zone has more tasks than a balance can take."""
    from cyclecore import limits

    n, most = sum(len(st.tasks) for st in stations), limits.BALANCING_TASKS.high
    if n > most:
        index = {s.name: i for i, s in enumerate(line.stations)}
        where = ", ".join(f"stations[{index[st.name]}] {st.name!r}: {len(st.tasks):,} tasks" for st in stations)
        raise ValueError(f"zone {zone!r}: the zone has {n:,} tasks ({where}), at most {most:,} can be balanced "
                         f"({limits.BALANCING_TASKS.reason}); move tasks out of the zone or give its "
                         "stations smaller zones")


def _station_loads(line, stations, tasks: _ZoneTasks, where) -> tuple[StationLoad, ...]:
    """Each station's tasks, estimated work and exact cycle on ``line``."""
    return tuple(StationLoad(st.name, tuple(t.name for t in st.tasks), tasks.work_at(where, s),
                             _exact_cycle(line, st))
                 for s, st in enumerate(stations))


def _robot_slots(line, zone, zone_tasks: _ZoneTasks) -> _RobotSlots:
    stations, tasks, home = zone_tasks.stations, zone_tasks.tasks, zone_tasks.home
    n = len(tasks)
    slots = [(s, r) for s, st in enumerate(stations) for r in range(len(st.robots))]
    allowed = np.zeros((n, len(slots)), dtype=bool)
    for k, (s, r) in enumerate(slots):
        st = stations[s]
        allowed[:, k] = _reach(line, st.evolve(robots=(st.robots[r],)), tasks)
    current = np.full(n, -1)
    for j, task in enumerate(tasks):
        st = stations[home[j]]
        mine = task.robot or (st.robots[0].name if len(st.robots) == 1 else None)
        for k, (s, r) in enumerate(slots):
            if s == home[j] and st.robots[r].name == mine:
                current[j] = k
            elif s == home[j] and task.robots is not None and st.robots[r].name not in task.robots:
                allowed[j, k] = False  # the line restricts which robots of its station may do it
        if task.joints_deg is not None:  # taught for its robot: it stays
            allowed[j] = False
            if current[j] >= 0:
                allowed[j, current[j]] = True
        if not allowed[j].any():
            raise ValueError(f"zone: task {task.name!r} is reached by no robot of any station in zone {zone!r}")
    return _RobotSlots(slots, allowed, current)


_SCALE = 1000  # planning estimates to the millisecond keep CP-SAT's coefficients small


def _propose(zone, objective, tasks: _ZoneTasks, robots: _RobotSlots, target, time_limit, seed) -> _Proposal:
    """Solve the zone's assignment model in CP-SAT and read back the balance."""
    from ortools.sat.python import cp_model

    from cyclecore.balancing.cpsat import clock_capped, cpsat_solver, no_answer_text
    from cyclecore.results import NoAnswerWithinLimit

    stations, slots = tasks.stations, robots.slots
    w_i = scaled_up(np.asarray(tasks.work), _SCALE)
    o_i = scaled_up(np.array([st.index_time_s for st in stations]), _SCALE)
    f_i = scaled_up(np.array([st.index_time_s + st.fixed_time_s for st in stations]), _SCALE)
    arcs = _precedence_arcs(tasks.tasks)
    hint = _hint(w_i, arcs, slots, robots.current, robots.allowed, o_i, time_limit)
    model, x = _assignment_model(objective, tasks, robots, arcs, hint, target, w_i, o_i, f_i)
    solver = cpsat_solver(time_limit, seed)
    status = solver.Solve(model)
    if status == cp_model.INFEASIBLE:
        raise ValueError(f"cycle_time: no balance of zone {zone!r} meets {target} s with its reach, tools and precedence")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise NoAnswerWithinLimit(no_answer_text(f"no balance of zone {zone!r}", time_limit,
                                                 clock_capped(solver, status)))
    n = len(tasks.tasks)
    slot_of = [next(k for k in range(len(slots)) if (j, k) in x and solver.Value(x[j, k])) for j in range(n)]
    where = [slots[k][0] for k in slot_of]
    slot_work = np.zeros(len(slots))
    for j, k in enumerate(slot_of):
        slot_work[k] += w_i[j]
    # a zone without robots has no slots: its cycle is its stations' fixed work alone
    planned = max(float(f_i.max()), max((slot_work[k] + o_i[s] for k, (s, _) in enumerate(slots)), default=0.0))
    robot_of = [stations[slots[k][0]].robots[slots[k][1]].name for k in slot_of]
    return _Proposal(where, robot_of, float(planned) / _SCALE, len(set(where)), status == cp_model.OPTIMAL,
                     clock_capped(solver, status))


def _precedence_arcs(tasks) -> list[tuple[int, int]]:
    """(i, j) for every predecessor i inside the zone of task j; outside ones are already met."""
    index = {t.name: j for j, t in enumerate(tasks)}
    return [(index[pred], j) for j, task in enumerate(tasks) for pred in task.after if pred in index]


def _assignment_model(objective, tasks: _ZoneTasks, robots: _RobotSlots, arcs, hint, target, w_i, o_i, f_i):
    """CP-SAT model of the zone (see the module docstring); returns (model, x[task, slot])."""
    from ortools.sat.python import cp_model

    from cyclecore.balancing.cpsat import limit_tools_per_station

    stations, slots, allowed = tasks.stations, robots.slots, robots.allowed
    n, m = len(tasks.tasks), len(stations)
    model = cp_model.CpModel()
    x = {(j, k): model.NewBoolVar(f"x{j}_{k}") for j in range(n) for k in range(len(slots)) if allowed[j, k]}
    st_var = []
    for j in range(n):
        options = [k for k in range(len(slots)) if allowed[j, k]]
        model.AddExactlyOne(x[j, k] for k in options)
        v = model.NewIntVar(slots[options[0]][0], slots[options[-1]][0], f"s{j}")
        model.Add(v == sum(slots[k][0] * x[j, k] for k in options))
        st_var.append(v)
    for j, k in enumerate(hint):
        if (j, int(k)) in x:
            model.AddHint(x[j, int(k)], 1)
    # among equally good balances, move as few tasks as possible (each move is re-teaching)
    stay = [x[j, k] for j in range(n) for k in range(len(slots)) if (j, k) in x and slots[k][0] == tasks.home[j]]
    moves = n - sum(stay)
    for i, j in arcs:
        model.Add(st_var[i] <= st_var[j])
    for s, st in enumerate(stations):
        if st.tools_allowed is not None:
            mine = [k for k, (ss, _) in enumerate(slots) if ss == s]
            kinds = sorted({t.tool for t in tasks.tasks if t.tool is not None})
            holders = {kind: [x[j, k] for j, t in enumerate(tasks.tasks) for k in mine if t.tool == kind and (j, k) in x]
                       for kind in kinds}
            limit_tools_per_station(model, s, holders, st.tools_allowed)
    loads = [sum(int(w_i[j]) * x[j, k] for j in range(n) if (j, k) in x) for k in range(len(slots))]
    if objective == "min-cycle":
        cycle = model.NewIntVar(int(f_i.max()), int(w_i.sum() + o_i.max() + f_i.max()), "cycle")
        for k, (s, _) in enumerate(slots):
            model.Add(loads[k] + int(o_i[s]) <= cycle)
        model.Minimize(cycle * (n + 1) + moves)
    else:
        c = scaled_down(target, _SCALE)
        used = [model.NewBoolVar(f"used{s}") for s in range(m)]
        for k, (s, _) in enumerate(slots):
            model.Add(loads[k] <= max(c - int(o_i[s]), 0) * used[s])
        model.Minimize(sum(used) * (n + 1) + moves)
    return model, x


def _measured(line, zone, objective, tasks: _ZoneTasks, before, proposal: _Proposal, target) -> Rebalance:
    """Build the proposed line, evaluate its stations exactly and keep it only if it gains."""
    stations, home, names = tasks.stations, tasks.home, tasks.names
    where = proposal.where
    new_line = _moved_line(line, stations, tasks.tasks, home, where, proposal.robot_of)
    after = _station_loads(new_line, _zone_stations(new_line, zone), tasks, where)
    cycle_before = max(b.cycle_s for b in before)
    cycle_after = max(a.cycle_s for a in after)
    used_before = sum(1 for b in before if b.tasks)
    used_after = sum(1 for a in after if a.tasks)
    if objective == "min-cycle":
        improved = cycle_after < cycle_before - 1e-9
    else:
        improved = used_after < used_before and cycle_after <= target + 1e-9
    if not improved:  # the exact evaluation has the last word: keep the line as it was
        new_line, after, cycle_after, used_after, where = line, before, cycle_before, used_before, home
    moved = tuple((names[j], stations[home[j]].name, stations[where[j]].name)
                  for j in range(len(names)) if where[j] != home[j])
    return Rebalance(new_line, zone, objective, before, after, cycle_before, cycle_after, used_before, used_after,
                     moved, proposal.planned_cycle_s, proposal.planned_stations, proposal.proven_optimal, improved,
                     proposal.clock_capped)


# BB&R states per feasibility probe of the hint: a budget counted in work, not wall-clock
# seconds, so the hint (and CP-SAT's answer from it) does not depend on how busy the machine is
_HINT_STATES = 20


def _hint(w, arcs, slots, current, allowed, over, time_limit):
    """First solution for CP-SAT: the current balance, or the exact SALBP-2 balance of the zone's
    robots taken one after another in flow order (precedence then holds across all of them, a
    stricter rule than needed) when that has a shorter estimated cycle. Reach is repaired by the
    solver. Returns the slot of each task (-1: no hint). ``time_limit`` s only caps the wall
    clock; the search is bounded by ``_HINT_STATES``."""
    def cycle(slot_of):
        load = np.zeros(len(slots), dtype=np.int64)
        for j, k in enumerate(slot_of):
            load[k] += w[j]
        return max(load[k] + over[s] for k, (s, _) in enumerate(slots))

    from cyclecore import limits

    hint = np.where(current >= 0, current, -1)
    seconds = np.asarray(w, dtype=np.float64) / _SCALE  # salbp2 takes seconds, not the model's ms
    if len(slots) < 2 or (hint < 0).any() or seconds.max(initial=0.0) > limits.DURATION_S.high:
        return hint  # a task of more than a day of estimated work: CP-SAT starts from today's balance
    b = salbp2(seconds, np.array(arcs, dtype=np.int64).reshape(-1, 2), len(slots),
               time_limit=max(2.0, time_limit), node_limit=_HINT_STATES)
    if cycle(b.station) < cycle(hint):
        return b.station
    return hint


def _moved_line(line, stations, tasks, home, where, robot_of):
    """A new Line with each zone task at its new station and robot, in original flow order."""
    changed = {}
    for s, st in enumerate(stations):
        members = sorted((j for j in range(len(tasks)) if where[j] == s), key=lambda j: (home[j], j))
        new_tasks = []
        for j in members:
            task = tasks[j]
            single = len(st.robots) == 1
            update = {"robot": None if single and task.robot is None and home[j] == s else robot_of[j]}
            if home[j] != s:
                update["robots"] = None  # its old station's robot names mean nothing here
            new_tasks.append(task.evolve(**update))
        changed[st.name] = st.evolve(tasks=tuple(new_tasks))
    return line.evolve(stations=tuple(changed.get(st.name, st) for st in line.stations))
