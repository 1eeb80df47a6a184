"""The garbage set: files no mutation of a good line produces, each a known way to break a loader.

Empty and binary files, JSON and YAML nested 20,000 deep, a YAML alias bomb, a file above the size
limit, huge numbers, text that is not UTF-8, ``spots_csv`` escaping the line's folder (relative,
absolute, through a symlink), duplicate keys, YAML tags that would run code, and lines of 10,000
and 210,000 tasks. Each goes through ``analyze`` (text and ``--json``), ``simulate`` and ``plant``,
whose loaders differ.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from fuzz.cases import Case
from fuzz.documents import Duplicated, Raw, document_text
from fuzz.mutate import bases

COMMANDS = [["analyze", "{file}", "--json"], ["analyze", "{file}"],
            ["simulate", "{file}", "--weeks", "0.02", "--replications", "2"], ["plant", "{file}", "--json"]]

ALIAS_BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
    "name: bomb\nstations: *i\n"
)


def _tutorial() -> dict:
    return json.loads(json.dumps(next(b for b in bases() if b.name == "tutorial").documents["line.yaml"]))


def _body_shop():
    base = next(b for b in bases() if b.name == "body-shop")
    return json.loads(json.dumps(base.documents["line.yaml"])), {p: t.encode() for p, t in base.csvs.items()}


def _with(path: str, text: str | bytes, **extra: bytes) -> dict[str, bytes]:
    files = {path: text.encode("utf-8") if isinstance(text, str) else text}
    files.update({k.replace("__", "/"): v for k, v in extra.items()})
    return files


def garbage_cases() -> list[Case]:
    tutorial = _tutorial()
    tutorial_yaml = document_text(tutorial, ".yaml").decode()
    cases: list[tuple[str, str, dict[str, bytes], str | None]] = []  # (name, main, files, generator)

    def add(name, main, files, generate=None):
        cases.append((name, main, files, generate))

    add("empty-yaml", "line.yaml", _with("line.yaml", b""))
    add("empty-json", "line.json", _with("line.json", b""))
    add("whitespace", "line.yaml", _with("line.yaml", "   \n\n  \t\n"))
    add("binary", "line.yaml", _with("line.yaml", bytes(range(256)) * 64))
    add("random-bytes", "line.json", _with("line.json", os.urandom(0) + bytes((k * 7919) % 256 for k in range(8192))))
    add("json-nested-20000-lists", "line.json", _with("line.json", "[" * 20_000 + "]" * 20_000))
    add("json-nested-20000-dicts", "line.json", _with("line.json", '{"a":' * 20_000 + "1" + "}" * 20_000))
    add("json-nested-in-station", "line.json",
        _with("line.json", '{"name": "x", "stations": [{"name": "S", "tasks": ' + "[" * 20_000 + "]" * 20_000 + "}]}"))
    add("yaml-nested-20000-flow", "line.yaml", _with("line.yaml", "[" * 20_000 + "]" * 20_000))
    add("yaml-nested-20000-dicts", "line.yaml", _with("line.yaml", "{a: " * 20_000 + "1" + "}" * 20_000))
    add("yaml-nested-block", "line.yaml",
        _with("line.yaml", "".join("  " * k + "- \n" for k in range(3000)) + "  " * 3000 + "- 1\n"))
    add("yaml-alias-bomb", "line.yaml", _with("line.yaml", ALIAS_BOMB))
    add("yaml-alias-small", "line.yaml", _with("line.yaml", tutorial_yaml.replace("home_deg: [", "home_deg: &h [", 1)))
    add("huge-file", "line.yaml", {}, "huge-file")
    add("tasks-10000-one-station", "line.json", {}, "tasks-10000")
    add("tasks-210000", "line.json", {}, "tasks-210000")
    add("number-5000-digits-yaml", "line.yaml",
        _with("line.yaml", tutorial_yaml.replace("index_time_s: 5.0", "index_time_s: " + "9" * 5000, 1)))
    add("number-5000-digits-json", "line.json",
        _with("line.json", document_text({**tutorial, "units_per_product": Raw("9" * 5000)}, ".json")))
    add("number-1e400-json", "line.json",
        _with("line.json", document_text({**tutorial, "identical_lines": Raw("1e400")}, ".json")))
    add("number-nan-json", "line.json", _with("line.json", json.dumps({**tutorial, "calendar": {
        "shifts_per_day": 2, "hours_per_shift": float("nan")}})))
    add("number-huge-int-yaml", "line.yaml", _with("line.yaml", tutorial_yaml.replace("buffer_after: 1", "buffer_after: 1" + "0" * 40, 1)))
    add("latin-1", "line.yaml", _with("line.yaml", tutorial_yaml.replace("Two welding", "Zwei Schwei\u00dfstationen").encode("latin-1")))
    add("utf-16", "line.yaml", _with("line.yaml", tutorial_yaml.encode("utf-16")))
    add("invalid-utf8-middle", "line.yaml", _with("line.yaml", tutorial_yaml.encode()[:300] + b"\xff\xfe\xfd" + tutorial_yaml.encode()[300:]))
    add("nul-bytes", "line.yaml", _with("line.yaml", tutorial_yaml.replace("ST20", "ST\x0020")))
    add("yaml-python-tag", "line.yaml", _with("line.yaml", "name: !!python/object/apply:os.system ['echo pwned']\nstations: []\n"))
    add("yaml-custom-tag", "line.yaml", _with("line.yaml", tutorial_yaml.replace("name: tutorial", "name: !secret tutorial", 1)))
    add("yaml-multi-document", "line.yaml", _with("line.yaml", tutorial_yaml + "\n---\n" + tutorial_yaml))
    add("yaml-scalar", "line.yaml", _with("line.yaml", "just a string\n"))
    add("json-list", "line.json", _with("line.json", "[1, 2, 3]"))
    add("json-trailing-garbage", "line.json", _with("line.json", json.dumps(tutorial) + "}}"))
    add("duplicate-keys-yaml", "line.yaml", _with("line.yaml", tutorial_yaml.replace("name: tutorial", "name: tutorial\nname: other", 1)))
    add("duplicate-keys-json", "line.json", _with("line.json", document_text(Duplicated(list(tutorial.items()) + [("name", "other")]), ".json")))
    add("duplicate-station-key-yaml", "line.yaml",
        _with("line.yaml", tutorial_yaml.replace("  index_time_s: 5.0", "  index_time_s: 5.0\n  index_time_s: 50.0", 1)))
    add("wrong-suffix", "line.txt", _with("line.txt", tutorial_yaml))
    add("no-suffix", "line", _with("line", tutorial_yaml))
    add("folder-named-line", "line.yaml", {"line.yaml/keep": b""})
    add("missing-file", "absent.yaml", {})
    line, csvs = _body_shop()
    for name, target in [("relative", "../../../../../../../../etc/passwd"), ("absolute", "/etc/passwd"),
                         ("absolute-csv", "@@CASE@@/../outside/BS01.csv"), ("dev-zero", "/dev/zero"), ("proc", "/proc/self/environ"),
                         ("folder", "spots"), ("dotdot-inside-out", "spots/../../outside/BS01.csv")]:
        changed = json.loads(json.dumps(line))
        changed["stations"][0]["spots_csv"] = target
        files = {"line.yaml": document_text(changed, ".yaml"), **csvs, "../outside/BS01.csv": csvs["spots/BS01.csv"]}
        add(f"path-escape-{name}", "line.yaml", files)
    changed = json.loads(json.dumps(line))
    changed["stations"][0]["spots_csv"] = "spots/evil.csv"
    add("path-escape-symlink", "line.yaml", {"line.yaml": document_text(changed, ".yaml"), **csvs}, "symlink-evil")
    big_field = csvs["spots/BS01.csv"].decode().splitlines()
    big_field[1] = "N" * (200 * 1024) + big_field[1][big_field[1].index(","):]
    add("csv-field-200KiB", "line.yaml", {"line.yaml": document_text(line, ".yaml"), **csvs,
                                          "spots/BS01.csv": ("\n".join(big_field) + "\n").encode()})
    add("csv-latin-1", "line.yaml", {"line.yaml": document_text(line, ".yaml"), **csvs,
                                     "spots/BS01.csv": csvs["spots/BS01.csv"].replace(b"BS01-R1-001", b"BS01-R1-\xe9")})
    add("csv-binary", "line.yaml", {"line.yaml": document_text(line, ".yaml"), **csvs, "spots/BS01.csv": bytes(range(256)) * 8})
    add("csv-utf-16", "line.yaml", {"line.yaml": document_text(line, ".yaml"), **csvs,
                                    "spots/BS01.csv": csvs["spots/BS01.csv"].decode().encode("utf-16")})
    add("plant-escape", "plant.yaml", _with("plant.yaml", "name: p\nlines:\n- {name: a, file: /etc/passwd}\n"))
    add("plant-self", "plant.yaml", _with("plant.yaml", "name: p\nlines:\n- {name: a, file: plant.yaml}\n"))
    add("plant-empty-lines", "plant.yaml", _with("plant.yaml", "name: p\nlines: []\n"))
    out = []
    for name, main, files, generate in cases:
        out.append(Case(id=f"garbage-{name}", main=main, files=files, commands=[list(c) for c in COMMANDS],
                        description=[f"garbage {name}"], generate=generate))
    return out


CACHED = ("huge-file", "tasks-10000", "tasks-210000")  # generated once per worker, linked into each case


def generate(name: str, folder: Path, main: str) -> None:
    """Make a generated garbage case's big files in ``folder`` (never shipped between processes)."""
    if name == "huge-file":  # above the 256 MiB file limit: a comment, then a valid line
        with open(folder / main, "wb") as handle:
            block = b"#" + b"x" * (1024 * 1024 - 2) + b"\n"
            for _ in range(260):
                handle.write(block)
            handle.write(document_text(_tutorial(), ".yaml"))
    elif name.startswith("tasks-"):
        count = int(name.split("-")[1])
        line = _tutorial()
        station = line["stations"][1]
        template = station["tasks"][0]
        tasks = []
        for k in range(count):
            task = dict(template, name=f"T{k}")
            if k:
                task["after"] = [f"T{k - 1}"] if k % 3 else []
            tasks.append(task)
        station["tasks"] = tasks
        (folder / main).write_bytes(document_text(line, ".json"))
    elif name == "symlink-evil":
        (folder / "spots" / "evil.csv").symlink_to("/etc/passwd")
    else:
        raise ValueError(f"unknown garbage generator {name!r}")
