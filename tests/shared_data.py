"""Where the public reference data lives (``../shared/data`` beside the repository).

Tests that need it call :func:`shared_data_dir`, which skips with a clear reason when the folder
is absent, so the project's own test command still passes on a machine without it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    """The shared data folder: ``$CYCLECORE_SHARED_DATA`` or ``<repo>/../shared/data``."""
    configured = os.environ.get("CYCLECORE_SHARED_DATA")
    path = Path(configured) if configured else _REPO.parent / "shared" / "data"
    if not path.is_dir():
        pytest.skip(f"public reference data not found at {path} (set CYCLECORE_SHARED_DATA)")
    return path
