"""Exact integer task times, because bin-packing search needs exact sums.

Balancing compares sums of task times with a cycle time; in floating point ``0.1 + 0.2 > 0.3`` can
wrongly close a station. Task times of real lines are given to a fixed resolution (ms at best),
so every time is scaled by the smallest power of ten that makes all of them integral. If none up
to 1e6 does, times are rounded *up* and the cycle time *down* at microsecond resolution, so any
balance found is still feasible in the original seconds.
"""

from __future__ import annotations

import numpy as np

_MAX_DIGITS = 6


def integer_scale(values: np.ndarray) -> int:
    """Smallest 10**k (k <= 6) making every value integral within 1e-9 relative; else 10**6."""
    v = np.abs(np.asarray(values, dtype=np.float64))
    for k in range(_MAX_DIGITS + 1):
        s = 10.0**k
        x = v * s
        if np.all(np.abs(x - np.round(x)) <= 1e-9 * np.maximum(1.0, x)):
            return 10**k
    return 10**_MAX_DIGITS


def scaled_up(values: np.ndarray, scale: int) -> np.ndarray:
    """``values * scale`` as int64, rounded up unless already integral (task times)."""
    x = np.asarray(values, dtype=np.float64) * scale
    r = np.round(x)
    return np.where(np.abs(x - r) <= 1e-9 * np.maximum(1.0, np.abs(x)), r, np.ceil(x)).astype(np.int64)


def scaled_down(value: float, scale: int) -> int:
    """``value * scale`` as an int, rounded down unless already integral (cycle times)."""
    x = float(value) * scale
    r = round(x)
    return int(r) if abs(x - r) <= 1e-9 * max(1.0, abs(x)) else int(np.floor(x))
