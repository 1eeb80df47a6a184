"""Two-machine lines against exact Markov chains built here, for the simulator's own semantics.

Conventions (the mapping to the literature): B is the number of *places between* the machines;
each machine additionally holds the part it works on, so up to B + 1 parts are downstream of
machine 1 (B places plus machine 2). Blocking after service: machine 1 keeps a finished part
until one of those B + 1 positions frees. We solve the chain of *this* model exactly, and also
Gershwin's deterministic two-machine line ("Manufacturing Systems Engineering", 1994, sec. 3.2) in
his own conventions (machine states change first, then the buffer; machine 1 is blocked when
n = N, machine 2 starved when n = 0; only operational machines fail). The two are the same model
with N = B + 2: Gershwin's buffer level counts the B places and the parts inside both machines.

Discrete model (failures='geometric', deterministic cycle tau = 1 s for both machines): at the
start of each part a machine fails with probability p = tau/MTBF; a repair lasts G whole cycles,
G ~ Geometric(r = tau/MTTR) on {1, 2, ...}; then the part is processed in one cycle. State at
whole seconds: machine 1 in {working its last cycle, down, blocked}, n = parts in buffer + machine
2 in 0..B+1, machine 2 in {working, down} (idle when n = 0).

Continuous model (processing, failures and repairs exponential, operation-dependent): same state,
as a continuous-time chain.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from cyclecore.linesim import simulate_serial

W, D, BLK, IDLE = "W", "D", "B", "I"


def _stationary_dtmc(states, transitions):
    index = {s: k for k, s in enumerate(states)}
    P = np.zeros((len(states), len(states)))
    for s in states:
        for target, prob in transitions(s):
            P[index[s], index[target]] += prob
    assert np.allclose(P.sum(axis=1), 1.0)
    A = np.vstack([P.T - np.eye(len(states)), np.ones(len(states))])
    b = np.zeros(len(states) + 1)
    b[-1] = 1.0
    return np.linalg.lstsq(A, b, rcond=None)[0]


def geometric_two_machine_throughput(p1, r1, p2, r2, places):
    """Parts per cycle of the discrete two-machine line described in the module docstring."""
    capacity = places + 1
    states = [(m1, n, m2) for m1 in (W, D, BLK) for n in range(capacity + 1) for m2 in ((IDLE,) if n == 0 else (W, D))
              if m1 != BLK or n == capacity]

    def transitions(state):
        m1, n, m2 = state
        out = []
        # what each machine does during the cycle
        m2_options = [((W, "done"), 1.0)] if m2 == W else ([((W, None), r2), ((D, None), 1 - r2)] if m2 == D else [((IDLE, None), 1.0)])
        m1_options = [((W, "done"), 1.0)] if m1 == W else ([((W, None), r1), ((D, None), 1 - r1)] if m1 == D else [((BLK, "done"), 1.0)])
        for ((m2_next, m2_event), q2), ((m1_next, m1_event), q1) in itertools.product(m2_options, m1_options):
            count = n
            if m2_event == "done":
                count -= 1
                m2_next = IDLE
            branches = [((m1_next, count, m2_next), q1 * q2)]
            # at the cycle boundary: machine 1 hands its finished part on if a position is free
            if m1_event == "done":
                if count < capacity:
                    branches = [((W, count + 1, m2_next), q1 * q2 * (1 - p1)), ((D, count + 1, m2_next), q1 * q2 * p1)]
                else:
                    branches = [((BLK, count, m2_next), q1 * q2)]
            # machine 2, if empty, starts the next part (failure draw at the start)
            for (a, c, b), q in branches:
                if b == IDLE and c > 0:
                    out += [((a, c, W), q * (1 - p2)), ((a, c, D), q * p2)]
                else:
                    out.append(((a, c, b), q))
        return out

    pi = _stationary_dtmc(states, transitions)
    return sum(prob for prob, s in zip(pi, states) if s[2] == W)


def exponential_two_machine_throughput(mu1, lam1, rho1, mu2, lam2, rho2, places):
    """Parts per second of the continuous two-machine line (rates in 1/s)."""
    capacity = places + 1
    states = [(m1, n, m2) for m1 in (W, D, BLK) for n in range(capacity + 1) for m2 in ((IDLE,) if n == 0 else (W, D))
              if m1 != BLK or n == capacity]
    index = {s: k for k, s in enumerate(states)}
    Q = np.zeros((len(states), len(states)))

    def add(src, dst, rate):
        Q[index[src], index[dst]] += rate

    for s in states:
        m1, n, m2 = s
        if m1 == W:
            if n < capacity:
                add(s, (W, n + 1, W if n == 0 else m2), mu1)
            else:
                add(s, (BLK, n, m2), mu1)
            add(s, (D, n, m2), lam1)
        elif m1 == D:
            add(s, (W, n, m2), rho1)
        if m2 == W:
            if m1 == BLK:
                add(s, (W, n, W), mu2)  # a part leaves, the blocked one moves in
            else:
                add(s, (m1, n - 1, W if n > 1 else IDLE), mu2)
            add(s, (m1, n, D), lam2)
        elif m2 == D:
            add(s, (m1, n, W), rho2)
    Q -= np.diag(Q.sum(axis=1))
    A = np.vstack([Q.T, np.ones(len(states))])
    b = np.zeros(len(states) + 1)
    b[-1] = 1.0
    pi = np.linalg.lstsq(A, b, rcond=None)[0]
    return mu2 * sum(prob for prob, s in zip(pi, states) if s[2] == W)


def gershwin_two_machine_throughput(p1, r1, p2, r2, capacity):
    """Parts per cycle of Gershwin's deterministic two-machine line with buffer size N = capacity."""
    states = [(n, a1, a2) for n in range(capacity + 1) for a1 in (0, 1) for a2 in (0, 1)]
    flows = {}

    def transitions(state):
        n, a1, a2 = state
        up1 = [(1, 1.0)] if n == capacity else [(1, 1 - p1), (0, p1)]  # blocked machines cannot fail
        up2 = [(1, 1.0)] if n == 0 else [(1, 1 - p2), (0, p2)]  # starved machines cannot fail
        m1 = up1 if a1 == 1 else [(1, r1), (0, 1 - r1)]
        m2 = up2 if a2 == 1 else [(1, r2), (0, 1 - r2)]
        out = []
        for (b1, q1), (b2, q2) in itertools.product(m1, m2):
            produced = b2 == 1 and n > 0
            level = n + (b1 == 1 and n < capacity) - produced
            out.append(((level, b1, b2), q1 * q2))
            flows[state] = flows.get(state, 0.0) + (q1 * q2 if produced else 0.0)
        return out

    pi = _stationary_dtmc(states, transitions)
    return sum(prob * flows[s] for prob, s in zip(pi, states))


