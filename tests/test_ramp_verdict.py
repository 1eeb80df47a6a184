"""The ramp-aware verdict: ``cyclecore optimize`` gives, for accelerating and for duplicating, the
products of the first 52 weeks as the ramp sees them (every change ordered now). A new line takes
78 weeks to arrive, so in the first year it adds nothing; accelerating lands within weeks.
"""

from __future__ import annotations

import pytest

import cyclecore

SMALL = cyclecore.Levers(resequence=False, robots=False, rebalance=False, max_buffer_places=1, added_lines=1)


@pytest.fixture(scope="module")
def tutorial():
    return cyclecore.load_example("tutorial")


@pytest.fixture(scope="module")
def plan(tutorial):
    return cyclecore.optimize(tutorial, target=9500, weeks=0.2, replications=3, levers=SMALL)


def test_the_accelerate_option_makes_what_its_ramp_makes_in_52_weeks(tutorial, plan):
    accelerate = plan.verdict.accelerate
    assert plan.verdict.choice.startswith("accelerate") and plan.capex == accelerate.capex  # the plan is it
    ramped = cyclecore.ramp(tutorial, plan, weeks=52)
    assert accelerate.cumulative_products_52_weeks == pytest.approx(ramped.cumulative_products, rel=1e-12)
    assert ramped.capex == pytest.approx(plan.capex, rel=1e-12)  # every change priced as the plan prices it


def test_a_new_line_adds_nothing_in_the_first_52_weeks(tutorial, plan):
    duplicate = plan.verdict.duplicate
    assert duplicate.added_lines == 1 and duplicate.lead_time_weeks == tutorial.costs.lead_time_weeks.line_duplicate
    assert duplicate.capex == tutorial.costs.line_duplicate  # only the new line: no other change
    as_today = cyclecore.ramp(tutorial, [], weeks=52).cumulative_products
    assert duplicate.cumulative_products_52_weeks == pytest.approx(as_today, rel=1e-12)
    assert plan.verdict.accelerate.cumulative_products_52_weeks > duplicate.cumulative_products_52_weeks


def test_the_plan_prints_and_saves_the_first_year_of_each_option(plan):
    text = str(plan)
    v = plan.verdict
    assert (f"first 52 weeks (ramp, every change ordered now): accelerate "
            f"{v.accelerate.cumulative_products_52_weeks:,.0f} products, duplicate "
            f"{v.duplicate.cumulative_products_52_weeks:,.0f} products") in text
    saved = plan.to_dict()["verdict"]
    assert saved["accelerate"]["cumulative_products_52_weeks"] == v.accelerate.cumulative_products_52_weeks
