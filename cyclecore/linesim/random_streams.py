"""Random streams: one independent stream per station, per purpose, per replication.

Why our own generator: the event loop runs inside Numba and must draw from *many* independent
streams (each station has its own, so that two variants of a line see the same luck — common
random numbers), with a state that is a plain array. xoshiro256** (Blackman & Vigna, 2018) is
small, fast and statistically strong; its 4-word state lives in a ``uint64`` array.

Seeding is deterministic and independent of scheduling: the stream of (replication r, station key
k, purpose p) is seeded from ``numpy.random.SeedSequence(seed, spawn_key=(r, k, p))``, so a
replication gives the same numbers whether it runs first, last, alone or on another worker.

A station's key is its position (0, 1, …) unless the caller gives keys. A line passes
:func:`station_key` of each station's *name*: then adding, removing or changing one station leaves
every other station's streams — its work contents, times to failure and repair times — exactly
as they were (common random numbers across variants of a line, weeks of a ramp and scenarios).
Name keys lie in [2^62, 2^63), so they never coincide with a position key.

Purposes: ``PROCESSING`` (work content of each part), ``UPTIME`` (time to failure, or the
per-cycle failure draw of the geometric model), ``REPAIR`` (repair durations).
"""

from __future__ import annotations

import hashlib

import numpy as np
from numba import njit

PROCESSING = 0
UPTIME = 1
REPAIR = 2
PURPOSES = 3

_U64 = np.uint64


def station_key(name: str) -> int:
    """A station's stream key from its name: stable across runs, platforms and Python versions
    (BLAKE2b of the UTF-8 text, not the salted ``hash``), in [2^62, 2^63)."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest()
    return (int.from_bytes(digest, "big") >> 2) | (1 << 62)


def station_streams(seed: int, replication: int, stations: int, keys=None) -> np.ndarray:
    """States of all streams of one replication: shape (stations, PURPOSES, 4), dtype uint64.

    ``keys`` (stations,): each station's stream key (default: its position)."""
    keys = range(stations) if keys is None else keys
    states = np.empty((stations, PURPOSES, 4), dtype=np.uint64)
    for station, key in enumerate(keys):
        for purpose in range(PURPOSES):
            sequence = np.random.SeedSequence(int(seed), spawn_key=(int(replication), int(key), purpose))
            states[station, purpose] = sequence.generate_state(4, dtype=np.uint64)
    return states


@njit(cache=True, inline='always')
def _rotl(x, k):
    return (x << _U64(k)) | (x >> _U64(64 - k))


@njit(cache=True, inline='always')
def next_u64(states, station, purpose):
    """Advance stream (station, purpose) and return its next 64-bit output (xoshiro256**).

    Inlined into the kernels, on the four state words in place (no view of the state row: a
    view and a call cost several times the generator itself)."""
    s0 = states[station, purpose, 0]
    s1 = states[station, purpose, 1]
    s2 = states[station, purpose, 2] ^ s0
    s3 = states[station, purpose, 3] ^ s1
    result = _rotl(s1 * _U64(5), 7) * _U64(9)
    t = s1 << _U64(17)
    states[station, purpose, 0] = s0 ^ s3
    states[station, purpose, 1] = s1 ^ s2
    states[station, purpose, 2] = s2 ^ t
    states[station, purpose, 3] = _rotl(s3, 45)
    return result


@njit(cache=True, inline='always')
def uniform(states, station, purpose):
    """Uniform on [0, 1) with 53 random bits."""
    return float(next_u64(states, station, purpose) >> _U64(11)) * (1.0 / 9007199254740992.0)
