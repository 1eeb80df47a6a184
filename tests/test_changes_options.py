"""Declared options: a line file's process simplifications and part redesigns. The file is
checked like the rest of the line (unique names, tasks that exist, one edit per task, no station
left without work), and applying an option is exactly the line a file with the edit would hold."""

from __future__ import annotations

import pytest
import yaml

from cyclecore.analysis.deterministic import analyze, robot_cycles
from cyclecore.changes import ApplyOption, option_stations
from cyclecore.files.line_file import line_from_dict, load_line
from cyclecore.model.errors import LineFileError
from line_fixtures import valid_line


def with_options(*options, fixed_s1=None):
    data = valid_line()
    data["options"] = list(options)
    if fixed_s1 is not None:
        data["stations"][0]["fixed_time_s"] = fixed_s1
    return data


def problems(data):
    with pytest.raises(LineFileError) as error:
        line_from_dict(data)
    return {p.path: p.expected for p in error.value.problems}


def test_option_names_are_unique():
    found = problems(with_options({"name": "x", "tasks": [{"task": "a", "process_time_s": 0.1}]},
                                  {"name": "x", "tasks": [{"task": "b", "process_time_s": 0.1}]}))
    assert set(found) == {"options[0].name", "options[1].name"}
    assert found["options[1].name"] == "option names must be unique"


def test_an_option_names_tasks_of_the_line():
    found = problems(with_options({"name": "x", "tasks": [{"task": "a", "process_time_s": 0.1},
                                                          {"task": "zz", "remove": True}]}))
    assert found == {"options[0].tasks[1].task": "unknown task; expected a task of the line (a, b, c, d)"}


def test_an_option_edits_a_task_once():
    found = problems(with_options({"name": "x", "tasks": [{"task": "c", "process_time_s": 0.1},
                                                          {"task": "c", "logic_time_s": 0.0}]}))
    assert found == {"options[0].tasks[1].task": "task already edited at options[0].tasks[0]; "
                                                 "expected one edit per task in an option"}


def test_an_option_may_not_leave_a_station_without_work():
    removing_both = {"name": "x", "tasks": [{"task": "a", "remove": True}, {"task": "b", "remove": True}]}
    found = problems(with_options(removing_both))
    assert list(found) == ["options[0].tasks[1].remove"]
    assert "removes the last task of station S1 (a, b)" in found["options[0].tasks[1].remove"]
    # Fixed work (a press, a manual operation) is work: the station keeps running without tasks.
    assert line_from_dict(with_options(removing_both, fixed_s1=3.0)).options[0].name == "x"


def test_an_edit_is_new_times_or_removal_but_not_both_nor_neither():
    found = problems(with_options({"name": "x", "tasks": [{"task": "a", "remove": True, "process_time_s": 0.1},
                                                          {"task": "b"}]}))
    assert found["options[0].tasks[0]"] == "give either 'remove: true' or new times, not both"
    assert found["options[0].tasks[1]"] == "give 'process_time_s', 'logic_time_s' or 'remove: true'"


def test_shortening_a_task_on_the_slowest_robot_shortens_its_cycle_by_exactly_that():
    d = 0.3
    line = line_from_dict(with_options({"name": "faster glue", "capex": 1000.0,
                                        "tasks": [{"task": "b", "process_time_s": 0.5 - d}]}))
    before = robot_cycles(line, line.station("S1"))[0]
    assert line.station("S1").tasks[1].process_time_s == 0.5
    assert analyze(line).bottleneck == "S1"

    changed = ApplyOption("faster glue").apply(line)

    after = robot_cycles(changed, changed.station("S1"))[0]
    assert after.cycle_s == pytest.approx(before.cycle_s - d, abs=1e-12)
    assert after.motion_s == before.motion_s
    assert analyze(changed).line_cycle_s == pytest.approx(analyze(line).line_cycle_s - d, abs=1e-12)
    assert changed.options == ()  # done: no longer on offer


def test_removing_a_predecessor_gives_the_line_a_file_without_that_task_holds(tmp_path):
    option = {"name": "no tack weld", "kind": "part_redesign", "tasks": [{"task": "b", "remove": True}]}
    other = {"name": "quick c", "tasks": [{"task": "c", "logic_time_s": 0.0}]}
    line = line_from_dict(with_options(option, other))

    # The same line written by hand: b gone, d no longer waits for it, the option done.
    data = valid_line()
    del data["stations"][0]["tasks"][1]
    data["stations"][1]["tasks"][1]["after"] = []
    data["options"] = [other]
    path = tmp_path / "without-b.yaml"
    path.write_text(yaml.safe_dump(data))

    assert ApplyOption("no tack weld").apply(line).model_dump() == load_line(path).model_dump()


def test_options_left_after_one_is_applied_lose_the_removed_tasks():
    remove_a = {"name": "remove a", "tasks": [{"task": "a", "remove": True}]}
    shorten_a_and_c = {"name": "shorten a and c", "tasks": [{"task": "a", "process_time_s": 0.1},
                                                            {"task": "c", "process_time_s": 0.2}]}
    shorten_a = {"name": "shorten a", "tasks": [{"task": "a", "process_time_s": 0.1}]}
    remove_b = {"name": "remove b", "tasks": [{"task": "b", "remove": True}]}
    line = line_from_dict(with_options(remove_a, shorten_a_and_c, shorten_a, remove_b))

    changed = ApplyOption("remove a").apply(line)

    # "shorten a" has nothing left to edit, and "remove b" would now leave S1 with no work.
    assert [o.name for o in changed.options] == ["shorten a and c"]
    assert [e.task for e in changed.options[0].tasks] == ["c"]
    with pytest.raises(KeyError, match=r"has no option 'remove b' \(options: shorten a and c\)"):
        ApplyOption("remove b").apply(changed)


def test_an_option_touches_the_stations_holding_its_tasks_and_each_changes_alone():
    line = line_from_dict(with_options({"name": "both", "tasks": [{"task": "d", "process_time_s": 0.2},
                                                                  {"task": "a", "logic_time_s": 0.05}]},
                                       {"name": "one", "tasks": [{"task": "c", "remove": True}]}))
    assert option_stations(line, "both") == ("S1", "S2")
    assert option_stations(line, "one") == ("S2",)
    change = ApplyOption("both")
    changed = change.apply(line)
    for name in ("S1", "S2"):
        assert change.on_station(line, line.station(name)) == changed.station(name)


def test_unknown_options_are_named():
    line = line_from_dict(with_options({"name": "one", "tasks": [{"task": "c", "remove": True}]}))
    with pytest.raises(KeyError, match=r"line 'test-line' has no option 'two' \(options: one\)"):
        ApplyOption("two").apply(line)
    with pytest.raises(KeyError, match=r"\(options: none declared\)"):
        option_stations(line_from_dict(valid_line()), "one")
