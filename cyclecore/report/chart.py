"""A chart: a matplotlib figure drawn once into inline SVG (or PNG), with the figures it shows.

Every chart function of :mod:`cyclecore.report` returns a :class:`Chart`. Its ``image`` is the
SVG markup (or a PNG as a ``data:`` URI) ready to sit inside an HTML page, and its ``data`` the
numbers that were drawn, so a test or a reader can check the picture against the analysis
instead of trusting it:

- ``data`` goes into the page as escaped JSON in the figure's ``data-chart`` attribute (no
  ``<script>`` element: the report runs no script at all);
- the SVG elements that carry a value (a bar segment, a point, the takt line) have stable ids
  ``<chart id>-...`` (matplotlib's ``gid``), and ``data["axes"]`` gives each panel's value-to-SVG
  scale, so a bar's drawn height can be read back in SVG units and turned into seconds.

Drawing is matplotlib's Agg/SVG backends only (no display), text stays text (``svg.fonttype:
none``: the browser's system font shows it, and names are searchable), mathtext is off (a ``$`` in
a station name is a dollar sign), and ids and hashes are salted with the chart id, so two charts
in one page never share an id and the same input always gives the same bytes.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from dataclasses import dataclass
from typing import ClassVar

from cyclecore.arguments import Choice
from cyclecore.results import Result, html_table

FORMATS = ("svg", "png")
FORMAT = Choice(FORMATS)
PNG_DPI = 110

# One palette for every chart, so "motion" or "blocked" has the same colour everywhere.
COLOURS = {
    "motion": "#4c72b0",
    "process": "#dd8452",
    "logic": "#8172b3",
    "fixed": "#937860",
    "index": "#8c8c8c",
    "waiting": "#e5e5e5",
    "move": "#4c72b0",
    "wait": "#f2c14e",
    "idle": "#e5e5e5",
    "working": "#55a868",
    "blocked": "#f2c14e",
    "starved": "#64b5cd",
    "failed": "#c44e52",
    "bypassed": "#8172b3",
    "empty": "#64b5cd",
    "between": "#c9d7e8",
    "full": "#f2c14e",
    "takt": "#c44e52",
    "target": "#c44e52",
    "curve": "#4c72b0",
    "mean": "#8da0cb",
    "deterministic": "#b3b3b3",
    "today": "#333333",
    "chosen": "#55a868",
    "accelerate": "#55a868",
    "duplicate": "#8172b3",
    "band": "#c9d7e8",
    "cumulative": "#dd8452",
    "landed": "#8c8c8c",
}
ROBOT_COLOURS = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c",
                 "#ccb974", "#64b5cd")

_RC = {
    "svg.fonttype": "none",
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],  # metrics only: the SVG names it, then the generic family
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "legend.fontsize": 8,
    "legend.frameon": False,
    "savefig.dpi": 72,  # SVG user units are points: 1 unit = 1/72 in, the figure's display units
}
_NO_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


@dataclass(frozen=True)
class Chart(Result):
    """One drawn chart: ``kind`` (``yamazumi``, ``station_states``, ...), ``id`` (unique in a page,
    the prefix of its element ids), ``title``, ``format`` (``svg`` or ``png``), ``image`` (the SVG
    markup, or a PNG ``data:`` URI) and ``data`` (the figures drawn, JSON-safe)."""

    kind: str
    id: str
    title: str
    format: str
    image: str
    data: dict

    dict_omit: ClassVar = ("image",)  # the figures are in ``data``; the picture is for eyes

    def figure_html(self) -> str:
        """The chart as an HTML ``<figure>``: the image, its caption, its data as escaped JSON."""
        data = html.escape(json.dumps(self.data, allow_nan=False, separators=(",", ":")), quote=True)
        if self.format == "svg":
            picture = self.image
        else:
            picture = f'<img alt="{html.escape(self.title, quote=True)}" src="{self.image}">'
        return (f'<figure class="chart" id="{html.escape(self.id, quote=True)}" data-kind="{self.kind}" '
                f'data-chart="{data}">{picture}<figcaption>{html.escape(self.title)}</figcaption></figure>')

    def _repr_html_(self) -> str:
        return self.figure_html() + f"<details><summary>figures drawn</summary>{html_table(self.to_dict())}</details>"

    def __rich__(self):
        from cyclecore.results import text_block

        return text_block(f"{self.kind} chart {self.id!r}: {self.title} ({self.format}, {len(self.image):,} characters; "
                          "show it in a notebook or an HTML report)")


def new_figure(width_in: float, height_in: float):
    """A matplotlib Figure on the Agg canvas (no pyplot: no global state, no display); call it,
    draw and :func:`finish` inside ``with style():``. User-supplied names go on axes and in
    annotations, never as legend labels (a leading underscore would hide the entry)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width_in, height_in), dpi=72, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def style():
    """The rc settings every chart is drawn and saved with (a context manager)."""
    import matplotlib

    return matplotlib.rc_context(_RC)


