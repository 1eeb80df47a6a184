"""The result protocol: what every cyclecore result can do, and the one way results print.

Every result of a public function is a frozen dataclass that mixes in :class:`Result`, and so:

- ``to_dict()`` gives JSON-safe data: tuples and numpy arrays become lists, numpy scalars Python
  numbers, nested results (and other dataclasses) dicts. ``json.dumps(result.to_dict(),
  allow_nan=False)`` always works.
- **A value that does not exist is** ``null`` **with a reason.** ``None`` fields, and floats that
  are NaN or infinite, become ``null``; the dict that holds them carries a ``"missing"`` map from
  the field (``field[i]`` inside a list, ``field.key`` inside a mapping) to why it is missing::

      {"takt_s": null, "gap_s": null, ..., "missing": {"takt_s": "no target given",
                                                       "gap_s": "no target given"}}

  Nested results carry their own ``"missing"`` map; the key is absent when nothing is missing.
  A class gives the reason for every field that may be ``None`` in its ``missing_reasons``
  mapping (a field annotated ``X | None`` without one is refused when the class is defined);
  NaN and infinities get their own reason (``"infinite (+inf)"``, ``"not a number (NaN)"``).
- ``str(result)`` is the CLI's text: :func:`render` of the result's ``__rich__()`` (rich tables
  and lines of text; plain text in a file or pipe, coloured on a terminal). Each result builds
  its own text in ``__rich__``; the default is a table of its fields.
- ``_repr_html_()`` shows it in a notebook: a simple HTML table of ``to_dict()``, every name
  escaped, or the view a higher layer registered for its type with :func:`register_html_view`
  (the report draws the main results' charts; this module cannot import the report, a layer above).
- ``result.station(name)``, ``.line(name)``, ``.robot(name)`` find by name through
  :func:`lookup`, which raises ``KeyError`` naming the known names for an unknown one.

A search that ends at its limit without any answer raises :class:`NoAnswerWithinLimit` instead
of returning a result (the CLI's exit code 3).

This module sits below the kernels: it imports numpy only (rich when something is printed).
"""

from __future__ import annotations

import dataclasses
import html
import io
import math
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import numpy as np

MISSING = "missing"  # the key of the reasons map in every dict to_dict() gives


class NoAnswerWithinLimit(RuntimeError):
    """A search ended at its effort or time limit without any answer to give.

    Neither a user mistake (the input is valid) nor a bug: a larger limit may find one. The
    message says which limit to raise; the ``cyclecore`` command exits with code 3 on it.
    """


class Result:
    """Mixin for frozen dataclass results: ``to_dict()``, ``str()``, ``_repr_html_()``.

    Class attributes a result may set (plain assignments, so the dataclass ignores them):

    - ``missing_reasons``: field name -> why it can be ``None`` (required for ``X | None`` fields);
    - ``dict_properties``: names of properties ``to_dict()`` adds after the fields;
    - ``dict_omit``: fields ``to_dict()`` leaves out (e.g. a whole Line, which has its own file).
    """

    missing_reasons: ClassVar[Mapping[str, str]] = {}
    dict_properties: ClassVar[tuple[str, ...]] = ()
    dict_omit: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        overrides_reason = cls.missing_reason is not Result.missing_reason
        for name, annotation in cls.__dict__.get("__annotations__", {}).items():
            text = annotation if isinstance(annotation, str) else repr(annotation)
            if "ClassVar" in text:
                continue
            if name == MISSING:
                raise TypeError(f"{cls.__name__}: a result field may not be called {MISSING!r}; "
                                "to_dict() uses that key for the reasons of missing values")
            if _may_be_none(text) and name not in cls.missing_reasons and not overrides_reason:
                raise TypeError(f"{cls.__name__}.{name} may be None: give the reason in "
                                f"{cls.__name__}.missing_reasons (see cyclecore.results)")

    def missing_reason(self, field: str, value: float | None) -> str:
        """Why ``field`` has no value: ``value`` is None, or the NaN/inf found in it."""
        if value is not None:
            return _non_finite_reason(value)
        try:
            return self.missing_reasons[field]
        except KeyError:
            raise TypeError(f"{type(self).__name__}.{field} is None but "
                            f"{type(self).__name__}.missing_reasons gives no reason") from None

    def to_dict(self) -> dict:
        """JSON-safe data: lists, dicts, str, int, float, bool and null (with a reason)."""
        return _dataclass_dict(self)

    def __rich__(self):
        """The CLI's text as rich renderables (override with the result's own tables)."""
        return _default_table(type(self).__name__, self.to_dict())

    def __str__(self) -> str:
        return render(self)

    def _repr_html_(self) -> str:
        view = _HTML_VIEWS.get(f"{type(self).__module__}.{type(self).__qualname__}")
        if view is not None:
            return view(self)
        return html_table(self.to_dict(), caption=type(self).__name__)


# Notebook views by result type ("module.QualName" -> view(result) -> HTML). A name, not the class,
# so the layer that registers a view (cyclecore.report) never makes this module import upwards.
_HTML_VIEWS: dict[str, Any] = {}


def register_html_view(result_type: str, view) -> None:
    """Show results of ``result_type`` (``"module.QualName"``) in notebooks as ``view(result)``,
    an HTML fragment, instead of the plain table. The view must escape every name it shows."""
    _HTML_VIEWS[result_type] = view


