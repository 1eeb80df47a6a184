"""Where ``cyclecore.optimize`` spends its time: a sampling profile, summed by stage and by kind of work.

Run it in-process (``InProcess()``: one core, so every sample is this run's work) on a bundled example
or on the generated plant of ``bench_plan.py`` (``PLANT_FULL``: 550 robots)::

    python benchmarks/profile_optimize.py body-shop 6500
    python benchmarks/profile_optimize.py plant-full            # target: today's capacity, as bench_plan
    python benchmarks/profile_optimize.py body-shop 6500 --no-cache   # every search solved afresh

The run is profiled by cProfile on the process's CPU clock (``time.process_time``: on a shared
machine, the work itself; the wall time is printed beside). A kind of work is the cumulative time
of the function that does it (the table below: ``best_route`` for route sequencing, ``split_tasks``
for splits, ``_propose`` for the zone rebalance's CP-SAT and hint, ``simulate_serial`` for the line
simulator, …); they do not call one another, except that validating a line checks reach, which
solves IK when a robot's program is not yet remembered. The rest is the search's own Python.
Stages are timed around ``search_line`` (the search), ``_verify`` (applying the plan and
simulating it as ``cyclecore simulate`` does) and ``_first_year`` (the ramp of each verdict
option). (A sampling profiler loses the callers of the simulator's Numba kernels, which release
the GIL, so cProfile is used.) docs/PROFILE.md holds the tables this prints.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# (kind, path ending, function): the cumulative CPU time of these functions is the kind's
KINDS = (
    ("route sequencing (best_route: local search, OR-Tools)", "cyclecore/sequencing/sequencer.py", "best_route"),
    ("station splits (split_tasks)", "cyclecore/sequencing/station_split.py", "split_tasks"),
    ("zone rebalance (CP-SAT and its hint)", "cyclecore/changes/rebalance.py", "_propose"),
    ("line simulation (simulate_serial)", "cyclecore/linesim/serial.py", "simulate_serial"),
    ("motion (PTP kernel)", "cyclecore/robot/motion.py", "move_time_matrix"),
    ("motion (PTP kernel)", "cyclecore/robot/motion.py", "route_totals"),
    ("IK (programs, configuration options)", "cyclecore/robot/cell.py", "_solve_program"),
    ("IK (programs, configuration options)", "cyclecore/robot/cell.py", "configuration_options"),
    ("line validation (pydantic, line checks)", "cyclecore/model/line.py", "validated"),
)
STAGES = (("search (search_line)", "search_line"), ("verify (apply plan + simulate)", "_verify"),
          ("ramp of the verdict options", "_first_year"))
OTHER_KIND = "search bookkeeping and other Python"
OTHER_STAGE = "loading, plant mix, result"


def kinds_of(stats, total: float) -> dict[str, float]:
    """CPU seconds per kind of work from cProfile's cumulative times."""
    out: dict[str, float] = {}
    for (path, _, function), (_, _, _, cumulative, _) in stats.items():
        path = path.replace("\\", "/")
        for kind, ending, name in KINDS:
            if path.endswith(ending) and function == name:
                out[kind] = out.get(kind, 0.0) + cumulative
    out[OTHER_KIND] = total - sum(out.values())
    return out


def timed_stages():
    """Wrap the optimizer's stages with CPU clocks; returns the dict they add their seconds to."""
    from cyclecore.plan import optimizer

    stages: dict[str, float] = {}
    for stage, name in STAGES:
        real = getattr(optimizer, name)

        def run(*args, _real=real, _stage=stage, **kwargs):
            start = time.process_time()
            try:
                return _real(*args, **kwargs)
            finally:
                stages[_stage] = stages.get(_stage, 0.0) + time.process_time() - start

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
    import cProfile
    import pstats

    import cyclecore
    from cyclecore.plan.executors import InProcess

    subject, target = subject_and_target(args.subject, args.target)
    stages = timed_stages()
    profiler = cProfile.Profile(time.process_time)
    start, cpu = time.perf_counter(), time.process_time()
    profiler.enable()
    plan = cyclecore.optimize(subject, target=target, executor=InProcess())
    profiler.disable()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    kinds = kinds_of(pstats.Stats(profiler).stats, cpu)
    stages[OTHER_STAGE] = cpu - sum(stages.values())
    print(f"{args.subject} to {target:,.0f} products/week, InProcess, {cpu:.1f} s CPU, {wall:.1f} s wall; "
          f"load average {os.getloadavg()[0]:.1f}; plan capex {plan.capex:,.0f}, verified "
          f"{plan.verified_products_per_week[0]:,.0f}–{plan.verified_products_per_week[1]:,.0f}")
    print()
    print(table("stage (CPU s)", stages, cpu))
    print()
    print(table("kind of work (CPU s)", kinds, cpu))


if __name__ == "__main__":
    main()
