"""Confidence intervals over independent replications (Student t, no SciPy needed at run time).

For an integer number of degrees of freedom nu, P(|T| <= t) has a finite closed form
(Abramowitz & Stegun 26.7.3/26.7.4) in theta = atan(t / sqrt(nu)); the quantile is found by
bisection on it, to full double precision.
"""

from __future__ import annotations

import math

import numpy as np

from cyclecore.arguments import Integer, Number, arguments


def central_probability(t: float, dof: int) -> float:
    """P(|T| <= t) for Student's t with ``dof`` degrees of freedom."""
    theta = math.atan(t / math.sqrt(dof))
    c, s = math.cos(theta), math.sin(theta)
    if dof % 2 == 1:
        total, term = 0.0, c
        if dof > 1:
            total = term
            for k in range(3, dof - 1, 2):
                term *= (k - 1) / k * c * c
                total += term
        return (2.0 / math.pi) * (theta + s * total)
    total, term = 1.0, 1.0
    for k in range(2, dof - 1, 2):
        term *= (k - 1) / k * c * c
        total += term
    return s * total


@arguments(level=Number(above=0, below=1), dof=Integer(at_least=1))
def t_quantile(level: float, dof: int) -> float:
    """t such that P(|T| <= t) = level (e.g. level=0.99 gives the two-sided 99% factor); ``dof``
    degrees of freedom."""
    hi = 1.0
    while central_probability(hi, dof) < level:
        hi *= 2.0
    lo = 0.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if central_probability(mid, dof) < level:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 4e-16 * hi:
            break
    return 0.5 * (lo + hi)


def mean_interval(samples, level: float) -> tuple[float, float] | None:
    """Two-sided ``level`` confidence interval of the mean of independent samples; None if fewer than 2."""
    x = np.asarray(samples, dtype=float)
    if len(x) < 2:
        return None
    half = t_quantile(level, len(x) - 1) * float(np.std(x, ddof=1)) / math.sqrt(len(x))
    mean = float(np.mean(x))
    return (mean - half, mean + half)
