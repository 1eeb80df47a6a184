"""Work items for the executor tests, in a module of their own: a worker process or a Dask worker
imports them by this module's plain name (``tests/`` is on pytest's ``pythonpath``, which spawned
and forkserver workers inherit), whatever way pytest was started."""

from __future__ import annotations

import time

import numpy as np


def noisy_total(item):
    """A pure function of the item: its key, not the worker or the timing, seeds its random stream."""
    key, draws = item
    rng = np.random.default_rng(np.random.SeedSequence(entropy=2024, spawn_key=(key,)))
    return float(rng.standard_normal(draws).sum()), int(rng.integers(0, 2**62))


def refuse_odd_keys(key):
    if key % 2:
        raise ValueError(f"station S{key}: cycle time must be > 0 s")
    return key


def slow_first(key):
    time.sleep(0.3 if key == 0 else 0.0)
    return key
