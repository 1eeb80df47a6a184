"""The line: stations in flow order, their robots and tasks, buffers, reliability, calendar, costs.

A :class:`Line` is an immutable value: its lists are tuples and its fields frozen. Everything that
changes a line (a re-sequenced robot, an added robot, a faster override, a bigger buffer) returns a
new Line through :meth:`Line.evolve` (or :meth:`Line.with_station`), which validates the result
exactly as :func:`cyclecore.files.line_file.load_line` validates a file, so a change can never
produce a line a file could not hold. Evaluation is a pure function of the Line, and results can
be cached and compared safely.

Units: SI inside. Fields that take other units say so in their name (``mtbf_h``, ``mttr_min``,
``home_deg``, ``rpy_deg``); properties give the SI value (``mtbf_s``, ``home``).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from cyclecore import limits
from cyclecore.robot.geometry import pose_matrix
from cyclecore.model.ranges import Whole, Within
from cyclecore.model.robot_models import RobotModel, bundled_robot_models

# every number has its range from cyclecore.limits (finite: NaN and inf never enter a Line)
Duration = Within(limits.DURATION_S)
Money = Within(limits.MONEY)
# a name is shown in tables, reports and messages: no control characters (NUL, line breaks)
Name = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")]
Vector3 = Annotated[tuple[Within(limits.POSITION_M), ...], Field(min_length=3, max_length=3)]
Angles3 = Annotated[tuple[Within(limits.ORIENTATION_RAD, limits.DEG_PER_RAD, "°"), ...],
                    Field(min_length=3, max_length=3)]
Joint6 = Annotated[tuple[Within(limits.JOINT_RANGE_RAD, limits.DEG_PER_RAD, "°"), ...],
                   Field(min_length=6, max_length=6)]

SECONDS_PER_HOUR = 3600.0


def _too_many_tasks(data) -> list:
    """Problems of a line's mapping (or fields) with more tasks than a station or line may hold."""
    from cyclecore.model.errors import Problem

    stations = data.get("stations") if isinstance(data, dict) else None
    if not isinstance(stations, (list, tuple)):
        return []
    problems, total = [], 0
    for i, station in enumerate(stations):
        tasks = station.get("tasks") if isinstance(station, dict) else getattr(station, "tasks", None)
        count = len(tasks) if isinstance(tasks, (list, tuple)) else 0
        total += count
        if count > limits.TASKS_PER_STATION.high:
            problems.append(Problem(f"stations[{i}].tasks", f"{count:,} tasks; expected at most "
                                    f"{limits.TASKS_PER_STATION.high:,} in one station (split it into stations)"))
    if total > limits.TASKS.high:
        problems.append(Problem("stations", f"{total:,} tasks in all; expected at most {limits.TASKS.high:,}"))
    return problems


