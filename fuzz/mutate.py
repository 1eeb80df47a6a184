"""Structure-aware mutants of the bundled examples: a seed and an index give the same mutant.

Each mutant starts from one bundled example (its line, plant and spot-CSV files, parsed), applies
one to three mutations chosen by the seeded generator, and writes the files back (YAML, or JSON
for some single-line mutants). Mutations know what the documents mean: numbers become the values
that break arithmetic (NaN, inf, 5e-324, 1e308, 5,000-digit integers ...), names are swapped or
duplicated, references point at tasks, robots and models that do not exist, precedence gets
cycles, sections that the examples leave at their defaults (robot models, costs, reliability,
manual bypass) are added with bad values, spot CSVs get truncated rows, extra columns, bad
encodings and huge fields, and ``spots_csv`` points out of the line's folder.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from fuzz.cases import Case
from fuzz.documents import Duplicated, Raw, document_text

HUGE_DIGITS = Raw("9" * 5000)  # beyond Python's 4,300-digit int parsing limit
NUMBERS = [float("nan"), float("inf"), float("-inf"), 0, 0.0, -1, -0.0, 1e308, -1e308, 5e-324, 1e-300,
           2**63, 2**70, 10**30, 1e30, 1e12, 86_401.0, 3.3e9, HUGE_DIGITS, Raw("1e400"), Raw("-1e400"),
           "12abc", "", "1,5", True, False, None, [], {}]
SCALES = [1000.0, 1e6, -1.0, 1e-9, 1e9, 2.0, 0.5, 10.0, 0.1, 0.0, 1.0000001]
STRINGS = ["", " ", "x" * 100_000, "\u202eevil", "名前", "\x00", "../../etc/passwd", "a\nb", 123, None,
           [], {}, True, 1.5]
OUTSIDE_PATHS = ["../../../../etc/passwd", "/etc/passwd", "/etc/hostname", "spots/../../../../../etc/passwd",
                 "..", "spots", "", "no-such.csv", "/dev/zero", "/proc/self/environ", "../outside/BS01.csv"]
CLI_NUMBERS = ["1e308", "5e-324", "nan", "inf", "-1", "0", "1e9", "1e10", "5000", "99999999999999999999999"]


@dataclass
class Base:
    """One bundled example as files: parsed documents, CSV texts, the main file and its names."""

    name: str
    main: str
    documents: dict[str, object]
    csvs: dict[str, str]
    stations: list[str]
    zones: list[str]


def _package_folder() -> Path:
    # the folder of cyclecore/__init__.py (an editable install also lists its build folder)
    return Path(importlib.util.find_spec("cyclecore").origin).parent


def _examples_folder() -> Path:
    return _package_folder() / "examples"


def _parse(path: Path):
    # a JSON round trip drops YAML anchors, so mutating one place never changes another
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8"))))


@lru_cache(maxsize=None)
def bases() -> tuple[Base, ...]:
    root = _examples_folder()
    out = []
    for name in ("tutorial", "module-line", "body-shop"):
        line = _parse(root / name / "line.yaml")
        csvs = {}
        if name == "body-shop":
            csvs = {f"spots/{p.name}": p.read_text(encoding="utf-8") for p in sorted((root / name / "spots").glob("*.csv"))}
        stations = [s["name"] for s in line["stations"]]
        zones = sorted({str(s.get("zone", 1)) for s in line["stations"]})
        out.append(Base(name, "line.yaml", {"line.yaml": line}, csvs, stations, zones))
    plant = {"plant/plant.yaml": _parse(root / "module-plant" / "plant.yaml"),
             "plant/line.yaml": _parse(root / "module-plant" / "line.yaml"),
             "module-line/line.yaml": _parse(root / "module-line" / "line.yaml")}
    out.append(Base("module-plant", "plant/plant.yaml", plant, {}, [], []))
    return tuple(out)


@lru_cache(maxsize=None)
def bundled_robot_model() -> dict:
    path = _package_folder() / "data" / "robot_models.yaml"
    models = yaml.safe_load(path.read_text(encoding="utf-8"))
    return json.loads(json.dumps(models["KR210-R3100-2"]))


# --- walking a document --------------------------------------------------------------------------
def _path_text(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _nodes(tree, parts=()):
    """Every (parts, container, key, value) below ``tree``, in document order, at most 40 levels deep
    (a nesting mutation makes deeper documents; nothing below it is worth picking)."""
    stack = [(parts, tree)]
    while stack:
        parts, node = stack.pop()
        if len(parts) > 40:
            continue
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        children = []
        for key, value in items:
            yield parts + (key,), node, key, value
            children.append((parts + (key,), value))
        stack.extend(reversed(children))


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _pick(rng: random.Random, items):
    return items[rng.randrange(len(items))] if items else None


def _tasks(tree) -> list[tuple[tuple, dict]]:
    """(path, task) for every task of every station of a line document."""
    out = []
    for s, station in enumerate(tree.get("stations") or [] if isinstance(tree, dict) else []):
        if isinstance(station, dict):
            for t, task in enumerate(station.get("tasks") or []):
                if isinstance(task, dict):
                    out.append((("stations", s, "tasks", t), task))
    return out


def _stations(tree) -> list[tuple[tuple, dict]]:
    if not isinstance(tree, dict) or not isinstance(tree.get("stations"), list):
        return []
    return [(("stations", s), st) for s, st in enumerate(tree["stations"]) if isinstance(st, dict)]


def _robots(tree) -> list[tuple[tuple, dict]]:
    out = []
    for path, station in _stations(tree):
        for r, robot in enumerate(station.get("robots") or []):
            if isinstance(robot, dict):
                out.append((path + ("robots", r), robot))
    return out


# --- mutations of a parsed document: each returns (description, field path) or None -----------------
def number_value(rng, tree):
    nodes = [n for n in _nodes(tree) if _is_number(n[3])]
    if not nodes:
        return None
    parts, container, key, _ = _pick(rng, nodes)
    value = _pick(rng, NUMBERS)
    container[key] = copy.copy(value)
    return f"number {_path_text(parts)} -> {value!r}", _path_text(parts)


def scale_number(rng, tree):
    nodes = [n for n in _nodes(tree) if _is_number(n[3])]
    if not nodes:
        return None
    parts, container, key, value = _pick(rng, nodes)
    factor = _pick(rng, SCALES)
    container[key] = value * factor
    return f"scale {_path_text(parts)} x {factor:g}", _path_text(parts)


@lru_cache(maxsize=None)
def limit_edges() -> tuple[float, ...]:
    """The ends of every range in cyclecore.limits, and the numbers just outside them: values a
    check must take or refuse exactly, and that reach the kernels when taken."""
    import math

    from cyclecore import limits

    edges = set()
    for value in vars(limits).values():
        ends = (value.low, value.high) if isinstance(value, limits.Limit) else (
            value if isinstance(value, tuple) and len(value) == 2 and all(_is_number(v) for v in value) else ())
        for end in ends:
            edges.update({float(end), math.nextafter(float(end), math.inf), math.nextafter(float(end), -math.inf)})
            if isinstance(end, int):
                edges.update({end, end + 1, end - 1})
    return tuple(sorted(edges, key=repr))


def limit_edge(rng, tree):
    nodes = [n for n in _nodes(tree) if _is_number(n[3])]
    if not nodes:
        return None
    parts, container, key, _ = _pick(rng, nodes)
    value = _pick(rng, limit_edges())
    container[key] = value
    return f"limit edge {_path_text(parts)} -> {value!r}", _path_text(parts)


def string_value(rng, tree):
    nodes = [n for n in _nodes(tree) if isinstance(n[3], str)]
    if not nodes:
        return None
    parts, container, key, _ = _pick(rng, nodes)
    value = _pick(rng, STRINGS)
    container[key] = copy.copy(value)
    return f"string {_path_text(parts)} -> {repr(value)[:30]}", _path_text(parts)


def delete_key(rng, tree):
    nodes = [n for n in _nodes(tree) if isinstance(n[2], str)]
    if not nodes:
        return None
    parts, container, key, _ = _pick(rng, nodes)
    del container[key]
    return f"delete {_path_text(parts)}", _path_text(parts)


def duplicate_key(rng, tree):
    """A mapping with one key twice: the second value differs, so 'last wins' would change meaning."""
    nodes = [n for n in _nodes(tree) if isinstance(n[3], dict) and n[3]] + [((), None, None, tree)]
    parts, container, key, mapping = _pick(rng, nodes)
    keys = list(mapping)
    twice = _pick(rng, keys)
    other = mapping[twice]
    other = other * 2 if _is_number(other) else (f"{other}-2" if isinstance(other, str) else copy.deepcopy(other))
    pairs = list(mapping.items()) + [(twice, other)]
    if container is None:
        return None  # the top level is replaced by the caller (documents must stay dicts here)
    container[key] = Duplicated(pairs)
    return f"duplicate key {_path_text(parts + (twice,))}", _path_text(parts + (twice,))


def wrong_type(rng, tree):
    nodes = list(_nodes(tree))
    parts, container, key, value = _pick(rng, nodes)
    if isinstance(value, dict):
        new = _pick(rng, [list(value.values()), "text", 42, None, [value]])
    elif isinstance(value, list):
        new = _pick(rng, [{str(i): v for i, v in enumerate(value)}, 42, "text", None, [value]])
    else:
        new = _pick(rng, [[value], {"value": value}, {}, [], None])
    container[key] = new
    return f"wrong type {_path_text(parts)} -> {type(new).__name__}", _path_text(parts)


def empty_list(rng, tree):
    nodes = [n for n in _nodes(tree) if isinstance(n[3], list) and n[3]]
    if not nodes:
        return None
    parts, container, key, _ = _pick(rng, nodes)
    container[key] = []
    return f"empty list {_path_text(parts)}", _path_text(parts)


def duplicate_element(rng, tree):
    nodes = [n for n in _nodes(tree) if isinstance(n[3], list) and n[3]]
    if not nodes:
        return None
    parts, container, key, value = _pick(rng, nodes)
    value.append(copy.deepcopy(_pick(rng, value)))
    return f"duplicate element of {_path_text(parts)}", _path_text(parts)


def swap_names(rng, tree):
    """Two tasks, robots or stations swap names, or one takes another's (a duplicate)."""
    groups = [g for g in (_tasks(tree), _robots(tree), _stations(tree)) if len(g) >= 2]
    if not groups:
        return None
    group = _pick(rng, groups)
    (pa, a), (pb, b) = rng.sample(group, 2)
    if "name" not in a or "name" not in b:
        return None
    if rng.random() < 0.5:
        a["name"], b["name"] = b["name"], a["name"]
        return f"swap names {_path_text(pa)} <-> {_path_text(pb)}", _path_text(pa + ("name",))
    a["name"] = b["name"]
    return f"duplicate name {_path_text(pa)} = {_path_text(pb)}", _path_text(pa + ("name",))


