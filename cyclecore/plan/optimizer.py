"""``optimize``: the cheapest set of changes that lifts a line or a plant to a target.

A line is planned as a plant of one design (its ``identical_lines`` copies). Each design's curve
comes from :func:`cyclecore.plan.line_search.search_line`; the plant mix from
:mod:`cyclecore.plan.plant_search`. The chosen plan is then applied and the changed line or plant
simulated exactly as ``cyclecore simulate`` does (same window, replications and seed); a mix that
falls short there is passed over for the next cheapest one, so a plan that says it reaches the
target does so in the simulation a user runs.
"""

from __future__ import annotations

from cyclecore.arguments import SEED, Function, Instance, Integer, Number, arguments
from cyclecore.changes.base import Price
from cyclecore.model.line import Line
from cyclecore.model.plant import Plant, PlantLine
from cyclecore.plan.levers import CONFIDENCE, REPLICATIONS, WEEKS, Levers, Simulation, unsearched
from cyclecore.plan.line_search import EXHAUSTIVE_LIMIT, search_line
from cyclecore.plan.plant_search import Mix, cheapest, mix_curve, plant_mixes
from cyclecore.plan.result import CurvePoint, DesignPlan, LinePoint, Option, Plan, StationRow, Verdict, fingerprint

VERIFY_ATTEMPTS = 6  # cheapest mixes tried against the user's simulation before giving up


class TargetNotReached(ValueError):
    """No plan within the budget reaches the target; ``plan`` is the best one that can be made."""

    def __init__(self, message: str, plan: Plan):
        super().__init__(message)
        self.plan = plan


@arguments(target=Number(above=0, at_most=1e9, what="a positive number of products per week, at most 1e9"),
           budget=Number(at_least=0, optional=True, what="a capex of 0 or more (cost book currency)"),
           confidence=CONFIDENCE, weeks=WEEKS, replications=REPLICATIONS, seed=SEED,
           levers=Instance(Levers, optional=True), progress=Function(optional=True, what="a callable "
                                                                     "progress(stage, count) or None"),
           exhaustive_limit=Integer(at_least=0))
def optimize(subject, target, *, budget=None, confidence=0.9, weeks=1.0, replications=10, seed=0,
             levers: Levers | None = None, executor=None, progress=None,
             exhaustive_limit: int = EXHAUSTIVE_LIMIT) -> Plan:
    """The cheapest changes that make ``subject`` (a Line or Plant) reach ``target`` products/week.

    budget: most capex allowed (currency of the cost book; None: no limit). confidence: the
    target must be met by the lower end of this two-sided confidence interval of simulated output
    (``weeks`` × ``replications`` from ``seed``). levers: the search space (:class:`Levers`).
    executor: anything with ``map(fn, items)`` (see :mod:`cyclecore.plan.executors`); the plan is
    the same whichever runs it. progress: ``progress(stage, count)`` as work is done.

    Raises :class:`TargetNotReached` (a ValueError carrying the best plan that can be made) when
    no plan within the budget reaches the target, and ValueError naming the argument on bad input.
    """
    plant = _as_plant(subject)
    simulation = Simulation(weeks=weeks, replications=replications, seed=seed, confidence=confidence)
    levers = Levers() if levers is None else levers
    if executor is None:
        from cyclecore.plan.executors import InProcess

        executor = InProcess()
    upp = plant.units_per_product
    target_units = target * upp

    searches = {}
    capacity = {e.name: e.copies * _capacity(e.line) for e in plant.lines}
    total = sum(capacity.values())
    for entry in plant.lines:
        share = target_units * capacity[entry.name] / total / entry.copies
        searches[entry.name] = search_line(entry.line, share, levers, simulation, executor, progress,
                                           exhaustive_limit)
    mixes = [m for m in plant_mixes(plant, searches, levers.added_lines)
             if budget is None or m.price().capex <= budget + 1e-6]
    if not mixes:
        raise ValueError(f"budget: {budget:,.0f} is below the cheapest plan")
    ranked = sorted((m for m in mixes if m.units_per_week >= target_units),
                    key=lambda m: round(m.price().capex, 6))
    chosen, verified = None, None
    for mix in ranked[:VERIFY_ATTEMPTS]:
        interval = _verify(subject, plant, mix, simulation)
        if interval[0] >= target:
            chosen, verified = mix, interval
            break
    accelerate = cheapest(mixes, target_units, adds_lines=False)
    duplicate = cheapest(mixes, target_units, adds_lines=True)
    reached = chosen is not None
    if not reached:
        chosen = max(mixes, key=lambda m: (m.units_per_week, -m.price().capex))
    plan = _plan(subject, plant, target, simulation, chosen, verified, reached, accelerate, duplicate,
                 mix_curve(mixes), searches, levers)
    if not reached:
        where = "" if budget is None else f" within the budget of {budget:,.0f} {plan.currency}"
        raise TargetNotReached(
            f"target: {target:,.0f} products/week cannot be reached{where} at {confidence:.0%} confidence; "
            f"the best plan found makes {plan.best_reachable_products_per_week:,.0f} products/week "
            f"(capex {plan.capex:,.0f} {plan.currency}); blocked by {plan.blocked_by}"
            + "".join(f"; not searched: {note}" for note in plan.not_searched), plan)
    return plan


