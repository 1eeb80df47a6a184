"""Sequencing a line: no robot ever gets slower, the report agrees with the analysis, and adding
robots at a station's slots never makes it slower."""

from __future__ import annotations

import pytest

import cyclecore
from cyclecore.changes.programs import sequence, split_station


def analysed_robot_cycles(line, station):
    return {r.robot: r.cycle_s for r in cyclecore.analyze(line).station(station).robots}


def test_resequenced_tutorial_robots_are_never_slower_and_match_the_analysis():
    line = cyclecore.load_example("tutorial")

    report = sequence(line, time_limit=0.3)

    assert len(report.robots) == sum(len(s.robots) for s in line.stations)
    for row in report.robots:
        assert row.cycle_after_s <= row.cycle_before_s
        assert row.tasks_after == row.tasks_before
        assert analysed_robot_cycles(report.line, row.station)[row.robot] == pytest.approx(
            row.cycle_after_s, rel=1e-12)
        assert analysed_robot_cycles(line, row.station)[row.robot] == pytest.approx(
            row.cycle_before_s, rel=1e-12)
    assert report.robot_time_saved_s == pytest.approx(
        sum(r.cycle_before_s - r.cycle_after_s for r in report.robots))
    for old, new in zip(line.stations, report.line.stations):
        for robot in old.robots:
            assert sorted(t.name for t in old.tasks_of(robot.name)) == sorted(
                t.name for t in new.tasks_of(robot.name))


def test_resequencing_keeps_precedence_between_a_robots_tasks():
    line = cyclecore.load_example("tutorial")
    station = line.station("ST20")
    tasks = list(station.tasks)
    names = [t.name for t in tasks]
    # The last task must come first, and the first one before the second: a real constraint
    # on any shortened route. The program given already respects it (a line must).
    tasks[0] = tasks[0].evolve(after=(names[-1],))
    tasks[1] = tasks[1].evolve(after=(names[0],))
    line = line.with_station(station.evolve(tasks=(tasks[-1], *tasks[:-1])))

    report = sequence(line, station="ST20", time_limit=0.3)

    order = [t.name for t in report.line.station("ST20").tasks]
    assert order.index(names[-1]) < order.index(names[0]) < order.index(names[1])
    assert report.robots[0].cycle_after_s <= report.robots[0].cycle_before_s


def test_body_shop_stations_get_shorter_routes_and_report_the_total():
    line = cyclecore.load_example("body-shop")
    bottleneck = cyclecore.analyze(line).bottleneck
    total = 0.0
    for name in (bottleneck, line.stations[0].name):
        report = sequence(line, station=name, time_limit=0.2)
        assert all(r.cycle_after_s <= r.cycle_before_s for r in report.robots)
        after = analysed_robot_cycles(report.line, name)
        assert all(after[r.robot] == pytest.approx(r.cycle_after_s, rel=1e-12) for r in report.robots)
        total += report.robot_time_saved_s
        assert "total:" in str(report)
    assert total > 0


def test_adding_one_then_two_robots_at_the_bottleneck_never_slows_the_station():
    line = cyclecore.load_example("module-line")
    name = cyclecore.analyze(line).bottleneck
    station = line.station(name)
    assert len(station.robot_slots) >= 2
    start = cyclecore.analyze(line).station(name).cycle_s

    one_more = split_station(line, name, robots=len(station.robots) + 1, time_limit=1.0)
    two_more = split_station(one_more.line, name, robots=len(station.robots) + 2, time_limit=1.0)

    c1 = cyclecore.analyze(one_more.line).station(name).cycle_s
    c2 = cyclecore.analyze(two_more.line).station(name).cycle_s
    assert c1 <= start and c2 <= c1
    assert one_more.stations[0].cycle_after_s == pytest.approx(c1, rel=1e-12)
    assert two_more.stations[0].cycle_after_s == pytest.approx(c2, rel=1e-12)
    new_station = two_more.line.station(name)
    assert [r.base for r in new_station.robots[-2:]] == list(station.robot_slots[:2])
    assert sorted(t.name for t in new_station.tasks) == sorted(t.name for t in station.tasks)
    assert all(t.robot in {r.name for r in new_station.robots} for t in new_station.tasks)


def test_line_level_errors_name_the_argument():
    line = cyclecore.load_example("module-line")
    name = cyclecore.analyze(line).bottleneck
    with pytest.raises(ValueError, match="station: unknown station 'nope'"):
        sequence(line, station="nope")
    with pytest.raises(ValueError, match="station: unknown station 'nope'"):
        split_station(line, "nope", robots=2)
    with pytest.raises(ValueError, match=r"robots: expected an integer number of robots >= 1 \(k >= 1\)"):
        split_station(line, name, robots=0)
    with pytest.raises(ValueError, match="robots: station .* at most 4 robots; got 9"):
        split_station(line, name, robots=9)
    with pytest.raises(ValueError, match="line: expected a cyclecore Line"):
        sequence({"stations": []})


@pytest.mark.slow
def test_whole_body_shop_resequenced_no_robot_slower_and_line_faster():
    # all 72 robots, about 20 s on the reference machine; the benchmark pass runs it too
    line = cyclecore.load_example("body-shop")

    report = sequence(line, time_limit=0.1)

    assert len(report.robots) == sum(len(s.robots) for s in line.stations)
    assert all(r.cycle_after_s <= r.cycle_before_s for r in report.robots)
    assert report.robot_time_saved_s > 0
    assert cyclecore.analyze(report.line).line_cycle_s <= cyclecore.analyze(line).line_cycle_s
