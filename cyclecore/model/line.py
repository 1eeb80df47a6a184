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

from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from cyclecore.robot.geometry import pose_matrix
from cyclecore.model.robot_models import RobotModel, bundled_robot_models

NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
Vector3 = Annotated[tuple[Finite, ...], Field(min_length=3, max_length=3)]
Joint6 = Annotated[tuple[Finite, ...], Field(min_length=6, max_length=6)]

SECONDS_PER_HOUR = 3600.0


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
    rpy_deg: Vector3 = (0.0, 0.0, 0.0)

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

    mtbf_h: Positive  # mean time between failures (operating hours)
    mttr_min: NonNegative  # mean time to repair

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

    cycle_time_s: Positive  # manual cycle time per unit
    operators: Annotated[int, Field(ge=1)] = 1
    after_min: NonNegative = 0.0  # switch to manual once a repair has lasted this long


class Robot(_Value):
    """One arm in a station: its model, where it stands and how fast it is allowed to run."""

    name: Name
    model: Name
    base: Pose = IDENTITY  # robot base frame in the cell frame
    tcp: Pose = IDENTITY  # tool centre point in the flange frame (weld gun, gripper)
    home_deg: Joint6  # home configuration, controller joint values
    speed_override: Annotated[float, Field(gt=0, le=1)] = 1.0  # pure time scaling, see motion

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
    process_time_s: NonNegative = 0.0  # weld, glue, fasten … with the robot standing still
    logic_time_s: NonNegative = 0.0  # I/O handshakes, gun closing, safety logic
    tool: str | None = None
    after: tuple[Name, ...] = ()  # predecessors: task names that must be done no later than this one
    robot: Name | None = None  # the robot that does it (may be omitted when a station has one robot)
    robots: tuple[Name, ...] | None = None  # robots allowed to do it when re-splitting (default: all)
    work_content_s: NonNegative | None = None  # rebalancing weight; default process + logic time

    @model_validator(mode="after")
    def _one_target(self):
        if (self.pose is None) == (self.joints_deg is None):
            raise ValueError("give exactly one of 'pose' or 'joints_deg'")
        if self.configuration_deg is not None and self.pose is None:
            raise ValueError("'configuration_deg' chooses how a pose is reached; it goes with 'pose', not 'joints_deg'")
        return self


class Station(_Value):
    """A station (pitch, cell): robots doing tasks on the unit while it stands in the station."""

    name: Name
    zone: int | Name = 1
    index_time_s: NonNegative = 0.0  # transfer in/out and clamping, not overlapped with robot work
    fixed_time_s: NonNegative = 0.0  # work not done by the modelled robots (a press, a test bench)
    buffer_after: Annotated[int, Field(ge=0)] = 0  # places between this station and the next
    parallel: Annotated[int, Field(ge=1)] = 1  # identical copies of this station sharing the flow
    reliability: Reliability | None = None
    manual_bypass: ManualBypass | None = None
    robots: tuple[Robot, ...] = ()
    tasks: tuple[Task, ...] = ()
    robot_slots: tuple[Pose, ...] = ()  # where an extra robot could be mounted
    tools_allowed: Annotated[int, Field(ge=1)] | None = None  # max different tools in the station

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

    resequence: NonNegative = 1.0
    speed: NonNegative = 1.0
    robot: NonNegative = 12.0
    rebalance: NonNegative = 4.0
    buffer: NonNegative = 6.0
    repair_programme: NonNegative = 8.0
    station_duplicate: NonNegative = 26.0
    line_duplicate: NonNegative = 78.0


class Downtimes(_Value):
    """Production hours an installation stops the line, per lever (one change)."""

    resequence: NonNegative = 2.0
    speed: NonNegative = 1.0
    robot: NonNegative = 16.0
    rebalance: NonNegative = 16.0
    buffer: NonNegative = 8.0
    repair_programme: NonNegative = 0.0
    station_duplicate: NonNegative = 48.0
    line_duplicate: NonNegative = 0.0  # a new line is built beside the running ones


class EngineeringHours(_Value):
    """Engineering hours per change beyond its all-in price, charged at ``engineering_hour``."""

    resequence: NonNegative = 0.0
    speed: NonNegative = 0.0
    robot: NonNegative = 0.0
    rebalance: NonNegative = 0.0
    buffer: NonNegative = 0.0
    repair_programme: NonNegative = 0.0
    station_duplicate: NonNegative = 0.0
    line_duplicate: NonNegative = 0.0


class Operators(_Value):
    """Operators added per shift by a change, per lever."""

    resequence: NonNegative = 0.0
    speed: NonNegative = 0.0
    robot: NonNegative = 0.0
    rebalance: NonNegative = 0.0
    buffer: NonNegative = 0.0
    repair_programme: NonNegative = 0.0
    station_duplicate: NonNegative = 0.5  # loading, checks and recovery of one more automated cell
    line_duplicate: NonNegative = 12.0


class CostBook(_Value):
    """Prices and terms of the levers (currency of the user's choice); one home for every cost number.

    A change's capex is its all-in price below plus its engineering hours × ``engineering_hour``.
    """

    currency: str = "EUR"
    robot: NonNegative = 150_000.0  # arm, controller and dress pack
    robot_integration: NonNegative = 60_000.0  # mounting, cabling, safety, commissioning
    engineering_hour: NonNegative = 120.0
    resequence: NonNegative = 2_000.0  # re-teach and validate one robot program
    speed_validation: NonNegative = 5_000.0  # validate a higher override on one robot
    speed_override_steps: Annotated[tuple[Annotated[float, Field(gt=0, le=1)], ...], Field(max_length=20)] = (0.9, 1.0)
    buffer_place: NonNegative = 8_000.0
    rebalance: NonNegative = 20_000.0  # re-teach the moved tasks of one zone, move tooling
    repair_programme: NonNegative = 40_000.0  # one station: spares on site, training, condition monitoring
    repair_mttr_factor: Annotated[float, Field(gt=0, lt=1)] = 0.6  # MTTR × this after a repair programme
    station_duplicate: NonNegative = 1_500_000.0
    line_duplicate: NonNegative = 60_000_000.0
    operator_hour: NonNegative = 45.0
    lead_time_weeks: LeadTimes = LeadTimes()
    downtime_h: Downtimes = Downtimes()
    engineering_h: EngineeringHours = EngineeringHours()
    operators_per_shift: Operators = Operators()


class TaskEdit(_Value):
    """What a declared option does to one task: a new process time, or removing it."""

    task: Name
    process_time_s: NonNegative | None = None
    logic_time_s: NonNegative | None = None
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
    capex: NonNegative = 0.0
    engineering_h: NonNegative = 0.0
    lead_time_weeks: NonNegative = 0.0
    downtime_h: NonNegative = 0.0
    operators_per_shift: Finite = 0.0  # may be negative: a simplification can free operators
    tasks: Annotated[tuple[TaskEdit, ...], Field(min_length=1)]


class Line(_Value):
    """A production line: stations in flow order, calendar, costs and robot models."""

    name: Name
    description: str = ""
    calendar: Calendar = Calendar()
    units_per_product: Annotated[int, Field(ge=1)] = 1  # e.g. 4 battery modules per car
    identical_lines: Annotated[int, Field(ge=1)] = 1  # copies of this line in the plant
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
