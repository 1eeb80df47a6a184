"""Issue 11, files and the model: hostile or careless input ends in one clean message naming the
file, the field path and what was expected; never a traceback, a hang, NaN or inf; outputs are
written whole or not at all.

One section per defect class of issue 11 that lives in reading, the model or writing (1, 2, 3, 4,
5, 6, 9, 10, 11, 12) plus repeated keys and file size. The oracle of each is the issue's own
statement of the defect: the exact field path and range the message must name, a bound on time
and memory, bytes on disk before and after.
"""

from __future__ import annotations

import copy
import json
import math
import os
import subprocess
import sys
import time
import tracemalloc

import pytest
import yaml

from cyclecore import limits
from cyclecore.analysis.deterministic import analyze
from cyclecore.files import output
from cyclecore.files.line_file import check_writable, line_from_dict, load_line, write_all_or_nothing
from cyclecore.files.plant_file import load_plant
from cyclecore.model.errors import LineFileError, OutputFileError

from big_line import write_big_json
from line_fixtures import valid_line

BUNDLED_KR210 = yaml.safe_load(
    (__import__("importlib").resources.files("cyclecore") / "data/robot_models.yaml").read_text())["KR210-R3100-2"]


def _write(folder, data, name="line.yaml"):
    path = folder / name
    path.write_text(json.dumps(data) if name.endswith(".json") else yaml.safe_dump(data), encoding="utf-8")
    return path


def _refused(path_or_data, *expected: str) -> str:
    """Load a file (or validate a mapping) that must be refused; every ``expected`` text must be
    in the one-message error; returns the message."""
    with pytest.raises(LineFileError) as caught:
        if isinstance(path_or_data, dict):
            line_from_dict(path_or_data)
        else:
            load_line(path_or_data)
    message = str(caught.value)
    for text in expected:
        assert text in message, message
    assert "Traceback" not in message
    return message


def _cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """The installed command in a real process (what a user runs), 60 s at most."""
    return subprocess.run([sys.executable, "-P", "-m", "cyclecore.cli", *args], capture_output=True, text=True,
                          timeout=60, cwd=cwd)


