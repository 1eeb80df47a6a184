"""Reports people look at: the charts a line engineer reads, and one HTML file that holds them.

Charts (each a function of a result, returning a :class:`~cyclecore.report.chart.Chart` with the
SVG and the figures it draws):

- :func:`yamazumi` (:mod:`.yamazumi_chart`): work per station (or per robot) stacked against the takt,
  the bottleneck marked, before and after side by side;
- :func:`station_states`, :func:`buffer_levels` (:mod:`.states`): a simulation's working /
  blocked / starved / failed / bypassed shares and how full the buffers were;
- :func:`capex_curve` (:mod:`.capex`): a plan's capex against products/week, today, the target,
  the plan and the accelerate-versus-duplicate options;
- :func:`ramp_s_curve` (:mod:`.ramp_curve`): a ramp's weekly and cumulative output;
- :func:`gantt` (:mod:`.gantt_chart`): one station's robots over one cycle, by the k-robot timing rule;
- :func:`robot_paths` (:mod:`.paths`): TCP paths from above and the side, before and after.

The report: :func:`report_html` (:mod:`.build`) puts the tables and charts of a line or plant,
its simulation, plan and ramp into one self-contained HTML page (:mod:`.document`), and
:func:`write_report` writes it whole or not at all. In a notebook, the main results show their
charts by themselves (:mod:`.notebook`).

Everything here is imported lazily: ``import cyclecore`` never loads matplotlib.
"""

from __future__ import annotations

from cyclecore._lazy import lazy_exports

_EXPORTS = {
    "Chart": "cyclecore.report.chart",
    "yamazumi": "cyclecore.report.yamazumi_chart",
    "station_states": "cyclecore.report.states",
    "buffer_levels": "cyclecore.report.states",
    "capex_curve": "cyclecore.report.capex",
    "ramp_s_curve": "cyclecore.report.ramp_curve",
    "gantt": "cyclecore.report.gantt_chart",
    "station_schedule": "cyclecore.report.gantt_chart",
    "robot_paths": "cyclecore.report.paths",
    "report_html": "cyclecore.report.build",
    "write_report": "cyclecore.report.build",
    "Simulate": "cyclecore.report.build",
    "plan_from_dict": "cyclecore.report.plan_file",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports('cyclecore.report', _EXPORTS, globals())