def precedence_cycle(rng, tree):
    stations = [(p, st) for p, st in _stations(tree)
                if isinstance(st.get("tasks"), list) and sum(isinstance(t, dict) for t in st["tasks"]) >= 1]
    if not stations:
        return None
    path, station = _pick(rng, stations)
    tasks = [(t, task) for t, task in enumerate(station["tasks"]) if isinstance(task, dict) and "name" in task]
    if not tasks:
        return None
    length = min(len(tasks), _pick(rng, [1, 2, 3, 5]))
    chosen = rng.sample(tasks, length)
    for k, (t, task) in enumerate(chosen):
        before = chosen[k - 1][1]["name"]  # k = 0 takes the last one: a cycle (a self-loop when length 1)
        task["after"] = list(task.get("after") or []) + [before] if isinstance(task.get("after"), list) else [before]
    t = chosen[0][0]
    return f"precedence cycle of {length} in {_path_text(path)}", _path_text(path + ("tasks", t, "after"))


def unknown_reference(rng, tree):
    choices = []
    for p, task in _tasks(tree):
        choices.append((p + ("robot",), task, "robot", "NO-SUCH-ROBOT"))
        choices.append((p + ("after",), task, "after", ["NO-SUCH-TASK"]))
        choices.append((p + ("robots",), task, "robots", ["R1", "NO-SUCH-ROBOT"]))
    for p, robot in _robots(tree):
        choices.append((p + ("model",), robot, "model", "NO-SUCH-MODEL"))
    for o, option in enumerate(tree.get("options") or [] if isinstance(tree, dict) else []):
        if isinstance(option, dict):
            choices.append((("options", o, "tasks"), option, "tasks", [{"task": "NO-SUCH-TASK", "remove": True}]))
    if isinstance(tree, dict) and isinstance(tree.get("lines"), list):
        for k, entry in enumerate(tree["lines"]):
            if isinstance(entry, dict):
                choices.append((("lines", k, "file"), entry, "file", _pick(rng, ["missing.yaml", "/etc/passwd",
                                                                                 "../../../../etc/passwd", "plant.yaml"])))
    if not choices:
        return None
    parts, container, key, value = _pick(rng, choices)
    container[key] = value
    return f"unknown reference {_path_text(parts)} -> {value!r}", _path_text(parts)


