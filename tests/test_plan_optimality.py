"""The plan search is optimal on small lines: its plan costs exactly what an exhaustive search
finds, and its capex-versus-output curve is the exhaustive Pareto frontier.

The oracle here knows only what is documented: the search space written down in
:mod:`cyclecore.plan.levers`, the public change values of :mod:`cyclecore.changes` (each
``.apply(line)`` and ``.price(line)``), and :func:`cyclecore.simulate` judged by the lower end of
its confidence interval. It lists every combination of the levers, builds each changed line by
applying the changes in the documented order, prices it, simulates it, and takes the cheapest line
whose lower end meets the target. Nothing of ``cyclecore.plan``'s internals is called.

The generated lines are kept small (at most 4 stations, at most 3 options per station, a few
hundred combinations) so that the search uses its exhaustive method and the oracle can simulate
every combination. Each has a zone of two robot stations (a zone rebalance moves weld spots when
their loads differ), stations that fail (so buffers and repair programmes matter), a declared
process simplification and, in some lines, a part redesign that removes a task, a manual bypass,
planned downtime, or cheap station duplicates.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass

import pytest

import cyclecore
from cyclecore.changes import AddBuffer, ApplyOption, DuplicateStation, RebalanceZone, RepairProgramme, SpeedUp
from cyclecore.files.line_file import line_from_dict
from cyclecore.model.errors import LineFileError
from cyclecore.plan.levers import Levers

# A KUKA KR 210 as in the tutorial line; every weld spot below is reached from this base, so the
# spots of one zone can move between its stations.
BASE = {"xyz_m": [0.0, -2.1, 0.0], "rpy_deg": [0.0, 0.0, 90.0]}
TCP = {"xyz_m": [0.0, 0.0, 0.45], "rpy_deg": [0.0, 0.0, 0.0]}
HOME = [0.0, -90.0, 90.0, 0.0, 30.0, 0.0]
SPOTS = [([-0.7472, -0.9, 0.902], [-91.074, 39.79, 0.966]),
         ([-0.6918, -0.9, 0.884], [89.794, -22.401, -179.472]),
         ([0.3403, -0.9, 1.0952], [106.892, 54.077, -156.424]),
         ([-0.5347, -0.9, 1.1517], [-79.352, 66.237, 17.636]),
         ([-0.5518, -0.9, 0.9087], [-92.939, -62.841, 2.319]),
         ([0.4006, -0.9, 0.7143], [-92.806, 7.535, 13.068]),
         ([0.4653, -0.9, 1.1241], [92.695, 49.157, -175.927]),
         ([0.7806, -0.9, 0.6701], [82.88, -70.569, -174.486])]

WEEKS, REPLICATIONS = 0.5, 5


# --------------------------------------------------------------------------- generated lines
def _robot_station(rng: random.Random, name: str, zone: int, tasks: int, override: float,
                   fixed_time_s: float = 0.0) -> dict:
    return {"name": name, "zone": zone, "index_time_s": rng.choice([3.0, 4.0, 5.0]), "fixed_time_s": fixed_time_s,
            "robots": [{"name": "R1", "model": "KR210-R3100-2", "base": BASE, "tcp": TCP, "home_deg": HOME,
                        "speed_override": override}],
            "tasks": [{"name": f"{name}-{k}", "pose": {"xyz_m": xyz, "rpy_deg": rpy}, "robot": "R1",
                       "process_time_s": round(rng.uniform(0.5, 1.5), 2), "logic_time_s": 0.25}
                      for k, (xyz, rpy) in enumerate(rng.sample(SPOTS, tasks))]}


def _failing(rng: random.Random) -> dict:
    return {"mtbf_h": round(rng.uniform(1.5, 5.0), 1), "mttr_min": float(rng.randint(15, 40))}


@dataclass(frozen=True)
class Case:
    """A generated line, the levers the search may pull on it, and how output is measured."""

    name: str
    line: object
    levers: Levers
    seed: int
    confidence: float

    def __repr__(self):
        return self.name


def generated_case(shape: str, seed: int) -> Case:
    """A small line of one of four shapes, its numbers drawn from ``seed``.

    two:   zone 1 = two robot stations (override 0.8, steps 0.9 and 1.0: 3 speed choices each).
    dup:   the same zone, speed kept, one more parallel copy allowed (cheap), and a part redesign
           that removes a weld spot beside the process simplification.
    three: the zone (override 0.9, step 1.0) then a fixed-work station with a manual bypass.
    four:  the zone (one robot already at full speed), a fixed-work press, and a robot station
           with fixed work too (already at full speed); planned downtime.
    """
    rng = random.Random(f"{shape}-{seed}")
    override = {"two": 0.8, "dup": 1.0, "three": 0.9, "four": 0.9}[shape]
    stations = [_robot_station(rng, "ST10", 1, rng.randint(2, 4), override),
                _robot_station(rng, "ST20", 1, rng.randint(2, 4), 1.0 if shape == "four" else override)]
    if shape == "three":
        stations.append({"name": "ST30", "zone": 2, "index_time_s": 2.0, "fixed_time_s": round(rng.uniform(10, 15), 1),
                         "manual_bypass": {"cycle_time_s": 25.0, "operators": 1, "after_min": 10.0}})
    if shape == "four":
        stations.append({"name": "ST30", "zone": 2, "index_time_s": 2.0, "fixed_time_s": round(rng.uniform(9, 14), 1)})
        stations.append(_robot_station(rng, "ST40", 3, 2, 1.0, fixed_time_s=round(rng.uniform(6, 10), 1)))
    for i in sorted(rng.sample(range(len(stations)), 2)):
        stations[i]["reliability"] = _failing(rng)
    for station in stations[:-1]:
        station["buffer_after"] = rng.choice([0, 1])
    zone_spots = [t["name"] for s in stations[:2] for t in s["tasks"]]
    shortened = rng.choice(zone_spots)
    options = [{"name": "shorter-weld", "capex": float(rng.choice([6_000, 15_000, 45_000])), "engineering_h": 20.0,
                "lead_time_weeks": 3.0, "tasks": [{"task": shortened, "process_time_s": 0.1}]}]
    if shape == "dup":
        removed = rng.choice([t for t in zone_spots if t != shortened])
        options.append({"name": "no-tack-weld", "kind": "part_redesign", "capex": float(rng.choice([9_000, 30_000])),
                        "lead_time_weeks": 10.0, "tasks": [{"task": removed, "remove": True}]})
    data = {
        "name": f"generated-{shape}-{seed}",
        "calendar": {"shifts_per_day": 2, "hours_per_shift": 8.0, "days_per_week": 5,
                     "planned_downtime": 0.05 if shape == "four" else 0.0},
        "identical_lines": 1, "units_per_product": 1, "stations": stations, "options": options,
        "costs": {"speed_override_steps": [0.9, 1.0] if shape == "two" else [1.0],
                  "buffer_place": float(rng.choice([4_000, 8_000, 12_000])),
                  "repair_programme": float(rng.choice([20_000, 40_000])),
                  "speed_validation": float(rng.choice([3_000, 5_000])),
                  "rebalance": float(rng.choice([10_000, 25_000])),
                  "station_duplicate": float(rng.choice([60_000, 90_000])),
                  "engineering_h": {"buffer": 10.0, "rebalance": 40.0}},
    }
    levers = Levers(resequence=False, robots=False, max_buffer_places=1, added_lines=0,
                    speed=shape != "dup", duplicate_station=shape == "dup")
    return Case(data["name"], line_from_dict(data), levers, seed=rng.randrange(1000),
                confidence=rng.choice([0.8, 0.9]))


# --------------------------------------------------------------------------- the oracle
@dataclass(frozen=True)
class Combination:
    """One point of the search space: its changes, their capex, and the simulated lower end."""

    changes: tuple
    capex: float
    lower: float


def _applied(line, changes, capex: float):
    """``line`` with ``changes`` applied in order, each priced on the line it applies to."""
    for change in changes:
        capex += change.price(line).capex
        line = change.apply(line)
    return line, capex


def _zones(line, levers: Levers) -> list:
    """Zones a rebalance may touch: every zone of two or more stations."""
    if not levers.rebalance:
        return []
    members: dict = {}
    for station in line.stations:
        members.setdefault(station.zone, []).append(station)
    return [zone for zone, stations in members.items() if len(stations) >= 2]


def _station_choices(line, station, levers: Levers) -> list[tuple]:
    """A station's own levers: the changes of each (speed step) × (duplicate or not)."""
    speeds = [()]
    if levers.speed:
        for step in sorted(set(line.costs.speed_override_steps)):
            raised = tuple(SpeedUp(station.name, r.name, step) for r in station.robots if r.speed_override < step)
            if raised:
                speeds.append(raised)
    duplicates = [(), (DuplicateStation(station.name),)] if levers.duplicate_station else [()]
    return [speed + duplicate for speed in speeds for duplicate in duplicates]


