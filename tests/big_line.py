"""A line with many tasks in one station, for the loading tests and benchmarks (issue 11).

One station, one KUKA KR 210, ``n`` taught joint targets inside the arm's limits, each task after
the one before it and, every tenth, also after a task a hundred back: the precedence edges a
quadratic validation (a list ``index`` per edge) would pay for. Written as JSON, or as YAML with
the tasks in a spot CSV beside it (the form an offline-programming export takes).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

HOME = [0.0, -90.0, 90.0, 0.0, 30.0, 0.0]


def big_line_dict(n: int) -> dict:
    tasks = []
    for k in range(n):
        task = {"name": f"T{k}", "joints_deg": [(k % 50) * 0.5, -90.0 + (k % 7), 90.0, 0.0, 30.0, 0.0],
                "process_time_s": 0.1}
        after = [f"T{k - 1}"] if k else []
        if k % 10 == 0 and k >= 100:
            after.append(f"T{k - 100}")
        if after:
            task["after"] = after
        tasks.append(task)
    robot = {"name": "R1", "model": "KR210-R3100-2", "home_deg": HOME}
    return {"name": "big", "stations": [{"name": "S1", "index_time_s": 1.0, "robots": [robot], "tasks": tasks}]}


def write_big_json(folder: Path, n: int) -> Path:
    path = Path(folder) / f"big-{n}.json"
    path.write_text(json.dumps(big_line_dict(n)), encoding="utf-8")
    return path


def write_big_spots(folder: Path, n: int) -> Path:
    """A YAML line whose station reads ``n`` weld spots (poses in reach of the arm) from a CSV."""
    folder = Path(folder)
    csv_path = folder / f"spots-{n}.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "x", "y", "z", "rx", "ry", "rz", "process_time", "robot", "sequence", "after"])
        for k in range(n):
            x = 1400.0 + (k % 40) * 10.0
            y = -400.0 + (k // 40 % 80) * 10.0
            writer.writerow([f"P{k}", x, y, 900.0, 180.0, 0.0, 0.0, 0.1, "R1", k + 1, f"P{k - 1}" if k else ""])
    line = folder / f"spots-{n}.yaml"
    line.write_text(
        "name: spots\nstations:\n- name: S1\n  index_time_s: 1.0\n  robots:\n"
        f"  - {{name: R1, model: KR210-R3100-2, home_deg: {HOME}}}\n  spots_csv: {csv_path.name}\n",
        encoding="utf-8")
    return line