def deep_nesting(rng, tree):
    nodes = list(_nodes(tree))
    parts, container, key, value = _pick(rng, nodes)
    depth = _pick(rng, [20, 60, 200])
    nested = value
    as_list = rng.random() < 0.5
    for _ in range(depth):
        nested = [nested] if as_list else {"a": nested}
    if len(parts) > 40:  # already inside an earlier nesting: keep documents writable
        return None
    container[key] = nested
    return f"nesting {depth} deep at {_path_text(parts)}", _path_text(parts)


def unknown_key(rng, tree):
    nodes = [n for n in _nodes(tree) if isinstance(n[3], dict)] + [((), None, None, tree)]
    parts, _, _, mapping = _pick(rng, nodes)
    name = _pick(rng, ["fuzz_extra", "Name", "name ", "stations2", "mtbf", "process_time"])
    mapping[name] = 1
    return f"unknown key {_path_text(parts + (name,))}", _path_text(parts + (name,))


def inline_robot_model(rng, tree):
    """The line brings its own robot model (a copy of a bundled one) with one bad number."""
    robots = _robots(tree)
    if not robots:
        return None
    model = json.loads(json.dumps(bundled_robot_model()))  # a copy: the bundled one stays as it is
    field = _pick(rng, [("kinematics", k) for k in ("a1", "a2", "b", "c1", "c2", "c3", "c4")]
                  + [(k, i) for k in ("joint_min_deg", "joint_max_deg", "max_velocity_deg_s",
                                      "max_acceleration_deg_s2", "max_jerk_deg_s3") for i in range(6)])
    value = _pick(rng, NUMBERS[:21] + [1e5, -1e5, 720.0, 3600.0])
    if field[0] in ("joint_min_deg", "joint_max_deg") and rng.random() < 0.4:
        model["joint_min_deg"] = [-1e308] * 6 if rng.random() < 0.5 else [-1e5] * 6
        model["joint_max_deg"] = [1e308] * 6 if rng.random() < 0.5 else [1e5] * 6
        text = "joint limits huge"
    else:
        model[field[0]][field[1]] = value
        text = f"{field[0]}[{field[1]}] -> {value!r}"
    tree.setdefault("robot_models", {})
    if not isinstance(tree["robot_models"], dict):
        tree["robot_models"] = {}
    tree["robot_models"]["FUZZ-ARM"] = model
    path, robot = _pick(rng, robots)
    robot["model"] = "FUZZ-ARM"
    where = f"robot_models.FUZZ-ARM.{field[0]}" + (f"[{field[1]}]" if isinstance(field[1], int) else f".{field[1]}")
    return f"inline robot model for {_path_text(path)}: {text}", where