def _assert_clean_exit_2(result: subprocess.CompletedProcess, *expected: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    for text in expected:
        assert text in result.stderr, result.stderr


def _with_own_model(mutate) -> dict:
    """The valid line with the KR 210 redefined under its own ``robot_models``, then mutated."""
    data = valid_line()
    model = copy.deepcopy(BUNDLED_KR210)
    mutate(model)
    data["robot_models"] = {"KR210-R3100-2": model}
    return data


# --- class 1: a station with no work -------------------------------------------------------------


def test_station_with_no_work_is_refused_by_the_model_naming_the_station():
    data = valid_line()
    data["stations"].append({"name": "empty", "zone": 1})
    _refused(data, "stations[2]: station has no work", "expected tasks, fixed_time_s > 0 or index_time_s > 0")


def test_station_with_only_fixed_work_or_only_index_time_is_a_station():
    data = valid_line()
    data["stations"].append({"name": "press", "fixed_time_s": 30.0})
    data["stations"].append({"name": "transfer", "index_time_s": 3.0})
    analysis = analyze(line_from_dict(data))
    assert analysis.station("press").cycle_s == 30.0  # fixed work is its cycle: no robots, no index
    assert analysis.station("transfer").cycle_s == 3.0


def test_cli_analyze_of_a_station_with_no_work_exits_2_naming_it(tmp_path):
    data = valid_line()
    data["stations"].append({"name": "empty"})
    _assert_clean_exit_2(_cli("analyze", str(_write(tmp_path, data))), "stations[2]", "no work")


# --- classes 2 and 3: a line file's own robot models --------------------------------------------


OWN_MODEL_CASES = {
    "NaN offset": (lambda m: m["kinematics"].__setitem__("offsets_deg", [math.nan, 0, 0, 0, 0, 0]),
                   "robot_models.KR210-R3100-2.kinematics.offsets_deg[0]: got nan, expected a number in [-720, 720] °"),
    "inf link length": (lambda m: m["kinematics"].__setitem__("c2", math.inf),
                        "robot_models.KR210-R3100-2.kinematics.c2: got inf, expected a number in (0, 20] m"),
    "NaN offset a1": (lambda m: m["kinematics"].__setitem__("a1", math.nan),
                      "robot_models.KR210-R3100-2.kinematics.a1: got nan, expected a number in [-20, 20] m"),
    "5e-324 acceleration": (lambda m: m.__setitem__("max_acceleration_deg_s2", [5e-324] * 6),
                            "robot_models.KR210-R3100-2.max_acceleration_deg_s2[0]: got 5e-324, expected a number in "
                            "[0.0572958, 572958] °/s²"),
    "inf speed": (lambda m: m.__setitem__("max_velocity_deg_s", [math.inf] * 6),
                  "robot_models.KR210-R3100-2.max_velocity_deg_s[0]: got inf"),
    "NaN jerk": (lambda m: m.__setitem__("max_jerk_deg_s3", [math.nan] * 6),
                 "robot_models.KR210-R3100-2.max_jerk_deg_s3[0]: got nan"),
    "±1e308° joint limits": (lambda m: (m.__setitem__("joint_min_deg", [-1e308] * 6),
                                        m.__setitem__("joint_max_deg", [1e308] * 6)),
                             "robot_models.KR210-R3100-2.joint_max_deg[5]: got 1e+308, expected a number in "
                             "[-720, 720] °"),
}


@pytest.mark.parametrize("case", sorted(OWN_MODEL_CASES))
def test_own_robot_model_out_of_physical_range_is_refused_naming_field_and_range(case):
    mutate, expected = OWN_MODEL_CASES[case]
    _refused(_with_own_model(mutate), expected)


def test_own_robot_model_with_infinite_jerk_is_a_trapezoidal_arm():
    line = line_from_dict(_with_own_model(lambda m: m.__setitem__("max_jerk_deg_s3", [math.inf] * 6)))
    assert all(math.isfinite(s.cycle_s) for s in analyze(line).stations)


def test_cli_refuses_a_nan_robot_model_with_exit_2(tmp_path):
    data = _with_own_model(OWN_MODEL_CASES["NaN offset"][0])
    path = tmp_path / "line.json"
    path.write_text(json.dumps(data))  # JSON's NaN literal, as a careless export writes it
    _assert_clean_exit_2(_cli("analyze", str(path)), "kinematics.offsets_deg[0]")


def test_joint_limits_of_1e308_degrees_are_refused_fast_before_any_kinematics(tmp_path):
    data = _with_own_model(OWN_MODEL_CASES["±1e308° joint limits"][0])
    start = time.perf_counter()
    _assert_clean_exit_2(_cli("analyze", str(_write(tmp_path, data))), "joint_min_deg[0]", "[-720, 720]")
    assert time.perf_counter() - start < 30  # a hang in IK would hit the 60 s timeout


# --- class 6 (the line's part): finite but extreme values ----------------------------------------


EXTREME_CASES = {
    "mtbf_h 1e308": (["stations", 0, "reliability", "mtbf_h"], 1e308,
                     "stations[0].reliability.mtbf_h: got 1e+308, expected a number in [0.000277778, 888889] h"),
    "buffer of 1e30 places": (["stations", 0, "buffer_after"], 10**30,
                              "stations[0].buffer_after: got 1000000000000000000000000000000, expected a whole "
                              "number in [0, 100,000] places"),
    "buffer of 1e30 places as a float": (["stations", 0, "buffer_after"], 1e30,
                                         "stations[0].buffer_after: got 1e+30, expected a whole number in "
                                         "[0, 100,000] places"),
    "index_time_s 1e308": (["stations", 1, "index_time_s"], 1e308,
                           "stations[1].index_time_s: got 1e+308, expected a number in [0, 86400] s"),
    "process time inf": (["stations", 0, "tasks", 0, "process_time_s"], math.inf,
                         "stations[0].tasks[0].process_time_s: got inf"),
    "speed override 5e-324": (["stations", 0, "robots", 0, "speed_override"], 5e-324,
                              "stations[0].robots[0].speed_override: got 5e-324, expected a number in [0.01, 1]"),
    "joint target 1e308°": (["stations", 0, "tasks", 0, "joints_deg"], [1e308, 0, 0, 0, 0, 0],
                            "stations[0].tasks[0].joints_deg[0]: got 1e+308, expected a number in [-720, 720] °"),
    "parallel 1e9": (["stations", 1, "parallel"], 10**9, "stations[1].parallel: got 1000000000"),
    "capex 1e308": (["costs", "robot"], 1e308, "costs.robot: got 1e+308, expected a number in [0, 1e+12]"),
    "identical lines 1e12": (["identical_lines"], 10**12, "identical_lines: got 1000000000000"),
}


def _set(data: dict, keys: list, value) -> dict:
    target = data
    for key in keys[:-1]:
        target = target.setdefault(key, {}) if isinstance(key, str) else target[key]
    target[keys[-1]] = value
    return data


@pytest.mark.parametrize("case", sorted(EXTREME_CASES))
def test_finite_but_extreme_values_are_refused_naming_field_and_range(case):
    keys, value, expected = EXTREME_CASES[case]
    _refused(_set(valid_line(), keys, value), expected)


def test_cli_refuses_mtbf_of_1e308_hours_with_exit_2(tmp_path):
    keys, value, expected = EXTREME_CASES["mtbf_h 1e308"]
    path = _write(tmp_path, _set(valid_line(), keys, value))
    _assert_clean_exit_2(_cli("analyze", str(path)), expected)


def test_a_vanishing_target_is_refused_not_an_infinite_takt(tmp_path):
    """``--target 5e-324`` made the takt inf (the fuzzer's finding): a target has a range too."""
    with pytest.raises(ValueError, match=r"target: got 5e-324, expected a positive number of products per week "
                                         r"in \[0.001, 1e\+09\]"):
        analyze(line_from_dict(valid_line()), target=5e-324)
    assert math.isfinite(analyze(line_from_dict(valid_line()), target=limits.PRODUCTS_PER_WEEK.low).takt_s)
    _assert_clean_exit_2(_cli("analyze", str(_write(tmp_path, valid_line())), "--target", "5e-324"), "target")


def test_analysis_at_the_edges_of_every_range_is_finite_json():
    """The widest values the ranges allow (the least reliable and the most reliable station, the
    longest repairs, the biggest buffer) give finite figures: no nan%, no nan units/week."""
    data = valid_line()
    data["stations"][0]["reliability"] = {"mtbf_h": limits.MTBF_S.high / 3600, "mttr_min": limits.MTTR_S.high / 60}
    data["stations"][1]["reliability"] = {"mtbf_h": limits.MTBF_S.low / 3600, "mttr_min": limits.MTTR_S.high / 60}
    data["stations"][0]["buffer_after"] = limits.BUFFER.high
    data["stations"][1]["index_time_s"] = limits.DURATION_S.high / 2
    analysis = analyze(line_from_dict(data), target=limits.MAX_PRODUCTS_PER_WEEK)
    text = json.dumps(analysis.to_dict(), allow_nan=False)  # raises on NaN or inf
    assert "nan" not in str(analysis).lower() and "inf" not in str(analysis).lower()
    assert json.loads(text)["line_cycle_s"] > limits.DURATION_S.high / 2  # the half-day index, plus its work


def test_station_cycle_over_a_day_from_parts_each_in_range_is_refused_naming_the_station():
    data = valid_line()
    data["stations"][1]["index_time_s"] = limits.DURATION_S.high  # in range; plus its work, over a day
    with pytest.raises(ValueError, match=r"stations\[1\] station 'S2': cycle 86\d+(\.\d+)? s .*expected a station "
                                         r"cycle in \(0, 86400\] s"):
        analyze(line_from_dict(data))


def test_a_pose_at_the_cell_edge_seen_from_its_robot_is_unreachable_not_an_internal_error():
    # each field within ±100 m, but from a base 1 m away the target lies beyond 100 m in the robot's
    # frame: the kinematics must call it unreachable (a LineFileError naming the task), not refuse
    # its own argument (a fuzz finding: that surfaced as an internal error)
    data = valid_line()
    data["stations"][0]["robots"][0]["base"] = {"xyz_m": [0.0, 0.0, -1.0], "rpy_deg": [0, 0, 0]}
    data["stations"][0]["tasks"][0] = {"name": "a", "pose": {"xyz_m": [0.0, 0.0, 100.0], "rpy_deg": [180, 0, 0]},
                                       "process_time_s": 0.5}
    _refused(data, "stations[0].tasks[0]", "not reachable")


def test_a_plant_line_whose_station_cycle_is_over_a_day_is_named_by_its_file(tmp_path):
    from cyclecore.analysis.plant import analyze_plant

    data = valid_line()
    data["stations"][1]["index_time_s"] = limits.DURATION_S.high
    _write(tmp_path, valid_line(), "a.yaml")
    _write(tmp_path, data, "b.yaml")
    (tmp_path / "plant.yaml").write_text("name: p\nlines:\n- {file: a.yaml, name: a}\n- {file: b.yaml, name: b}\n")
    with pytest.raises(ValueError, match=r"b\.yaml \(lines\[1\] of the plant\): stations\[1\] station 'S2': cycle"):
        analyze_plant(load_plant(tmp_path / "plant.yaml"))


def test_simulation_beyond_the_work_ceiling_is_refused_in_weeks_with_a_smaller_value():
    from cyclecore.analysis.simulation import simulate

    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"^weeks: got 500, expected a request within the ceiling .* use weeks <= "):
        simulate(line_from_dict(valid_line()), weeks=500, replications=10_000)
    assert time.perf_counter() - start < 5  # refused from an estimate, before any simulation


