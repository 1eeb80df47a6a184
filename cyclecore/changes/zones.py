"""Rebalance a zone: move tasks between its stations for the shortest zone cycle.

The change is a zone-level option, not a station's: it touches every station of the zone at
once (:func:`zone_stations` names them). The search behind it is
:func:`cyclecore.changes.rebalance.rebalance` with the ``min-cycle`` objective, a fixed
deterministic-time budget and seed; when its exact evaluation shows no gain the line is kept.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

from cyclecore.changes.base import Change, Price, lever_price
from cyclecore.model.line import Line

# CP-SAT deterministic time (not the clock) for one zone, so the same line gives the same balance.
ZONE_TIME_LIMIT_S = 2.0
ZONE_SEED = 0


def zone_stations(line: Line, zone: int | str) -> tuple[str, ...]:
    """Names of the stations of ``zone`` in flow order (``"1"`` also names zone 1); ``KeyError``
    naming the line's zones when it has none."""
    names = tuple(s.name for s in line.stations if s.zone == zone or str(s.zone) == str(zone))
    if not names:
        known = ", ".join(dict.fromkeys(str(s.zone) for s in line.stations))
        raise KeyError(f"line {line.name!r} has no zone {zone!r} (zones: {known})")
    return names


@dataclass(frozen=True)
class RebalanceZone(Change):
    """Move tasks between the stations of ``zone`` (precedence, reach and tools kept) for the
    shortest zone cycle; the line stays as it is when that is no faster.

    Price: ``rebalance`` from the cost book (re-teach the moved tasks, move tooling), lever
    "rebalance"."""

    zone: int | str
    kind = "rebalance_zone"

    def __post_init__(self):
        if isinstance(self.zone, numbers.Integral) and not isinstance(self.zone, bool):
            object.__setattr__(self, "zone", int(self.zone))
        elif not isinstance(self.zone, str) or not self.zone:
            raise ValueError(f"zone: expected a zone number or name, got {self.zone!r}")

    def apply(self, line: Line) -> Line:
        from cyclecore.changes.rebalance import rebalance
        from cyclecore.changes.solved import remembered, zone_value

        names = zone_stations(line, self.zone)  # an unknown zone is a KeyError, like a station
        solved = []

        def solve():  # the zone's new stations, or None when the line stays as it is
            solved.append(rebalance(line, self.zone, "min-cycle", time_limit=ZONE_TIME_LIMIT_S, seed=ZONE_SEED).line)
            return None if solved[0] is line else tuple(solved[0].station(name) for name in names)

        stations = remembered((self, zone_value(line, names)), solve)
        if solved:
            return solved[0]
        if stations is None:
            return line
        new = {s.name: s for s in stations}  # as the rebalance builds its line: the zone's stations replaced
        return line.evolve(stations=tuple(new.get(s.name, s) for s in line.stations))

    def price(self, line: Line) -> Price:
        return lever_price(line, "rebalance", line.costs.rebalance)

    def describe(self) -> str:
        return f"rebalance zone {self.zone}"
