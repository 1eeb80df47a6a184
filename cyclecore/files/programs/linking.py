"""A line file's ``program: {file: R1.src}`` on a robot: its tasks read from a robot program.

The file is named relative to the line file's folder and must lie inside it (no ``..`` or absolute
path out of it); the dialect comes from the extension. When the line file also lists tasks for
that robot (as ``cyclecore import`` writes them), those are used and the program only tells
``cyclecore sequence --programs`` which text to rewrite; otherwise the tasks are read from the
program (with the process, output and input-wait times ``program:`` gives), and the robot's
``home_deg``, ``tcp`` and ``speed_override`` come from it when the file gives none.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from cyclecore.files.documents import path_text_problem
from cyclecore.files.programs.mapping import read_program, robot_from_program
from cyclecore.files.programs.program import ProgramTimes
from cyclecore.model.errors import LineFileError, Problem
from cyclecore.model.line import ProgramFile
from cyclecore.model.robot_models import RobotModel, bundled_robot_models


def program_path(folder: Path, name) -> Path | None:
    """The program a line file names, or None when it is not a relative path inside ``folder``."""
    if not isinstance(name, str) or not name or path_text_problem(name) or Path(name).is_absolute():
        return None
    path = (folder / name).resolve()
    return path if path.is_relative_to(folder.resolve()) else None


def tasks_from_programs(raw: dict, folder: Path, problems: list[Problem]) -> None:
    """Add to ``raw`` (a line file's mapping, changed in place) the tasks of robots that name a
    program and list no tasks; problems go to ``problems`` with their field paths."""
    if not isinstance(raw, dict) or not isinstance(raw.get("stations"), list):
        return
    models = dict(bundled_robot_models())
    for name, spec in (raw.get("robot_models") or {}).items() if isinstance(raw.get("robot_models"), dict) else ():
        try:
            models[name] = RobotModel.model_validate(spec)
        except Exception:  # noqa: BLE001 - the line's own checks report a bad model by its path
            pass
    for i, station in enumerate(raw["stations"]):
        if not isinstance(station, dict) or not isinstance(station.get("robots"), list):
            continue
        tasks = station.get("tasks")
        if tasks is not None and not isinstance(tasks, list):
            continue
        for j, robot in enumerate(station["robots"]):
            if not isinstance(robot, dict) or not isinstance(robot.get("program"), dict):
                continue
            where = f"stations[{i}].robots[{j}].program.file"
            path = program_path(folder, robot["program"].get("file"))
            if path is None:
                problems.append(Problem(where, f"a program file relative to the line file's folder {folder.resolve()}, "
                                               "inside it", robot["program"].get("file")))
                continue
            own = [t for t in tasks or () if isinstance(t, dict) and
                   (t.get("robot") == robot.get("name") or (len(station["robots"]) == 1 and t.get("robot") is None))]
            if own:
                continue  # the file's own tasks are the robot's program
            model = models.get(robot.get("model"))
            if model is None:
                continue  # the line's checks name the unknown model
            try:
                times = ProgramTimes(**{k: robot["program"][k] for k in ("process_s", "output_s", "input_wait_s")
                                        if k in robot["program"]})
                ProgramFile.model_validate(robot["program"])
            except (TypeError, ValidationError):
                continue  # the line's checks name a bad field of program: by its path
            try:
                program = read_program(path, times)
                made, program_tasks, _ = robot_from_program(program, str(robot.get("name")), robot["model"], model)
            except LineFileError as error:
                problems.extend(Problem(where, f"{Path(error.file).name}: {p}") for p in error.problems)
                continue
            robot.setdefault("home_deg", list(made.home_deg))
            robot.setdefault("tcp", made.tcp.model_dump(mode="json"))
            if made.speed_override != 1.0:  # the program's own override ($OV_PRO, OVERRIDE=, VelSet)
                robot.setdefault("speed_override", made.speed_override)
            station.setdefault("tasks", [])
            station["tasks"].extend(dict(t.model_dump(mode="json", exclude_defaults=True), robot=robot.get("name"))
                                    for t in program_tasks)
