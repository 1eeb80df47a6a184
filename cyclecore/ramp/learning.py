"""Learning: a landed change runs below its final rate at first, and climbs towards it.

A change's *maturity* ``t`` weeks after it landed is

    m(t) = 1 − (1 − m0) · exp(−t / τ)

with a starting share ``m0`` in (0, 1] and a time constant ``τ`` ≥ 0 weeks (τ = 0: no learning).
Maturity multiplies the availability (default) or the rate of the stations the change touches:
station availability m·A, or cycle time c / m. A station touched by several changes runs at the
product of their maturities. A week uses the change's *mean* maturity over that week,

    m̄_k = ∫_k^{k+1} m(t) dt = 1 − (1 − m0) · τ (1 − e^{−1/τ}) · e^{−k/τ}      (k = week − landing week)

so a weekly figure is the week's average, exactly.

The defaults per change kind below are planning values, not measurements: a re-taught robot
program or a validated override runs nearly at once; new robots, a moved zone or a new cell take
weeks of commissioning faults; a new line ramps over months. Override them per kind or per change
(``learning=`` in the API, ``"ramp": {"learning": …}`` in a plan file).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from cyclecore.arguments import Choice, Number, refuse

APPLIES_TO = ("availability", "cycle")
START = Number(above=0, at_most=1, what="a share in (0, 1]")
WEEKS = Number(at_least=0, what="a time constant >= 0 weeks")


@dataclass(frozen=True)
class Learning:
    """How one change matures: starting share ``start`` (m0, in (0, 1]), time constant ``weeks``
    (τ ≥ 0; 0 means it runs at its final value at once) and what it acts on: the touched stations'
    ``"availability"`` or their ``"cycle"``."""

    start: float
    weeks: float
    applies_to: str = "availability"

    def __post_init__(self):
        object.__setattr__(self, "start", START.check(self.start, "start"))
        object.__setattr__(self, "weeks", WEEKS.check(self.weeks, "weeks"))
        Choice(APPLIES_TO).check(self.applies_to, "applies_to")

    def maturity(self, t_weeks: float) -> float:
        """m(t) at ``t_weeks`` after landing (1 before it ever matters: callers pass t ≥ 0)."""
        if self.weeks == 0.0 or self.start == 1.0:
            return 1.0
        return 1.0 - (1.0 - self.start) * math.exp(-t_weeks / self.weeks)

    def week_maturity(self, k: int) -> float:
        """Mean maturity over the ``k``-th week after landing (k = 0: the landing week)."""
        return week_maturity(k, self.start, self.weeks)


def week_maturity(k: float, start: float, weeks: float) -> float:
    """m̄_k: the mean of m(t) over [k, k + 1) weeks after landing (see the module docstring)."""
    if weeks == 0.0 or start == 1.0:
        return 1.0
    return 1.0 - (1.0 - start) * weeks * -math.expm1(-1.0 / weeks) * math.exp(-k / weeks)


# Planning defaults per change kind (documented in docs/ARCHITECTURE.md, "The ramp").
DEFAULT_LEARNING: dict[str, Learning] = {
    "resequence": Learning(0.95, 1.0),         # a re-taught program: a few stops while it is tuned
    "speed_up": Learning(0.98, 1.0),           # a validated override: barely any
    "add_robots": Learning(0.7, 4.0),          # new robots and a new split: commissioning faults
    "rebalance_zone": Learning(0.8, 3.0),      # moved tasks and tooling in a whole zone
    "add_buffer": Learning(1.0, 0.0),          # passive places: nothing to learn
    "repair_programme": Learning(1.0, 0.0),    # spares and training are in place when it lands
    "duplicate_station": Learning(0.7, 6.0),   # a new cell beside the old one
    "option": Learning(0.85, 3.0),             # a new process or part: first-run problems
    "line_duplicate": Learning(0.3, 12.0),     # a new line ramps over months
}


def learning_from(value, where: str, base: Learning | None = None) -> Learning:
    """A :class:`Learning` from a mapping with any of ``"start"``, ``"weeks"``, ``"applies_to"``
    (the others from ``base``: the change's default) or a Learning; ``ValueError`` naming
    ``where`` and the field otherwise."""
    if isinstance(value, Learning):
        return value
    if not isinstance(value, Mapping):
        refuse(where, value, 'a mapping like {"start": 0.8, "weeks": 3}')
    unknown = sorted(set(value) - {"start", "weeks", "applies_to"})
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {', '.join(map(str, unknown))}; expected start, weeks, applies_to")
    if base is None and not {"start", "weeks"} <= set(value):
        raise ValueError(f"{where}: expected both start (a share in (0, 1]) and weeks (a time constant >= 0)")
    start = START.check(value["start"], f"{where}.start") if "start" in value else base.start
    weeks = WEEKS.check(value["weeks"], f"{where}.weeks") if "weeks" in value else base.weeks
    applies_to = Choice(APPLIES_TO).check(value.get("applies_to", base.applies_to if base else "availability"),
                                          f"{where}.applies_to")
    return Learning(start, weeks, applies_to)
