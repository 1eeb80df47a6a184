"""A ramp as its S-curve: what the line makes each week while the changes land, and in total.

From a :class:`~cyclecore.ramp.result.RampResult`'s weekly rows: the expected products/week (the
step-exponential climb; a point per week), the capacity without failures (faint), the simulated
mean with its interval when the ramp was simulated, the P10–P90 band (and P50) when it ran with
uncertainty, the target, and a mark at every week in which changes land. The cumulative products
(with their P10–P90 band) are on the right-hand axis. Every point is a drawn marker whose SVG
position reads back to the row's figure (``data["axes"]``: ``weekly`` and ``cumulative``).
"""

from __future__ import annotations

from cyclecore.arguments import Instance, arguments
from cyclecore.ramp.result import RampResult
from cyclecore.report.chart import COLOURS, FORMAT, Chart, finish, new_figure, style
from cyclecore.report.document import Section, rich_html

_OPTIONAL = ("simulated_products_per_week", "simulated_low_products_per_week", "simulated_high_products_per_week",
             "p10_products_per_week", "p50_products_per_week", "p90_products_per_week",
             "p10_cumulative_products", "p50_cumulative_products", "p90_cumulative_products")


def _row(week) -> dict:
    row = {"week": week.week, "expected_products_per_week": week.expected_products_per_week,
           "capacity_products_per_week": week.capacity_products_per_week,
           "cumulative_products": week.cumulative_products, "landed": list(week.landed),
           "shifts_per_day": week.shifts_per_day}
    row.update({name: getattr(week, name) for name in _OPTIONAL if getattr(week, name) is not None})
    return row


@arguments(ramp=Instance(RampResult), format=FORMAT)
def ramp_s_curve(ramp: RampResult, *, chart_id: str = "ramp", format: str = "svg") -> Chart:
    """The S-curve of a ramp: weekly and cumulative products, target, landed changes, P10–P90."""
    rows = [_row(week) for week in ramp.rows]
    data = {"unit": "products/week", "rows": rows, "weeks": ramp.weeks, "simulated": ramp.simulated,
            "scenarios": ramp.scenarios}
    if ramp.target_products_per_week is not None:
        data["target_products_per_week"] = ramp.target_products_per_week
    if ramp.target_met_week is not None:
        data["target_met_week"] = ramp.target_met_week
    weeks = [r["week"] for r in rows]
    title = f"Ramp of {ramp.subject}: products per week and cumulative over {ramp.weeks} weeks"
    with style():
        figure = new_figure(10.0, 4.4)
        weekly = figure.subplots()
        total = weekly.twinx()
        total.spines["right"].set_visible(True)
        if ramp.scenarios and all("p10_products_per_week" in r for r in rows):
            band = weekly.fill_between(weeks, [r["p10_products_per_week"] for r in rows],
                                       [r["p90_products_per_week"] for r in rows], color=COLOURS["band"],
                                       alpha=0.8, linewidth=0, label="P10–P90", step=None)
            band.set_gid(f"{chart_id}-band")
            p50, = weekly.plot(weeks, [r["p50_products_per_week"] for r in rows], color=COLOURS["mean"],
                               linewidth=0.9, linestyle="--", label="P50")
            p50.set_gid(f"{chart_id}-p50")
            cumulative_band = total.fill_between(weeks, [r["p10_cumulative_products"] for r in rows],
                                                 [r["p90_cumulative_products"] for r in rows],
                                                 color=COLOURS["cumulative"], alpha=0.15, linewidth=0)
            cumulative_band.set_gid(f"{chart_id}-cumulative-band")
        if ramp.simulated and all("simulated_products_per_week" in r for r in rows):
            weekly.errorbar(weeks, [r["simulated_products_per_week"] for r in rows],
                            yerr=[[r["simulated_products_per_week"] - r["simulated_low_products_per_week"] for r in rows],
                                  [r["simulated_high_products_per_week"] - r["simulated_products_per_week"] for r in rows]],
                            fmt="none", ecolor="#777777", elinewidth=0.7, capsize=1.5, label="simulated interval")
        weekly.plot(weeks, [r["capacity_products_per_week"] for r in rows], color=COLOURS["deterministic"],
                    linewidth=0.9, drawstyle="steps-post", label="capacity (no failures)")
        expected, = weekly.plot(weeks, [r["expected_products_per_week"] for r in rows], color=COLOURS["curve"],
                                linewidth=1.6, marker="o", markersize=2.8, label="expected")
        expected.set_gid(f"{chart_id}-weekly")
        cumulative, = total.plot(weeks, [r["cumulative_products"] for r in rows], color=COLOURS["cumulative"],
                                 linewidth=1.3, marker=".", markersize=2.5, label="cumulative (right)")
        cumulative.set_gid(f"{chart_id}-cumulative")
        if "target_products_per_week" in data:
            target = weekly.axhline(data["target_products_per_week"], color=COLOURS["target"], linestyle="--",
                                    linewidth=1.2, label=f"target {data['target_products_per_week']:,.0f}")
            target.set_gid(f"{chart_id}-target")
        for r in rows:
            if r["landed"]:
                mark = weekly.axvline(r["week"], color=COLOURS["landed"], linewidth=0.8, linestyle=":")
                mark.set_gid(f"{chart_id}-landed-{r['week']}")
                weekly.annotate(f"{len(r['landed'])} land", (r["week"], 1.0), xycoords=("data", "axes fraction"),
                                xytext=(2, -2), textcoords="offset points", rotation=90, va="top", fontsize=6.5,
                                color="#555555")
        if "target_met_week" in data:
            met = next(r for r in rows if r["week"] == data["target_met_week"])
            weekly.annotate(f"target met, week {met['week']}", (met["week"], met["expected_products_per_week"]),
                            xytext=(10, -18), textcoords="offset points", fontsize=7.5,
                            arrowprops={"arrowstyle": "-|>", "linewidth": 0.7, "color": "black"})
        from matplotlib.ticker import MaxNLocator

        weekly.xaxis.set_major_locator(MaxNLocator(integer=True))
        weekly.set_xlabel("week")
        weekly.set_ylabel("products/week")
        total.set_ylabel("cumulative products")
        weekly.set_xlim(min(weeks) - 0.5, max(weeks) + 0.5)
        weekly.set_ylim(bottom=0)
        total.set_ylim(bottom=0)
        for axes in (weekly, total):
            axes.yaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
        handles = [h for axes in (weekly, total) for h in axes.get_legend_handles_labels()[0]]
        figure.legend(handles=handles, loc="outside upper center", ncols=min(len(handles), 5))
        return finish(figure, kind="ramp_s_curve", chart_id=chart_id, title=title, data=data, fmt=format,
                      axes_scales={"weekly": weekly, "cumulative": total})


def ramp_section(ramp: RampResult, ids, fmt: str) -> Section:
    """The report's ramp section: the S-curve, then the weekly table and summary the CLI prints."""
    section = Section("ramp", "Ramp")
    section.add(ramp_s_curve(ramp, chart_id=ids("ramp"), format=fmt).figure_html())
    section.add(rich_html(ramp.__rich__()))
    return section
