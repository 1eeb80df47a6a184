"""More buffer places between a station and the next: fewer stops passed on by failures.

Buffers change no cycle time; they decouple neighbours, so the simulator shows their gain (a
failure upstream starves, and one downstream blocks, a station later).
"""

from __future__ import annotations

from dataclasses import dataclass

from cyclecore.changes.base import Price, StationChange, checked_count, checked_name, lever_price
from cyclecore.model.line import Line, Station


@dataclass(frozen=True)
class AddBuffer(StationChange):
    """``places`` more buffer places after ``station`` (``buffer_after``); not after the last
    station, whose units leave the line. Price: ``places`` × ``buffer_place``, lever "buffer"."""

    station: str
    places: int
    kind = "add_buffer"

    def __post_init__(self):
        checked_name("station", self.station)
        object.__setattr__(self, "places", checked_count("places", self.places, "buffer places"))

    def on_station(self, line: Line, station: Station) -> Station:
        if line.station_index(station.name) == len(line.stations) - 1:
            raise ValueError(f"station: {station.name!r} is the last station of line {line.name!r}; "
                             "expected a station with a next one to buffer for")
        return station.evolve(buffer_after=station.buffer_after + self.places)

    def price(self, line: Line) -> Price:
        return lever_price(line, "buffer", line.costs.buffer_place, count=self.places)

    def describe(self) -> str:
        return f"{self.places} buffer place{'s' if self.places != 1 else ''} after {self.station}"
