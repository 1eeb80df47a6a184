"""The ramp: what a line or plant makes each week while a plan's changes land.

A change ordered in some week lands after its lead time, stops the line for its installation
(unless that fits outside the shifts) and then runs below its final rate while people learn it.
Output grows in steps, each climbing towards its new rate — a step-exponential curve — bounded
by the shifts run and the operators to staff them.

Modules, one idea each:

- :mod:`.inputs`       what a ramp is given: a plan (checked like ``cyclecore apply``) or changes
- :mod:`.schedule`     which changes, their names, when each is ordered and lands, downtime per week
- :mod:`.learning`     maturity m(t) = 1 − (1 − m0)·exp(−t/τ) per change kind, defaults, overrides
- :mod:`.labour`       shift plans, the labour pool, hires, the cap and the drop-a-shift answer
- :mod:`.states`       the line with some changes landed, from caches of stations by value
- :mod:`.capacity`     the :class:`Ramp` object: ``week(w)``, ``capacity(landed=…, maturity=…)``
- :mod:`.simulated`    a simulated week (common random numbers across weeks and plans)
- :mod:`.uncertainty`  seeded scenarios of lead-time slips and learning rates, P10/P50/P90
- :mod:`.result`       :class:`RampResult`: weekly rows, the changes, the summary; CSV
- :mod:`.run`          :func:`ramp`, the whole ramp over a horizon

``cyclecore.ramp(line_or_plant, plan)`` runs a ramp (the package itself can be called, so it
works whether ``cyclecore.ramp`` is reached as the function or as this package); a ramp
simulator builds ``cyclecore.Ramp(line_or_plant, plan)`` once and asks it week after week.
"""

from __future__ import annotations

from cyclecore._lazy import lazy_exports
import sys
import types

_EXPORTS = {
    "ramp": "cyclecore.ramp.run",
    "Ramp": "cyclecore.ramp.capacity",
    "RampResult": "cyclecore.ramp.result",
    "RampWeek": "cyclecore.ramp.result",
    "Capacity": "cyclecore.ramp.result",
    "Learning": "cyclecore.ramp.learning",
    "DEFAULT_LEARNING": "cyclecore.ramp.learning",
    "Labour": "cyclecore.ramp.labour",
    "Uncertainty": "cyclecore.ramp.uncertainty",
    "ramp_csv": "cyclecore.ramp.result",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports('cyclecore.ramp', _EXPORTS, globals())


class _CallablePackage(types.ModuleType):
    """Importing a submodule binds ``cyclecore.ramp`` to this package, shadowing the public
    function of the same name; calling the package runs that function, so both read the same."""

    def __call__(self, *args, **kwargs):
        from cyclecore.ramp.run import ramp

        return ramp(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
