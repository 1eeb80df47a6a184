"""A faster robot: raise its speed override to the next step the plant has validated.

The override scales time only (:mod:`cyclecore.robot.motion`): every move of the robot takes
old/new of its time, while process and logic time stay as they are. Plants allow only a few
validated overrides; the cost book lists them (``speed_override_steps``), and the validation
of one robot at a higher override is what the change costs.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from cyclecore.changes.base import Price, StationChange, checked_name, lever_price, station_robot
from cyclecore.model.line import Line, Station


@dataclass(frozen=True)
class SpeedUp(StationChange):
    """Run ``robot`` at ``station`` with ``speed_override`` = ``override`` (in (0, 1]).

    ``override`` must be above the robot's current override and one of the cost book's
    ``speed_override_steps``. Price: ``speed_validation``, lever "speed".
    """

    station: str
    robot: str
    override: float
    kind = "speed_up"

    def __post_init__(self):
        checked_name("station", self.station)
        checked_name("robot", self.robot)
        if (isinstance(self.override, bool) or not isinstance(self.override, numbers.Real)
                or not math.isfinite(self.override)):
            raise ValueError(f"override: expected a speed override in (0, 1], got {self.override!r}")
        object.__setattr__(self, "override", float(self.override))

    def on_station(self, line: Line, station: Station) -> Station:
        current = station_robot(station, self.robot)
        # Through the field's own validation first, so an override out of (0, 1] is reported as
        # a line file with that value would be.
        robots = tuple(r.model_dump() | {"speed_override": self.override} if r is current else r
                       for r in station.robots)
        changed = station.evolve(robots=robots)
        steps = line.costs.speed_override_steps
        allowed = [s for s in steps if s > current.speed_override]
        if self.override not in steps or self.override <= current.speed_override:
            shown = ", ".join(f"{s:g}" for s in allowed) or "none"
            raise ValueError(
                f"override: robot {self.robot} at {station.name} runs at {current.speed_override:g}; "
                f"expected one of the cost book's speed_override_steps above it ({shown}), got {self.override:g}")
        return changed

    def price(self, line: Line) -> Price:
        return lever_price(line, "speed", line.costs.speed_validation)

    def describe(self) -> str:
        return f"speed override {self.override:g} for {self.robot} at {self.station}"
