"""A short seeded pass of the project's fuzzer (issue 11): hostile files through the real CLI.

150 structure-aware mutants of the bundled examples (seed 0) and the garbage set (empty, binary,
20,000-deep nesting, an alias bomb, a file above the size limit, 5,000-digit numbers, bad
encodings, path escapes, duplicate keys ...) go through ``cyclecore analyze`` (text and
``--json``), ``simulate``, ``plant`` and, for a sample, ``sequence``/``split``/``rebalance``/
``optimize`` with small budgets, in two long-lived worker processes, 20 s per command.

Every run must be ok (exit 0, nothing non-finite in the output), a clean rejection (exit 2
naming the file and field path, or the option) or a stated "no answer within the limit" (exit 3).
No traceback or internal error, hang, crash, NaN/inf, other exit code, or rejection that does
not say where. The seed fixes every case, so a failure here is
reproduced by ``python -m fuzz --seed 0 --replay CASE --write DIR`` (the failing signatures and
their cases are in the assertion message).

The 210,000-task garbage file is left to the long campaign (tests/test_fuzz_campaign.py): it
takes minutes to load on a busy machine.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

FUZZ = Path(__file__).resolve().parents[1] / "fuzz"


def _fuzz_package():
    """The repository's ``fuzz`` package, loaded from its folder (the repository root stays off
    sys.path, where its source folder would shadow the installed cyclecore)."""
    if "fuzz" not in sys.modules:
        spec = importlib.util.spec_from_file_location("fuzz", FUZZ / "__init__.py",
                                                      submodule_search_locations=[str(FUZZ)])
        module = importlib.util.module_from_spec(spec)
        sys.modules["fuzz"] = module
        spec.loader.exec_module(module)
    import fuzz.__main__

    return fuzz.__main__


def _bad_runs(summary: dict) -> str:
    return "\n".join(f"{item['runs']:4d}  {item['signature']}  e.g. {', '.join(item['cases'][:3])}"
                     for item in summary["signatures"])


def test_a_short_seeded_fuzz_pass_gives_no_traceback_hang_crash_nan_or_unnamed_rejection(tmp_path):
    fuzz = _fuzz_package()
    from fuzz.garbage import garbage_cases

    cases = [c for c in garbage_cases() if c.id != "garbage-tasks-210000"]
    summary = fuzz.campaign_with(cases, seed=0, count=150, out=tmp_path, workers=2, timeout=20.0)
    runs = summary["runs"]["by_class"]
    assert summary["cases"]["mutants"] == 150 and summary["cases"]["garbage"] == len(cases)
    assert runs["ok"] > 0 and runs["rejected"] > 0, runs  # the pass reached the kernels and the checks
    from fuzz.outcomes import CLEAN

    bad = {cls: count for cls, count in runs.items() if cls not in CLEAN and count}
    assert not bad, f"{bad}\n{_bad_runs(summary)}\nreproducers: {tmp_path / 'reproducers'}"
