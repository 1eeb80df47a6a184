"""What a simulation run returns: plain, frozen values that print and serialise."""

from __future__ import annotations

from dataclasses import dataclass

from cyclecore.results import Result, text_block

from .bottleneck import Bottleneck

ONE_REPLICATION = "a single replication has no confidence interval"


@dataclass(frozen=True)
class StationShares(Result):
    """Shares of observed running time (sum to 1) one station spent in each state."""

    working: float
    blocked: float
    starved: float
    failed: float
    bypassed: float


@dataclass(frozen=True)
class SerialLineResult(Result):
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

    missing_reasons = {"ci95_per_hour": ONE_REPLICATION, "ci99_per_hour": ONE_REPLICATION}

    def __rich__(self):
        from rich.table import Table

        head = [f"Serial line, {len(self.stations)} stations, {self.replications} replication(s) of "
                f"{self.hours:g} h after {self.warmup_hours:g} h warm-up (seed {self.seed}, {self.kernel})",
                f"  throughput  {self.throughput_per_hour:.4g} units/h"]
        for name, ci in (("95%", self.ci95_per_hour), ("99%", self.ci99_per_hour)):
            if ci is not None:
                head.append(f"  {name} CI      [{ci[0]:.4g}, {ci[1]:.4g}] units/h")
        head.append(f"  units       {self.units:.1f} in the window")
        b = self.bottleneck
        head.append(f"  bottleneck  station {b.active_period} (active period), station {b.arrow} (arrows {b.arrows})")
        table = Table(title="stations (0-based; shares of running time)", title_justify="left")
        for header in ("station", "working", "blocked", "starved", "failed", "bypassed", "bottleneck", "operator-h"):
            table.add_column(header, justify="right")
        for i, s in enumerate(self.stations):
            table.add_row(str(i), f"{s.working:.1%}", f"{s.blocked:.1%}", f"{s.starved:.1%}", f"{s.failed:.1%}",
                          f"{s.bypassed:.1%}", f"{b.momentary_share[i]:.1%}", f"{self.operator_hours[i]:.2f}")
        buffers = []
        for j, levels in enumerate(self.buffer_levels):
            if len(levels) == 1:
                buffers.append(f"buffer {j}->{j + 1}: no places (parts pass directly)")
                continue
            mean = sum(level * share for level, share in enumerate(levels))
            buffers.append(f"buffer {j}->{j + 1}: mean {mean:.2f} of {len(levels) - 1} places, "
                           f"empty {levels[0]:.1%}, full {levels[-1]:.1%}")
        return text_block("\n".join(head), table, *(["\n".join(buffers)] if buffers else []))
