"""Robot paths: where each robot's tool centre point goes in one cycle, seen from above and the side.

Per robot of a station: home, then its tasks in program order, then home, as straight segments
between the TCP targets (the chords :func:`cyclecore.analyze` sums as ``tcp_path_m``; the arm's
real joint-interpolated path between them is not a straight line), each task numbered by its
position in the program. Positions are in the cell frame, m
(:func:`cyclecore.robot.cell.robot_program`). With ``after=`` (the line after re-sequencing, a
split or a plan) the same station is drawn again below on the same scale, so a shorter, untangled
path is seen at a glance.
"""

from __future__ import annotations

import numpy as np

from cyclecore.arguments import Instance, arguments
from cyclecore.model.line import Line
from cyclecore.report.chart import FORMAT, ROBOT_COLOURS, Chart, finish, new_figure, style

VIEWS = (("top", "from above", (0, 1), ("x (m)", "y (m)")), ("side", "from the side", (0, 2), ("x (m)", "z (m)")))
NUMBERED = 60  # tasks per robot up to which each point carries its program position


def station_paths(line: Line, station: str) -> dict:
    """TCP positions of every robot of ``station`` in program order: ``{"station", "robots": [{"robot",
    "base", "home", "tasks": [{"order", "task", "x", "y", "z"}], "tcp_path_m"}]}`` (m)."""
    from cyclecore.robot.cell import robot_program

    where = line.station(station)  # KeyError naming the known stations
    robots = []
    for robot in where.robots:
        program = robot_program(line, where, robot)
        positions = np.asarray(program.tcp_positions, dtype=float)
        loop = np.vstack([positions, positions[:1]])
        robots.append({
            "robot": robot.name,
            "base": [float(v) for v in robot.base.xyz_m],
            "home": [float(v) for v in positions[0]],
            "tasks": [{"order": k, "task": task.name, "x": float(p[0]), "y": float(p[1]), "z": float(p[2])}
                      for k, (task, p) in enumerate(zip(program.tasks, positions[1:]), start=1)],
            "tcp_path_m": float(np.linalg.norm(np.diff(loop, axis=0), axis=1).sum()) if len(positions) > 1 else 0.0,
        })
    return {"station": where.name, "robots": robots}


@arguments(line=Instance(Line), after=Instance(Line, optional=True), format=FORMAT)
def robot_paths(line: Line, station: str, after: Line | None = None, *, labels: tuple[str, str] = ("before", "after"),
                chart_id: str = "paths", format: str = "svg") -> Chart:
    """TCP paths of ``station``'s robots from above and from the side, tasks numbered in program
    order; ``after``: the same station on another line (after a change) drawn below on the same
    scale. ``KeyError`` naming the known stations for an unknown one."""
    lines = [line] if after is None else [line, after]
    names = [line.name] if after is None else list(labels)
    panels = [{"name": name, "line": each.name, **station_paths(each, station)} for name, each in zip(names, lines)]
    data = {"unit": "m", "panels": panels}
    title = f"Robot paths of station {panels[0]['station']}: TCP from above and from the side, tasks in program order"
    everything = np.array([point for p in panels for r in p["robots"]
                           for point in [r["home"], r["base"]] + [[t["x"], t["y"], t["z"]] for t in r["tasks"]]])
    low, high = everything.min(axis=0), everything.max(axis=0)
    margin = 0.08 * max(float((high - low).max()), 0.5)
    low, high = low - margin, high + margin
    with style():
        figure = new_figure(10.0, 4.3 * len(panels))
        grid = figure.subplots(len(panels), 2, squeeze=False)
        for p, panel in enumerate(panels):
            for v, (view, words, (a, b), axis_labels) in enumerate(VIEWS):
                axes = grid[p][v]
                _view(axes, panel, a, b, view, f"{chart_id}-p{p}")
                axes.set_xlim(low[a], high[a])
                axes.set_ylim(low[b], high[b])
                axes.set_aspect("equal", adjustable="box")
                axes.set_xlabel(axis_labels[0])
                axes.set_ylabel(axis_labels[1])
                total = sum(r["tcp_path_m"] for r in panel["robots"])
                axes.set_title(f"{panel['name']}: {words} (TCP path {total:.2f} m)", loc="left", fontsize=9)
        return finish(figure, kind="robot_paths", chart_id=chart_id, title=title, data=data, fmt=format)


def _view(axes, panel: dict, a: int, b: int, view: str, prefix: str) -> None:
    for r, robot in enumerate(panel["robots"]):
        colour = ROBOT_COLOURS[r % len(ROBOT_COLOURS)]
        points = [robot["home"]] + [[t["x"], t["y"], t["z"]] for t in robot["tasks"]] + [robot["home"]]
        xs, ys = [q[a] for q in points], [q[b] for q in points]
        path, = axes.plot(xs, ys, "-", color=colour, linewidth=1.0, marker="o", markersize=2.5)
        path.set_gid(f"{prefix}-r{r}-{view}")
        home, = axes.plot([robot["home"][a]], [robot["home"][b]], "s", color=colour, markersize=6,
                          markeredgecolor="black", markeredgewidth=0.5)
        home.set_gid(f"{prefix}-r{r}-{view}-home")
        if view == "top":
            axes.plot([robot["base"][a]], [robot["base"][b]], "^", color=colour, markersize=8,
                      markeredgecolor="black", markeredgewidth=0.5)
        axes.annotate(f"{robot['robot']} (home)", (robot["home"][a], robot["home"][b]), xytext=(4, 4),
                      textcoords="offset points", fontsize=7.5, color=colour, fontweight="bold")
        if len(robot["tasks"]) <= NUMBERED:
            for task in robot["tasks"]:
                point = (task["x"], task["y"], task["z"])
                axes.annotate(str(task["order"]), (point[a], point[b]), xytext=(2, 2), textcoords="offset points",
                              fontsize=5.5, color="#222222")
    axes.grid(True, color="#eeeeee", linewidth=0.6)