@contextmanager
def gc_paused():
    """No cyclic garbage collection while a large acyclic value is built (a line of 20,000 tasks
    is a million objects): the collector's full passes over them made loading grow faster than
    the file. Restored on the way out, whatever happens."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

Weeks = Within(limits.LEAD_TIME_WEEKS)
Hours = Within(limits.DOWNTIME_H)
EngineerHours = Within(limits.ENGINEERING_H)
Staff = Within(limits.OPERATORS_PER_SHIFT)


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def evolve(self, **changes):
        """A copy with ``changes`` applied, validated like a value read from a file.

        Raises pydantic's ``ValidationError`` for a field out of its range; a :class:`Line` also
        runs the line checks (names, references, precedence, reach) and raises
        :class:`~cyclecore.model.errors.LineFileError` like ``load_line``."""
        fields = {name: getattr(self, name) for name in type(self).model_fields if name in self.model_fields_set}
        fields.update(changes)
        return type(self).model_validate(fields)


class Pose(_Value):
    """Position (m) and fixed-axis XYZ orientation (deg) — see :mod:`cyclecore.robot.geometry`."""

    xyz_m: Vector3
    rpy_deg: Angles3 = (0.0, 0.0, 0.0)

    @property
    def matrix(self) -> np.ndarray:
        """4×4 homogeneous transform (m)."""
        return pose_matrix(self.xyz_m, np.radians(self.rpy_deg))


IDENTITY = Pose(xyz_m=(0.0, 0.0, 0.0))


class Calendar(_Value):
    """Shift calendar: the only place where cycle time becomes units per week."""

    shifts_per_day: Annotated[int, Field(ge=1, le=4)] = 3
    hours_per_shift: Annotated[float, Field(gt=0, le=24, allow_inf_nan=False)] = 8.0
    days_per_week: Annotated[float, Field(gt=0, le=7, allow_inf_nan=False)] = 5.0
    planned_downtime: Annotated[float, Field(ge=0, lt=1)] = 0.0  # share of shift time (breaks, maintenance)

    @model_validator(mode="after")
    def _fits_in_a_day(self):
        if self.shifts_per_day * self.hours_per_shift > 24 + 1e-9:
            raise ValueError(
                f"shifts_per_day × hours_per_shift = "
                f"{self.shifts_per_day * self.hours_per_shift:g} h exceeds 24 h"
            )
        return self

    @property
    def production_hours_per_week(self) -> float:
        """Hours per week the line is planned to produce, after planned downtime."""
        return (self.shifts_per_day * self.hours_per_shift * self.days_per_week
                * (1.0 - self.planned_downtime))

    def units_per_week(self, cycle_s: float) -> float:
        """Output of a process with this cycle time (s/unit) running every production hour."""
        return self.production_hours_per_week * SECONDS_PER_HOUR / cycle_s

    def takt_s(self, units_per_week: float) -> float:
        """Cycle time (s) needed to make ``units_per_week`` in the production hours."""
        return self.production_hours_per_week * SECONDS_PER_HOUR / units_per_week


class Reliability(_Value):
    """Failure behaviour of a station (the whole cell: robot, tooling, sensors, fixtures)."""

    mtbf_h: Within(limits.MTBF_S, 1 / SECONDS_PER_HOUR, "h")  # mean time between failures (operating hours)
    mttr_min: Within(limits.MTTR_S, 1 / 60, "min")  # mean time to repair

    @property
    def mtbf_s(self) -> float:
        return self.mtbf_h * SECONDS_PER_HOUR

    @property
    def mttr_s(self) -> float:
        return self.mttr_min * 60.0

    @property
    def availability(self) -> float:
        """Isolated availability MTBF / (MTBF + MTTR)."""
        return self.mtbf_s / (self.mtbf_s + self.mttr_s)


class ManualBypass(_Value):
    """How a station keeps running by hand while its automation is down (slowly)."""

    cycle_time_s: Within(limits.CYCLE_S)  # manual cycle time per unit
    operators: Whole(limits.OPERATORS) = 1
    after_min: Within(limits.MTTR_S, 1 / 60, "min") = 0.0  # switch to manual once a repair has lasted this long


class ProgramFile(_Value):
    """A robot program a robot's tasks are read from (KRL ``.src``, RAPID ``.mod``, TP ``.ls``;
    the dialect comes from the extension), relative to the line file's folder and inside it."""

    file: Name
    # what the program cannot say, when its tasks are read from it (``cyclecore import`` has options for these)
    process_s: dict[Name, Duration] = {}  # seconds per call of a process routine (SPOT, GLUE …), by name
    output_s: Duration = 0.0  # per output set
    input_wait_s: Duration = 0.0  # per wait for an input or a condition


class Robot(_Value):
    """One arm in a station: its model, where it stands and how fast it is allowed to run."""

    name: Name
    model: Name
    base: Pose = IDENTITY  # robot base frame in the cell frame
    tcp: Pose = IDENTITY  # tool centre point in the flange frame (weld gun, gripper)
    home_deg: Joint6  # home configuration, controller joint values
    speed_override: Within(limits.SPEED_OVERRIDE) = 1.0  # pure time scaling, see motion
    program: ProgramFile | None = None  # its tasks come from a robot program (issue 13)

    @property
    def home(self) -> np.ndarray:
        """Home configuration, rad (6,)."""
        return np.radians(self.home_deg)


