"""The plan: the cheapest changes that lift a line or a plant to a target, and the capex curve.

:func:`optimize` is the entry point (``cyclecore optimize``). The search space is written down in
:mod:`.levers`; one station's options and frontier in :mod:`.stations`; a combination's
simulated output in :mod:`.output`; one line's search in :mod:`.line_search`; the plant mix and
the accelerate-versus-duplicate verdict in :mod:`.plant_search`; the result in :mod:`.result`;
where the work runs (in-process, processes, Dask) in :mod:`.executors`.
"""

from __future__ import annotations

from cyclecore._lazy import lazy_exports

_EXPORTS = {
    "optimize": "cyclecore.plan.optimizer",
    "TargetNotReached": "cyclecore.plan.optimizer",
    "Plan": "cyclecore.plan.result",
    "apply_plan": "cyclecore.plan.result",
    "Levers": "cyclecore.plan.levers",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports('cyclecore.plan', _EXPORTS, globals())