def test_markov_chains_reduce_to_known_cases():
    # no failures, deterministic: one part per cycle; exponential tandem with no failures and B = 0:
    # known result 1 / (1/mu1 + 1/mu2 - 1/(mu1 + mu2)) for two machines, blocking, no buffer
    assert geometric_two_machine_throughput(0.0, 1.0, 0.0, 1.0, 0) == pytest.approx(1.0)
    mu1, mu2 = 1.0, 1.5
    expected = 1.0 / (1 / mu1 + 1 / mu2 - 1 / (mu1 + mu2))
    assert exponential_two_machine_throughput(mu1, 0.0, 1.0, mu2, 0.0, 1.0, 0) == pytest.approx(expected)
    # a single machine with failures: efficiency r / (r + p)
    assert geometric_two_machine_throughput(0.1, 0.3, 0.0, 1.0, 50) == pytest.approx(0.3 / 0.4, rel=1e-3)


GEOMETRIC_CASES = [
    # p1, r1, p2, r2, B   (equal efficiencies in the first three)
    (0.01, 0.1, 0.01, 0.1, 0),
    (0.01, 0.1, 0.01, 0.1, 5),
    (0.02, 0.2, 0.01, 0.1, 3),
    (0.005, 0.05, 0.02, 0.1, 10),
    (0.05, 0.3, 0.01, 0.05, 2),
    (0.002, 0.01, 0.004, 0.04, 20),
]


