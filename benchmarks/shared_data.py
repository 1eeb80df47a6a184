"""Benchmarks find the shared reference data exactly as the tests do."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "_tests_shared_data", Path(__file__).resolve().parents[1] / "tests" / "shared_data.py"
)
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)
shared_data_dir = _module.shared_data_dir
