"""Field types bounded by :mod:`cyclecore.limits`: every number a line or robot model holds.

``Within(limits.DURATION_S)`` is a float field that must lie in that range (finite, so NaN and inf
never enter a Line); ``Within(limits.MTBF_S, 1 / 3600, "h")`` the same range for a field whose
name gives another unit. ``Whole(limits.BUFFER)`` is a whole-number field. The message of every
refusal is ``expected a number in [low, high] unit``: with the field path that
:func:`cyclecore.model.errors.problems_from_validation` adds, it names field and range.
"""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

from cyclecore.limits import Count, Limit


def _float_checker(limit: Limit, allow_inf: bool):
    expected = f"expected a number {limit.text()}" + (" or .inf" if allow_inf else "")
    low, high, low_open = limit.low, limit.high, limit.low_open

    def check(number: float) -> float:
        # one Python call per value after pydantic's own parsing (a 10,000-task line has 100,000)
        if (low < number if low_open else low <= number) and number <= high:  # False for NaN
            return number
        if allow_inf and number == math.inf:
            return number
        raise ValueError(expected)

    return check


def Within(limit: Limit, factor: float = 1.0, unit: str | None = None, *, allow_inf: bool = False):
    """A float field in ``limit`` (given in SI), expressed in the field's unit (``factor`` per SI unit).
    (An integer too large for a float is refused by pydantic as "expected a number".)"""
    shown = limit if factor == 1.0 and unit is None else limit.scaled(factor, unit if unit is not None else limit.unit)
    return Annotated[float, AfterValidator(_float_checker(shown, allow_inf))]


def Whole(count: Count):
    """A whole-number field in ``count``."""

    def check(value: int) -> int:
        if not count.holds(value):
            raise ValueError(f"expected a whole number {count.text()}")
        return value

    def whole_float(value):
        # a float beyond a count's range (1e30 places) is refused by the range, not by int parsing
        if isinstance(value, float) and not (math.isfinite(value) and count.low <= value <= count.high):
            raise ValueError(f"expected a whole number {count.text()}")
        return value

    return Annotated[int, BeforeValidator(whole_float), AfterValidator(check)]
