"""A robot in its cell: configurations really reach the targets, within joint limits."""

from __future__ import annotations

import numpy as np
import pytest

import cyclecore
from cyclecore.robot.cell import configuration_options, flange_targets, robot_program, tcp_in_cell


@pytest.fixture(scope="module")
def tutorial():
    return cyclecore.load_example("tutorial")


def test_every_configuration_option_reaches_its_task_within_joint_limits(tutorial):
    for station in tutorial.stations:
        for robot in station.robots:
            tasks = station.tasks_of(robot.name)
            options = configuration_options(tutorial, station, robot, tasks)
            model = tutorial.robot_model(robot.model)
            targets = flange_targets(robot, tasks)
            assert options.reachable.all()
            for k, group in enumerate(options.groups):
                q = options.configs[list(group)]
                assert np.all(q >= model.joint_min - 1e-12) and np.all(q <= model.joint_max + 1e-12)
                reached = model.arm.forward(q)
                assert np.allclose(reached, targets[k], atol=1e-9)


def test_program_configurations_put_the_tcp_on_the_task_pose(tutorial):
    station = tutorial.stations[0]
    robot = station.robots[0]
    program = robot_program(tutorial, station, robot)
    reached = tcp_in_cell(tutorial, robot, program.configs[1:])
    expected = np.array([t.pose.xyz_m for t in program.tasks])
    assert np.allclose(reached, expected, atol=1e-9)


def test_program_takes_the_option_closest_to_the_previous_configuration(tutorial):
    station = tutorial.stations[0]
    robot = station.robots[0]
    tasks = station.tasks_of(robot.name)
    program = robot_program(tutorial, station, robot)
    options = configuration_options(tutorial, station, robot, tasks)
    previous = robot.home
    for k, group in enumerate(options.groups):
        q = options.configs[list(group)]
        distance = np.linalg.norm(q - previous, axis=1)
        assert np.linalg.norm(program.configs[k + 1] - previous) <= distance.min() + 1e-9
        previous = program.configs[k + 1]
