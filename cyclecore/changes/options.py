"""The options a line file declares: process simplifications and part redesigns, at their price.

An option (``options:`` in the line file, :class:`~cyclecore.model.line.DeclaredOption`) names
tasks and what becomes of each: new process or logic time, or removal. It is priced by the user,
not by the cost book: its own capex plus engineering hours at the cost book's rate, lead time,
installation downtime and operators per shift (negative when it frees some).

Once applied, an option is done: it leaves the line's ``options``, and so do the edits other
options make to the tasks it removed (an option left with no edit, or whose removals would now
leave a station no work, leaves too). So price an option on the line it is declared in.
"""

from __future__ import annotations

from dataclasses import dataclass

from cyclecore.changes.base import Change, Price, checked_name
from cyclecore.model.line import DeclaredOption, Line, Station


def declared_option(line: Line, name: str) -> DeclaredOption:
    """The line's option ``name``; ``KeyError`` naming the declared options otherwise."""
    for option in line.options:
        if option.name == name:
            return option
    known = ", ".join(o.name for o in line.options) or "none declared"
    raise KeyError(f"line {line.name!r} has no option {name!r} (options: {known})")


def option_stations(line: Line, option_name: str) -> tuple[str, ...]:
    """Names of the stations whose work the option changes (they hold a task it edits), in flow
    order. Other stations only lose a removed task from their tasks' ``after``, which changes no
    cycle: sequencing ignores predecessors done at other stations."""
    edited = {edit.task for edit in declared_option(line, option_name).tasks}
    return tuple(s.name for s in line.stations if any(t.name in edited for t in s.tasks))


@dataclass(frozen=True)
class ApplyOption(Change):
    """Apply the line's declared option ``option``: new times for its tasks, or remove them (a
    removed task also leaves every other task's ``after``).

    Touches the stations :func:`option_stations` names; :meth:`on_station` gives one of them
    changed, for evaluating a station on its own. Price: the option's own figures."""

    option: str
    kind = "option"

    def __post_init__(self):
        checked_name("option", self.option)

    def on_station(self, line: Line, station: Station) -> Station:
        """``station`` with the option's edits of its tasks (validated as a Station only)."""
        edits = {edit.task: edit for edit in declared_option(line, self.option).tasks}
        removed = {name for name, edit in edits.items() if edit.remove}
        tasks = []
        for task in station.tasks:
            edit = edits.get(task.name)
            if edit is not None and edit.remove:
                continue
            changes = {}
            if edit is not None and edit.process_time_s is not None:
                changes["process_time_s"] = edit.process_time_s
            if edit is not None and edit.logic_time_s is not None:
                changes["logic_time_s"] = edit.logic_time_s
            if removed.intersection(task.after):
                changes["after"] = tuple(a for a in task.after if a not in removed)
            tasks.append(task.evolve(**changes) if changes else task)
        return station.evolve(tasks=tuple(tasks))

    def apply(self, line: Line) -> Line:
        option = declared_option(line, self.option)
        stations = tuple(self.on_station(line, s) for s in line.stations)
        return line.evolve(stations=stations, options=_options_left(line, option, stations))

    def price(self, line: Line) -> Price:
        option = declared_option(line, self.option)
        return Price(capex=option.capex + option.engineering_h * line.costs.engineering_hour,
                     engineering_h=option.engineering_h, operators_per_shift=option.operators_per_shift,
                     lead_time_weeks=option.lead_time_weeks, downtime_h=option.downtime_h)

    def describe(self) -> str:
        return f"option {self.option}"


def _options_left(line: Line, applied: DeclaredOption, stations: tuple[Station, ...]) -> tuple[DeclaredOption, ...]:
    """The options still on offer once ``applied`` is done (see the module docstring)."""
    from cyclecore.model.checks import stations_emptied

    gone = {edit.task for edit in applied.tasks if edit.remove}
    after = line.model_copy(update={"stations": stations})  # only read here; evolve checks it
    left = []
    for option in line.options:
        if option.name == applied.name:
            continue
        edits = tuple(edit for edit in option.tasks if edit.task not in gone)
        if not edits:
            continue
        option = option.evolve(tasks=edits) if len(edits) < len(option.tasks) else option
        if not stations_emptied(after, option):
            left.append(option)
    return tuple(left)
