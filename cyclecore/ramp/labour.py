"""Shifts and labour: which shifts run each week, who staffs them, and when a shift can go.

**Shift plan.** Each week runs a pattern of ``shifts_per_day`` × ``days_per_week`` (hours per shift
and planned downtime stay each line's own). A plan is a list of patterns from a week on: ``3x5``
(three shifts, five days, every week) or ``0:3x5,30:2x5`` (two shifts from week 30). Without one,
the ramp runs the lines' own calendars (they must agree on the pattern in a plant).

**Crew.** A line copy needs, per shift: its base crew (``crew_per_shift``, what the line needs
today besides its manual stations), the operators of every station with a manual bypass (on call
every shift, since a bypass can start in any of them), and the operators each landed change adds
(the cost book's ``operators_per_shift``). A week needs crew × shifts in operator-shifts; one
operator works ``shifts_per_operator`` shifts a week (5: one a day, five days). Headcount needed
= crew × shifts per week / shifts per operator.

**The pool.** ``pool`` operators at week 0, ``hires_per_week`` more each week. When the pool cannot
staff every planned shift of the plant, the week runs the whole shifts it can staff,
⌊pool × shifts_per_operator / crew⌋, and its output is capped to that share of its shifts; the
week reports the operators it is short.

**Dropping a shift.** Once the line is faster, the same target may be met on one shift fewer (the
seed: 2,000 cars/week on three shifts became 1,800/week on two). The ramp recomputes every week
on one shift fewer a day — hours, installation downtime and crew included — and answers from which
week on every remaining week still meets the target.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from cyclecore.arguments import Integer, Number, refuse

SHIFTS = Integer(at_least=1, at_most=4)
DAYS = Number(above=0, at_most=7, what="a number of days in (0, 7]")
FROM_WEEK = Integer(at_least=0)
POOL = Number(at_least=0, optional=True, what="a number of operators >= 0, or None for no limit")
HIRES = Number(at_least=0, what="a number of operators >= 0 per week")
CREW = Number(at_least=0, what="a number of operators >= 0 per shift")
SHIFTS_PER_OPERATOR = Number(above=0, at_most=21, what="a number of shifts in (0, 21] per operator and week")
PATTERN = re.compile(r"^\s*(?:(\d+)\s*:\s*)?(\d+)\s*(?:[xX×]\s*([0-9.]+))?\s*$")


@dataclass(frozen=True)
class Shifts:
    """One week's pattern: shifts a day and production days a week."""

    shifts_per_day: int
    days_per_week: float

    @property
    def per_week(self) -> float:
        return self.shifts_per_day * self.days_per_week

    def __str__(self) -> str:
        return f"{self.shifts_per_day}x{self.days_per_week:g}"


@dataclass(frozen=True)
class ShiftPlan:
    """Patterns from a week on: ``((0, Shifts(3, 5)), (30, Shifts(2, 5)))``; the first from week 0."""

    patterns: tuple[tuple[int, Shifts], ...]

    def at(self, week: int) -> Shifts:
        current = self.patterns[0][1]
        for start, pattern in self.patterns:
            if start <= week:
                current = pattern
        return current


def parse_shift_plan(value, default: Shifts, where: str = "shifts") -> ShiftPlan:
    """A :class:`ShiftPlan` from what a user gives.

    ``None`` (the lines' own pattern ``default``), a ShiftPlan, a whole number of shifts a day
    (days from ``default``), a pair ``(shifts_per_day, days_per_week)``, a mapping ``{from_week:
    pattern}``, or text ``"3x5"`` / ``"0:3x5,30:2x5"`` / ``"2"``. ``ValueError`` naming ``where``."""
    if value is None:
        return ShiftPlan(((0, default),))
    if isinstance(value, ShiftPlan):
        return value
    if isinstance(value, str):
        patterns = []
        for part in value.split(","):
            match = PATTERN.match(part)
            if not match:
                refuse(where, value, 'shift patterns like "3x5" (shifts a day x days a week) or "0:3x5,30:2x5" '
                       "(from week 30 on: 2 shifts, 5 days)")
            start = int(match.group(1) or 0)
            days = default.days_per_week if match.group(3) is None else _days(match.group(3), value, where)
            patterns.append((start, _pattern(int(match.group(2)), days, where)))
        return _plan(patterns, where)
    if isinstance(value, Mapping):
        return _plan([(FROM_WEEK.check(k, f"{where} (a week)"), _one(v, default, f"{where}[{k!r}]"))
                      for k, v in value.items()], where)
    return ShiftPlan(((0, _one(value, default, where)),))


