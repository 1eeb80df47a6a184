"""A plan judged on its curve: capex against the products/week it buys.

Every point of :attr:`cyclecore.plan.result.Plan.curve` (the cheapest known way to each output:
the lower end of the simulated confidence interval, solid; its mean and the figure without
failures, faint), today's output at zero capex, the target, the chosen plan, and the best plan
that only accelerates the existing lines beside the best one that adds a line. Points that add a
line are drawn hollow. Capex spans orders of magnitude (a re-taught program against a new
line), so the capex axis is logarithmic above the cheapest change and linear below it, which
keeps today's zero on the chart.
"""

from __future__ import annotations

from cyclecore.arguments import Instance, arguments
from cyclecore.plan.result import Plan
from cyclecore.report.chart import COLOURS, FORMAT, Chart, finish, new_figure, style


@arguments(plan=Instance(Plan), format=FORMAT)
def capex_curve(plan: Plan, *, chart_id: str = "capex", format: str = "svg") -> Chart:
    """Capex versus products/week: the plan's Pareto curve, today, the target, the chosen plan
    and the accelerate-versus-duplicate options."""
    points = [{"capex": p.capex, "products_per_week": p.products_per_week,
               "mean_products_per_week": p.mean_products_per_week,
               "deterministic_products_per_week": p.deterministic_products_per_week,
               "added_lines": p.added_lines, "changes": p.changes} for p in plan.curve]
    options = {}
    for name in ("accelerate", "duplicate"):
        option = getattr(plan.verdict, name)
        if option is not None:
            options[name] = {"capex": option.capex, "products_per_week": option.products_per_week,
                             "lead_time_weeks": option.lead_time_weeks, "added_lines": option.added_lines}
    data = {"currency": plan.currency, "unit": "products/week", "points": points,
            "today": {"capex": 0.0, "products_per_week": plan.today_products_per_week},
            "target_products_per_week": plan.target_products_per_week,
            "chosen": {"capex": plan.capex, "products_per_week": plan.products_per_week, "reached": plan.reached},
            "options": options, "choice": plan.verdict.choice, "confidence": plan.confidence}
    money = plan.currency
    title = (f"Capex versus output: {plan.subject}, target {plan.target_products_per_week:,.0f} products/week "
             f"({plan.confidence:.0%} confidence)")
    with style():
        figure = new_figure(9.0, 4.2)
        axes = figure.subplots()
        positive = [c for c in [p["capex"] for p in points] + [o["capex"] for o in options.values()] + [plan.capex]
                    if c > 0]
        if positive:
            axes.set_xscale("symlog", linthresh=min(positive), linscale=0.6)
        ordered = sorted(range(len(points)), key=lambda i: (points[i]["capex"], points[i]["products_per_week"]))
        xs = [points[i]["capex"] for i in ordered]
        for key, colour, width in (("deterministic_products_per_week", COLOURS["deterministic"], 0.8),
                                   ("mean_products_per_week", COLOURS["mean"], 0.8),
                                   ("products_per_week", COLOURS["curve"], 1.4)):
            axes.plot(xs, [points[i][key] for i in ordered], color=colour, linewidth=width,
                      drawstyle="steps-post", label={"products_per_week": f"{plan.confidence:.0%} lower bound",
                                                      "mean_products_per_week": "mean",
                                                      "deterministic_products_per_week": "without failures"}[key])
        for i, p in enumerate(points):
            hollow = p["added_lines"] > 0
            marker, = axes.plot([p["capex"]], [p["products_per_week"]], "o", markersize=3.5,
                                markerfacecolor="white" if hollow else COLOURS["curve"],
                                markeredgecolor=COLOURS["curve"], markeredgewidth=0.8)
            marker.set_gid(f"{chart_id}-point-{i}")
        today, = axes.plot([0.0], [plan.today_products_per_week], "s", color=COLOURS["today"], markersize=6,
                           label=f"today {plan.today_products_per_week:,.0f}")
        today.set_gid(f"{chart_id}-today")
        target = axes.axhline(plan.target_products_per_week, color=COLOURS["target"], linestyle="--", linewidth=1.2,
                              label=f"target {plan.target_products_per_week:,.0f}")
        target.set_gid(f"{chart_id}-target")
        for name, symbol in (("accelerate", "^"), ("duplicate", "D")):
            if name in options:
                o = options[name]
                drawn, = axes.plot([o["capex"]], [o["products_per_week"]], symbol, color=COLOURS[name], markersize=8,
                                   markeredgecolor="black", markeredgewidth=0.6,
                                   label=f"{name}: {o['capex']:,.0f} {money}, {o['lead_time_weeks']:g} wk")
                drawn.set_gid(f"{chart_id}-{name}")
        chosen, = axes.plot([plan.capex], [plan.products_per_week], "*", color=COLOURS["chosen"], markersize=15,
                            markeredgecolor="black", markeredgewidth=0.6,
                            label=f"plan: {plan.capex:,.0f} {money} → {plan.products_per_week:,.0f}")
        chosen.set_gid(f"{chart_id}-chosen")
        # The plan is read near the target: points far above today, the target, the plan and
        # both options are left off the picture (not the data), and the chart says so.
        relevant = [plan.target_products_per_week, plan.today_products_per_week, plan.products_per_week]
        relevant += [o["products_per_week"] for o in options.values()]
        top = 1.25 * max(relevant)
        above = [p for p in points if p["products_per_week"] > top]
        if above:
            axes.set_ylim(top=top)
            highest = max(above, key=lambda p: p["products_per_week"])
            axes.annotate(f"{len(above)} more point(s) above, up to {highest['products_per_week']:,.0f} products/week "
                          f"at {highest['capex']:,.0f} {money}", (0.99, 0.98), xycoords="axes fraction",
                          ha="right", va="top", fontsize=7, color="#555555")
            data["off_chart_points"] = len(above)
        axes.set_xlabel(f"capex ({money}; logarithmic above {min(positive):,.0f})" if positive else f"capex ({money})")
        axes.set_ylabel("products/week")
        axes.yaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
        axes.xaxis.set_major_formatter(lambda value, _: _money(value))
        axes.grid(True, color="#eeeeee", linewidth=0.6)
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
        axes.set_title(f"verdict: {plan.verdict.choice}", loc="left", fontsize=8, fontweight="normal")
        return finish(figure, kind="capex_curve", chart_id=chart_id, title=title, data=data, fmt=format,
                      axes_scales={"p0": axes})


def _money(value: float) -> str:
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"
