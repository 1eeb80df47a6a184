"""Report charts and pages without a browser: each chart's figures are the result's figures, the
page fetches and runs nothing, names are escaped, files are whole or absent, and the command
line refuses bad input with exit code 2.

The browser half (the pages opened in chromium, bar heights read back from the SVG) is
tests/test_report_browser.py.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import numpy as np
import pytest
from line_fixtures import valid_line
from typer.testing import CliRunner

import cyclecore
from cyclecore.cli import app
from cyclecore.files.line_file import line_from_dict
from cyclecore.report import (Simulate, buffer_levels, capex_curve, gantt, plan_from_dict, ramp_s_curve, report_html,
                              robot_paths, station_schedule, station_states, yamazumi)

runner = CliRunner()
SMALL_PLAN = cyclecore.Levers(options=False, rebalance=False, speed=False, robots=False, duplicate_station=False,
                              max_buffer_places=1, repair_programme=False, added_lines=1)


@pytest.fixture(scope="module")
def tutorial():
    return cyclecore.load_example("tutorial")


@pytest.fixture(scope="module")
def module_line():
    return cyclecore.load_example("module-line")


@pytest.fixture(scope="module")
def plan(tutorial):
    return cyclecore.optimize(tutorial, target=9000, weeks=0.2, replications=3, levers=SMALL_PLAN)


def _figures(page: str) -> list[dict]:
    """Every chart of a page: its id, kind and the figures in its data-chart attribute."""

    class Charts(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "figure" and "data-chart" in attrs:
                self.found.append({"id": attrs["id"], "kind": attrs["data-kind"],
                                   "data": json.loads(attrs["data-chart"])})

    parser = Charts()
    parser.feed(page)
    return parser.found


# --------------------------------------------------------------------------- yamazumi


def test_yamazumi_bars_are_the_analysis_figures_and_sum_to_the_station_cycle(module_line):
    analysis = cyclecore.analyze(module_line, target=10_000)
    chart = yamazumi(analysis)
    (panel,) = chart.data["panels"]
    assert panel["bottleneck"] == analysis.bottleneck
    assert panel["takt_s"] == analysis.takt_s
    assert [b["name"] for b in panel["bars"]] == [s.name for s in analysis.stations]
    fixed_work = 0
    for bar, station in zip(panel["bars"], analysis.stations):
        robots_set_it = station.slowest_robot is not None
        assert (bar["motion"], bar["process"], bar["logic"]) == (station.motion_s, station.process_s, station.logic_s)
        assert bar["fixed"] == (0.0 if robots_set_it else station.fixed_s)
        assert bar["index"] == station.index_s and bar["waiting"] == 0.0
        stacked = sum(bar[s] for s in chart.data["segments"])
        assert stacked == pytest.approx(station.cycle_s, rel=1e-12)
        fixed_work += not robots_set_it
    assert fixed_work >= 1  # the end-of-line test bench: its fixed work is the whole bar
    for i in range(len(panel["bars"])):
        for segment in chart.data["segments"]:
            assert f'id="yamazumi-p0-b{i}-{segment}"' in chart.image
    assert 'id="yamazumi-p0-takt"' in chart.image and 'id="yamazumi-p0-bottleneck"' in chart.image


def test_yamazumi_per_robot_ends_every_bar_at_the_station_cycle(tutorial):
    analysis = cyclecore.analyze(tutorial)
    station = analysis.station("ST10")
    chart = yamazumi(analysis, station="ST10")
    bars = chart.data["panels"][0]["bars"]
    assert [b["name"] for b in bars] == [r.robot for r in station.robots]
    for bar, robot in zip(bars, station.robots):
        assert (bar["motion"], bar["process"], bar["logic"]) == (robot.motion_s, robot.process_s, robot.logic_s)
        assert sum(bar[s] for s in chart.data["segments"]) == pytest.approx(station.cycle_s, rel=1e-12)
    assert chart.data["panels"][0]["bottleneck"] == station.slowest_robot
    assert "takt_s" not in chart.data["panels"][0]  # no target, no takt line
    with pytest.raises(KeyError, match="ST10, ST20"):
        yamazumi(analysis, station="ST99")


def test_yamazumi_marks_a_parallel_station_at_its_effective_cycle(tutorial):
    doubled = tutorial.with_station(tutorial.station("ST20").evolve(parallel=2))
    chart = yamazumi(cyclecore.analyze(doubled))
    bar = chart.data["panels"][0]["bars"][1]
    assert bar["parallel"] == 2 and bar["effective_cycle_s"] == pytest.approx(bar["cycle_s"] / 2)
    assert 'id="yamazumi-p0-b1-effective"' in chart.image
    assert chart.data["panels"][0]["bottleneck"] == "ST10"  # by effective cycle, not the taller bar


def test_yamazumi_before_and_after_share_one_scale(tutorial, plan):
    before = cyclecore.analyze(tutorial, target=9000)
    after = cyclecore.analyze(plan.apply(tutorial), target=9000)
    chart = yamazumi(before, after)
    assert [p["name"] for p in chart.data["panels"]] == ["before", "after"]
    scales = chart.data["axes"]
    assert scales["p0"]["y_per_unit"] == pytest.approx(scales["p1"]["y_per_unit"])
    assert chart.data["panels"][1]["bars"][1]["cycle_s"] == after.station("ST20").cycle_s


def test_a_bad_argument_names_itself():
    with pytest.raises(ValueError, match="analysis: got a str, expected a cyclecore Analysis"):
        yamazumi("line")
    with pytest.raises(ValueError, match="format: got 'jpg'"):
        yamazumi(cyclecore.analyze(cyclecore.load_example("tutorial")), format="jpg")


# --------------------------------------------------------------------------- Gantt and paths


def test_gantt_without_precedence_between_robots_is_the_analysis(tutorial):
    station = cyclecore.analyze(tutorial).station("ST10")
    schedule = station_schedule(tutorial, "ST10")
    assert schedule["cycle_s"] == pytest.approx(station.cycle_s, rel=1e-9)
    for row, robot in zip(schedule["robots"], station.robots):
        assert row["robot"] == robot.robot
        assert row["motion_s"] == pytest.approx(robot.motion_s, rel=1e-9)
        assert row["cycle_s"] == pytest.approx(robot.cycle_s, rel=1e-9)
        segments = row["segments"]
        assert segments[0]["start_s"] == 0.0 and segments[-1]["end_s"] == pytest.approx(schedule["cycle_s"])
        for a, b in zip(segments, segments[1:]):  # one robot does one thing at a time, without gaps
            assert b["start_s"] == pytest.approx(a["end_s"], abs=1e-12)
        assert not any(s["kind"] == "wait" for s in segments)
        assert [s["task"] for s in segments if s["kind"] == "process"] == \
            [t.name for t in tutorial.station("ST10").tasks_of(robot.robot)]


def test_gantt_robot_waits_for_a_predecessor_on_another_robot():
    data = valid_line()
    data["stations"][1]["tasks"][1]["after"] = ["c"]  # R2's task d waits for R1's task c
    line = line_from_dict(data)
    schedule = station_schedule(line, "S2")
    r1, r2 = schedule["robots"]
    # The two arms are mirror images (joint 1 at +30 and -30 deg from the same home), so they arrive
    # together; d then waits exactly c's process time, 1.0 s, and the station is 1.0 s slower
    # than the analysis, which lets robots work independently.
    (wait,) = [s for s in r2["segments"] if s["kind"] == "wait"]
    assert wait["task"] == "d" and wait["end_s"] - wait["start_s"] == pytest.approx(1.0, abs=1e-9)
    assert r2["cycle_s"] == pytest.approx(r1["cycle_s"] + 1.0, abs=1e-9)
    chart = gantt(line, "S2")
    analysis_cycle = cyclecore.analyze(line).station("S2").cycle_s
    assert chart.data["analysis_cycle_s"] == analysis_cycle
    assert chart.data["cycle_s"] == pytest.approx(analysis_cycle + 1.0, abs=1e-9)
    assert "1.00 s longer than the analysis" in chart.title


def test_robot_paths_are_the_programs_tcp_targets_in_order(tutorial):
    chart = robot_paths(tutorial, "ST10")
    station = cyclecore.analyze(tutorial).station("ST10")
    (panel,) = chart.data["panels"]
    for robot, figures in zip(panel["robots"], station.robots):
        tasks = tutorial.station("ST10").tasks_of(robot["robot"])
        assert [t["task"] for t in robot["tasks"]] == [t.name for t in tasks]
        assert [t["order"] for t in robot["tasks"]] == list(range(1, len(tasks) + 1))
        assert np.allclose([[t["x"], t["y"], t["z"]] for t in robot["tasks"]], [t.pose.xyz_m for t in tasks])
        assert robot["tcp_path_m"] == pytest.approx(figures.tcp_path_m, rel=1e-9)
    for r in range(len(panel["robots"])):
        assert f'id="paths-p0-r{r}-top"' in chart.image and f'id="paths-p0-r{r}-side"' in chart.image


def test_robot_paths_before_and_after_resequencing_number_the_new_order(tutorial):
    change = cyclecore.sequence(tutorial, station="ST20", time_limit=0.2)
    chart = robot_paths(tutorial, "ST20", after=change.line)
    before, after = chart.data["panels"]
    new_order = [t.name for t in change.line.station("ST20").tasks_of("R1")]
    assert [t["task"] for t in after["robots"][0]["tasks"]] == new_order
    assert after["robots"][0]["tcp_path_m"] == pytest.approx(change.robots[0].tcp_path_after_m, rel=1e-9)
    assert before["robots"][0]["tcp_path_m"] == pytest.approx(change.robots[0].tcp_path_before_m, rel=1e-9)


# --------------------------------------------------------------------------- simulation and plan


def test_station_states_and_buffers_are_the_simulation_figures(tutorial):
    simulation = cyclecore.simulate(tutorial, weeks=0.2, replications=3)
    states = station_states(simulation).data
    for drawn, station in zip(states["stations"], simulation.stations):
        assert drawn["name"] == station.name
        assert [drawn[s] for s in states["states"]] == [station.working, station.blocked, station.starved,
                                                       station.failed, station.bypassed]
        assert sum(drawn[s] for s in states["states"]) == pytest.approx(1.0)
    assert states["bottleneck"] == simulation.bottleneck_active_period
    (buffer,) = buffer_levels(simulation).data["buffers"]
    figures = simulation.buffers[0]
    assert (buffer["after"], buffer["places"], buffer["mean_level"], buffer["empty"], buffer["full"]) == \
        (figures.after, figures.places, figures.mean_level, figures.empty_share, figures.full_share)
    assert buffer["empty"] + buffer["between"] + buffer["full"] == pytest.approx(1.0)


def test_capex_curve_carries_the_plan_curve_today_target_plan_and_options(plan):
    chart = capex_curve(plan)
    data = chart.data
    assert [(p["capex"], p["products_per_week"], p["mean_products_per_week"], p["deterministic_products_per_week"],
             p["added_lines"], p["changes"]) for p in data["points"]] == \
        [(p.capex, p.products_per_week, p.mean_products_per_week, p.deterministic_products_per_week, p.added_lines,
          p.changes) for p in plan.curve]
    assert data["today"] == {"capex": 0.0, "products_per_week": plan.today_products_per_week}
    assert data["chosen"] == {"capex": plan.capex, "products_per_week": plan.products_per_week, "reached": True}
    assert data["target_products_per_week"] == plan.target_products_per_week
    assert data["options"]["accelerate"]["capex"] == plan.verdict.accelerate.capex
    assert data["options"]["duplicate"]["products_per_week"] == plan.verdict.duplicate.products_per_week
    for gid in ("capex-today", "capex-target", "capex-chosen", "capex-accelerate", "capex-duplicate",
                f"capex-point-{len(plan.curve) - 1}"):
        assert f'id="{gid}"' in chart.image


def test_a_plan_file_reads_back_as_the_same_plan(plan):
    data = json.loads(json.dumps(plan.to_dict(), allow_nan=False))
    assert plan_from_dict(data) == plan
    del data["curve"]
    with pytest.raises(ValueError, match=r"plan.json: curve: missing"):
        plan_from_dict(data, "plan.json")
    broken = json.loads(json.dumps(plan.to_dict()))
    broken["designs"][0]["changes"][0]["kind"] = "teleport"
    with pytest.raises(ValueError, match=r"designs\[0\]\.changes\[0\]"):
        plan_from_dict(broken)


def test_ramp_s_curve_carries_the_ramp_rows(tutorial, plan):
    ramp = cyclecore.ramp(tutorial, plan, weeks=12, scenarios=10, seed=3)
    chart = ramp_s_curve(ramp)
    rows = chart.data["rows"]
    assert [r["week"] for r in rows] == [w.week for w in ramp.rows]
    for drawn, week in zip(rows, ramp.rows):
        assert (drawn["expected_products_per_week"], drawn["cumulative_products"], drawn["capacity_products_per_week"],
                drawn["landed"]) == (week.expected_products_per_week, week.cumulative_products,
                                     week.capacity_products_per_week, list(week.landed))
        assert (drawn["p10_products_per_week"], drawn["p90_products_per_week"]) == \
            (week.p10_products_per_week, week.p90_products_per_week)
    assert chart.data["target_products_per_week"] == ramp.target_products_per_week
    landed = [w.week for w in ramp.rows if w.landed]
    assert landed and all(f'id="ramp-landed-{w}"' in chart.image for w in landed)
    for gid in ("ramp-weekly", "ramp-cumulative", "ramp-band", "ramp-target"):
        assert f'id="{gid}"' in chart.image
    plain = cyclecore.ramp(tutorial, plan, weeks=6)  # no scenarios: no band
    assert 'id="ramp-band"' not in ramp_s_curve(plain).image
    assert "p10_products_per_week" not in ramp_s_curve(plain).data["rows"][0]


# --------------------------------------------------------------------------- the page


def _named_line():
    """The escaping case: station, robot and task names with markup, quotes and ampersands."""
    data = valid_line()
    station, robot, task = ('S1 <script>window.__pwned=1</script>', 'R"1\' & <b>bold</b> id="x"',
                            'a <img src=x onerror="window.__pwned=2"> & "b"')
    data["stations"][0]["name"] = station
    data["stations"][0]["robots"][0]["name"] = robot
    data["stations"][0]["tasks"][0]["name"] = task
    data["stations"][0]["tasks"][1]["after"] = [task]
    data["name"] = "line <i>&amp;</i>"
    return line_from_dict(data), (station, robot, task)



def test_the_page_fetches_and_runs_nothing_and_every_chart_is_there(tutorial, plan):
    page = report_html(tutorial, plan=plan, simulate=Simulate(weeks=0.2, replications=3))
    assert page.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "<script" not in page.lower()
    assert not re.search(r'(?:src|href)="(?!#|data:)', page), "every reference is an anchor or inline data"
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    kinds = [f["kind"] for f in _figures(page)]
    assert kinds == ["yamazumi", "yamazumi", "gantt", "robot_paths", "station_states", "buffer_levels",
                     "capex_curve", "yamazumi", "robot_paths", "gantt"]
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "an id repeats in the page"


def test_names_are_escaped_everywhere_in_the_page():
    line, names = _named_line()
    page = report_html(line, simulate=Simulate(weeks=0.1, replications=2))
    assert "<script" not in page and "<img" not in page and "<b>" not in page and "<i>" not in page
    for name in names:
        assert html.escape(name, quote=False) in page or html.escape(name) in page
    # the station with the names is the bottleneck, so every robot chart shows them; the charts'
    # figures carry them exactly as written
    assert cyclecore.analyze(line).bottleneck == names[0]
    strings = set()

    def collect(value):
        if isinstance(value, str):
            strings.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for figure in _figures(page):
        collect(figure["data"])
    assert set(names) <= strings


def test_png_on_request_is_an_inline_image(tutorial):
    chart = yamazumi(cyclecore.analyze(tutorial), format="png")
    assert chart.image.startswith("data:image/png;base64,")
    assert '<img alt="' in chart.figure_html()


def test_the_same_input_gives_the_same_bytes(tutorial):
    analysis = cyclecore.analyze(tutorial, target=8000)
    assert report_html(tutorial, analysis=analysis) == report_html(tutorial, analysis=analysis)


def test_results_show_their_charts_in_notebooks(tutorial, plan):
    analysis = cyclecore.analyze(tutorial, target=9000)
    simulation = cyclecore.simulate(tutorial, weeks=0.1, replications=2)
    assert [f["kind"] for f in _figures(analysis._repr_html_())] == ["yamazumi"]
    assert [f["kind"] for f in _figures(simulation._repr_html_())] == ["station_states", "buffer_levels"]
    assert [f["kind"] for f in _figures(plan._repr_html_())] == ["capex_curve"]
    ramp = cyclecore.ramp(tutorial, plan, weeks=4)
    assert [f["kind"] for f in _figures(ramp._repr_html_())] == ["ramp_s_curve"]
    assert "<table>" in analysis._repr_html_()  # the figures as a table, as for every result
    first, second = _figures(analysis._repr_html_())[0]["id"], _figures(analysis._repr_html_())[0]["id"]
    assert first != second  # notebook outputs share one page


# --------------------------------------------------------------------------- the command line


def _no_traceback(result):
    """Exit code 2 with a message: cyclecore's own ("error: ...") or the option parser's."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output, result.output
    assert result.output.startswith("error:") or "Invalid value" in result.output, result.output


