"""The line as the ramp sees it with some changes landed: built as ``cyclecore apply`` builds it,
each station value evaluated once, and a change that builds on another waiting for it.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import cyclecore
import cyclecore.ramp.states as states
from cyclecore.analysis.simulation import line_arrays
from cyclecore.changes import AddBuffer, AddRobots, ApplyOption, RepairProgramme, Resequence, SpeedUp


def test_with_every_change_landed_the_line_is_the_applied_plans():
    line = cyclecore.load_example("module-line")
    changes = [ApplyOption("bond-bead-v2"), Resequence("Z2-S03-inspect", "R1"), SpeedUp("Z2-S02-bond", "R1", 1.0),
               AddBuffer("Z1-S01-cell-load", 2), RepairProgramme("Z2-S02-bond")]
    applied = line
    for change in changes:
        applied = change.apply(applied)
    ramp = cyclecore.Ramp(line, changes)
    state = ramp.lines[0].full()
    expected = line_arrays(applied)
    for name in ("cycle_s", "buffer_places", "mtbf_s", "mttr_s", "parallel", "bypass_cycle_s", "station_keys"):
        np.testing.assert_array_equal(getattr(state, name), expected[name], err_msg=name)


def test_each_station_value_is_evaluated_once_whatever_set_of_changes_has_landed(monkeypatch):
    # a line no other test has seen (its own cache keys)
    base = cyclecore.load_example("module-line")
    line = base.evolve(name="module-line-for-counting")
    calls = []
    real = states.station_cycle
    monkeypatch.setattr(states, "station_cycle", lambda line, station: calls.append(station.name) or real(line, station))
    changes = [RepairProgramme("Z1-S01-cell-load"), RepairProgramme("Z2-S02-bond"), AddBuffer("Z3-S01-close", 1)]
    ramp = cyclecore.Ramp(line, changes)
    for k in range(len(changes) + 1):
        for landed in itertools.combinations([c.name for c in ramp.changes], k):
            ramp.capacity(landed=list(landed))
    # 8 subsets x 8 stations asked; 5 stations untouched (one value each) and 3 with two values each
    assert len(calls) == 5 + 2 * 3
    assert sorted(set(calls)) == sorted(s.name for s in line.stations)


def test_a_change_that_builds_on_another_waits_for_it():
    # the speed-up of R2, the robot added at ST20, lands after a week; R2 arrives after twelve
    tutorial = cyclecore.load_example("tutorial")
    st20 = tutorial.station("ST20")
    line = tutorial.with_station(st20.evolve(robots=(st20.robots[0].evolve(speed_override=0.8),)))
    changes = [AddRobots("ST20", 1), SpeedUp("ST20", "R2", 1.0)]
    rows = cyclecore.ramp(line, changes, weeks=14).rows
    assert rows[1].landed == ("speed_up@ST20/R2",) and rows[1].changes_in_effect == 0
    assert rows[1].capacity_products_per_week == rows[0].capacity_products_per_week
    assert rows[12].landed == ("add_robots@ST20",) and rows[12].changes_in_effect == 2
    both = SpeedUp("ST20", "R2", 1.0).apply(AddRobots("ST20", 1).apply(line))
    assert rows[12].capacity_products_per_week == pytest.approx(cyclecore.analyze(both).units_per_week, rel=1e-12)


def test_a_change_that_never_applies_is_refused_naming_it():
    line = cyclecore.load_example("tutorial")
    with pytest.raises(ValueError, match=r"^changes\[0\]: override: robot R1 at ST20 runs at 1; expected one of"):
        cyclecore.Ramp(line, [SpeedUp("ST20", "R1", 0.9)])
