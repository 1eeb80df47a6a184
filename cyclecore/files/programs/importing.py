"""Robot programs into a line: one robot per program, in a new line or added to an existing one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cyclecore.arguments import PATH, Instance, Number, arguments
from cyclecore.files.programs.mapping import DEFAULT_MODELS, dialect_of, read_program, robot_from_program
from cyclecore.files.programs.program import Construct, ProgramTimes, fail
from cyclecore.model.line import Line, Station
from cyclecore.model.robot_models import bundled_robot_models
from cyclecore.results import Result


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
           output_s=Number(at_least=0, at_most=86_400.0), input_wait_s=Number(at_least=0, at_most=86_400.0),
           process_s=Instance(dict, optional=True))
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
    for item in programs:
        PATH.check(item, "programs[]")
    times = ProgramTimes(process_s=dict(process_s or {}), output_s=output_s, input_wait_s=input_wait_s)
    models = into.models if into is not None else bundled_robot_models()
    existing = {r.name for s in (into.stations if into else ()) for r in s.robots}
    robots, tasks, summaries = [], [], []
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
        kinds = {}
        for t in robot_tasks:
            kinds[t.motion] = kinds.get(t.motion, 0) + 1
        summaries.append(ImportedProgram(str(path), program.dialect, robot_name, name, len(robot_tasks), kinds,
                                         sum(t.process_time_s for t in robot_tasks),
                                         sum(t.logic_time_s for t in robot_tasks),
                                         tuple(program.constructs) + tuple(notes)))
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
    return ImportReport(line, station, tuple(summaries))


def _unique(name: str, taken: set) -> str:
    if name not in taken:
        return name
    k = 2
    while f"{name}-{k}" in taken:
        k += 1
    return f"{name}-{k}"


__all__ = ["import_programs", "ImportReport", "ImportedProgram", "Construct"]
