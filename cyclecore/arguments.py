"""The budget every combinatorial search takes: a time limit and a seed.

Sequencing and balancing both check these at their public entry points, with one message.
"""

from __future__ import annotations

import math

import numpy as np


def check_time_limit(time_limit, name: str = "time_limit") -> float:
    """A search time limit: finite seconds > 0."""
    try:
        value = float(time_limit)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a time in s, got {time_limit!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name}: expected a finite time > 0 s, got {time_limit!r}")
    return value


def check_seed(seed, name: str = "seed") -> int:
    """A random seed: an integer >= 0."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"{name}: expected an integer >= 0, got {seed!r}")
    return int(seed)
