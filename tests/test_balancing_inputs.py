"""Bad input to the balancing entry points is refused with a ValueError naming the argument."""

from __future__ import annotations

import numpy as np
import pytest

from cyclecore.balancing import salbp1, salbp2

T = np.array([2.0, 3.0, 4.0])
P = [(0, 1), (1, 2)]


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: salbp1([2.0, -1.0, 4.0], P, 5.0), "task_times"),
        (lambda: salbp1([2.0, np.nan, 4.0], P, 5.0), "task_times"),
        (lambda: salbp1([], [], 5.0), "task_times"),
        (lambda: salbp1(T, P, 3.5), "task_times.*longer than cycle_time"),
        (lambda: salbp1(T, P, 0.0), "cycle_time"),
        (lambda: salbp1(T, [(0, 1), (1, 2), (2, 0)], 5.0), "precedence.*cycle"),
        (lambda: salbp1(T, [(0, 3)], 5.0), "precedence.*unknown task"),
        (lambda: salbp1(T, [(0, -1)], 5.0), "precedence.*unknown task"),
        (lambda: salbp1(T, [(1, 1)], 5.0), "precedence"),
        (lambda: salbp1(T, [0, 1, 2], 5.0), "precedence"),
        (lambda: salbp1(T, P, 5.0, time_limit=0), "time_limit"),
        (lambda: salbp2(T, P, 0), "stations"),
        (lambda: salbp2(T, P, 1.5), "stations"),
        (lambda: salbp2(T, [(2, 1), (1, 2)], 2), "precedence.*cycle"),
        (lambda: salbp1(T, P, 5.0, zoning={"apart": [(0, 7)]}), r"zoning\['apart'\]"),
        (lambda: salbp1(T, P, 5.0, zoning={"together": [[0, 9]]}), r"zoning\['together'\]"),
        (lambda: salbp1(T, P, 5.0, zoning={"colour": []}), "zoning"),
        (lambda: salbp1(T, P, 5.0, zoning={"tools": {"tool": ["a"], "max_per_station": 1}}), r"zoning\['tools'\]"),
        (lambda: salbp2(T, P, 2, zoning={"fixed": {0: 5}}), r"zoning\['fixed'\]"),
    ],
)
def test_bad_input_is_refused_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_balance_reports_stations_loads_and_serialises():
    b = salbp1(T, P, 5.0)
    d = b.to_dict()
    assert d["objective"] == 2 and d["station"] == [0, 0, 1]
    assert d["station_time"] == [5.0, 4.0] and d["cycle_time"] == 5.0


# --- issue 11, defect 14: what raised ZeroDivisionError, OverflowError or MemoryError -------------


def test_a_line_without_work_balances_at_cycle_time_zero():
    # salbp2([0, 0, 0], [], 2) divided by zero: with no work every balance has cycle time 0
    b = salbp2([0.0, 0.0, 0.0], [], 2)
    assert b.objective == 0.0 and b.proven_optimal and b.cycle_time == 0.0
    assert salbp1([0.0, 0.0, 0.0], [], 1.0).objective == 1


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: salbp1([1e300, 1e300], [], 1e300), r"cycle_time: got 1e\+300, expected a cycle time in \[1e-06, 86400\] s"),
        (lambda: salbp1([1e300, 2.0], [], 5.0), r"task_times\[0\]: got 1e\+300, expected a finite number in \[0, 86400\] s"),
        (lambda: salbp1(np.ones(2_001), [], 2.0), r"task_times: got 2,001 tasks, expected in \[1, 2,000\] tasks"),
        (lambda: salbp2(T, P, 10**12), r"stations: got 1000000000000, expected an integer in \[1, 2000\]"),
        (lambda: salbp2(T, P, 2, seed=2**70), r"seed: got 1180591620717411303424, expected an integer seed"),
        (lambda: salbp2(T, P, 2, node_limit=2**70), r"node_limit: got 1180591620717411303424"),
        (lambda: salbp1(T, P, 5.0, time_limit=1e308), r"time_limit: got 1e\+308, expected a time limit in \(0, 86400\] s"),
        (lambda: salbp1(T, [(0, 2**70)], 5.0), r"precedence: got .*, expected an array of integers of shape \(m, 2\)"),
        (lambda: salbp1(T, P, 5.0, zoning={"fixed": {0: 2**40}}),
         r"zoning\['fixed'\]: a task is fixed to station 1099511627776, but 3 tasks never need more than 3 stations"),
        (lambda: salbp2(T, P, 2, zoning={"fixed": {0: 2**70}}), r"zoning\['fixed'\]: a task is fixed to station"),
    ],
)
def test_extreme_arguments_are_refused_naming_the_argument_and_its_range(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_every_seed_of_the_one_range_works_with_the_constrained_model():
    # CP-SAT's seed is 32 bits: the largest seed used to raise a TypeError from inside OR-Tools
    b = salbp2(T, [], 2, zoning={"apart": [(0, 1)]}, seed=2**63 - 1)
    assert b.station[0] != b.station[1] and b.proven_optimal
