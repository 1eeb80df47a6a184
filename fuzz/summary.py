"""A campaign's record: counts by class (JSON and a markdown table) and a reproducer per bad run."""

from __future__ import annotations

import json
import shlex
import time
from collections import Counter, defaultdict
from pathlib import Path

from fuzz.outcomes import CLASSES, CLEAN, signature
from fuzz.runner import Run

FULL_COPIES = 3  # reproducers with every file, per signature; the rest name the case to regenerate


class Record:
    """Collects :class:`Run`s; writes ``summary.json``, ``summary.md`` and ``reproducers/`` under ``out``."""

    def __init__(self, out: Path | None, seed: int):
        self.out = Path(out) if out is not None else None
        self.seed = seed
        self.started = time.monotonic()
        self.runs = Counter()
        self.by_command = defaultdict(Counter)
        self.cases = {}  # case id -> worst class
        self.signatures = defaultdict(list)  # signature -> case ids
        self.rejections_naming_mutated_field = Counter()
        self.seconds = Counter()
        self.slowest = []  # (seconds, case id, command) of the slowest runs
        if self.out is not None:
            self.out.mkdir(parents=True, exist_ok=True)

    def add(self, run: Run) -> None:
        command = run.command[0] + (" --json" if "--json" in run.command else "")
        self.runs[run.cls] += 1
        self.by_command[command][run.cls] += 1
        self.seconds[command] += run.answer.get("seconds", 0.0)
        self.slowest = sorted(self.slowest + [(run.answer.get("seconds", 0.0), run.case.id, command)], reverse=True)[:10]
        previous = self.cases.get(run.case.id)
        if previous is None or CLASSES.index(run.cls) > CLASSES.index(previous):
            self.cases[run.case.id] = run.cls
        if run.cls == "rejected" and run.case.fields:
            said = run.answer.get("stderr", "") + run.answer.get("stdout", "")
            named = any(f and _last_part(f) in said for f in run.case.fields)
            self.rejections_naming_mutated_field["named" if named else "other"] += 1
        if run.cls not in CLEAN:
            key = signature(run.cls, run.reason, command)
            self.signatures[key].append(run.case.id)
            if self.out is not None:
                self._reproducer(run, key, len(self.signatures[key]) <= FULL_COPIES)

    def _reproducer(self, run: Run, key: str, full: bool) -> None:
        folder = self.out / "reproducers" / run.cls
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{run.case.id}-{run.command[0]}{'-json' if '--json' in run.command else ''}"
        command = " ".join(shlex.quote(a.replace("{file}", run.case.main).replace("{dir}", ".")) for a in run.command)
        data = {"case": run.case.manifest(), "seed": self.seed, "class": run.cls, "reason": run.reason,
                "signature": key, "command": f"cyclecore {command}",
                "regenerate": f"python -m fuzz --seed {self.seed} --replay {run.case.id} --write DIR",
                "exit_code": run.answer.get("exit_code"), "stdout": run.answer.get("stdout", "")[-4000:],
                "stderr": run.answer.get("stderr", "")[-4000:], "traceback": run.answer.get("traceback", "")}
        (folder / f"{name}.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
        if full and not run.case.generate:
            files = folder / name / "case"
            for relative, content in run.case.files.items():
                if relative.endswith("/keep"):
                    continue
                path = files / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)

    def summary(self) -> dict:
        cases = Counter(self.cases.values())
        return {
            "seed": self.seed,
            "wall_seconds": round(time.monotonic() - self.started, 1),
            "cases": {"total": len(self.cases), "mutants": sum(1 for c in self.cases if c.startswith("mutant-")),
                      "garbage": sum(1 for c in self.cases if c.startswith("garbage-")),
                      "by_worst_class": {c: cases.get(c, 0) for c in CLASSES}},
            "runs": {"total": sum(self.runs.values()), "by_class": {c: self.runs.get(c, 0) for c in CLASSES}},
            "by_command": {k: {c: v.get(c, 0) for c in CLASSES if v.get(c)} for k, v in sorted(self.by_command.items())},
            "command_seconds": {k: round(v, 1) for k, v in sorted(self.seconds.items())},
            "rejections_naming_the_mutated_field": dict(self.rejections_naming_mutated_field),
            "slowest_runs": [{"seconds": t, "case": c, "command": k} for t, c, k in self.slowest],
            "signatures": [{"signature": k, "runs": len(v), "cases": v[:10]}
                           for k, v in sorted(self.signatures.items(), key=lambda kv: -len(kv[1]))],
        }

    def markdown(self, data: dict) -> str:
        runs = data["runs"]["by_class"]
        cases = data["cases"]["by_worst_class"]
        lines = [f"# cyclecore fuzz campaign (seed {data['seed']})", "",
                 f"{data['cases']['mutants']} mutants + {data['cases']['garbage']} garbage cases, "
                 f"{data['runs']['total']} command runs, {data['wall_seconds']:.0f} s wall time", "",
                 "| class | runs | cases (worst outcome) |", "|---|---:|---:|"]
        lines += [f"| {c} | {runs[c]} | {cases[c]} |" for c in CLASSES]
        lines += ["", "| command | " + " | ".join(CLASSES) + " |", "|---|" + "---:|" * len(CLASSES)]
        for command, counts in data["by_command"].items():
            lines.append(f"| {command} | " + " | ".join(str(counts.get(c, 0)) for c in CLASSES) + " |")
        if data["signatures"]:
            lines += ["", "## Findings by signature", "", "| runs | signature | cases |", "|---:|---|---|"]
            for item in data["signatures"][:60]:
                text = item["signature"].replace("|", "\\|")
                lines.append(f"| {item['runs']} | {text} | {', '.join(item['cases'][:3])} |")
        return "\n".join(lines) + "\n"

    def write(self) -> dict:
        data = self.summary()
        if self.out is not None:
            (self.out / "summary.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
            (self.out / "summary.md").write_text(self.markdown(data), encoding="utf-8")
        return data


def _last_part(path: str) -> str:
    """``stations[0].robots[1].model`` -> ``model``; ``stations[2]`` -> ``stations[2]``."""
    tail = path.rsplit(".", 1)[-1]
    return tail if not tail.endswith("]") or "[" not in tail else tail