SECTIONS = {
    "reliability": lambda rng: {"mtbf_h": _pick(rng, NUMBERS[:21]), "mttr_min": _pick(rng, [10.0] + NUMBERS[:21])},
    "manual_bypass": lambda rng: {"cycle_time_s": _pick(rng, [60.0] + NUMBERS[:21]),
                                  "operators": _pick(rng, [1, 0, -1, 2**70, 10**9]),
                                  "after_min": _pick(rng, [5.0] + NUMBERS[:21])},
    "buffer_after": lambda rng: _pick(rng, [10**30, 10**12, 2**63, 100_001, -1, 1e30]),
    "parallel": lambda rng: _pick(rng, [10**9, 2**63, 1001, 0, -3]),
    "index_time_s": lambda rng: _pick(rng, [1e308, 1e12, 86_401.0, 5e-324]),
    "fixed_time_s": lambda rng: _pick(rng, [1e308, 1e12, 86_401.0, 5e-324]),
    "tools_allowed": lambda rng: _pick(rng, [0, 1, 10**30]),
}
LINE_SECTIONS = {
    "costs": lambda rng: {_pick(rng, ["robot", "buffer_place", "repair_mttr_factor", "operator_hour",
                                      "speed_override_steps"]): _pick(rng, NUMBERS[:21] + [[0.5] * 1000, [2.0]])},
    "calendar": lambda rng: {"shifts_per_day": _pick(rng, [3, 0, 5, 10**30]), "hours_per_shift": _pick(rng, [8.0] + NUMBERS[:21]),
                             "days_per_week": _pick(rng, [5, 7.5, 5e-324, 1e308]),
                             "planned_downtime": _pick(rng, [0.0, 0.999999, 1.0, -0.1])},
    "units_per_product": lambda rng: _pick(rng, [10**30, 2**63, 0, 10**9]),
    "identical_lines": lambda rng: _pick(rng, [10**30, 2**63, 0, 10**9]),
}


