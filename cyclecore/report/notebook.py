"""Results in notebooks: the main results show their charts above their table.

:mod:`cyclecore.results` gives every result an HTML table for Jupyter's ``_repr_html_``; this
module registers richer views for the results people look at as pictures (the analysis as a
yamazumi, a simulation as its station states and buffers, a plan as its capex curve, a ramp as
its S-curve). Registration is by type name and costs nothing: matplotlib is loaded the first time
a chart is drawn. ``import cyclecore`` imports this module, so the views are there whichever way
a result was made.
"""

from __future__ import annotations

import itertools

from cyclecore.results import html_table, register_html_view

_COUNTER = itertools.count(1)  # notebook outputs share one page: chart ids must not repeat


def _chart_id(kind: str) -> str:
    return f"nb{next(_COUNTER)}-{kind}"


def _with_table(result, *charts) -> str:
    figures = "".join(chart.figure_html() for chart in charts)
    return figures + html_table(result.to_dict(), caption=type(result).__name__)


def analysis_view(analysis) -> str:
    from cyclecore.report.yamazumi_chart import yamazumi

    return _with_table(analysis, yamazumi(analysis, chart_id=_chart_id("yamazumi")))


def simulation_view(simulation) -> str:
    from cyclecore.report.states import buffer_levels, station_states

    charts = [station_states(simulation, chart_id=_chart_id("states"))]
    if any(b.places for b in simulation.buffers):
        charts.append(buffer_levels(simulation, chart_id=_chart_id("buffers")))
    return _with_table(simulation, *charts)


def plan_view(plan) -> str:
    from cyclecore.report.capex import capex_curve

    return _with_table(plan, capex_curve(plan, chart_id=_chart_id("capex")))


def ramp_view(ramp) -> str:
    from cyclecore.report.ramp_curve import ramp_s_curve

    return _with_table(ramp, ramp_s_curve(ramp, chart_id=_chart_id("ramp")))


VIEWS = {
    "cyclecore.analysis.deterministic.Analysis": analysis_view,
    "cyclecore.analysis.simulation.LineSimulation": simulation_view,
    "cyclecore.plan.result.Plan": plan_view,
    "cyclecore.ramp.result.RampResult": ramp_view,
}

for _name, _view in VIEWS.items():
    register_html_view(_name, _view)
