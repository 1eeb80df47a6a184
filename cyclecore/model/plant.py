"""A plant: several line designs making the same unit, each design built as identical copies.

How many copies of a design run is that line's own ``identical_lines`` (the only place the count
lives), and every line of a plant makes the same unit (the same ``units_per_product``). The plant
file format is read by :mod:`cyclecore.files.plant_file`; plant figures are
:mod:`cyclecore.analysis.plant`.
"""

from __future__ import annotations

from dataclasses import dataclass

from cyclecore.model.errors import Problem
from cyclecore.model.line import Line


@dataclass(frozen=True)
class PlantLine:
    """One line design in a plant: its label, the loaded line and the file it came from."""

    name: str
    line: Line
    file: str = ""  # resolved path of the line file ("" when built in memory)

    @property
    def copies(self) -> int:
        """Identical copies of this design in the plant (the line's ``identical_lines``)."""
        return self.line.identical_lines


@dataclass(frozen=True)
class Plant:
    """Line designs that together make one kind of unit (e.g. battery modules)."""

    name: str
    lines: tuple[PlantLine, ...]
    description: str = ""
    file: str = ""  # the plant file ("" when built in memory)

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"plant name must be non-empty text, got {self.name!r}")
        lines = tuple(self.lines) if isinstance(self.lines, (list, tuple)) else None
        if not lines:
            raise ValueError(f"plant lines must be a non-empty sequence of PlantLine, got {self.lines!r}")
        object.__setattr__(self, "lines", lines)
        for i, entry in enumerate(lines):
            if not isinstance(entry, PlantLine) or not isinstance(entry.line, Line):
                raise ValueError(f"lines[{i}]: expected a PlantLine holding a Line, got {type(entry).__name__}")
        problems = plant_name_problems([p.name for p in lines]) + plant_unit_problems(lines)
        if problems:
            raise ValueError("; ".join(str(p) for p in problems))

    @property
    def units_per_product(self) -> int:
        """Units each product needs, common to every line of the plant (e.g. 4 modules per car)."""
        return self.lines[0].line.units_per_product

    def line(self, name: str) -> PlantLine:
        for entry in self.lines:
            if entry.name == name:
                return entry
        known = ", ".join(p.name for p in self.lines)
        raise KeyError(f"plant {self.name!r} has no line {name!r} (lines: {known})")



def plant_name_problems(names: list[str]) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for i, name in enumerate(names):
        if name in first:
            problems.append(Problem(f"lines[{i}].name",
                                    f"line names must be unique in the plant (also lines[{first[name]}]); "
                                    "give the entry its own 'name'", name))
        else:
            first[name] = i
    return problems


def plant_unit_problems(lines) -> list[Problem]:
    reference = lines[0].line.units_per_product
    problems = []
    for i, entry in enumerate(lines[1:], start=1):
        units = entry.line.units_per_product
        if units != reference:
            problems.append(Problem(
                f"lines[{i}].file",
                f"units_per_product is {units} in {entry.file or entry.name} but {reference} in lines[0].file "
                f"({lines[0].file or lines[0].name}); expected every line of a plant to make the same unit",
                units))
    return problems
