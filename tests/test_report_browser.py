"""The reports opened in a real browser: the distribution's chromium, headless, driven by Playwright,
with every network request blocked and recorded.

For each bundled example's report (made by ``cyclecore report`` as a newcomer runs it): no console
error, no failed or outside request, every expected chart drawn with a size, a screenshot in the
test's folder. The yamazumi's bars are read back from the drawn SVG (element boxes and the
chart's scale) and must equal ``cyclecore.analyze``'s figures; the escaping case must run no
script and show the names as written; the body-shop report must be under 5 MB and open in under
3 s. ``.ci/run`` installs chromium when it is missing; without it these tests skip and say so.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
import yaml
from line_fixtures import valid_line
from playwright.sync_api import sync_playwright
from typer.testing import CliRunner

import cyclecore
from cyclecore.cli import app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (`apt-get install chromium`; "
                                                          ".ci/run installs it): the report tests need a real browser")

runner = CliRunner()
SHORT = ["--weeks", "0.2", "--replications", "3"]  # station states need a simulation, not a long one
LINE_CHARTS = ["yamazumi", "yamazumi", "gantt", "robot_paths"]
SIMULATION = ["station_states", "buffer_levels"]
RAMP_WEEKS, RAMP_SCENARIOS = 26, 20
SMALL_PLAN = cyclecore.Levers(options=False, rebalance=False, speed=False, robots=False, duplicate_station=False,
                              max_buffer_places=1, repair_programme=False, added_lines=1)


# The escaping case: names that would run a script, load an image or change markup if unescaped.
NAMES = {"station": 'S1 <script>window.__pwned=1</script>',
         "robot": 'R"1\' & <b onmouseover="window.__pwned=3">bold</b> id="x"',  # not an attribute
         "task": 'a <img src=x onerror="window.__pwned=2"> & "b"',
         "line": 'line <i>&amp;</i> "quoted"'}


def _named_line_file(folder: Path) -> Path:
    """A line file whose line, station, robot and task names are :data:`NAMES`."""
    data = valid_line()
    data["name"] = NAMES["line"]
    data["stations"][0]["name"] = NAMES["station"]
    data["stations"][0]["robots"][0]["name"] = NAMES["robot"]
    data["stations"][0]["tasks"][0]["name"] = NAMES["task"]
    data["stations"][0]["tasks"][1]["after"] = [NAMES["task"]]
    path = folder / "named.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


# name -> (arguments after `cyclecore report`, the charts the page must show, in order)
def _cases(folder: Path) -> dict:
    tutorial = cyclecore.load_example("tutorial")
    plan = cyclecore.optimize(tutorial, target=9000, weeks=0.2, replications=3, levers=SMALL_PLAN)
    plan_file = folder / "tutorial-plan.json"
    plan_file.write_text(json.dumps(plan.to_dict()), encoding="utf-8")
    named = _named_line_file(folder)
    return {
        "tutorial": (["--example", "tutorial", "--plan", str(plan_file), "--ramp", str(RAMP_WEEKS),
                      "--scenarios", str(RAMP_SCENARIOS), *SHORT],
                     LINE_CHARTS + SIMULATION + ["capex_curve", "yamazumi", "robot_paths", "gantt", "ramp_s_curve"]),
        "module-line": (["--example", "module-line", "--target", "10000", *SHORT], LINE_CHARTS + SIMULATION),
        "body-shop": (["--example", "body-shop", "--target", "6500"], LINE_CHARTS + SIMULATION),  # as a newcomer runs it
        "module-plant": (["--example", "module-plant", "--target", "10000", *SHORT],
                         LINE_CHARTS * 2 + SIMULATION * 2),
        "named": ([str(named), *SHORT], LINE_CHARTS + SIMULATION),
        "tutorial-png": (["--example", "tutorial", "--png", "--no-simulate"], LINE_CHARTS),
    }


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, tuple[Path, list[str]]]:
    """Every case's report, written by the command line."""
    folder = tmp_path_factory.mktemp("reports")
    made = {}
    for name, (arguments, charts) in _cases(folder).items():
        out = folder / f"{name}.html"
        result = runner.invoke(app, ["report", *arguments, "-o", str(out)])
        assert result.exit_code == 0, f"{name}: {result.output}"
        made[name] = (out, charts)
    return made


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


