"""``python -m fuzz``: a seeded campaign of mutants plus the garbage set, or one case again.

    python -m fuzz --cases 10000 --out fuzz-run            # summary.json, summary.md, reproducers/
    python -m fuzz --cases 0 --out run                     # the garbage set alone
    python -m fuzz --seed 0 --replay mutant-17 --write d   # a case's files into d, and its commands
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from fuzz.cases import Case
from fuzz.garbage import garbage_cases
from fuzz.mutate import mutant
from fuzz.outcomes import CLEAN
from fuzz.runner import Pool, argv_for, materialize
from fuzz.summary import Record


def campaign_cases(seed: int, count: int, garbage: bool = True, start: int = 0):
    """The garbage set first (when asked), then mutants ``start`` … ``start + count - 1``, lazily."""
    if garbage:
        yield from garbage_cases()
    for index in range(start, start + count):
        try:
            yield mutant(seed, index)
        except Exception as error:  # noqa: BLE001 - a fuzzer bug must not end a campaign; it is said
            print(f"fuzz: mutant-{index} of seed {seed} could not be made ({type(error).__name__}: {error}); "
                  "skipped", file=sys.stderr, flush=True)


def find_case(seed: int, case_id: str) -> Case:
    if case_id.startswith("mutant-"):
        return mutant(seed, int(case_id.split("-", 1)[1]))
    for case in garbage_cases():
        if case.id == case_id:
            return case
    raise SystemExit(f"no case {case_id!r} (mutant-N or one of the garbage-… names)")


def campaign(seed: int, count: int, out: Path | None, workers: int = 2, timeout: float = 20.0,
             garbage: bool = True, start: int = 0, progress=None) -> dict:
    """Run a campaign; returns the summary (also written under ``out`` when given)."""
    return _run(campaign_cases(seed, count, garbage, start), seed, out, workers, timeout, progress)


def campaign_with(garbage: list[Case], seed: int, count: int, out: Path | None, workers: int = 2,
                  timeout: float = 20.0, progress=None) -> dict:
    """A campaign over the given garbage cases, then ``count`` mutants of ``seed``."""
    cases = (case for group in (garbage, (mutant(seed, index) for index in range(count))) for case in group)
    return _run(cases, seed, out, workers, timeout, progress)


def _run(cases, seed, out, workers, timeout, progress) -> dict:
    record = Record(out, seed)
    pool = Pool(workers=workers, timeout=timeout)
    try:
        for number, run in enumerate(pool.run(cases), start=1):
            record.add(run)
            if progress is not None and run.cls not in CLEAN:
                progress(f"{run.case.id} {' '.join(run.command[:1])}: {run.cls}: {run.reason[:160]}")
            if out is not None and number % 500 == 0:
                record.write()
                if progress is not None:
                    progress(f"... {number} runs, {len(record.cases)} cases, {dict(record.runs)}")
    finally:
        pool.close()
    data = record.write()
    data["worker_restarts"] = pool.restarts
    return data


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="mutants to run (default 1000)")
    parser.add_argument("--start", type=int, default=0, help="first mutant index")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="folder for summary.json, summary.md and reproducers/")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per command (default 20)")
    parser.add_argument("--no-garbage", action="store_true", help="mutants only")
    parser.add_argument("--replay", metavar="CASE", help="write one case's files (--write DIR) and print its commands")
    parser.add_argument("--write", type=Path, metavar="DIR")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.replay:
        case = find_case(args.seed, args.replay)
        folder = materialize(case, (args.write or Path(".")).resolve())
        print("\n".join(case.description))
        for command in case.commands:
            print("cyclecore " + " ".join(argv_for(command, folder, case)))
        return 0
    began = time.monotonic()
    say = None if args.quiet else (lambda text: print(text, file=sys.stderr, flush=True))
    data = campaign(args.seed, args.cases, args.out, workers=args.workers, timeout=args.timeout,
                    garbage=not args.no_garbage, start=args.start, progress=say)
    runs = data["runs"]["by_class"]
    print(f"{data['cases']['total']} cases, {data['runs']['total']} runs in {time.monotonic() - began:.0f} s: "
          + ", ".join(f"{k} {v}" for k, v in runs.items()))
    if args.out is not None:
        print(f"summary: {args.out / 'summary.md'}")
    return 0 if all(runs[c] == 0 for c in runs if c not in CLEAN) else 1


if __name__ == "__main__":
    sys.exit(main())
