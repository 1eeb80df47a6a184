"""A plant of different line designs: totals, shares and the target split, checked against
independent arithmetic on :func:`cyclecore.analyze` of each line; every bad plant file is a
LineFileError naming the file and the field."""

from __future__ import annotations

import json
import math

import pytest
import yaml
from line_fixtures import valid_line

import cyclecore
from cyclecore.model.errors import LineFileError
from cyclecore.examples import example_path
from cyclecore.analysis.plant import analyze_plant
from cyclecore.files.plant_file import PlantLineFileError, load_plant
from cyclecore.model.plant import Plant, PlantLine


# --------------------------------------------------------------------------- fixtures
def _gen1() -> dict:
    line = valid_line()
    line.update(name="gen-1-line", units_per_product=4, identical_lines=3)
    return line


def _gen2() -> dict:
    """A faster, more reliable design: shorter index times, both stations with reliability."""
    line = valid_line()
    line.update(name="gen-2-line", units_per_product=4, identical_lines=1)
    for station in line["stations"]:
        station["index_time_s"] = 1.5
        station["reliability"] = {"mtbf_h": 40.0, "mttr_min": 5.0}
    return line


def _write(path, data) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".json":
        path.write_text(json.dumps(data), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return str(path)


@pytest.fixture
def plant_folder(tmp_path):
    """plant/plant.yaml listing ../lines/gen1.yaml (3 copies) and ../lines/gen2.yaml (1 copy)."""
    _write(tmp_path / "lines" / "gen1.yaml", _gen1())
    _write(tmp_path / "lines" / "gen2.yaml", _gen2())
    plant = {"name": "test-plant", "description": "two designs",
             "lines": [{"file": "../lines/gen1.yaml", "name": "gen-1"}, {"file": "../lines/gen2.yaml"}]}
    _write(tmp_path / "plant" / "plant.yaml", plant)
    return tmp_path


def _plant_file(folder, plant: dict, name: str = "plant.yaml") -> str:
    return _write(folder / "plant" / name, plant)


def _oracle(folder):
    """Each line loaded and analysed on its own: (copies, Analysis) per design."""
    out = []
    for name in ("gen1.yaml", "gen2.yaml"):
        line = cyclecore.load_line(folder / "lines" / name)
        out.append((line.identical_lines, cyclecore.analyze(line)))
    return out


# --------------------------------------------------------------------------- loading
def test_plant_file_lists_line_designs_and_copies_come_from_identical_lines(plant_folder):
    plant = load_plant(plant_folder / "plant" / "plant.yaml")
    assert plant.name == "test-plant" and plant.description == "two designs"
    assert [p.name for p in plant.lines] == ["gen-1", "gen-2-line"]  # entry name, else the line's name
    assert [p.copies for p in plant.lines] == [3, 1]
    assert plant.units_per_product == 4
    assert plant.lines[0].file == str((plant_folder / "lines" / "gen1.yaml").resolve())


def test_plant_file_may_be_json(plant_folder):
    path = _plant_file(plant_folder, {"name": "json-plant", "lines": [{"file": "../lines/gen2.yaml"}]},
                       "plant.json")
    plant = load_plant(path)
    assert plant.name == "json-plant" and [p.copies for p in plant.lines] == [1]


# --------------------------------------------------------------------------- analysis
def test_plant_units_per_week_are_copies_times_each_designs_units(plant_folder):
    a = analyze_plant(load_plant(plant_folder / "plant" / "plant.yaml"))
    oracle = _oracle(plant_folder)
    units = sum(copies * x.units_per_week for copies, x in oracle)
    assert a.units_per_week == pytest.approx(units, rel=1e-12)
    assert a.products_per_week == pytest.approx(units / 4, rel=1e-12)
    assert a.units_per_week_no_buffers == pytest.approx(
        sum(c * x.units_per_week_no_buffers for c, x in oracle), rel=1e-12)
    assert a.products_per_week_ample_buffers == pytest.approx(
        sum(c * x.units_per_week_ample_buffers for c, x in oracle) / 4, rel=1e-12)
    for result, (copies, x) in zip(a.lines, oracle):
        assert result.copies == copies
        assert result.line_cycle_s == x.line_cycle_s and result.bottleneck == x.bottleneck
        assert result.units_per_week == x.units_per_week
        assert result.design_units_per_week == pytest.approx(copies * x.units_per_week, rel=1e-12)
        assert result.share == pytest.approx(copies * x.units_per_week / units, rel=1e-12)
    assert math.fsum(r.share for r in a.lines) == pytest.approx(1.0, abs=1e-12)
    assert a.target_products_per_week is None and a.short_lines is None and a.lines[0].takt_s is None


def test_target_is_split_in_proportion_to_capacity(plant_folder):
    a = analyze_plant(load_plant(plant_folder / "plant" / "plant.yaml"), target=1000)
    oracle = _oracle(plant_folder)
    units = sum(c * x.units_per_week for c, x in oracle)
    hours_s = 2 * 8.0 * 5 * 3600  # calendar of the fixture lines, no planned downtime
    assert a.target_units_per_week == 4000
    assert a.gap_products_per_week == pytest.approx(1000 - units / 4, rel=1e-12)
    for result, (copies, x) in zip(a.lines, oracle):
        need = 4000 * x.units_per_week / units  # per copy: its capacity's share of the plant target
        assert result.target_units_per_week == pytest.approx(need, rel=1e-12)
        assert result.takt_s == pytest.approx(hours_s / need, rel=1e-12)
        assert result.gap_s == pytest.approx(x.line_cycle_s - hours_s / need, rel=1e-12)
        assert result.gap_units_per_week == pytest.approx(need - x.units_per_week, rel=1e-9)
    assert math.fsum(r.copies * r.target_units_per_week for r in a.lines) == pytest.approx(4000, rel=1e-12)


def test_plant_short_at_full_availability_means_every_design_short_of_its_share(plant_folder):
    plant = load_plant(plant_folder / "plant" / "plant.yaml")
    capacity = analyze_plant(plant).products_per_week
    short = analyze_plant(plant, target=capacity * 1.01)
    enough = analyze_plant(plant, target=capacity * 0.99)
    assert short.gap_products_per_week == pytest.approx(capacity * 0.01, rel=1e-9)
    assert short.short_lines == ("gen-1", "gen-2-line")
    assert enough.short_lines == ()
    assert all(r.gap_s > 0 for r in short.lines) and all(r.gap_s < 0 for r in enough.lines)


def test_design_with_poorer_availability_falls_short_of_its_share_first(plant_folder):
    plant = load_plant(plant_folder / "plant" / "plant.yaml")
    oracle = _oracle(plant_folder)
    # With a proportional split a design is short by an estimate when
    # target × units_per_product / plant units > its estimate / its units at 100 %.
    ratio = [x.units_per_week_ample_buffers / x.units_per_week for _, x in oracle]
    assert ratio[0] < ratio[1]  # gen-1 fails more (MTBF 5 h vs 40 h)
    units = sum(c * x.units_per_week for c, x in oracle)
    target = units / 4 * (ratio[0] + ratio[1]) / 2
    a = analyze_plant(plant, target=target)
    assert a.short_lines == ()
    assert a.short_lines_ample_buffers == ("gen-1",)
    no_buffer_ratio = [x.units_per_week_no_buffers / x.units_per_week for _, x in oracle]
    expected = tuple(name for name, r in zip(("gen-1", "gen-2-line"), no_buffer_ratio)
                     if target * 4 / units > r)
    assert a.short_lines_no_buffers == expected
    assert a.gap_products_per_week_ample_buffers == pytest.approx(
        target - sum(c * x.units_per_week_ample_buffers for c, x in oracle) / 4, rel=1e-9)


def test_plant_analysis_round_trips_through_json_and_is_deterministic(plant_folder):
    plant = load_plant(plant_folder / "plant" / "plant.yaml")
    a = analyze_plant(plant, target=900)
    data = a.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["products_per_week"] == a.products_per_week
    assert [d["name"] for d in data["lines"]] == ["gen-1", "gen-2-line"]
    assert data["lines"][1]["takt_s"] == a.lines[1].takt_s
    assert analyze_plant(load_plant(plant_folder / "plant" / "plant.yaml"), target=900).to_dict() == data


def test_printed_plant_analysis_shows_each_design_and_the_totals(plant_folder):
    a = analyze_plant(load_plant(plant_folder / "plant" / "plant.yaml"), target=900)
    text = str(a)
    assert "test-plant" in text and "gen-1" in text and "gen-2-line" in text
    assert f"{a.units_per_week:,.0f} units/week" in text
    assert f"{a.products_per_week:,.0f} products/week" in text
    verdict = "short by" if a.gap_products_per_week > 0 else "to spare"
    assert verdict in text


# --------------------------------------------------------------------------- the seed facts
@pytest.fixture(scope="module")
def module_plant():
    return analyze_plant(load_plant(example_path("module-plant").parent / "plant.yaml"), target=10000)


def test_module_plant_is_three_gen1_lines_and_one_gen2_line_of_four_modules_per_car(module_plant):
    a = module_plant
    assert [(r.name, r.copies) for r in a.lines] == [("gen-1", 3), ("gen-2", 1)]
    assert a.units_per_product == 4
    gen1 = cyclecore.analyze(cyclecore.load_example("module-line"))
    gen2 = cyclecore.analyze(cyclecore.load_example("module-plant"))
    units = 3 * gen1.units_per_week + gen2.units_per_week
    assert a.units_per_week == pytest.approx(units, rel=1e-12)
    assert a.products_per_week == pytest.approx(units / 4, rel=1e-12)


def test_gen2_line_makes_about_three_times_one_existing_line(module_plant):
    gen1, gen2 = module_plant.line("gen-1"), module_plant.line("gen-2")
    assert 3 * 0.85 <= gen2.units_per_week / gen1.units_per_week <= 3 * 1.15
    # … i.e. about as much as the other three lines combined
    assert 0.85 <= gen2.design_units_per_week / gen1.design_units_per_week <= 1.15


def test_module_plant_reaches_10000_cars_per_week_only_at_full_availability(module_plant):
    a = module_plant
    assert a.products_per_week >= 10000 and a.short_lines == ()
    # with failures it falls short: the seed's "least lucky" processes
    assert a.products_per_week_ample_buffers < 10000
    assert a.short_lines_ample_buffers == ("gen-1", "gen-2")


# --------------------------------------------------------------------------- bad input
def _problem_paths(error: LineFileError) -> list[str]:
    return [p.path for p in error.problems]


def test_missing_plant_file_is_named(tmp_path):
    with pytest.raises(LineFileError) as caught:
        load_plant(tmp_path / "nope.yaml")
    assert caught.value.file == str(tmp_path / "nope.yaml")
    assert "file not found" in str(caught.value)


@pytest.mark.parametrize("text, fragment", [
    ("name: [unclosed\n", "invalid YAML at line"),
    ("- just\n- a list\n", "expected a mapping with 'name' and 'lines'"),
])
def test_malformed_plant_yaml_is_a_user_error(tmp_path, text, fragment):
    path = tmp_path / "plant.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LineFileError) as caught:
        load_plant(path)
    assert caught.value.file == str(path) and fragment in str(caught.value)


def test_malformed_plant_json_is_a_user_error(tmp_path):
    path = tmp_path / "plant.json"
    path.write_text('{"name": "p", "lines": [', encoding="utf-8")
    with pytest.raises(LineFileError, match="invalid JSON at line 1"):
        load_plant(path)


@pytest.mark.parametrize("plant, path, fragment", [
    ({"name": "p", "lines": []}, "lines", "at least one line entry"),
    ({"name": "p"}, "lines", "required field is missing"),
    ({"lines": [{"file": "../lines/gen1.yaml"}]}, "name", "required field is missing"),
    ({"name": "", "lines": [{"file": "../lines/gen1.yaml"}]}, "name", "non-empty text"),
    ({"name": "p", "lines": "gen1.yaml"}, "lines", "expected a list"),
    ({"name": "p", "lines": ["../lines/gen1.yaml"]}, "lines[0]", "expected a mapping {file: line.yaml}"),
    ({"name": "p", "lines": [{"name": "x"}]}, "lines[0].file", "required field is missing"),
    ({"name": "p", "lines": [{"file": 3}]}, "lines[0].file", "expected a line file path"),
    ({"name": "p", "lines": [{"file": "../lines/gen1.yaml", "copies": 3}]}, "lines[0].copies",
     "the number of copies is the line file's identical_lines"),
    ({"name": "p", "lines": [{"file": "../lines/gen1.yaml", "name": ""}]}, "lines[0].name", "non-empty text"),
    ({"name": "p", "lines": [{"file": "../lines/gen1.yaml"}], "shifts": 3}, "shifts", "unknown field"),
    ({"name": "p", "lines": [{"file": "../lines/gen1.yaml"}, {"file": "../lines/missing.yaml"}]},
     "lines[1].file", "not found"),
    ({"name": "p", "lines": [{"file": "../lines/gen1.yaml"}, {"file": "../lines/../lines/gen1.yaml"}]},
     "lines[1].file", "same line file as lines[0].file"),
    ({"name": "p", "lines": [{"file": "../lines/gen1.yaml", "name": "a"}, {"file": "../lines/gen2.yaml", "name": "a"}]},
     "lines[1].name", "line names must be unique in the plant (also lines[0])"),
], ids=["empty-lines", "no-lines", "no-name", "empty-name", "lines-not-list", "entry-not-mapping",
        "entry-without-file", "file-not-text", "second-count", "empty-entry-name", "unknown-field",
        "missing-line-file", "same-file-twice", "duplicate-names"])
def test_bad_plant_file_names_the_file_and_the_field(plant_folder, plant, path, fragment):
    file = _plant_file(plant_folder, plant, "bad.yaml")
    with pytest.raises(LineFileError) as caught:
        load_plant(file)
    error = caught.value
    assert error.file == file and not isinstance(error, PlantLineFileError)
    assert path in _problem_paths(error)
    assert fragment in str(error)


def test_two_files_with_the_same_line_name_need_entry_names(plant_folder):
    twin = _gen2()
    twin["name"] = "gen-1-line"
    _write(plant_folder / "lines" / "twin.yaml", twin)
    file = _plant_file(plant_folder, {"name": "p", "lines": [{"file": "../lines/gen1.yaml"},
                                                             {"file": "../lines/twin.yaml"}]}, "bad.yaml")
    with pytest.raises(LineFileError) as caught:
        load_plant(file)
    assert _problem_paths(caught.value) == ["lines[1].name"]
    assert "give the entry its own 'name'" in str(caught.value)


def test_lines_making_a_different_unit_cannot_share_a_plant(plant_folder):
    other = _gen2()
    other["units_per_product"] = 2
    _write(plant_folder / "lines" / "pairs.yaml", other)
    file = _plant_file(plant_folder, {"name": "p", "lines": [{"file": "../lines/gen1.yaml"},
                                                             {"file": "../lines/pairs.yaml"}]}, "bad.yaml")
    with pytest.raises(LineFileError) as caught:
        load_plant(file)
    error = caught.value
    assert error.file == file and _problem_paths(error) == ["lines[1].file"]
    message = str(error)
    assert "units_per_product is 2" in message and "but 4 in lines[0].file" in message
    assert "pairs.yaml" in message and "gen1.yaml" in message


def test_problem_inside_a_line_file_names_the_line_file_its_field_and_the_plant(plant_folder):
    broken = _gen2()
    broken["stations"][1]["index_time_s"] = -1.0
    line_file = _write(plant_folder / "lines" / "broken.yaml", broken)
    file = _plant_file(plant_folder, {"name": "p", "lines": [{"file": "../lines/gen1.yaml"},
                                                             {"file": "../lines/broken.yaml"}]}, "bad.yaml")
    with pytest.raises(LineFileError) as caught:
        load_plant(file)
    error = caught.value
    assert isinstance(error, PlantLineFileError)
    assert error.file == str((plant_folder / "lines" / "broken.yaml").resolve())
    assert error.plant_file == file and error.field == "lines[1].file"
    assert _problem_paths(error) == ["stations[1].index_time_s"]
    message = str(error)
    assert file in message and "lines[1].file" in message and line_file.split("/")[-1] in message
    assert "stations[1].index_time_s: got -1.0" in message


@pytest.mark.parametrize("target", [0, -5, float("nan"), float("inf"), "1000", True])
def test_target_must_be_a_positive_number_of_products(plant_folder, target):
    plant = load_plant(plant_folder / "plant" / "plant.yaml")
    with pytest.raises(ValueError, match="target: got .*, expected a positive number of products per week"):
        analyze_plant(plant, target=target)


def test_analyze_plant_needs_a_plant(plant_folder):
    with pytest.raises(ValueError, match="plant: got a Line, expected a cyclecore Plant"):
        analyze_plant(cyclecore.load_line(plant_folder / "lines" / "gen1.yaml"))


def test_plant_built_in_memory_checks_names_and_units(plant_folder):
    gen1 = cyclecore.load_line(plant_folder / "lines" / "gen1.yaml")
    pairs = gen1.evolve(units_per_product=2)
    with pytest.raises(ValueError, match=r"lines\[1\].file: got 2, units_per_product is 2"):
        Plant("p", (PlantLine("a", gen1), PlantLine("b", pairs)))
    with pytest.raises(ValueError, match=r"lines\[1\].name: .*must be unique"):
        Plant("p", (PlantLine("a", gen1), PlantLine("a", gen1)))
    with pytest.raises(ValueError, match="non-empty sequence"):
        Plant("p", ())
    plant = Plant("p", [PlantLine("a", gen1)])
    assert plant.lines == (PlantLine("a", gen1),)
    assert analyze_plant(plant).units_per_week == pytest.approx(3 * cyclecore.analyze(gen1).units_per_week)
