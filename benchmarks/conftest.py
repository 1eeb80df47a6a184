"""Side-by-side reporting: for every benchmark group, cyclecore's per-item time against the peer's.

Benchmarks without a role (a whole-line lever, say) print their run time and recorded figures.

Each benchmark sets ``benchmark.group``, ``benchmark.extra_info["role"]`` ("cyclecore" or
"peer") and ``benchmark.extra_info["items"]`` (moves, parts, tasks ... handled per call). After
the run this prints the per-item median time of each and the speed ratio, so CI's log carries the
figures the closing notes quote.
"""

from __future__ import annotations

from collections import defaultdict

import pytest


def _stats(bench):
    """The timing statistics of a benchmark (pytest-benchmark nests them in its metadata)."""
    stats = getattr(bench, "stats", None)
    return getattr(stats, "stats", stats)


def _per_item_median(bench) -> float:
    items = float(bench.extra_info.get("items", 1) or 1)
    return _stats(bench).median / items


def _format_seconds(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter, exitstatus, config):
    session = getattr(config, "_benchmarksession", None)
    if session is None or not session.benchmarks:
        return
    groups = defaultdict(lambda: defaultdict(list))
    for bench in session.benchmarks:
        stats = _stats(bench)
        if stats is None or not getattr(stats, "rounds", 0):
            continue
        role = bench.extra_info.get("role")
        groups[bench.group or bench.name][role if role in ("cyclecore", "peer") else "figures"].append(bench)
    if not groups:
        return
    write = terminalreporter.write_line
    terminalreporter.section("cyclecore vs peer (median time per item)")
    for group in sorted(groups):
        ours, peers = groups[group]["cyclecore"], groups[group]["peer"]
        for bench in ours + peers:
            extra = {k: v for k, v in bench.extra_info.items() if k not in ("role", "items")}
            note = f"  {extra}" if extra else ""
            write(
                f"{group:28s} {bench.extra_info['role']:9s} {bench.name:48s} "
                f"{_format_seconds(_per_item_median(bench)):>10s}/item{note}"
            )
        for bench in groups[group]["figures"]:
            write(f"{group:28s} figures   {_format_seconds(_stats(bench).median)} per run  {dict(bench.extra_info)}")
        if ours and peers:
            best_ours = min(_per_item_median(b) for b in ours)
            best_peer = min(_per_item_median(b) for b in peers)
            write(f"{group:28s} RATIO     peer/cyclecore = {best_peer / best_ours:,.1f}x")
