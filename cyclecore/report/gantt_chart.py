"""Gantt of one station's robots over one cycle, by the k-robot timing rule.

The timing rule is :mod:`cyclecore.sequencing.station_timing` (the one the split searches use):
every robot leaves home at t = 0 and works through its program; a task starts when its robot
has arrived and every predecessor (``after``) on any robot of the station is done, and takes its
process + logic time; the robot then moves on, and home at the end. Move times are the exact
jerk-limited PTP moves between the configurations the robot's program reaches its tasks in
(:func:`cyclecore.robot.cell.robot_program`), at the robot's speed override, as in
:func:`cyclecore.analyze`.

Each robot's row is a sequence of segments: **move**, **wait** (at the task, for a
predecessor on another robot), **process**, **logic**; then **idle** until the station's work is
done (the slowest robot, or the station's fixed work), then the station's **index** time. Without
precedence between robots, nobody waits and the station's cycle equals the analysis'; with it,
the rule's cycle may be longer, and the chart says by how much.
"""

from __future__ import annotations

import numpy as np

from cyclecore.arguments import Instance, arguments
from cyclecore.model.line import Line
from cyclecore.report.chart import COLOURS, FORMAT, Chart, finish, new_figure, style

KINDS = ("move", "wait", "process", "logic", "idle", "index")
_EPS = 1e-9
NUMBERED = 40  # tasks per robot up to which the process bars carry their program position


def station_schedule(line: Line, station: str) -> dict:
    """Every robot's segments over one cycle of ``station`` (s), by the k-robot timing rule.

    Returns ``{"station", "work_s", "cycle_s", "index_s", "fixed_s", "robots": [{"robot", "cycle_s",
    "motion_s", "segments": [{"kind", "task", "order", "start_s", "end_s"}]}]}``; ``task`` and
    ``order`` (1-based program position) are set on move-to-task, wait, process and logic segments.
    ``ValueError`` when the robots would wait for each other in a circle.
    """
    from cyclecore.robot.cell import robot_program
    from cyclecore.robot.motion import move_time_matrix
    from cyclecore.sequencing.station_timing import station_timing

    where = line.station(station)  # KeyError naming the known stations
    tasks = where.tasks
    number = {t.name: k for k, t in enumerate(tasks, start=1)}
    n, k = len(tasks), len(where.robots)
    times = np.zeros((max(k, 1), n + 1, n + 1))
    process = np.zeros(n + 1)
    for t in tasks:
        process[number[t.name]] = t.process_time_s + t.logic_time_s
    routes, programs = [], []
    for r, robot in enumerate(where.robots):
        program = robot_program(line, where, robot)
        model = line.robot_model(robot.model)
        moves = move_time_matrix(program.configs, model.vmax, model.amax, model.jmax, robot.speed_override)
        nodes = np.array([0] + [number[t.name] for t in program.tasks], dtype=np.int64)
        times[r][np.ix_(nodes, nodes)] = moves
        routes.append(nodes[1:])
        programs.append(program)
    pairs = np.array([(number[a], number[t.name]) for t in tasks for a in t.after if a in number],
                     dtype=np.int64).reshape(-1, 2)
    if k:
        finish, cycles = station_timing(times, process, routes, pairs)
    else:
        finish, cycles = np.zeros(n + 1), np.zeros(0)
    if not np.all(np.isfinite(cycles)):
        raise ValueError(f"station {where.name!r}: its robots wait for each other's tasks in a circle "
                         "(precedence across robots against their program order)")
    work = max([float(c) for c in cycles] + [where.fixed_time_s])
    rows = []
    for r, (robot, program) in enumerate(zip(where.robots, programs)):
        segments, ready, here, motion = [], 0.0, 0, 0.0
        for order, (task, j) in enumerate(zip(program.tasks, routes[r]), start=1):
            move = float(times[r, here, j])
            arrival = ready + move
            start = float(finish[j]) - float(process[j])
            about = {"task": task.name, "order": order}
            segments.append({"kind": "move", **about, "start_s": ready, "end_s": arrival})
            if start > arrival + _EPS:
                segments.append({"kind": "wait", **about, "start_s": arrival, "end_s": start})
            segments.append({"kind": "process", **about, "start_s": start, "end_s": start + task.process_time_s})
            segments.append({"kind": "logic", **about, "start_s": start + task.process_time_s,
                             "end_s": float(finish[j])})
            motion += move
            ready, here = float(finish[j]), int(j)
        if here:
            home = float(times[r, here, 0])
            segments.append({"kind": "move", "start_s": ready, "end_s": ready + home})
            motion += home
            ready += home
        if work > ready + _EPS:
            segments.append({"kind": "idle", "start_s": ready, "end_s": work})
        segments.append({"kind": "index", "start_s": work, "end_s": work + where.index_time_s})
        rows.append({"robot": robot.name, "cycle_s": float(cycles[r]), "motion_s": motion, "segments": segments})
    return {"station": where.name, "work_s": work, "cycle_s": work + where.index_time_s,
            "index_s": where.index_time_s, "fixed_s": where.fixed_time_s, "robots": rows}