# --- classes 4 and 5: spot CSVs ------------------------------------------------------------------


SPOT_HEADER = "name,x,y,z,rx,ry,rz,process_time,robot,sequence\n"
SPOT_ROW = "w1,1500,0,900,180,0,0,0.5,R1,1\n"


def _spot_line(folder, reference: str):
    data = valid_line()
    data["stations"][0]["spots_csv"] = reference
    return _write(folder, data)


def test_spot_csv_that_is_not_utf8_is_refused_naming_the_file_and_byte(tmp_path):
    (tmp_path / "spots.csv").write_bytes((SPOT_HEADER + "soudure-é,1500,0,900,180,0,0,0.5,R1,1\n").encode("latin-1"))
    _refused(_spot_line(tmp_path, "spots.csv"), "stations[0].spots_csv (spots.csv)", "byte 0xe9 at line 2 is not UTF-8")


def test_spot_csv_field_over_the_csv_module_limit_is_refused_naming_the_line(tmp_path):
    (tmp_path / "spots.csv").write_text(SPOT_HEADER + "w" * (200 * 1024) + ",1500,0,900,180,0,0,0.5,R1,1\n")
    _refused(_spot_line(tmp_path, "spots.csv"), "stations[0].spots_csv (spots.csv line 2)",
             f"a field longer than {limits.MAX_CSV_FIELD_BYTES:,} characters")


