"""Reading line files: YAML or JSON, plus the spot lists (CSV) they reference.

Loading is all-or-nothing: every problem found in the file and the CSVs it references is
collected into one :class:`~cyclecore.model.errors.LineFileError` naming the file, the field path and
what was expected; nothing is returned half-built.

Spot CSVs use the columns offline-programming tools export, with units fixed by the column:

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

from cyclecore.arguments import PATH, Instance, arguments
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
    raw = read_document(path)
    problems: list[Problem] = []
    _inline_spot_lists(raw, path.parent, problems)
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
    """Write a whole file or nothing: a temporary file beside it, then a rename."""
    write_all_or_nothing({Path(path): text})


def write_all_or_nothing(files: dict[Path, str]) -> None:
    """Write several files so that either all of them are written or none is changed.

    Every text goes to a temporary file beside its target first (flushed to disk); only when all
    are written are they renamed into place. On any error the temporary files are removed."""
    import os

    temporary = []
    try:
        for path, text in files.items():
            path = Path(path)
            if path.is_dir():
                raise IsADirectoryError(f"{path} is a folder; expected a file name")
            tmp = path.with_name(f".{path.name}.tmp")
            temporary.append((tmp, path))
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, path in temporary:
            tmp.replace(path)
    finally:
        for tmp, _ in temporary:
            tmp.unlink(missing_ok=True)


def check_writable(path: str | Path, suffixes: tuple[str, ...]) -> Path:
    """``path`` as an output file, checked before any work is done: ValueError naming it when its
    folder is missing, it is a folder, or its suffix is not one of ``suffixes``."""
    path = Path(path)
    if path.suffix.lower() not in suffixes:
        raise ValueError(f"{path}: expected a file name ending in {', '.join(suffixes)}")
    if path.is_dir():
        raise ValueError(f"{path}: is a folder; expected a file name")
    if not path.parent.is_dir():
        raise ValueError(f"{path}: folder {path.parent} does not exist")
    return path


def read_document(path: Path, kind: str = "line", fields: str = "at least 'name' and 'stations'") -> dict:
    """Parse a YAML or JSON file into a mapping, or raise :class:`LineFileError` saying why not.

    ``kind`` names the file in messages ("line", "plant"); ``fields`` says what the mapping needs."""
    path = Path(path)
    if not path.is_file():
        raise LineFileError(path, [Problem("", f"file not found (expected a {kind} file .yaml, .yml or .json)")])
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise LineFileError(path, [Problem("", f"unknown file type {suffix!r}; expected .yaml, .yml or .json")])
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LineFileError(path, [Problem("", f"cannot be read as UTF-8 text ({error})")]) from None
    try:
        raw = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as error:
        raise LineFileError(path, [Problem("", f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}")]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        raise LineFileError(path, [Problem("", f"invalid YAML{where}: {reason}")]) from None
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
        tasks = _read_spots(folder / reference, field, problems)
        if tasks is not None:
            existing = station.get("tasks") or []
            if not isinstance(existing, list):
                problems.append(Problem(f"stations[{s}].tasks", "expected a list of tasks", existing))
                continue
            station["tasks"] = existing + tasks


def _read_spots(csv_path: Path, field: str, problems: list[Problem]) -> list[dict] | None:
    if not csv_path.is_file():
        problems.append(Problem(field, f"spot list {csv_path} not found"))
        return None
    with csv_path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in CSV_REQUIRED if c not in header]
        unknown = [c for c in header if c not in CSV_REQUIRED + CSV_OPTIONAL]
        if missing or unknown:
            parts = []
            if missing:
                parts.append(f"missing column(s) {', '.join(missing)}")
            if unknown:
                parts.append(f"unknown column(s) {', '.join(unknown)}")
            problems.append(Problem(f"{field} ({csv_path.name})",
                                    "; ".join(parts) + f"; expected columns {', '.join(CSV_REQUIRED)} "
                                    f"(optional {', '.join(CSV_OPTIONAL)})"))
            return None
        rows = []
        for number, row in enumerate(reader, start=2):  # line 1 is the header
            row = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
            rows.append(_spot_task(row, f"{field} ({csv_path.name} line {number})", problems))
    keyed = [r for r in rows if r is not None]
    # program order: by robot, then by the sequence column (stable for equal numbers)
    keyed.sort(key=lambda item: (item[0], item[1]))
    return [task for _, _, task in keyed]


def _spot_task(row: dict, where: str, problems: list[Problem]):
    ok = True

    def number(column: str, unit: str, minimum: float | None = None):
        nonlocal ok
        text = row.get(column, "")
        try:
            value = float(text)
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            problems.append(Problem(f"{where}.{column}", f"expected a finite number in {unit}", text))
            ok = False
            return None
        if minimum is not None and value < minimum:
            problems.append(Problem(f"{where}.{column}", f"expected a number ≥ {minimum:g} {unit}", text))
            ok = False
        return value

    name = row.get("name", "")
    if not name:
        problems.append(Problem(f"{where}.name", "expected a task name"))
        ok = False
    xyz = [number(c, "mm") for c in ("x", "y", "z")]
    rpy = [number(c, "degrees") for c in ("rx", "ry", "rz")]
    process = number("process_time", "s", 0.0)
    logic = number("logic_time", "s", 0.0) if row.get("logic_time") else 0.0
    sequence_text = row.get("sequence", "")
    try:
        sequence = int(sequence_text)
    except ValueError:
        problems.append(Problem(f"{where}.sequence", "expected an integer program position", sequence_text))
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
