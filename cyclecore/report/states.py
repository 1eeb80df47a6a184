"""A simulated line as the bottleneck analyser of a plant simulator shows it.

- :func:`station_states`: per station, the shares of running time it spent working, blocked
  (its part done, the next place full), starved (nothing to work on), failed (down, being
  repaired) and bypassed (down, run by hand): a bar of 100 % each, straight from
  :func:`cyclecore.simulate`'s ``stations``. The active-period bottleneck is outlined; its share of
  time as the momentary bottleneck is printed above every bar.
- :func:`buffer_levels`: per buffer, the share of time it was empty (starving the station after
  it), full (blocking the station before it) and in between, with its mean level.
"""

from __future__ import annotations

from cyclecore.analysis.simulation import LineSimulation
from cyclecore.arguments import Instance, arguments
from cyclecore.report.chart import COLOURS, FORMAT, Chart, finish, new_figure, style

STATES = ("working", "blocked", "starved", "failed", "bypassed")
LEVELS = ("empty", "between", "full")


@arguments(simulation=Instance(LineSimulation), format=FORMAT)
def station_states(simulation: LineSimulation, *, chart_id: str = "states", format: str = "svg") -> Chart:
    """Working, blocked, starved, failed and bypassed shares per station (each bar sums to 1)."""
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import PercentFormatter

    stations = [{"name": s.name, **{state: getattr(s, state) for state in STATES},
                 "bottleneck_share": s.bottleneck_share} for s in simulation.stations]
    data = {"unit": "share of running time", "states": list(STATES), "stations": stations,
            "bottleneck": simulation.bottleneck_active_period, "bottleneck_arrow": simulation.bottleneck_arrow,
            "units_per_week": simulation.units_per_week, "weeks": simulation.weeks,
            "replications": simulation.replications, "seed": simulation.seed}
    n = len(stations)
    wide = n > 12
    title = (f"Station states: {simulation.replications} × {simulation.weeks:g} week(s) simulated, "
             f"{simulation.units_per_week:,.0f} units/week")
    with style():
        figure = new_figure(min(max(0.32 * n + 1.8, 6.0), 11.0), 3.6 if wide else 3.2)
        axes = figure.subplots()
        x = list(range(n))
        bottom = [0.0] * n
        for state in STATES:
            heights = [s[state] for s in stations]
            drawn = axes.bar(x, heights, bottom=bottom, width=0.7, color=COLOURS[state], label=state)
            for i, rectangle in enumerate(drawn.patches):
                rectangle.set_gid(f"{chart_id}-b{i}-{state}")
            bottom = [b + h for b, h in zip(bottom, heights)]
        names = [s["name"] for s in stations]
        for i, s in enumerate(stations):
            axes.annotate(f"{s['bottleneck_share']:.0%}", (i, 1.0), xytext=(0, 2), textcoords="offset points",
                          ha="center", va="bottom", fontsize=6.5)
        if data["bottleneck"] in names:
            i = names.index(data["bottleneck"])
            outline = Rectangle((i - 0.42, 0), 0.84, 1.0, fill=False, edgecolor="black", linewidth=1.8)
            outline.set_gid(f"{chart_id}-bottleneck")
            axes.add_patch(outline)
        axes.set_xticks(x, names, rotation=90 if wide else (30 if n > 5 else 0),
                        ha="center" if wide or n <= 5 else "right", fontsize=7.5)
        axes.set_xlim(-0.6, n - 0.4)
        axes.set_ylim(0, 1.12)
        axes.yaxis.set_major_formatter(PercentFormatter(1.0))
        axes.set_ylabel("share of running time")
        axes.set_title("outlined: the bottleneck (active period); % above a bar: time as the bottleneck",
                       loc="left", fontsize=7.5, fontweight="normal")
        figure.legend(loc="outside upper center", ncols=len(STATES))
        return finish(figure, kind="station_states", chart_id=chart_id, title=title, data=data, fmt=format,
                      axes_scales={"p0": axes})


@arguments(simulation=Instance(LineSimulation), format=FORMAT)
def buffer_levels(simulation: LineSimulation, *, chart_id: str = "buffers", format: str = "svg") -> Chart:
    """How full each buffer was: empty, in between and full shares, and its mean level (parts)."""
    buffers = []
    for b in simulation.buffers:
        between = max(1.0 - b.empty_share - b.full_share, 0.0) if b.places else 0.0
        buffers.append({"after": b.after, "places": b.places, "mean_level": b.mean_level,
                        "empty": b.empty_share if b.places else 0.0, "between": between,
                        "full": b.full_share if b.places else 0.0})
    data = {"unit": "share of running time", "levels": list(LEVELS), "buffers": buffers}
    n = len(buffers)
    title = "Buffer levels: share of time each buffer was empty, partly filled or full"
    with style():
        figure = new_figure(7.0, min(0.26 * n + 1.2, 9.0))
        axes = figure.subplots()
        y = list(range(n))
        left = [0.0] * n
        for level in LEVELS:
            widths = [b[level] for b in buffers]
            drawn = axes.barh(y, widths, left=left, height=0.65, color=COLOURS[level],
                              label={"between": "partly filled"}.get(level, level))
            for i, rectangle in enumerate(drawn.patches):
                rectangle.set_gid(f"{chart_id}-b{i}-{level}")
            left = [a + w for a, w in zip(left, widths)]
        for i, b in enumerate(buffers):
            text = f"mean {b['mean_level']:.2f} of {b['places']}" if b["places"] else "no places: parts pass directly"
            axes.annotate(text, (1.0 if b["places"] else 0.0, i), xytext=(4, 0), textcoords="offset points",
                          va="center", fontsize=7)
        axes.set_yticks(y, [f"after {b['after']}" for b in buffers], fontsize=7.5)
        axes.invert_yaxis()
        axes.set_xlim(0, 1.35)
        axes.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
        axes.set_xlabel("share of running time")
        figure.legend(loc="outside upper center", ncols=3)
        return finish(figure, kind="buffer_levels", chart_id=chart_id, title=title, data=data, fmt=format,
                      axes_scales={"p0": axes})