class Task(_Value):
    """A unit of work done by one robot: a weld spot, a pick, a dispense, a screw.

    Either ``pose`` (TCP target in the cell frame, solved with inverse kinematics) or
    ``joints_deg`` (a taught joint target) is given."""

    name: Name
    pose: Pose | None = None
    joints_deg: Joint6 | None = None
    # arm configuration to reach ``pose`` in (as taught; like a controller's configuration flags):
    # IK takes the solution closest to it; default: closest to the previous one in the program
    configuration_deg: Joint6 | None = None
    process_time_s: Duration = 0.0  # weld, glue, fasten … with the robot standing still
    logic_time_s: Duration = 0.0  # I/O handshakes, gun closing, safety logic
    tool: Name | None = None
    after: tuple[Name, ...] = ()  # predecessors: task names that must be done no later than this one
    robot: Name | None = None  # the robot that does it (may be omitted when a station has one robot)
    robots: tuple[Name, ...] | None = None  # robots allowed to do it when re-splitting (default: all)
    work_content_s: Duration | None = None  # rebalancing weight; default process + logic time
    # how the robot moves *to* this task (issue 13, robot programs): point to point at a share of
    # the joint speed limits, or a straight TCP line at a programmed speed through ``via`` points
    motion: Literal["ptp", "linear"] = "ptp"
    ptp_speed: Within(limits.SPEED_OVERRIDE) | None = None  # share of joint max; default 1
    tcp_speed_m_s: Within(limits.TCP_SPEED_M_S) | None = None
    via: tuple[Pose, ...] = ()  # a circular move's auxiliary point: a linear move passes it first
    acceleration: Within(limits.SPEED_OVERRIDE) | None = None  # share of the joint (PTP) or TCP (linear) acceleration limits

    @model_validator(mode="after")
    def _one_target(self):
        if (self.pose is None) == (self.joints_deg is None):
            raise ValueError("give exactly one of 'pose' or 'joints_deg'")
        if self.configuration_deg is not None and self.pose is None:
            raise ValueError("'configuration_deg' chooses how a pose is reached; it goes with 'pose', not 'joints_deg'")
        if self.motion == "ptp" and (self.tcp_speed_m_s is not None or self.via):
            raise ValueError("'tcp_speed_m_s' and 'via' belong to a linear move (motion: linear)")
        if self.motion == "linear" and self.ptp_speed is not None:
            raise ValueError("'ptp_speed' belongs to a point-to-point move (motion: ptp)")
        return self


class Station(_Value):
    """A station (pitch, cell): robots doing tasks on the unit while it stands in the station."""

    name: Name
    zone: Whole(limits.ZONE_NUMBER) | Name = 1
    index_time_s: Duration = 0.0  # transfer in/out and clamping, not overlapped with robot work
    fixed_time_s: Duration = 0.0  # work not done by the modelled robots (a press, a test bench)
    buffer_after: Whole(limits.BUFFER) = 0  # places between this station and the next
    parallel: Whole(limits.PARALLEL) = 1  # identical copies of this station sharing the flow
    reliability: Reliability | None = None
    manual_bypass: ManualBypass | None = None
    robots: Annotated[tuple[Robot, ...], Field(max_length=limits.ROBOTS_PER_STATION.high)] = ()
    tasks: Annotated[tuple[Task, ...], Field(max_length=limits.TASKS_PER_STATION.high)] = ()
    robot_slots: tuple[Pose, ...] = ()  # where an extra robot could be mounted
    tools_allowed: Whole(limits.TOOLS) | None = None  # max different tools in the station

    def robot(self, name: str) -> Robot:
        for robot in self.robots:
            if robot.name == name:
                return robot
        raise KeyError(f"station {self.name!r} has no robot {name!r}")

    def tasks_of(self, robot: str) -> tuple[Task, ...]:
        """The tasks a robot does, in program order."""
        single = len(self.robots) == 1
        return tuple(t for t in self.tasks if t.robot == robot or (single and t.robot is None))