def test_report_command_writes_one_html_file(tmp_path):
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--example", "tutorial", "--target", "9000", "--weeks", "0.2",
                                 "--replications", "3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"report written to {out}" in result.output
    kinds = [f["kind"] for f in _figures(out.read_text(encoding="utf-8"))]
    assert kinds == ["yamazumi", "yamazumi", "gantt", "robot_paths", "station_states", "buffer_levels"]
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left beside it


def test_report_option_on_analyze_simulate_and_optimize(tmp_path):
    for command, kinds in ((["analyze", "--target", "9000"], {"yamazumi", "gantt", "robot_paths"}),
                           (["simulate", "--weeks", "0.2", "--replications", "3"], {"station_states", "buffer_levels"}),
                           (["optimize", "--target", "9000", "--weeks", "0.2", "--replications", "3"], {"capex_curve"})):
        out = tmp_path / f"{command[0]}.html"
        result = runner.invoke(app, [command[0], "--example", "tutorial", *command[1:], "--report", str(out)])
        assert result.exit_code == 0, result.output
        assert kinds <= {f["kind"] for f in _figures(out.read_text(encoding="utf-8"))}, command[0]


def test_report_option_on_ramp_and_ramp_option_on_report(tmp_path, plan):
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan.to_dict()), encoding="utf-8")
    out, csv = tmp_path / "ramp.html", tmp_path / "ramp.csv"
    result = runner.invoke(app, ["ramp", "--example", "tutorial", "--plan", str(plan_file), "--weeks", "8",
                                 "--csv", str(csv), "--report", str(out)])
    assert result.exit_code == 0, result.output
    kinds = [f["kind"] for f in _figures(out.read_text(encoding="utf-8"))]
    assert "capex_curve" in kinds and kinds[-1] == "ramp_s_curve" and csv.exists()
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--example", "tutorial", "--plan", str(plan_file), "--ramp", "8",
                                 "--scenarios", "5", "--no-simulate", "-o", str(out)])
    assert result.exit_code == 0, result.output
    (curve,) = [f["data"] for f in _figures(out.read_text(encoding="utf-8")) if f["kind"] == "ramp_s_curve"]
    expected = cyclecore.ramp(cyclecore.load_example("tutorial"), json.loads(plan_file.read_text()), weeks=8,
                              scenarios=5)
    assert [r["expected_products_per_week"] for r in curve["rows"]] == \
        [w.expected_products_per_week for w in expected.rows]