class Opened:
    """A report open in a fresh browser context: the page and what happened while it loaded."""

    def __init__(self, browser, path: Path, *, bypass_csp: bool = False):
        self.context = browser.new_context(bypass_csp=bypass_csp, viewport={"width": 1200, "height": 900})
        self.own = path.resolve().as_uri()
        self.outside, self.failed, self.errors = [], [], []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        start = time.perf_counter()
        self.page.goto(self.own, wait_until="load")
        self.seconds = time.perf_counter() - start

    def _route(self, route):
        if route.request.url == self.own:
            route.continue_()
        else:  # the network is blocked: anything else the page asks for is recorded and refused
            self.outside.append(route.request.url)
            route.abort()

    def charts(self) -> list[dict]:
        """Every chart: its figures, drawn size, and how much is drawn (SVG elements, or whether a
        PNG decoded to pixels)."""
        return self.page.evaluate("""() => [...document.querySelectorAll('figure.chart')].map(f => {
            const svg = f.querySelector('svg'), img = f.querySelector('img');
            const box = (svg || img).getBoundingClientRect();
            return {id: f.id, kind: f.dataset.kind, data: JSON.parse(f.dataset.chart),
                    width: box.width, height: box.height,
                    drawn: svg ? svg.querySelectorAll('path, use, text').length : (img.naturalWidth > 0 ? 1000 : 0),
                    caption: f.querySelector('figcaption').textContent};
        })""")

    def close(self):
        self.context.close()


@pytest.mark.parametrize("name", ["tutorial", "module-line", "body-shop", "module-plant", "named", "tutorial-png"])
def test_report_opens_offline_with_every_chart_drawn(browser, reports, name, tmp_path):
    path, expected = reports[name]
    opened = Opened(browser, path)
    try:
        assert opened.errors == [], f"console errors: {opened.errors}"
        assert opened.outside == [] and opened.failed == [], f"requests: {opened.outside} failed: {opened.failed}"
        charts = opened.charts()
        assert [c["kind"] for c in charts] == expected
        for chart in charts:
            assert chart["width"] > 200 and chart["height"] > 100, chart["id"]
            assert chart["drawn"] > 20 and chart["caption"].strip(), chart["id"]
        shot = tmp_path / f"{name}.png"
        opened.page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    finally:
        opened.close()


@pytest.mark.parametrize("name, example, target", [("body-shop", "body-shop", 6500),
                                                   ("module-line", "module-line", 10000)])
def test_yamazumi_bars_drawn_in_the_browser_are_the_analysis_figures(browser, reports, name, example, target):
    analysis = cyclecore.analyze(cyclecore.load_example(example), target=target)
    opened = Opened(browser, reports[name][0])
    try:
        chart = opened.charts()[0]
        assert chart["kind"] == "yamazumi"
        drawn = opened.page.evaluate("""([id, bars, segments]) => {
            const out = [];
            for (let i = 0; i < bars; i++) {
                const row = {};
                for (const s of segments) {
                    const b = document.getElementById(`${id}-p0-b${i}-${s}`).getBBox();
                    row[s] = {height: b.height, top: b.y};
                }
                out.push(row);
            }
            const takt = document.getElementById(`${id}-p0-takt`).getBBox();
            return {bars: out, takt: takt.y + takt.height / 2};
        }""", [chart["id"], len(analysis.stations), chart["data"]["segments"]])
    finally:
        opened.close()
    scale = chart["data"]["axes"]["p0"]
    per_second, zero = scale["y_per_unit"], scale["y0"]
    for station, bar in zip(analysis.stations, drawn["bars"]):
        robots_set_it = station.slowest_robot is not None
        expected = {"motion": station.motion_s, "process": station.process_s, "logic": station.logic_s,
                    "fixed": 0.0 if robots_set_it else station.fixed_s, "index": station.index_s, "waiting": 0.0}
        for segment, value in expected.items():
            assert bar[segment]["height"] / per_second == pytest.approx(value, abs=1e-4), (station.name, segment)
        top = min(b["top"] for b in bar.values())
        assert (zero - top) / per_second == pytest.approx(station.cycle_s, abs=1e-4), station.name
    assert (zero - drawn["takt"]) / per_second == pytest.approx(analysis.takt_s, abs=1e-4)


