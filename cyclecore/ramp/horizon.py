"""The ramp over a horizon: its weekly rows, optionally simulated and with uncertainty scenarios,
and the summary a planner reads first — when the target is first met, what the horizon makes and
costs, from when a shift can go, and when labour runs short.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cyclecore.arguments import PROGRESS, SEED, Instance, Integer, Number, arguments, refuse
from cyclecore.ramp.result import RampResult, change_rows
from cyclecore.ramp.uncertainty import SCENARIOS, Uncertainty, percentiles

HORIZON = Integer(at_least=1, at_most=520)
RAMP_REPLICATIONS = Integer(at_least=2, at_most=1000)
RAMP_CONFIDENCE = Number(at_least=0.5, below=1, what="a confidence level 0.5 <= p < 1 (e.g. 0.9)")


def _is_ramp(value) -> bool:
    return hasattr(value, "schedule") and hasattr(value, "capacity") and hasattr(value, "changes")


@arguments(weeks=HORIZON, replications=RAMP_REPLICATIONS, seed=SEED, confidence=RAMP_CONFIDENCE,
           scenarios=SCENARIOS, uncertainty=Instance(Uncertainty, optional=True), progress=PROGRESS)
def run(built, weeks: int, *, simulate=False, replications=10, seed=0, confidence=0.9, scenarios=0,
        uncertainty=None, progress=None) -> RampResult:
    """The :class:`RampResult` of an already built :class:`~cyclecore.ramp.capacity.Ramp` over
    ``weeks`` weeks (the other arguments as :func:`cyclecore.ramp.run.ramp`)."""
    if not _is_ramp(built):
        got = "None" if built is None else f"a {type(built).__name__}"
        raise ValueError(f"ramp: got {got}, expected a cyclecore Ramp")
    if not isinstance(simulate, bool):
        refuse("simulate", simulate, "True or False")
    schedule = built.nominal
    rows = [schedule.row(w) for w in range(weeks)]
    total = (weeks if simulate else 0) + scenarios
    done = 0
    simulated_cumulative = None
    if simulate:
        from cyclecore.ramp.simulated import WeekSimulator

        simulator = WeekSimulator(built, replications, seed, confidence)
        simulated_cumulative = 0.0
        for w in range(weeks):
            mean, lo, hi = simulator.week(schedule, w)
            simulated_cumulative += mean
            rows[w] = dataclasses.replace(rows[w], simulated_products_per_week=mean,
                                          simulated_low_products_per_week=lo, simulated_high_products_per_week=hi)
            done += 1
            if progress is not None:
                progress(done, total)
    uncertainty = uncertainty or Uncertainty()
    cumulative_spread = None
    if scenarios:
        weekly = np.empty((scenarios, weeks))
        for scenario in built.scenarios(scenarios, seed, uncertainty):
            drawn = built.schedule(scenario.lead_time_weeks, scenario.learning_weeks)
            weekly[scenario.index] = [drawn.products(w) for w in range(weeks)]
            done += 1
            if progress is not None:
                progress(done, total)
        per_week = percentiles(weekly)
        cumulative = percentiles(np.cumsum(weekly, axis=1))
        for w in range(weeks):
            rows[w] = dataclasses.replace(
                rows[w], p10_products_per_week=float(per_week[0, w]), p50_products_per_week=float(per_week[1, w]),
                p90_products_per_week=float(per_week[2, w]), p10_cumulative_products=float(cumulative[0, w]),
                p50_cumulative_products=float(cumulative[1, w]), p90_cumulative_products=float(cumulative[2, w]))
        cumulative_spread = cumulative[:, -1]
    target = built.target
    met = _first(rows, lambda r: r.expected_products_per_week >= target) if target is not None else None
    met_simulated = (_first(rows, lambda r: r.simulated_low_products_per_week >= target)
                     if target is not None and simulate else None)
    drop_week, drop_products, drop_saved = _drop_a_shift(built, schedule, weeks, target)
    plan = built.shifts
    return RampResult(
        subject=built.subject, kind=built.kind, weeks=weeks, units_per_product=built.units_per_product,
        currency=built.currency, target_products_per_week=target,
        shift_plan=",".join(f"{start}:{pattern}" for start, pattern in plan.patterns),
        labour_pool=built.labour.pool, hires_per_week=built.labour.hires_per_week,
        changes=change_rows(built), rows=tuple(rows),
        capex=float(sum(c.capex for c in built.changes)),
        cumulative_capex=rows[-1].cumulative_capex, cumulative_products=rows[-1].cumulative_products,
        today_expected_products_per_week=rows[0].expected_products_per_week,
        final_expected_products_per_week=rows[-1].expected_products_per_week,
        final_capacity_products_per_week=rows[-1].capacity_products_per_week,
        target_met_week=met, simulated=simulate, replications=replications if simulate else None, seed=seed,
        confidence=confidence if simulate else None, cumulative_simulated_products=simulated_cumulative,
        target_met_week_simulated=met_simulated, scenarios=scenarios,
        slip_share=uncertainty.slip_share if scenarios else None,
        learning_spread=uncertainty.learning_spread if scenarios else None,
        p10_cumulative_products=None if cumulative_spread is None else float(cumulative_spread[0]),
        p50_cumulative_products=None if cumulative_spread is None else float(cumulative_spread[1]),
        p90_cumulative_products=None if cumulative_spread is None else float(cumulative_spread[2]),
        drop_shift_week=drop_week, drop_shift_products_per_week=drop_products,
        drop_shift_headcount_saved=drop_saved,
        labour_short_weeks=tuple(r.week for r in rows if r.operators_short > 1e-9),
    )


def _first(rows, test) -> int | None:
    for row in rows:
        if test(row):
            return row.week
    return None


def _drop_a_shift(built, schedule, weeks: int, target):
    """The first week from which every remaining week meets ``target`` on one shift a day fewer;
    that week's output on one shift fewer; the headcount it frees."""
    if target is None:
        return None, None, None
    start = None
    for w in range(weeks - 1, -1, -1):
        if built.shifts.at(w).shifts_per_day < 2 or schedule.products(w, drop=1) < target:
            break
        start = w
    if start is None:
        return None, None, None
    saved = schedule.figures(start).staffing.headcount_needed - schedule.figures(start, drop=1).staffing.headcount_needed
    return start, schedule.products(start, drop=1), saved
