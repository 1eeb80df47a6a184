"""Which levers the plan search may pull, and how far: the search space, written down once.

The search considers, for a line (in this order of application):

1. **declared options** (the line file's ``options:``), each on or off;
2. **zone rebalancing**, per zone of two or more stations, on or off (after the options);
3. per station, every combination of
   a. its program: kept, every robot re-sequenced, or ``k`` robots added at free robot slots with
      the tasks re-split over all robots (``1 ≤ k ≤`` free slots, at most ``max_robots_added``);
   b. a speed step: every robot below an allowed override step ``s`` (the cost book's
      ``speed_override_steps``) raised to ``s``;
   c. one more parallel copy of the station, or not;
4. per buffer (after every station but the last), ``0 … max_buffer_places`` more places;
5. per station that can fail, a repair programme (MTTR × the cost book's factor), or not;
6. for a plant (a line is a plant of one design), ``0 … added_lines`` more copies of each design,
   built with the design's changes.

Stations are evaluated exactly (motion kernel, sequencing, splits); the output of a whole
combination is simulated with common random numbers and judged by the lower end of its
confidence interval.
"""

from __future__ import annotations

from dataclasses import dataclass

from cyclecore.arguments import SEED, Integer, Number, refuse

# how the plan's output is measured; optimize() declares its arguments with these too
WEEKS = Number(at_least=0.01, at_most=52, what="a number of weeks 0.01 … 52")
REPLICATIONS = Integer(at_least=2, at_most=1000)  # a confidence interval needs two
CONFIDENCE = Number(at_least=0.5, below=1, what="a confidence level 0.5 <= p < 1 (e.g. 0.9)")
COUNT = Integer(at_least=0, at_most=64)


@dataclass(frozen=True)
class Levers:
    """The search space: which levers, and how many robots and buffer places at most."""

    options: bool = True
    rebalance: bool = True
    resequence: bool = True
    speed: bool = True
    robots: bool = True
    max_robots_added: int = 3
    duplicate_station: bool = True
    max_buffer_places: int = 4
    repair_programme: bool = True
    added_lines: int = 2  # copies of each line design the plant may add

    def __post_init__(self):
        for name in ("options", "rebalance", "resequence", "speed", "robots", "duplicate_station",
                     "repair_programme"):
            if not isinstance(getattr(self, name), bool):
                refuse(f"levers.{name}", getattr(self, name), "true or false")
        for name in ("max_robots_added", "max_buffer_places", "added_lines"):
            COUNT.check(getattr(self, name), f"levers.{name}")


def searchable(station) -> bool:
    """A station small enough for the searching levers (re-sequence, add robots, rebalance its
    zone) within their count budgets: at most ``limits.PLAN_SEARCHED_TASKS`` tasks."""
    from cyclecore import limits

    return len(station.tasks) <= limits.PLAN_SEARCHED_TASKS.high


def unsearched(line, levers: "Levers") -> tuple[str, ...]:
    """One note per station of ``line`` whose searching levers the plan skips (see :func:`searchable`)."""
    from cyclecore import limits

    if not (levers.resequence or levers.robots or levers.rebalance):
        return ()
    most = limits.PLAN_SEARCHED_TASKS.high
    return tuple(f"{line.name}: stations[{i}] {s.name!r} has {len(s.tasks):,} tasks, more than the {most:,} the "
                 "plan searches: its programs are kept as they are (no re-sequencing, added robots or "
                 "rebalancing of its zone); speed steps, copies, buffers and repairs are still planned; "
                 "run `cyclecore sequence` or `split` on it separately"
                 for i, s in enumerate(line.stations) if not searchable(s))


@dataclass(frozen=True)
class Simulation:
    """How a combination's output is measured: weeks × replications of the line simulator from
    ``seed`` (common random numbers: every candidate sees the same luck), judged by the lower end
    of the two-sided ``confidence`` interval of units/week."""

    weeks: float = 1.0
    replications: int = 10
    seed: int = 0
    confidence: float = 0.9

    def __post_init__(self):
        WEEKS.check(self.weeks, "weeks")
        REPLICATIONS.check(self.replications, "replications")
        SEED.check(self.seed, "seed")
        CONFIDENCE.check(self.confidence, "confidence")