def zone_key(text: str) -> int | str:
    """The zone a typed ``text`` names: a whole number is a numbered zone (``"1"`` is zone 1, as a
    line file writes ``zone: 1``), anything else a zone's name."""
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else text


LEVERS = ("resequence", "speed", "robot", "rebalance", "buffer", "repair_programme", "station_duplicate",
          "line_duplicate")


class LeadTimes(_Value):
    """Weeks from ordering a change to the change running, per lever."""

    resequence: Weeks = 1.0
    speed: Weeks = 1.0
    robot: Weeks = 12.0
    rebalance: Weeks = 4.0
    buffer: Weeks = 6.0
    repair_programme: Weeks = 8.0
    station_duplicate: Weeks = 26.0
    line_duplicate: Weeks = 78.0


class Downtimes(_Value):
    """Production hours an installation stops the line, per lever (one change)."""

    resequence: Hours = 2.0
    speed: Hours = 1.0
    robot: Hours = 16.0
    rebalance: Hours = 16.0
    buffer: Hours = 8.0
    repair_programme: Hours = 0.0
    station_duplicate: Hours = 48.0
    line_duplicate: Hours = 0.0  # a new line is built beside the running ones


class EngineeringHours(_Value):
    """Engineering hours per change beyond its all-in price, charged at ``engineering_hour``."""

    resequence: EngineerHours = 0.0
    speed: EngineerHours = 0.0
    robot: EngineerHours = 0.0
    rebalance: EngineerHours = 0.0
    buffer: EngineerHours = 0.0
    repair_programme: EngineerHours = 0.0
    station_duplicate: EngineerHours = 0.0
    line_duplicate: EngineerHours = 0.0


class Operators(_Value):
    """Operators added per shift by a change, per lever."""

    resequence: Staff = 0.0
    speed: Staff = 0.0
    robot: Staff = 0.0
    rebalance: Staff = 0.0
    buffer: Staff = 0.0
    repair_programme: Staff = 0.0
    station_duplicate: Staff = 0.5  # loading, checks and recovery of one more automated cell
    line_duplicate: Staff = 12.0


class CostBook(_Value):
    """Prices and terms of the levers (currency of the user's choice); one home for every cost number.

    A change's capex is its all-in price below plus its engineering hours × ``engineering_hour``.
    """

    currency: str = "EUR"
    robot: Money = 150_000.0  # arm, controller and dress pack
    robot_integration: Money = 60_000.0  # mounting, cabling, safety, commissioning
    engineering_hour: Money = 120.0
    resequence: Money = 2_000.0  # re-teach and validate one robot program
    speed_validation: Money = 5_000.0  # validate a higher override on one robot
    speed_override_steps: Annotated[tuple[Within(limits.SPEED_OVERRIDE), ...], Field(max_length=20)] = (0.9, 1.0)
    buffer_place: Money = 8_000.0
    rebalance: Money = 20_000.0  # re-teach the moved tasks of one zone, move tooling
    repair_programme: Money = 40_000.0  # one station: spares on site, training, condition monitoring
    repair_mttr_factor: Annotated[float, Field(gt=0, lt=1)] = 0.6  # MTTR × this after a repair programme
    station_duplicate: Money = 1_500_000.0
    line_duplicate: Money = 60_000_000.0
    operator_hour: Money = 45.0
    lead_time_weeks: LeadTimes = LeadTimes()
    downtime_h: Downtimes = Downtimes()
    engineering_h: EngineeringHours = EngineeringHours()
    operators_per_shift: Operators = Operators()


class TaskEdit(_Value):
    """What a declared option does to one task: a new process time, or removing it."""

    task: Name
    process_time_s: Duration | None = None
    logic_time_s: Duration | None = None
    remove: bool = False

    @model_validator(mode="after")
    def _one_edit(self):
        if self.remove and (self.process_time_s is not None or self.logic_time_s is not None):
            raise ValueError("give either 'remove: true' or new times, not both")
        if not self.remove and self.process_time_s is None and self.logic_time_s is None:
            raise ValueError("give 'process_time_s', 'logic_time_s' or 'remove: true'")
        return self


