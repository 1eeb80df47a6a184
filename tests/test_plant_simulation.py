"""Simulating a plant: independent lines whose outputs add up, replication by replication."""

from __future__ import annotations

import copy

import pytest

import cyclecore
from cyclecore.files.line_file import line_from_dict
from cyclecore.model.plant import Plant, PlantLine
from cyclecore.analysis.simulation import simulate_plant

from line_fixtures import valid_line


def _one_station_line(copies: int, reliability: dict | None) -> cyclecore.Line:
    data = copy.deepcopy(valid_line())
    data["stations"] = data["stations"][:1]
    data["stations"][0]["tasks"][1]["after"] = []
    data["identical_lines"] = copies
    if reliability is None:
        data["stations"][0].pop("reliability")
    else:
        data["stations"][0]["reliability"] = reliability
    return line_from_dict(data)


def _plant(*lines) -> Plant:
    return Plant("test-plant", tuple(PlantLine(f"design-{k}", line) for k, line in enumerate(lines)))


def test_plant_without_failures_makes_the_sum_of_its_copies_deterministic_output():
    a, b = _one_station_line(2, None), valid_line()
    b["stations"][0].pop("reliability")
    plant = _plant(a, line_from_dict(b))
    result = simulate_plant(plant, weeks=1.0, replications=3, seed=1)
    expected = sum(p.copies * cyclecore.analyze(p.line).units_per_week for p in plant.lines)
    assert result.deterministic_units_per_week == pytest.approx(expected, rel=1e-12)
    assert result.units_per_week == pytest.approx(expected, abs=3.0)  # within one part per copy


def test_one_station_lines_match_the_renewal_reward_formula():
    # operation-dependent failures on a lone station: each unit takes t·(1 + MTTR/MTBF) on average
    mtbf_h, mttr_min = 0.5, 6.0
    line = _one_station_line(3, {"mtbf_h": mtbf_h, "mttr_min": mttr_min})
    t = cyclecore.analyze(line).line_cycle_s
    hours = line.calendar.production_hours_per_week
    exact = 3 * hours * 3600 / (t * (1 + mttr_min * 60 / (mtbf_h * 3600)))
    result = simulate_plant(_plant(line), weeks=2.0, replications=20, seed=3)
    lo, hi = result.ci99_units_per_week
    assert lo <= exact <= hi, (lo, exact, hi)


def test_copies_are_independent_and_add_up():
    line = _one_station_line(3, {"mtbf_h": 0.5, "mttr_min": 6.0})
    result = simulate_plant(_plant(line), weeks=0.5, replications=4, seed=0)
    design = result.lines[0]
    assert len(set(design.units_per_week_per_copy)) == 3  # each copy has its own random numbers
    assert design.units_per_week == pytest.approx(sum(design.units_per_week_per_copy), rel=1e-12)
    assert result.units_per_week == pytest.approx(design.units_per_week, rel=1e-12)


def test_same_plant_and_seed_give_the_same_numbers():
    line = _one_station_line(2, {"mtbf_h": 1.0, "mttr_min": 10.0})
    first = simulate_plant(_plant(line), weeks=0.5, replications=3, seed=9).to_dict()
    assert simulate_plant(_plant(line), weeks=0.5, replications=3, seed=9).to_dict() == first


def test_plant_argument_must_be_a_plant():
    with pytest.raises(ValueError, match="plant: got a str, expected a cyclecore Plant"):
        simulate_plant("plant.yaml")
