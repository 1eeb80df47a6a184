"""cyclecore — robot cycle-time optimizer for automated production lines.

The public API is re-exported here lazily, so that ``import cyclecore`` stays cheap and never
compiles Numba kernels or loads OR-Tools until a function that needs them is called.
"""

from __future__ import annotations

from cyclecore._lazy import lazy_exports

__version__ = "0.1.0"

# public name -> (module, attribute)
_API = {
    "load_line": ("cyclecore.files.line_file", "load_line"),
    "LineFileError": ("cyclecore.model.errors", "LineFileError"),
    "Line": ("cyclecore.model.line", "Line"),
    "analyze": ("cyclecore.analysis.deterministic", "analyze"),
    "Analysis": ("cyclecore.analysis.deterministic", "Analysis"),
    "example_path": ("cyclecore.examples", "example_path"),
    "load_example": ("cyclecore.examples", "load_example"),
    "load_plant": ("cyclecore.files.plant_file", "load_plant"),
    "analyze_plant": ("cyclecore.analysis.plant", "analyze_plant"),
    "Plant": ("cyclecore.model.plant", "Plant"),
    "simulate": ("cyclecore.analysis.simulation", "simulate"),
    "simulate_plant": ("cyclecore.analysis.simulation", "simulate_plant"),
    "sequence": ("cyclecore.changes.programs", "sequence"),
    "split_station": ("cyclecore.changes.programs", "split_station"),
    "rebalance": ("cyclecore.changes.rebalance", "rebalance"),
    "optimize": ("cyclecore.plan.optimizer", "optimize"),
    "Plan": ("cyclecore.plan.result", "Plan"),
    "Levers": ("cyclecore.plan.levers", "Levers"),
    "TargetNotReached": ("cyclecore.plan.optimizer", "TargetNotReached"),
    "ramp": ("cyclecore.ramp.run", "ramp"),  # the package cyclecore.ramp is callable too: same function
    "Ramp": ("cyclecore.ramp.capacity", "Ramp"),
    "RampResult": ("cyclecore.ramp.result", "RampResult"),
    "read_program": ("cyclecore.files.programs.mapping", "read_program"),  # robot programs (issue 13)
    "import_programs": ("cyclecore.files.programs.importing", "import_programs"),
}

__all__ = sorted(_API) + ["__version__"]


# Results draw their charts in notebooks: the report registers its views with cyclecore.results
# (which may not import the report, a layer above it). Cheap: matplotlib loads when a chart is drawn.
from cyclecore.report import notebook as _notebook  # noqa: E402,F401


__getattr__, __dir__ = lazy_exports('cyclecore', _API, globals())
