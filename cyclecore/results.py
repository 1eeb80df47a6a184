"""Human-readable tables for results: one renderer for ``print(result)`` and the CLI.

Rich builds the tables; printed to a file or pipe they are plain text, on a terminal coloured.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table


def render(*renderables, width: int = 140) -> str:
    """Render rich objects to plain text."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False)
    for item in renderables:
        console.print(item)
    return buffer.getvalue().rstrip("\n")