@pytest.mark.parametrize("p1, r1, p2, r2, places", GEOMETRIC_CASES)
def test_our_discrete_model_is_gershwins_with_two_more_buffer_positions(p1, r1, p2, r2, places):
    ours = geometric_two_machine_throughput(p1, r1, p2, r2, places)
    assert gershwin_two_machine_throughput(p1, r1, p2, r2, places + 2) == pytest.approx(ours, rel=1e-9)
    assert gershwin_two_machine_throughput(p1, r1, p2, r2, places + 1) != pytest.approx(ours, rel=1e-4)


@pytest.mark.parametrize("p1, r1, p2, r2, places", GEOMETRIC_CASES)
def test_two_machine_geometric_line_matches_exact_throughput(p1, r1, p2, r2, places):
    exact = geometric_two_machine_throughput(p1, r1, p2, r2, places) * 3600.0
    result = simulate_serial([1.0, 1.0], [places], [1 / p1, 1 / p2], [1 / r1, 1 / r2], hours=100, replications=10,
                             seed=11, failures="geometric", warmup_hours=2)
    low, high = result.ci99_per_hour
    assert low <= exact <= high, (exact, result.ci99_per_hour)
    assert high - low < 0.03 * exact  # the interval is tight enough to mean something


EXPONENTIAL_CASES = [
    # cycle1, cycle2, mtbf1, mttr1, mtbf2, mttr2, B
    (1.0, 1.0, 100.0, 10.0, 100.0, 10.0, 0),
    (1.0, 1.1, 50.0, 5.0, 80.0, 12.0, 3),
    (1.2, 1.0, 200.0, 30.0, 60.0, 6.0, 8),
    (1.0, 1.0, 30.0, 3.0, 30.0, 3.0, 1),
]


@pytest.mark.parametrize("c1, c2, f1, r1, f2, r2, places", EXPONENTIAL_CASES)
def test_two_machine_exponential_line_matches_exact_ctmc(c1, c2, f1, r1, f2, r2, places):
    exact = exponential_two_machine_throughput(1 / c1, 1 / f1, 1 / r1, 1 / c2, 1 / f2, 1 / r2, places) * 3600.0
    result = simulate_serial([c1, c2], [places], [f1, f2], [r1, r2], hours=40, replications=10, seed=5,
                             processing="exponential", failures="exponential", warmup_hours=2)
    low, high = result.ci99_per_hour
    assert low <= exact <= high, (exact, result.ci99_per_hour)
    assert high - low < 0.03 * exact


def time_clock_two_machine_throughput(mu1, lam1, rho1, mu2, lam2, rho2, places):
    """Parts per second of the continuous two-machine line with *time-dependent* failures.

    A machine fails at rate lambda in any state but repair: machine 1 also while blocked (it then
    keeps its finished part until repaired), machine 2 also while empty (it then cannot take a
    part). State: machine 1 in {W working, D down with an unfinished part, B blocked, E down
    holding a finished part}, q parts on the B places, machine 2 in {W working, D down with a
    part, I empty and up, J empty and down}. Parts move at once whenever they can.
    """
    def settle(m1, q, m2):
        moved = True
        while moved:
            moved = False
            if m2 == "I" and q > 0:
                m2, q, moved = "W", q - 1, True
            if m1 == "B" and (q < places or m2 == "I"):
                if m2 == "I" and q == 0:
                    m2 = "W"
                else:
                    q += 1
                m1, moved = "W", True
        return m1, q, m2

    states = sorted({settle(a, q, b) for a in "WDBE" for q in range(places + 1) for b in "WDIJ"})
    index = {s: k for k, s in enumerate(states)}
    Q = np.zeros((len(states), len(states)))

    def add(src, dst, rate):
        if rate > 0:
            Q[index[src], index[settle(*dst)]] += rate

    for s in states:
        m1, q, m2 = s
        if m1 == "W":
            add(s, ("B", q, m2), mu1)
            add(s, ("D", q, m2), lam1)
        elif m1 == "D":
            add(s, ("W", q, m2), rho1)
        elif m1 == "B":
            add(s, ("E", q, m2), lam1)
        else:
            add(s, ("B", q, m2), rho1)
        if m2 == "W":
            add(s, (m1, q, "I"), mu2)
            add(s, (m1, q, "D"), lam2)
        elif m2 == "D":
            add(s, (m1, q, "W"), rho2)
        elif m2 == "I":
            add(s, (m1, q, "J"), lam2)
        else:
            add(s, (m1, q, "I"), rho2)
    Q -= np.diag(Q.sum(axis=1))
    A = np.vstack([Q.T, np.ones(len(states))])
    b = np.zeros(len(states) + 1)
    b[-1] = 1.0
    pi = np.linalg.lstsq(A, b, rcond=None)[0]
    return mu2 * sum(prob for prob, s in zip(pi, states) if s[2] == "W")


