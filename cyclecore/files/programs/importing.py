"""Robot programs into a line: one robot per program, in a new line or added to an existing one."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from cyclecore.arguments import PATH, Instance, Number, arguments
from cyclecore.files.programs.mapping import DEFAULT_MODELS, dialect_of, read_program, robot_from_program
from cyclecore.files.programs.program import Construct, ProgramTimes, fail
from cyclecore.limits import DURATION_S
from cyclecore.model.errors import LineFileError, problems_from_validation
from cyclecore.model.line import Line, Station
from cyclecore.model.robot_models import bundled_robot_models
from cyclecore.results import Result

SECONDS = Number(at_least=DURATION_S.low, at_most=DURATION_S.high, unit="s")


@dataclass(frozen=True)
class ImportedProgram(Result):
    """One program as imported: its robot, how many tasks, and what was kept but not timed."""

    file: str
    dialect: str
    robot: str
    model: str
    tasks: int
    motion_kinds: dict
    process_s: float
    logic_s: float
    constructs: tuple  # Construct values: line, statement, why


@dataclass(frozen=True)
class ImportReport(Result):
    """The line the programs went into, and a summary per program."""

    line: Line
    station: str
    programs: tuple

    dict_omit = ("line",)

    def __rich__(self):
        from rich.console import Group
        from rich.table import Table

        table = Table(title=f"imported into {self.line.name}, station {self.station}")
        for column in ("program", "robot", "model", "tasks", "PTP/linear", "process s", "logic s", "kept, not timed"):
            table.add_column(column)
        notes = Table(title="kept, not timed (file:line)")
        for column in ("where", "statement", "why"):
            notes.add_column(column)
        for p in self.programs:
            kinds = f"{p.motion_kinds.get('ptp', 0)}/{p.motion_kinds.get('linear', 0)}"
            table.add_row(Path(p.file).name, p.robot, p.model, str(p.tasks), kinds, f"{p.process_s:g}",
                          f"{p.logic_s:g}", str(len(p.constructs)))
            for c in p.constructs:
                notes.add_row(f"{Path(p.file).name}:{c.line}", c.text, c.why)
        return Group(table, notes) if any(p.constructs for p in self.programs) else table


@arguments(programs=Instance((list, tuple), what="a list of program paths"), line_name=Instance(str),
           station=Instance(str), into=Instance(Line, optional=True), model=Instance(str, optional=True),
           output_s=SECONDS, input_wait_s=SECONDS, process_s=Instance(dict, optional=True),
           program_files=Instance((list, tuple), optional=True))
def import_programs(programs, *, line_name: str = "imported", station: str = "ST10", into: Line | None = None,
                    model: str | None = None, process_s: dict | None = None, output_s: float = 0.0,
                    input_wait_s: float = 0.0, program_files: list[str] | None = None) -> ImportReport:
    """One robot per program (KRL ``.src``, RAPID ``.mod``, TP ``.ls``) in station ``station`` of a
    new line named ``line_name``, or of ``into`` (the station is added when the line has none of
    that name). ``model``: the robot model (default by vendor: KR210-R3100-2, IRB2400-10,
    R-2000iC-165F). ``process_s``: seconds per call of a process routine by name; ``output_s``: per
    output set; ``input_wait_s``: per wait for an input. ``program_files``: how each robot's
    ``program: {file: …}`` names its program (relative to the line file), default none.

    Raises :class:`~cyclecore.model.errors.LineFileError` naming file and line for a program that
    cannot be read, or the line's problems (a target out of the model's reach)."""
    for k, item in enumerate(programs):
        PATH.check(item, f"programs[{k}]")
    for name, seconds in (process_s or {}).items():
        Instance(str, what="a routine name").check(name, "process_s (a key)")
        SECONDS.check(seconds, f"process_s[{name!r}]")
    if program_files is not None and len(program_files) != len(programs):
        raise ValueError(f"program_files: got {len(program_files)} names, expected one per program ({len(programs)})")
    times = ProgramTimes(process_s=dict(process_s or {}), output_s=output_s, input_wait_s=input_wait_s)
    models = into.models if into is not None else bundled_robot_models()
    existing = {r.name for s in (into.stations if into else ()) for r in s.robots}
    robots, tasks, summaries, sources = [], [], [], {}
    for k, path in enumerate(programs):
        path = Path(path)
        program = read_program(path, times)
        name = model or DEFAULT_MODELS[dialect_of(path)]
        if name not in models:
            fail(path, None, f"a robot model the line knows ({', '.join(sorted(models))}); got {name!r}")
        robot_name = _unique(program.name, existing)
        existing.add(robot_name)
        robot, robot_tasks, notes = robot_from_program(
            program, robot_name, name, models[name], program_files[k] if program_files else None)
        robots.append(robot)
        tasks.extend(t.evolve(robot=robot_name) for t in robot_tasks)
        sources.update({t.name: f"{path.name}:{m.line}" for t, m in zip(robot_tasks, program.motions)})
        kinds = {}
        for t in robot_tasks:
            kinds[t.motion] = kinds.get(t.motion, 0) + 1
        summaries.append(ImportedProgram(str(path), program.dialect, robot_name, name, len(robot_tasks), kinds,
                                         sum(t.process_time_s for t in robot_tasks),
                                         sum(t.logic_time_s for t in robot_tasks),
                                         tuple(program.constructs) + tuple(notes)))
    where = {}  # task or robot name -> "file:line" of the motion (or program) it came from
    for path, robot, summary in zip(programs, robots, summaries):
        where[robot.name] = Path(path).name
    for task in tasks:
        where[task.name] = sources[task.name]
    try:
        if into is None:
            line = Line.validated({"name": line_name, "stations": [Station(name=station, robots=tuple(robots),
                                                                                   tasks=tuple(tasks))]},
                                  source=f"line {line_name!r} from {len(programs)} program(s)")
        else:
            names = [s.name for s in into.stations]
            if station in names:
                old = into.station(station)
                if len(old.robots) == 1 and any(t.robot is None for t in old.tasks):
                    old = old.evolve(tasks=tuple(t.evolve(robot=old.robots[0].name) if t.robot is None else t
                                                 for t in old.tasks))
                changed = old.evolve(robots=old.robots + tuple(robots), tasks=old.tasks + tuple(tasks))
                line = into.with_station(changed)
            else:
                line = into.evolve(stations=into.stations + (Station(name=station, robots=tuple(robots),
                                                                     tasks=tuple(tasks)),))
    except LineFileError as error:
        raise _located(error, into, station, robots, tasks, where) from None
    except ValidationError as error:  # a station made here (its name is the caller's)
        raise LineFileError(f"station {station!r}", problems_from_validation(error)) from None
    return ImportReport(line, station, tuple(summaries))


def _located(error: LineFileError, into, station: str, robots, tasks, where) -> LineFileError:
    """The line's problems about imported robots and tasks, named by program file and line."""
    index = [s.name for s in into.stations].index(station) if into is not None and station in [
        s.name for s in into.stations] else (len(into.stations) if into is not None else 0)
    old = into.station(station) if into is not None and station in [s.name for s in into.stations] else None
    all_robots = (old.robots if old else ()) + tuple(robots)
    all_tasks = (old.tasks if old else ()) + tuple(tasks)
    problems = []
    for problem in error.problems:
        m = re.match(rf"^stations\[{index}\]\.(tasks|robots)\[(\d+)\](.*)$", problem.path)
        items = all_tasks if m and m.group(1) == "tasks" else all_robots
        if m and int(m.group(2)) < len(items) and items[int(m.group(2))].name in where:
            name = items[int(m.group(2))].name
            problem = dataclasses.replace(problem, path=f"{where[name]} ({name}){m.group(3)}")
        problems.append(problem)
    return LineFileError(error.file, problems)


def _unique(name: str, taken: set) -> str:
    if name not in taken:
        return name
    k = 2
    while f"{name}-{k}" in taken:
        k += 1
    return f"{name}-{k}"


__all__ = ["import_programs", "ImportReport", "ImportedProgram", "Construct"]
