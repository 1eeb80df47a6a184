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
    text = repr(value)
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


def format_path(parts) -> str:
    """``('stations', 3, 'robots', 1, 'speed_override')`` -> ``stations[3].robots[1].speed_override``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
