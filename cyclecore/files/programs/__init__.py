"""Robot programs in and out: KUKA KRL (``.src`` + ``.dat``), ABB RAPID (``.mod``), FANUC TP (``.ls``).

``read_program`` gives a :class:`Program` (motions with file:line, the time between them, what is
kept but not timed); ``import_programs`` makes robots and tasks of a line from programs;
``program_in_new_order`` gives a program back with its motions in a line's new task order.
"""

from cyclecore.files.programs.importing import ImportedProgram, ImportReport, import_programs
from cyclecore.files.programs.mapping import program_in_new_order, read_program, task_names, write_files
from cyclecore.files.programs.program import Construct, Motion, Program, ProgramTimes

__all__ = ["read_program", "import_programs", "program_in_new_order", "task_names", "write_files", "Program",
           "Motion", "Construct", "ProgramTimes", "ImportReport", "ImportedProgram"]