def test_spot_csv_field_over_our_limit_but_under_the_modules_is_refused_naming_the_column(tmp_path):
    (tmp_path / "spots.csv").write_text(SPOT_HEADER + "w" * (100 * 1024) + ",1500,0,900,180,0,0,0.5,R1,1\n")
    _refused(_spot_line(tmp_path, "spots.csv"), "stations[0].spots_csv (spots.csv line 2).name",
             f"expected at most {limits.MAX_CSV_FIELD_BYTES:,}")


def test_spot_csv_name_with_a_nul_byte_is_refused(tmp_path):
    (tmp_path / "spots.csv").write_text(SPOT_HEADER + "w\x001,1500,0,900,180,0,0,0.5,R1,1\n")
    _refused(_spot_line(tmp_path, "spots.csv"), "stations[0].tasks[2].name",
             "expected text without control characters")


def test_spot_csv_numbers_outside_their_ranges_are_refused_naming_row_and_column(tmp_path):
    (tmp_path / "spots.csv").write_text(SPOT_HEADER + "w1,1e300,0,900,180,0,0,nan,R1," + "9" * 40 + "\n")
    message = _refused(_spot_line(tmp_path, "spots.csv"),
                       "(spots.csv line 2).x: got '1e300', expected a number in [-100000, 100000] mm",
                       "(spots.csv line 2).process_time: got 'nan', expected a number in [0, 86400] s",
                       "(spots.csv line 2).sequence")
    assert "9" * 40 in message  # the offending cell is shown (shortened), as the user wrote it


ESCAPES = ["../../../../etc/passwd", "/etc/passwd", "sub/../../outside.csv"]


