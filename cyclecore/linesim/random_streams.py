"""Random streams: one independent stream per station, per purpose, per replication.

Why our own generator: the event loop runs inside Numba and must draw from *many* independent
streams (each station has its own, so that two variants of a line see the same luck — common
random numbers), with a state that is a plain array. xoshiro256** (Blackman & Vigna, 2018) is
small, fast and statistically strong; its 4-word state lives in a ``uint64`` array.

Seeding is deterministic and independent of scheduling: the stream of (replication r, station i,
purpose p) is seeded from ``numpy.random.SeedSequence(seed, spawn_key=(r, i, p))``, so a
replication gives the same numbers whether it runs first, last, alone or on another worker.

Purposes: ``PROCESSING`` (work content of each part), ``UPTIME`` (time to failure, or the
per-cycle failure draw of the geometric model), ``REPAIR`` (repair durations).
"""

from __future__ import annotations

import numpy as np
from numba import njit

PROCESSING = 0
UPTIME = 1
REPAIR = 2
PURPOSES = 3

_U64 = np.uint64


def station_streams(seed: int, replication: int, stations: int) -> np.ndarray:
    """States of all streams of one replication: shape (stations, PURPOSES, 4), dtype uint64."""
    states = np.empty((stations, PURPOSES, 4), dtype=np.uint64)
    for station in range(stations):
        for purpose in range(PURPOSES):
            sequence = np.random.SeedSequence(int(seed), spawn_key=(int(replication), station, purpose))
            states[station, purpose] = sequence.generate_state(4, dtype=np.uint64)
    return states


@njit(cache=True)
def _rotl(x, k):
    return (x << _U64(k)) | (x >> _U64(64 - k))


@njit(cache=True)
def next_u64(states, station, purpose):
    """Advance stream (station, purpose) and return its next 64-bit output (xoshiro256**)."""
    s = states[station, purpose]
    result = _rotl(s[1] * _U64(5), 7) * _U64(9)
    t = s[1] << _U64(17)
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = _rotl(s[3], 45)
    return result


@njit(cache=True)
def uniform(states, station, purpose):
    """Uniform on [0, 1) with 53 random bits."""
    return float(next_u64(states, station, purpose) >> _U64(11)) * (1.0 / 9007199254740992.0)
