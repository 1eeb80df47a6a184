"""What goes into a report, and the one call that makes it: :func:`report_html`.

A report is about a *subject*, a line or a plant, and holds whatever results it is given:

1. **Cycle times** (always; the deterministic analysis is made when not given): the yamazumi of
   every line design against its takt, the station table, and for the slowest station that has
   robots (the bottleneck, unless it has none) the per-robot yamazumi, the Gantt of its robots
   over one cycle and their TCP paths.
2. **Simulation** (when a simulation is given, or asked for with ``simulate=``): station state
   shares and buffer levels with the simulation's tables. For a plant, the plant's figures and,
   per design, one copy simulated for its station states.
3. **Plan** (``plan=``): its table and lines as ``cyclecore optimize`` prints them, the capex
   curve with the accelerate-versus-duplicate options, the yamazumi before and after per design,
   and the TCP paths before and after (with the Gantt after) of the station whose program changed
   most.
4. **Ramp** (``ramp=``): the S-curve of weekly and cumulative output.

Every chart gets a page-unique id; every name is escaped (:mod:`.document`).
"""

from __future__ import annotations

from dataclasses import dataclass

from cyclecore.analysis.deterministic import Analysis, analyze
from cyclecore.analysis.plant import PlantAnalysis, analyze_plant
from cyclecore.analysis.simulation import LineSimulation, PlantSimulation, simulate
from cyclecore.arguments import REPLICATIONS, SEED, TARGET, WEEKS, Instance, arguments
from cyclecore.model.line import Line
from cyclecore.model.plant import Plant
from cyclecore.plan.result import Plan
from cyclecore.ramp.result import RampResult
from cyclecore.report.chart import FORMAT
from cyclecore.report.document import Section, heading, note, page, rich_html, rows_table


@dataclass(frozen=True)
class Simulate:
    """Simulation settings for a report that runs its own simulation (as ``cyclecore simulate``)."""

    weeks: float = 1.0
    replications: int = 10
    seed: int = 0

    def __post_init__(self):
        object.__setattr__(self, "weeks", WEEKS.check(self.weeks, "weeks"))
        object.__setattr__(self, "replications", REPLICATIONS.check(self.replications, "replications"))
        object.__setattr__(self, "seed", SEED.check(self.seed, "seed"))


class _Ids:
    """Page-unique chart ids: the chart kind and a counter (never a user-supplied name)."""

    def __init__(self):
        self.count = 0

    def __call__(self, kind: str) -> str:
        self.count += 1
        return f"c{self.count}-{kind}"


@arguments(subject=Instance((Line, Plant)), target=TARGET,
           analysis=Instance((Analysis, PlantAnalysis), optional=True),
           simulation=Instance((LineSimulation, PlantSimulation), optional=True),
           simulate=Instance(Simulate, optional=True), plan=Instance(Plan, optional=True),
           ramp=Instance(RampResult, optional=True), format=FORMAT)
def report_html(subject: Line | Plant, *, target: float | None = None, analysis=None, simulation=None,
                simulate: Simulate | None = None, plan: Plan | None = None, ramp=None, format: str = "svg") -> str:
    """The report on a line or plant as one self-contained HTML page (a string).

    ``target``: products/week (default: the plan's, when a plan is given). ``analysis``: the
    subject's deterministic analysis when the caller has it. ``simulation``: a simulation result
    of the subject; or ``simulate=Simulate(weeks, replications, seed)`` to run one. ``plan``: a
    plan made for this subject (``ValueError`` when it was made for another line). ``ramp``: a
    ramp result of the subject. ``format``: charts as ``"svg"`` (default, checkable) or ``"png"``.
    """
    if target is None and plan is not None:
        target = plan.target_products_per_week
    ids = _Ids()
    is_plant = isinstance(subject, Plant)
    designs = _designs(subject, target, analysis)
    sections: list[Section] = []
    if is_plant:
        plant_analysis = analysis if isinstance(analysis, PlantAnalysis) else analyze_plant(subject, target=target)
        sections.append(Section("plant", f"Plant {subject.name}").add(rich_html(plant_analysis.__rich__())))
    for d, (name, line, line_analysis) in enumerate(designs):
        title = f"Cycle times: {name}" if is_plant else "Cycle times"
        sections.append(_cycle_section(f"cycle-{d}", title, line, line_analysis, ids, format))
    simulated = _simulation_section(subject, designs, simulation, simulate, ids, format)
    if simulated is not None:
        sections.append(simulated)
    if plan is not None:
        sections.append(_plan_section(subject, designs, plan, target, ids, format))
    if ramp is not None:
        from cyclecore.report.ramp_curve import ramp_section

        sections.append(ramp_section(ramp, ids, format))
    return page(f"cyclecore report: {subject.name}", _intro(subject, designs, target, plan), sections)