@pytest.mark.parametrize("reference", ESCAPES)
def test_spot_csv_outside_the_line_files_folder_is_never_read_nor_quoted(tmp_path, reference):
    folder = tmp_path / "line"
    folder.mkdir()
    (folder / "sub").mkdir()
    (tmp_path / "outside.csv").write_text("root:x:0:0:secret\n")
    message = _refused(_spot_line(folder, reference), "stations[0].spots_csv")
    assert "root:" not in message and "secret" not in message
    assert "relative to the line file's folder" in message or "leads out of the line file's folder" in message


def test_spot_csv_link_leading_out_of_the_folder_is_refused(tmp_path):
    folder = tmp_path / "line"
    folder.mkdir()
    (tmp_path / "secret.csv").write_text("root:x:0:0:secret\n")
    (folder / "spots.csv").symlink_to(tmp_path / "secret.csv")
    message = _refused(_spot_line(folder, "spots.csv"), "stations[0].spots_csv", "leads out of the line file's folder")
    assert "secret" not in message.replace(str(tmp_path), "")


def test_spot_csv_in_a_subfolder_is_read(tmp_path):
    (tmp_path / "spots").mkdir()
    (tmp_path / "spots" / "s1.csv").write_text(SPOT_HEADER + SPOT_ROW)
    data = valid_line()
    data["stations"][0]["spots_csv"] = "spots/s1.csv"
    line = load_line(_write(tmp_path, data))
    assert [t.name for t in line.stations[0].tasks][-1] == "w1"


def test_cli_refuses_a_path_escape_with_exit_2_without_quoting_the_target(tmp_path):
    (tmp_path / "secret.csv").write_text("root:x:0:0:secret\n")
    folder = tmp_path / "line"
    folder.mkdir()
    result = _cli("analyze", str(_spot_line(folder, "../secret.csv")))
    _assert_clean_exit_2(result, "stations[0].spots_csv", "leads out of the line file's folder")
    assert "root:x" not in result.stderr + result.stdout


# --- class 9: parser limits ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["deep.yaml", "deep.json"])
def test_document_nested_20000_deep_is_refused_not_a_recursion_error(tmp_path, name):
    path = tmp_path / name
    path.write_text("[" * 20_000 + "]" * 20_000)
    _refused(path, str(path), f"expected at most {limits.MAX_NESTING} levels of nesting")


