"""The answers of the searching changes, remembered by the value they were solved for.

Re-sequencing a robot, re-splitting a station over added robots and rebalancing a zone each run a
search (local search, OR-Tools, CP-SAT) that stops on counts, so the same value always gets the
same answer. The plan search solves them for every station option; verifying the chosen plan
(:func:`cyclecore.plan.result.apply_plan`) and ramping it (:mod:`cyclecore.ramp.states`) apply the
same changes to the same station values again. So each answer is remembered here, keyed by a
frozen description of everything the search reads: the change, the station (its tasks, robots,
slots, tools, index and fixed times, as JSON, exact to the last bit of every float) and its
robots' models, kept as the SHA-256 of that text; for a zone, each of its stations so. A repeat
is a look-up that returns the answer already found, never a re-solve (nor a different answer).

Work items that run in other processes (:mod:`cyclecore.plan.executors`) send back what they solved
(:func:`recording`), and the parent learns it (:func:`learn`), so verification and the ramp reuse
the search's answers whichever executor ran it. The memory is bounded like the robot programs of
:mod:`cyclecore.robot.cell`. ``CYCLECORE_SOLVED_CACHE=0`` in the environment, or
:func:`solving_afresh`, turns it off (a test compares the plans made with and without it).
"""

from __future__ import annotations

import hashlib
import os
from contextlib import contextmanager

KEPT = 4096  # answers remembered (the body shop's search solves a few hundred)
_ANSWERS: dict = {}
_RECORDERS: list[dict] = []
_OFF = [os.environ.get("CYCLECORE_SOLVED_CACHE", "1") == "0"]


def station_value(line, station) -> str:
    """What a station's searches read, the station and the models of its robots, as the SHA-256
    of their JSON (a short key to keep and to send between processes)."""
    text = hashlib.sha256(station.model_dump_json().encode())
    for model in sorted({r.model for r in station.robots}):
        text.update(b"\0" + model.encode() + b"\0" + line.robot_model(model).model_dump_json().encode())
    return text.hexdigest()


def zone_value(line, names) -> tuple:
    """What a zone's rebalance reads: each of its stations' :func:`station_value`."""
    return tuple(station_value(line, line.station(name)) for name in names)


def remembered(key, solve):
    """``solve()``'s answer for ``key``: found once, then looked up (``solve`` takes no argument
    and must depend only on what ``key`` describes)."""
    if _OFF[0]:
        return solve()
    found = _ANSWERS.get(key)
    if found is None:
        found = solve()
        _keep(key, found)
        for recorder in _RECORDERS:
            recorder[key] = found
    return found


def _keep(key, answer) -> None:
    if len(_ANSWERS) >= KEPT:
        _ANSWERS.clear()
    _ANSWERS[key] = answer


@contextmanager
def recording():
    """Collect the answers solved inside the block (a ``dict`` to send to another process)."""
    fresh: dict = {}
    _RECORDERS.append(fresh)
    try:
        yield fresh
    finally:
        _RECORDERS.remove(fresh)


def learn(answers: dict) -> None:
    """Remember answers solved elsewhere (by :func:`recording` in a worker)."""
    if not _OFF[0]:
        for key, answer in answers.items():
            if key not in _ANSWERS:
                _keep(key, answer)


@contextmanager
def solving_afresh():
    """Inside the block every search runs again and nothing is remembered."""
    before = _OFF[0]
    _OFF[0] = True
    try:
        yield
    finally:
        _OFF[0] = before


def forget() -> None:
    """Drop every remembered answer (a new process starts this way)."""
    _ANSWERS.clear()