def _days(text: str, value, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        refuse(where, value, 'shift patterns like "3x5"')


def _one(value, default: Shifts, where: str) -> Shifts:
    if isinstance(value, Shifts):
        return _pattern(value.shifts_per_day, value.days_per_week, where)
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return _pattern(value[0], value[1], where)
    if isinstance(value, str):
        return parse_shift_plan(value, default, where).patterns[0][1]
    return _pattern(value, default.days_per_week, where)


def _pattern(shifts, days, where: str) -> Shifts:
    return Shifts(SHIFTS.check(shifts, f"{where} (shifts a day)"), DAYS.check(days, f"{where} (days a week)"))


def _plan(patterns, where: str) -> ShiftPlan:
    patterns = sorted(patterns, key=lambda p: p[0])
    if not patterns or patterns[0][0] != 0:
        raise ValueError(f"{where}: the first pattern must start at week 0 (write '0:3x5,30:2x5')")
    starts = [p[0] for p in patterns]
    if len(set(starts)) < len(starts):
        raise ValueError(f"{where}: two patterns start in the same week")
    return ShiftPlan(tuple(patterns))


@dataclass(frozen=True)
class Labour:
    """The labour pool and the crew of a line (see the module docstring).

    pool: operators available at week 0 (None: no limit); hires_per_week: operators added each
    week; crew_per_shift: each line copy's base crew per shift, one number or one per line design
    (besides manual stations and the changes' operators); shifts_per_operator: shifts one
    operator works a week."""

    pool: float | None = None
    hires_per_week: float = 0.0
    crew_per_shift: float | Mapping = 0.0
    shifts_per_operator: float = 5.0

    def __post_init__(self):
        object.__setattr__(self, "pool", POOL.check(self.pool, "labour.pool"))
        object.__setattr__(self, "hires_per_week", HIRES.check(self.hires_per_week, "labour.hires_per_week"))
        if isinstance(self.crew_per_shift, Mapping):
            crew = {str(k): CREW.check(v, f"labour.crew_per_shift[{k!r}]") for k, v in self.crew_per_shift.items()}
            object.__setattr__(self, "crew_per_shift", tuple(sorted(crew.items())))
        elif not isinstance(self.crew_per_shift, tuple):
            object.__setattr__(self, "crew_per_shift", CREW.check(self.crew_per_shift, "labour.crew_per_shift"))
        object.__setattr__(self, "shifts_per_operator",
                           SHIFTS_PER_OPERATOR.check(self.shifts_per_operator, "labour.shifts_per_operator"))

    def crew(self, design: str) -> float:
        """Base crew per shift of one copy of ``design``."""
        if isinstance(self.crew_per_shift, tuple):
            return dict(self.crew_per_shift).get(design, 0.0)
        return self.crew_per_shift

    def available(self, week: int) -> float | None:
        """Operators in the pool in ``week`` (None: no limit)."""
        return None if self.pool is None else self.pool + self.hires_per_week * week


@dataclass(frozen=True)
class Staffing:
    """One week's labour: crew per shift (operators), headcount needed and available, operators
    short, and the share of the planned shifts that run."""

    operators_per_shift: float
    headcount_needed: float
    headcount_available: float | None
    operators_short: float
    shifts_planned: float
    shifts_staffed: float

    @property
    def share(self) -> float:
        return 1.0 if self.shifts_planned == 0 else self.shifts_staffed / self.shifts_planned

    @property
    def capped(self) -> bool:
        return self.shifts_staffed < self.shifts_planned


def staffing(crew_per_shift: float, shifts: Shifts, labour: Labour, week: int) -> Staffing:
    """Who staffs week ``week``: the plant's ``crew_per_shift`` on ``shifts`` from ``labour``'s pool."""
    planned = shifts.per_week
    needed = crew_per_shift * planned / labour.shifts_per_operator
    available = labour.available(week)
    if available is None or crew_per_shift <= 0 or available >= needed - 1e-9:
        staffed = planned
    else:
        staffed = min(planned, float(math.floor(available * labour.shifts_per_operator / crew_per_shift + 1e-9)))
    short = 0.0 if available is None else max(0.0, needed - available)
    return Staffing(crew_per_shift, needed, available, short, planned, staffed)
