"""The plant file: several line designs making the same unit, each design built as identical copies.

The seed facts have three identical battery-module lines and a fourth line of a new design that
makes about as much as the other three together; a car needs four modules. A plant file lists
the line files, one entry per *design*::

    name: module-plant
    description: three gen-1 lines and one gen-2 line   # optional
    lines:
      - {name: gen-1, file: ../module-line/line.yaml}   # name is optional (default: the line's name)
      - {name: gen-2, file: line.yaml}                  # paths are relative to the plant file

How many copies of a design run is that line file's own ``identical_lines`` (the only place the
count lives), and every line must have the same ``units_per_product``: a plant makes one unit.
The figures of a plant are :mod:`cyclecore.analysis.plant`.
"""

from __future__ import annotations

from pathlib import Path

from cyclecore.arguments import PATH, Instance, arguments
from cyclecore.files.documents import path_text_problem
from cyclecore.model.errors import LineFileError, Problem
from cyclecore.model.plant import Plant, PlantLine, plant_name_problems, plant_unit_problems

PLANT_FIELDS = ("name", "description", "lines")
ENTRY_FIELDS = ("file", "name")
_COUNT_WORDS = ("copies", "count", "identical_lines", "quantity")


class PlantLineFileError(LineFileError):
    """A line file referenced by a plant cannot be used.

    ``file`` and ``problems`` are the line file's own (field paths inside the line file);
    ``plant_file`` and ``field`` (``lines[1].file``) say where the plant refers to it."""

    def __init__(self, plant_file: str | Path, field: str, error: LineFileError):
        self.plant_file = str(plant_file)
        self.field = field
        super().__init__(error.file, error.problems)

    def __str__(self) -> str:
        return f"{self.plant_file}: {self.field} refers to a line file with problems\n" + super().__str__()



@arguments(path=PATH)
def load_plant(path: str | Path, *, check_reach: bool = True) -> Plant:
    """Read a plant file (``.yaml``, ``.yml`` or ``.json``) and every line file it lists.

    Raises :class:`~cyclecore.model.errors.LineFileError` naming the plant file and field paths
    (``lines[1].file``) for problems of the plant file: missing or unreadable file, bad YAML/JSON,
    unknown or missing fields, an empty ``lines`` list, a missing or repeated line file, repeated
    names, different ``units_per_product``. A problem inside a line file raises
    :class:`PlantLineFileError` (a LineFileError) with the line file's path and field paths, and
    the plant file and entry that refer to it. ``check_reach`` is passed to
    :func:`cyclecore.files.line_file.load_line`.
    """
    from cyclecore.files.documents import file_problem
    from cyclecore.files.line_file import load_line, read_document

    path = Path(path)
    raw = read_document(path, kind="plant", fields="'name' and 'lines'")
    problems = _structure_problems(raw)
    entries = raw.get("lines") if isinstance(raw.get("lines"), list) else []
    files: dict[int, Path] = {}
    seen: dict[Path, int] = {}
    for i, entry in enumerate(entries):
        reference = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(reference, str) or not reference or path_text_problem(reference):
            continue  # already reported by the structure check
        resolved = (path.parent / reference).resolve()
        problem = file_problem(resolved)
        if problem is not None:
            shown = f"line file {resolved} not found" if problem == "file not found" else f"line file {problem}"
            problems.append(Problem(f"lines[{i}].file", f"{shown}; expected a path relative to the plant file",
                                    reference))
        elif resolved in seen:
            problems.append(Problem(f"lines[{i}].file",
                                    f"same line file as lines[{seen[resolved]}].file; list each design once "
                                    "(its copies are the line file's identical_lines)", reference))
        else:
            seen[resolved] = i
            files[i] = resolved
    if problems:
        raise LineFileError(path, problems)

    plant_lines = []
    for i, entry in enumerate(entries):
        try:
            line = load_line(files[i], check_reach=check_reach)
        except LineFileError as error:
            raise PlantLineFileError(path, f"lines[{i}].file", error) from None
        plant_lines.append(PlantLine(name=entry.get("name") or line.name, line=line, file=str(files[i])))
    problems = plant_name_problems([p.name for p in plant_lines]) + plant_unit_problems(plant_lines)
    if problems:
        raise LineFileError(path, problems)
    return Plant(name=raw["name"], lines=tuple(plant_lines), description=raw.get("description") or "",
                 file=str(path))


