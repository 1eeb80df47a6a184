"""Where ``cyclecore.optimize`` spends its time: a sampling profile, summed by stage and by kind of work.

Run it in-process (``InProcess()``: one core, so every sample is this run's work) on a bundled example
or on the generated plant of ``bench_plan.py`` (``PLANT_FULL``: 550 robots)::

    pip install pyinstrument     # a development tool, not a dependency
    python benchmarks/profile_optimize.py body-shop 6500
    python benchmarks/profile_optimize.py plant-full            # target: today's capacity, as bench_plan
    python benchmarks/profile_optimize.py body-shop 6500 --no-cache   # every search solved afresh

Each sample of the call stack is charged to the innermost frame that names a kind of work (the
table below), so a move-time matrix computed inside a split counts as motion, and the split's own
OR-Tools search as the split. (pyinstrument loses the callers of a Numba kernel that releases the
GIL, so the simulator's samples are charged by kind only.) Stages are timed on the clock around
``search_line`` (the search), ``_verify`` (applying the plan and simulating it as ``cyclecore
simulate`` does) and ``_first_year`` (the ramp of each verdict option). docs/PROFILE.md holds the
tables this prints.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# (kind, path ending, function or None for any): the innermost match on a stack wins
KINDS = (
    ("motion (PTP kernel)", "cyclecore/robot/motion.py", None),
    ("IK and cell geometry", "cyclecore/robot/cell.py", None),
    ("IK and cell geometry", "cyclecore/robot/kinematics.py", None),
    ("IK and cell geometry", "cyclecore/robot/geometry.py", None),
    ("IK and cell geometry", "cyclecore/model/robot_models.py", None),
    ("route sequencing (local search, OR-Tools)", "cyclecore/sequencing/sequencer.py", "best_route"),
    ("station splits (split_tasks)", "cyclecore/sequencing/station_split.py", "split_tasks"),
    ("zone rebalance (CP-SAT)", "cyclecore/changes/rebalance.py", "_propose"),
    ("line simulation (linesim)", "cyclecore/linesim/", None),
    ("line validation (pydantic, line checks)", "cyclecore/model/line.py", "validated"),
    ("line validation (pydantic, line checks)", "cyclecore/model/line.py", "evolve"),
    ("line validation (pydantic, line checks)", "cyclecore/model/checks.py", None),
)
STAGES = (("search (search_line)", "search_line"), ("verify (apply plan + simulate)", "_verify"),
          ("ramp of the verdict options", "_first_year"))
OTHER_KIND = "search bookkeeping and other Python"
OTHER_STAGE = "loading, plant mix, result"


def _kind(frame):
    path = (frame.file_path or "").replace("\\", "/")
    for kind, ending, function in KINDS:
        if (ending in path) and (function is None or frame.function == function):
            return kind
    return None


def charge(frame, kind=None, kinds=None):
    """Sum each frame's own time into the innermost kind of work on its stack."""
    kinds = {} if kinds is None else kinds
    kind = _kind(frame) or kind
    own = frame.time - sum(child.time for child in frame.children)
    kinds[kind or OTHER_KIND] = kinds.get(kind or OTHER_KIND, 0.0) + own
    for child in frame.children:
        charge(child, kind, kinds)
    return kinds


def timed_stages():
    """Wrap the optimizer's stages with clocks; returns the dict they add their seconds to."""
    from cyclecore.plan import optimizer

    stages: dict[str, float] = {}
    for stage, name in STAGES:
        real = getattr(optimizer, name)

        def run(*args, _real=real, _stage=stage, **kwargs):
            start = time.perf_counter()
            try:
                return _real(*args, **kwargs)
            finally:
                stages[_stage] = stages.get(_stage, 0.0) + time.perf_counter() - start

        setattr(optimizer, name, run)
    return stages


def subject_and_target(name: str, target: float | None):
    import cyclecore

    if name.startswith("plant-"):
        sys.path.insert(0, str(Path(__file__).parent))
        from bench_plan import PLANT_FULL, PLANT_SHORT, PLANT_SPOTS, TARGET_FACTOR
        from plant_generator import generated_plant

        spec = PLANT_FULL if name == "plant-full" else PLANT_SHORT
        plant = generated_plant(spec["name"], spec["designs"], spec["seed"], spots_per_robot=PLANT_SPOTS)
        return plant, target or TARGET_FACTOR * cyclecore.analyze_plant(plant).products_per_week
    return cyclecore.load_example(name), target


def table(title: str, sums: dict, total: float) -> str:
    rows = [f"| {title} | s | share |", "|---|---:|---:|"]
    for key, seconds in sorted(sums.items(), key=lambda kv: -kv[1]):
        rows.append(f"| {key} | {seconds:.1f} | {seconds / total:.0%} |")
    rows.append(f"| **total** | **{total:.1f}** | |")
    return "\n".join(rows)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("subject", help="a bundled example (body-shop, module-plant, …), plant-full or plant-short")
    parser.add_argument("target", nargs="?", type=float, default=None, help="products/week")
    parser.add_argument("--no-cache", action="store_true", help="solve every search afresh (CYCLECORE_SOLVED_CACHE=0)")
    args = parser.parse_args(argv)
    if args.no_cache:
        os.environ["CYCLECORE_SOLVED_CACHE"] = "0"
    from pyinstrument import Profiler

    import cyclecore
    from cyclecore.plan.executors import InProcess

    subject, target = subject_and_target(args.subject, args.target)
    stages = timed_stages()
    profiler = Profiler(interval=0.002)
    start = time.perf_counter()
    profiler.start()
    plan = cyclecore.optimize(subject, target=target, executor=InProcess())
    profiler.stop()
    wall = time.perf_counter() - start
    kinds = charge(profiler.last_session.root_frame())
    total = sum(kinds.values())
    stages[OTHER_STAGE] = wall - sum(stages.values())
    print(f"{args.subject} to {target:,.0f} products/week, InProcess, {wall:.1f} s wall; "
          f"load average {os.getloadavg()[0]:.1f}; plan capex {plan.capex:,.0f}, verified "
          f"{plan.verified_products_per_week[0]:,.0f}–{plan.verified_products_per_week[1]:,.0f}")
    print()
    print(table("stage (clock)", stages, wall))
    print()
    print(table("kind of work (samples)", kinds, total))


if __name__ == "__main__":
    main()
