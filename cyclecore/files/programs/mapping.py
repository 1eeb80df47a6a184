"""A program's motions as a robot's tasks in the line model, and a new task order back as text.

Each motion becomes one task named ``"<robot> <point>"`` (``#2``, ``#3`` … for a point visited
again): its pose in the robot's base frame (the robot's base is the cell frame), converted to the
robot's TCP (the tool of its first motion) when the motion uses another tool; or its joint values.
A PTP move keeps its speed share (``ptp_speed``), a linear move its TCP speed and, for a circular
move, the auxiliary point (``via``). The taught configuration picks the inverse-kinematics branch
(``configuration_deg``): among the model's solutions within joint limits (and ±360° variants), the
ones inside the program's joint ranges, the closest to the previous target. Process and logic
time come with the motion. The robot's home is the program's first joint target, else the
configuration of its first target, so home → first target costs nothing that the program does not.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from cyclecore.arguments import PATH, Instance, arguments
from cyclecore.files.output import write_all_or_nothing
from cyclecore.files.programs.krl import read_krl
from cyclecore.files.programs.program import (
    DIALECTS, Construct, Program, ProgramTimes, fail, matrix, pose_fields, reordered_text,
)
from cyclecore.files.programs.rapid import read_rapid
from cyclecore.files.programs.tp import read_tp
from cyclecore.model.errors import LineFileError, Problem, problems_from_validation
from cyclecore.model.line import Pose, ProgramFile, Robot, Task
from cyclecore.model.robot_models import RobotModel
from cyclecore.robot.geometry import invert

READERS = {"krl": read_krl, "rapid": read_rapid, "tp": read_tp}
DEFAULT_MODELS = {"krl": "KR210-R3100-2", "rapid": "IRB2400-10", "tp": "R-2000iC-165F"}


def dialect_of(path: Path) -> str:
    dialect = DIALECTS.get(Path(path).suffix.lower())
    if dialect is None:
        fail(path, None, "a robot program: KRL .src, RAPID .mod or TP .ls (by its extension)")
    return dialect


@arguments(path=PATH, times=Instance(ProgramTimes, optional=True), routine=Instance(str, optional=True))
def read_program(path, times: ProgramTimes | None = None, routine: str | None = None) -> Program:
    """Read a robot program; the dialect comes from the extension (``.src``, ``.mod``, ``.ls``).
    ``routine``: the KRL DEF or RAPID PROC to read (default: the first DEF, PROC main).

    Raises :class:`~cyclecore.model.errors.LineFileError` naming the file and line for a program
    whose motions cannot be known (see :mod:`cyclecore.files.programs.program`)."""
    path = Path(path)
    if not path.is_file():
        fail(path, None, "an existing robot program file")
    return READERS[dialect_of(path)](path, times or ProgramTimes(), routine)


def task_names(program: Program, robot: str) -> list[str]:
    """The task name of each motion, in program order: ``"<robot> <point>"``, repeats numbered."""
    seen: dict[str, int] = {}
    names = []
    for motion in program.motions:
        base = f"{robot} {motion.label}"
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base} #{seen[base]}")
    return names


def robot_from_program(program: Program, robot: str, model_name: str, model: RobotModel,
                       program_file: str | None = None) -> tuple[Robot, list[Task], list[Construct]]:
    """The robot and its tasks for a program, and what the mapping itself reports."""
    notes: list[Construct] = []
    if not program.motions:
        fail(program.file, None, "a program with at least one motion target in its main routine")
    first = program.motions[0]
    robot_tool = matrix(np.array(first.tool_xyz_m) * 1000.0, first.tool_rpy_deg)
    tools = {m.tool for m in program.motions}
    arm = model.arm
    names = task_names(program, robot)
    tasks: list[Task] = []
    previous = None
    home = None
    for motion, name in zip(program.motions, names):
        try:
            fields = dict(name=name, process_time_s=motion.process_s, logic_time_s=motion.logic_s,
                          tool=motion.tool if len(tools) > 1 else None)
            if motion.joints_deg is not None:
                fields["joints_deg"] = motion.joints_deg
                q = np.radians(motion.joints_deg)
            else:
                target = _for_robot_tool(motion.xyz_m, motion.rpy_deg, motion, robot_tool)
                xyz, rpy = pose_fields(target)
                fields["pose"] = Pose(xyz_m=xyz, rpy_deg=rpy)
                q = _taught_branch(arm, target @ invert(robot_tool), motion, previous, notes)
                if q is not None and any(r is not None for r in motion.joint_ranges_deg):
                    fields["configuration_deg"] = tuple(float(v) for v in np.degrees(q))
            if motion.acceleration is not None and motion.acceleration < 1.0:
                fields["acceleration"] = motion.acceleration
            if motion.kind == "ptp":
                if motion.ptp_speed is not None and motion.ptp_speed < 1.0:
                    fields["ptp_speed"] = motion.ptp_speed
            else:
                fields["motion"] = "linear"
                if motion.tcp_speed_m_s is not None:
                    fields["tcp_speed_m_s"] = motion.tcp_speed_m_s
                if motion.via_xyz_m is not None:
                    via = _for_robot_tool(motion.via_xyz_m, motion.via_rpy_deg, motion, robot_tool)
                    xyz, rpy = pose_fields(via)
                    fields["via"] = (Pose(xyz_m=xyz, rpy_deg=rpy),)
            tasks.append(Task(**fields))
        except (ValidationError, ValueError) as error:  # a value out of the line model's ranges
            raise _at_line(program.file, motion.line, error) from None
        if q is not None:
            previous = q
            if home is None:
                home = q
    joint_home = next((m.joints_deg for m in program.motions if m.joints_deg is not None), None)
    if joint_home is not None:
        home_deg = tuple(float(v) for v in joint_home)
    elif home is not None:
        home_deg = tuple(float(v) for v in np.degrees(home))
    else:
        home_deg = tuple(0.5 * (lo + hi) for lo, hi in zip(model.joint_min_deg, model.joint_max_deg))
        notes.append(Construct(first.line, "", f"no target of the program is reachable by {model_name}: "
                                              "home set to the middle of the joint ranges"))
    tcp_xyz, tcp_rpy = pose_fields(robot_tool)
    try:
        robot_value = Robot(name=robot, model=model_name, tcp=Pose(xyz_m=tcp_xyz, rpy_deg=tcp_rpy), home_deg=home_deg,
                            program=ProgramFile(file=program_file) if program_file else None)
    except (ValidationError, ValueError) as error:
        raise _at_line(program.file, first.line, error) from None
    return robot_value, tasks, notes


def _at_line(file, line: int, error: Exception) -> LineFileError:
    """A model value out of range, named by the program line it came from."""
    if isinstance(error, ValidationError):
        problems = [dataclasses.replace(p, path=f"line {line}: {p.path}") for p in problems_from_validation(error)]
    else:
        problems = [Problem(f"line {line}", f"a target cyclecore can use ({error})")]
    return LineFileError(file, problems)


def _for_robot_tool(xyz_m, rpy_deg, motion, robot_tool) -> np.ndarray:
    """The TCP pose of the robot's tool that puts the flange where the motion's tool put it."""
    target = matrix(np.array(xyz_m) * 1000.0, rpy_deg)
    own = matrix(np.array(motion.tool_xyz_m) * 1000.0, motion.tool_rpy_deg)
    if np.allclose(own, robot_tool, atol=1e-12):
        return target
    return target @ invert(own) @ robot_tool


def _taught_branch(arm, flange: np.ndarray, motion, previous, notes) -> np.ndarray | None:
    solutions = arm.inverse(flange)
    candidates = []
    low, high = arm.joint_min, arm.joint_max
    for q in solutions[~np.isnan(solutions).any(axis=1)]:
        for shift in _turn_variants(q, low, high):
            candidates.append(shift)
    if not candidates:
        return None
    candidates = np.array(candidates)
    ranges = motion.joint_ranges_deg
    keep = np.ones(len(candidates), dtype=bool)
    for axis, bounds in enumerate(ranges):
        if bounds is not None:
            value = np.degrees(candidates[:, axis])
            keep &= (value >= bounds[0] - 1e-9) & (value < bounds[1] + 1e-9)
    if any(r is not None for r in ranges) and not keep.any():
        notes.append(Construct(motion.line, motion.configuration or "", "no solution of the robot model has "
                               "this configuration (another arm?): inverse kinematics takes the closest"))
        keep[:] = True
    chosen = candidates[keep]
    reference = previous if previous is not None else np.zeros(6)
    return chosen[np.argmin(np.linalg.norm(chosen - reference, axis=1))]


def _turn_variants(q, low, high):
    """q and its ±2π variants (per axis) inside the joint limits."""
    options = []
    for axis in range(6):
        values = [q[axis] + k * 2 * np.pi for k in (-1, 0, 1)]
        options.append([v for v in values if low[axis] - 1e-9 <= v <= high[axis] + 1e-9])
    grid = np.array(np.meshgrid(*options, indexing="ij")).reshape(6, -1).T if all(options) else np.empty((0, 6))
    return list(grid)


# --- writing a new order ------------------------------------------------------------------------


@arguments(program=Instance(Program), robot=Instance(str), new_task_names=Instance((list, tuple)))
def program_in_new_order(program: Program, robot: str, new_task_names: list[str]) -> bytes:
    """The program's bytes with its motions in the order of ``new_task_names`` (the robot's tasks
    after a change), in the program's own encoding; only motion units move."""
    names = task_names(program, robot)
    if sorted(names) != sorted(new_task_names):
        fail(program.file, None, f"the tasks of robot {robot} as imported from this program; the line's "
                                 "tasks differ (added, removed or renamed), so the program cannot be rewritten")
    position = {name: k for k, name in enumerate(names)}
    text = reordered_text(program, [position[name] for name in new_task_names])
    return text.encode(program.encoding)


def write_files(files: dict[Path, bytes]) -> None:
    """Write files whole or not at all (bytes, so a program keeps its encoding and line ends)."""
    write_all_or_nothing(files)
