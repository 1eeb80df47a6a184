"""Changes that set one field of a station: a faster override, buffer places, a repair programme,
a parallel copy. Each changes exactly its field, and its effect on the cycle is the textbook one:
an override scales motion time only, a copy divides the station's cycle by its copies."""

from __future__ import annotations

import pytest
import yaml

from cyclecore.analysis.deterministic import analyze, robot_cycles, station_cycle
from cyclecore.changes import AddBuffer, DuplicateStation, RepairProgramme, SpeedUp
from cyclecore.files.line_file import line_from_dict, load_line
from cyclecore.model.errors import LineFileError
from line_fixtures import valid_line


def changed_paths(before, after, path=""):
    """Field paths (as a line file writes them) where two dumped lines differ."""
    if isinstance(before, dict) and isinstance(after, dict):
        out = set()
        for key in before.keys() | after.keys():
            out |= changed_paths(before.get(key), after.get(key), f"{path}.{key}" if path else key)
        return out
    if isinstance(before, (list, tuple)) and isinstance(after, (list, tuple)) and len(before) == len(after):
        out = set()
        for i, (b, a) in enumerate(zip(before, after)):
            out |= changed_paths(b, a, f"{path}[{i}]")
        return out
    return set() if before == after else {path}


def test_changed_paths_finds_exactly_the_differing_fields():
    assert changed_paths({"a": [1, {"b": 2}], "c": 3}, {"a": [1, {"b": 5}], "c": 3}) == {"a[1].b"}


@pytest.fixture
def line():
    return line_from_dict(valid_line())


@pytest.mark.parametrize("new", [0.9, 1.0])
def test_speed_up_scales_motion_by_the_override_ratio_and_keeps_process_and_logic(line, new):
    old = line.station("S1").robot("R1").speed_override
    assert old == 0.8
    before = robot_cycles(line, line.station("S1"))[0]

    changed = SpeedUp("S1", "R1", new).apply(line)

    after = robot_cycles(changed, changed.station("S1"))[0]
    # Motion is pure time scaling: every move takes its time at override 1 divided by the override.
    assert after.motion_s == pytest.approx(before.motion_s * old / new, rel=1e-12)
    assert (after.process_s, after.logic_s) == (before.process_s, before.logic_s)
    assert changed_paths(line.model_dump(), changed.model_dump()) == {"stations[0].robots[0].speed_override"}
    assert changed.station("S1").robot("R1").speed_override == new


def test_speed_up_takes_only_the_cost_books_steps_above_the_current_override(line):
    with pytest.raises(ValueError, match=r"override: .*runs at 0\.8; expected one of the cost book's "
                                         r"speed_override_steps above it \(0\.9, 1\), got 0\.95"):
        SpeedUp("S1", "R1", 0.95).apply(line)
    with pytest.raises(ValueError, match=r"above it \(0\.9, 1\), got 0\.8"):
        SpeedUp("S1", "R1", 0.8).apply(line)
    custom = line.evolve(costs=line.costs.evolve(speed_override_steps=(0.85, 1.0)))
    assert SpeedUp("S1", "R1", 0.85).apply(custom).station("S1").robot("R1").speed_override == 0.85
    with pytest.raises(ValueError, match=r"\(0\.85, 1\), got 0\.9"):
        SpeedUp("S1", "R1", 0.9).apply(custom)


def test_speed_up_above_one_is_refused_as_a_file_with_that_override_is(line, tmp_path):
    data = valid_line()
    data["stations"][0]["robots"][0]["speed_override"] = 1.2
    path = tmp_path / "fast.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(LineFileError) as from_file:
        load_line(path)

    with pytest.raises(LineFileError) as from_change:
        SpeedUp("S1", "R1", 1.2).apply(line)

    assert from_change.value.problems == from_file.value.problems
    assert [p.path for p in from_change.value.problems] == ["stations[0].robots[0].speed_override"]


def test_buffer_places_add_to_buffer_after_and_nothing_else(line):
    changed = AddBuffer("S1", 2).apply(line)
    assert changed.station("S1").buffer_after == line.station("S1").buffer_after + 2 == 3
    assert changed_paths(line.model_dump(), changed.model_dump()) == {"stations[0].buffer_after"}


def test_no_buffer_after_the_last_station(line):
    with pytest.raises(ValueError, match="station: 'S2' is the last station of line 'test-line'"):
        AddBuffer("S2", 1).apply(line)


def test_repair_programme_multiplies_mttr_by_the_cost_books_factor(line):
    custom = line.evolve(costs=line.costs.evolve(repair_mttr_factor=0.25))

    changed = RepairProgramme("S1").apply(custom)

    assert changed.station("S1").reliability.mttr_min == 10.0 * 0.25
    assert changed.station("S1").reliability.mtbf_h == 5.0
    assert changed_paths(custom.model_dump(), changed.model_dump()) == {"stations[0].reliability.mttr_min"}


def test_repair_programme_needs_a_station_that_fails(line):
    with pytest.raises(ValueError, match="station: 'S2' has no reliability"):
        RepairProgramme("S2").apply(line)


def test_a_duplicated_station_halves_its_effective_cycle_and_keeps_its_cycle(line):
    before = station_cycle(line, line.station("S1"))

    changed = DuplicateStation("S1").apply(line)
    twice = DuplicateStation("S1").apply(changed)

    assert changed_paths(line.model_dump(), changed.model_dump()) == {"stations[0].parallel"}
    for copies, new in ((2, changed), (3, twice)):
        after = station_cycle(new, new.station("S1"))
        assert after.cycle_s == before.cycle_s
        assert after.effective_cycle_s == pytest.approx(before.cycle_s / copies, rel=1e-15)
    slowest_other = station_cycle(line, line.station("S2")).effective_cycle_s
    assert analyze(twice).line_cycle_s == pytest.approx(max(before.cycle_s / 3, slowest_other))


def test_on_station_is_the_station_that_apply_puts_in_the_line(line):
    for change in (SpeedUp("S1", "R1", 1.0), AddBuffer("S1", 1), RepairProgramme("S1"), DuplicateStation("S2")):
        station = change.on_station(line, line.station(change.station))
        assert change.apply(line).station(change.station) == station