def add_section(rng, tree):
    """A section the examples leave at its defaults, given a bad value."""
    stations = _stations(tree)
    if stations and rng.random() < 0.6:
        path, station = _pick(rng, stations)
        name = _pick(rng, sorted(SECTIONS))
        station[name] = SECTIONS[name](rng)
        return f"section {_path_text(path + (name,))} = {station[name]!r}"[:120], _path_text(path + (name,))
    if not isinstance(tree, dict) or "stations" not in tree:
        return None
    name = _pick(rng, sorted(LINE_SECTIONS))
    tree[name] = LINE_SECTIONS[name](rng)
    return f"section {name} = {tree[name]!r}"[:120], name


def many_tasks(rng, tree):
    """A station with thousands of tasks (loading must stay linear)."""
    stations = [(p, st) for p, st in _stations(tree) if isinstance(st.get("tasks"), list) and st["tasks"]
                and isinstance(st["tasks"][0], dict)]
    if not stations:
        return None
    path, station = _pick(rng, stations)
    count = _pick(rng, [500, 2000, 5000])
    template = station["tasks"]
    extra = []
    for k in range(count):
        task = copy.deepcopy(template[k % len(template)])
        task["name"] = f"{task.get('name', 'T')}-x{k}"
        if rng.random() < 0.3 and extra:
            task["after"] = [extra[-1]["name"]]
        extra.append(task)
    station["tasks"] = template + extra
    return f"{count} more tasks in {_path_text(path)}", _path_text(path + ("tasks",))


def spots_path(rng, tree):
    stations = _stations(tree)
    if not stations:
        return None
    path, station = _pick(rng, stations)
    station["spots_csv"] = _pick(rng, OUTSIDE_PATHS)
    return f"spots_csv {_path_text(path)} -> {station['spots_csv']!r}", _path_text(path + ("spots_csv",))


DOCUMENT_MUTATIONS = [  # (mutation, weight)
    (number_value, 16), (limit_edge, 8), (scale_number, 6), (string_value, 6), (delete_key, 8), (duplicate_key, 4),
    (wrong_type, 8), (empty_list, 4), (duplicate_element, 3), (swap_names, 4), (precedence_cycle, 4),
    (unknown_reference, 5), (deep_nesting, 2), (unknown_key, 3), (inline_robot_model, 8), (add_section, 10),
    (many_tasks, 1), (spots_path, 2),
]


