"""Every change is a value: it round-trips through its dict (and JSON), its price follows the
line's cost book, it refuses bad fields and unknown names with a message naming what exists, and
importing the package is cheap."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import cyclecore
from cyclecore.analysis.deterministic import station_cycle
from cyclecore.changes import (AddBuffer, AddRobots, ApplyOption, DuplicateStation, Price, RebalanceZone,
                               RepairProgramme, Resequence, SpeedUp, change_from_dict, zone_stations)
from cyclecore.changes import base
from cyclecore.files.line_file import line_from_dict
from line_fixtures import valid_line

EVERY_KIND = [
    Resequence("S1", "R1"), SpeedUp("S1", "R1", 0.9), AddRobots("S2", 2), RebalanceZone(1),
    RebalanceZone("body"), AddBuffer("S1", 3), RepairProgramme("S1"), DuplicateStation("S2"),
    ApplyOption("lighter part"),
]


def test_the_examples_cover_every_registered_kind():
    change_from_dict(EVERY_KIND[0].to_dict())  # loads every kind module
    assert {c.kind for c in EVERY_KIND} == set(base._KINDS)


@pytest.mark.parametrize("change", EVERY_KIND, ids=lambda c: c.kind)
def test_a_change_round_trips_through_its_dict_and_json(change):
    data = change.to_dict()
    assert data["kind"] == change.kind
    assert change_from_dict(data) == change
    assert change_from_dict(json.loads(json.dumps(data, allow_nan=False))) == change


def test_json_numbers_come_back_as_the_fields_types():
    assert change_from_dict({"kind": "speed_up", "station": "S1", "robot": "R1", "override": 1}).override == 1.0
    assert isinstance(change_from_dict({"kind": "speed_up", "station": "S1", "robot": "R1", "override": 1}).override, float)


def test_bad_change_data_names_the_field_or_the_known_kinds():
    with pytest.raises(ValueError, match="unknown change kind 'teleport'; expected one of add_buffer, add_robots"):
        change_from_dict({"kind": "teleport"})
    with pytest.raises(ValueError, match="add_buffer: unknown field"):
        change_from_dict({"kind": "add_buffer", "station": "S1", "places": 1, "colour": "red"})
    with pytest.raises(ValueError, match="places: expected a whole number of buffer places >= 1, got 0"):
        change_from_dict({"kind": "add_buffer", "station": "S1", "places": 0})
    with pytest.raises(ValueError, match="robots: expected a whole number of extra robots >= 1, got 1.5"):
        AddRobots("S1", 1.5)
    with pytest.raises(ValueError, match="override: expected a speed override in"):
        SpeedUp("S1", "R1", "fast")
    with pytest.raises(ValueError, match="station: expected a non-empty name"):
        RepairProgramme("")
    with pytest.raises(ValueError, match="zone: expected a zone number or name"):
        RebalanceZone(None)


COSTS = {
    "robot": 100.0, "robot_integration": 30.0, "engineering_hour": 50.0, "resequence": 7.0,
    "speed_validation": 11.0, "buffer_place": 13.0, "rebalance": 17.0, "repair_programme": 19.0,
    "station_duplicate": 23.0,
    "lead_time_weeks": {"resequence": 1, "speed": 2, "robot": 3, "rebalance": 4, "buffer": 5,
                        "repair_programme": 6, "station_duplicate": 7},
    "downtime_h": {"resequence": 0.5, "speed": 1.5, "robot": 2.5, "rebalance": 3.5, "buffer": 4.5,
                   "repair_programme": 5.5, "station_duplicate": 6.5},
    "engineering_h": {"resequence": 2, "speed": 3, "robot": 4, "rebalance": 5, "buffer": 6,
                      "repair_programme": 7, "station_duplicate": 8},
    "operators_per_shift": {"resequence": 0.0, "speed": 0.0, "robot": 0.25, "rebalance": 0.0, "buffer": 0.0,
                            "repair_programme": 0.1, "station_duplicate": 0.5},
}


def priced_line():
    data = valid_line()
    data["costs"] = COSTS
    data["options"] = [{"name": "lighter part", "capex": 900.0, "engineering_h": 10.0, "lead_time_weeks": 20.0,
                        "downtime_h": 8.0, "operators_per_shift": -1.0,
                        "tasks": [{"task": "c", "process_time_s": 0.5}]}]
    return line_from_dict(data)


# Each change's price written out from the cost book's definition: count × (all-in price +
# engineering hours × rate), count × hours, count × operators, the lever's lead time, count × downtime.
EXPECTED_PRICES = {
    "resequence": Price(7 + 2 * 50, 2, 0.0, 1, 0.5),
    "speed_up": Price(11 + 3 * 50, 3, 0.0, 2, 1.5),
    "add_robots": Price(2 * (100 + 30 + 4 * 50), 2 * 4, 2 * 0.25, 3, 2 * 2.5),
    "rebalance_zone": Price(17 + 5 * 50, 5, 0.0, 4, 3.5),
    "add_buffer": Price(3 * (13 + 6 * 50), 3 * 6, 0.0, 5, 3 * 4.5),
    "repair_programme": Price(19 + 7 * 50, 7, 0.1, 6, 5.5),
    "duplicate_station": Price(23 + 8 * 50, 8, 0.5, 7, 6.5),
    "option": Price(900 + 10 * 50, 10, -1.0, 20, 8),
}


@pytest.mark.parametrize("change", EVERY_KIND, ids=lambda c: f"{c.kind}-{getattr(c, 'zone', '')}")
def test_a_changes_price_follows_the_cost_book(change):
    assert change.price(priced_line()) == EXPECTED_PRICES[change.kind]


def test_prices_of_changes_ordered_together_add_and_the_longest_lead_time_counts():
    line = priced_line()
    total = AddBuffer("S1", 3).price(line) + ApplyOption("lighter part").price(line)
    assert total == Price(3 * (13 + 6 * 50) + 900 + 10 * 50, 3 * 6 + 10, -1.0, 20, 3 * 4.5 + 8)


def test_unknown_stations_robots_and_zones_are_key_errors_naming_the_known_ones():
    line = line_from_dict(valid_line())
    for change in (Resequence("S9", "R1"), SpeedUp("S9", "R1", 0.9), AddRobots("S9", 1), AddBuffer("S9", 1),
                   RepairProgramme("S9"), DuplicateStation("S9")):
        with pytest.raises(KeyError, match=r"line 'test-line' has no station 'S9' \(stations: S1, S2\)"):
            change.apply(line)
    for change in (Resequence("S2", "R7"), SpeedUp("S2", "R7", 0.9)):
        with pytest.raises(KeyError, match=r"station 'S2' has no robot 'R7' \(robots: R1, R2\)"):
            change.apply(line)
    with pytest.raises(KeyError, match=r"line 'test-line' has no zone 9 \(zones: 1\)"):
        RebalanceZone(9).apply(line)


def test_a_rebalanced_zone_is_never_slower_and_a_typed_zone_number_names_the_same_zone():
    line = cyclecore.load_example("tutorial")
    assert zone_stations(line, 1) == zone_stations(line, "1") == ("ST10", "ST20")
    before = max(station_cycle(line, s).cycle_s for s in line.stations)

    changed = RebalanceZone(1).apply(line)

    assert max(station_cycle(changed, s).cycle_s for s in changed.stations) <= before
    assert sorted(t.name for s in changed.stations for t in s.tasks) == sorted(
        t.name for s in line.stations for t in s.tasks)


def test_importing_the_changes_package_loads_no_kernels():
    code = "import sys, cyclecore.changes; print(sorted(m for m in ('numba', 'ortools') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
