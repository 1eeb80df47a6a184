"""cyclecore — robot cycle-time optimizer for automated production lines.

The public API is re-exported here lazily, so that ``import cyclecore`` stays cheap and never
compiles Numba kernels or loads OR-Tools until a function that needs them is called.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> (module, attribute)
_API = {
    "load_line": ("cyclecore.io", "load_line"),
    "LineFileError": ("cyclecore.errors", "LineFileError"),
    "Line": ("cyclecore.line", "Line"),
    "analyze": ("cyclecore.evaluate", "analyze"),
    "Analysis": ("cyclecore.evaluate", "Analysis"),
    "example_path": ("cyclecore.examples", "example_path"),
    "load_example": ("cyclecore.examples", "load_example"),
    "load_plant": ("cyclecore.plant", "load_plant"),
    "analyze_plant": ("cyclecore.plant", "analyze_plant"),
    "Plant": ("cyclecore.plant", "Plant"),
    "simulate": ("cyclecore.simulation", "simulate"),
    "simulate_plant": ("cyclecore.simulation", "simulate_plant"),
    "sequence": ("cyclecore.sequencing.line_api", "sequence"),
    "split_station": ("cyclecore.sequencing.line_api", "split_station"),
    "rebalance": ("cyclecore.balancing.line_api", "rebalance"),
}

__all__ = sorted(_API) + ["__version__"]


def __getattr__(name: str):
    try:
        module, attribute = _API[name]
    except KeyError:
        raise AttributeError(f"module 'cyclecore' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__():
    return __all__
