"""One more parallel copy of a station: units alternate between the copies, so its effective
cycle is cycle / parallel (and a failed copy leaves the others running)."""

from __future__ import annotations

from dataclasses import dataclass

from cyclecore.changes.base import Price, StationChange, checked_name, lever_price
from cyclecore.model.line import Line, Station


@dataclass(frozen=True)
class DuplicateStation(StationChange):
    """``parallel`` of ``station`` + 1. Price: ``station_duplicate``, lever "station_duplicate"."""

    station: str
    kind = "duplicate_station"

    def __post_init__(self):
        checked_name("station", self.station)

    def on_station(self, line: Line, station: Station) -> Station:
        return station.evolve(parallel=station.parallel + 1)

    def price(self, line: Line) -> Price:
        return lever_price(line, "station_duplicate", line.costs.station_duplicate)

    def describe(self) -> str:
        return f"one more copy of {self.station}"