def finish(figure, *, kind: str, chart_id: str, title: str, data: dict, fmt: str,
           axes_scales: dict | None = None) -> Chart:
    """Render ``figure`` to SVG or PNG and wrap it with its data as a :class:`Chart`.

    ``axes_scales`` maps a panel name to its matplotlib Axes; each becomes ``data["axes"][name]``:
    ``y0``/``x0`` (SVG coordinate of value 0) and ``y_per_unit``/``x_per_unit`` (SVG units per data
    unit, linear axes only), read from the drawn transform."""
    with style():
        if fmt == "svg":
            buffer = io.StringIO()
            with _salted(chart_id):
                figure.savefig(buffer, format="svg", metadata=_NO_METADATA)
            image = _inline_svg(buffer.getvalue(), chart_id, title)
        else:
            raw = io.BytesIO()
            figure.savefig(raw, format="png", dpi=PNG_DPI, metadata={"Software": None})
            image = "data:image/png;base64," + base64.b64encode(raw.getvalue()).decode("ascii")
        if axes_scales:
            # Read after saving: the layout engine places the axes anew for each renderer, so
            # only the last draw's transforms are the ones in the picture.
            height = figure.bbox.height
            scales = {}
            for name, axes in axes_scales.items():
                (x0, y0), (x1, y1) = axes.transData.transform([(0.0, 0.0), (1.0, 1.0)])
                scale = {"y0": float(height - y0), "y_per_unit": float(y1 - y0)}
                if axes.get_xscale() == "linear":
                    scale.update(x0=float(x0), x_per_unit=float(x1 - x0))
                scales[name] = scale
            data = {**data, "axes": scales}
    return Chart(kind=kind, id=chart_id, title=title, format=fmt, image=image, data=data)


def _salted(chart_id: str):
    import matplotlib

    return matplotlib.rc_context({"svg.hashsalt": f"cyclecore-{chart_id}"})


_ID = re.compile(r'(<[a-zA-Z][^<>]*?) id="([^"]*)"')  # inside a tag: text content is never touched
_REFERENCE = re.compile(r'(?:url\(#|href="#)([^)"]+)')


def _inline_svg(svg: str, chart_id: str, title: str) -> str:
    """matplotlib's SVG document as an element for an HTML page.

    The XML declaration and DOCTYPE go; matplotlib's own ids (``figure_1``, ``axes_1``, ...) are
    dropped unless something refers to them (clip paths and markers, whose ids are salted hashes),
    so the page's only readable ids are the chart's own ``<chart id>-...``."""
    svg = svg[svg.index("<svg"):]
    referenced = set(_REFERENCE.findall(svg))
    prefix = chart_id + "-"

    def keep(match: re.Match) -> str:
        name = match.group(2)
        return match.group(0) if name in referenced or name.startswith(prefix) else match.group(1)

    svg = _ID.sub(keep, svg)
    svg = re.sub(r">\s*\n\s*<", ">\n<", svg)  # indentation between tags is a fifth of matplotlib's SVG
    return svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(title, quote=True)}" ', 1)
