"""The HTML page: one self-contained file that opens anywhere, offline, and runs nothing.

- **Self-contained.** Charts are inline SVG (or PNG ``data:`` URIs), the style sheet is inline,
  fonts are the reader's system fonts; nothing is fetched. A Content-Security-Policy of
  ``default-src 'none'`` (inline styles and ``data:`` images allowed) makes the browser refuse any
  request or script should one ever slip in.
- **No script.** The page is static; a chart's figures travel as escaped JSON in its
  ``data-chart`` attribute, for tests and for anyone who wants the numbers.
- **Escaped.** Every text that comes from a line, plant or plan file (station, robot, task and
  line names, change descriptions) goes through :func:`html.escape`; matplotlib escapes the text
  it writes into the SVG.
- **The same tables as the command line.** A result's tables are its ``__rich__()`` renderables
  (the tables ``cyclecore analyze`` prints) turned into HTML tables cell by cell, so the page and
  the terminal never disagree.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       margin: 0 auto; max-width: 1180px; padding: 1.2rem 1.6rem 3rem; color: #1d1d1f; line-height: 1.4; }
header h1 { font-size: 1.5rem; margin: 0.2rem 0; }
header p { margin: 0.15rem 0; color: #444; }
nav { margin: 0.8rem 0 1.2rem; font-size: 0.92rem; }
nav a { margin-right: 1rem; color: #2a5db0; text-decoration: none; }
section { border-top: 1px solid #ddd; margin-top: 1.4rem; padding-top: 0.4rem; }
h2 { font-size: 1.2rem; margin: 0.6rem 0; }
h3 { font-size: 1.02rem; margin: 1rem 0 0.4rem; }
p.note { color: #555; font-size: 0.9rem; margin: 0.3rem 0; }
pre.lines { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.8rem;
            white-space: pre-wrap; background: #f7f7f9; padding: 0.5rem 0.7rem; border-radius: 4px; }
figure.chart { margin: 0.8rem 0 1.2rem; }
figure.chart svg, figure.chart img { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 0.88rem; color: #333; margin-top: 0.2rem; }
.table-wrap { overflow-x: auto; margin: 0.5rem 0 1rem; }
table.data { border-collapse: collapse; font-size: 0.8rem; font-variant-numeric: tabular-nums; }
table.data caption { text-align: left; font-weight: 600; padding: 0.2rem 0; }
table.data th, table.data td { border-bottom: 1px solid #e3e3e3; padding: 0.18rem 0.55rem; white-space: nowrap; }
table.data th { background: #f3f4f6; text-align: left; }
table.data td.num { text-align: right; }
details summary { cursor: pointer; color: #2a5db0; font-size: 0.9rem; }
@media print { nav { display: none; } section { break-inside: avoid-page; } }
"""

# Nothing may load or run: only the inline style sheet, inline styles in the SVG and data: images.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


@dataclass
class Section:
    """A part of the report: an anchor id (never a user name), a heading and its HTML parts."""

    id: str
    title: str
    parts: list[str] = field(default_factory=list)

    def add(self, *parts: str) -> "Section":
        self.parts.extend(parts)
        return self


def escape(text) -> str:
    return html.escape(str(text), quote=True)


def heading(text: str) -> str:
    return f"<h3>{escape(text)}</h3>"


def note(text: str) -> str:
    return f'<p class="note">{escape(text)}</p>'


def lines(text: str) -> str:
    """Lines of result text (the summary lines the command line prints), kept as lines."""
    return f'<pre class="lines">{escape(text)}</pre>'


def rich_html(renderable) -> str:
    """A result's rich text as HTML: tables cell by cell, text as lines, every string escaped."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    if isinstance(renderable, Group):  # consecutive lines of text stay one block
        out, text = [], []
        for part in renderable.renderables:
            if isinstance(part, (Text, str)):
                text.append(str(part).strip("\n"))
                continue
            if text:
                out.append(lines("\n".join(text)))
                text = []
            out.append(rich_html(part))
        if text:
            out.append(lines("\n".join(text)))
        return "".join(out)
    if isinstance(renderable, Table):
        return table_html(renderable)
    if isinstance(renderable, (Text, str)):
        text = str(renderable).strip("\n")
        return lines(text) if text else ""
    if hasattr(renderable, "__rich__"):
        return rich_html(renderable.__rich__())
    from cyclecore.results import render

    return lines(render(renderable))


def table_html(table) -> str:
    """A rich Table as an HTML table: its title, headers and cells as the terminal shows them."""
    columns = list(table.columns)
    cells = [[_cell_text(cell) for cell in column.cells] for column in columns]
    head = "".join(f"<th>{escape(_cell_text(column.header))}</th>" for column in columns)
    rows = []
    for r in range(max((len(c) for c in cells), default=0)):
        row = []
        for column, values in zip(columns, cells):
            value = values[r] if r < len(values) else ""
            numeric = ' class="num"' if column.justify == "right" else ""
            row.append(f"<td{numeric}>{escape(value)}</td>")
        rows.append(f"<tr>{''.join(row)}</tr>")
    caption = f"<caption>{escape(_cell_text(table.title))}</caption>" if table.title else ""
    return (f'<div class="table-wrap"><table class="data">{caption}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def rows_table(caption: str, headers: tuple[str, ...], rows: list[tuple], numeric: tuple[str, ...] = ()) -> str:
    """Rows of values as an HTML table (numbers in the ``numeric`` columns right-aligned), escaped."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    cell = {h: '<td class="num">' if h in numeric else "<td>" for h in headers}
    body = "".join("<tr>" + "".join(f"{cell[h]}{escape(v)}</td>" for h, v in zip(headers, row)) + "</tr>"
                   for row in rows)
    return (f'<div class="table-wrap"><table class="data"><caption>{escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    return cell.plain if hasattr(cell, "plain") else str(cell)


def page(title: str, intro: list[str], sections: list[Section]) -> str:
    """The whole report: one HTML document, nothing outside it."""
    version = _version()
    toc = "".join(f'<a href="#{escape(s.id)}">{escape(s.title)}</a>' for s in sections)
    body = "".join(f'<section id="{escape(s.id)}"><h2>{escape(s.title)}</h2>{"".join(s.parts)}</section>'
                   for s in sections)
    intro_html = "".join(f"<p>{escape(line)}</p>" for line in intro)
    return ("<!DOCTYPE html>\n"
            f'<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="cyclecore {escape(version)}">'
            f"<title>{escape(title)}</title><style>{STYLE}</style></head>\n"
            f"<body><header><h1>{escape(title)}</h1>{intro_html}</header><nav>{toc}</nav>\n"
            f"{body}\n"
            f'<footer><p class="note">Made by cyclecore {escape(version)}. Every figure comes from the '
            "results named in its section; each chart carries the numbers it shows (data-chart).</p></footer>"
            "</body></html>\n")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cyclecore")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "(source)"
