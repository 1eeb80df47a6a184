"""A candidate: one combination of changes to a line, its price and what the simulator sees.

A candidate is a context (the line-level choices: declared options on, zones rebalanced, with the
line they leave), one option per station, extra buffer places per buffer and a repair programme
per station or not. Its capex is the sum of its changes' prices; its arrays are the station
options' cycles and copies with the context line's buffers, MTBF, MTTR and bypass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cyclecore.changes.base import Change, Price
from cyclecore.linesim.random_streams import station_key
from cyclecore.model.line import Line
from cyclecore.plan.output import LineArrays
from cyclecore.plan.stations import StationOption


@dataclass(frozen=True)
class Context:
    """Line-level choices made before the stations, and the line they leave."""

    changes: tuple[Change, ...]
    price: Price
    line: Line


@dataclass(frozen=True)
class Candidate:
    """One combination: a context, a station option per station, extra buffer places, repairs."""

    context: Context
    stations: tuple[StationOption, ...]
    buffers: tuple[int, ...]  # extra places after station i (i < n - 1)
    repairs: tuple[bool, ...]  # a repair programme at station i

    def changes(self) -> tuple[Change, ...]:
        """Every change, in the order they apply: line-level, stations, buffers, repairs."""
        from cyclecore.changes import AddBuffer, RepairProgramme

        names = [s.name for s in self.context.line.stations]
        out = list(self.context.changes)
        for option in self.stations:
            out.extend(option.changes)
        out += [AddBuffer(names[i], places) for i, places in enumerate(self.buffers) if places]
        out += [RepairProgramme(names[i]) for i, on in enumerate(self.repairs) if on]
        return tuple(out)

    def price(self) -> Price:
        """The candidate's price on its context line (capex, hours, operators, lead time, downtime)."""
        line = self.context.line
        total = self.context.price
        for option in self.stations:
            total = total + option.price
        for change in self.changes()[len(self.context.changes):]:
            if change.kind in ("add_buffer", "repair_programme"):
                total = total + change.price(line)
        return total

    def arrays(self) -> LineArrays:
        """What the simulator sees of this candidate."""
        return candidate_arrays(self.context.line, self.stations, self.buffers, self.repairs)


def candidate_arrays(line: Line, options, buffers, repairs) -> LineArrays:
    """The simulator's arrays of ``line`` with these station options, buffers and repairs."""
    stations = line.stations
    factor = line.costs.repair_mttr_factor
    mtbf, mttr = [], []
    for station, repaired in zip(stations, repairs):
        if station.reliability is None:
            mtbf.append(math.inf)
            mttr.append(0.0)
        else:
            mtbf.append(station.reliability.mtbf_s)
            # as the changed line computes it: minutes × factor, then seconds (bit for bit)
            minutes = station.reliability.mttr_min * factor if repaired else station.reliability.mttr_min
            mttr.append(minutes * 60.0)
    bypass = [s.manual_bypass for s in stations]
    return LineArrays(
        cycle_s=tuple(o.cycle_s for o in options),
        parallel=tuple(o.parallel for o in options),
        buffer_places=tuple(s.buffer_after + extra for s, extra in zip(stations[:-1], buffers)),
        mtbf_s=tuple(mtbf), mttr_s=tuple(mttr),
        bypass_after_s=tuple(b.after_min * 60.0 if b else math.nan for b in bypass),
        bypass_cycle_s=tuple(b.cycle_time_s if b else math.nan for b in bypass),
        bypass_operators=tuple(float(b.operators) if b else 0.0 for b in bypass),
        station_keys=tuple(station_key(s.name) for s in stations),  # as `simulate` keys a line's streams
    )


def unit_prices(line: Line) -> tuple[Price, Price]:
    """The price of one buffer place and of one repair programme on ``line``."""
    from cyclecore.changes.base import lever_price

    costs = line.costs
    return lever_price(line, "buffer", costs.buffer_place), lever_price(line, "repair_programme", costs.repair_programme)