def _as_plant(subject) -> Plant:
    if isinstance(subject, Plant):
        return subject
    if isinstance(subject, Line):
        return Plant(name=subject.name, lines=(PlantLine(subject.name, subject),))
    raise ValueError(f"line_or_plant: expected a cyclecore Line or Plant, got {type(subject).__name__}")


def _capacity(line: Line) -> float:
    from cyclecore.analysis.deterministic import analyze

    return analyze(line).units_per_week


def _mix_subject(subject, plant: Plant, mix: Mix):
    """The changed line or plant a mix describes."""
    from cyclecore.plan.result import apply_plan

    return apply_plan(_plan_dict(subject, plant, mix), subject)


def _plan_dict(subject, plant: Plant, mix: Mix) -> dict:
    designs = []
    for entry, choice in zip(plant.lines, mix.choices):
        designs.append({"name": entry.name, "fingerprint": fingerprint(entry.line),
                        "changes": [c.to_dict() for c in choice.point.candidate.changes()],
                        "added_copies": choice.added})
    return {"kind": "line" if isinstance(subject, Line) else "plant", "designs": designs}


def _verify(subject, plant: Plant, mix: Mix, simulation: Simulation) -> tuple[float, float]:
    """The confidence interval of products/week of the changed subject, simulated as the CLI does."""
    from cyclecore.analysis.simulation import simulate, simulate_plant

    changed = _mix_subject(subject, plant, mix)
    run = simulate if isinstance(changed, Line) else simulate_plant
    result = run(changed, weeks=simulation.weeks, replications=simulation.replications, seed=simulation.seed,
                 confidence=simulation.confidence)
    return result.ci_products_per_week


def _option(mix: Mix | None, upp: int, subject, plant: Plant) -> Option | None:
    if mix is None:
        return None
    price = mix.price()
    return Option(price.capex, price.lead_time_weeks, price.operators_per_shift, mix.units_per_week / upp,
                  mix.added_lines, _first_year(subject, plant, mix))


def _first_year(subject, plant: Plant, mix: Mix) -> float:
    """Products of the first 52 weeks of the mix's deterministic ramp, every change ordered in week 0
    (issue 9: the ramp-aware verdict; a new line's long lead time shows here)."""
    from cyclecore.ramp.run import ramp

    return ramp(subject, _plan_dict(subject, plant, mix), weeks=52).cumulative_products


def _station_rows(name: str, search, point) -> list[StationRow]:
    candidate = point.candidate
    today = search.today.candidate
    line = candidate.context.line
    place, repair = _unit(line)
    rows = []
    for i, station in enumerate(line.stations):
        option = candidate.stations[i]
        changes = [c.describe() for c in option.changes]
        price = option.price
        if i < len(candidate.buffers) and candidate.buffers[i]:
            changes.append(f"+{candidate.buffers[i]} buffer place(s) after it")
            price = price + place.times(candidate.buffers[i])
        if candidate.repairs[i]:
            changes.append("repair programme")
            price = price + repair
        rebalanced = [c for c in candidate.context.changes if getattr(c, "zone", None) == station.zone]
        if rebalanced:
            changes.insert(0, f"zone {station.zone} rebalanced")
        if not changes:
            continue
        robots = sum(getattr(c, "robots", 0) for c in option.changes if c.kind == "add_robots")
        rows.append(StationRow(name, station.name, tuple(changes), robots, today.stations[i].effective_cycle_s,
                               option.effective_cycle_s, price.capex, price.lead_time_weeks))
    return rows


