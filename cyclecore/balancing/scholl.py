"""Reader for Scholl's ``.IN2`` precedence graphs (Scholl 1993, assembly-line-balancing.de).

Line 1 is the number of tasks n, the next n lines the task times, then precedence arcs ``i,j``
(1-based; i at the same or an earlier station than j) until ``-1,-1``. The file carries no cycle
time: the instance lists (:mod:`.instances`) pair each graph with its cycle times or station counts.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .problem import Instance


def read_scholl(path) -> Instance:
    """Read a Scholl ``.IN2`` file into an :class:`Instance` (0-based arcs, no cycle time)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="latin-1")
    except OSError as exc:
        raise ValueError(f"path: cannot read Scholl file {p}: {exc}") from exc
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    try:
        n = int(lines[0])
        times = np.array([float(x) for x in lines[1 : 1 + n]], dtype=np.float64)
    except (IndexError, ValueError) as exc:
        raise ValueError(f"path: {p.name} is not a Scholl .IN2 file (task count and times)") from exc
    if times.shape[0] != n:
        raise ValueError(f"path: {p.name} declares {n} tasks but lists {times.shape[0]} times")
    arcs = []
    for ln in lines[1 + n :]:
        parts = ln.replace(";", ",").split(",")
        if len(parts) != 2:
            raise ValueError(f"path: {p.name}: expected an arc 'i,j', got {ln!r}")
        i, j = int(parts[0]), int(parts[1])
        if i == -1 and j == -1:
            break
        arcs.append((i - 1, j - 1))
    prec = np.array(arcs, dtype=np.int64).reshape(-1, 2)
    return Instance(name=p.stem, task_times=times, precedence=prec, cycle_time=None)
