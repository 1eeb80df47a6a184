"""A plan file (``cyclecore optimize -o plan.json``) read back as a :class:`~cyclecore.plan.result.Plan`.

The report draws a plan's curve and tables from the same object whether the plan was just made
(``cyclecore optimize --report``) or read from its file (``cyclecore report --plan``). A plan file
is :meth:`Plan.to_dict`: every field by name, nested results as dicts, changes as ``{"kind": ...}``
values, ``null`` with its reason in ``"missing"``. A file that is not such a dict gets a
``ValueError`` naming the field.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from cyclecore.changes.base import change_from_dict
from cyclecore.plan.result import CurvePoint, DesignPlan, LinePoint, Option, Plan, StationRow, Verdict


def plan_from_dict(data: dict, source: str = "plan") -> Plan:
    """The :class:`Plan` a plan file holds; ``ValueError`` naming ``source`` and the field otherwise."""
    if not isinstance(data, dict):
        raise ValueError(f"{source}: expected a plan written by `cyclecore optimize -o`, got {type(data).__name__}")
    nested = {
        "designs": lambda value, where: tuple(_design(d, f"{where}[{i}]") for i, d in enumerate(_list(value, where))),
        "stations": lambda value, where: tuple(_build(StationRow, s, f"{where}[{i}]")
                                               for i, s in enumerate(_list(value, where))),
        "curve": lambda value, where: tuple(_build(CurvePoint, p, f"{where}[{i}]")
                                            for i, p in enumerate(_list(value, where))),
        "verdict": lambda value, where: _build(Verdict, value, where, {
            "accelerate": lambda v, w: None if v is None else _build(Option, v, w),
            "duplicate": lambda v, w: None if v is None else _build(Option, v, w)}),
        "verified_products_per_week": lambda value, where: None if value is None else _pair(value, where),
    }
    return _build(Plan, data, source, nested, separator=": ")


def _design(data, where: str) -> DesignPlan:
    def changes(value, at):
        out = []
        for i, entry in enumerate(_list(value, at)):
            try:
                out.append(change_from_dict(entry))
            except (KeyError, ValueError, TypeError) as error:
                message = error.args[0] if error.args else type(error).__name__
                raise ValueError(f"{at}[{i}]: {message}") from None
        return tuple(out)

    return _build(DesignPlan, data, where, {
        "changes": changes,
        "curve": lambda value, at: tuple(_build(LinePoint, p, f"{at}[{i}]") for i, p in enumerate(_list(value, at))),
    })


def _build(cls, data, where: str, nested: dict | None = None, separator: str = ".") -> Any:
    """``cls`` from the dict ``to_dict()`` made of it: every field present, lists as tuples."""
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected a mapping of {cls.__name__} fields, got {type(data).__name__}")
    nested = nested or {}
    values = {}
    for spec in dataclasses.fields(cls):
        at = f"{where}{separator}{spec.name}"
        if spec.name not in data:
            if spec.default is not dataclasses.MISSING:
                continue
            raise ValueError(f"{at}: missing (the file is not a complete cyclecore plan)")
        value = data[spec.name]
        if spec.name in nested:
            value = nested[spec.name](value, at)
        elif isinstance(value, list):
            value = tuple(value)
        values[spec.name] = value
    # Other keys are other readers' sections (the ramp's "ramp": learning, order weeks) and
    # "missing", the reasons for nulls: not part of the Plan value.
    return cls(**values)


def _list(value, where: str) -> list:
    if not isinstance(value, list):
        raise ValueError(f"{where}: expected a list, got {type(value).__name__}")
    return value


def _pair(value, where: str) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError(f"{where}: expected [low, high]")
    return float(value[0]), float(value[1])