def _unit(line: Line):
    from cyclecore.plan.candidates import unit_prices

    return unit_prices(line)


def _plan(subject, plant, target, simulation, mix: Mix, verified, reached, accelerate, duplicate, curve, searches,
          levers: Levers):
    upp = plant.units_per_product
    designs, rows = [], []
    stations = 0
    for entry, choice in zip(plant.lines, mix.choices):
        search = choice.search
        point = choice.point
        changes = point.candidate.changes()
        designs.append(DesignPlan(
            name=entry.name, line=entry.line.name, fingerprint=fingerprint(entry.line), copies=entry.copies,
            added_copies=choice.added, changes=changes, method=search.method, capex_per_copy=point.capex,
            capex_lower_bound_per_copy=search.capex_lower_bound,
            units_per_week_per_copy=point.output.lower, mean_units_per_week_per_copy=point.output.mean,
            deterministic_units_per_week_per_copy=point.deterministic_units_per_week,
            blocked_by=search.blocked_by,
            curve=tuple(LinePoint(e.capex, e.output.lower, e.output.mean, e.deterministic_units_per_week,
                                  tuple(c.describe() for c in e.candidate.changes())) for e in search.curve)))
        rows += _station_rows(entry.name, search, point)
        stations += search.station_evaluations
    price: Price = mix.price()
    today_lower = sum(e.copies * searches[e.name].today.output.lower for e in plant.lines) / upp
    today_det = sum(e.copies * searches[e.name].today.deterministic_units_per_week for e in plant.lines) / upp
    best_reachable = max(m.units_per_week for m in curve) / upp if curve else mix.units_per_week / upp
    blocked = "; ".join(f"{e.name}: {searches[e.name].blocked_by}" for e in plant.lines)
    if accelerate is not None and (duplicate is None or accelerate.price().capex <= duplicate.price().capex + 1e-6):
        choice = "accelerate the existing lines: cheaper than adding a line" if duplicate is not None else \
            "accelerate the existing lines: no plan with a new line is needed"
    elif duplicate is not None:
        choice = "add a line: accelerating alone is dearer" if accelerate is not None else \
            "add a line: accelerating the existing lines alone cannot reach the target"
    else:
        choice = "neither reaches the target within the levers and budget"
    robots_added = sum((e.copies + c.added) * sum(getattr(ch, "robots", 0) for ch in c.point.candidate.changes()
                                                  if ch.kind == "add_robots")
                       for e, c in zip(plant.lines, mix.choices))
    return Plan(
        subject=plant.name, kind="line" if isinstance(subject, Line) else "plant",
        target_products_per_week=float(target), units_per_product=upp, confidence=simulation.confidence,
        weeks=float(simulation.weeks), replications=simulation.replications, seed=simulation.seed, reached=reached,
        designs=tuple(designs), stations=tuple(rows), capex=price.capex, engineering_h=price.engineering_h,
        operators_per_shift=price.operators_per_shift, lead_time_weeks=price.lead_time_weeks,
        downtime_h=price.downtime_h, robots_added=robots_added,
        today_products_per_week=today_lower, today_deterministic_products_per_week=today_det,
        products_per_week=mix.units_per_week / upp,
        mean_products_per_week=sum(c.mean_units_per_week for c in mix.choices) / upp,
        deterministic_products_per_week=sum(c.deterministic_units_per_week for c in mix.choices) / upp,
        verified_products_per_week=verified,
        verdict=Verdict(_option(accelerate, upp, subject, plant), _option(duplicate, upp, subject, plant), choice),
        curve=tuple(CurvePoint(m.price().capex, m.units_per_week / upp,
                               sum(c.mean_units_per_week for c in m.choices) / upp,
                               sum(c.deterministic_units_per_week for c in m.choices) / upp,
                               m.added_lines, sum(len(c.point.candidate.changes()) for c in m.choices))
                    for m in curve),
        best_reachable_products_per_week=best_reachable, blocked_by=blocked,
        station_evaluations=stations, simulations=sum(s.simulations for s in searches.values()),
        currency=plant.lines[0].line.costs.currency,
        not_searched=tuple(note for e in plant.lines for note in unsearched(e.line, levers)),
    )