def every_combination(case: Case) -> list[Combination]:
    """Every combination of the levers, simulated as ``cyclecore simulate`` would the changed line."""
    line, levers = case.line, case.levers
    names = [o.name for o in line.options] if levers.options else []
    subsets = [subset for r in range(len(names) + 1) for subset in itertools.combinations(names, r)]
    outputs: dict[str, float] = {}  # the same line simulates to the same figures: once each
    out = []
    for subset in subsets:
        try:
            optioned, options_capex = _applied(line, [ApplyOption(n) for n in subset], 0.0)
        except (LineFileError, KeyError):
            continue  # options that cannot apply together (one removed what another edits) are none
        zones = _zones(optioned, levers)
        for rebalanced in itertools.product((False, True), repeat=len(zones)):
            zone_changes = [RebalanceZone(z) for z, on in zip(zones, rebalanced) if on]
            context, context_capex = _applied(optioned, zone_changes, options_capex)
            stations = context.stations
            repairs = [(False, True) if levers.repair_programme and s.reliability is not None else (False,)
                       for s in stations]
            for own in itertools.product(*(_station_choices(context, s, levers) for s in stations)):
                station_changes = [c for changes in own for c in changes]
                changed, station_capex = _applied(context, station_changes, context_capex)
                for buffers in itertools.product(range(levers.max_buffer_places + 1), repeat=len(stations) - 1):
                    for repaired in itertools.product(*repairs):
                        gap = [AddBuffer(s.name, b) for s, b in zip(stations, buffers) if b]
                        gap += [RepairProgramme(s.name) for s, on in zip(stations, repaired) if on]
                        final, capex = _applied(changed, gap, station_capex)
                        key = final.model_dump_json()
                        if key not in outputs:
                            result = cyclecore.simulate(final, weeks=WEEKS, replications=REPLICATIONS,
                                                        seed=case.seed, confidence=case.confidence)
                            outputs[key] = result.ci_products_per_week[0]
                        changes = tuple(ApplyOption(n) for n in subset) + tuple(zone_changes) \
                            + tuple(station_changes) + tuple(gap)
                        out.append(Combination(changes, capex, outputs[key]))
    return out