def _designs(subject, target, analysis) -> list[tuple[str, Line, Analysis]]:
    """(name, line, analysis with the design's own takt) per line design of the subject.

    A plant's target is split over its designs in proportion to their capacity
    (:mod:`cyclecore.analysis.plant`); ``analyze(line, target=T × share)`` gives a design
    exactly that share's takt."""
    if isinstance(subject, Line):
        given = analysis if isinstance(analysis, Analysis) and analysis.target_products_per_week == target else None
        return [(subject.name, subject, given or analyze(subject, target=target))]
    plant = analyze_plant(subject)
    out = []
    for entry, figures in zip(subject.lines, plant.lines):
        out.append((entry.name, entry.line, analyze(entry.line, target=None if target is None else target * figures.share)))
    return out


def _intro(subject, designs, target, plan) -> list[str]:
    stations = sum(len(line.stations) for _, line, _ in designs)
    robots = sum(len(s.robots) for _, line, _ in designs for s in line.stations)
    tasks = sum(len(s.tasks) for _, line, _ in designs for s in line.stations)
    kind = f"plant of {len(designs)} line design(s)" if isinstance(subject, Plant) else "line"
    out = [f"{kind} {subject.name}: {stations} stations, {robots} robots, {tasks:,} tasks"
           + (" (per design, copies not counted)" if isinstance(subject, Plant) else "")]
    if target is not None:
        out.append(f"target: {target:,.0f} products/week")
    for name, _, a in designs:
        out.append(f"{name}: bottleneck {a.bottleneck}, line cycle {a.line_cycle_s:.2f} s, "
                   f"{a.units_per_week:,.0f} units/week per line at 100% availability"
                   + (f", takt {a.takt_s:.2f} s" if a.takt_s is not None else ""))
    if plan is not None:
        out.append(f"plan: capex {plan.capex:,.0f} {plan.currency} → {plan.products_per_week:,.0f} products/week "
                   f"({plan.confidence:.0%} lower bound); {plan.verdict.choice}")
    return out


def robot_station(analysis: Analysis) -> str | None:
    """The station whose robots are worth drawing: the bottleneck, or the slowest with robots."""
    with_robots = [s for s in analysis.stations if s.robots and any(r.tasks for r in s.robots)]
    if not with_robots:
        return None
    bottleneck = analysis.station(analysis.bottleneck)
    if bottleneck in with_robots:
        return bottleneck.name
    return max(with_robots, key=lambda s: s.effective_cycle_s).name


def _cycle_section(section_id: str, title: str, line: Line, analysis: Analysis, ids, fmt: str) -> Section:
    from cyclecore.report.gantt_chart import gantt
    from cyclecore.report.paths import robot_paths
    from cyclecore.report.yamazumi_chart import yamazumi

    section = Section(section_id, title)
    section.add(yamazumi(analysis, chart_id=ids("yamazumi"), format=fmt).figure_html())
    section.add(rich_html(analysis.__rich__()))
    station = robot_station(analysis)
    if station is None:
        return section.add(note("No station has robots with tasks: no robot charts."))
    why = "the bottleneck" if station == analysis.bottleneck else "the slowest station with robots"
    section.add(heading(f"Station {station} ({why})"))
    section.add(yamazumi(analysis, station=station, chart_id=ids("yamazumi-robots"), format=fmt).figure_html())
    timeline = gantt(line, station, chart_id=ids("gantt"), format=fmt)
    section.add(timeline.figure_html())
    section.add(robot_paths(line, station, chart_id=ids("paths"), format=fmt).figure_html())
    section.add(program_table(timeline.data))
    return section


def program_table(schedule: dict) -> str:
    """The robots' programs in the Gantt's timing: the numbers on the charts, with task names."""
    rows = []
    for robot in schedule["robots"]:
        by_order: dict[int, dict] = {}
        for segment in robot["segments"]:
            if "order" in segment:
                by_order.setdefault(segment["order"], {"task": segment["task"]})[segment["kind"]] = segment
        for order, parts in sorted(by_order.items()):
            waited = parts["wait"]["end_s"] - parts["wait"]["start_s"] if "wait" in parts else 0.0
            rows.append((robot["robot"], order, parts["task"], f"{parts['move']['end_s']:.2f}", f"{waited:.2f}",
                         f"{parts['process']['start_s']:.2f}",
                         f"{parts['process']['end_s'] - parts['process']['start_s']:.2f}",
                         f"{parts['logic']['end_s'] - parts['logic']['start_s']:.2f}", f"{parts['logic']['end_s']:.2f}"))
    table = rows_table(f"station {schedule['station']}: robot programs in order (s from the start of the cycle)",
                       ("robot", "#", "task", "arrives", "waits", "starts", "process", "logic", "done"), rows,
                       numeric=("#", "arrives", "waits", "starts", "process", "logic", "done"))
    return f"<details><summary>the robots' programs: task numbers and names</summary>{table}</details>"


