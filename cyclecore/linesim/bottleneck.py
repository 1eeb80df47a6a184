"""Which station holds the line back: two independent methods.

*Active period method* (Roser, Nakano & Tanaka, 2002): a station is active while working, failed
or bypassed, and waiting while blocked or starved. At each instant the momentary bottleneck is the
station with the longest current active period (see :mod:`.timeline`); the line's bottleneck is
the station that is the momentary bottleneck for the largest share of time.

*Arrow method* (Kuo, Lim & Meerkov, 1996; Li & Meerkov, "Production Systems Engineering", 2009):
between stations i and i+1 an arrow points downstream if i is blocked more often than i+1 is
starved (BL_i > ST_{i+1}), upstream otherwise. Stations both neighbouring arrows point at are
local bottlenecks; the primary one has the largest severity
|ST_{i+1} - BL_i| + |BL_{i-1} - ST_i| (one term at either end of the line).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cyclecore.results import Result


@dataclass(frozen=True)
class Bottleneck(Result):
    """Bottleneck station indices (0-based) by both methods, and their evidence."""

    active_period: int
    arrow: int
    momentary_share: tuple[float, ...]       # share of observed time each station is the momentary bottleneck
    mean_active_period_s: tuple[float, ...]  # mean length of an uninterrupted active period, s
    arrows: str                              # '>' (downstream) or '<' (upstream) between stations
    severity: tuple[float, ...]              # arrow-method severity, 0 for non-bottlenecks


def arrow_method(blocked: np.ndarray, starved: np.ndarray) -> tuple[int, str, tuple[float, ...]]:
    """(primary bottleneck, arrow string, severities) from blocked and starved time shares."""
    n = len(blocked)
    downstream = [bool(blocked[i] > starved[i + 1]) for i in range(n - 1)]
    severity = np.zeros(n)
    local = np.zeros(n, dtype=bool)
    for i in range(n):
        from_left = i == 0 or downstream[i - 1]
        from_right = i == n - 1 or not downstream[i]
        if not (from_left and from_right):
            continue
        local[i] = True
        if i < n - 1:
            severity[i] += abs(starved[i + 1] - blocked[i])
        if i > 0:
            severity[i] += abs(blocked[i - 1] - starved[i])
    arrows = "".join(">" if d else "<" for d in downstream)
    primary = int(np.argmax(np.where(local, severity, -1.0)))
    return primary, arrows, tuple(float(x) for x in severity)


def active_period_method(momentary_share: np.ndarray) -> int:
    """The station most often the momentary bottleneck."""
    return int(np.argmax(momentary_share))