class DeclaredOption(_Value):
    """A change the user knows of and prices: a process simplification or a part redesign."""

    name: Name
    kind: Literal["process_simplification", "part_redesign"] = "process_simplification"
    description: str = ""
    capex: Money = 0.0
    engineering_h: Within(limits.ENGINEERING_H) = 0.0
    lead_time_weeks: Within(limits.LEAD_TIME_WEEKS) = 0.0
    downtime_h: Within(limits.DOWNTIME_H) = 0.0
    operators_per_shift: Within(limits.OPERATORS_CHANGED) = 0.0  # negative: a simplification frees operators
    tasks: Annotated[tuple[TaskEdit, ...], Field(min_length=1)]


class Line(_Value):
    """A production line: stations in flow order, calendar, costs and robot models."""

    name: Name
    description: str = ""
    calendar: Calendar = Calendar()
    units_per_product: Whole(limits.UNITS_PER_PRODUCT) = 1  # e.g. 4 battery modules per car
    identical_lines: Whole(limits.LINE_COPIES) = 1  # copies of this line in the plant
    robot_models: dict[Name, RobotModel] = {}  # added to (or overriding) the bundled models
    stations: Annotated[tuple[Station, ...], Field(min_length=1)]
    costs: CostBook = CostBook()
    options: tuple[DeclaredOption, ...] = ()  # process simplifications and part redesigns on offer

    @property
    def models(self) -> dict[str, RobotModel]:
        """Every robot model this line can use: bundled ones, then the file's own."""
        return {**bundled_robot_models(), **self.robot_models}

    def robot_model(self, name: str) -> RobotModel:
        return self.models[name]

    def station(self, name: str) -> Station:
        for station in self.stations:
            if station.name == name:
                return station
        known = ", ".join(s.name for s in self.stations)
        raise KeyError(f"line {self.name!r} has no station {name!r} (stations: {known})")

    def station_index(self, name: str) -> int:
        return self.stations.index(self.station(name))

    def with_station(self, station: Station, *, check_reach: bool = True) -> "Line":
        """A new, validated line with the same-named station replaced."""
        index = self.station_index(station.name)
        stations = self.stations[:index] + (station,) + self.stations[index + 1:]
        return self.evolve(stations=stations, check_reach=check_reach)

    def evolve(self, *, check_reach: bool = True, **changes) -> "Line":
        """A new line with ``changes`` applied, validated exactly as ``load_line`` validates a file.

        Raises :class:`~cyclecore.model.errors.LineFileError` listing every problem, with the
        field paths a file would have (``stations[3].tasks[12].pose``)."""
        fields = {name: getattr(self, name) for name in type(self).model_fields if name in self.model_fields_set}
        return Line.validated({**fields, **changes}, source=f"line {self.name!r} after a change",
                              check_reach=check_reach)

    @classmethod
    def validated(cls, data: dict, *, source: str, check_reach: bool = True) -> "Line":
        """A line from ``data`` (a file's mapping, or fields and values), through the schema and the
        line checks; :class:`~cyclecore.model.errors.LineFileError` from ``source`` listing every
        problem. Loading a file and changing a line both come through here."""
        from pydantic import ValidationError

        from cyclecore.model.checks import check_line
        from cyclecore.model.errors import LineFileError, problems_from_validation

        oversized = _too_many_tasks(data)
        if oversized:  # refused before validating them: a million tasks would take minutes to refuse
            raise LineFileError(source, oversized)
        with gc_paused():
            try:
                line = cls.model_validate(data)
            except ValidationError as error:
                raise LineFileError(source, problems_from_validation(error)) from None
            problems = check_line(line, check_reach=check_reach)
        if problems:
            raise LineFileError(source, problems)
        return line

    def line_units_needed(self, products_per_week: float) -> float:
        """Units per week this one line must make for a plant target in products per week."""
        return products_per_week * self.units_per_product / self.identical_lines

    def products_per_week(self, line_units_per_week: float) -> float:
        """Plant output in products per week when each identical line makes this many units."""
        return line_units_per_week * self.identical_lines / self.units_per_product
