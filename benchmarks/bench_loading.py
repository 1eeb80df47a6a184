"""Loading a line with 10,000 tasks in one station (issue 11, acceptance 3: under 1 s, linear).

group "load-10k-tasks-json": ``load_line`` of a JSON line with 10,000 taught joint targets in one
station, each after the one before (and every tenth after one a hundred back): the bounded reader
(size, UTF-8, depth, repeated keys, long integers), the schema with every range of
``cyclecore.limits``, and the line checks (names, references, precedence, program order, joint
limits). The peer is pydantic's own best use on the same file and schema:
``Line.model_validate_json`` (parsing and validation in Rust), without cyclecore's reader and
line checks. items = tasks.

group "load-10k-tasks-yaml": the same line as YAML through ``load_line``; the peer is PyYAML's
fastest loader (``CSafeLoader``, libyaml) followed by ``Line.model_validate``, without the reader's
limits or the line checks.

group "load-scaling": the JSON line at 5,000 and 20,000 tasks (figures only): per-task times
that stay flat show the linear validation.

group "load-10k-spots": a YAML line whose station reads 10,000 weld spots (poses) from a CSV,
with and without the reach check (inverse kinematics for every spot, the cost beyond reading;
the remembered solved programs are forgotten before each round).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from cyclecore.files.line_file import load_line
from cyclecore.model.line import Line

_spec = importlib.util.spec_from_file_location("_big_line", Path(__file__).resolve().parents[1] / "tests" / "big_line.py")
_big_line = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_big_line)

TASKS = 10_000


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("loading")
    json_path = _big_line.write_big_json(folder, TASKS)
    yaml_path = folder / f"big-{TASKS}.yaml"
    yaml_path.write_text(yaml.safe_dump(_big_line.big_line_dict(TASKS), sort_keys=False), encoding="utf-8")
    load_line(json_path)  # bundled models, numpy and the kernel loaded outside the measurement
    return {"json": json_path, "yaml": yaml_path, "spots": _big_line.write_big_spots(folder, TASKS),
            5_000: _big_line.write_big_json(folder, 5_000), 20_000: _big_line.write_big_json(folder, 20_000)}


def _run(benchmark, group, role, function, *args, items=TASKS, **extra):
    benchmark.group = group
    benchmark.extra_info.update(role=role, items=items, **extra)
    return benchmark.pedantic(function, args=args, rounds=3, iterations=1)


def test_load_10k_tasks_json(benchmark, files):
    line = _run(benchmark, "load-10k-tasks-json", "cyclecore", load_line, files["json"])
    assert len(line.stations[0].tasks) == TASKS


def test_load_10k_tasks_json_pydantic_alone(benchmark, files):
    text = files["json"].read_text(encoding="utf-8")
    line = _run(benchmark, "load-10k-tasks-json", "peer", Line.model_validate_json, text)
    assert len(line.stations[0].tasks) == TASKS


def test_load_10k_tasks_yaml(benchmark, files):
    line = _run(benchmark, "load-10k-tasks-yaml", "cyclecore", load_line, files["yaml"])
    assert len(line.stations[0].tasks) == TASKS


def _libyaml_and_pydantic(path: Path) -> Line:
    return Line.model_validate(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))


def test_load_10k_tasks_yaml_libyaml_alone(benchmark, files):
    line = _run(benchmark, "load-10k-tasks-yaml", "peer", _libyaml_and_pydantic, files["yaml"])
    assert len(line.stations[0].tasks) == TASKS


@pytest.mark.parametrize("tasks", [5_000, 20_000])
def test_load_scaling(benchmark, files, tasks):
    benchmark.group = "load-scaling"
    benchmark.extra_info["tasks"] = tasks
    line = benchmark.pedantic(load_line, args=(files[tasks],), rounds=3, iterations=1)
    benchmark.extra_info["ms_per_1000_tasks"] = round(1e6 * benchmark.stats.stats.median / tasks, 2)
    assert len(line.stations[0].tasks) == tasks


@pytest.mark.parametrize("check_reach", [False, True])
def test_load_10k_spots_csv(benchmark, files, check_reach):
    from cyclecore.robot import cell

    benchmark.group = "load-10k-spots"
    benchmark.extra_info["check_reach"] = check_reach
    # solved programs are remembered across loads: forget them, so every round solves its IK
    line = benchmark.pedantic(load_line, args=(files["spots"],), kwargs={"check_reach": check_reach},
                              setup=cell._PROGRAMS.clear, rounds=3, iterations=1)
    assert len(line.stations[0].tasks) == TASKS
