"""The command line: the table a line engineer reads, and the JSON a script reads."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import cyclecore
from cyclecore.cli import app

runner = CliRunner()


def test_analyze_prints_station_table_and_names_the_bottleneck():
    result = runner.invoke(app, ["analyze", "--example", "tutorial", "--target", "5000"])
    assert result.exit_code == 0, result.output
    expected = cyclecore.analyze(cyclecore.load_example("tutorial"), target=5000)
    assert f"bottleneck: {expected.bottleneck}, line cycle {expected.line_cycle_s:.2f} s" in result.output
    for station in expected.stations:
        assert station.name in result.output
    assert f"takt {expected.takt_s:.2f} s" in result.output


def test_analyze_json_is_the_api_result():
    result = runner.invoke(app, ["analyze", "--example", "tutorial", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    expected = cyclecore.analyze(cyclecore.load_example("tutorial")).to_dict()
    assert data == json.loads(json.dumps(expected))


def test_analyze_needs_exactly_one_line_source(tmp_path):
    neither = runner.invoke(app, ["analyze"])
    assert neither.exit_code == 2 and "give either a LINE file or --example" in neither.output
    both = runner.invoke(app, ["analyze", str(tmp_path / "x.yaml"), "--example", "tutorial"])
    assert both.exit_code == 2


def test_non_positive_target_is_rejected_before_any_work():
    result = runner.invoke(app, ["analyze", "--example", "tutorial", "--target", "0"])
    assert result.exit_code == 2
    assert "--target" in result.output


def test_plant_sums_the_copies_of_every_line_design():
    result = runner.invoke(app, ["plant", "--example", "module-plant", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    plant = cyclecore.load_plant(cyclecore.example_path("module-plant").parent / "plant.yaml")
    expected = sum(p.line.identical_lines * cyclecore.analyze(p.line).units_per_week for p in plant.lines)
    assert data["units_per_week"] == expected


def test_plant_command_refuses_a_single_line_example():
    result = runner.invoke(app, ["plant", "--example", "tutorial"])
    assert result.exit_code == 2
    assert "not a plant" in result.output


def test_sequence_writes_a_line_whose_analysis_matches_the_report(tmp_path):
    output = tmp_path / "resequenced.yaml"
    result = runner.invoke(app, ["sequence", "--example", "tutorial", "--time-limit", "0.2",
                                 "--output", str(output), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    new = cyclecore.analyze(cyclecore.load_line(output))
    for station in report["stations"]:
        assert new.station(station["station"]).cycle_s == station["cycle_after_s"]
        assert station["cycle_after_s"] <= station["cycle_before_s"]


def test_split_adds_robots_at_slots_and_never_slows_the_station(tmp_path):
    output = tmp_path / "split.json"
    result = runner.invoke(app, ["split", "--example", "tutorial", "--station", "ST20", "--robots", "2",
                                 "--time-limit", "0.5", "--output", str(output)])
    assert result.exit_code == 0, result.output
    line = cyclecore.load_line(output)
    assert len(line.station("ST20").robots) == 2
    before = cyclecore.analyze(cyclecore.load_example("tutorial")).station("ST20").cycle_s
    assert cyclecore.analyze(line).station("ST20").cycle_s <= before


def test_split_bad_requests_are_user_errors_and_write_nothing(tmp_path):
    output = tmp_path / "never.yaml"
    for args in (["--station", "NOPE", "--robots", "2"], ["--station", "ST20", "--robots", "0"],
                 ["--station", "ST20", "--robots", "9"]):
        result = runner.invoke(app, ["split", "--example", "tutorial", *args, "--output", str(output)])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
    assert not output.exists()


def test_simulate_same_seed_same_numbers_and_matches_the_api():
    args = ["simulate", "--example", "tutorial", "--weeks", "0.5", "--replications", "4", "--seed", "7", "--json"]
    first, second = runner.invoke(app, args), runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.output == second.output
    data = json.loads(first.output)
    expected = cyclecore.simulate(cyclecore.load_example("tutorial"), weeks=0.5, replications=4, seed=7)
    assert data["units_per_week"] == expected.units_per_week
    assert data["bottleneck_arrow"] == expected.bottleneck_arrow


def test_simulate_bad_options_are_user_errors():
    for args in (["--weeks", "0"], ["--replications", "1"], ["--failures", "cauchy"], ["--failure-clock", "moon"]):
        result = runner.invoke(app, ["simulate", "--example", "tutorial", *args])
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output


def test_rebalance_writes_a_line_whose_zone_is_no_slower(tmp_path):
    output = tmp_path / "rebalanced.yaml"
    result = runner.invoke(app, ["rebalance", "--example", "tutorial", "--zone", "1", "--time-limit", "2",
                                 "--output", str(output), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["zone_cycle_after_s"] <= report["zone_cycle_before_s"]
    after = cyclecore.analyze(cyclecore.load_line(output))
    assert max(s.cycle_s for s in after.stations) == report["zone_cycle_after_s"]


def test_rebalance_bad_requests_are_user_errors(tmp_path):
    output = tmp_path / "never.yaml"
    for args in (["--zone", "9"], ["--zone", "1", "--objective", "fastest"]):
        result = runner.invoke(app, ["rebalance", "--example", "tutorial", *args, "--output", str(output)])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
    assert not output.exists()


def test_plant_simulation_from_the_cli_is_the_api_result():
    result = runner.invoke(app, ["plant", "--example", "module-plant", "--simulate", "--weeks", "0.2",
                                 "--replications", "3", "--json"])
    assert result.exit_code == 0, result.output
    plant = cyclecore.load_plant(cyclecore.example_path("module-plant").parent / "plant.yaml")
    expected = cyclecore.simulate_plant(plant, weeks=0.2, replications=3, seed=0)
    assert json.loads(result.output)["units_per_week"] == expected.units_per_week