def test_ramp_s_curve_points_drawn_in_the_browser_are_the_ramp_table(browser, reports):
    plan = json.loads((reports["tutorial"][0].parent / "tutorial-plan.json").read_text(encoding="utf-8"))
    ramp = cyclecore.ramp(cyclecore.load_example("tutorial"), plan, weeks=RAMP_WEEKS, scenarios=RAMP_SCENARIOS)
    opened = Opened(browser, reports["tutorial"][0])
    try:
        (chart,) = [c for c in opened.charts() if c["kind"] == "ramp_s_curve"]
        points = opened.page.evaluate("""(id) => Object.fromEntries(['weekly', 'cumulative'].map(line =>
            [line, [...document.getElementById(`${id}-${line}`).querySelectorAll('use')].map(
                u => [parseFloat(u.getAttribute('x')), parseFloat(u.getAttribute('y'))])]))""", chart["id"])
    finally:
        opened.close()
    scales = chart["data"]["axes"]
    for line, figure in (("weekly", "expected_products_per_week"), ("cumulative", "cumulative_products")):
        scale = scales[line]
        drawn = [((x - scale["x0"]) / scale["x_per_unit"], (scale["y0"] - y) / scale["y_per_unit"])
                 for x, y in points[line]]
        assert len(drawn) == len(ramp.rows)
        for (week, value), row in zip(drawn, ramp.rows):
            assert week == pytest.approx(row.week, abs=1e-4)
            assert value == pytest.approx(getattr(row, figure), rel=1e-5, abs=0.01), (line, row.week)


def test_body_shop_report_is_small_and_opens_fast(browser, reports):
    path = reports["body-shop"][0]
    size = path.stat().st_size
    opened = Opened(browser, path)
    try:
        seconds = opened.seconds
        loaded = opened.page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd / 1000")
    finally:
        opened.close()
    print(f"body-shop report: {size / 1e6:.2f} MB, opened in {seconds:.2f} s (load event at {loaded:.2f} s)")
    assert size < 5_000_000
    assert seconds < 3.0 and loaded < 3.0


def test_names_with_markup_run_nothing_and_read_as_written(browser, reports):
    """The page's Content-Security-Policy would stop a script anyway; it is bypassed here, so what
    is checked is that every name is escaped."""
    names = NAMES
    opened = Opened(browser, reports["named"][0], bypass_csp=True)
    try:
        page = opened.page
        page.hover("body")
        found = page.evaluate("""() => ({
            pwned: window.__pwned === undefined ? null : window.__pwned,
            scripts: document.scripts.length,
            images: document.images.length,
            bold: document.querySelectorAll('b, i').length,
            title: document.title,
            h1: document.querySelector('h1').textContent,
            cells: [...document.querySelectorAll('td')].map(td => td.textContent),
            svgText: [...document.querySelectorAll('svg text')].map(t => t.textContent),
        })""")
        assert opened.outside == [] and opened.errors == []
    finally:
        opened.close()
    assert found["pwned"] is None and found["scripts"] == 0 and found["images"] == 0 and found["bold"] == 0
    assert found["title"] == found["h1"] == f"cyclecore report: {names['line']}"
    assert f"{names['station']} ◀ bottleneck" in found["cells"]  # the station table, as the terminal shows it
    assert names["task"] in found["cells"] and names["robot"] in found["cells"]  # the robots' programs
    assert names["station"] in found["svgText"] and names["robot"] in found["svgText"]  # axis labels
