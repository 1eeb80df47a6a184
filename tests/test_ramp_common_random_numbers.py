"""Common random numbers (acceptance 3): random streams are keyed by station name, so changing or
adding one station leaves every other station's failures and repairs exactly as they were, and two
plans are compared on the same luck — their paired difference is known far more tightly than the
difference of two independent runs.
"""

from __future__ import annotations

import math

import numpy as np

import cyclecore
from cyclecore.changes import RepairProgramme
from cyclecore.linesim import simulate_serial
from cyclecore.linesim.confidence import t_quantile
from cyclecore.linesim.durations import EXPONENTIAL, sample
from cyclecore.linesim.random_streams import REPAIR, UPTIME, station_key, station_streams
from cyclecore.model.plant import PlantLine

# a four-station line, and the same line with a station added in front and S3 changed
BEFORE = {"S1": (50.0, 3.0, 12.0), "S2": (55.0, 4.0, 20.0), "S3": (52.0, 2.5, 15.0), "S4": (48.0, 5.0, 10.0)}
AFTER = {"S0": (30.0, 6.0, 8.0), "S1": (50.0, 3.0, 12.0), "S2": (55.0, 4.0, 20.0), "S3": (40.0, 1.5, 30.0),
         "S4": (48.0, 5.0, 10.0)}
UNCHANGED = ("S1", "S2", "S4")


def serial_line(stations: dict, by_name: bool) -> dict:
    """simulate_serial's arrays: (cycle s, MTBF h, MTTR min) per station, streams keyed by name or position."""
    names = list(stations)
    cycle, mtbf, mttr = (np.array([stations[n][k] for n in names]) for k in range(3))
    line = dict(cycle_s=cycle, buffer_places=np.full(len(names) - 1, 2), mtbf_s=mtbf * 3600.0, mttr_s=mttr * 60.0)
    if by_name:
        line["station_keys"] = [station_key(n) for n in names]
    return line


def draws(stations: dict, by_name: bool, name: str, count: int = 200) -> tuple[list[float], list[float]]:
    """The first ``count`` times to failure and repair times station ``name`` draws in replication 0,
    as the simulator's kernels draw them."""
    names = list(stations)
    keys = [station_key(n) for n in names] if by_name else None
    states = station_streams(7, 0, len(names), keys)
    i = names.index(name)
    _, mtbf, mttr = stations[name]
    up = [sample(states, i, UPTIME, EXPONENTIAL, mtbf * 3600.0, 0.0, mtbf * 3600.0) for _ in range(count)]
    down = [sample(states, i, REPAIR, EXPONENTIAL, mttr * 60.0, 0.0, mttr * 60.0) for _ in range(count)]
    return up, down


def test_a_station_keeps_its_failure_and_repair_draws_when_another_is_added_or_changed():
    for name in UNCHANGED:
        assert draws(BEFORE, True, name) == draws(AFTER, True, name)
        # keyed by position, the station added in front would hand every station another's dice
        assert draws(BEFORE, False, name) != draws(AFTER, False, name)


def test_a_station_keeps_its_simulated_failures_when_another_is_added_or_changed():
    # with time-dependent failures a station's breakdowns and repairs happen in calendar time,
    # whatever its neighbours do: its failed time in the window is the same to the last bit
    common = dict(hours=200.0, replications=4, seed=7, failure_clock="time")
    before = simulate_serial(**serial_line(BEFORE, True), **common)
    after = simulate_serial(**serial_line(AFTER, True), **common)
    for name in UNCHANGED:
        assert before.stations[list(BEFORE).index(name)].failed == after.stations[list(AFTER).index(name)].failed
    before = simulate_serial(**serial_line(BEFORE, False), **common)
    after = simulate_serial(**serial_line(AFTER, False), **common)
    assert any(before.stations[list(BEFORE).index(n)].failed != after.stations[list(AFTER).index(n)].failed
               for n in UNCHANGED)


def test_a_line_is_simulated_with_its_stations_named_streams():
    line = cyclecore.load_example("module-line")
    renamed = line.evolve(stations=tuple(s.evolve(name=s.name + "-x") if s.name == "Z4-S01-eol-test" else s
                                         for s in line.stations))
    a = cyclecore.simulate(line, weeks=0.5, replications=3, seed=5, failure_clock="time")
    b = cyclecore.simulate(renamed, weeks=0.5, replications=3, seed=5, failure_clock="time")
    for s, t in zip(a.stations[:-1], b.stations[:-1]):
        assert s.failed == t.failed
    assert a.stations[-1].failed != b.stations[-1].failed  # another name, other dice


def half_width(samples, level: float = 0.9) -> float:
    samples = np.asarray(samples)
    return t_quantile(level, len(samples) - 1) * float(np.std(samples, ddof=1)) / math.sqrt(len(samples))


def test_two_plans_compared_on_the_same_luck_differ_with_a_much_narrower_interval():
    line = cyclecore.load_example("module-line")
    one = [RepairProgramme("Z2-S02-bond")]
    two = one + [RepairProgramme("Z2-S03-inspect")]
    # week 10: both programmes have landed (lead time 8 weeks)
    a = cyclecore.Ramp(line, one).simulated_week(10, replications=20, seed=3)
    b = cyclecore.Ramp(line, two).simulated_week(10, replications=20, seed=3)
    b_other_luck = cyclecore.Ramp(line, two).simulated_week(10, replications=20, seed=4)
    assert a.products_per_week != b.products_per_week
    paired = half_width(np.subtract(b.replication_products_per_week, a.replication_products_per_week))
    n = len(a.replication_products_per_week)
    unpaired = t_quantile(0.9, 2 * n - 2) * math.sqrt(
        (np.var(a.replication_products_per_week, ddof=1) + np.var(b_other_luck.replication_products_per_week,
                                                                  ddof=1)) / n)
    assert paired < 0.35 * unpaired


def test_every_week_of_a_ramp_is_simulated_on_the_same_luck_as_simulate_plant():
    # before anything lands the line is the same each week: the simulated weeks are identical,
    # and they are what `cyclecore simulate` makes of the plant (its copies on their spawned seeds)
    line = cyclecore.load_example("module-line")
    ramp = cyclecore.Ramp(line, [RepairProgramme("Z2-S02-bond")])
    week0, week3 = ramp.simulated_week(0, replications=4), ramp.simulated_week(3, replications=4)
    assert week0.replication_products_per_week == week3.replication_products_per_week
    plant = cyclecore.Plant(name=line.name, lines=(PlantLine(line.name, line),))
    simulated = cyclecore.simulate_plant(plant, weeks=1, replications=4, seed=0)
    assert np.allclose(np.multiply(week0.replication_products_per_week, line.units_per_product),
                       simulated.replication_units_per_week, rtol=1e-12, atol=0)
