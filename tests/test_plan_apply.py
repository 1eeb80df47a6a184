"""A plan as a line engineer uses it: `cyclecore optimize -o`, `cyclecore apply`, `cyclecore simulate`.

The commands run as the user runs them (the ``cyclecore`` console script, real files, a fresh
process each) on the bundled tutorial line. The changed line the plan file describes must reach
the target in the simulation the user runs, at the stated confidence. Bad input is refused with
exit code 2 and a message that says what is wrong, never a traceback, and writes nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import cyclecore
from cyclecore.examples import example_path
from cyclecore.files.line_file import save_line

WEEKS, REPLICATIONS, CONFIDENCE = "0.5", "5", "0.9"
MEASURE = ["--weeks", WEEKS, "--replications", REPLICATIONS]


def _console_script() -> str:
    beside = Path(sys.executable).with_name("cyclecore")
    found = str(beside) if beside.exists() else shutil.which("cyclecore")
    if found is None:
        pytest.skip("the cyclecore console script is not installed")
    return found


def cyclecore_cli(*args, cwd) -> subprocess.CompletedProcess:
    """Run ``cyclecore ARGS`` as a user would, in ``cwd``."""
    return subprocess.run([_console_script(), *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "COLUMNS": "200"})


def assert_refused(result: subprocess.CompletedProcess, *phrases: str) -> None:
    """Exit code 2, a message with every phrase, and no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, (phrase, result.stderr)


def simulated_lower_end(line_file, cwd) -> float:
    """``cyclecore simulate LINE --json``: the lower end of the products/week interval."""
    result = cyclecore_cli("simulate", line_file, *MEASURE, "--confidence", CONFIDENCE, "--json", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["ci_products_per_week"][0]


@pytest.fixture(scope="module")
def optimized(tmp_path_factory):
    """The tutorial planned for 10% above what it makes today: (folder, target, plan file, today)."""
    folder = tmp_path_factory.mktemp("plan")
    today = simulated_lower_end(example_path("tutorial"), folder)
    target = round(1.1 * today)
    result = cyclecore_cli("optimize", "--example", "tutorial", "--target", target, "-o", "plan.json", *MEASURE,
                           cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return folder, target, folder / "plan.json", today


def test_optimized_plan_applied_and_simulated_reaches_the_target(optimized):
    folder, target, plan_file, today = optimized
    assert today < target
    plan = json.loads(plan_file.read_text())
    assert plan["reached"] is True
    assert plan["target_products_per_week"] == target
    assert plan["designs"][0]["changes"], "a target above today's output needs at least one change"

    applied = cyclecore_cli("apply", example_path("tutorial"), plan_file, "-o", "new.yaml", cwd=folder)
    assert applied.returncode == 0, applied.stderr
    assert "Traceback" not in applied.stderr
    assert simulated_lower_end(folder / "new.yaml", folder) >= target


def test_plan_applied_to_another_line_is_refused_naming_the_fingerprint(optimized):
    folder, _, plan_file, _ = optimized
    result = cyclecore_cli("apply", example_path("module-line"), plan_file, "-o", "other.yaml", cwd=folder)
    assert_refused(result, "fingerprint")
    assert not (folder / "other.yaml").exists()


def test_plan_applied_to_another_version_of_its_line_is_refused_naming_the_fingerprint(optimized):
    folder, _, plan_file, _ = optimized
    line = cyclecore.load_example("tutorial")
    edited = line.evolve(stations=(line.stations[0].evolve(buffer_after=line.stations[0].buffer_after + 1),)
                         + line.stations[1:])
    save_line(edited, folder / "tutorial-v2.yaml")
    result = cyclecore_cli("apply", folder / "tutorial-v2.yaml", plan_file, "-o", "v2-new.yaml", cwd=folder)
    assert_refused(result, "fingerprint", "tutorial")
    assert not (folder / "v2-new.yaml").exists()


@pytest.mark.parametrize("unknown, edit", [
    ("ST99", lambda changes: next(c for c in changes if "station" in c).update(station="ST99")),
    ("R9", lambda changes: changes.append({"kind": "speed_up", "station": "ST10", "robot": "R9", "override": 1.0})),
], ids=["station", "robot"])
def test_plan_naming_an_unknown_station_or_robot_is_refused(optimized, unknown, edit):
    folder, _, plan_file, _ = optimized
    plan = json.loads(plan_file.read_text())
    edit(plan["designs"][0]["changes"])
    edited = folder / f"plan-{unknown}.json"
    edited.write_text(json.dumps(plan))
    result = cyclecore_cli("apply", example_path("tutorial"), edited, "-o", f"{unknown}.yaml", cwd=folder)
    assert_refused(result, unknown)
    assert not (folder / f"{unknown}.yaml").exists()


@pytest.mark.parametrize("argument, value", [("--target", "-5"), ("--budget", "-1")])
def test_negative_target_or_budget_is_refused_before_any_work(tmp_path, argument, value):
    args = ["--target", "-5"] if argument == "--target" else ["--target", "10000", "--budget", value]
    result = cyclecore_cli("optimize", "--example", "tutorial", *args, "-o", "plan.json", *MEASURE, cwd=tmp_path)
    assert_refused(result, argument.lstrip("-"), value)
    assert not (tmp_path / "plan.json").exists()


def test_unreachable_target_under_a_budget_reports_the_best_reachable_output(optimized, tmp_path):
    _, target, _, today = optimized
    # 1,000 EUR buys no change of the tutorial: the best it can make is what it makes today
    result = cyclecore_cli("optimize", "--example", "tutorial", "--target", target, "--budget", "1000",
                           "-o", "plan.json", *MEASURE, cwd=tmp_path)
    # a valid request without an answer: exit code 3 (cyclecore.cli.NO_ANSWER), not 2
    assert result.returncode == 3, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    for phrase in ("cannot be reached", "1,000", f"{today:,.0f} products/week"):
        assert phrase in result.stderr, (phrase, result.stderr)
    assert not (tmp_path / "plan.json").exists()


@pytest.mark.parametrize("argument, value", [("--target", "nan"), ("--target", "inf"), ("--target", "1e308"),
                                             ("--budget", "nan"), ("--confidence", "1.5"), ("--weeks", "inf"),
                                             ("--replications", "1"), ("--workers", "0")])
def test_non_finite_huge_or_out_of_range_values_are_refused_by_name(tmp_path, argument, value):
    args = ["--target", value] if argument == "--target" else ["--target", "10000", argument, value]
    result = cyclecore_cli("optimize", "--example", "tutorial", *args, "-o", "plan.json", cwd=tmp_path)
    assert_refused(result, argument.lstrip("-"))
    assert not (tmp_path / "plan.json").exists()
