"""Deterministic analysis: robot cycle → station cycle → line cycle, the bottleneck, takt.

- Robot cycle = home → its tasks in program order → home: motion time (exact jerk-limited
  synchronized PTP moves from :mod:`cyclecore.robot.motion`) + process time + logic time.
- Station cycle = slowest robot (or the station's fixed work, if longer) + index time; a station
  with ``parallel`` identical copies has an effective cycle of cycle / parallel.
- Line cycle = slowest effective station cycle; that station is the (deterministic) bottleneck.
- Units per week come from the calendar alone. Two failure-aware figures are *estimates* from the
  stations' isolated availability e = MTBF/(MTBF+MTTR): with ample buffers min_i e_i/t_i, with no
  buffers 1/(t_max + Σ t_i·MTTR_i/MTBF_i) (operation-dependent failures). The simulator in
  :mod:`cyclecore.linesim` gives the real figure between them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cyclecore.arguments import TARGET, Instance, arguments
from cyclecore.limits import CYCLE_S
from cyclecore.model.line import Line, Station
from cyclecore.results import Result, lookup

NO_TARGET = "no target given"


@dataclass(frozen=True)
class RobotCycle(Result):
    """One robot's cycle, s, split by kind, with its path lengths."""

    robot: str
    model: str
    tasks: int
    motion_s: float
    process_s: float
    logic_s: float
    cycle_s: float
    joint_path_rad: float  # Σ ‖Δq‖₂ over the moves
    tcp_path_m: float  # Σ straight-line TCP distance between targets (chord length)


@dataclass(frozen=True)
class StationCycle(Result):
    """A station's cycle and where it comes from (the slowest robot's parts), s."""

    name: str
    zone: int | str
    robots: tuple[RobotCycle, ...]
    slowest_robot: str | None
    motion_s: float
    process_s: float
    logic_s: float
    fixed_s: float
    index_s: float
    cycle_s: float
    parallel: int
    effective_cycle_s: float
    tcp_path_m: float  # all robots of the station
    availability: float | None
    slack_s: float | None  # takt − effective cycle (negative: too slow for the target)

    missing_reasons = {
        "slowest_robot": "no robot sets the cycle: the station has no robots or its fixed work is longer",
        "availability": "the station has no reliability (MTBF/MTTR) in the line file",
        "slack_s": NO_TARGET,
    }

    def robot(self, name: str) -> RobotCycle:
        return lookup(self.robots, name, owner=f"station {self.name!r}", kind="robot", key="robot")


@dataclass(frozen=True)
class Analysis(Result):
    """Deterministic analysis of a line (all times in s, outputs per week)."""

    line: str
    production_hours_per_week: float
    units_per_product: int
    identical_lines: int
    stations: tuple[StationCycle, ...]
    line_cycle_s: float
    bottleneck: str
    units_per_week: float  # this line, at 100 % availability
    products_per_week: float  # the plant (identical lines), at 100 % availability
    units_per_week_ample_buffers: float  # estimate with isolated availabilities
    units_per_week_no_buffers: float  # estimate with isolated availabilities
    target_products_per_week: float | None
    target_units_per_week: float | None  # what this one line must make for the target
    takt_s: float | None
    gap_s: float | None  # line cycle − takt (positive: cycle time to remove)

    missing_reasons = {name: NO_TARGET for name in
                       ("target_products_per_week", "target_units_per_week", "takt_s", "gap_s")}

    def station(self, name: str) -> StationCycle:
        return lookup(self.stations, name, owner=f"line {self.line!r}", kind="station")

    def __rich__(self):
        from cyclecore.analysis.tables import analysis_text

        return analysis_text(self)


