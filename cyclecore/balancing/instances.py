"""The published benchmark lists: Scholl's precedence graphs paired with cycle times or station counts.

Scholl's 25 graphs are combined with cycle times (SALBP-1, 269 instances, known optimal station
counts) or station counts (SALBP-2, 302 instances, best known cycle times) by the CSV files in the
shared data folder (``salbp/scholl_salbp1_optima.csv``, ``salbp/scholl_salbp2_best.csv``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from cyclecore.results import Result

from .problem import Instance
from .scholl import read_scholl


@dataclass(frozen=True)
class Salbp1Case(Result):
    """One SALBP-1 benchmark instance: graph at a cycle time with its optimal station count."""

    graph: str
    instance: Instance
    cycle_time: int
    opt_stations: int


@dataclass(frozen=True)
class Salbp2Case(Result):
    """One SALBP-2 benchmark instance: graph with m stations and its best known cycle time."""

    graph: str
    instance: Instance
    stations: int
    best_cycle_time: int
    best_lower_bound: int
    proven_optimal: bool


def _salbp_dir(shared_dir) -> Path:
    d = Path(shared_dir)
    if (d / "salbp").is_dir():
        d = d / "salbp"
    if not (d / "scholl").is_dir():
        raise ValueError(f"shared_dir: no salbp/scholl folder under {shared_dir}")
    return d


def _graphs(d: Path, names) -> dict[str, Instance]:
    return {g: read_scholl(d / "scholl" / f"{g}.IN2") for g in sorted(set(names))}


def scholl_salbp1_instances(shared_dir) -> list[Salbp1Case]:
    """The 269 Scholl SALBP-1 instances in CSV order (``shared_dir`` = data or data/salbp folder)."""
    d = _salbp_dir(shared_dir)
    with open(d / "scholl_salbp1_optima.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    graphs = _graphs(d, (r["graph"] for r in rows))
    return [Salbp1Case(r["graph"], graphs[r["graph"]], int(r["cycle_time"]), int(r["opt_stations"])) for r in rows]


def scholl_salbp2_instances(shared_dir) -> list[Salbp2Case]:
    """The 302 Scholl SALBP-2 instances in CSV order, with best known cycle times."""
    d = _salbp_dir(shared_dir)
    with open(d / "scholl_salbp2_best.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    graphs = _graphs(d, (r["graph"] for r in rows))
    return [
        Salbp2Case(r["graph"], graphs[r["graph"]], int(r["m"]), int(r["opt_cycle_time"]),
                   int(r["best_lower_bound"]), r["proven_optimal"].strip() == "1")
        for r in rows
    ]


