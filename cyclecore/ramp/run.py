"""``ramp``: a line or plant ramped week by week through a plan's changes, with its summary.

Builds a :class:`~cyclecore.ramp.capacity.Ramp` and runs it over the horizon
(:func:`cyclecore.ramp.horizon.run`): weeks ``0 … weeks − 1``, optionally each simulated
(:mod:`cyclecore.ramp.simulated`) and with uncertainty scenarios (:mod:`cyclecore.ramp.uncertainty`).
"""

from __future__ import annotations

from cyclecore.arguments import PROGRESS, SEED, Instance, arguments, refuse
from cyclecore.ramp.capacity import Ramp
from cyclecore.ramp.horizon import HORIZON, RAMP_CONFIDENCE, RAMP_REPLICATIONS, run
from cyclecore.ramp.result import RampResult
from cyclecore.ramp.uncertainty import SCENARIOS, Uncertainty


@arguments(weeks=HORIZON, replications=RAMP_REPLICATIONS, seed=SEED, confidence=RAMP_CONFIDENCE,
           scenarios=SCENARIOS, uncertainty=Instance(Uncertainty, optional=True), progress=PROGRESS)
def ramp(line_or_plant, changes, *, weeks=52, order_weeks=None, shifts=None, labour=None, learning=None,
         target=None, simulate=False, replications=10, seed=0, confidence=0.9, scenarios=0, uncertainty=None,
         progress=None) -> RampResult:
    """Week-by-week output of ``line_or_plant`` as the changes of ``changes`` (a plan or a list of
    changes) land: see :class:`~cyclecore.ramp.capacity.Ramp` for the changes, ``order_weeks``,
    ``shifts``, ``labour``, ``learning`` and ``target``.

    weeks: the horizon (weeks 0 … weeks − 1). simulate: also simulate every week (``replications``
    of one week from ``seed``, the interval at ``confidence``). scenarios: how many uncertainty
    scenarios (lead-time slips, learning rates; ``uncertainty``) to run from ``seed`` for the
    P10/P50/P90 figures. progress: ``progress(done, total)`` over simulated weeks and scenarios.

    Same input and seed, same result. Raises ``ValueError`` naming the argument or field on bad
    input."""
    if not isinstance(simulate, bool):
        refuse("simulate", simulate, "True or False")
    built = Ramp(line_or_plant, changes, order_weeks=order_weeks, shifts=shifts, labour=labour, learning=learning,
                 target=target)
    return run(built, weeks, simulate=simulate, replications=replications, seed=seed, confidence=confidence,
               scenarios=scenarios, uncertainty=uncertainty, progress=progress)