def _simulation_section(subject, designs, simulation, settings: Simulate | None, ids, fmt: str) -> Section | None:
    from cyclecore.analysis.simulation import simulate_plant

    if simulation is None and settings is None:
        return None
    section = Section("simulation", "Simulation")
    if isinstance(subject, Line):
        if simulation is None:
            simulation = simulate(subject, weeks=settings.weeks, replications=settings.replications,
                                  seed=settings.seed)
        return _line_simulation(section, simulation, ids, fmt)
    if simulation is None:
        simulation = simulate_plant(subject, weeks=settings.weeks, replications=settings.replications,
                                    seed=settings.seed)
    section.add(rich_html(simulation.__rich__()))
    weeks, replications, seed = simulation.weeks, simulation.replications, simulation.seed
    for name, line, _ in designs:
        section.add(heading(f"Line design {name}: one copy"))
        section.add(note(f"One copy of {name} simulated on its own ({replications} × {weeks:g} week(s), seed {seed}) "
                         "for its station states; the plant figures above simulate every copy with its own seed."))
        _line_simulation(section, simulate(line, weeks=weeks, replications=replications, seed=seed), ids, fmt)
    return section


def _line_simulation(section: Section, simulation: LineSimulation, ids, fmt: str) -> Section:
    from cyclecore.report.states import buffer_levels, station_states

    section.add(station_states(simulation, chart_id=ids("states"), format=fmt).figure_html())
    section.add(rich_html(simulation.__rich__()))
    if any(b.places for b in simulation.buffers):
        section.add(buffer_levels(simulation, chart_id=ids("buffers"), format=fmt).figure_html())
    else:
        section.add(note("No buffer places between the stations: no buffer chart."))
    return section


def _plan_section(subject, designs, plan: Plan, target, ids, fmt: str) -> Section:
    from cyclecore.report.capex import capex_curve
    from cyclecore.report.gantt_chart import gantt
    from cyclecore.report.paths import robot_paths
    from cyclecore.report.yamazumi_chart import yamazumi

    changed = plan.apply(subject)  # ValueError when the plan was made for another line
    section = Section("plan", "Plan")
    section.add(capex_curve(plan, chart_id=ids("capex"), format=fmt).figure_html())
    section.add(rich_html(plan.__rich__()))
    after = _designs(changed, target, None)
    for (name, line, before_analysis), (_, new_line, after_analysis) in zip(designs, after):
        section.add(heading(f"{name}: before and after the plan"))
        section.add(yamazumi(before_analysis, after_analysis, labels=("today", "with the plan"),
                             chart_id=ids("yamazumi-plan"), format=fmt).figure_html())
        station = _reprogrammed_station(plan, name, before_analysis, after_analysis)
        if station is None:
            section.add(note(f"The plan re-teaches no robot program on {name}: no path chart."))
            continue
        section.add(heading(f"Station {station}: robot programs before and after"))
        section.add(robot_paths(line, station, after=new_line, labels=("today", "with the plan"),
                                chart_id=ids("paths-plan"), format=fmt).figure_html())
        section.add(gantt(new_line, station, chart_id=ids("gantt-plan"), format=fmt).figure_html())
    return section


def _reprogrammed_station(plan: Plan, design: str, before: Analysis, after: Analysis) -> str | None:
    """The station of ``design`` whose robot programs the plan changes (re-sequenced or split
    over added robots) with the largest cycle saved, or None."""
    from cyclecore.changes.programs import AddRobots, Resequence

    entry = plan.design(design)
    stations = {c.station for c in entry.changes if isinstance(c, (Resequence, AddRobots))}
    stations &= {s.name for s in after.stations}
    if not stations:
        return None
    return max(sorted(stations), key=lambda s: before.station(s).cycle_s - after.station(s).cycle_s)


def write_report(path, text: str) -> None:
    """Write a report whole or not at all (a temporary file beside it, then a rename)."""
    from pathlib import Path

    from cyclecore.files.line_file import write_all_or_nothing

    write_all_or_nothing({Path(path): text})

