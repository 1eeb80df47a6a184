"""The plan on the bundled module plant, end to end through the command line, as a user runs it.

``cyclecore optimize`` finds the changes for 10,000 cars/week and prints the plan and the
verdict; the plan file goes through ``cyclecore apply`` into a changed plant (plant file and line
files), and ``cyclecore simulate`` on that plant meets the target at the plan's confidence. An
interrupted search leaves no file behind.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cyclecore.examples import plant_example_path

CLI = str(Path(sys.executable).with_name("cyclecore"))
TARGET = 10_000


def _run(*args, cwd):
    done = subprocess.run([CLI, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=1200)
    assert "Traceback" not in done.stderr, done.stderr
    return done


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    folder = tmp_path_factory.mktemp("module-plant")
    done = _run("optimize", "--example", "module-plant", "--target", TARGET, "--workers", 2,
                "-o", "plan.json", "--curve", "curve.csv", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder, done.stdout


def test_optimize_prints_the_plan_and_the_verdict(planned):
    folder, text = planned
    assert "module-plant: plan for 10,000 products/week (90% confidence)" in text
    assert "verdict: accelerate the existing lines" in text
    plan = json.loads((folder / "plan.json").read_text())
    assert plan["reached"] and plan["products_per_week"] >= TARGET
    assert plan["verdict"]["accelerate"]["capex"] < plan["verdict"]["duplicate"]["capex"]
    kinds = {change["kind"] for design in plan["designs"] for change in design["changes"]}
    assert len(kinds) >= 3, kinds  # it takes several kinds of change


def test_the_applied_plan_simulated_by_the_user_reaches_the_target(planned):
    folder, _ = planned
    (folder / "changed").mkdir()
    applied = _run("apply", plant_example_path("module-plant"), "plan.json", "-o", "changed/plant.yaml", cwd=folder)
    assert applied.returncode == 0, applied.stderr
    plan = json.loads((folder / "plan.json").read_text())
    simulated = _run("simulate", "changed/plant.yaml", "--weeks", plan["weeks"], "--replications",
                     plan["replications"], "--seed", plan["seed"], "--confidence", plan["confidence"], "--json",
                     cwd=folder)
    assert simulated.returncode == 0, simulated.stderr
    lower, upper = json.loads(simulated.stdout)["ci_products_per_week"]
    assert lower >= TARGET
    assert [lower, upper] == pytest.approx(plan["verified_products_per_week"], rel=1e-12)


def test_the_curve_file_rises_in_capex_and_output(planned):
    folder, _ = planned
    rows = (folder / "curve.csv").read_text().splitlines()
    assert rows[0].startswith("capex,products_per_week")
    points = [tuple(map(float, row.split(",")[:2])) for row in rows[1:]]
    assert points[0][0] == 0.0
    assert all(a[0] < b[0] and a[1] < b[1] for a, b in zip(points, points[1:]))


def test_an_interrupted_search_leaves_no_file(tmp_path):
    # a shell that starts jobs in the background ignores SIGINT for them, and the ignoring is
    # inherited: give the command the default disposition a terminal's foreground job has
    process = subprocess.Popen([CLI, "optimize", "--example", "module-plant", "--target", str(TARGET),
                                "-o", "plan.json", "--curve", "curve.csv"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(8.0)  # well into the station evaluations
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130  # interrupted, as a shell reports Ctrl-C
    assert "Traceback" not in stderr, stderr
    assert os.listdir(tmp_path) == []
