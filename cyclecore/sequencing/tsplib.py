"""Reading TSPLIB instances (EUC_2D), the public yardstick for route sequencing.

Only what the benchmarks need: a symmetric travelling-salesman instance with 2-D coordinates and
the TSPLIB distance ``nint(sqrt(dx^2 + dy^2))``. City 1 becomes node 0, the robot's home.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cyclecore.results import Result


@dataclass(frozen=True)
class TsplibInstance(Result):
    """name; coordinates (n, 2); optimum tour length from the file's OPTIMUM line, if given."""

    name: str
    coordinates: np.ndarray
    optimum: float | None

    missing_reasons = {"optimum": "the file has no OPTIMUM line"}

    def distance_matrix(self) -> np.ndarray:
        """(n, n) float64, TSPLIB EUC_2D: distances rounded to the nearest integer."""
        delta = self.coordinates[:, None, :] - self.coordinates[None, :, :]
        # TSPLIB's nint is floor(x + 0.5), not numpy's round-half-to-even.
        return np.floor(np.sqrt((delta**2).sum(axis=2)) + 0.5)


def read_tsplib(path) -> TsplibInstance:
    """Read an EUC_2D ``.tsp`` file. Raises ValueError naming the file on anything else."""
    path = Path(path)
    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        raise ValueError(f"path: cannot read TSPLIB file {path}: {exc}") from None
    header: dict[str, str] = {}
    coords: list[tuple[float, float]] = []
    in_coords = False
    for raw in lines:
        line = raw.strip()
        if not line or line == "EOF":
            continue
        if line == "NODE_COORD_SECTION":
            in_coords = True
            continue
        if in_coords:
            parts = line.split()
            if len(parts) != 3:
                raise ValueError(f"{path}: bad coordinate line {line!r}; expected 'id x y'")
            coords.append((float(parts[1]), float(parts[2])))
        elif ":" in line:
            key, value = line.split(":", 1)
            header[key.strip().upper()] = value.strip()
    kind = header.get("EDGE_WEIGHT_TYPE")
    if kind != "EUC_2D":
        raise ValueError(f"{path}: EDGE_WEIGHT_TYPE {kind!r}; only EUC_2D is supported")
    dimension = int(header.get("DIMENSION", len(coords)))
    if dimension != len(coords) or dimension < 1:
        raise ValueError(f"{path}: DIMENSION {dimension} but {len(coords)} coordinates")
    optimum = float(header["OPTIMUM"]) if "OPTIMUM" in header else None
    return TsplibInstance(header.get("NAME", path.stem), np.array(coords, dtype=np.float64), optimum)