def test_time_clock_chain_without_failures_is_the_busy_clock_chain():
    assert time_clock_two_machine_throughput(1.0, 0.0, 1.0, 1.5, 0.0, 1.0, 2) == pytest.approx(
        exponential_two_machine_throughput(1.0, 0.0, 1.0, 1.5, 0.0, 1.0, 2))


TIME_CLOCK_CASES = [
    # cycle1, cycle2, mtbf1, mttr1, mtbf2, mttr2, B   (idle and blocked machines fail too)
    (1.0, 1.0, 40.0, 4.0, 40.0, 4.0, 0),
    (1.0, 1.5, 30.0, 5.0, 60.0, 6.0, 2),
    (1.5, 1.0, 50.0, 10.0, 20.0, 3.0, 4),
]


@pytest.mark.parametrize("case", range(len(TIME_CLOCK_CASES)))
def test_two_machine_line_with_time_dependent_failures_matches_exact_ctmc(case):
    c1, c2, f1, r1, f2, r2, places = TIME_CLOCK_CASES[case]
    exact = time_clock_two_machine_throughput(1 / c1, 1 / f1, 1 / r1, 1 / c2, 1 / f2, 1 / r2, places) * 3600.0
    busy = exponential_two_machine_throughput(1 / c1, 1 / f1, 1 / r1, 1 / c2, 1 / f2, 1 / r2, places) * 3600.0
    assert exact < busy  # failing while waiting costs output
    # one seed per case: with common random numbers a shared seed would give every case the same luck
    result = simulate_serial([c1, c2], [places], [f1, f2], [r1, r2], hours=100, replications=10, seed=2000 + case,
                             processing="exponential", failure_clock="time", warmup_hours=2)
    assert result.kernel == "event-loop"
    low, high = result.ci99_per_hour
    assert low <= exact <= high, (exact, busy, result.ci99_per_hour)


