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