def test_block_yaml_nested_past_the_limit_names_the_line(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("name: x\nstations:\n" + "".join("  " * i + "- \n" for i in range(1, 100)))
    _refused(path, "nested too deep", "levels of nesting")


@pytest.mark.parametrize("name", ["line.yaml", "line.json"])
def test_5000_digit_integer_is_refused_naming_its_field(tmp_path, name):
    path = tmp_path / name
    text = _write(tmp_path, valid_line(), name).read_text()
    if name.endswith(".json"):
        text = text.replace('"buffer_after": 1', '"buffer_after": ' + "9" * 5000)
    else:
        text = text.replace("buffer_after: 1", "buffer_after: " + "9" * 5000)
    path.write_text(text)
    _refused(path, "stations[0].buffer_after: an integer of 5000 digits",
             f"expected at most {limits.MAX_INTEGER_DIGITS} digits")


def test_cli_refuses_deep_nesting_with_exit_2(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 20_000 + "]" * 20_000)
    _assert_clean_exit_2(_cli("analyze", str(path)), str(path), "levels of nesting")


def _structure_depth(value, depth: int = 1) -> int:
    """The oracle: nesting of a parsed JSON value, containers counted (``{}`` is 1)."""
    children = list(value.values()) if isinstance(value, dict) else value if isinstance(value, list) else None
    if children is None:
        return depth - 1
    return max([_structure_depth(child, depth + 1) for child in children] or [depth])


def test_json_depth_scan_equals_the_depth_of_the_parsed_value():
    """The depth is measured on the text before parsing (brackets inside strings and escaped
    quotes ignored); 2,000 random documents full of brackets, quotes and backslashes in keys and
    strings agree with the depth of what json parses."""
    import random

    from cyclecore.files.documents import _json_depth

    rng = random.Random(11)
    text_of = lambda: "".join(rng.choice('[]{}"\\ab') for _ in range(rng.randint(0, 5)))  # noqa: E731

    def document(level):
        roll = rng.random()
        if level > 7 or roll < 0.3:
            return rng.choice([text_of(), 1, None, 2.5])
        if roll < 0.65:
            return [document(level + 1) for _ in range(rng.randint(0, 3))]
        return {text_of(): document(level + 1) for _ in range(rng.randint(0, 3))}

    for _ in range(2_000):
        value = document(0)
        assert _json_depth(json.dumps(value)) == _structure_depth(value), json.dumps(value)


def test_station_with_more_tasks_than_the_limit_is_refused_before_its_tasks_are_validated(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "TASKS_PER_STATION", limits.Count(0, 100, "tasks", "test"))
    _refused(write_big_json(tmp_path, 101), "stations[0].tasks: 101 tasks; expected at most 100 in one station")


# --- class 10: the YAML alias bomb ---------------------------------------------------------------


ALIAS_BOMB = "".join(
    f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi")
)
ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + ALIAS_BOMB


def test_alias_bomb_is_refused_fast_with_bounded_memory(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(ALIAS_BOMB)
    assert len(ALIAS_BOMB.encode()) < 400  # the 366-byte class of file
    tracemalloc.start()
    start = time.perf_counter()
    try:
        _refused(path, "aliases expand the document to", f"expected aliases to add at most "
                                                         f"{limits.MAX_YAML_ALIAS_NODES:,}")
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 20 * 1024 * 1024


def test_recursive_alias_is_refused(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("name: x\nstations: &s [*s]\n")
    _refused(path, "refers to a node that contains it")


def test_aliases_of_the_bundled_lines_still_load():
    from cyclecore.examples import load_example

    assert len(load_example("body-shop").stations) == 24  # its file uses 141 aliases


# --- repeated keys, file size --------------------------------------------------------------------


def test_yaml_repeated_key_is_refused_naming_its_path_and_lines(tmp_path):
    path = tmp_path / "line.yaml"
    text = yaml.safe_dump(valid_line(), sort_keys=False)
    path.write_text(text.replace("  index_time_s: 4.0\n", "  index_time_s: 4.0\n  index_time_s: 40.0\n", 1))
    _refused(path, "stations[0].index_time_s: key given twice in the same mapping (lines")


def test_json_repeated_key_is_refused_naming_its_path(tmp_path):
    path = tmp_path / "line.json"
    path.write_text(json.dumps(valid_line()).replace('"buffer_after": 1', '"buffer_after": 1, "buffer_after": 9', 1))
    _refused(path, "stations[0].buffer_after: key given twice in the same mapping")


def test_plant_file_repeated_key_is_refused_through_the_same_reader(tmp_path):
    _write(tmp_path, valid_line(), "a.yaml")
    path = tmp_path / "plant.yaml"
    path.write_text("name: p\nname: q\nlines:\n- {file: a.yaml}\n")
    with pytest.raises(LineFileError, match=r"plant.yaml: 1 problem\n  name: key given twice"):
        load_plant(path)


@pytest.mark.parametrize("reference", ["a\x00.yaml", "a\n.yaml", "x" * 100_000])
def test_a_file_reference_no_system_can_open_is_refused_by_its_field(tmp_path, reference):
    # a NUL made the system's own "embedded null byte" the whole message; 100,000 characters
    # raised "File name too long" (fuzz findings 8 and 9)
    _write(tmp_path, valid_line(), "a.yaml")
    plant = tmp_path / "plant.yaml"
    plant.write_text(yaml.safe_dump({"name": "p", "lines": [{"file": reference}]}), encoding="utf-8")
    with pytest.raises(LineFileError, match=r"plant.yaml: 1 problem\n  lines\[0\]\.file: got .*expected"):
        load_plant(plant)
    line = valid_line()
    line["stations"][0]["spots_csv"] = reference
    _refused(_write(tmp_path, line), "stations[0].spots_csv: got")
    line = valid_line()
    line["stations"][0]["robots"][0]["program"] = {"file": reference}
    _refused(_write(tmp_path, line), "stations[0].robots[0].program")


def test_file_larger_than_the_limit_is_not_read(tmp_path, monkeypatch):
    path = _write(tmp_path, valid_line())
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", path.stat().st_size - 1)
    _refused(path, f"file of {path.stat().st_size:,} bytes; expected at most")


def test_line_file_that_is_not_utf8_names_the_byte(tmp_path):
    path = tmp_path / "line.yaml"
    path.write_bytes("name: ligne-\xe9\nstations: []\n".encode("cp1252"))
    _refused(path, "byte 0xe9 at line 1 is not UTF-8")


def test_names_the_system_refuses_are_clean_errors_for_inputs_and_outputs(tmp_path):
    """A file name over the system's 255 bytes (the fuzzer's plant entry) made Path.is_file raise
    OSError. (References longer than any path are refused before the system is asked.)"""
    long = "x" * 300
    plant = tmp_path / "plant.yaml"
    plant.write_text(f"name: p\nlines:\n- {{file: {long}.yaml}}\n")
    with pytest.raises(LineFileError, match=r"lines\[0\].file: got .*, line file cannot be read \(File name too long\)"):
        load_plant(plant)
    data = valid_line()
    data["stations"][0]["spots_csv"] = long + ".csv"
    _refused(_write(tmp_path, data), "stations[0].spots_csv", "spot list cannot be read (File name too long)")
    _refused(tmp_path / (long + ".yaml"), "cannot be read (File name too long)")
    with pytest.raises(OutputFileError, match=r"cannot be used as an output file \(File name too long\)"):
        check_writable(tmp_path / (long + ".json"), (".json",))


# --- class 11: loading is linear -----------------------------------------------------------------


def _best_load_time(path, repeats: int = 3) -> float:
    """The least CPU time of this process (not wall time: other processes on a busy machine do
    not count) over ``repeats`` loads."""
    best = math.inf
    for _ in range(repeats):
        start = time.process_time()
        line = load_line(path)
        best = min(best, time.process_time() - start)
    assert len(line.stations[0].tasks) > 0
    return best


def test_loading_time_grows_linearly_with_the_tasks_of_one_station(tmp_path):
    """4,000 then 8,000 tasks in one station, each after the one before (and every tenth after one
    a hundred back). A list ``index`` per edge made 4,000 tasks take 31 s: quadratic work would
    take 4x as long for twice the tasks; linear work 2x. The best of three runs, in CPU time,
    damps a busy machine's noise."""
    small, large = write_big_json(tmp_path, 4_000), write_big_json(tmp_path, 8_000)
    load_line(small)  # warm caches (bundled models, numpy) out of the measurement
    ratio = _best_load_time(large) / _best_load_time(small)
    assert ratio < 3.0, ratio


def test_precedence_and_order_problems_of_many_tasks_are_reported_in_linear_time(tmp_path):
    """Every one of 4,000 tasks done before its predecessor: 3,999 messages, each needing the
    task's position; found once per station, not searched per message."""
    data = json.loads(write_big_json(tmp_path, 4_000).read_text())
    tasks = data["stations"][0]["tasks"]
    for k, task in enumerate(tasks):
        task["after"] = [f"T{k + 1}"] if k + 1 < len(tasks) else []
    start = time.perf_counter()
    message = _refused(data, "stations[0].tasks[0].after[0]", "before its predecessor 'T1'")
    assert message.count("before its predecessor") == 3_999
    assert time.perf_counter() - start < 10


def test_many_declared_options_on_a_large_station_are_checked_in_linear_time(tmp_path):
    """2,000 options each removing one of 4,000 tasks: whether an option empties a station is
    counted from its own edits, not by walking the line once per option."""
    data = json.loads(write_big_json(tmp_path, 4_000).read_text())
    data["options"] = [{"name": f"drop-{k}", "capex": 1.0, "tasks": [{"task": f"T{k}", "remove": True}]}
                       for k in range(2_000)]
    start = time.perf_counter()
    line = line_from_dict(data, check_reach=False)
    assert len(line.options) == 2_000
    assert time.perf_counter() - start < 5


# --- class 12: outputs ---------------------------------------------------------------------------


def _listing(folder):
    return sorted(p.name for p in folder.iterdir())


def test_output_path_in_a_missing_folder_is_refused_before_any_work(tmp_path):
    with pytest.raises(OutputFileError, match=r"folder .*missing does not exist; expected an existing folder"):
        check_writable(tmp_path / "missing" / "plan.json", (".json",))


def test_output_path_that_is_a_folder_or_a_device_or_a_wrong_suffix_is_refused(tmp_path):
    with pytest.raises(OutputFileError, match="is a folder; expected a file name"):
        check_writable(tmp_path)
    with pytest.raises(OutputFileError, match="is not a regular file"):
        check_writable("/dev/null")
    with pytest.raises(OutputFileError, match=r"expected a file name ending in \.json"):
        check_writable(tmp_path / "plan.txt", (".json",))
    assert isinstance(OutputFileError("x", "y"), ValueError)  # the CLI's user-error path (exit 2)
    assert _listing(tmp_path) == []  # the probe leaves nothing


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_output_into_a_read_only_folder_is_refused(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputFileError, match="cannot create a file in"):
            check_writable(folder / "a.json")
    finally:
        folder.chmod(0o700)


def test_output_where_no_file_can_be_created_is_refused_naming_the_reason(tmp_path, monkeypatch):
    """What a read-only mount or a full quota answers (root passes permission bits, not these)."""
    def refuse(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    with pytest.raises(OutputFileError, match=r"cannot create a file in .*\(Read-only file system\); expected a "
                                              r"folder you can write to"):
        check_writable(tmp_path / "plan.json", (".json",))


def test_write_onto_a_folder_or_into_a_missing_one_changes_nothing_and_leaves_no_temp_file(tmp_path):
    (tmp_path / "old.json").write_text("old")
    (tmp_path / "taken").mkdir()
    for bad in (tmp_path / "taken", tmp_path / "missing" / "x.json"):
        with pytest.raises(OutputFileError):
            write_all_or_nothing({tmp_path / "old.json": "new", bad: "x"})
    assert (tmp_path / "old.json").read_text() == "old"
    assert _listing(tmp_path) == ["old.json", "taken"]


def test_failure_while_renaming_puts_every_file_back_and_leaves_no_temp_file(tmp_path, monkeypatch):
    first, second = tmp_path / "a.json", tmp_path / "b.csv"
    first.write_text("old a")
    calls = []
    real_replace = os.replace

    def failing_replace(source, target):
        calls.append(target)
        if len(calls) == 2:  # the second file's rename: the first is already in place
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(output.os, "replace", failing_replace)
    with pytest.raises(OutputFileError, match="no file was changed"):
        write_all_or_nothing({first: "new a", second: "new b"})
    monkeypatch.setattr(output.os, "replace", real_replace)
    assert first.read_text() == "old a"
    assert _listing(tmp_path) == ["a.json"]


def test_failure_while_writing_leaves_targets_and_folder_as_they_were(tmp_path, monkeypatch):
    target = tmp_path / "a.json"
    target.write_text("old")

    def failing_fsync(_):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(output.os, "fsync", failing_fsync)
    with pytest.raises(OutputFileError, match="a.json: cannot be written"):
        write_all_or_nothing({target: "new"})
    assert target.read_text() == "old" and _listing(tmp_path) == ["a.json"]


def test_written_files_are_fsynced_with_their_folder_and_keep_their_permissions(tmp_path, monkeypatch):
    target = tmp_path / "a.json"
    target.write_text("old")
    target.chmod(0o640)
    synced = []
    real_fsync = os.fsync

    def recording_fsync(handle):
        synced.append(os.path.realpath(f"/proc/self/fd/{handle}"))
        return real_fsync(handle)

    monkeypatch.setattr(output.os, "fsync", recording_fsync)
    write_all_or_nothing({target: "new"})
    assert target.read_text() == "new" and oct(target.stat().st_mode & 0o777) == oct(0o640)
    assert str(tmp_path) in synced  # the folder, so the rename survives a power cut
    assert any(name.endswith(".tmp") for name in synced)  # the data, before the rename
    assert _listing(tmp_path) == ["a.json"]


def test_cli_output_onto_a_folder_exits_2_and_leaves_no_temp_file(tmp_path):
    (tmp_path / "out.yaml").mkdir()
    result = _cli("sequence", "--example", "tutorial", "-o", str(tmp_path / "out.yaml"))
    _assert_clean_exit_2(result, "is a folder")
    assert _listing(tmp_path) == ["out.yaml"] and _listing(tmp_path / "out.yaml") == []


def test_cli_output_into_a_missing_folder_fails_before_the_computation(tmp_path):
    from cyclecore.examples import example_path

    start = time.perf_counter()
    result = _cli("sequence", str(example_path("tutorial")), "-o", str(tmp_path / "missing" / "out.yaml"))
    _assert_clean_exit_2(result, "missing")
    assert _listing(tmp_path) == []
    assert time.perf_counter() - start < 30