def robot_cycles(line: Line, station: Station) -> tuple[RobotCycle, ...]:
    """Cycle of every robot in a station, program order as given."""
    from cyclecore.robot.cell import programmed_motion_s, robot_program
    from cyclecore.robot.motion import route_totals

    out = []
    for robot in station.robots:
        program = robot_program(line, station, robot)
        model = line.robot_model(robot.model)
        n = len(program.tasks)
        route = np.concatenate([[0], np.arange(1, n + 1), [0]]).astype(np.int64)[None, :]
        totals = route_totals(program.configs, route, model.vmax, model.amax, model.jmax,
                              speed_override=robot.speed_override, tcp_positions=program.tcp_positions)
        process = float(sum(t.process_time_s for t in program.tasks))
        logic = float(sum(t.logic_time_s for t in program.tasks))
        programmed = programmed_motion_s(line, robot, program)  # linear moves, PTP speed shares
        motion = float(totals.time_s[0]) if programmed is None else programmed
        out.append(RobotCycle(robot.name, robot.model, n, motion, process, logic,
                              motion + process + logic, float(totals.joint_path_rad[0]),
                              float(totals.tcp_path_m[0])))
    return tuple(out)


def station_cycle(line: Line, station: Station, takt_s: float | None = None) -> StationCycle:
    """A station's cycle from its robots, fixed work and index time."""
    robots = robot_cycles(line, station)
    slowest = max(robots, key=lambda r: r.cycle_s, default=None)
    work = max(slowest.cycle_s if slowest else 0.0, station.fixed_time_s)
    cycle = work + station.index_time_s
    if cycle <= 0:
        raise ValueError(f"station {station.name!r} has no work and no index time: its cycle would be 0 s")
    if cycle > CYCLE_S.high:  # each part is in range; their sum may not be (a day's index plus work)
        where = next((f"stations[{i}] " for i, s in enumerate(line.stations) if s.name == station.name), "")
        raise ValueError(f"{where}station {station.name!r}: cycle {cycle:.6g} s (work {work:.6g} s + index_time_s "
                         f"{station.index_time_s:g} s); expected a station cycle {CYCLE_S.text()}")
    effective = cycle / station.parallel
    robot_critical = slowest is not None and slowest.cycle_s >= station.fixed_time_s
    return StationCycle(
        name=station.name,
        zone=station.zone,
        robots=robots,
        slowest_robot=slowest.robot if robot_critical else None,
        motion_s=slowest.motion_s if robot_critical else 0.0,
        process_s=slowest.process_s if robot_critical else 0.0,
        logic_s=slowest.logic_s if robot_critical else 0.0,
        fixed_s=station.fixed_time_s,
        index_s=station.index_time_s,
        cycle_s=cycle,
        parallel=station.parallel,
        effective_cycle_s=effective,
        tcp_path_m=float(sum(r.tcp_path_m for r in robots)),
        availability=station.reliability.availability if station.reliability else None,
        slack_s=None if takt_s is None else takt_s - effective,
    )


@arguments(line=Instance(Line), target=TARGET)
def analyze(line: Line, target: float | None = None) -> Analysis:
    """Deterministic analysis of a line.

    ``target``: plant output wanted, in products per week (e.g. cars/week); with
    ``units_per_product`` and ``identical_lines`` it becomes this line's units per week and takt.
    """
    calendar = line.calendar
    line_units = line.line_units_needed(target) if target else None
    takt = calendar.takt_s(line_units) if line_units else None
    stations = tuple(station_cycle(line, s, takt) for s in line.stations)
    bottleneck = max(stations, key=lambda s: s.effective_cycle_s)
    cycle = bottleneck.effective_cycle_s
    units = calendar.units_per_week(cycle)

    e = np.array([s.availability if s.availability is not None else 1.0 for s in stations])
    t = np.array([s.effective_cycle_s for s in stations])
    rate_ample = float(np.min(e / t))
    rate_none = 1.0 / (t.max() + float(np.sum(t * (1.0 - e) / e)))
    hours = calendar.production_hours_per_week
    return Analysis(
        line=line.name,
        production_hours_per_week=hours,
        units_per_product=line.units_per_product,
        identical_lines=line.identical_lines,
        stations=stations,
        line_cycle_s=cycle,
        bottleneck=bottleneck.name,
        units_per_week=units,
        products_per_week=line.products_per_week(units),
        units_per_week_ample_buffers=rate_ample * hours * 3600.0,
        units_per_week_no_buffers=rate_none * hours * 3600.0,
        target_products_per_week=float(target) if target else None,
        target_units_per_week=line_units,
        takt_s=takt,
        gap_s=None if takt is None else cycle - takt,
    )
