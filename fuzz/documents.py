"""Writing mutated documents back to YAML or JSON text, including what normal dumpers refuse.

A mutant may hold values no dumper writes as they are: duplicate keys (:class:`Duplicated`), a
5,000-digit integer or a number literal beyond float range (:class:`Raw`, written verbatim).
Both formats are written here so that the file says exactly what the mutation meant.
"""

from __future__ import annotations

import json
import math
import sys

import yaml


class Raw:
    """A scalar written verbatim (``Raw("9" * 5000)``, ``Raw("1e400")``)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return f"Raw({self.text[:20]}{'...' if len(self.text) > 20 else ''})"


class Duplicated:
    """A mapping written with a repeated key: ``pairs`` in order, keys not unique."""

    def __init__(self, pairs: list[tuple[str, object]]):
        self.pairs = pairs


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml's emitter: 20x faster
    pass


def _raw(dumper, value: Raw):
    return dumper.represent_scalar("tag:yaml.org,2002:int", value.text)


def _duplicated(dumper, value: Duplicated):
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.pairs)


def _no_aliases(dumper, data):
    return True


_Dumper.add_representer(Raw, _raw)
_Dumper.add_representer(Duplicated, _duplicated)
_Dumper.ignore_aliases = _no_aliases


def yaml_text(data) -> str:
    # PyYAML's representer recurses about three frames per level: nested mutants need headroom
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=200)
    finally:
        sys.setrecursionlimit(limit)


def json_text(data) -> str:
    """JSON text; NaN and infinities as Python's json writes them (``NaN``, ``Infinity``)."""
    parts: list[str] = []
    _json(data, parts)
    return "".join(parts)


def _json(value, out: list[str]) -> None:
    if isinstance(value, Raw):
        out.append(value.text)
    elif isinstance(value, Duplicated) or isinstance(value, dict):
        pairs = value.pairs if isinstance(value, Duplicated) else list(value.items())
        out.append("{")
        for k, (key, item) in enumerate(pairs):
            if k:
                out.append(", ")
            out.append(json.dumps(str(key)))
            out.append(": ")
            _json(item, out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for k, item in enumerate(value):
            if k:
                out.append(", ")
            _json(item, out)
        out.append("]")
    elif isinstance(value, float) and not math.isfinite(value):
        out.append("NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity"))
    else:
        out.append(json.dumps(value))


def _refuse(value):
    raise TypeError(type(value).__name__)


def document_text(data, suffix: str) -> bytes:
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))  # json_text recurses once per level, json.dumps too
    try:
        return _document_text(data, suffix)
    finally:
        sys.setrecursionlimit(limit)


def _document_text(data, suffix: str) -> bytes:
    if suffix == ".json":
        try:  # the standard encoder when nothing needs writing verbatim: 10x faster on big documents
            text = json.dumps(data, default=_refuse)
        except (TypeError, ValueError):
            text = json_text(data)
    else:
        text = yaml_text(data)
    return text.encode("utf-8")