def lookup(items: Iterable, name, *, owner: str, kind: str, plural: str | None = None, key: str = "name"):
    """The item of ``items`` whose ``key`` attribute is ``name``.

    An unknown name raises ``KeyError`` worded like :meth:`cyclecore.model.line.Line.station`:
    ``line 'A' has no station 'X' (stations: S1, S2)``; ``owner`` is ``"line 'A'"`` there.
    """
    items = tuple(items)
    for item in items:
        if getattr(item, key) == name:
            return item
    known = ", ".join(str(getattr(item, key)) for item in items)
    raise KeyError(f"{owner} has no {kind} {name!r} ({plural or kind + 's'}: {known})")


def render(*renderables, width: int = 140) -> str:
    """Render rich objects (tables, text, results) to plain text."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False)
    for item in renderables:
        console.print(item)
    return buffer.getvalue().rstrip("\n")


def text_block(*parts):
    """Tables and strings printed one after another, as one renderable.

    Strings are plain text: a name like ``[b]S1`` prints as it is, never as rich markup.
    """
    from rich.console import Group
    from rich.text import Text

    return Group(*(Text(part) if isinstance(part, str) else part for part in parts))


# --- to_dict ---------------------------------------------------------------------------------------


def _may_be_none(annotation: str) -> bool:
    return re.search(r"\bNone\b|Optional\[", annotation) is not None


def _non_finite_reason(value: float) -> str:
    if math.isnan(value):
        return "not a number (NaN)"
    return "infinite (+inf)" if value > 0 else "infinite (-inf)"


def _dataclass_dict(obj) -> dict:
    cls = type(obj)
    omit = getattr(cls, "dict_omit", ())
    if isinstance(obj, Result):
        reason = obj.missing_reason
    else:  # a plain dataclass inside a result: only NaN/inf can have a reason
        def reason(field, value):
            if value is None:
                raise TypeError(f"{cls.__name__}.{field} is None; make {cls.__name__} a Result "
                                "with missing_reasons to say why")
            return _non_finite_reason(value)
    missing: dict[str, str] = {}
    out = {}
    names = [f.name for f in dataclasses.fields(obj) if f.name not in omit]
    names += list(getattr(cls, "dict_properties", ()))
    for name in names:
        out[name] = _plain(getattr(obj, name), name, name, reason, missing)
    if missing:
        out[MISSING] = missing
    return out


def _plain(value: Any, path: str, field: str, reason, missing: dict) -> Any:
    """``value`` as JSON data; a missing value at ``path`` is recorded in ``missing``."""
    if value is None:
        missing[path] = reason(field, None)
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if math.isfinite(number):
            return number
        missing[path] = reason(field, number)
        return None
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Result):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _dataclass_dict(value)
    if isinstance(value, np.ndarray):
        value = value.tolist()
        if not isinstance(value, list):  # a 0-d array
            return _plain(value, path, field, reason, missing)
    if isinstance(value, (list, tuple)):
        return [_plain(v, f"{path}[{i}]", field, reason, missing) for i, v in enumerate(value)]
    if isinstance(value, Mapping):
        return {str(k): _plain(v, f"{path}.{k}", field, reason, missing) for k, v in value.items()}
    if hasattr(value, "to_dict"):
        return _plain(value.to_dict(), path, field, reason, missing)
    if hasattr(value, "model_dump"):  # a model value (pydantic), e.g. a Line
        return _plain(value.model_dump(mode="json"), path, field, reason, missing)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    raise TypeError(f"{path}: a {type(value).__name__} has no JSON form")


# --- text and HTML ------------------------------------------------------------------------------


def _short(value: Any) -> str:
    """One cell of text for a JSON value."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        if len(value) > 12:
            return "[" + ", ".join(_short(v) for v in value[:12]) + f", … ({len(value)} values)]"
        return "[" + ", ".join(_short(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_short(v)}" for k, v in value.items() if k != MISSING) + "}"
    return str(value)


def _default_table(title: str, data: dict):
    """Fields of a result as a two-column rich table (the text of results without their own)."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left", show_header=False)
    table.add_column("field")
    table.add_column("value", overflow="fold")
    reasons = data.get(MISSING, {})
    for key, value in data.items():
        if key == MISSING:
            continue
        text = _short(value)
        if value is None and key in reasons:
            text = f"— ({reasons[key]})"
        table.add_row(Text(key), Text(text))  # Text: names are never read as rich markup
    return table


def html_table(data: Mapping, caption: str | None = None) -> str:
    """A JSON dict as a simple HTML table; nested dicts and lists of dicts become inner tables.

    Every key and value is escaped, so names from a line file (``<script>``) show as text.
    """
    reasons = data.get(MISSING, {})
    rows = []
    for key, value in data.items():
        if key == MISSING:
            continue
        cell = _html_cell(value)
        if value is None and key in reasons:
            cell = f"— ({html.escape(reasons[key])})"
        rows.append(f"<tr><th style=\"text-align:left\">{html.escape(str(key))}</th><td>{cell}</td></tr>")
    head = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{head}{''.join(rows)}</table>"


def _html_cell(value: Any) -> str:
    if isinstance(value, dict):
        return html_table(value)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        columns = list(dict.fromkeys(k for row in value for k in row if k != MISSING))
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
        body = []
        for row in value:
            reasons = row.get(MISSING, {})
            cells = []
            for c in columns:
                v = row.get(c)
                text = _html_cell(v) if c in row else ""
                if v is None and c in reasons:
                    text = f"— ({html.escape(reasons[c])})"
                cells.append(f"<td>{text}</td>")
            body.append(f"<tr>{''.join(cells)}</tr>")
        return f"<table><tr>{head}</tr>{''.join(body)}</table>"
    return html.escape(_short(value))
