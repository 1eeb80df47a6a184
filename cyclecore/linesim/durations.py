"""Durations: the work content of a part, the time to failure and the time to repair.

Every distribution is parameterised by its *mean* (cycle time, MTBF, MTTR) so that changing the
shape never changes the average. Parameters are turned into the kernel's two numbers per station
(``a``, ``b``) once, in Python:

- exponential: a = mean
- Weibull with shape k: a = scale = mean / Gamma(1 + 1/k), b = 1/k
- lognormal with log-space sigma s: a = mu = ln(mean) - s^2/2, b = s
- geometric (the discrete model of Gershwin 1994, sec. 3.2): the station fails at the start of a
  cycle with probability p = tau/MTBF (a = p for time to failure) and a repair lasts G whole cycles,
  G ~ Geometric(r = tau/MTTR) on {1, 2, ...} (a = r, b = tau for repairs).

An infinite mean (MTBF = inf) is "never"; a zero mean is "instantaneous".
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .random_streams import uniform

EXPONENTIAL = 0
WEIBULL = 1
LOGNORMAL = 2
GEOMETRIC = 3
DISTRIBUTIONS = {"exponential": EXPONENTIAL, "weibull": WEIBULL, "lognormal": LOGNORMAL, "geometric": GEOMETRIC}

DETERMINISTIC = 0
EXPONENTIAL_WORK = 1
PROCESSING_MODELS = {"deterministic": DETERMINISTIC, "exponential": EXPONENTIAL_WORK}


def distribution_parameters(kind: int, means: np.ndarray, cycle_s: np.ndarray, weibull_shape: float,
                            lognormal_sigma: float) -> np.ndarray:
    """Kernel parameters (n, 3): columns a, b and the mean itself (s)."""
    params = np.zeros((len(means), 3))
    params[:, 2] = means
    for i, mean in enumerate(means):
        if not math.isfinite(mean) or mean == 0.0:
            continue
        if kind == EXPONENTIAL:
            params[i, 0] = mean
        elif kind == WEIBULL:
            params[i, 0] = mean / math.gamma(1.0 + 1.0 / weibull_shape)
            params[i, 1] = 1.0 / weibull_shape
        elif kind == LOGNORMAL:
            params[i, 0] = math.log(mean) - 0.5 * lognormal_sigma**2
            params[i, 1] = lognormal_sigma
        else:
            params[i, 0] = min(cycle_s[i] / mean, 1.0)
            params[i, 1] = cycle_s[i]
    return params


@njit(cache=True, inline='always')
def sample(states, station, purpose, kind, a, b, mean):
    """One duration (s) from stream (station, purpose). For GEOMETRIC this is a repair of whole
    cycles; the geometric *failure* is drawn with :func:`fails_this_cycle` instead."""
    if mean == np.inf:
        return np.inf
    if mean == 0.0:
        return 0.0
    u = uniform(states, station, purpose)
    if kind == EXPONENTIAL:
        return -math.log1p(-u) * a
    if kind == WEIBULL:
        return a * (-math.log1p(-u)) ** b
    if kind == LOGNORMAL:
        # Box-Muller; the second uniform keeps the stream advance fixed at two draws
        v = uniform(states, station, purpose)
        z = math.sqrt(-2.0 * math.log1p(-u)) * math.cos(2.0 * math.pi * v)
        return math.exp(a + b * z)
    # GEOMETRIC repair: G whole cycles, P(G > g) = (1 - r)^g
    if a >= 1.0:
        return b
    cycles = 1.0 + math.floor(math.log1p(-u) / math.log1p(-a))
    return cycles * b


@njit(cache=True, inline='always')
def fails_this_cycle(states, station, purpose, p):
    """Geometric model: does the station fail at the start of this cycle (probability p)?"""
    return uniform(states, station, purpose) < p


@njit(cache=True, inline='always')
def work_content(states, station, purpose, model, cycle):
    """Processing time of one part at the automatic rate (s)."""
    if model == DETERMINISTIC:
        return cycle
    return -math.log1p(-uniform(states, station, purpose)) * cycle
