"""Every result speaks one protocol (:mod:`cyclecore.results`).

``to_dict()`` is JSON with no NaN or inf, where every null comes with a reason; ``str()`` is the
text; ``_repr_html_()`` is an HTML table in which names from a line file are escaped; and
looking up an unknown name raises ``KeyError`` naming the known ones.
"""

from __future__ import annotations

import dataclasses
import html
import importlib
import json
import math
import pkgutil
from html.parser import HTMLParser

import numpy as np
import pytest
from line_fixtures import valid_line

import cyclecore
from cyclecore.balancing import read_otto, read_scholl, salbp1, salbp2, scholl_salbp1_instances, scholl_salbp2_instances
from cyclecore.files.line_file import line_from_dict
from cyclecore.files.programs import import_programs, read_program
from cyclecore.linesim import simulate_serial
from cyclecore.results import Result
from cyclecore.robot.motion import route_totals, sample_ptp
from cyclecore.sequencing import Route, best_route, exact_route, improve_route, read_tsplib, split_tasks

# --------------------------------------------------------------------------- small inputs

_RNG = np.random.default_rng(7)
_POINTS = _RNG.random((6, 2))
MOVES = np.linalg.norm(_POINTS[:, None] - _POINTS[None], axis=2)  # home + 5 tasks, s
TASK_TIMES = np.array([3.0, 4.0, 2.0, 5.0, 1.0])
PRECEDENCE = np.array([[0, 1], [0, 2], [2, 3]])
LIMITS = dict(vmax=np.full(6, 2.0), amax=np.full(6, 8.0), jmax=np.full(6, 40.0))


def _benchmark_folder(root):
    """A one-graph copy of the SALBP benchmark layout: scholl/TINY.IN2 and the two instance lists."""
    scholl = root / "salbp" / "scholl"
    scholl.mkdir(parents=True)
    (scholl / "TINY.IN2").write_text("3\n2\n3\n4\n1,2\n1,3\n-1,-1\n")
    (root / "salbp" / "scholl_salbp1_optima.csv").write_text("graph,n,cycle_time,opt_stations\nTINY,3,5,2\n")
    (root / "salbp" / "scholl_salbp2_best.csv").write_text(
        "graph,n,m,opt_cycle_time,best_lower_bound,proven_optimal\nTINY,3,2,5,5,1\n")
    return root


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("inputs")
    (root / "tiny.tsp").write_text("NAME: tiny\nTYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\n"
                                   "NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 6 0\nEOF\n")
    (root / "tiny.alb").write_bytes(b"<number of tasks>\r\n2\r\n<cycle time>\r\n10\r\n<order strength>\r\n0,5\r\n"
                                    b"<task times>\r\n1 3\r\n2 4\r\n<precedence relations>\r\n1,2\r\n<end>\r\n")
    return _benchmark_folder(root)


@pytest.fixture(scope="module")
def tutorial():
    return cyclecore.load_example("tutorial")


@pytest.fixture(scope="module")
def plant():
    return cyclecore.load_plant(cyclecore.example_path("module-plant").parent / "plant.yaml")


# Every public function that returns a result, on the bundled examples or small synthetic inputs
# (small time limits, few replications). A result type missing here fails
# test_every_result_type_is_exercised.
RAMP_CHANGES = [{"kind": "repair_programme", "station": "ST20"}, {"kind": "add_buffer", "station": "ST10", "places": 1}]
SMALL_PLAN = cyclecore.Levers(resequence=False, robots=False, rebalance=False, max_buffer_places=1, added_lines=1)


def _not_reached(line):
    with pytest.raises(cyclecore.TargetNotReached) as caught:
        cyclecore.optimize(line, target=1e6, weeks=0.2, replications=3, levers=SMALL_PLAN)
    return caught.value.plan