# --- mutations of a spot CSV (text -> bytes) --------------------------------------------------------
def mutate_csv(rng: random.Random, text: str) -> tuple[bytes, str, str]:
    """(new bytes, description, column or row named) for one mutation of a spot CSV."""
    lines = text.splitlines()
    header, rows = lines[0], lines[1:]
    columns = header.split(",")
    kind = _pick(rng, ["cell", "cell", "cell", "truncate", "extra", "encoding", "huge-field", "empty", "header-only",
                       "drop-column", "duplicate-column", "nul", "quote", "bom-crlf", "utf16", "sequence"])
    r = rng.randrange(len(rows)) if rows else 0
    if kind == "cell" and rows:
        cells = rows[r].split(",")
        c = rng.randrange(len(cells))
        cells[c] = _pick(rng, ["nan", "inf", "-inf", "1e308", "-1e400", "", "abc", "9" * 5000, "5e-324", "1e30",
                               "0x10", "1_000", "NaN", " 1 ", "-0"])
        rows[r] = ",".join(cells)
        return ("\n".join([header] + rows) + "\n").encode(), f"csv cell row {r + 2} column {columns[c]}", columns[c]
    if kind == "truncate" and rows:
        cells = rows[r].split(",")
        rows[r] = ",".join(cells[: rng.randrange(len(cells))])
        return ("\n".join([header] + rows) + "\n").encode(), f"csv row {r + 2} truncated", f"line {r + 2}"
    if kind == "extra" and rows:
        rows[r] += ",extra,42"
        return ("\n".join([header] + rows) + "\n").encode(), f"csv row {r + 2} extra columns", f"line {r + 2}"
    if kind == "encoding":
        data = ("\n".join([header] + rows) + "\n").encode()
        cut = rng.randrange(len(data))
        return data[:cut] + _pick(rng, [b"\xff\xfe", b"\xe9", b"\x80\x81", b"\xc3"]) + data[cut:], "csv bad byte", ""
    if kind == "huge-field" and rows:
        cells = rows[r].split(",")
        cells[0] = "N" * (200 * 1024)
        rows[r] = ",".join(cells)
        return ("\n".join([header] + rows) + "\n").encode(), "csv field of 200 KiB", "name"
    if kind == "empty":
        return b"", "csv empty", ""
    if kind == "header-only":
        return (header + "\n").encode(), "csv header only", ""
    if kind == "drop-column":
        c = rng.randrange(len(columns))
        out = [",".join(x for k, x in enumerate(line.split(",")) if k != c) for line in lines]
        return ("\n".join(out) + "\n").encode(), f"csv without column {columns[c]}", columns[c]
    if kind == "duplicate-column":
        c = rng.randrange(len(columns))
        out = [line + "," + line.split(",")[c] if len(line.split(",")) > c else line for line in lines]
        return ("\n".join(out) + "\n").encode(), f"csv column {columns[c]} twice", columns[c]
    if kind == "nul":
        return ("\n".join([header] + rows) + "\n\x00\x00").encode(), "csv NUL bytes", ""
    if kind == "quote" and rows:
        rows[r] = '"' + rows[r]
        return ("\n".join([header] + rows) + "\n").encode(), f"csv unterminated quote row {r + 2}", ""
    if kind == "bom-crlf":
        return ("\ufeff" + "\r\n".join([header] + rows) + "\r\n").encode(), "csv BOM and CRLF", ""
    if kind == "utf16":
        return text.encode("utf-16"), "csv UTF-16", ""
    if kind == "sequence" and rows:
        cells = rows[r].split(",")
        cells[columns.index("sequence")] = _pick(rng, ["1.5", "9" * 5000, "-1", "", "1e3"])
        rows[r] = ",".join(cells)
        return ("\n".join([header] + rows) + "\n").encode(), f"csv sequence row {r + 2}", "sequence"
    return text.encode(), "csv unchanged", ""


