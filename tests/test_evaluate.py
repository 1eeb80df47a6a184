"""Deterministic analysis, held to independent oracles.

Robot motion time is checked move by move against Ruckig (the reference jerk-limited trajectory
generator): for rest-to-rest synchronized moves its duration is the time-optimal one. The
calendar arithmetic is checked against the closed form.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import ruckig

from cyclecore.analysis.deterministic import analyze
from cyclecore.files.line_file import line_from_dict

from line_fixtures import valid_line


def ruckig_duration(q0, q1, vmax, amax, jmax) -> float:
    dof = len(q0)
    otg = ruckig.Ruckig(dof)
    inp = ruckig.InputParameter(dof)
    inp.current_position, inp.target_position = list(q0), list(q1)
    inp.current_velocity = inp.current_acceleration = [0.0] * dof
    inp.target_velocity = inp.target_acceleration = [0.0] * dof
    inp.max_velocity, inp.max_acceleration, inp.max_jerk = list(vmax), list(amax), list(jmax)
    trajectory = ruckig.Trajectory(dof)
    assert otg.calculate(inp, trajectory) in (ruckig.Result.Working, ruckig.Result.Finished)
    return trajectory.duration


def expected_robot_motion(line, station_index, robot_name) -> float:
    station = line.stations[station_index]
    robot = station.robot(robot_name)
    model = line.robot_model(robot.model)
    s = robot.speed_override
    configs = [robot.home] + [np.radians(t.joints_deg) for t in station.tasks_of(robot_name)] + [robot.home]
    return sum(ruckig_duration(a, b, model.vmax * s, model.amax * s**2, model.jmax * s**3)
               for a, b in zip(configs[:-1], configs[1:]))


@pytest.fixture(scope="module")
def line():
    return line_from_dict(valid_line())


def test_robot_cycle_is_ruckig_motion_plus_process_and_logic(line):
    analysis = analyze(line)
    s1 = analysis.station("S1")
    r1 = s1.robots[0]
    assert r1.motion_s == pytest.approx(expected_robot_motion(line, 0, "R1"), rel=1e-9)
    assert r1.process_s == pytest.approx(1.0)
    assert r1.logic_s == pytest.approx(0.2)
    assert r1.cycle_s == pytest.approx(r1.motion_s + 1.2, rel=1e-12)


def test_station_cycle_is_slowest_robot_plus_index(line):
    s2 = analyze(line).station("S2")
    slowest = max(expected_robot_motion(line, 1, name) + 1.0 for name in ("R1", "R2"))
    assert s2.cycle_s == pytest.approx(slowest + 4.0, rel=1e-9)


def test_line_cycle_and_bottleneck_are_the_slowest_effective_station():
    data = valid_line()
    data["stations"][0]["index_time_s"] = 30.0
    data["stations"][0]["parallel"] = 2  # two copies halve its effective cycle
    line = line_from_dict(data)
    analysis = analyze(line)
    s1, s2 = analysis.stations
    assert s1.effective_cycle_s == pytest.approx(s1.cycle_s / 2)
    expected = max((s1, s2), key=lambda s: s.effective_cycle_s)
    assert analysis.bottleneck == expected.name
    assert analysis.line_cycle_s == expected.effective_cycle_s


def test_units_per_week_and_takt_follow_the_calendar(line):
    analysis = analyze(line, target=1000)
    hours = 2 * 8.0 * 5  # shifts × hours × days, no planned downtime
    assert analysis.production_hours_per_week == hours
    assert analysis.units_per_week == pytest.approx(hours * 3600 / analysis.line_cycle_s, rel=1e-12)
    assert analysis.takt_s == pytest.approx(hours * 3600 / 1000, rel=1e-12)
    assert analysis.gap_s == pytest.approx(analysis.line_cycle_s - analysis.takt_s)
    for station in analysis.stations:
        assert station.slack_s == pytest.approx(analysis.takt_s - station.effective_cycle_s)


def test_plant_target_is_shared_by_identical_lines_and_units_per_product():
    data = valid_line()
    data["units_per_product"], data["identical_lines"] = 4, 3
    analysis = analyze(line_from_dict(data), target=5000)
    assert analysis.target_units_per_week == pytest.approx(5000 * 4 / 3)
    assert analysis.products_per_week == pytest.approx(analysis.units_per_week * 3 / 4)


def test_availability_estimates_match_their_closed_forms(line):
    analysis = analyze(line)
    t = np.array([s.effective_cycle_s for s in analysis.stations])
    e = np.array([5 * 60 / (5 * 60 + 10), 1.0])  # S1: MTBF 5 h, MTTR 10 min; S2 never fails
    hours_s = analysis.production_hours_per_week * 3600
    assert analysis.units_per_week_ample_buffers == pytest.approx(hours_s * np.min(e / t), rel=1e-12)
    no_buffers = hours_s / (t.max() + np.sum(t * (1 - e) / e))
    assert analysis.units_per_week_no_buffers == pytest.approx(no_buffers, rel=1e-12)
    assert analysis.units_per_week_no_buffers <= analysis.units_per_week_ample_buffers <= analysis.units_per_week


def test_speed_override_divides_motion_time_exactly():
    slow_data, fast_data = valid_line(), valid_line()
    slow_data["stations"][0]["robots"][0]["speed_override"] = 0.5
    fast_data["stations"][0]["robots"][0]["speed_override"] = 1.0
    slow = analyze(line_from_dict(slow_data)).station("S1").robots[0]
    fast = analyze(line_from_dict(fast_data)).station("S1").robots[0]
    assert slow.motion_s == pytest.approx(2.0 * fast.motion_s, rel=1e-12)


def test_joint_path_is_sum_of_joint_space_distances(line):
    r1 = analyze(line).station("S1").robots[0]
    station = line.stations[0]
    q = [station.robots[0].home] + [np.radians(t.joints_deg) for t in station.tasks] + [station.robots[0].home]
    expected = sum(np.linalg.norm(b - a) for a, b in zip(q[:-1], q[1:]))
    assert r1.joint_path_rad == pytest.approx(expected, rel=1e-12)


def test_tcp_path_of_pose_tasks_is_the_chord_length_between_targets():
    from cyclecore.robot.geometry import rpy_from_matrix
    from cyclecore.model.robot_models import bundled_robot_models

    model = bundled_robot_models()["KR210-R3100-2"]
    home = np.radians([0, -90, 90, 0, 30, 0])
    q = home + np.array([[0.2, 0.1, -0.1, 0.3, 0.2, 0.1], [-0.2, 0.15, 0.05, -0.2, 0.1, 0.3]])
    poses = model.arm.forward(q)
    data = valid_line()
    data["stations"][0]["tasks"] = [
        {"name": f"p{k}", "pose": {"xyz_m": t[:3, 3].tolist(), "rpy_deg": np.degrees(rpy_from_matrix(t)).tolist()}}
        for k, t in enumerate(poses)
    ]
    data["stations"][1]["tasks"][1]["after"] = []
    line = line_from_dict(data)
    r1 = analyze(line).station("S1").robots[0]
    home_tcp = model.arm.forward(home)[:3, 3]
    points = [home_tcp, poses[0][:3, 3], poses[1][:3, 3], home_tcp]
    expected = sum(np.linalg.norm(b - a) for a, b in zip(points[:-1], points[1:]))
    assert r1.tcp_path_m == pytest.approx(expected, rel=1e-9)
    # IK chose configurations that reproduce the targets: the robot really goes there
    assert r1.motion_s > 0


def test_analysis_is_plain_json_serialisable_and_printable(line):
    import json

    analysis = analyze(line, target=500)
    text = json.dumps(analysis.to_dict(), allow_nan=False)
    assert json.loads(text)["bottleneck"] == analysis.bottleneck
    printed = str(analysis)
    assert "bottleneck" in printed and analysis.bottleneck in printed


@pytest.mark.parametrize("bad", [0, -5, math.nan, math.inf, "many"])
def test_target_must_be_a_positive_number(line, bad):
    with pytest.raises(ValueError, match="target"):
        analyze(line, target=bad)