def cheapest_meeting(combinations, target: float) -> float:
    """The oracle's optimum: least capex whose lower end meets the target."""
    return min(c.capex for c in combinations if c.lower >= target)


def pareto_frontier(combinations) -> list[tuple[float, float]]:
    """(capex, lower end): per capex the best output, kept where it beats every cheaper one."""
    best_at: list[list[float]] = []
    for c in sorted(combinations, key=lambda c: c.capex):
        if best_at and math.isclose(best_at[-1][0], c.capex, rel_tol=1e-12, abs_tol=1e-6):
            best_at[-1][1] = max(best_at[-1][1], c.lower)
        else:
            best_at.append([c.capex, c.lower])
    frontier, best = [], -math.inf
    for capex, lower in best_at:
        if lower > best:
            frontier.append((capex, lower))
            best = lower
    return frontier


# --------------------------------------------------------------------------- fixtures
CASES = [("two", 1), ("dup", 2), ("three", 3), ("four", 4)]


@pytest.fixture(scope="module", params=CASES, ids=[f"{shape}-{seed}" for shape, seed in CASES])
def solved(request):
    """A generated case with every combination simulated, and a cache of its plans by target."""
    case = generated_case(*request.param)
    return case, every_combination(case), {}


def planned(solved, target: float):
    case, _, plans = solved
    if target not in plans:
        plans[target] = cyclecore.optimize(case.line, target=target, levers=case.levers, weeks=WEEKS,
                                           replications=REPLICATIONS, seed=case.seed, confidence=case.confidence)
    return plans[target]


