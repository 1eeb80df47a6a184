"""A ramp simulator drives the API (acceptance 2): a tiny one, written here and not in the package,
steps 104 weeks through 50 scenarios of the module plant, asking ``Ramp.capacity`` each week for
what the plant makes with the changes it has decided have landed, at the maturity it has worked
out. Landing weeks, learning, installation downtime and the labour cap are its own code, from the
documented rules. Its weekly figures must be those of ``cyclecore ramp`` — the nominal schedule's
expected output, and the P10/P50/P90 over the same 50 scenarios.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

import cyclecore
from cyclecore.cli import app
from cyclecore.examples import load_example_subject
from cyclecore.plan.result import fingerprint
from cyclecore.ramp.labour import Labour

WEEKS = 104
SCENARIOS = 50
SEED = 11
POOL, HIRES, CREW = 100.0, 0.5, 6.0
ORDER = {"gen-2:line_duplicate": 2}


@pytest.fixture(scope="module")
def plant():
    return load_example_subject("module-plant")


@pytest.fixture(scope="module")
def plan(plant):
    """A plan file as `cyclecore optimize -o` writes it (its changes by hand): faster robots, a new
    bonding recipe (a declared option), a re-sequenced program, a buffer place and repair
    programmes; and one more gen-2 line, 78 weeks away."""
    gen1, gen2 = (entry.line for entry in plant.lines)
    return {"kind": "plant", "subject": plant.name, "target_products_per_week": 10_000.0, "designs": [
        {"name": "gen-1", "fingerprint": fingerprint(gen1), "added_copies": 0, "changes": [
            {"kind": "option", "option": "bond-bead-v2"},
            {"kind": "resequence", "station": "Z2-S03-inspect", "robot": "R1"},
            {"kind": "speed_up", "station": "Z2-S02-bond", "robot": "R1", "override": 1.0},
            {"kind": "speed_up", "station": "Z2-S02-bond", "robot": "R2", "override": 1.0},
            {"kind": "add_buffer", "station": "Z1-S01-cell-load", "places": 1},
            {"kind": "repair_programme", "station": "Z2-S02-bond"}]},
        {"name": "gen-2", "fingerprint": fingerprint(gen2), "added_copies": 1, "changes": [
            {"kind": "resequence", "station": "Z3-S02-screw", "robot": "R1"},
            {"kind": "repair_programme", "station": "Z1-S01-cell-load"}]}]}


@pytest.fixture(scope="module")
def ramp(plant, plan):
    return cyclecore.Ramp(plant, plan, order_weeks=ORDER,
                          labour=Labour(pool=POOL, hires_per_week=HIRES, crew_per_shift=CREW))


@pytest.fixture(scope="module")
def cli_result(plan, tmp_path_factory):
    path = tmp_path_factory.mktemp("ramp") / "plan.json"
    path.write_text(json.dumps(plan))
    result = CliRunner().invoke(app, [
        "ramp", "--example", "module-plant", "--plan", str(path), "--weeks", str(WEEKS), "--scenarios",
        str(SCENARIOS), "--seed", str(SEED), "--order-week", "gen-2:line_duplicate=2", "--pool", str(POOL),
        "--hires", str(HIRES), "--crew", str(CREW), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# ------------------------------------------------------------------ the tiny ramp simulator
def mean_maturity(k: int, start: float, tau: float) -> float:
    """The week's mean of 1 − (1 − m0)·exp(−t/τ), k whole weeks after landing."""
    if tau == 0:
        return 1.0
    return 1.0 - (1.0 - start) * tau * (math.exp(-k / tau) - math.exp(-(k + 1) / tau))


