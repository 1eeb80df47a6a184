"""Reading line files: YAML or JSON, plus the spot lists (CSV) they reference.

Loading is all-or-nothing: every problem found in the file and the CSVs it references is
collected into one :class:`~cyclecore.model.errors.LineFileError` naming the file, the field path and
what was expected; nothing is returned half-built.

A spot CSV is read only from inside the line file's folder (a relative path, no ``..`` or link
leading out, never an absolute path), as UTF-8, with fields of at most
``limits.MAX_CSV_FIELD_BYTES`` characters and every number in its range; a refused file is named,
never quoted. Spot CSVs use the columns offline-programming tools export, with units fixed by the
column:

=================  ======================================================
``name``           task name (unique in the line)
``x, y, z``        TCP position in the cell frame, **millimetres**
``rx, ry, rz``     fixed-axis XYZ orientation, **degrees** (FANUC W,P,R / KUKA C,B,A)
``process_time``   process time, **seconds**
``robot``          robot name in the station (may be empty with one robot)
``sequence``       position in that robot's program (integer)
``logic_time``     optional: handshake / gun actuation time, seconds
``tool``           optional: tool name
``after``          optional: predecessor task names separated by ``;``
=================  ======================================================
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import yaml

from cyclecore import limits
from cyclecore.arguments import PATH, Instance, arguments
from cyclecore.files.documents import path_text_problem
from cyclecore.files.output import check_writable, write_all_or_nothing  # noqa: F401 (their home until now)
from cyclecore.files.programs.linking import tasks_from_programs
from cyclecore.model.errors import LineFileError, Problem, format_path
from cyclecore.model.line import Line

CSV_REQUIRED = ("name", "x", "y", "z", "rx", "ry", "rz", "process_time", "robot", "sequence")
CSV_OPTIONAL = ("logic_time", "tool", "after")


@arguments(path=PATH)
def load_line(path: str | Path, *, check_reach: bool = True) -> Line:
    """Read and validate a line file (``.yaml``, ``.yml`` or ``.json``).

    Raises :class:`LineFileError` listing every problem found (field paths, bad values, what was
    expected). ``check_reach`` also solves inverse kinematics for every pose task and reports
    targets no robot configuration reaches within joint limits.
    """
    path = Path(path)
    return line_from_document(path, read_document(path), check_reach=check_reach)


def line_from_document(path: Path, raw: dict, *, check_reach: bool = True) -> Line:
    """A line from the mapping :func:`read_document` read from ``path`` (spot lists and robot
    programs it references read relative to it): what :func:`load_line` does after reading, for a
    caller that has read the file already (a line or a plant, by its content)."""
    problems: list[Problem] = []
    _inline_spot_lists(raw, path.parent, problems)
    tasks_from_programs(raw, path.parent, problems)  # robots with program: {file: R1.src} (issue 13)
    if problems:
        raise LineFileError(path, problems)
    return line_from_dict(raw, source=str(path), check_reach=check_reach)


@arguments(data=Instance(dict, what="a dict, as a line file reads"))
def line_from_dict(data: dict, *, source: str = "<dict>", check_reach: bool = True) -> Line:
    """Validate an in-memory line description exactly as :func:`load_line` does a file."""
    return Line.validated(data, source=source, check_reach=check_reach)


@arguments(line=Instance(Line), path=PATH)
def save_line(line: Line, path: str | Path) -> None:
    """Write a line as YAML or JSON (by suffix), spot lists inlined, atomically."""
    path = Path(path)
    write_atomically(path, line_text(line, path))


def line_text(line: Line, path: str | Path) -> str:
    """A line file's text, YAML or JSON by the suffix of ``path``."""
    data = line.model_dump(mode="json", exclude_defaults=True)
    if Path(path).suffix.lower() == ".json":
        return json.dumps(data, indent=2)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def write_atomically(path: str | Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file beside it, fsynced, then a rename."""
    write_all_or_nothing({Path(path): text})


def read_document(path: Path, kind: str = "line", fields: str = "at least 'name' and 'stations'") -> dict:
    """Parse a YAML or JSON file into a mapping, or raise :class:`LineFileError` saying why not.

    ``kind`` names the file in messages ("line", "plant"); ``fields`` says what the mapping needs.
    Size, encoding, nesting, aliases, long integers and repeated keys are bounded as
    :mod:`cyclecore.files.documents` says."""
    from cyclecore.files.documents import file_problem, parse_document, read_bounded_text

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        if file_problem(path) is not None:
            raise LineFileError(path, [Problem("", f"{file_problem(path)} (expected a {kind} file .yaml, .yml or .json)")])
        raise LineFileError(path, [Problem("", f"unknown file type {suffix!r}; expected .yaml, .yml or .json")])
    text = read_bounded_text(path, f"a {kind} file .yaml, .yml or .json")
    raw = parse_document(path, text)
    if not isinstance(raw, dict):
        raise LineFileError(path, [Problem("", f"expected a mapping with {fields}", type(raw).__name__)])
    return raw


def _inline_spot_lists(raw: dict, folder: Path, problems: list[Problem]) -> None:
    """Replace each station's ``spots_csv`` by the tasks it lists (appended to ``tasks``)."""
    stations = raw.get("stations")
    if not isinstance(stations, list):
        return
    for s, station in enumerate(stations):
        if not isinstance(station, dict) or "spots_csv" not in station:
            continue
        reference = station.pop("spots_csv")
        field = f"stations[{s}].spots_csv"
        if not isinstance(reference, str) or not reference:
            problems.append(Problem(field, "expected a CSV file path relative to the line file", reference))
            continue
        if (problem := path_text_problem(reference)) is not None:
            problems.append(Problem(field, problem, reference))
            continue
        csv_path = _spot_file(folder, reference, field, problems)
        tasks = _read_spots(csv_path, field, problems) if csv_path is not None else None
        if tasks is not None:
            existing = station.get("tasks") or []
            if not isinstance(existing, list):
                problems.append(Problem(f"stations[{s}].tasks", "expected a list of tasks", existing))
                continue
            station["tasks"] = existing + tasks


def _spot_file(folder: Path, reference: str, field: str, problems: list[Problem]) -> Path | None:
    """The spot list ``reference`` names, only when it lies inside the line file's folder.

    A line file may come from anyone: an absolute path, ``..`` or a link leading out of its folder
    would let it read (and quote in messages) any file the user can read, so none is followed."""
    from pathlib import PurePosixPath, PureWindowsPath

    if PurePosixPath(reference).is_absolute() or PureWindowsPath(reference).is_absolute() \
            or PureWindowsPath(reference).drive:
        problems.append(Problem(field, "an absolute path; expected a path relative to the line file's folder",
                                reference))
        return None
    from cyclecore.files.documents import file_problem

    base = folder.resolve()
    resolved = (base / reference).resolve()
    if not resolved.is_relative_to(base):
        problems.append(Problem(field, f"leads out of the line file's folder {base}; expected a CSV file "
                                       "inside it (spot lists are read only from there)", reference))
        return None
    problem = file_problem(resolved)
    if problem == "file not found":
        problems.append(Problem(field, f"spot list {folder / reference} not found"))
        return None
    if problem is not None:
        problems.append(Problem(field, f"spot list {problem}; expected a CSV file", reference))
        return None
    return resolved


def _read_spots(csv_path: Path, field: str, problems: list[Problem]) -> list[dict] | None:
    """The tasks of a spot list, or None with the problems recorded (file name and line in each)."""
    import io

    from cyclecore.files.documents import decode_utf8

    where_file = f"{field} ({csv_path.name})"
    size = csv_path.stat().st_size
    if size > limits.MAX_FILE_BYTES:
        problems.append(Problem(where_file, f"file of {size:,} bytes; expected at most {limits.MAX_FILE_BYTES:,}"))
        return None
    try:
        text = decode_utf8(csv_path.read_bytes(), csv_path)
    except LineFileError as error:
        problems.append(Problem(where_file, error.problems[0].expected))
        return None
    except OSError as error:
        problems.append(Problem(where_file, f"cannot be read ({error.strerror or error})"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in CSV_REQUIRED if c not in header]
        unknown = [c for c in header if c not in CSV_REQUIRED + CSV_OPTIONAL]
        if missing or unknown:
            parts = []
            if missing:
                parts.append(f"missing column(s) {', '.join(missing)}")
            if unknown:  # a few, shortened: the header is quoted, never the file
                shown = [c if len(c) <= 30 else c[:27] + "..." for c in unknown[:5]]
                parts.append(f"unknown column(s) {', '.join(shown)}" + (f" and {len(unknown) - 5} more"
                                                                         if len(unknown) > 5 else ""))
            problems.append(Problem(where_file, "; ".join(parts) + f"; expected columns {', '.join(CSV_REQUIRED)} "
                                                                   f"(optional {', '.join(CSV_OPTIONAL)})"))
            return None
        for cells in reader:
            number = reader.line_num
            if len(rows) >= limits.MAX_CSV_ROWS:
                problems.append(Problem(f"{field} ({csv_path.name} line {number})", f"more than {limits.MAX_CSV_ROWS:,} "
                                                                        "spots; expected one station's tasks"))
                return None
            if not cells:
                continue
            long = next((c for c, cell in enumerate(cells) if len(cell) > limits.MAX_CSV_FIELD_BYTES), None)
            if long is not None:
                column = header[long] if long < len(header) else f"column {long + 1}"
                problems.append(Problem(f"{field} ({csv_path.name} line {number}).{column}",
                                        f"a field of {len(cells[long]):,} characters; expected at most "
                                        f"{limits.MAX_CSV_FIELD_BYTES:,}"))
                return None
            row = {name: cells[c].strip() if c < len(cells) else "" for c, name in enumerate(header)}
            rows.append(_spot_task(row, f"{field} ({csv_path.name} line {number})", problems))
    except csv.Error as error:  # a field beyond the csv module's own limit, a NUL byte...
        reason = str(error)
        if "field larger than field limit" in reason:
            reason = f"a field longer than {limits.MAX_CSV_FIELD_BYTES:,} characters"
        problems.append(Problem(f"{field} ({csv_path.name} line {reader.line_num})",
                                f"{reason}; expected a CSV of short text and number fields"))
        return None
    keyed = [r for r in rows if r is not None]
    # program order: by robot, then by the sequence column (stable for equal numbers)
    keyed.sort(key=lambda item: (item[0], item[1]))
    return [task for _, _, task in keyed]


_SPOT_MM = limits.POSITION_M.scaled(1000.0, "mm")  # the columns' units
_SPOT_DEG = limits.ORIENTATION_RAD.scaled(limits.DEG_PER_RAD, "°")


def _spot_task(row: dict, where: str, problems: list[Problem]):
    ok = True

    def number(column: str, limit):
        nonlocal ok
        text = row.get(column, "")
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not limit.holds(value):
            problems.append(Problem(f"{where}.{column}", f"expected a number {limit.text()}", text))
            ok = False
            return None
        return value

    millimetres, degrees = _SPOT_MM, _SPOT_DEG
    name = row.get("name", "")
    if not name:
        problems.append(Problem(f"{where}.name", "expected a task name"))
        ok = False
    xyz = [number(c, millimetres) for c in ("x", "y", "z")]
    rpy = [number(c, degrees) for c in ("rx", "ry", "rz")]
    process = number("process_time", limits.DURATION_S)
    logic = number("logic_time", limits.DURATION_S) if row.get("logic_time") else 0.0
    sequence_text = row.get("sequence", "")
    digits = sequence_text.lstrip("+-")
    if digits.isdigit() and len(digits) <= limits.MAX_INTEGER_DIGITS and digits.isascii():
        sequence = int(sequence_text)
    else:
        problems.append(Problem(f"{where}.sequence", f"expected a whole number of at most "
                                                     f"{limits.MAX_INTEGER_DIGITS} digits (position in the "
                                                     "robot's program)", sequence_text))
        ok = False
        sequence = 0
    if not ok:
        return None
    task = {
        "name": name,
        "pose": {"xyz_m": [v / 1000.0 for v in xyz], "rpy_deg": rpy},
        "process_time_s": process,
        "logic_time_s": logic,
    }
    if row.get("robot"):
        task["robot"] = row["robot"]
    if row.get("tool"):
        task["tool"] = row["tool"]
    if row.get("after"):
        task["after"] = [p.strip() for p in row["after"].split(";") if p.strip()]
    return (row.get("robot", ""), sequence, task)
