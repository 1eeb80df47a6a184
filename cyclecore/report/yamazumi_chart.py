"""Yamazumi: a line's work stacked per station (or per robot of one station) against the takt.

A bar per station, stacked from the figures of :func:`cyclecore.analyze` (s):

- **motion**, **process**, **logic** of the robot that sets the station's cycle (its slowest);
- **fixed** work when the station's fixed work (a press, a test bench) is longer than every
  robot, which then sets the cycle (the robots' parts are then not stacked: they run beside it);
- **index**: transfer and clamping, not overlapped with robot work;
- **waiting**: 0 for a station (the analysis has robots start together and never wait for each
  other; the Gantt shows the k-robot timing rule, where they may).

So a station's bar is exactly its ``cycle_s``. A station of ``parallel`` identical copies also
gets a black tick at its effective cycle (cycle ÷ copies), which is what the takt line and the
bottleneck compare. The bottleneck (largest effective cycle) is outlined and labelled.

Per robot (``station=...``): one bar per robot of that station, motion + process + logic, then
**waiting** for the slowest robot (or the fixed work) to finish, then the station's index: every
bar ends at the station's cycle, and the idle share of each robot is the grey part.

``after=`` draws a second analysis (after a change or a plan) beside the first on the same scale.
"""

from __future__ import annotations

from cyclecore.analysis.deterministic import Analysis, StationCycle
from cyclecore.arguments import Instance, Number, arguments
from cyclecore.report.chart import COLOURS, FORMAT, Chart, finish, new_figure, style

STATION_SEGMENTS = ("motion", "process", "logic", "fixed", "index", "waiting")
ROBOT_SEGMENTS = ("motion", "process", "logic", "waiting", "index")
WIDE = 12  # more bars than this: panels one above the other, labels turned


def station_stack(station: StationCycle) -> dict:
    """A station's bar: its segments (s), summing to its ``cycle_s``."""
    robot_sets_cycle = station.slowest_robot is not None
    return {
        "name": station.name,
        "motion": station.motion_s,
        "process": station.process_s,
        "logic": station.logic_s,
        "fixed": 0.0 if robot_sets_cycle else station.fixed_s,
        "index": station.index_s,
        "waiting": 0.0,
        "cycle_s": station.cycle_s,
        "effective_cycle_s": station.effective_cycle_s,
        "parallel": station.parallel,
    }


def robot_stacks(station: StationCycle) -> list[dict]:
    """One bar per robot of a station: its work, waiting for the station's work, the index (s)."""
    work = station.cycle_s - station.index_s
    return [{
        "name": robot.robot,
        "motion": robot.motion_s,
        "process": robot.process_s,
        "logic": robot.logic_s,
        "waiting": max(work - robot.cycle_s, 0.0),
        "index": station.index_s,
        "cycle_s": station.cycle_s,
        "robot_cycle_s": robot.cycle_s,
    } for robot in station.robots]


@arguments(analysis=Instance(Analysis), after=Instance(Analysis, optional=True),
           takt_s=Number(above=0, optional=True, unit="s", what="a takt time > 0 s"), format=FORMAT)
def yamazumi(analysis: Analysis, after: Analysis | None = None, *, station: str | None = None,
             takt_s: float | None = None, labels: tuple[str, str] = ("before", "after"),
             chart_id: str = "yamazumi", format: str = "svg") -> Chart:
    """The yamazumi chart of ``analysis`` (and ``after`` beside it, on the same scale).

    ``station``: draw that station's robots instead of the line's stations (``KeyError`` naming
    the known stations for an unknown one). ``takt_s``: the takt line, s, on every panel (default:
    each analysis' own, from its target). ``labels``: the two panels' titles
    when ``after`` is given. ``format``: ``"svg"`` (inline, checkable) or ``"png"``.
    """
    analyses = [analysis] if after is None else [analysis, after]
    titles = [analysis.line] if after is None else list(labels)
    panels = []
    for name, result in zip(titles, analyses):
        if station is None:
            bars = [station_stack(s) for s in result.stations]
            marked = result.bottleneck
        else:
            chosen = result.station(station)
            bars = robot_stacks(chosen)
            marked = chosen.slowest_robot
        panel = {"name": name, "line": result.line, "bars": bars}
        if marked is not None:
            panel["bottleneck"] = marked
        takt = takt_s if takt_s is not None else result.takt_s
        if takt is not None:
            panel["takt_s"] = float(takt)
        panels.append(panel)
    segments = STATION_SEGMENTS if station is None else ROBOT_SEGMENTS
    data = {"view": "stations" if station is None else "robots", "unit": "s", "segments": list(segments),
            "panels": panels}
    if station is not None:
        data["station"] = station
    takts = sorted({p["takt_s"] for p in panels if "takt_s" in p})
    what = "station" if station is None else f"robot of station {station}"
    title = f"Yamazumi: work per {what} (s)" + (
        f" against takt {' / '.join(f'{t:.2f}' for t in takts)} s" if takts else "")
    return _draw(data, segments, title, chart_id, format)


