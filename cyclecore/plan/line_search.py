"""The cheapest changes that lift one line to a target, and the whole capex-versus-output curve.

Two methods, chosen by the size of the search space (:mod:`cyclecore.plan.levers`):

**Exhaustive** (at most ``exhaustive_limit`` combinations). Every combination is listed with its
capex and a proven upper bound on its output (:func:`~cyclecore.plan.output.output_bound`), and
walked in order of capex (ties in listing order). A combination is simulated only when its bound
beats the best output found so far; one that beats it is a point of the Pareto curve, and the
first whose output meets the target is the plan. Nothing is estimated, so the plan and the curve
are exactly those of simulating every combination.

**Frontiers, then closing the gap** (larger spaces), after Gershwin & Schor (2000) and the
greedy marginal analysis surveyed by Demir, Tunali & Eliiyi (2014):

1. each station's cost-versus-cycle frontier (exact evaluation, :mod:`cyclecore.plan.stations`);
   a zone is a super-station, the cheaper of its stations' frontiers as they are and after
   rebalancing the zone; declared options are contexts tried on and off;
2. for every candidate line cycle c (the frontiers' breakpoints) the cheapest way is the sum over
   zones of their cheapest option at c: the deterministic capex-versus-cycle curve;
3. from the cheapest c that meets the target without failures, and a faster one (cycle margin),
   add one lever at a time — a buffer place, a repair programme, or the next frontier step at a
   station, or one more place at every buffer, or a programme at every failing station — choosing
   the best simulated gain per unit of capex, until the output meets the target
   at the chosen confidence. Candidates are limited to the stations the simulator shows as
   bottlenecks; they are ranked on a short screening run and the best measured fully, all with
   common random numbers.

This method is not proven optimal; the plan reports a lower bound on the optimum (the cheapest
line that meets the target without failures), so the gap is stated. Both methods stop on counts,
never on the clock.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from cyclecore.changes.base import Price
from cyclecore.model.line import Line
from cyclecore.plan.candidates import Candidate, Context, candidate_arrays, unit_prices
from cyclecore.plan.levers import Levers, Simulation
from cyclecore.plan.output import Output, output_bound, simulate_arrays
from cyclecore.plan.stations import StationOption, frontier, station_options

EXHAUSTIVE_LIMIT = 20_000  # combinations walked exactly
MARGIN_STARTS = 2  # line cycles the greedy closure starts from: the slowest that meets the target, one faster
SCREENED_TRIES = 3  # best-ranked moves measured fully per step
GREEDY_STEPS = 60  # levers added at most from one start
BOTTLENECK_CANDIDATES = 3  # stations whose levers are tried at each greedy step
SIMULATION_BATCH = 8  # candidates simulated together (results are used in order)


@dataclass(frozen=True)
class Evaluated:
    """A simulated candidate: its capex, output, deterministic capacity (units/week)."""

    candidate: Candidate
    capex: float
    output: Output
    deterministic_units_per_week: float


@dataclass(frozen=True)
class LineSearch:
    """What the search found for one line: the plan (None when unreachable), the Pareto curve,
    today's figures, the method, a lower bound on the optimal capex, and counts of work done."""

    line: Line
    target_units_per_week: float | None
    plan: Evaluated | None
    today: Evaluated
    curve: tuple[Evaluated, ...]
    method: str
    capex_lower_bound: float | None
    best_reachable: Evaluated
    blocked_by: str
    station_evaluations: int
    simulations: int


# --------------------------------------------------------------------------- work items
# Each item also returns the answers its searches solved (re-sequences, splits, rebalances; see
# cyclecore.changes.solved), so this process learns them whichever executor ran the item: the
# plan's verification and its ramp then apply the same changes as look-ups, not re-solves.
def _station_item(item):
    from cyclecore.changes.solved import recording

    line, name, levers = item
    with recording() as solved:
        return station_options(line, name, levers), solved


def _rebalance_item(item):
    from cyclecore.changes.solved import recording

    context, zone = item
    with recording() as solved:
        return _rebalanced(context, (zone,)), solved


def _learned(results):
    """The items' own results; what they solved is remembered here."""
    from cyclecore.changes.solved import learn

    out = []
    for result, solved in results:
        learn(solved)
        out.append(result)
    return out


def _simulate_item(item):
    arrays, calendar, simulation = item
    return simulate_arrays(arrays, calendar, simulation)