def test_report_from_a_plan_file_is_the_plans_report(tmp_path, tutorial, plan):
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan.to_dict()), encoding="utf-8")
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(cyclecore.example_path("tutorial")), "--plan", str(plan_file),
                                 "--no-simulate", "-o", str(out)])
    assert result.exit_code == 0, result.output
    (capex,) = [f["data"] for f in _figures(out.read_text(encoding="utf-8")) if f["kind"] == "capex_curve"]
    assert capex == capex_curve(plan).data


def test_report_refuses_bad_input_with_exit_code_2_and_writes_nothing(tmp_path, plan):
    out = tmp_path / "report.html"
    other = tmp_path / "other-plan.json"
    other.write_text(json.dumps(plan.to_dict()), encoding="utf-8")
    not_a_plan = tmp_path / "not-a-plan.json"
    not_a_plan.write_text("[1, 2", encoding="utf-8")
    cases = {
        "a plan for another line": ["report", "--example", "module-line", "--plan", str(other), "-o", str(out)],
        "a file that is not a plan": ["report", "--example", "tutorial", "--plan", str(not_a_plan), "-o", str(out)],
        "not an html name": ["report", "--example", "tutorial", "-o", str(tmp_path / "report.pdf")],
        "a missing folder": ["report", "--example", "tutorial", "-o", str(tmp_path / "no" / "report.html")],
        "an unknown example": ["report", "--example", "nope", "-o", str(out)],
        "a missing line file": ["report", str(tmp_path / "none.yaml"), "-o", str(out)],
        "analyze --report, bad name": ["analyze", "--example", "tutorial", "--report", str(tmp_path / "r.txt")],
        "a ramp without a plan": ["report", "--example", "tutorial", "--ramp", "10", "-o", str(out)],
        "a ramp of no weeks": ["report", "--example", "tutorial", "--plan", str(other), "--ramp", "0", "-o", str(out)],
    }
    for why, arguments in cases.items():
        result = runner.invoke(app, arguments)
        _no_traceback(result)
    assert set(tmp_path.iterdir()) == {other, not_a_plan}  # no report, no temporary file
    weeks = runner.invoke(app, ["report", "--example", "tutorial", "--weeks", "0", "-o", str(out)])
    assert weeks.exit_code == 2 and not out.exists()