def _draw(data: dict, segments, title: str, chart_id: str, fmt: str) -> Chart:
    panels = data["panels"]
    n = max(len(p["bars"]) for p in panels)
    wide = n > WIDE
    rows, cols = (len(panels), 1) if wide else (1, len(panels))
    width = min(max(0.32 * n + 1.8, 4.5), 11.0) * (cols if not wide else 1)
    height = (3.6 if wide else 3.2) * rows
    top = max(max(b["cycle_s"] for b in p["bars"]) for p in panels if p["bars"])
    takts = [p["takt_s"] for p in panels if "takt_s" in p]
    top = max([top] + takts) * 1.18
    used = [s for s in segments if any(b[s] > 0 for p in panels for b in p["bars"])]
    with style():
        figure = new_figure(min(width, 11.0), height)
        axes_list = figure.subplots(rows, cols, sharey=True, squeeze=False).ravel()
        scales = {}
        for p, (axes, panel) in enumerate(zip(axes_list, panels)):
            _panel(axes, panel, segments, top, f"{chart_id}-p{p}", wide)
            scales[f"p{p}"] = axes
        axes_list[0].set_ylabel("cycle time (s)")
        handles = [_patch(s) for s in used]
        if takts:
            from matplotlib.lines import Line2D

            values = " / ".join(f"{t:.2f}" for t in dict.fromkeys(takts))
            handles.append(Line2D([], [], color=COLOURS["takt"], linestyle="--", label=f"takt {values} s"))
        columns = len(handles) if width >= 6 else min(len(handles), 4)
        figure.legend(handles=handles, loc="outside upper center", ncols=columns)
        return finish(figure, kind="yamazumi", chart_id=chart_id, title=title, data=data, fmt=fmt,
                      axes_scales=scales)


def _patch(segment: str):
    from matplotlib.patches import Patch

    return Patch(facecolor=COLOURS[segment], edgecolor="#666666" if segment == "waiting" else "none", label=segment)


def _panel(axes, panel: dict, segments, top: float, prefix: str, wide: bool) -> None:
    from matplotlib.patches import Rectangle

    bars = panel["bars"]
    x = list(range(len(bars)))
    bottom = [0.0] * len(bars)
    for segment in segments:
        heights = [b[segment] for b in bars]
        drawn = axes.bar(x, heights, bottom=bottom, width=0.7, color=COLOURS[segment],
                         edgecolor="#666666" if segment == "waiting" else "none", linewidth=0.5)
        for i, rectangle in enumerate(drawn.patches):
            rectangle.set_gid(f"{prefix}-b{i}-{segment}")
        bottom = [b + h for b, h in zip(bottom, heights)]
    for i, bar in enumerate(bars):
        if bar.get("parallel", 1) > 1:
            line, = axes.plot([i - 0.42, i + 0.42], [bar["effective_cycle_s"]] * 2, color="black", linewidth=1.6)
            line.set_gid(f"{prefix}-b{i}-effective")
            axes.annotate(f"÷{bar['parallel']}", (i + 0.42, bar["effective_cycle_s"]), fontsize=7,
                          xytext=(2, 0), textcoords="offset points", va="center")
    names = [b["name"] for b in bars]
    for i, bar in enumerate(bars):
        if names[i] != panel.get("bottleneck") and "effective_cycle_s" in bar:
            axes.annotate(f"{bar['cycle_s']:.1f}", (i, bar["cycle_s"]), xytext=(0, 2), textcoords="offset points",
                          ha="center", va="bottom", fontsize=6.5, rotation=90 if wide else 0)
    if "bottleneck" in panel and panel["bottleneck"] in names:
        i = names.index(panel["bottleneck"])
        outline = Rectangle((i - 0.42, 0), 0.84, bars[i]["cycle_s"], fill=False, edgecolor="black", linewidth=1.8)
        outline.set_gid(f"{prefix}-bottleneck")
        axes.add_patch(outline)
        station_view = "effective_cycle_s" in bars[i]
        value = bars[i]["effective_cycle_s"] if station_view else bars[i]["robot_cycle_s"]
        text = f"bottleneck\n{value:.1f} s" if station_view else f"slowest robot\n{value:.1f} s"
        axes.annotate(text, (i, bars[i]["cycle_s"]), xytext=(0, 14),
                      textcoords="offset points", ha="center", fontsize=7.5, fontweight="bold",
                      arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 0.8})
    if "takt_s" in panel:
        line = axes.axhline(panel["takt_s"], color=COLOURS["takt"], linestyle="--", linewidth=1.3)
        line.set_gid(f"{prefix}-takt")
    axes.set_xticks(x, names, rotation=90 if wide else (30 if len(bars) > 5 else 0),
                    ha="center" if wide or len(bars) <= 5 else "right", fontsize=7.5)
    axes.set_xlim(-0.6, len(bars) - 0.4)
    axes.set_ylim(0, top)
    axes.set_title(panel["name"], loc="left")
