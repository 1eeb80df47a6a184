"""The schedule: which changes there are, when each is ordered and lands, and the downtime it costs.

Every change of a plan (or a list of changes) becomes a :class:`RampChange` with a *name* a user
can type: ``kind@target`` on a line (``speed_up@Z2-S02-bond/R1``, ``add_buffer@Z1-S01``,
``option@bond-bead-v2``, ``rebalance_zone@2``), ``design:kind@target`` in a plant, and
``design:line_duplicate`` for the copies of a line design a plan adds.

A change ordered in week ``o`` with a lead time of ``L`` weeks *lands* at the start of week
⌈o + L⌉, is installed that week and runs from then on. Installation stops the line for the
change's downtime (hours, per copy of the line; changes landing together add up). It costs no
production when it fits in the week's non-production hours — the 168 h of a week minus its shift
hours — and takes the rest from the week's shift hours; what does not fit into one week carries
into the next.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from cyclecore.arguments import Number
from cyclecore.changes.base import Change, Price

HOURS_PER_WEEK = 168.0
ORDER_WEEK = Number(at_least=0, what="a week >= 0")


@dataclass(frozen=True)
class RampChange:
    """One change of the ramp: its name, its design (line), what it is, its price per copy.

    ``change`` is None for added line copies (``kind`` "line_duplicate", ``copies`` = copies
    added). ``stations`` are the stations whose work it changes (its learning acts on them).
    ``installed_on``: copies that carry the change (existing and added copies of its design).
    ``where`` names it in the input (``plan: designs[0].changes[3]``) for messages."""

    name: str
    design: str
    kind: str
    change: Change | None
    price: Price
    copies: int
    installed_on: int
    stations: tuple[str, ...]
    description: str
    where: str
    labels: frozenset[str]

    @property
    def capex(self) -> float:
        """All copies it is installed on (currency of the cost book)."""
        return self.price.capex * self.installed_on


def target_of(change: Change) -> str:
    """What a change acts on, as its name writes it: ``station[/robot]``, an option, a zone."""
    if change.kind == "option":
        return change.option
    if change.kind == "rebalance_zone":
        return str(change.zone)
    robot = getattr(change, "robot", None)
    return f"{change.station}/{robot}" if robot else change.station


def change_name(design: str | None, kind: str, target: str | None) -> str:
    short = kind if target is None else f"{kind}@{target}"
    return short if design is None else f"{design}:{short}"


def labels_of(design: str, plant: bool, change: Change | None, kind: str, name: str) -> frozenset[str]:
    """What ``--order-week`` and learning overrides may select a change by: its name (with or
    without the design), its kind, its station, option or zone, or its design (every change of it)."""
    out = {name, kind, design, f"{design}:{kind}"}
    if plant:
        out.add(name.split(":", 1)[1])
    if change is not None:
        station = getattr(change, "station", None)
        if station is not None:
            out |= {station, f"{design}:{station}"}
        if kind == "option":
            out |= {change.option, f"{design}:{change.option}"}
    return frozenset(out)


def unique_names(names: list[str]) -> list[str]:
    """Names made unique by a ``#2``, ``#3`` … on repeats (two buffer changes after one station)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return out


def select(changes, selector: str, where: str) -> list[int]:
    """Indices of the changes ``selector`` names; ``ValueError`` naming ``where`` when none."""
    if not isinstance(selector, str) or not selector:
        raise ValueError(f"{where}: got {selector!r}, expected the name of a change (or its station, kind or design)")
    found = [i for i, c in enumerate(changes) if selector in c.labels]
    if not found:
        names = ", ".join(c.name for c in changes[:12]) or "none"
        if len(changes) > 12:
            names += f", … ({len(changes)} in all)"
        raise ValueError(f"{where}: {selector!r} names no change of this ramp; expected a change's name, station, "
                         f"kind or design (changes: {names})")
    return found


def order_weeks_of(changes, selections) -> tuple[float, ...]:
    """The week each change is ordered: 0 unless a selection says otherwise (later ones win).

    ``selections``: ``(selector, week, field)`` triples; ``field`` names the entry in messages."""
    weeks = [0.0] * len(changes)
    for selector, week, field in selections:
        found = select(changes, selector, field)
        value = ORDER_WEEK.check(week, field)
        for i in found:
            weeks[i] = value
    return tuple(weeks)


def landing_week(order_week: float, lead_time_weeks: float) -> int:
    """The week a change starts running: the first whole week after its lead time (a sum that is a
    whole number up to rounding counts as that number)."""
    return max(0, math.ceil(order_week + lead_time_weeks - 1e-9))


def lost_shift_hours(installs_h, shift_hours) -> list[float]:
    """Shift hours lost to installations, week by week.

    ``installs_h[w]``: installation hours starting in week w (the line is stopped meanwhile);
    ``shift_hours[w]``: that week's shift hours. The week's non-production hours (168 − shift
    hours) absorb installation first; the rest takes shift hours, and what the week cannot hold
    carries into the next."""
    lost = []
    carried = 0.0
    for install, shift in zip(installs_h, shift_hours):
        pending = carried + install
        free = max(0.0, HOURS_PER_WEEK - shift)
        over = max(0.0, pending - free)
        taken = min(shift, over)
        lost.append(taken)
        carried = over - taken
    return lost


def mapping_items(value, where: str) -> list[tuple]:
    """(key, value) pairs of a mapping, or of a list of pairs (the CLI's repeated options)."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        return list(value.items())
    if isinstance(value, (list, tuple)) and all(isinstance(v, (list, tuple)) and len(v) == 2 for v in value):
        return [tuple(v) for v in value]
    raise ValueError(f"{where}: got {value!r}, expected a mapping from change names to values")
