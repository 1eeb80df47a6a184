"""A rebalance request can never produce a line that breaks precedence."""

from __future__ import annotations

import pytest

import cyclecore
from cyclecore.balancing import salbp1, salbp2
from cyclecore.changes.rebalance import rebalance
from cyclecore.model.checks import check_line

TIMES = [1.0, 2.0, 1.5, 1.0]
CHAIN = [(0, 1), (1, 2), (2, 3)]


def test_fixing_a_successor_ahead_of_its_predecessor_is_refused_by_field():
    # task 3 comes after task 0; pinning 3 to station 0 and 0 to station 1 would make a cycle
    with pytest.raises(ValueError, match=r"zoning\['fixed'\]\[3\]"):
        salbp1(TIMES, CHAIN, 3.0, zoning={"fixed": {3: 0, 0: 1}}, time_limit=2)
    with pytest.raises(ValueError, match="zoning: no balance satisfies"):
        salbp2(TIMES, CHAIN, 2, zoning={"fixed": {3: 0, 0: 1}}, time_limit=2)


def test_rebalanced_module_line_keeps_every_predecessor_in_the_same_or_an_earlier_station():
    line = cyclecore.load_example("module-line")
    # chain the first task of each zone-2 station to the last one of the station before it
    zone = [s for s in line.stations if s.zone == 2]
    stations = list(line.stations)
    for before, after in zip(zone, zone[1:]):
        first = after.tasks[0].evolve(after=(before.tasks[-1].name,))
        index = stations.index(after)
        stations[index] = after.evolve(tasks=(first, *after.tasks[1:]))
    chained = line.evolve(stations=tuple(stations))
    assert check_line(chained, check_reach=False) == []

    result = rebalance(chained, 2, time_limit=3.0)
    assert check_line(result.line, check_reach=False) == []
    station_of = {t.name: i for i, s in enumerate(result.line.stations) for t in s.tasks}
    for s in result.line.stations:
        for t in s.tasks:
            for p in t.after:
                assert station_of[p] <= station_of[t.name]
