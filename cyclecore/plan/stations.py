"""One station's options: every combination of its own levers, evaluated exactly, and its frontier.

A station's cheapest way to reach a cycle time does not depend on the other stations, so each
station is evaluated on its own (a work item an executor can run anywhere): its program kept,
re-sequenced or re-split over added robots, then a speed step, then a parallel copy. Every
variant's cycle comes from :func:`cyclecore.analysis.deterministic.station_cycle` (exact
jerk-limited moves) — never an estimate. The frontier keeps, in order of capex, the options that
make the station strictly faster than every cheaper one.
"""

from __future__ import annotations

from dataclasses import dataclass

from cyclecore.analysis.deterministic import station_cycle
from cyclecore.changes.base import Change, Price
from cyclecore.model.line import Line, Station
from cyclecore.plan.levers import Levers


@dataclass(frozen=True)
class StationOption:
    """A station variant: the changes that make it (in order), their price, and its cycle (s)."""

    station: str
    changes: tuple[Change, ...]
    price: Price
    cycle_s: float  # one copy: slowest robot or fixed work, plus index time
    parallel: int
    effective_cycle_s: float  # cycle_s / parallel
    robots: int

    @property
    def capex(self) -> float:
        return self.price.capex


def _priced(line: Line, changes) -> Price:
    total = Price()
    for change in changes:
        total = total + change.price(line)
    return total


def _programs(line: Line, station: Station, levers: Levers):
    """(changes, station) for the program kept, re-sequenced, and re-split over added robots."""
    from cyclecore.changes import AddRobots, Resequence
    from cyclecore.changes.programs import free_slots

    from cyclecore.plan.levers import searchable

    out = [((), station)]
    if not station.robots or not station.tasks or not searchable(station):
        return out  # a station too large for the searches keeps its programs (the plan notes it)
    if levers.resequence:
        current, changes = station, []
        for robot in station.robots:
            if len(station.tasks_of(robot.name)) < 2:
                continue
            change = Resequence(station.name, robot.name)
            current = change.on_station(line, current)
            changes.append(change)
        if changes:
            out.append((tuple(changes), current))
    if levers.robots:
        for k in range(1, min(len(free_slots(station)), levers.max_robots_added) + 1):
            change = AddRobots(station.name, k)
            out.append(((change,), change.on_station(line, station)))
    return out


def _speed_steps(line: Line, changes, station: Station, levers: Levers):
    """(changes, station) for the speed kept and for each allowed override step above the slowest robot."""
    from cyclecore.changes import SpeedUp

    out = [(changes, station)]
    if not levers.speed or not station.robots:
        return out
    slowest = min(r.speed_override for r in station.robots)
    for step in sorted(set(line.costs.speed_override_steps)):
        if step <= slowest:
            continue
        raise_ = tuple(SpeedUp(station.name, r.name, step) for r in station.robots if r.speed_override < step)
        faster = station
        for change in raise_:
            faster = change.on_station(line, faster)
        out.append((changes + raise_, faster))
    return out


def station_options(line: Line, name: str, levers: Levers = Levers()) -> tuple[StationOption, ...]:
    """Every option of station ``name`` on ``line`` (the line as the options and rebalancing
    before left it), the station as it is first. Deterministic: program searches stop on counts."""
    from cyclecore.changes import DuplicateStation

    station = line.station(name)
    variants = []
    for changes, programmed in _programs(line, station, levers):
        variants.extend(_speed_steps(line, changes, programmed, levers))
    if levers.duplicate_station:
        duplicate = DuplicateStation(name)
        variants += [(changes + (duplicate,), duplicate.on_station(line, s)) for changes, s in list(variants)]
    out = []
    for changes, variant in variants:
        cycle = station_cycle(line, variant)
        out.append(StationOption(name, tuple(changes), _priced(line, changes), cycle.cycle_s, variant.parallel,
                                 cycle.effective_cycle_s, len(variant.robots)))
    return tuple(out)


def frontier(options) -> tuple[StationOption, ...]:
    """The options no cheaper-or-equal option beats on effective cycle, cheapest first.

    Ties in capex keep the faster; among equal options the first listed wins (deterministic)."""
    ranked = sorted(range(len(options)), key=lambda k: (options[k].capex, options[k].effective_cycle_s, k))
    out, best = [], float("inf")
    for k in ranked:
        option = options[k]
        if option.effective_cycle_s < best - 1e-12:
            out.append(option)
            best = option.effective_cycle_s
    return tuple(out)
