"""User-facing errors: what is wrong, where (file and field path), and what was expected.

A line file with mistakes is reported in one go, one readable line per problem, so an engineer
fixes everything in one pass. The CLI turns :class:`LineFileError` into exit code 2 without a
traceback; the Python API raises it (it is a ``ValueError``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_MISSING = object()


@dataclass(frozen=True)
class Problem:
    """One mistake in an input: the field path (``stations[3].robots[1].speed_override``),
    what was expected, and the offending value when there is one."""

    path: str
    expected: str
    value: object = _MISSING

    def __str__(self) -> str:
        where = self.path or "(top level)"
        if self.value is _MISSING:
            return f"{where}: {self.expected}"
        return f"{where}: got {_show(self.value)}, {self.expected}"


def _show(value: object) -> str:
    text = repr(list(value) if isinstance(value, tuple) else value)  # as the file wrote it
    return text if len(text) <= 60 else text[:57] + "..."


class LineFileError(ValueError):
    """A line file (or a file it references) that cannot be used as it is."""

    def __init__(self, file: str | Path, problems: list[Problem]):
        self.file = str(file)
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.problems)
        head = f"{self.file}: {count} problem{'s' if count != 1 else ''}"
        return "\n".join([head] + [f"  {p}" for p in self.problems])


class OutputFileError(ValueError):
    """An output path that cannot take the file (missing folder, a folder, read-only, wrong
    suffix): a user mistake, found before any work when the path is checked first."""

    def __init__(self, file: str | Path, expected: str):
        self.file = str(file)
        self.expected = expected
        super().__init__(f"{self.file}: {expected}")


def format_path(parts) -> str:
    """``('stations', 3, 'robots', 1, 'speed_override')`` -> ``stations[3].robots[1].speed_override``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def problems_from_validation(error) -> list[Problem]:
    """Field-path problems from a pydantic ``ValidationError`` (one per error)."""
    problems = []
    items = error.errors(include_url=False)
    failed_inside = {tuple(item["loc"][:-1]) for item in items if item["loc"]}
    for item in items:
        if item["type"] in ("too_short", "too_long") and tuple(item["loc"]) in failed_inside:
            continue  # pydantic counts only the valid items: the item's own problem says it all
        location = [part for part in item["loc"] if not _is_union_tag(part)]
        message = item["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, "):]
        expected = _expected(item["type"], message, item.get("ctx") or {})
        if item["type"] == "missing":
            problems.append(Problem(format_path(location), "required field is missing"))
        elif item["type"] == "extra_forbidden":
            problems.append(Problem(format_path(location), "unknown field (check the spelling)"))
        elif isinstance(item.get("input"), dict):  # a whole mapping says less than the message
            problems.append(Problem(format_path(location), expected))
        else:
            problems.append(Problem(format_path(location), expected, item.get("input")))
    return problems


_UNION_TAGS = {"int", "str", "float", "constrained-str", "constrained-int", "constrained-float",
               "Pose", "list[constrained-float]", "list[float]"}


def _is_union_tag(part) -> bool:
    # pydantic puts the union member's type into the location ('int', 'constrained-str' …)
    return isinstance(part, str) and (part in _UNION_TAGS or part.startswith(("function-", "list[", "tuple[")))


_EXPECTED = {
    "greater_than_equal": "expected a number ≥ {ge}",
    "greater_than": "expected a number > {gt}",
    "less_than_equal": "expected a number ≤ {le}",
    "less_than": "expected a number < {lt}",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "finite_number": "expected a finite number",
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "string_type": "expected text",
    "string_too_short": "expected non-empty text",
    "string_too_long": "expected at most {max_length} characters",
    "string_pattern_mismatch": "expected text without control characters (tab, line break, NUL)",
    "list_type": "expected a list",
    "tuple_type": "expected a list",
    "too_short": "expected at least {min_length} item(s)",
    "too_long": "expected at most {max_length} item(s)",
    "literal_error": "expected {expected}",
    "model_type": "expected a mapping of fields",
    "model_attributes_type": "expected a mapping of fields",
    "dict_type": "expected a mapping",
    "bool_parsing": "expected true or false",
    "bool_type": "expected true or false",
}


def _expected(kind: str, message: str, ctx: dict) -> str:
    template = _EXPECTED.get(kind)
    if template is not None:
        try:
            return template.format(**ctx)
        except (KeyError, IndexError):
            pass
    text = message[0].lower() + message[1:] if message else kind
    return text if text.startswith("expected") or text.startswith("give") else "expected: " + text
