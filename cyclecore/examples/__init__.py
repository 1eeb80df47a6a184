"""Bundled example lines, shipped as files (``<name>/line.yaml`` plus spot CSVs).

They are produced by :mod:`cyclecore.examples.generate` with a fixed seed; a test regenerates
them and checks the shipped files are identical, so the files and the generator never drift.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

EXAMPLES = {
    "tutorial": "two welding stations, three robots: the line used in the README",
    "module-line": "battery-module line in four zones; zones 1 and 2 are the constraint (3 lines, 4 modules/car)",
    "body-shop": "spot-welding body shop: 24 stations, 70+ robots, 1,500+ weld spots",
    "module-plant": "gen-2 module line at about 3× one module-line, and plant.yaml: it plus the 3 gen-1 lines",
}


def example_path(name: str) -> Path:
    """Path of a bundled example's line file."""
    if name not in EXAMPLES:
        raise KeyError(f"unknown example {name!r}; expected one of {', '.join(EXAMPLES)}")
    return Path(str(resources.files("cyclecore").joinpath("examples", name, "line.yaml")))


def load_example(name: str):
    """Load a bundled example as a :class:`~cyclecore.model.line.Line`."""
    from cyclecore.files.line_file import load_line

    return load_line(example_path(name))
