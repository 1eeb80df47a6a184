"""What a ramp is given: a line or plant, and a plan (file content or :class:`~cyclecore.plan.result.Plan`)
or a list of changes; and the plan file's optional ``"ramp"`` section.

A plan is checked as ``cyclecore apply`` checks it — made for this line or plant (each design's
fingerprint), known designs, changes that read as changes — and every mistake names its place:
``plan: designs[0].changes[3]: …``. A list of changes (``Change`` values or their
``{"kind": …}`` dictionaries) is for a line; a plant takes a mapping from design name to list.

The plan file's ``"ramp"`` section, which ``cyclecore optimize`` does not write and a user may
add::

    "ramp": {"learning": {"add_robots": {"start": 0.6, "weeks": 6},
                          "speed_up@Z2-S02-bond/R1": {"start": 0.9, "weeks": 2, "applies_to": "cycle"}},
             "order_weeks": {"gen-1:Z2-S02-bond": 4}}

selects changes as ``--order-week`` does (:func:`cyclecore.ramp.schedule.select`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cyclecore.changes.base import Change, change_from_dict
from cyclecore.model.line import Line
from cyclecore.model.plant import Plant, PlantLine

RAMP_FIELDS = ("learning", "order_weeks")


@dataclass(frozen=True)
class Design:
    """One line design of the ramp: its name, line, copies running today and copies a plan adds."""

    name: str
    line: Line
    copies: int
    added: int


@dataclass(frozen=True)
class Given:
    """The ramp's input, read: designs; per design its changes with where each was given; the
    plan's target (products/week) and its ramp section as (selector, value, where) triples."""

    subject: str
    kind: str  # "line" or "plant"
    designs: tuple[Design, ...]
    changes: tuple[tuple[tuple[Change, str], ...], ...]  # per design
    target: float | None
    learning: tuple[tuple[str, object, str], ...]
    order_weeks: tuple[tuple[str, object, str], ...]


def designs_of(subject) -> tuple[Design, ...]:
    if isinstance(subject, Line):
        return (Design(subject.name, subject, subject.identical_lines, 0),)
    return tuple(Design(e.name, e.line, e.copies, 0) for e in subject.lines)


def read(subject: Line | Plant, changes) -> Given:
    """The ramp's input from ``subject`` and ``changes`` (a Plan, a plan dict, a list of changes,
    or a mapping from design name to changes); ``ValueError`` naming the field otherwise."""
    if not isinstance(subject, (Line, Plant)):
        got = "None" if subject is None else f"a {type(subject).__name__}"
        raise ValueError(f"line_or_plant: got {got}, expected a cyclecore Line or Plant")
    kind = "line" if isinstance(subject, Line) else "plant"
    designs = designs_of(subject)
    if hasattr(changes, "designs") and hasattr(changes, "to_dict"):  # a Plan
        changes = changes.to_dict()
    if isinstance(changes, Mapping) and "designs" in changes:
        return _from_plan(subject, kind, designs, changes)
    if isinstance(changes, Mapping):
        per_design = []
        known = {d.name for d in designs}
        unknown = [k for k in changes if k not in known]
        if unknown:
            raise ValueError(f"changes: got design {unknown[0]!r}, expected one of {', '.join(sorted(known))}")
        for design in designs:
            per_design.append(_listed(changes.get(design.name, ()), f"changes[{design.name!r}]"))
    elif isinstance(changes, (list, tuple)):
        if len(designs) != 1:
            raise ValueError("changes: a plant has several line designs; give a mapping from design name to its "
                             f"changes ({', '.join(d.name for d in designs)}) or a plan")
        per_design = [_listed(changes, "changes")]
    else:
        raise ValueError(f"changes: got {type(changes).__name__}, expected a plan (a file's content or a Plan), a "
                         "list of changes, or a mapping from line design to changes")
    return Given(subject.name, kind, designs, tuple(per_design), None, (), ())


def _listed(items, where: str) -> tuple[tuple[Change, str], ...]:
    if not isinstance(items, (list, tuple)):
        raise ValueError(f"{where}: got {type(items).__name__}, expected a list of changes")
    out = []
    for k, item in enumerate(items):
        here = f"{where}[{k}]"
        if isinstance(item, Change):
            out.append((item, here))
            continue
        try:
            out.append((change_from_dict(item), here))
        except ValueError as error:
            raise ValueError(f"{here}: {error}") from None
    return tuple(out)


def _from_plan(subject, kind: str, designs: tuple[Design, ...], data: Mapping) -> Given:
    from cyclecore.plan.result import fingerprint

    if data.get("kind") not in ("line", "plant") or data["kind"] != kind:
        raise ValueError(f"plan: made for a {data.get('kind')!r}, given a {kind} "
                         f"({'a line file' if kind == 'line' else 'a plant file'}); run `cyclecore optimize` on it")
    entries = data["designs"]
    if not isinstance(entries, list):
        raise ValueError("plan: designs: expected a list of line designs, as `cyclecore optimize -o` writes")
    by_name = {d.name: d for d in designs}
    per_design: dict[str, tuple] = {d.name: () for d in designs}
    added: dict[str, int] = {d.name: 0 for d in designs}
    for i, entry in enumerate(entries):
        where = f"plan: designs[{i}]"
        name = entry.get("name") if isinstance(entry, Mapping) else None
        if name not in by_name:
            raise ValueError(f"{where}.name: got {name!r}, expected one of {', '.join(by_name)}")
        line = by_name[name].line
        if entry.get("fingerprint") != fingerprint(line):
            raise ValueError(f"{where}: made for another version of line {line.name!r} (fingerprint "
                             f"{entry.get('fingerprint')!r}, this line {fingerprint(line)!r}); run `cyclecore optimize` "
                             "on this line")
        changes = entry.get("changes")
        if not isinstance(changes, list):
            raise ValueError(f"{where}.changes: expected a list of changes")
        per_design[name] = _listed(changes, f"{where}.changes")
        count = entry.get("added_copies", 0)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"{where}.added_copies: got {count!r}, expected a whole number >= 0")
        added[name] = count
    target = data.get("target_products_per_week")
    if target is not None and (isinstance(target, bool) or not isinstance(target, (int, float)) or not target > 0
                               or target == float("inf")):
        raise ValueError(f"plan: target_products_per_week: got {target!r}, expected a positive number")
    learning, order_weeks = _ramp_section(data.get("ramp"))
    designs = tuple(Design(d.name, d.line, d.copies, added[d.name]) for d in designs)
    return Given(subject.name, kind, designs, tuple(per_design[d.name] for d in designs),
                 None if target is None else float(target), learning, order_weeks)


def _ramp_section(section):
    if section is None:
        return (), ()
    if not isinstance(section, Mapping):
        raise ValueError(f"plan: ramp: got {section!r}, expected a mapping with {' and/or '.join(RAMP_FIELDS)}")
    unknown = sorted(set(section) - set(RAMP_FIELDS))
    if unknown:
        raise ValueError(f"plan: ramp: unknown field(s) {', '.join(map(str, unknown))}; expected {', '.join(RAMP_FIELDS)}")
    out = []
    for field in RAMP_FIELDS:
        value = section.get(field, {})
        if not isinstance(value, Mapping):
            raise ValueError(f"plan: ramp.{field}: got {value!r}, expected a mapping from change names to values")
        out.append(tuple((str(k), v, f"plan: ramp.{field}.{k}") for k, v in value.items()))
    return out[0], out[1]