@arguments(line=Instance(Line), format=FORMAT)
def gantt(line: Line, station: str, *, chart_id: str = "gantt", format: str = "svg") -> Chart:
    """Gantt chart of ``station``'s robots over one cycle (moves, waiting, process, logic, idle,
    index), by the k-robot timing rule; ``KeyError`` naming the known stations for an unknown one."""
    from cyclecore.analysis.deterministic import station_cycle

    data = station_schedule(line, station)
    data["analysis_cycle_s"] = station_cycle(line, line.station(station)).cycle_s
    data["kinds"] = list(KINDS)
    rows = data["robots"]
    longer = data["cycle_s"] - data["analysis_cycle_s"]
    title = f"Gantt of station {data['station']}: one cycle of {data['cycle_s']:.2f} s, by the k-robot timing rule"
    if longer > 1e-6:
        title += f" ({longer:.2f} s longer than the analysis: robots wait for each other's tasks)"
    with style():
        figure = new_figure(10.0, max(1.2 + 0.55 * (len(rows) + (data["fixed_s"] > 0)), 2.4))
        axes = figure.subplots()
        for r, row in enumerate(rows):
            for s, segment in enumerate(row["segments"]):
                drawn = axes.barh(r, segment["end_s"] - segment["start_s"], left=segment["start_s"], height=0.6,
                                  color=COLOURS[segment["kind"]], linewidth=0)
                drawn.patches[0].set_gid(f"{chart_id}-r{r}-s{s}")
            if sum(1 for s in row["segments"] if s["kind"] == "process") <= NUMBERED:
                for segment in row["segments"]:
                    if segment["kind"] == "process":
                        axes.annotate(str(segment["order"]), (segment["start_s"], r - 0.3), xytext=(0, 1),
                                      textcoords="offset points", fontsize=5.5, va="bottom", ha="left")
        labels = [row["robot"] for row in rows]
        if data["fixed_s"] > 0:
            fixed = axes.barh(len(rows), data["fixed_s"], height=0.6, color=COLOURS["fixed"])
            fixed.patches[0].set_gid(f"{chart_id}-fixed")
            axes.barh(len(rows), data["index_s"], left=data["work_s"], height=0.6, color=COLOURS["index"])
            labels.append("fixed work")
        cycle = axes.axvline(data["cycle_s"], color="black", linewidth=1.0, linestyle=":")
        cycle.set_gid(f"{chart_id}-cycle")
        axes.set_yticks(range(len(labels)), labels, fontsize=8)
        axes.invert_yaxis()
        axes.set_xlim(0, data["cycle_s"] * 1.02)
        axes.set_xlabel("time in the cycle (s)")
        from matplotlib.patches import Patch

        used = [kind for kind in KINDS if any(s["kind"] == kind for row in rows for s in row["segments"])]
        axes.legend(handles=[Patch(color=COLOURS[kind], label=kind) for kind in used],
                    loc="lower center", bbox_to_anchor=(0.5, 1.0),
                    ncols=len(used), fontsize=7)
        return finish(figure, kind="gantt", chart_id=chart_id, title=title, data=data, fmt=format,
                      axes_scales={"p0": axes})
