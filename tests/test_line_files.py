"""Line files: valid ones load; every kind of mistake is reported with its field path.

Each malformed case is loaded through the API (LineFileError naming the field) and through the
CLI (exit code 2, the field path in the message, no traceback).
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from cyclecore.cli import app
from cyclecore.model.errors import LineFileError
from cyclecore.files.line_file import load_line, save_line

from line_fixtures import valid_line


def _write(tmp_path, data, name="line.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data) if name.endswith((".yaml", ".yml")) else json.dumps(data))
    return path


def _set(path_keys, value):
    def mutate(d):
        target = d
        for key in path_keys[:-1]:
            target = target[key]
        target[path_keys[-1]] = value
    return mutate


def _delete(path_keys):
    def mutate(d):
        target = d
        for key in path_keys[:-1]:
            target = target[key]
        del target[path_keys[-1]]
    return mutate


def _chain(*mutations):
    def mutate(d):
        for m in mutations:
            m(d)
    return mutate


S0, S1 = ["stations", 0], ["stations", 1]
T0 = S0 + ["tasks", 0]
R0 = S0 + ["robots", 0]

MALFORMED = {
    "missing line name": (_delete(["name"]), "name: required field is missing"),
    "missing stations": (_delete(["stations"]), "stations: required field is missing"),
    "empty stations": (_set(["stations"], []), "stations:"),
    "stations not a list": (_set(["stations"], "S1"), "stations:"),
    "missing station name": (_delete(S0 + ["name"]), "stations[0].name: required"),
    "speed override above 1": (_set(R0 + ["speed_override"], 1.5), "stations[0].robots[0].speed_override"),
    "speed override zero": (_set(R0 + ["speed_override"], 0), "stations[0].robots[0].speed_override"),
    "speed override text": (_set(R0 + ["speed_override"], "fast"), "stations[0].robots[0].speed_override"),
    "negative process time": (_set(T0 + ["process_time_s"], -0.5), "stations[0].tasks[0].process_time_s"),
    "negative logic time": (_set(T0 + ["logic_time_s"], -1), "stations[0].tasks[0].logic_time_s"),
    "negative index time": (_set(S0 + ["index_time_s"], -4), "stations[0].index_time_s"),
    "negative buffer": (_set(S0 + ["buffer_after"], -1), "stations[0].buffer_after"),
    "fractional buffer": (_set(S0 + ["buffer_after"], 1.5), "stations[0].buffer_after"),
    "zero MTBF": (_set(S0 + ["reliability", "mtbf_h"], 0), "stations[0].reliability.mtbf_h"),
    "negative MTTR": (_set(S0 + ["reliability", "mttr_min"], -3), "stations[0].reliability.mttr_min"),
    "zero parallel stations": (_set(S0 + ["parallel"], 0), "stations[0].parallel"),
    "unknown robot model": (_set(R0 + ["model"], "KR999"), "stations[0].robots[0].model"),
    "home with five axes": (_set(R0 + ["home_deg"], [0, -90, 90, 0, 0]), "stations[0].robots[0].home_deg"),
    "home outside joint limits": (_set(R0 + ["home_deg"], [0, 0, 90, 0, 0, 0]), "stations[0].robots[0].home_deg"),
    "misspelt field": (_set(T0 + ["proces_time_s"], 1.0), "stations[0].tasks[0].proces_time_s: unknown field"),
    "task with pose and joints": (_set(T0 + ["pose"], {"xyz_m": [1, 0, 1]}), "stations[0].tasks[0]"),
    "task with no target": (_delete(T0 + ["joints_deg"]), "stations[0].tasks[0]"),
    "joint target outside limits": (_set(T0 + ["joints_deg"], [0, -90, 90, 0, 170, 0]), "stations[0].tasks[0].joints_deg"),
    "precedence cycle": (_set(T0 + ["after"], ["b"]), "precedence cycle"),
    "unknown predecessor": (_set(S0 + ["tasks", 1, "after"], ["zz"]), "stations[0].tasks[1].after[0]"),
    "predecessor in a later station": (_set(T0 + ["after"], ["c"]), "stations[0].tasks[0].after[0]"),
    "program order against precedence": (_chain(_set(S0 + ["tasks", 1, "after"], []), _set(T0 + ["after"], ["b"])),
                                         "stations[0].tasks[0].after[0]"),
    "duplicate station name": (_set(S1 + ["name"], "S1"), "stations[1].name"),
    "duplicate task name": (_set(S1 + ["tasks", 0, "name"], "a"), "stations[1].tasks[0].name"),
    "duplicate robot name": (_set(S1 + ["robots", 1, "name"], "R1"), "stations[1].robots[1].name"),
    "task for an unknown robot": (_set(S1 + ["tasks", 0, "robot"], "R9"), "stations[1].tasks[0].robot"),
    "task without robot in a multi-robot station": (_delete(S1 + ["tasks", 0, "robot"]), "stations[1].tasks[0].robot"),
    "tasks in a station without robots": (_set(S0 + ["robots"], []), "stations[0].tasks[0]"),
    "too many shifts": (_set(["calendar", "shifts_per_day"], 5), "calendar.shifts_per_day"),
    "hours not a number": (_set(["calendar", "hours_per_shift"], "eight"), "calendar.hours_per_shift"),
    "shifts longer than a day": (_set(["calendar", "hours_per_shift"], 13.0), "calendar"),
    "planned downtime of 100%": (_set(["calendar", "planned_downtime"], 1.0), "calendar.planned_downtime"),
    "NaN position": (_chain(_delete(T0 + ["joints_deg"]), _set(T0 + ["pose"], {"xyz_m": [float("nan"), 0, 1]})),
                     "stations[0].tasks[0].pose.xyz_m[0]"),
    "unreachable pose": (_chain(_delete(T0 + ["joints_deg"]), _set(T0 + ["pose"], {"xyz_m": [9.0, 0.0, 1.0]})),
                         "stations[0].tasks[0].pose: got [9.0, 0.0, 1.0], not reachable"),
    "robot model with inverted joint range": (
        _chain(_set(["robot_models"], {"MyArm": {
            "kinematics": {"a1": 0.1, "a2": -0.1, "b": 0, "c1": 0.6, "c2": 0.7, "c3": 0.75, "c4": 0.08},
            "joint_min_deg": [0, -100, -60, -200, -120, -400], "joint_max_deg": [-10, 110, 65, 200, 120, 400],
            "max_velocity_deg_s": [150] * 6, "max_acceleration_deg_s2": [600] * 6, "max_jerk_deg_s3": [3000] * 6}})),
        "robot_models.MyArm"),
    "zero units per product": (_set(["units_per_product"], 0), "units_per_product"),
    "configuration for a joint target": (_set(T0 + ["configuration_deg"], [0, -90, 90, 0, 30, 0]),
                                         "'configuration_deg' chooses how a pose is reached"),
    "configuration with five axes": (_chain(_delete(T0 + ["joints_deg"]),
                                            _set(T0 + ["pose"], {"xyz_m": [1.5, 0, 1.5]}),
                                            _set(T0 + ["configuration_deg"], [0, -90, 90, 0, 30])),
                                     "stations[0].tasks[0].configuration_deg"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_line_is_reported_with_its_field_path(tmp_path, case):
    mutate, expected = MALFORMED[case]
    data = valid_line()
    mutate(data)
    path = _write(tmp_path, data)
    with pytest.raises(LineFileError) as caught:
        load_line(path)
    message = str(caught.value)
    assert str(path) in message
    assert expected in message, message


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_cli_exits_2_without_traceback_on_malformed_line(tmp_path, case):
    mutate, expected = MALFORMED[case]
    data = valid_line()
    mutate(data)
    path = _write(tmp_path, data)
    result = CliRunner().invoke(app, ["analyze", str(path)])
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "Traceback" not in result.output


def test_valid_line_loads_in_yaml_and_json_alike(tmp_path):
    from_yaml = load_line(_write(tmp_path, valid_line(), "line.yaml"))
    from_json = load_line(_write(tmp_path, valid_line(), "line.json"))
    assert from_yaml == from_json
    assert [s.name for s in from_yaml.stations] == ["S1", "S2"]


def test_saved_line_loads_back_identical(tmp_path):
    line = load_line(_write(tmp_path, valid_line()))
    save_line(line, tmp_path / "copy.yaml")
    assert load_line(tmp_path / "copy.yaml") == line


@pytest.mark.parametrize("text, expected", [
    ("name: x\nstations: [\n", "invalid YAML at line"),
    ("- just\n- a list\n", "expected a mapping"),
])
def test_unparseable_yaml_is_reported_with_position(tmp_path, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(LineFileError, match=expected):
        load_line(path)


def test_invalid_json_is_reported_with_position(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"name": "x", "stations": [}')
    with pytest.raises(LineFileError, match="invalid JSON at line 1, column"):
        load_line(path)


def test_missing_file_and_unknown_type_are_reported(tmp_path):
    with pytest.raises(LineFileError, match="file not found"):
        load_line(tmp_path / "nope.yaml")
    (tmp_path / "line.txt").write_text("name: x")
    with pytest.raises(LineFileError, match="unknown file type '.txt'"):
        load_line(tmp_path / "line.txt")


def test_real_process_exits_2_and_prints_no_traceback(tmp_path):
    data = valid_line()
    data["stations"][0]["robots"][0]["speed_override"] = 2
    path = _write(tmp_path, data)
    run = subprocess.run([sys.executable, "-m", "cyclecore.cli", "analyze", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "stations[0].robots[0].speed_override" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


# ----------------------------------------------------------------------------- spot lists (CSV)
def _spot_csv(rows: list[str]) -> str:
    return "name,x,y,z,rx,ry,rz,process_time,robot,sequence\n" + "\n".join(rows) + "\n"


def _reachable_spot_rows(n: int) -> list[str]:
    """Rows whose poses are FK of random configurations of the KR 210 at the cell origin."""
    from cyclecore.robot.geometry import rpy_from_matrix
    from cyclecore.model.robot_models import bundled_robot_models

    model = bundled_robot_models()["KR210-R3100-2"]
    rng = np.random.default_rng(3)
    q = np.radians([0, -90, 90, 0, 30, 0]) + rng.uniform(-0.3, 0.3, (n, 6))
    poses = model.arm.forward(q)
    rows = []
    for k, t in enumerate(poses):
        x, y, z = t[:3, 3] * 1000
        rx, ry, rz = np.degrees(rpy_from_matrix(t))
        rows.append(f"w{k},{x:.6f},{y:.6f},{z:.6f},{rx:.9f},{ry:.9f},{rz:.9f},0.8,R1,{n - k}")
    return rows


def _line_with_spots(tmp_path, csv_text: str):
    (tmp_path / "spots.csv").write_text(csv_text)
    data = valid_line()
    data["stations"][0]["tasks"] = []
    data["stations"][0]["spots_csv"] = "spots.csv"
    data["stations"][1]["tasks"][1]["after"] = []
    return _write(tmp_path, data)


def test_spot_list_becomes_tasks_in_sequence_order_with_si_units(tmp_path):
    rows = _reachable_spot_rows(5)
    line = load_line(_line_with_spots(tmp_path, _spot_csv(rows)))
    tasks = line.stations[0].tasks
    assert [t.name for t in tasks] == ["w4", "w3", "w2", "w1", "w0"]  # sequence column 1..5
    x_mm = float(rows[4].split(",")[1])
    assert tasks[0].pose.xyz_m[0] == pytest.approx(x_mm / 1000.0, abs=1e-12)
    assert all(t.process_time_s == 0.8 and t.robot == "R1" for t in tasks)


@pytest.mark.parametrize("mutate_csv, expected", [
    (lambda rows: "name,x,y,z,rx,ry,process_time,robot,sequence\n", "missing column(s) rz"),
    (lambda rows: _spot_csv(rows).replace("sequence", "sequence,colour"), "unknown column(s) colour"),
    (lambda rows: _spot_csv([rows[0].replace(rows[0].split(',')[1], 'abc', 1)]), "(spots.csv line 2).x: got 'abc'"),
    (lambda rows: _spot_csv([rows[0], rows[1].replace(",0.8,", ",-0.8,")]), "(spots.csv line 3).process_time"),
    (lambda rows: _spot_csv([rows[0].rsplit(",", 1)[0] + ",first"]), "(spots.csv line 2).sequence"),
    (lambda rows: _spot_csv([rows[0].replace(rows[0].split(',')[3], 'inf', 1)]), "(spots.csv line 2).z"),
])
def test_bad_spot_rows_are_reported_with_file_line_and_column(tmp_path, mutate_csv, expected):
    rows = _reachable_spot_rows(2)
    path = _line_with_spots(tmp_path, mutate_csv(rows))
    with pytest.raises(LineFileError) as caught:
        load_line(path)
    assert "stations[0].spots_csv" in str(caught.value)
    assert expected in str(caught.value), str(caught.value)


def test_missing_spot_list_is_reported(tmp_path):
    data = valid_line()
    data["stations"][0]["spots_csv"] = "nowhere.csv"
    with pytest.raises(LineFileError, match=r"stations\[0\].spots_csv: spot list .*nowhere.csv not found"):
        load_line(_write(tmp_path, data))