class _Work:
    """The executor, the caches and the counters of one search."""

    def __init__(self, executor, levers: Levers, simulation: Simulation, progress=None):
        self.executor = executor
        self.levers = levers
        self.simulation = simulation
        self.progress = progress
        self.station_cache: dict[str, tuple[StationOption, ...]] = {}
        self.output_cache: dict[tuple, Output] = {}
        self.station_evaluations = 0
        self.simulations = 0

    def stations(self, line: Line, names) -> dict[str, tuple[StationOption, ...]]:
        """Options of the named stations of ``line``, each station value evaluated once."""
        return self.stations_of([(line, names)])[0]

    def stations_of(self, requests) -> list[dict[str, tuple[StationOption, ...]]]:
        """:meth:`stations` for several (line, names) requests, all missing stations in one batch."""
        keyed = [{name: _station_key(line, name) for name in names} for line, names in requests]
        todo: dict[str, tuple] = {}
        for (line, names), keys in zip(requests, keyed):
            for name in names:
                if keys[name] not in self.station_cache and keys[name] not in todo:
                    todo[keys[name]] = (line, name, self.levers)
        if todo:
            results = _learned(self.executor.map(_station_item, list(todo.values())))
            self.station_cache.update(zip(todo, results))
            self.station_evaluations += len(todo)
            if self.progress:
                self.progress("station evaluations", self.station_evaluations)
        return [{name: self.station_cache[keys[name]] for name in names} for (_, names), keys in zip(requests, keyed)]

    def simulate(self, candidates, screening: bool = False) -> list[Output]:
        """Outputs of ``candidates`` (in order), each distinct line simulated once. ``screening``:
        a shorter, cheaper measurement (half the weeks, a third of the replications, same seed)
        that only ranks candidates; every figure a plan reports comes from the full one."""
        simulation = self.screening if screening else self.simulation
        arrays = [c.arrays() for c in candidates]
        calendar = candidates[0].context.line.calendar if candidates else None
        todo = [a for a in dict.fromkeys(arrays) if (a, screening) not in self.output_cache]
        if todo:
            results = self.executor.map(_simulate_item, [(a, calendar, simulation) for a in todo])
            for a, out in zip(todo, results):
                self.output_cache[(a, screening)] = out
            self.simulations += len(todo)
            if self.progress:
                self.progress("simulations", self.simulations)
        return [self.output_cache[(a, screening)] for a in arrays]

    @property
    def screening(self) -> Simulation:
        s = self.simulation
        return Simulation(weeks=s.weeks / 2, replications=max(2, s.replications // 3), seed=s.seed,
                          confidence=s.confidence)


def _station_key(line: Line, name: str) -> str:
    """Everything a station's options depend on: the station, robot models and cost book."""
    station = line.station(name)
    models = {r.model: line.robot_model(r.model).model_dump_json() for r in station.robots}
    return station.model_dump_json() + repr(sorted(models.items())) + line.costs.model_dump_json()


# --------------------------------------------------------------------------- contexts
def _option_subsets(line: Line, levers: Levers):
    names = [o.name for o in line.options] if levers.options else []
    if len(names) <= 4:
        return [combo for r in range(len(names) + 1) for combo in itertools.combinations(names, r)]
    return [()] + [(n,) for n in names] + [tuple(names)]


def _zones(line: Line, levers: Levers):
    if not levers.rebalance:
        return []
    counts: dict = {}
    for station in line.stations:
        counts[station.zone] = counts.get(station.zone, 0) + 1
    from cyclecore.plan.levers import searchable

    return [zone for zone, n in counts.items() if n >= 2 and any(s.robots for s in line.stations if s.zone == zone)
            and all(searchable(s) for s in line.stations if s.zone == zone)]


def _with_options(line: Line, names) -> Context | None:
    from cyclecore.changes import ApplyOption
    from cyclecore.model.errors import LineFileError

    changes = tuple(ApplyOption(n) for n in names)
    price, current = Price(), line
    try:
        for change in changes:
            price = price + change.price(line)
            current = change.apply(current)
    except (LineFileError, KeyError):
        return None  # options that cannot apply together (an earlier one removed what this one edits)
    return Context(changes, price, current)


def _rebalanced(context: Context, zones) -> Context | None:
    """The context with these zones rebalanced; None when a rebalance changes nothing."""
    from cyclecore.changes import RebalanceZone

    current, price, changes = context.line, context.price, list(context.changes)
    for zone in zones:
        change = RebalanceZone(zone)
        after = change.apply(current)
        if after == current:
            return None
        price = price + change.price(current)
        changes.append(change)
        current = after
    return Context(tuple(changes), price, current)


def _contexts(line: Line, levers: Levers, exhaustive: bool):
    """Exhaustive: every option subset × zone subset. Otherwise: option subsets, and per zone the
    rebalanced variant separately ((context, zone) pairs)."""
    out = []
    for names in _option_subsets(line, levers):
        base = _with_options(line, names)
        if base is None:
            continue
        zones = _zones(base.line, levers)
        if exhaustive:
            for r in range(len(zones) + 1):
                for chosen in itertools.combinations(zones, r):
                    context = _rebalanced(base, chosen) if chosen else base
                    if context is not None:
                        out.append(context)
        else:
            out.append(base)
    return out


# --------------------------------------------------------------------------- exhaustive
def _space_size(line: Line, options_per_station, levers: Levers) -> int:
    n = len(line.stations)
    failing = sum(1 for s in line.stations if s.reliability is not None) if levers.repair_programme else 0
    return math.prod(len(o) for o in options_per_station) * (levers.max_buffer_places + 1) ** (n - 1) * 2 ** failing


def _all_candidates(context: Context, options, levers: Levers):
    line = context.line
    n = len(line.stations)
    buffer_choices = range(levers.max_buffer_places + 1)
    repair_choices = [(False, True) if (levers.repair_programme and s.reliability is not None) else (False,)
                      for s in line.stations]
    for stations in itertools.product(*options):
        for buffers in itertools.product(buffer_choices, repeat=n - 1):
            for repairs in itertools.product(*repair_choices):
                yield Candidate(context, stations, buffers, repairs)


def _capex(candidate: Candidate, place: float, repair: float) -> float:
    return (candidate.context.price.capex + sum(o.capex for o in candidate.stations)
            + place * sum(candidate.buffers) + repair * sum(candidate.repairs))


def _deterministic(candidate: Candidate) -> float:
    return candidate.context.line.calendar.units_per_week(max(o.effective_cycle_s for o in candidate.stations))


def _exhaustive(work: _Work, contexts, options_by_context, target: float | None) -> tuple:
    """Walk every combination in order of capex; simulate only where the bound can beat the best."""
    simulation = work.simulation
    listed = []
    for context, options in zip(contexts, options_by_context):
        place, repair = (p.capex for p in unit_prices(context.line))
        for candidate in _all_candidates(context, options, work.levers):
            capex = _capex(candidate, place, repair)
            bound = output_bound(candidate.arrays(), context.line.calendar, simulation)
            listed.append((round(capex, 6), len(listed), candidate, capex, bound))
    listed.sort(key=lambda row: (row[0], row[1]))
    highest_after = [0.0] * (len(listed) + 1)  # the largest bound from each position on
    for k in range(len(listed) - 1, -1, -1):
        highest_after[k] = max(highest_after[k + 1], listed[k][4])
    curve: list[Evaluated] = []
    best = -math.inf
    plan = None
    position = 0
    while position < len(listed):
        batch, scan = [], position
        while scan < len(listed) and len(batch) < SIMULATION_BATCH:
            if listed[scan][4] > best:
                batch.append(scan)
            scan += 1
        if not batch:
            break
        outputs = work.simulate([listed[k][2] for k in batch])
        for k, output in zip(batch, outputs):
            _, _, candidate, capex, bound = listed[k]
            if bound <= best:
                continue  # a result earlier in this batch raised the best: skip as the sequential walk would
            if output.lower > best:
                best = output.lower
                point = Evaluated(candidate, capex, output, _deterministic(candidate))
                if curve and round(curve[-1].capex, 6) == round(capex, 6):
                    curve[-1] = point  # same capex, more output
                else:
                    curve.append(point)
                if plan is None and target is not None and output.lower >= target:
                    plan = point
        position = scan
        if highest_after[position] <= best:
            break  # nothing left can beat the best output found
    return plan, tuple(curve), (plan.capex if plan else None)


# --------------------------------------------------------------------------- frontiers + closure
@dataclass(frozen=True)
class _Zone:
    """A zone's stations (indices) with their frontiers as they are and, if any, rebalanced."""

    stations: tuple[int, ...]
    plain: tuple[tuple[StationOption, ...], ...]
    rebalanced: tuple[Context, tuple[tuple[StationOption, ...], ...]] | None


def _cheapest_at(front, cycle: float) -> StationOption | None:
    for option in front:  # cheapest first, faster as capex grows
        if option.effective_cycle_s <= cycle + 1e-12:
            return option
    return None


def _zone_choice(zone: _Zone, cycle: float):
    """(capex, rebalance context or None, options) of the zone's cheapest way to ``cycle``."""
    best = None
    variants = [(None, zone.plain, 0.0)]
    if zone.rebalanced is not None:
        context, fronts = zone.rebalanced
        variants.append((context, fronts, context.price.capex))
    for context, fronts, extra in variants:
        chosen = [_cheapest_at(front, cycle) for front in fronts]
        if any(c is None for c in chosen):
            continue
        capex = extra + sum(c.capex for c in chosen)
        if best is None or capex < best[0] - 1e-9:
            best = (capex, context, tuple(chosen))
    return best


def _assemble(base: Context, zones, choices) -> Candidate:
    """One candidate from per-zone choices (rebalanced zones' stations replace the base ones)."""
    stations = list(base.line.stations)
    changes, price = list(base.changes), base.price
    options: list[StationOption | None] = [None] * len(stations)
    for zone, (capex, context, chosen) in zip(zones, choices):
        if context is not None:
            for i in zone.stations:
                stations[i] = context.line.stations[i]
            for change in context.changes[len(base.changes):]:  # the zone's rebalance
                changes.append(change)
                price = price + change.price(base.line)
        for i, option in zip(zone.stations, chosen):
            options[i] = option
    line = base.line if all(s is t for s, t in zip(stations, base.line.stations)) else \
        base.line.evolve(stations=tuple(stations), check_reach=False)
    n = len(stations)
    return Candidate(Context(tuple(changes), price, line), tuple(options), (0,) * (n - 1), (False,) * n)


def _zones_of(work: _Work, base: Context, levers: Levers):
    """The zones of ``base``'s line with their frontiers, plain and rebalanced (zones rebalanced
    in one batch of work items, then every station evaluated in one batch)."""
    line = base.line
    order: dict = {}
    for i, station in enumerate(line.stations):
        order.setdefault(station.zone, []).append(i)
    names = [s.name for s in line.stations]
    candidates = [zone for zone in _zones(line, levers)]
    rebalanced = dict(zip(candidates, _learned(work.executor.map(_rebalance_item, [(base, z) for z in candidates]))))
    if work.progress and candidates:
        work.progress("zones rebalanced", len(candidates))
    requests = [(line, names)] + [(context.line, [names[i] for i in order[zone]])
                                  for zone, context in rebalanced.items() if context is not None]
    evaluated = iter(work.stations_of(requests))
    plain = next(evaluated)
    after = {zone: next(evaluated) for zone, context in rebalanced.items() if context is not None}
    zones = []
    for zone, members in order.items():
        fronts = tuple(frontier(plain[names[i]]) for i in members)
        variant = None
        if zone in after:
            variant = (rebalanced[zone], tuple(frontier(after[zone][names[i]]) for i in members))
        zones.append(_Zone(tuple(members), fronts, variant))
    return zones


def _breakpoints(zones) -> list[float]:
    cycles = set()
    for zone in zones:
        fronts = list(zone.plain) + (list(zone.rebalanced[1]) if zone.rebalanced else [])
        for front in fronts:
            cycles.update(o.effective_cycle_s for o in front)
    return sorted(cycles, reverse=True)


def _deterministic_curve(bases, zones_by_base):
    """Per candidate line cycle (slowest first): the cheapest assembled candidate, Pareto-filtered."""
    points = []
    cycles = sorted({c for zones in zones_by_base for c in _breakpoints(zones)}, reverse=True)
    for cycle in cycles:
        best = None
        for base, zones in zip(bases, zones_by_base):
            choices = [_zone_choice(z, cycle) for z in zones]
            if any(c is None for c in choices):
                continue
            capex = base.price.capex + sum(c[0] for c in choices)
            if best is None or capex < best[0] - 1e-9:
                best = (capex, base, zones, choices)
        if best is not None:
            points.append((cycle, best))
    out, cheapest = [], math.inf
    for cycle, best in reversed(points):  # fastest first: keep only cycles cheaper than every faster one
        if best[0] < cheapest - 1e-9:
            out.append((cycle, best))
            cheapest = best[0]
    return list(reversed(out))  # slowest (cheapest) first


def _moves(candidate: Candidate, output: Output, fronts, levers: Levers):
    """Candidates one lever away from ``candidate``, at the stations the simulator blames."""
    n = len(candidate.stations)
    blamed = sorted(range(n), key=lambda i: (-output.bottleneck_share[i], i))[:BOTTLENECK_CANDIDATES]
    out = []
    for i in blamed:
        front = fronts[i]
        current = candidate.stations[i]
        faster = [o for o in front if o.effective_cycle_s < current.effective_cycle_s - 1e-12]
        if faster:
            stations = candidate.stations[:i] + (faster[0],) + candidate.stations[i + 1:]
            out.append(Candidate(candidate.context, stations, candidate.buffers, candidate.repairs))
        for j in (i - 1, i):  # the buffers on either side of a blamed station
            if 0 <= j < n - 1 and candidate.buffers[j] < levers.max_buffer_places:
                buffers = candidate.buffers[:j] + (candidate.buffers[j] + 1,) + candidate.buffers[j + 1:]
                out.append(Candidate(candidate.context, candidate.stations, buffers, candidate.repairs))
        if levers.repair_programme and not candidate.repairs[i] and \
                candidate.context.line.stations[i].reliability is not None:
            repairs = candidate.repairs[:i] + (True,) + candidate.repairs[i + 1:]
            out.append(Candidate(candidate.context, candidate.stations, candidate.buffers, repairs))
    # whole-line moves: a failure-dominated line gains little from any one place or programme,
    # so one more place at every buffer and a programme at every failing station are moves too
    buffers = tuple(min(b + 1, levers.max_buffer_places) for b in candidate.buffers)
    if buffers != candidate.buffers:
        out.append(Candidate(candidate.context, candidate.stations, buffers, candidate.repairs))
    if levers.repair_programme:
        failing = tuple(r or s.reliability is not None for r, s in zip(candidate.repairs, candidate.context.line.stations))
        if failing != candidate.repairs:
            out.append(Candidate(candidate.context, candidate.stations, candidate.buffers, failing))
    unique = {(tuple(map(id, c.stations)), c.buffers, c.repairs): c for c in reversed(out)}
    return [c for c in out if unique[(tuple(map(id, c.stations)), c.buffers, c.repairs)] is c]


def _fronts_for(zones, choices):
    """Each station's frontier as the chosen zone variant (plain or rebalanced) left it."""
    fronts = {}
    for zone, (_, context, _) in zip(zones, choices):
        source = zone.rebalanced[1] if context is not None else zone.plain
        fronts.update(zip(zone.stations, source))
    return [fronts[i] for i in sorted(fronts)]


def _close_gap(work: _Work, start: Candidate, fronts, target: float, path: list) -> Evaluated | None:
    """Add the lever with the best simulated gain per capex until the target is met."""
    place, repair = (p.capex for p in unit_prices(start.context.line))
    current = start
    output = work.simulate([current])[0]
    path.append(Evaluated(current, _capex(current, place, repair), output, _deterministic(current)))
    for _ in range(GREEDY_STEPS):
        if output.lower >= target:
            return path[-1]
        moves = _moves(current, output, fronts, work.levers)
        if not moves:
            return None
        # rank the moves on a cheap screening run (common random numbers), then measure the best
        # ones fully, in rank order, and take the first that raises the lower end
        screened = work.simulate([current] + moves, screening=True)
        base_capex = _capex(current, place, repair)
        ranked = sorted(range(len(moves)), key=lambda k: (
            -(screened[k + 1].mean - screened[0].mean) / max(_capex(moves[k], place, repair) - base_capex, 1e-9), k))
        step = None
        best_ranked = ranked[:SCREENED_TRIES]  # measured in one batch, taken in rank order
        for k, measured in zip(best_ranked, work.simulate([moves[k] for k in best_ranked])):
            if measured.lower > output.lower:
                step = (moves[k], measured)
                break
        if step is None:
            return None
        current, output = step
        path.append(Evaluated(current, _capex(current, place, repair), output, _deterministic(current)))
    return path[-1] if output.lower >= target else None


def _frontier_search(work: _Work, line: Line, target: float | None):
    bases = _contexts(line, work.levers, exhaustive=False)
    zones_by_base = [_zones_of(work, base, work.levers) for base in bases]
    curve = _deterministic_curve(bases, zones_by_base)
    evaluated: list[Evaluated] = []
    # the deterministic curve itself, simulated (a bounded, evenly spread sample of its points)
    sample = curve if len(curve) <= 24 else [curve[round(k * (len(curve) - 1) / 23)] for k in range(24)]
    starts = [_assemble(best[1], best[2], best[3]) for _, best in sample]
    outputs = work.simulate(starts)
    for candidate, out in zip(starts, outputs):
        evaluated.append(Evaluated(candidate, _capex(candidate, *(p.capex for p in unit_prices(candidate.context.line))),
                                   out, _deterministic(candidate)))
    plan = None
    lower_bound = None
    if target is not None:
        feasible = [(cycle, best) for cycle, best in curve if best[1].line.calendar.units_per_week(cycle) >= target]
        if feasible:
            lower_bound = feasible[0][1][0]
        for cycle, best in feasible[:MARGIN_STARTS]:
            start = _assemble(best[1], best[2], best[3])
            path: list[Evaluated] = []
            found = _close_gap(work, start, _fronts_for(best[2], best[3]), target, path)
            evaluated.extend(path)
            if found is not None and (plan is None or found.capex < plan.capex - 1e-9):
                plan = found
    return plan, _pareto(evaluated), lower_bound


def _pareto(points) -> tuple[Evaluated, ...]:
    """Non-dominated points, cheapest first, output strictly rising."""
    ranked = sorted(points, key=lambda e: (round(e.capex, 6), -e.output.lower))
    out, best = [], -math.inf
    for point in ranked:
        if point.output.lower > best:
            out.append(point)
            best = point.output.lower
    return tuple(out)


# --------------------------------------------------------------------------- entry point
def search_line(line: Line, target_units_per_week: float | None, levers: Levers, simulation: Simulation,
                executor, progress=None, exhaustive_limit: int = EXHAUSTIVE_LIMIT) -> LineSearch:
    """Search one line (see the module docstring). ``target_units_per_week`` None: the curve only."""
    work = _Work(executor, levers, simulation, progress)
    names = [s.name for s in line.stations]
    plain = Context((), Price(), line)
    today_options = work.stations(line, names)
    n = len(names)
    today = Candidate(plain, tuple(today_options[name][0] for name in names), (0,) * (n - 1), (False,) * n)
    today_output = work.simulate([today])[0]
    today_point = Evaluated(today, 0.0, today_output, _deterministic(today))

    # the space's size from the line as it is: every option subset and zone subset has as many
    # station options (a rebalance moves tasks, not levers), so nothing costly is built to count
    per_station = [today_options[name] for name in names]
    size = (_space_size(line, per_station, levers) * len(_option_subsets(line, levers))
            * 2 ** len(_zones(line, levers)))
    if size <= exhaustive_limit:
        method = "exhaustive"
        contexts = _contexts(line, levers, exhaustive=True)
        evaluated = work.stations_of([(context.line, names) for context in contexts])
        options_by_context = [[options[name] for name in names] for options in evaluated]
        plan, curve, bound = _exhaustive(work, contexts, options_by_context, target_units_per_week)
    else:
        method = "frontiers and greedy closure"
        plan, curve, bound = _frontier_search(work, line, target_units_per_week)
    curve = _pareto((today_point,) + tuple(curve))
    best = curve[-1] if curve else today_point
    blocked = _blocked_by(best, target_units_per_week)
    return LineSearch(line, target_units_per_week, plan, today_point, curve, method,
                      bound, best, blocked, work.station_evaluations, work.simulations)


def _blocked_by(best: Evaluated, target) -> str:
    """Why the best combination found does not go further: its simulated bottleneck."""
    shares = best.output.bottleneck_share
    i = max(range(len(shares)), key=lambda k: (shares[k], -k))
    station = best.candidate.context.line.stations[i]
    option = best.candidate.stations[i]
    return (f"station {station.name} (bottleneck {shares[i]:.0%} of the time, cycle {option.effective_cycle_s:.2f} s "
            f"after its fastest option searched, failures {best.output.failed_share[i]:.0%})")