def _structure_problems(raw: dict) -> list[Problem]:
    problems = []
    for key in raw:
        if key not in PLANT_FIELDS:
            problems.append(Problem(str(key),
                                    f"unknown field (check the spelling); expected {', '.join(PLANT_FIELDS)}"))
    if "name" not in raw:
        problems.append(Problem("name", "required field is missing"))
    elif not isinstance(raw["name"], str) or not raw["name"]:
        problems.append(Problem("name", "expected non-empty text", raw["name"]))
    if not isinstance(raw.get("description", ""), (str, type(None))):
        problems.append(Problem("description", "expected text", raw["description"]))
    if "lines" not in raw:
        problems.append(Problem("lines", "required field is missing; expected a list of {file: line.yaml} entries"))
        return problems
    entries = raw["lines"]
    if not isinstance(entries, list):
        problems.append(Problem("lines", "expected a list of {file: line.yaml} entries", entries))
        return problems
    if not entries:
        problems.append(Problem("lines", "expected at least one line entry {file: line.yaml}", entries))
    for i, entry in enumerate(entries):
        where = f"lines[{i}]"
        if not isinstance(entry, dict):
            problems.append(Problem(where, "expected a mapping {file: line.yaml} (optional 'name')", entry))
            continue
        for key in entry:
            if key in ENTRY_FIELDS:
                continue
            hint = ("; the number of copies is the line file's identical_lines" if key in _COUNT_WORDS
                    else f"; expected {', '.join(ENTRY_FIELDS)}")
            problems.append(Problem(f"{where}.{key}", "unknown field" + hint))
        if "file" not in entry:
            problems.append(Problem(f"{where}.file", "required field is missing; expected a line file path"))
        elif not isinstance(entry["file"], str) or not entry["file"]:
            problems.append(Problem(f"{where}.file", "expected a line file path relative to the plant file",
                                    entry["file"]))
        elif (problem := path_text_problem(entry["file"])) is not None:
            problems.append(Problem(f"{where}.file", problem, entry["file"]))
        if "name" in entry and (not isinstance(entry["name"], str) or not entry["name"]):
            problems.append(Problem(f"{where}.name", "expected non-empty text", entry["name"]))
    return problems


@arguments(path=PATH)
def load_line_or_plant(path: str | Path, *, check_reach: bool = True):
    """A line file or a plant file (a plant file has ``lines``, a line file ``stations``)."""
    from cyclecore.files.line_file import line_from_document, read_document

    raw = read_document(Path(path), kind="line or plant", fields="'stations' (a line) or 'lines' (a plant)")
    if "lines" in raw and "stations" not in raw:
        return load_plant(path, check_reach=check_reach)
    return line_from_document(Path(path), raw, check_reach=check_reach)  # read once: a line may be large


@arguments(plant=Instance(Plant), path=PATH)
def save_plant(plant: Plant, path: str | Path) -> dict[str, Path]:
    """Write a plant file and a line file per design beside it (``<plant stem>-<design>.yaml``),
    all of them or none. Returns the line file of each design."""
    import yaml

    from cyclecore.files.line_file import line_text, write_all_or_nothing

    path = Path(path)
    suffix = ".json" if path.suffix.lower() == ".json" else ".yaml"
    files: dict[Path, str] = {}
    written: dict[str, Path] = {}
    entries = []
    for entry in plant.lines:
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in entry.name)
        line_path = path.with_name(f"{path.stem}-{safe}{suffix}")
        files[line_path] = line_text(entry.line, line_path)
        written[entry.name] = line_path
        entries.append({"name": entry.name, "file": line_path.name})
    data = {"name": plant.name, **({"description": plant.description} if plant.description else {}), "lines": entries}
    if suffix == ".json":
        import json

        files[path] = json.dumps(data, indent=2)
    else:
        files[path] = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    write_all_or_nothing(files)
    return written