BUILDERS = {
    "analyze": lambda line, plant, files: cyclecore.analyze(line),
    "analyze with target": lambda line, plant, files: cyclecore.analyze(line, target=5000),
    "simulate": lambda line, plant, files: cyclecore.simulate(line, weeks=0.05, replications=2, seed=1),
    "analyze_plant": lambda line, plant, files: cyclecore.analyze_plant(plant),
    "analyze_plant with target": lambda line, plant, files: cyclecore.analyze_plant(plant, target=10000),
    "simulate_plant": lambda line, plant, files: cyclecore.simulate_plant(plant, weeks=0.02, replications=2),
    "sequence": lambda line, plant, files: cyclecore.sequence(line, time_limit=0.1),
    "split_station": lambda line, plant, files: cyclecore.split_station(line, "ST20", 2, time_limit=0.2),
    "rebalance": lambda line, plant, files: cyclecore.rebalance(line, 1, time_limit=0.5),
    "simulate_serial": lambda line, plant, files: simulate_serial(
        cycle_s=[50.0, 55.0], buffer_places=[1], mtbf_s=[3600.0, np.inf], mttr_s=[300.0, 0.0], hours=5,
        replications=2),
    "simulate_serial, one replication": lambda line, plant, files: simulate_serial(
        cycle_s=[50.0, 55.0], buffer_places=[1], mtbf_s=[3600.0, 3600.0], mttr_s=[300.0, 300.0], hours=5,
        replications=1),
    "best_route": lambda line, plant, files: best_route(MOVES, time_limit=0.2),
    "exact_route": lambda line, plant, files: exact_route(MOVES),
    "improve_route": lambda line, plant, files: improve_route(MOVES, [0, 5, 4, 3, 2, 1, 0]),
    "split_tasks": lambda line, plant, files: split_tasks([MOVES, MOVES], np.ones(5), time_limit=0.2),
    "salbp1": lambda line, plant, files: salbp1(TASK_TIMES, PRECEDENCE, 6.0, time_limit=1.0),
    "salbp2": lambda line, plant, files: salbp2(TASK_TIMES, PRECEDENCE, 2, time_limit=1.0),
    "read_tsplib": lambda line, plant, files: read_tsplib(files / "tiny.tsp"),
    "read_scholl": lambda line, plant, files: read_scholl(files / "salbp" / "scholl" / "TINY.IN2"),
    "read_otto": lambda line, plant, files: read_otto(files / "tiny.alb"),
    "scholl_salbp1_instances": lambda line, plant, files: scholl_salbp1_instances(files)[0],
    "scholl_salbp2_instances": lambda line, plant, files: scholl_salbp2_instances(files)[0],
    "route_totals": lambda line, plant, files: route_totals(
        np.array([[0.0] * 6, [0.5] * 6, [1.0, 0, 0, 0, 0, 0]]), [[0, 1, 2, 0], [0, 2, -1, -1]], **LIMITS),
    "optimize": lambda line, plant, files: cyclecore.optimize(line, target=9000, weeks=0.2, replications=3,
                                                              levers=SMALL_PLAN),
    "optimize, target not reached": lambda line, plant, files: _not_reached(line),
    "sample_ptp": lambda line, plant, files: sample_ptp(np.zeros(6), np.full(6, 0.5), times=np.linspace(0, 2, 5),
                                                       **LIMITS),
    "report chart": lambda line, plant, files: cyclecore.report.yamazumi(cyclecore.analyze(line, target=5000)),
    "ramp": lambda line, plant, files: cyclecore.ramp(
        line, RAMP_CHANGES, weeks=3, target=5000, simulate=True, replications=2, scenarios=3),
    "Ramp.capacity": lambda line, plant, files: cyclecore.Ramp(line, RAMP_CHANGES).capacity(
        landed=["repair_programme@ST20"], maturity={"repair_programme@ST20": 0.5}),
    "Ramp.simulated_week": lambda line, plant, files: cyclecore.Ramp(line, RAMP_CHANGES).simulated_week(
        8, replications=2),
    "read_program": lambda line, plant, files: read_program(_tp_program()),
    "import_programs": lambda line, plant, files: import_programs([_tp_program()]),
}


def _tp_program():
    """A small FANUC TP program (a PTP and a linear move, a wait, an unread statement) in a temporary folder."""
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / "R1.ls"
    path.write_text("/PROG R1\n/MN\n 1:J P[1] 50% FINE ;\n 2:  WAIT 1.00(sec) ;\n 3:L P[2] 200mm/sec CNT50 ;\n"
                    " 4:  PAUSE ;\n/POS\nP[1]{\n GP1:\n UF : 0, UT : 0, CONFIG : 'N U T, 0, 0, 0',\n"
                    " X = 1500.0 mm, Y = 0.0 mm, Z = 1000.0 mm, W = 180.0 deg, P = 0.0 deg, R = 0.0 deg\n};\n"
                    "P[2]{\n GP1:\n UF : 0, UT : 0, CONFIG : 'N U T, 0, 0, 0',\n"
                    " X = 1500.0 mm, Y = 500.0 mm, Z = 1000.0 mm, W = 180.0 deg, P = 0.0 deg, R = 0.0 deg\n};\n/END\n")
    return path


