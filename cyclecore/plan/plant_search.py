"""A plant's cheapest mix: accelerate each line design, add copies of a design, or both.

Every design has its own capex-versus-output curve (:mod:`cyclecore.plan.line_search`); the
changes of a curve point go into every copy of the design, existing and added, and are paid once
per copy. A mix picks one curve point per design and a number of added copies; its output is
Σ copies × the design's output per copy (units/week, the lower end of each design's confidence
interval, so the sum is conservative), its capex Σ copies × the point's capex plus the added
copies' price. There are few designs and short curves, so every mix is enumerated (a small
multiple-choice knapsack, solved exactly by listing).

The accelerate-versus-duplicate verdict compares the cheapest mix that adds no line with the
cheapest that adds at least one: capex, lead time and operators.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cached_property

from cyclecore.changes.base import Price, lever_price
from cyclecore.model.plant import Plant
from cyclecore.plan.line_search import Evaluated, LineSearch

MAX_ADDED_COPIES = 2  # per design


@dataclass(frozen=True, eq=False)
class DesignChoice:
    """One design in a mix: the curve point its copies run and how many copies are added."""

    design: str
    copies: int  # existing copies
    added: int
    point: Evaluated
    search: LineSearch

    @property
    def units_per_week(self) -> float:
        """All copies, lower end of the confidence interval per copy."""
        return (self.copies + self.added) * self.point.output.lower

    @property
    def mean_units_per_week(self) -> float:
        return (self.copies + self.added) * self.point.output.mean

    @property
    def deterministic_units_per_week(self) -> float:
        return (self.copies + self.added) * self.point.deterministic_units_per_week

    @cached_property
    def cost(self) -> Price:
        """The changes in every copy, and the added copies."""
        line = self.search.line
        changes = self.point.candidate.price().times(self.copies + self.added)
        if self.added:
            changes = changes + lever_price(line, "line_duplicate", line.costs.line_duplicate, self.added)
        return changes

    def price(self) -> Price:
        return self.cost


@dataclass(frozen=True, eq=False)
class Mix:
    """One choice per design."""

    choices: tuple[DesignChoice, ...]

    @property
    def units_per_week(self) -> float:
        return sum(c.units_per_week for c in self.choices)

    @property
    def added_lines(self) -> int:
        return sum(c.added for c in self.choices)

    @cached_property
    def cost(self) -> Price:
        total = Price()
        for choice in self.choices:
            total = total + choice.cost
        return total

    def price(self) -> Price:
        return self.cost


def plant_mixes(plant: Plant, searches: dict[str, LineSearch], max_added: int = MAX_ADDED_COPIES):
    """Every mix of curve points and added copies, in a fixed order."""
    per_design = []
    for entry in plant.lines:
        search = searches[entry.name]
        per_design.append([DesignChoice(entry.name, entry.copies, added, point, search)
                           for added in range(max_added + 1) for point in search.curve])
    return [Mix(tuple(combo)) for combo in itertools.product(*per_design)]


def cheapest(mixes, target_units: float, *, adds_lines: bool | None = None) -> Mix | None:
    """The cheapest mix reaching ``target_units`` (optionally only those adding / not adding a
    line); ties go to the one listed first."""
    best, best_capex = None, None
    for mix in mixes:
        if adds_lines is not None and (mix.added_lines > 0) != adds_lines:
            continue
        if mix.units_per_week < target_units:
            continue
        capex = mix.price().capex
        if best is None or capex < best_capex - 1e-6:
            best, best_capex = mix, capex
    return best


def mix_curve(mixes) -> tuple[Mix, ...]:
    """The plant's Pareto curve: capex rising, output strictly rising."""
    ranked = sorted(range(len(mixes)), key=lambda k: (round(mixes[k].price().capex, 6), -mixes[k].units_per_week, k))
    out, best = [], float("-inf")
    for k in ranked:
        if mixes[k].units_per_week > best:
            out.append(mixes[k])
            best = mixes[k].units_per_week
    return tuple(out)
