"""Re-sequencing chooses each task's arm configuration, and the line remembers the choice."""

from __future__ import annotations

import numpy as np
import pytest

import cyclecore
from cyclecore.robot.cell import configuration_options
from cyclecore.analysis.deterministic import robot_cycles
from cyclecore.files.line_file import save_line
from cyclecore.robot.motion import move_time_matrix
from cyclecore.sequencing import exact_route
from cyclecore.changes.programs import sequence


@pytest.fixture(scope="module")
def tutorial():
    return cyclecore.load_example("tutorial")


def test_analysed_motion_of_the_new_program_is_the_proven_optimal_route_cost(tutorial):
    # oracle: exact DP over every order and every IK configuration of every task
    report = sequence(tutorial, station="ST20", time_limit=0.5)
    station = tutorial.station("ST20")
    robot = station.robots[0]
    model = tutorial.robot_model(robot.model)
    tasks = station.tasks_of(robot.name)
    options = configuration_options(tutorial, station, robot, tasks)
    times = move_time_matrix(options.configs, model.vmax, model.amax, model.jmax, robot.speed_override)
    optimum = exact_route(times, alternatives=[list(g) for g in options.groups])
    assert optimum.proven_optimal
    after = robot_cycles(report.line, report.line.station("ST20"))[0]
    assert after.motion_s == pytest.approx(optimum.cost, rel=1e-9)


def test_chosen_configurations_survive_a_round_trip_through_the_line_file(tutorial, tmp_path):
    report = sequence(tutorial, time_limit=0.2)
    assert any(t.configuration_deg is not None for s in report.line.stations for t in s.tasks)
    save_line(report.line, tmp_path / "new.yaml")
    reloaded = cyclecore.load_line(tmp_path / "new.yaml")
    assert cyclecore.analyze(reloaded).to_dict() == cyclecore.analyze(report.line).to_dict()


def test_a_task_is_reached_in_its_taught_configuration(tutorial):
    station = tutorial.station("ST10")
    robot = station.robots[0]
    task = station.tasks_of(robot.name)[0]
    options = configuration_options(tutorial, station, robot, [task])
    q = options.configs[list(options.groups[0])[-1]]  # not necessarily the closest to home
    taught = task.evolve(configuration_deg=tuple(np.degrees(q)))
    from cyclecore.robot.cell import robot_program

    program = robot_program(tutorial, station, robot, [taught])
    assert np.allclose(program.configs[1], q, atol=1e-12)