class _Built(dict):
    """Results by builder name, each built once, when a test first asks for it."""

    def __init__(self, *inputs):
        super().__init__()
        self.inputs = inputs

    def __missing__(self, name):
        self[name] = BUILDERS[name](*self.inputs)
        return self[name]


@pytest.fixture(scope="module")
def results(tutorial, plant, files):
    return _Built(tutorial, plant, files)


def _nested_results(value):
    """``value`` and every result inside it (fields, tuples, lists)."""
    if isinstance(value, Result):
        yield value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _nested_results(getattr(value, field.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _nested_results(item)


def _unexplained_nulls(value, where=()):
    """Paths of nulls in a to_dict() tree that no "missing" map explains.

    ``where`` holds (reasons, path of ``value`` relative to that dict) for every enclosing dict: a
    null is explained by the map of any dict around it (``field``, ``field[i]``, ``field.key``).
    """
    if value is None:
        explained = any(path in reasons for reasons, path in where)
        return [] if explained else [where[-1][1]]
    if isinstance(value, dict):
        own = value.get("missing", {})
        return [null for key, item in value.items() if key != "missing"
                for null in _unexplained_nulls(item, tuple((r, f"{p}.{key}") for r, p in where) + ((own, key),))]
    if isinstance(value, list):
        return [null for i, item in enumerate(value)
                for null in _unexplained_nulls(item, tuple((r, f"{p}[{i}]") for r, p in where))]
    return []


class _Cells(HTMLParser):
    """The text of an HTML fragment, and whether it is well nested."""

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.text: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)
        self.tags.add(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()

    def handle_data(self, data):
        self.text.append(data)


def _parse_html(fragment: str) -> _Cells:
    parser = _Cells()
    parser.feed(fragment)
    parser.close()
    assert parser.open == [], f"unclosed tags {parser.open}"
    return parser


# --------------------------------------------------------------------------- the protocol


@pytest.mark.parametrize("name", list(BUILDERS))
def test_every_result_is_strict_json_text_and_an_html_table(results, name):
    top = results[name]
    assert isinstance(top, Result), f"{name} returns a {type(top).__name__}, which does not speak the protocol"
    for result in _nested_results(top):
        data = result.to_dict()
        text = json.dumps(data, allow_nan=False)  # raises on NaN or inf anywhere
        assert json.loads(text) == data, f"{type(result).__name__}.to_dict() is not plain JSON data"
        assert _unexplained_nulls(data) == [], f"{type(result).__name__}: nulls without a reason"
        printed = str(result)
        assert printed.strip() and "object at 0x" not in printed
        cells = _parse_html(result._repr_html_())
        assert "table" in cells.tags


def test_every_result_type_is_exercised(results):
    """Every Result subclass in the package is made by some builder above (so the test above covers it)."""
    for module in pkgutil.walk_packages(cyclecore.__path__, "cyclecore."):
        importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    defined = {cls for cls in subclasses(Result) if cls.__module__.startswith("cyclecore.")}
    made = {type(r) for name in BUILDERS for r in _nested_results(results[name])}
    missing = sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in defined - made)
    assert missing == [], f"add a builder to BUILDERS that makes each of these through its public function: {missing}"


def test_analysis_without_target_gives_null_takt_with_the_reason(tutorial):
    data = cyclecore.analyze(tutorial).to_dict()
    for field in ("takt_s", "gap_s", "target_products_per_week", "target_units_per_week"):
        assert data[field] is None and data["missing"][field] == "no target given"
    for station in data["stations"]:
        assert station["slack_s"] is None and station["missing"]["slack_s"] == "no target given"


def test_analysis_with_target_has_nothing_missing_at_line_level(tutorial):
    analysis = cyclecore.analyze(tutorial, target=5000)
    data = analysis.to_dict()
    assert "missing" not in data
    # the line's share of the target, and its takt: production seconds per week / units per week
    assert data["target_units_per_week"] == pytest.approx(
        5000 * tutorial.units_per_product / tutorial.identical_lines)
    assert data["takt_s"] == pytest.approx(
        analysis.production_hours_per_week * 3600 / data["target_units_per_week"])


def test_single_replication_has_no_interval_and_says_why():
    result = simulate_serial(cycle_s=[50.0, 55.0], buffer_places=[1], mtbf_s=[3600.0, 3600.0],
                             mttr_s=[300.0, 300.0], hours=5, replications=1)
    data = result.to_dict()
    assert data["ci95_per_hour"] is None and data["ci99_per_hour"] is None
    assert data["missing"] == {"ci95_per_hour": "a single replication has no confidence interval",
                               "ci99_per_hour": "a single replication has no confidence interval"}


def test_an_infinite_value_becomes_null_with_its_reason():
    # a route over a forbidden arc costs +inf: JSON has no inf, so it is a null that says so
    data = Route(np.array([0, 1, 0]), math.inf, False, "given").to_dict()
    assert data["cost"] is None and data["missing"] == {"cost": "infinite (+inf)"}
    json.dumps(data, allow_nan=False)


def test_non_finite_entries_inside_arrays_are_null_with_their_position():
    totals = route_totals(np.zeros((2, 6)), [[0, 1, 0]], **LIMITS)
    broken = dataclasses.replace(totals, time_s=np.array([np.nan]))
    data = broken.to_dict()
    assert data["time_s"] == [None] and data["missing"] == {"time_s[0]": "not a number (NaN)"}


def test_numpy_values_become_python_numbers(results):
    data = results["exact_route"].to_dict()
    assert all(type(node) is int for node in data["order"])
    assert type(data["cost"]) is float and type(data["proven_optimal"]) is bool


def test_a_result_field_that_may_be_none_must_say_why():
    with pytest.raises(TypeError, match="takt_s may be None.*missing_reasons"):
        @dataclasses.dataclass(frozen=True)
        class _Careless(Result):
            takt_s: float | None


# --------------------------------------------------------------------------- looking up names


def test_unknown_station_names_the_known_stations_in_the_line_wording(tutorial):
    analysis = cyclecore.analyze(tutorial)
    with pytest.raises(KeyError) as from_line:
        tutorial.station("ST99")
    with pytest.raises(KeyError) as from_analysis:
        analysis.station("ST99")
    assert str(from_analysis.value) == str(from_line.value)
    assert "ST10" in str(from_analysis.value) and "ST20" in str(from_analysis.value)
    assert analysis.station("ST20").name == "ST20"


def test_unknown_line_of_a_plant_names_the_known_lines_in_the_plant_wording(plant):
    analysis = cyclecore.analyze_plant(plant)
    with pytest.raises(KeyError) as from_plant:
        plant.line("gen-9")
    with pytest.raises(KeyError) as from_analysis:
        analysis.line("gen-9")
    assert str(from_analysis.value) == str(from_plant.value)
    assert analysis.line("gen-2").name == "gen-2"


@pytest.mark.parametrize("lookup, known", [
    pytest.param(lambda r: r["analyze"].station("ST10").robot("R9"),
                 lambda r: [x.robot for x in r["analyze"].station("ST10").robots], id="robot of a station cycle"),
    pytest.param(lambda r: r["simulate"].station("ST99"),
                 lambda r: [s.name for s in r["simulate"].stations], id="station of a line simulation"),
    pytest.param(lambda r: r["simulate_plant"].line("gen-9"),
                 lambda r: [d.name for d in r["simulate_plant"].lines], id="line of a plant simulation"),
])
def test_every_lookup_raises_key_error_listing_the_known_names(results, lookup, known):
    with pytest.raises(KeyError) as caught:
        lookup(results)
    names = known(results)
    assert names and all(name in str(caught.value) for name in names)


# --------------------------------------------------------------------------- names from files


def _line_with_first_station(name: str):
    data = valid_line()
    data["stations"][0]["name"] = name
    return line_from_dict(data)


def test_html_table_escapes_a_station_named_script():
    analysis = cyclecore.analyze(_line_with_first_station("<script>alert(1)</script>"))
    page = analysis._repr_html_()
    assert "<script>" not in page
    assert html.escape("<script>alert(1)</script>") in page
    cells = _parse_html(page)
    assert "script" not in cells.tags
    assert "<script>alert(1)</script>" in "".join(cells.text)  # shown as text, as written


def test_printed_names_are_text_never_rich_markup():
    # rich would read "[bold]...[/bold]" as markup and print "S1": the name must print as written
    name = "[bold]S1[/bold]"
    assert name in str(cyclecore.analyze(_line_with_first_station(name)))