def parallel_bypass_line_throughput(mu1, lam1, rho1, manual1, mu2, lam2, rho2, machines2, places):
    """Parts per second of a two-station line, everything exponential, busy-clock failures, where
    station 1 (one machine) goes manual at rate ``manual1`` *as soon as* it fails (bypass after 0 s;
    None = no bypass) and station 2 has ``machines2`` identical machines.

    State: station 1 in {W working, D down, B blocked} x {auto, manual} (manual = under repair but
    working by hand), q parts on the places, w and d = machines of station 2 working and down
    (the others are empty).
    """
    def settle(m1, mode, q, w, d):
        moved = True
        while moved:
            moved = False
            if w + d < machines2 and q > 0:
                q, w, moved = q - 1, w + 1, True
            if m1 == "B" and (q < places or w + d < machines2):
                if w + d < machines2 and q == 0:
                    w += 1
                else:
                    q += 1
                m1, moved = "W", True
        return m1, mode, q, w, d

    states = sorted({settle(a, mode, q, w, d) for a in "WDB" for mode in "am" for q in range(places + 1)
                     for w in range(machines2 + 1) for d in range(machines2 + 1 - w)
                     if not (a == "D" and mode == "m") and not (manual1 is None and mode == "m")})
    index = {s: k for k, s in enumerate(states)}
    Q = np.zeros((len(states), len(states)))

    def add(src, dst, rate):
        if rate > 0:
            Q[index[src], index[settle(*dst)]] += rate

    for s in states:
        m1, mode, q, w, d = s
        if m1 == "W" and mode == "a":
            add(s, ("B", "a", q, w, d), mu1)
            add(s, ("W", "m", q, w, d) if manual1 is not None else ("D", "a", q, w, d), lam1)
        elif m1 == "W":  # working by hand while the repair goes on
            add(s, ("B", "m", q, w, d), manual1)
            add(s, ("W", "a", q, w, d), rho1)
        elif m1 == "D":
            add(s, ("W", "a", q, w, d), rho1)
        elif mode == "m":  # blocked while under repair: the repair still ends
            add(s, ("B", "a", q, w, d), rho1)
        add(s, (m1, mode, q, w - 1, d), w * mu2)
        add(s, (m1, mode, q, w - 1, d + 1), w * lam2)
        add(s, (m1, mode, q, w + 1, d - 1), d * rho2)
    Q -= np.diag(Q.sum(axis=1))
    A = np.vstack([Q.T, np.ones(len(states))])
    b = np.zeros(len(states) + 1)
    b[-1] = 1.0
    pi = np.linalg.lstsq(A, b, rcond=None)[0]
    return mu2 * sum(prob * s[3] for prob, s in zip(pi, states))


def test_parallel_bypass_chain_reduces_to_the_two_machine_chain():
    args = (1.0, 1 / 50.0, 1 / 5.0, None, 1 / 1.1, 1 / 80.0, 1 / 12.0, 1, 3)
    assert parallel_bypass_line_throughput(*args) == pytest.approx(
        exponential_two_machine_throughput(1.0, 1 / 50.0, 1 / 5.0, 1 / 1.1, 1 / 80.0, 1 / 12.0, 3))


PARALLEL_BYPASS_CASES = [
    # cycle1, mtbf1, mttr1, manual cycle1 (None: no bypass), cycle2, mtbf2, mttr2, machines2, B
    (1.0, 40.0, 10.0, None, 1.8, 60.0, 6.0, 2, 2),
    (1.0, 40.0, 10.0, None, 2.5, 30.0, 5.0, 3, 0),
    (1.0, 30.0, 15.0, 3.0, 1.1, 80.0, 8.0, 1, 3),
    (1.2, 20.0, 20.0, 2.0, 2.0, 50.0, 5.0, 2, 1),
]


@pytest.mark.parametrize("case", range(len(PARALLEL_BYPASS_CASES)))
def test_line_with_parallel_machines_and_bypass_matches_exact_ctmc(case):
    c1, f1, r1, m1, c2, f2, r2, machines, places = PARALLEL_BYPASS_CASES[case]
    exact = parallel_bypass_line_throughput(1 / c1, 1 / f1, 1 / r1, None if m1 is None else 1 / m1, 1 / c2, 1 / f2,
                                            1 / r2, machines, places) * 3600.0
    bypass = dict(bypass_after_s=[0.0, np.nan], bypass_cycle_s=[m1, np.nan], bypass_operators=[1, 0]) if m1 else {}
    # one seed per case: with common random numbers a shared seed would give every case the same luck
    result = simulate_serial([c1, c2], [places], [f1, f2], [r1, r2], hours=200, replications=10, seed=1000 + case,
                             processing="exponential", parallel=[1, machines], warmup_hours=2, **bypass)
    assert result.kernel == "event-loop"
    low, high = result.ci99_per_hour
    assert low <= exact <= high, (exact, result.ci99_per_hour)
