"""Uncertainty: lead times that slip and learning that is faster or slower than planned.

A scenario draws, for every change,

- a **lead-time slip**: lead time × X with X ~ Exponential(mean ``slip_share``). Slips only
  delay: suppliers are late, rarely early. The default mean slip is a quarter of the lead time;
- a **learning time constant**: τ × exp(``learning_spread`` · Z), Z ~ N(0, 1): log-normal
  with the planned τ as its median.

Scenario ``s`` draws from ``SeedSequence(seed, spawn_key=(s,))``, so the first ten scenarios are the
same whether ten or a thousand are run, and each is a fixed function of (seed, s). Every scenario
runs the deterministic weekly path; the ramp reports the 10th, 50th and 90th percentiles (linear
interpolation, as ``numpy.percentile``) of weekly and cumulative output over the scenarios.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cyclecore.arguments import Integer, Number

SHARE = Number(at_least=0, at_most=10, what="a mean slip of 0 … 10 times the lead time")
SPREAD = Number(at_least=0, at_most=3, what="a log-space spread 0 … 3")
PERCENTILES = (10.0, 50.0, 90.0)
SCENARIOS = Integer(at_least=0, at_most=10_000)


@dataclass(frozen=True)
class Uncertainty:
    """How uncertain the schedule is: mean lead-time slip as a share of the lead time, and the
    log-space spread of the learning time constants."""

    slip_share: float = 0.25
    learning_spread: float = 0.3

    def __post_init__(self):
        object.__setattr__(self, "slip_share", SHARE.check(self.slip_share, "uncertainty.slip_share"))
        object.__setattr__(self, "learning_spread",
                           SPREAD.check(self.learning_spread, "uncertainty.learning_spread"))


@dataclass(frozen=True)
class Scenario:
    """One draw: each change's lead time and learning time constant (weeks), in the ramp's order
    of changes (``Ramp.changes``)."""

    index: int
    lead_time_weeks: tuple[float, ...]
    learning_weeks: tuple[float, ...]


def draw_scenarios(lead_time_weeks, learning_weeks, count: int, seed: int, uncertainty: Uncertainty):
    """``count`` scenarios of the given planned lead times and learning time constants."""
    leads = np.asarray(lead_time_weeks, dtype=float)
    taus = np.asarray(learning_weeks, dtype=float)
    out = []
    for s in range(count):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(s,)))
        slip = rng.exponential(1.0, len(leads)) * uncertainty.slip_share
        spread = np.exp(uncertainty.learning_spread * rng.standard_normal(len(taus)))
        out.append(Scenario(s, tuple(float(x) for x in leads * (1.0 + slip)),
                            tuple(float(x) for x in taus * spread)))
    return tuple(out)


def percentiles(values) -> np.ndarray:
    """P10, P50, P90 over the first axis (scenarios): shape (3, …)."""
    return np.percentile(np.asarray(values, dtype=float), PERCENTILES, axis=0)
