"""The bundled examples: reproducible, loadable, and shaped like the facts they stand for."""

from __future__ import annotations


import pytest

import cyclecore
from cyclecore.examples import EXAMPLES, example_path
from cyclecore.examples.generate import render


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_shipped_example_files_are_exactly_what_the_seeded_generator_makes(name):
    folder = example_path(name).parent
    for relative, text in render(name).items():
        assert (folder / relative).read_text(encoding="utf-8") == text, f"{name}/{relative} is stale"


@pytest.fixture(scope="module")
def module_line_analysis():
    return cyclecore.analyze(cyclecore.load_example("module-line"), target=5000)


def test_module_line_three_lines_make_about_5000_cars_per_week(module_line_analysis):
    a = module_line_analysis
    assert a.identical_lines == 3 and a.units_per_product == 4
    assert 4500 <= a.products_per_week <= 5500


def test_module_line_zones_1_and_2_constrain_zone_2_worst(module_line_analysis):
    by_zone: dict = {}
    for s in module_line_analysis.stations:
        by_zone.setdefault(s.zone, []).append(s.effective_cycle_s)
    slowest = {zone: max(cycles) for zone, cycles in by_zone.items()}
    assert module_line_analysis.station(module_line_analysis.bottleneck).zone == 2
    assert min(slowest[1], slowest[2]) > max(slowest[3], slowest[4])
    # zones 3 and 4 are already capable of 6,000-7,000 cars/week (SEED_FACTS)
    hours_s = module_line_analysis.production_hours_per_week * 3600
    for zone in (3, 4):
        cars = hours_s / slowest[zone] * 3 / 4
        assert 6000 <= cars <= 7000, (zone, cars)


def test_body_shop_is_a_robot_dense_welding_line():
    line = cyclecore.load_example("body-shop")
    assert len(line.stations) >= 20
    assert sum(len(s.robots) for s in line.stations) >= 60
    assert sum(len(s.tasks) for s in line.stations) >= 1500
    assert all(t.pose is not None and t.process_time_s > 0 for s in line.stations for t in s.tasks)
    spot_lists = list((example_path("body-shop").parent / "spots").glob("*.csv"))
    assert len(spot_lists) == len(line.stations)


def test_examples_are_listed_by_the_cli():
    from typer.testing import CliRunner

    from cyclecore.cli import app

    result = CliRunner().invoke(app, ["examples"])
    assert result.exit_code == 0
    for name in EXAMPLES:
        assert name in result.output


def test_unknown_example_is_a_user_error():
    from typer.testing import CliRunner

    from cyclecore.cli import app

    result = CliRunner().invoke(app, ["analyze", "--example", "moon-base"])
    assert result.exit_code == 2
    assert "unknown example 'moon-base'" in result.output
    assert "Traceback" not in result.output