# --- commands ----------------------------------------------------------------------------------------
def commands_for(rng: random.Random, base: Base, index: int) -> list[list[str]]:
    """``analyze --json`` (``plant --json`` for a plant) for even mutants, the text form for odd ones
    (both load the file alike; the outputs differ), every seventh with an odd ``--target``, every
    twentieth one more command with a small budget. The runner skips the other forms of the first
    command when it rejects the file (they load it the same way)."""
    verb = "plant" if base.name == "module-plant" else "analyze"  # analyze takes a line, plant a plant
    commands = [[verb, "{file}", "--json"] if index % 2 == 0 else [verb, "{file}"]]
    if index % 7 == 3 and base.name != "module-plant":
        commands.append(["analyze", "{file}", "--target", _pick(rng, CLI_NUMBERS)])
    if index % 20 == 0:
        station = _pick(rng, base.stations) if base.stations else "ST10"
        zone = _pick(rng, base.zones) if base.zones else "1"
        choices = [["simulate", "{file}", "--weeks", "0.02", "--replications", "2", "--json"],
                   ["sequence", "{file}", "--station", station, "--time-limit", "0.2", "-o", "{dir}/out.yaml"],
                   ["split", "{file}", "--station", station, "--robots", "2", "--time-limit", "0.2"],
                   ["rebalance", "{file}", "--zone", zone, "--time-limit", "0.5", "--json"]]
        if base.name == "module-plant":
            choices = [["plant", "{file}", "--target", _pick(rng, CLI_NUMBERS), "--json"],
                       ["plant", "{file}", "--simulate", "--weeks", "0.02", "--replications", "2"],
                       ["simulate", "{file}", "--weeks", "0.02", "--replications", "2"]]
        if base.name == "tutorial":
            choices.append(["optimize", "{file}", "--target", "6000", "--replications", "2", "--weeks", "0.05",
                            "--json"])
        commands.append(_pick(rng, choices))
    return commands


@lru_cache(maxsize=None)
def _bundled_text(base: str, path: str) -> bytes:
    return document_text(next(b for b in bases() if b.name == base).documents[path], Path(path).suffix)


BASE_WEIGHTS = {"tutorial": 72, "module-line": 6, "body-shop": 11, "module-plant": 11}  # by cost: tutorial loads in 0.05 s, the others 0.4 s


def mutant(seed: int, index: int) -> Case:
    """Mutant ``index`` of ``seed``: the same files and commands on any machine."""
    rng = random.Random(f"cyclecore-fuzz:{seed}:{index}")
    by_name = {b.name: b for b in bases()}
    names = sorted(BASE_WEIGHTS)
    base = by_name[rng.choices(names, weights=[BASE_WEIGHTS[n] for n in names])[0]]
    documents = {}  # copies of the documents a mutation touched; the rest are written as bundled
    csv_bytes = {path: text.encode() for path, text in base.csvs.items()}
    descriptions, fields = [], []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        if csv_bytes and rng.random() < 0.35:
            path = rng.choice(sorted(csv_bytes))
            data, text, column = mutate_csv(rng, base.csvs[path])
            csv_bytes[path] = data
            descriptions.append(f"{path}: {text}")
            fields.append(column)
            continue
        doc = rng.choice(sorted(base.documents))
        if doc not in documents:
            documents[doc] = json.loads(json.dumps(base.documents[doc]))
        mutations, weights = zip(*DOCUMENT_MUTATIONS)
        for _attempt in range(5):
            chosen = rng.choices(mutations, weights=weights)[0]
            try:
                done = chosen(rng, documents[doc])
            except (AttributeError, KeyError, IndexError, TypeError, ValueError):
                # an earlier mutation left a shape this one does not expect (a Duplicated mapping,
                # a list where a mapping was): try another, deterministically
                done = None
            if done:
                descriptions.append(f"{doc}: {done[0]}")
                fields.append(done[1])
                break
    main = base.main
    files = {path: _bundled_text(base.name, path) for path in base.documents if path not in documents}
    files.update({path: document_text(tree, Path(path).suffix) for path, tree in documents.items()})
    if base.name != "module-plant" and rng.random() < 0.2:
        tree = documents.get("line.yaml", base.documents["line.yaml"])
        del files["line.yaml"]
        files["line.json"] = document_text(tree, ".json")
        main = "line.json"
    files.update(csv_bytes)
    if any("../outside/" in d for d in descriptions):
        files["../outside/BS01.csv"] = base.csvs.get("spots/BS01.csv", "name\n").encode()
    return Case(id=f"mutant-{index}", main=main, files=files, commands=commands_for(rng, base, index),
                description=[f"base {base.name}"] + descriptions, fields=fields)
