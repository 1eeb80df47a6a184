"""Reader for the ``.alb`` tagged format of Otto, Otto & Scholl (2013), EJOR 228(1):33-45.

Sections start with a tag line such as ``<number of tasks>``, ``<cycle time>``, ``<task times>``
(``id time`` per line), ``<precedence relations>`` (``i,j``, 1-based) and end with ``<end>``.
The published files use CRLF line endings and, in some folders, a decimal comma in
``<order strength>``; unknown tags are skipped so later format additions still read.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .problem import Instance


def _number(text: str) -> float:
    return float(text.strip().replace(",", "."))


def read_otto(path) -> Instance:
    """Read an Otto ``.alb`` file into an :class:`Instance` (0-based arcs, with its cycle time)."""
    p = Path(path)
    try:
        raw = p.read_bytes().decode("latin-1")
    except OSError as exc:
        raise ValueError(f"path: cannot read .alb file {p}: {exc}") from exc
    sections: dict[str, list[str]] = {}
    tag = None
    for ln in raw.splitlines():
        ln = ln.strip()
        if not ln:
            continue
        if ln.startswith("<") and ln.endswith(">"):
            tag = ln[1:-1].strip().lower()
            sections.setdefault(tag, [])
            continue
        if tag is not None:
            sections[tag].append(ln)
    try:
        n = int(sections["number of tasks"][0])
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"path: {p.name} has no valid <number of tasks>") from exc
    times = np.full(n, np.nan)
    for ln in sections.get("task times", []):
        parts = ln.split()
        if len(parts) != 2:
            raise ValueError(f"path: {p.name}: expected 'id time' in <task times>, got {ln!r}")
        k = int(parts[0])
        if not 1 <= k <= n:
            raise ValueError(f"path: {p.name}: task id {k} outside 1..{n}")
        times[k - 1] = _number(parts[1])
    if np.isnan(times).any():
        raise ValueError(f"path: {p.name}: <task times> misses task {int(np.flatnonzero(np.isnan(times))[0]) + 1}")
    arcs = []
    for ln in sections.get("precedence relations", []):
        parts = ln.split(",")
        if len(parts) != 2:
            raise ValueError(f"path: {p.name}: expected 'i,j' in <precedence relations>, got {ln!r}")
        arcs.append((int(parts[0]) - 1, int(parts[1]) - 1))
    cycle = sections.get("cycle time")
    order = sections.get("order strength")
    return Instance(
        name=p.stem,
        task_times=times,
        precedence=np.array(arcs, dtype=np.int64).reshape(-1, 2),
        cycle_time=_number(cycle[0]) if cycle else None,
        order_strength=_number(order[0]) if order else None,
    )
