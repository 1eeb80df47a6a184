"""``cyclecore ramp`` as a newcomer runs it from the README, and what it says to bad input
(acceptance 5): a clear message naming the field, exit code 2, never a traceback.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cyclecore
from cyclecore.cli import app
from cyclecore.examples import load_example_subject
from cyclecore.plan.result import fingerprint
from cyclecore.ramp.result import CSV_COLUMNS

runner = CliRunner()
CLI = str(Path(sys.executable).with_name("cyclecore"))


def module_plant_plan(**ramp_section) -> dict:
    """A plan file for the bundled module plant, as `cyclecore optimize -o` writes one (by hand)."""
    plant = load_example_subject("module-plant")
    gen1, gen2 = (entry.line for entry in plant.lines)
    plan = {"kind": "plant", "subject": plant.name, "target_products_per_week": 10_000.0, "designs": [
        {"name": "gen-1", "fingerprint": fingerprint(gen1), "added_copies": 0, "changes": [
            {"kind": "speed_up", "station": "Z2-S02-bond", "robot": "R1", "override": 1.0},
            {"kind": "speed_up", "station": "Z2-S02-bond", "robot": "R2", "override": 1.0},
            {"kind": "speed_up", "station": "Z2-S03-inspect", "robot": "R1", "override": 1.0},
            {"kind": "add_buffer", "station": "Z1-S01-cell-load", "places": 1},
            {"kind": "repair_programme", "station": "Z2-S02-bond"}]},
        {"name": "gen-2", "fingerprint": fingerprint(gen2), "added_copies": 0, "changes": [
            {"kind": "repair_programme", "station": "Z2-S02-bond"}]}]}
    if ramp_section:
        plan["ramp"] = ramp_section
    return plan


def ramp_cli(tmp_path, plan: dict, *options):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    result = runner.invoke(app, ["ramp", "--example", "module-plant", "--plan", str(path), *options])
    assert "Traceback" not in result.output
    return result


def test_the_readme_command_prints_the_weekly_table_and_the_summary(tmp_path):
    result = ramp_cli(tmp_path, module_plant_plan())
    assert result.exit_code == 0, result.output
    text = result.output
    assert "module-plant: ramp over 52 weeks (products/week)" in text
    assert "target 10,000 products/week: first met" in text
    assert "cumulative over 52 weeks:" in text and "capex" in text
    assert "gen-1:speed_up@Z2-S02-bond/R1" in text or "3 speed_up" in text  # week 1 lands the speed-ups


def test_json_and_csv_hold_the_same_weeks_as_the_api(tmp_path):
    out = tmp_path / "ramp.csv"
    result = ramp_cli(tmp_path, module_plant_plan(), "--weeks", "12", "--json", "--csv", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    plant = load_example_subject("module-plant")
    expected = cyclecore.ramp(plant, module_plant_plan(), weeks=12)
    assert data == json.loads(json.dumps(expected.to_dict()))
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 12
    assert [float(r["expected_products_per_week"]) for r in rows] == [r.expected_products_per_week
                                                                      for r in expected.rows]


def test_order_weeks_move_a_change_and_its_landing(tmp_path):
    result = ramp_cli(tmp_path, module_plant_plan(), "--weeks", "12", "--order-week", "gen-1:Z2-S02-bond=4",
                      "--json")
    assert result.exit_code == 0, result.output
    changes = {c["name"]: c for c in json.loads(result.output)["changes"]}
    assert changes["gen-1:speed_up@Z2-S02-bond/R1"]["ordered_week"] == 4
    assert changes["gen-1:speed_up@Z2-S02-bond/R1"]["landing_week"] == 5  # lead time 1 week
    assert changes["gen-1:repair_programme@Z2-S02-bond"]["landing_week"] == 12
    assert changes["gen-1:speed_up@Z2-S03-inspect/R1"]["landing_week"] == 1


@pytest.mark.parametrize("plan, options, message", [
    # a change not in the line
    (dict(designs=[{"changes": [{"kind": "speed_up", "station": "Z9-nowhere", "robot": "R1", "override": 1.0}]}]),
     (), "plan: designs[0].changes[0]: line 'module-line' has no station 'Z9-nowhere'"),
    (dict(designs=[{"changes": [{"kind": "resequence", "station": "Z2-S02-bond", "robot": "R9"}]}]),
     (), "plan: designs[0].changes[0]: station 'Z2-S02-bond' has no robot 'R9'"),
    (None, ("--order-week", "Z9-nowhere=2"), "order_weeks['Z9-nowhere']: 'Z9-nowhere' names no change of this ramp"),
    # a negative week
    (None, ("--order-week", "gen-1:Z2-S02-bond=-3"), "--order-week 'gen-1:Z2-S02-bond=-3': got week -3, "
                                                     "expected a week >= 0"),
    (dict(ramp={"order_weeks": {"gen-2": -1}}), (), "plan: ramp.order_weeks.gen-2: got -1, expected a week >= 0"),
    (None, ("--order-week", "gen-1"), "--order-week 'gen-1': expected CHANGE=WEEK"),
    # a learning share outside (0, 1]
    (dict(ramp={"learning": {"speed_up": {"start": 1.5, "weeks": 2}}}), (),
     "plan: ramp.learning.speed_up.start: got 1.5, expected a share in (0, 1]"),
    (dict(ramp={"learning": {"gen-1:repair_programme@Z2-S02-bond": {"start": 0, "weeks": 2}}}), (),
     "plan: ramp.learning.gen-1:repair_programme@Z2-S02-bond.start: got 0, expected a share in (0, 1]"),
    (dict(ramp={"learning": {"speed_up": {"start": 0.5, "weeks": -1}}}), (),
     "plan: ramp.learning.speed_up.weeks: got -1, expected a time constant >= 0 weeks"),
    # a plan for another line
    (dict(fingerprint="0123456789abcdef"), (), "plan: designs[0]: made for another version of line 'module-line'"),
    (dict(kind="line"), (), "plan: made for a 'line', given a plant"),
    # the rest of the command line
    (None, ("--weeks", "0"), "weeks: got 0, expected an integer in [1, 520]"),
    (None, ("--shifts", "3y5"), "shifts: got '3y5', expected shift patterns like"),
    (None, ("--pool", "-4"), "--pool: got -4.0, expected a number of operators >= 0"),
    (None, ("--simulate", "--replications", "1"), "replications: got 1, expected an integer in [2, 1000]"),
])
def test_bad_input_names_the_field_and_exits_with_2(tmp_path, plan, options, message):
    data = module_plant_plan()
    if plan is not None:
        for key, value in plan.items():
            if key == "designs":
                data["designs"][0]["changes"] = value[0]["changes"]
            elif key == "fingerprint":
                data["designs"][0]["fingerprint"] = value
            else:
                data[key] = value
    result = ramp_cli(tmp_path, data, *options)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_a_plan_file_that_is_missing_or_not_a_plan_is_refused(tmp_path):
    missing = runner.invoke(app, ["ramp", "--example", "module-plant", "--plan", str(tmp_path / "none.json")])
    assert missing.exit_code == 2 and "plan file not found" in missing.output
    (tmp_path / "other.json").write_text('{"name": "not a plan"}')
    other = runner.invoke(app, ["ramp", "--example", "module-plant", "--plan", str(tmp_path / "other.json")])
    assert other.exit_code == 2 and "expected a plan written by `cyclecore optimize -o`" in other.output


def test_a_line_plan_on_another_line_is_refused(tmp_path):
    tutorial = cyclecore.load_example("tutorial")
    plan = {"kind": "line", "designs": [{"name": tutorial.name, "fingerprint": fingerprint(tutorial),
                                         "changes": [], "added_copies": 0}]}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    result = runner.invoke(app, ["ramp", "--example", "module-line", "--plan", str(path)])
    assert result.exit_code == 2
    assert "plan: designs[0].name: got 'tutorial', expected one of module-line" in result.output


@pytest.mark.slow
def test_the_readme_commands_end_to_end(tmp_path):
    """The README's two commands, through the installed console script."""
    def run(*args):
        done = subprocess.run([CLI, *args], cwd=tmp_path, capture_output=True, text=True, timeout=1200)
        assert "Traceback" not in done.stderr, done.stderr
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("optimize", "--example", "module-plant", "--target", "10000", "--workers", "2", "-o", "plan.json")
    text = run("ramp", "--example", "module-plant", "--plan", "plan.json")
    assert "module-plant: ramp over 52 weeks (products/week)" in text
    assert "target 10,000 products/week: first met week" in text
