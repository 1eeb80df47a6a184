"""Bundled example lines, shipped as files (``<name>/line.yaml`` plus spot CSVs; a plant example
also has ``<name>/plant.yaml``).

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


def plant_example_path(name: str) -> Path:
    """Path of a bundled example's plant file (``<name>/plant.yaml``, beside its line file).

    ``KeyError`` for an unknown example, ``ValueError`` for an example that is a single line."""
    path = example_path(name).parent / "plant.yaml"
    if not path.is_file():
        plants = [other for other in EXAMPLES if (example_path(other).parent / "plant.yaml").is_file()]
        raise ValueError(f"example {name!r} is a single line, not a plant; plant examples: {', '.join(plants)}")
    return path


def load_example_plant(name: str):
    """Load a bundled example's plant as a :class:`~cyclecore.model.plant.Plant`."""
    from cyclecore.files.plant_file import load_plant

    return load_plant(plant_example_path(name))


def load_example_subject(name: str):
    """A bundled example's plant when it has one (``plant.yaml``), else its line."""
    path = example_path(name).parent / "plant.yaml"
    return load_example_plant(name) if path.is_file() else load_example(name)