def targets(combinations) -> list[float]:
    """Targets between today's output and the best: a third of the way, and exactly the output of
    a frontier point past the middle (a lower end equal to the target meets it)."""
    frontier = pareto_frontier(combinations)
    today, best = frontier[0][1], frontier[-1][1]
    return [today + (best - today) / 3, frontier[(2 * len(frontier)) // 3][1]]


# --------------------------------------------------------------------------- the tests
def test_generated_lines_are_small_and_hard_enough(solved):
    case, combinations, _ = solved
    line, levers = case.line, case.levers
    assert len(line.stations) <= 4
    for station in line.stations:
        assert len(_station_choices(line, station, levers)) <= 3
    assert 100 <= len(combinations) <= 600
    today = next(c for c in combinations if not c.changes)
    failure_free = cyclecore.analyze(line).units_per_week
    assert today.lower < 0.95 * failure_free  # failures matter: buffers and repairs can pay
    assert len(pareto_frontier(combinations)) >= 5


def test_some_generated_zone_is_rebalanced_for_real():
    line = generated_case(*CASES[0]).line
    moved = RebalanceZone(1).apply(line)
    before = {s.name: {t.name for t in s.tasks} for s in line.stations}
    after = {s.name: {t.name for t in s.tasks} for s in moved.stations}
    assert before != after


def test_plan_uses_the_exhaustive_method_on_small_lines(solved):
    _, combinations, _ = solved
    plan = planned(solved, targets(combinations)[0])
    assert plan.designs[0].method == "exhaustive"


def test_plan_capex_equals_exhaustive_optimum_on_small_lines(solved):
    _, combinations, _ = solved
    for target in targets(combinations):
        plan = planned(solved, target)
        assert plan.reached
        assert plan.capex == pytest.approx(cheapest_meeting(combinations, target), rel=1e-9, abs=1e-6)
        assert plan.products_per_week >= target
        assert plan.verified_products_per_week[0] >= target


def test_plan_curve_equals_exhaustive_pareto_frontier(solved):
    _, combinations, _ = solved
    plan = planned(solved, targets(combinations)[0])
    curve = [(p.capex, p.units_per_week) for p in plan.designs[0].curve]
    frontier = pareto_frontier(combinations)
    assert len(curve) == len(frontier)
    for (capex, units), (oracle_capex, oracle_units) in zip(curve, frontier):
        assert capex == pytest.approx(oracle_capex, rel=1e-9, abs=1e-6)
        assert units == pytest.approx(oracle_units, rel=1e-9)


def test_target_above_every_combination_is_not_reached_and_reports_the_best(solved):
    case, combinations, _ = solved
    best = max(c.lower for c in combinations)
    with pytest.raises(cyclecore.TargetNotReached) as raised:
        cyclecore.optimize(case.line, target=best * 1.01, levers=case.levers, weeks=WEEKS, replications=REPLICATIONS,
                           seed=case.seed, confidence=case.confidence)
    assert not raised.value.plan.reached
    assert raised.value.plan.best_reachable_products_per_week == pytest.approx(best, rel=1e-9)


MORE_CASES = [(shape, seed) for seed in range(10, 14) for shape in ("two", "dup", "three", "four")]


@pytest.mark.slow
@pytest.mark.parametrize("shape, seed", MORE_CASES, ids=[f"{shape}-{seed}" for shape, seed in MORE_CASES])
def test_plan_is_optimal_on_more_generated_lines(shape, seed):
    case = generated_case(shape, seed)
    combinations = every_combination(case)
    frontier = pareto_frontier(combinations)
    today, best = frontier[0][1], frontier[-1][1]
    for fraction in (0.2, 0.5, 0.9):
        target = today + fraction * (best - today)
        plan = cyclecore.optimize(case.line, target=target, levers=case.levers, weeks=WEEKS, replications=REPLICATIONS,
                                  seed=case.seed, confidence=case.confidence)
        assert plan.designs[0].method == "exhaustive"
        assert plan.capex == pytest.approx(cheapest_meeting(combinations, target), rel=1e-9, abs=1e-6)
        curve = [(p.capex, p.units_per_week) for p in plan.designs[0].curve]
        assert curve == [(pytest.approx(c, rel=1e-9, abs=1e-6), pytest.approx(u, rel=1e-9)) for c, u in frontier]
