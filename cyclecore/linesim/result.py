"""What a simulation run returns: plain, frozen values that print and serialise."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from .bottleneck import Bottleneck


@dataclass(frozen=True)
class StationShares:
    """Shares of observed running time (sum to 1) one station spent in each state."""

    working: float
    blocked: float
    starved: float
    failed: float
    bypassed: float


@dataclass(frozen=True)
class SerialLineResult:
    """Outcome of :func:`cyclecore.linesim.simulate_serial`, averaged over replications.

    Throughput is per *calendar* hour of the observation window (planned downtime included);
    shares and buffer levels are over *running* time. Station and buffer indices are 0-based.
    """

    throughput_per_hour: float
    ci95_per_hour: tuple[float, float] | None       # None with a single replication
    ci99_per_hour: tuple[float, float] | None
    units: float                                    # mean units finished in the window
    replication_units: tuple[int, ...]
    replication_throughput_per_hour: tuple[float, ...]
    parts_simulated: int                            # all replications, warm-up included
    hours: float
    warmup_hours: float
    replications: int
    seed: int
    kernel: str                                     # 'max-plus' or 'event-loop'
    stations: tuple[StationShares, ...]
    operator_hours: tuple[float, ...]               # manual bypass, per station, mean per replication
    buffer_levels: tuple[tuple[float, ...], ...]    # per buffer: share of time at 0, 1, ..., B parts
    bottleneck: Bottleneck
    bottleneck_approximations: int                  # see cyclecore.linesim.timeline

    def to_dict(self) -> dict:
        """JSON-serialisable dictionary (tuples become lists)."""
        return json.loads(json.dumps(asdict(self)))

    def __str__(self) -> str:
        lines = [f"Serial line, {len(self.stations)} stations, {self.replications} replication(s) of "
                 f"{self.hours:g} h after {self.warmup_hours:g} h warm-up (seed {self.seed}, {self.kernel})",
                 f"  throughput  {self.throughput_per_hour:.4g} units/h"]
        for name, ci in (("95%", self.ci95_per_hour), ("99%", self.ci99_per_hour)):
            if ci is not None:
                lines.append(f"  {name} CI      [{ci[0]:.4g}, {ci[1]:.4g}] units/h")
        lines.append(f"  units       {self.units:.1f} in the window")
        b = self.bottleneck
        lines.append(f"  bottleneck  station {b.active_period} (active period), station {b.arrow} (arrows {b.arrows})")
        lines.append("  station  working  blocked  starved   failed bypassed  bottleneck  operator-h")
        for i, s in enumerate(self.stations):
            lines.append(f"  {i:7d}  {s.working:7.1%}  {s.blocked:7.1%}  {s.starved:7.1%}  {s.failed:7.1%} "
                         f"{s.bypassed:7.1%}  {b.momentary_share[i]:10.1%}  {self.operator_hours[i]:10.2f}")
        for j, levels in enumerate(self.buffer_levels):
            if len(levels) == 1:
                lines.append(f"  buffer {j}->{j + 1}: no places (parts pass directly)")
                continue
            mean = sum(level * share for level, share in enumerate(levels))
            lines.append(f"  buffer {j}->{j + 1}: mean {mean:.2f} of {len(levels) - 1} places, "
                         f"empty {levels[0]:.1%}, full {levels[-1]:.1%}")
        return "\n".join(lines)
