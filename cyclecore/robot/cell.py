"""A robot in its cell: which joint configuration reaches each task, and where its TCP goes.

Task poses are given in the cell frame for the tool centre point. The arm's kinematics work on
the flange in the robot's base frame, so each target becomes ``base⁻¹ · target · tcp⁻¹``. Among
the inverse-kinematics solutions within joint limits, a task takes the one closest to its
``configuration_deg`` when the file gives one (the configuration it was taught in), otherwise the
one closest to the configuration before it in the program (starting from home) — what a robot
programmer teaching the path would do. Re-sequencing records the configurations it chooses.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cyclecore.robot.geometry import invert

if TYPE_CHECKING:  # the robot layer reads the model's values but never builds them
    from cyclecore.model.line import Line, Robot, Station, Task


@dataclass(frozen=True)
class RobotProgram:
    """Configurations of one robot's program: home, then its tasks in order.

    ``configs`` (n+1, 6) rad, row 0 = home; ``tcp_positions`` (n+1, 3) m in the cell frame;
    ``reachable`` (n,) per task; ``tasks`` the Task objects in program order."""

    robot: Robot
    tasks: tuple[Task, ...]
    configs: np.ndarray
    tcp_positions: np.ndarray
    reachable: np.ndarray


def flange_targets(robot: Robot, tasks: list[Task]) -> np.ndarray:
    """Flange poses in the robot base frame for pose tasks, (n, 4, 4); NaN rows for joint tasks."""
    out = np.full((len(tasks), 4, 4), np.nan)
    base_inverse = invert(robot.base.matrix)
    tcp_inverse = invert(robot.tcp.matrix)
    for k, task in enumerate(tasks):
        if task.pose is not None:
            out[k] = base_inverse @ task.pose.matrix @ tcp_inverse
    return out


def tcp_in_cell(line: Line, robot: Robot, configs: np.ndarray) -> np.ndarray:
    """TCP positions (n, 3) m in the cell frame for joint configurations (n, 6) rad."""
    flange = line.robot_model(robot.model).arm.forward(np.atleast_2d(configs))
    return (robot.base.matrix @ flange @ robot.tcp.matrix)[:, :3, 3]


_PROGRAMS: dict = {}  # solved programs by everything they depend on (the plan evaluates many variants)
_PROGRAMS_KEPT = 4096


def robot_program(line: Line, station: Station, robot: Robot, tasks: list[Task] | None = None) -> RobotProgram:
    """Solve the configurations of a robot's tasks in program order (default: its assigned tasks).

    A pure function of the robot's model, base, tool, home and tasks (not its speed override), so
    solved programs are remembered: a faster or duplicated variant of a station costs no IK."""
    tasks = tuple(station.tasks_of(robot.name) if tasks is None else tasks)
    model = line.robot_model(robot.model)
    key = (model.model_dump_json(), robot.base, robot.tcp, robot.home_deg, tasks)
    program = _PROGRAMS.get(key)
    if program is None:
        if len(_PROGRAMS) >= _PROGRAMS_KEPT:
            _PROGRAMS.clear()
        program = _PROGRAMS[key] = _solve_program(line, robot, tasks)
    return program if program.robot == robot else dataclasses.replace(program, robot=robot)


def _solve_program(line: Line, robot: Robot, tasks: tuple[Task, ...]) -> RobotProgram:
    arm = line.robot_model(robot.model).arm
    targets = flange_targets(robot, tasks)
    configs = np.empty((len(tasks) + 1, 6))
    configs[0] = robot.home
    reachable = np.ones(len(tasks), dtype=bool)
    previous = robot.home
    for k, task in enumerate(tasks):
        if task.joints_deg is not None:
            q = np.radians(task.joints_deg)
        else:
            reference = previous if task.configuration_deg is None else np.radians(task.configuration_deg)
            solution, ok = arm.closest(targets[k][None], reference)
            q, reachable[k] = solution[0], bool(ok[0])
        if reachable[k]:
            previous = q
        configs[k + 1] = q if reachable[k] else previous
    tcp = tcp_in_cell(line, robot, configs)
    for k, task in enumerate(tasks):
        if task.pose is not None:
            tcp[k + 1] = task.pose.xyz_m  # exact target, not the round trip through IK
    for shared in (configs, tcp, reachable):
        shared.setflags(write=False)  # remembered and shared: nobody may change them
    return RobotProgram(robot, tuple(tasks), configs, tcp, reachable)


@dataclass(frozen=True)
class ConfigurationOptions:
    """Every way a robot can stand at each of its tasks: the input of re-sequencing.

    ``configs`` (m, 6) rad: node 0 is home, then the options of each task; ``groups[k]`` lists the
    nodes that are alternative configurations of task k (one of them is visited);
    ``reachable`` (n,) per task. Joint-target tasks have exactly one option."""

    robot: Robot
    tasks: tuple[Task, ...]
    configs: np.ndarray
    groups: tuple[tuple[int, ...], ...]
    reachable: np.ndarray


def configuration_options(line: Line, station: Station, robot: Robot, tasks: list[Task]) -> ConfigurationOptions:
    """All inverse-kinematics solutions within joint limits of each task, for one robot.

    The eight OPW branches are taken as the kernel returns them (wrist angles in their principal
    range when that is inside the limits); tasks without any solution are marked unreachable and
    get no node."""
    arm = line.robot_model(robot.model).arm
    targets = flange_targets(robot, list(tasks))
    rows = [robot.home]
    groups = []
    reachable = np.zeros(len(tasks), dtype=bool)
    pose_rows = [k for k, t in enumerate(tasks) if t.pose is not None]
    solutions = arm.inverse(targets[pose_rows]) if pose_rows else np.empty((0, 8, 6))
    by_task = dict(zip(pose_rows, solutions))
    for k, task in enumerate(tasks):
        if task.joints_deg is not None:
            options = [np.radians(task.joints_deg)]
        else:
            valid = by_task[k][~np.isnan(by_task[k]).any(axis=1)]
            options = _distinct(valid)
        start = len(rows)
        rows.extend(options)
        groups.append(tuple(range(start, len(rows))))
        reachable[k] = bool(options)
    return ConfigurationOptions(robot, tuple(tasks), np.array(rows, dtype=float), tuple(groups), reachable)


def _distinct(solutions: np.ndarray, tol: float = 1e-9) -> list[np.ndarray]:
    """Drop duplicate solutions (singular poses give coinciding branches)."""
    kept: list[np.ndarray] = []
    for q in solutions:
        if all(np.max(np.abs(q - other)) > tol for other in kept):
            kept.append(q)
    return kept


def programmed_motion_s(line: Line, robot: Robot, program: RobotProgram) -> float | None:
    """Motion time (s) of home → tasks → home when a task asks for more than a full-speed PTP
    move: a ``ptp_speed`` share of the joint speed limits, an ``acceleration`` share of the joint
    (or, for a linear move, TCP) acceleration limits, or a linear move (the straight TCP
    segment at the task's ``tcp_speed_m_s``, through its ``via`` points, each segment rest to rest
    with the linear-move kernel). None when every move is a plain PTP move (the caller's route
    totals are then the motion time). The return home is a full-speed PTP move."""
    from cyclecore.robot.motion import linear_move_duration, ptp_duration

    tasks = program.tasks
    if all(t.motion == "ptp" and t.ptp_speed is None and t.acceleration is None for t in tasks):
        return None
    model = line.robot_model(robot.model)
    configs = program.configs
    n = len(tasks)
    start = configs[np.r_[0:n + 1]]
    end = configs[np.r_[1:n + 1, 0]]
    share = np.array([t.ptp_speed or 1.0 for t in tasks] + [1.0])
    accelerating = np.array([t.acceleration or 1.0 for t in tasks] + [1.0])
    moves = ptp_duration(start, end, model.vmax[None, :] * share[:, None], model.amax[None, :] * accelerating[:, None],
                         model.jmax, speed_override=robot.speed_override)
    linear = [k for k, t in enumerate(tasks) if t.motion == "linear"]
    if not linear:
        return float(np.sum(moves))
    arm = model.arm
    poses = robot.base.matrix @ arm.forward(configs) @ robot.tcp.matrix  # TCP in the cell frame
    for k, task in enumerate(tasks):
        if task.pose is not None:
            poses[k + 1] = task.pose.matrix  # the programmed target itself, not IK's round trip
    orientation = np.radians([model.max_orientation_speed_deg_s, model.max_orientation_acceleration_deg_s2,
                              model.max_orientation_jerk_deg_s3])
    for k in linear:
        task = tasks[k]
        chain = np.stack([poses[k]] + [v.matrix for v in task.via] + [poses[k + 1]])
        speed = task.tcp_speed_m_s if task.tcp_speed_m_s is not None else model.max_tcp_speed_m_s
        moves[k] = float(np.sum(linear_move_duration(
            chain[:-1], chain[1:], speed, model.max_tcp_acceleration_m_s2 * (task.acceleration or 1.0),
            model.max_tcp_jerk_m_s3, *orientation, speed_override=robot.speed_override)))
    return float(np.sum(moves))
