"""A simulated week of the ramp: the line simulator on each copy with the changes landed so far.

Each line copy is simulated as ``cyclecore simulate`` simulates a line — one week of the week's
shift pattern, its warm-up, its replications — with the landed changes' maturity built into its
arrays:

- a change that learns on *availability* lowers the touched station's availability to m·A by
  shortening its MTBF (MTBF' = m·A·MTTR / (1 − m·A), MTTR kept); a station that never fails has no
  availability to lower and runs its cycle at c / m instead;
- a change that learns on the *cycle* runs the touched station at c / m.

Copy k of the plant (existing copies in plant order, then added ones) simulates from seed
``SeedSequence(seed, spawn_key=(k,))`` — the seeds :func:`cyclecore.simulate_plant` gives — and
stations draw from streams keyed by their names, so every week and every plan is simulated on the
same luck (common random numbers): week-to-week and plan-to-plan differences are the changes', not
the dice's. Replication r of the plant sums replication r of every copy; installation downtime
and the labour cap scale each copy's output as in the deterministic figures.
"""

from __future__ import annotations

import numpy as np

from cyclecore.analysis.simulation import horizon
from cyclecore.linesim import simulate_serial
from cyclecore.linesim.confidence import mean_interval


def learned_arrays(state, availability_maturity: np.ndarray, cycle_maturity: np.ndarray) -> dict:
    """The simulator's arrays of a line state with its stations at these maturities."""
    cycle = state.cycle_s / cycle_maturity
    mtbf = state.mtbf_s.copy()
    for i in np.flatnonzero(availability_maturity < 1.0):
        m = availability_maturity[i]
        if np.isfinite(mtbf[i]) and state.mttr_s[i] > 0:
            a = m * state.availability[i]
            mtbf[i] = a * state.mttr_s[i] / (1.0 - a)
        else:
            cycle[i] = cycle[i] / m
    return dict(cycle_s=cycle, buffer_places=state.buffer_places, mtbf_s=mtbf, mttr_s=state.mttr_s,
                parallel=state.parallel, bypass_after_s=state.bypass_after_s, bypass_cycle_s=state.bypass_cycle_s,
                bypass_operators=state.bypass_operators, station_keys=state.station_keys)


def copy_seed(seed: int, copy: int) -> int:
    """The seed of copy ``copy`` of the plant, as :func:`cyclecore.simulate_plant` spawns it."""
    return int(np.random.SeedSequence(seed, spawn_key=(copy,)).generate_state(1)[0])


class WeekSimulator:
    """Simulated weeks of one ramp, remembering every simulated line (same arrays, calendar and
    seed: same figures), so weeks whose state does not change cost nothing."""

    def __init__(self, ramp, replications: int, seed: int, confidence: float):
        self.ramp = ramp
        self.replications = replications
        self.seed = seed
        self.confidence = confidence
        self._runs: dict = {}
        self.simulations = 0

    def _run(self, arrays: dict, calendar, seed: int) -> np.ndarray:
        key = (tuple((k, v.tobytes()) for k, v in arrays.items()), calendar, seed)
        found = self._runs.get(key)
        if found is None:
            window = horizon(calendar, 1.0)
            result = simulate_serial(**arrays, hours=window.hours, replications=self.replications, seed=seed,
                                     warmup_hours=window.warmup_hours, planned_downtime=window.planned_downtime)
            found = np.asarray(result.replication_throughput_per_hour) * window.hours_per_week
            self._runs[key] = found
            self.simulations += 1
        return found

    def week(self, schedule, week: int) -> tuple[float, float, float]:
        """Products in ``week`` of ``schedule``: mean and the ``confidence`` interval."""
        products = self.replications_of(schedule, week)
        lo, hi = mean_interval(products, self.confidence)
        return float(np.mean(products)), float(lo), float(hi)

    def replications_of(self, schedule, week: int) -> np.ndarray:
        """Products in ``week`` of ``schedule`` in each replication (the plant's sum of its copies)."""
        ramp = self.ramp
        figures = schedule.figures(week)
        pattern = figures.pattern
        totals = np.zeros(self.replications)
        existing = sum(d.copies for d in ramp.lines)
        first_new = existing
        copy = 0
        for d in ramp.lines:
            calendar = d.line.calendar.evolve(shifts_per_day=pattern.shifts_per_day,
                                              days_per_week=pattern.days_per_week)
            local = frozenset(j for j, g in enumerate(d.ids) if schedule.landing[g] <= week)
            state = d.state(local)
            mats = np.ones(len(d.ids))
            for j in state.applied:
                mats[j] = schedule.maturity(d.ids[j], week)
            arrays = learned_arrays(state, *d.station_maturity(state, mats))
            shift_hours = pattern.per_week * d.hours_per_shift
            kept = (shift_hours - schedule.lost_hours(d, week)) / shift_hours
            for _ in range(d.copies):
                totals += self._run(arrays, calendar, copy_seed(self.seed, copy)) * kept
                copy += 1
            if d.duplicate is not None and schedule.landing[d.duplicate] <= week:
                full = d.full()
                m = schedule.maturity(d.duplicate, week)
                ones = np.ones(len(full.stations))
                new = learned_arrays(full, ones * m, ones) if ramp.learning[d.duplicate].applies_to == "availability" \
                    else learned_arrays(full, ones, ones * m)
                for k in range(d.added):
                    totals += self._run(new, calendar, copy_seed(self.seed, first_new + k))
            first_new += d.added
        return totals * figures.staffing.share / ramp.units_per_product
