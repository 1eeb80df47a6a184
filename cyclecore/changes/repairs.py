"""Faster repairs at a station: a maintenance programme (spares on site, training, condition
monitoring) that cuts its mean time to repair by the cost book's ``repair_mttr_factor``.

It changes no cycle time and no failure rate, only how long a failure stops the station.
"""

from __future__ import annotations

from dataclasses import dataclass

from cyclecore.changes.base import Price, StationChange, checked_name, lever_price
from cyclecore.model.line import Line, Station


@dataclass(frozen=True)
class RepairProgramme(StationChange):
    """MTTR of ``station`` × ``repair_mttr_factor`` (the station must have ``reliability``).

    Price: ``repair_programme``, lever "repair_programme"."""

    station: str
    kind = "repair_programme"

    def __post_init__(self):
        checked_name("station", self.station)

    def on_station(self, line: Line, station: Station) -> Station:
        if station.reliability is None:
            raise ValueError(f"station: {station.name!r} has no reliability (mtbf_h, mttr_min), so "
                             "there are no repairs to shorten; expected a station that fails")
        mttr = station.reliability.mttr_min * line.costs.repair_mttr_factor
        return station.evolve(reliability=station.reliability.evolve(mttr_min=mttr))

    def price(self, line: Line) -> Price:
        return lever_price(line, "repair_programme", line.costs.repair_programme)

    def describe(self) -> str:
        return f"repair programme at {self.station}"
