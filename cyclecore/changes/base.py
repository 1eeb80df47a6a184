"""What every change is: an immutable value with ``apply(line) -> Line`` and a :class:`Price`.

A change names what it touches (station, robot, zone, option) and nothing else; its price comes
from the line's :class:`~cyclecore.model.line.CostBook` when it is priced, so one plan can be
priced for any line it applies to. ``apply`` returns a new Line validated like a loaded file
(:meth:`~cyclecore.model.line.Line.evolve`); a change that cannot apply raises
:class:`~cyclecore.model.errors.LineFileError` (or ``KeyError`` naming the known names for an
unknown station, robot, zone or option).

Changes serialise to ``{"kind": ..., field: value, ...}`` (:meth:`Change.to_dict`) and back
(:func:`change_from_dict`), which is how plan files hold them.
"""

from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from cyclecore.model.line import Line, Station


@dataclass(frozen=True)
class Price:
    """What a change costs: capex (currency, all-in price + engineering hours × rate), engineering
    hours, operators added per shift, lead time (weeks from order to running) and installation
    downtime (production hours lost when it is installed)."""

    capex: float = 0.0
    engineering_h: float = 0.0
    operators_per_shift: float = 0.0
    lead_time_weeks: float = 0.0
    downtime_h: float = 0.0

    def __add__(self, other: "Price") -> "Price":
        """Two changes ordered together: costs, hours and operators add; the lead time is the longer."""
        return Price(self.capex + other.capex, self.engineering_h + other.engineering_h,
                     self.operators_per_shift + other.operators_per_shift,
                     max(self.lead_time_weeks, other.lead_time_weeks), self.downtime_h + other.downtime_h)

    def times(self, count: float) -> "Price":
        """``count`` of this change (the same lead time)."""
        return Price(self.capex * count, self.engineering_h * count, self.operators_per_shift * count,
                     self.lead_time_weeks if count else 0.0, self.downtime_h * count)


def lever_price(line: "Line", lever: str, capex: float, count: float = 1.0) -> Price:
    """The price of ``count`` uses of a cost-book lever whose all-in price is ``capex`` each."""
    costs = line.costs
    hours = getattr(costs.engineering_h, lever)
    one = Price(capex=capex + hours * costs.engineering_hour, engineering_h=hours,
                operators_per_shift=getattr(costs.operators_per_shift, lever),
                lead_time_weeks=getattr(costs.lead_time_weeks, lever),
                downtime_h=getattr(costs.downtime_h, lever))
    return one.times(count)


_KINDS: dict[str, type["Change"]] = {}


@dataclass(frozen=True)
class Change:
    """Base of every change kind; subclasses are frozen dataclasses with a ``kind`` name."""

    kind: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.kind:
            _KINDS[cls.kind] = cls

    def apply(self, line: "Line") -> "Line":
        """The changed line, validated like a loaded file."""
        raise NotImplementedError

    def price(self, line: "Line") -> Price:
        """What this change costs on ``line`` (from its cost book)."""
        raise NotImplementedError

    def describe(self) -> str:
        """One line of text for a plan table."""
        fields = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self))
        return f"{self.kind}({fields})"

    def to_dict(self) -> dict:
        """JSON-safe ``{"kind": ..., field: value}``."""
        out = {"kind": self.kind}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    def __str__(self) -> str:
        return self.describe()


class StationChange(Change):
    """A change confined to one station (its ``station`` field names it): the plan evaluates it
    on the station alone, then the line is checked once."""

    def on_station(self, line: "Line", station: "Station") -> "Station":
        """The changed station (validated as a Station; the line is checked by :meth:`apply`)."""
        raise NotImplementedError

    def apply(self, line: "Line") -> "Line":
        """The changed line, validated like a loaded file; a field the change puts out of range is
        reported with the path a file would have (``stations[2].robots[0].speed_override``)."""
        from pydantic import ValidationError

        from cyclecore.model.errors import LineFileError, problems_from_validation

        index = line.station_index(self.station)
        try:
            station = self.on_station(line, line.stations[index])
        except ValidationError as error:
            where = f"stations[{index}]"
            problems = [dataclasses.replace(p, path=f"{where}.{p.path}" if p.path else where)
                        for p in problems_from_validation(error)]
            raise LineFileError(f"line {line.name!r} after {self}", problems) from None
        return line.with_station(station)


def checked_name(field: str, value) -> str:
    """A change's name field (station, robot, option): non-empty text, else ``ValueError``."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{field}: expected a non-empty name, got {value!r}")
    return value


def checked_count(field: str, value, what: str) -> int:
    """A change's count field (robots, places): a whole number >= 1, else ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{field}: expected a whole number of {what} >= 1, got {value!r}")
    return int(value)


def station_robot(station: "Station", name: str):
    """The robot ``name`` of a station; ``KeyError`` naming the station's robots otherwise."""
    for robot in station.robots:
        if robot.name == name:
            return robot
    known = ", ".join(r.name for r in station.robots) or "none"
    raise KeyError(f"station {station.name!r} has no robot {name!r} (robots: {known})")


# Where the change kinds live: change_from_dict imports them on first use, so that importing
# this package stays cheap and a plan file can still name any kind.
KIND_MODULES = ("programs", "speed", "buffers", "repairs", "duplicates", "zones", "options")


def _load_kinds() -> None:
    import importlib

    for module in KIND_MODULES:
        importlib.import_module(f"cyclecore.changes.{module}")


def change_from_dict(data: dict) -> Change:
    """The change a :meth:`Change.to_dict` dictionary describes; ``ValueError`` naming the known
    kinds and fields when it describes none."""
    _load_kinds()
    if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
        raise ValueError(f"expected a mapping with a 'kind' of {', '.join(sorted(_KINDS))}, got {data!r}")
    cls = _KINDS.get(data["kind"])
    if cls is None:
        raise ValueError(f"unknown change kind {data['kind']!r}; expected one of {', '.join(sorted(_KINDS))}")
    names = {f.name for f in dataclasses.fields(cls)}
    fields = {k: v for k, v in data.items() if k != "kind"}
    unknown = sorted(set(fields) - names)
    if unknown:
        raise ValueError(f"{data['kind']}: unknown field(s) {', '.join(unknown)}; expected {', '.join(sorted(names))}")
    try:
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()})
    except TypeError as error:
        raise ValueError(f"{data['kind']}: {error}") from None