def simulate_ramp(ramp, lead_times, learning_weeks) -> list[float]:
    """Products per week over WEEKS weeks, deciding landings, learning, downtime and staffing here."""
    landing = [math.ceil(o + lead - 1e-9) for o, lead in zip(ramp.order_weeks, lead_times)]
    starts = [learning.start for learning in ramp.learning]
    shift_hours = 3 * 8.0 * 5  # the module lines' calendar: three 8-hour shifts, five days
    carried = {"gen-1": 0.0, "gen-2": 0.0}
    weekly = []
    for week in range(WEEKS):
        landed = [c.name for c, w in zip(ramp.changes, landing) if w <= week]
        maturity = {c.name: mean_maturity(week - w, m0, tau)
                    for c, w, m0, tau in zip(ramp.changes, landing, starts, learning_weeks) if w <= week}
        capacity = ramp.capacity(landed=landed, maturity=maturity)
        units = 0.0
        for line in capacity.lines:
            # installations landing this week stop every existing copy; 48 h a week are free
            pending = carried[line.line] + sum(c.price.downtime_h for c, w in zip(ramp.changes, landing)
                                               if w == week and c.design == line.line)
            over = max(0.0, pending - (168.0 - shift_hours))
            lost = min(shift_hours, over)
            carried[line.line] = over - lost
            units += line.copies * line.units_per_week_per_copy * (shift_hours - lost) / shift_hours
            units += line.added_copies_running * line.new_copy_units_per_week
        planned = 3 * 5.0
        needed = capacity.operators_per_shift * planned / 5.0
        pool = POOL + HIRES * week
        staffed = planned if pool >= needed else min(planned, math.floor(pool * 5.0 / capacity.operators_per_shift))
        weekly.append(units * staffed / planned / 4)  # four modules per car
    return weekly


def test_the_simulator_on_the_plans_own_schedule_makes_the_ramps_expected_weeks(ramp, cli_result):
    planned = simulate_ramp(ramp, [c.price.lead_time_weeks for c in ramp.changes], [l.weeks for l in ramp.learning])
    rows = cli_result["rows"]
    assert len(rows) == WEEKS
    for week, (mine, theirs) in enumerate(zip(planned, rows)):
        assert theirs["expected_products_per_week"] == pytest.approx(mine, rel=1e-9), f"week {week}"
    assert cli_result["cumulative_products"] == pytest.approx(sum(planned), rel=1e-9)
    # the new gen-2 line lands within the horizon and the pool cannot staff all its shifts
    landed = next(r for r in rows if "gen-2:line_duplicate" in r["landed"])
    assert landed["week"] == 2 + 78
    assert landed["shifts_staffed"] < landed["shifts_planned"] and landed["operators_short"] > 0


def test_fifty_scenarios_give_the_ramps_p10_p50_p90(ramp, cli_result):
    runs = np.array([simulate_ramp(ramp, s.lead_time_weeks, s.learning_weeks)
                     for s in ramp.scenarios(SCENARIOS, SEED)])
    assert runs.shape == (SCENARIOS, WEEKS)
    weekly = np.percentile(runs, [10, 50, 90], axis=0)
    cumulative = np.percentile(np.cumsum(runs, axis=1), [10, 50, 90], axis=0)
    rows = cli_result["rows"]
    for week, row in enumerate(rows):
        for k, p in enumerate((10, 50, 90)):
            assert row[f"p{p}_products_per_week"] == pytest.approx(weekly[k, week], rel=1e-9, abs=1e-9)
            assert row[f"p{p}_cumulative_products"] == pytest.approx(cumulative[k, week], rel=1e-9)
    # the scenarios differ: slips move landings, so the band is not a line
    assert np.any(weekly[2] - weekly[0] > 100.0)


def test_scenarios_are_a_fixed_function_of_the_seed_and_their_index(ramp):
    first = ramp.scenarios(5, SEED)
    again = ramp.scenarios(SCENARIOS, SEED)[:5]
    assert first == again
    assert ramp.scenarios(5, SEED + 1) != first
    # slips only delay; learning time constants spread around the plan
    planned = [c.price.lead_time_weeks for c in ramp.changes]
    for scenario in again:
        assert all(drawn >= lead for drawn, lead in zip(scenario.lead_time_weeks, planned))
