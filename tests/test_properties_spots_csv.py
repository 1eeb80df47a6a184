"""The spot-CSV reader: rows become tasks exactly, and any broken CSV is refused by file and place.

Spot lists come from offline-programming exports and spreadsheets (issue 11, class 4: a CSV that
is not UTF-8 or has a 128 KiB field ended in a traceback). Properties:

- a well-formed CSV (any rows within physical ranges) loads into exactly its rows: one task per
  row, in program order (robot, then ``sequence``), positions mm -> m, angles and times as
  written; the oracle is computed from the rows here, not by cyclecore's code;
- a CSV spoiled anywhere (a hostile cell, a truncated or extended row, a missing or repeated
  column, bad bytes, another encoding, a 200 KiB field) gives a Line or a ``LineFileError``
  naming the CSV file (or the station's ``spots_csv`` / task path); never another exception.

Derandomized: CI runs the same examples every time.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cyclecore.files.line_file import load_line
from cyclecore.model.errors import LineFileError

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

LINE = """\
name: csv-property
stations:
- name: ST10
  robots:
  - {name: R1, model: KR210-R3100-2, home_deg: [0, -90, 90, 0, 30, 0]}
  - {name: R2, model: KR210-R3100-2, home_deg: [0, -90, 90, 0, 30, 0], base: {xyz_m: [0, 3, 0]}}
  spots_csv: spots.csv
"""
COLUMNS = ["name", "x", "y", "z", "rx", "ry", "rz", "process_time", "robot", "sequence", "logic_time", "tool", "after"]


def _number(low, high):
    return st.floats(low, high, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 3))


@st.composite
def spot_rows(draw):
    count = draw(st.integers(1, 12))
    ordered = draw(st.booleans())  # program positions rising with the file (then precedence), or any order
    rows = []
    for k in range(count):
        before = [r["name"] for r in rows] if ordered else []
        rows.append({"name": f"W{k}", "x": draw(_number(-3000, 3000)), "y": draw(_number(-3000, 3000)),
                     "z": draw(_number(0, 2500)), "rx": draw(_number(-180, 180)), "ry": draw(_number(-90, 90)),
                     "rz": draw(_number(-180, 180)), "process_time": draw(_number(0, 5)),
                     "robot": draw(st.sampled_from(["R1", "R2"])), "sequence": 2 * k if ordered else draw(st.integers(-5, 50)),
                     "logic_time": draw(_number(0, 1)), "tool": draw(st.sampled_from(["", "gun-a", "gun-b"])),
                     "after": ";".join(draw(st.lists(st.sampled_from(before), max_size=2, unique=True))) if before else ""})
    return rows


def csv_text(rows, columns=COLUMNS) -> str:
    return "\n".join([",".join(columns)] + [",".join(str(r.get(c, "")) for c in columns) for r in rows]) + "\n"


def load(data: bytes):
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "line.yaml").write_text(LINE, encoding="utf-8")
        (Path(folder) / "spots.csv").write_bytes(data)
        return load_line(Path(folder) / "line.yaml", check_reach=False)


@SETTINGS
@given(spot_rows())
def test_a_well_formed_spot_list_loads_into_exactly_its_rows_in_program_order(rows):
    line = load(csv_text(rows).encode())
    tasks = line.stations[0].tasks
    expected = sorted(rows, key=lambda r: (r["robot"], r["sequence"]))  # stable: equal positions keep file order
    assert [t.name for t in tasks] == [r["name"] for r in expected]
    for task, row in zip(tasks, expected):
        assert task.robot == row["robot"]
        assert all(math.isclose(a, row[c] / 1000.0, abs_tol=1e-12) for a, c in zip(task.pose.xyz_m, "xyz"))
        assert all(math.isclose(a, row[c], abs_tol=1e-9) for a, c in zip(task.pose.rpy_deg, ("rx", "ry", "rz")))
        assert math.isclose(task.process_time_s, row["process_time"]) and math.isclose(task.logic_time_s, row["logic_time"])
        assert (task.tool or "") == row["tool"]
        assert list(task.after) == [p for p in row["after"].split(";") if p]


HOSTILE_CELLS = ["nan", "NaN", "inf", "-inf", "1e308", "-1e400", "5e-324", "9" * 5000, "", " ", "abc", "1,5", "0x10",
                 "1_000", "1e30", "-0", '"', "W0", "R9", "\x00", "é", "N" * (200 * 1024)]


@st.composite
def spoiled_csvs(draw):
    rows = draw(spot_rows())
    columns = list(COLUMNS)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["cell", "cell", "cell", "text-cell", "truncate", "extend", "drop-column",
                                     "repeat-column", "header"]))
        row = draw(st.sampled_from(rows))
        if kind == "cell":
            row[draw(st.sampled_from(columns))] = draw(st.sampled_from(HOSTILE_CELLS))
        elif kind == "text-cell":
            row[draw(st.sampled_from(columns))] = draw(st.text(max_size=8)).replace("\n", " ")
        elif kind == "truncate":
            for column in columns[draw(st.integers(0, len(columns) - 1)):]:
                row[column] = None
        elif kind == "extend":
            row["extra"] = "42"
        elif kind == "drop-column":
            columns.remove(draw(st.sampled_from(columns)))
        elif kind == "repeat-column":
            columns.append(draw(st.sampled_from(columns)))
        else:
            columns[draw(st.integers(0, len(columns) - 1))] = draw(st.sampled_from(["Name", "x_mm", "", "robot "]))
    lines = [",".join(columns)]
    for row in rows:
        cells = [str(row.get(c, "")) for c in columns if row.get(c, "") is not None]
        lines.append(",".join(cells + (["42"] if "extra" in row else [])))
    text = "\n".join(lines) + "\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.sampled_from([b"\xff", b"\xc3", b"\x80\x81", b"\x00", b"\r", b""])) + data[cut:]
    return data


@settings(SETTINGS, max_examples=100)
@given(spoiled_csvs())
def test_a_spoiled_spot_list_is_a_line_or_a_refusal_naming_the_csv(data):
    try:
        load(data)
    except LineFileError as error:
        text = str(error)
        for problem in error.problems:
            assert "spots.csv" in str(problem) or problem.path.startswith("stations[0]"), text
            assert len(str(problem)) < 2_000, "a message quotes no 200 KiB field whole"


def test_an_empty_spot_list_is_refused_naming_the_csv():
    try:
        load(b"")
    except LineFileError as error:
        assert "spots_csv" in str(error) or "spots.csv" in str(error)
    else:
        raise AssertionError("an empty spot list gave a station with no work")
