"""The long fuzz campaign of issue 11's acceptance 1, opt-in (``pytest -m slow``, about 30 min).

10,000 structure-aware mutants (seed 0) and the whole garbage set, the 210,000-task file
included, through the real CLI with 20 s per command: 0 tracebacks, hangs, crashes, NaN/inf
in any output, other exit codes, and every rejection names the file and field path (or the
option). The same campaign from a shell, with its summary and reproducers kept:

    python -m fuzz --cases 10000 --out fuzz-run
"""

from __future__ import annotations

import pytest

from test_fuzz_short import _bad_runs, _fuzz_package


@pytest.mark.slow
def test_ten_thousand_mutants_and_the_garbage_set_give_only_ok_runs_and_named_rejections(tmp_path):
    fuzz = _fuzz_package()
    summary = fuzz.campaign(seed=0, count=10_000, out=tmp_path, workers=2, timeout=20.0)
    runs = summary["runs"]["by_class"]
    assert summary["cases"]["mutants"] == 10_000
    from fuzz.outcomes import CLEAN

    bad = {cls: count for cls, count in runs.items() if cls not in CLEAN and count}
    assert not bad, f"{bad}\n{_bad_runs(summary)}\nreproducers: {tmp_path / 'reproducers'}"
