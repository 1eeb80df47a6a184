"""Constrained rebalancing with CP-SAT: real lines have zoning, fixed stations and tool limits.

The exact BB&R search knows only cycle time and precedence. Real stations add side constraints:

* ``together``: groups of tasks that must share a station (same fixture, same robot);
* ``apart``: pairs that must not share a station (weld and seal, incompatible tools);
* ``fixed``: ``{task: station}`` for tasks that cannot move (a station's dedicated equipment);
* ``tools``: ``{"tool": [tool id per task, or None], "max_per_station": k}``, at most k distinct
  tools on a station (tool changers hold only so many).

The model is the classic assignment one, x[j, s] = task j at station s, made strong in the ways
the integer-programming literature on SALBP recommends (e.g. Ritt & Costa 2018, "Improved integer
programming models for simple assembly line balancing and related problems", International
Transactions in Operational Research 25(4)): every task only gets variables inside its station
window from precedence (earliest from its head of predecessor work, latest from its tail), the
station count is bounded below by the bin-packing bounds, stations are used in order (symmetry
breaking), and the unconstrained priority-rule balance is given as a hint. ``strong=False`` builds the same model without any of
that — the textbook formulation the benchmark measures as the peer.

CP-SAT is only deterministic with a fixed number of workers: the solver runs with
``num_workers = 1``, ``random_seed = seed`` and a *deterministic* time limit
(``max_deterministic_time = time_limit``; the wall clock is only a far-off safety cap, see
:func:`cpsat_solver`, and :func:`clock_capped` tells when it fired). A solve that ends at its
limit without any balance raises :class:`~cyclecore.results.NoAnswerWithinLimit`.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from cyclecore.results import NoAnswerWithinLimit

from .bounds import cycle_lower_bound, station_lower_bound
from .integer_times import scaled_down
from .precedence import check_precedence
from .priority_rules import best_priority_balance, priority_cycle
from .problem import Balance, IntegerLine, integer_line


def _task(value, n: int, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= int(value) < n:
        raise ValueError(f"{where}: expected a task index in 0..{n - 1}, got {value!r}")
    return int(value)


def check_zoning(zoning, n: int) -> dict:
    """Validate ``zoning`` for n tasks; returns {'together', 'apart', 'fixed', 'tools', 'max_tools'}."""
    if not isinstance(zoning, dict):
        raise ValueError(f"zoning: expected a dict with keys together/apart/fixed/tools, got {type(zoning).__name__}")
    unknown = set(zoning) - {"together", "apart", "fixed", "tools"}
    if unknown:
        raise ValueError(f"zoning: unknown keys {sorted(unknown)}; expected together, apart, fixed, tools")
    together = []
    for g, group in enumerate(zoning.get("together") or []):
        try:
            members = [_task(v, n, f"zoning['together'][{g}]") for v in group]
        except TypeError as exc:
            raise ValueError(f"zoning['together'][{g}]: expected a list of task indices, got {group!r}") from exc
        together.append(sorted(set(members)))
    apart = []
    for p, pair in enumerate(zoning.get("apart") or []):
        if not hasattr(pair, "__len__") or len(pair) != 2:
            raise ValueError(f"zoning['apart'][{p}]: expected a pair (i, j), got {pair!r}")
        i, j = (_task(v, n, f"zoning['apart'][{p}]") for v in pair)
        if i == j:
            raise ValueError(f"zoning['apart'][{p}]: task {i} cannot be kept apart from itself")
        apart.append((i, j))
    fixed = {}
    for task, station in dict(zoning.get("fixed") or {}).items():
        j = _task(task, n, "zoning['fixed'] key")
        if isinstance(station, bool) or not isinstance(station, (int, np.integer)) or station < 0:
            raise ValueError(f"zoning['fixed'][{j}]: expected a station index >= 0, got {station!r}")
        fixed[j] = int(station)
    tools = None
    max_tools = None
    if zoning.get("tools") is not None:
        spec = zoning["tools"]
        if not isinstance(spec, dict) or "tool" not in spec or "max_per_station" not in spec:
            raise ValueError("zoning['tools']: expected {'tool': [tool id per task], 'max_per_station': k}")
        tool = list(spec["tool"])
        if len(tool) != n:
            raise ValueError(f"zoning['tools']['tool']: expected {n} entries (one per task), got {len(tool)}")
        k = spec["max_per_station"]
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise ValueError(f"zoning['tools']['max_per_station']: expected an integer >= 1, got {k!r}")
        tools, max_tools = tool, int(k)
    return {"together": together, "apart": apart, "fixed": fixed, "tools": tools, "max_tools": max_tools}


def _respects(station: np.ndarray, z: dict) -> bool:
    """Whether a balance already meets every zoning rule."""
    if any(len({int(station[j]) for j in g}) > 1 for g in z["together"]):
        return False
    if any(station[i] == station[j] for i, j in z["apart"]):
        return False
    if any(station[j] != s for j, s in z["fixed"].items()):
        return False
    if z["tools"] is not None:
        per: dict[int, set] = {}
        for j, tool in enumerate(z["tools"]):
            if tool is not None:
                per.setdefault(int(station[j]), set()).add(str(tool))
        if any(len(v) > z["max_tools"] for v in per.values()):
            return False
    return True


@dataclass(frozen=True)
class _Stations:
    """The stations of one zoned model and where each task may go (integer times).

    ``m`` stations; task j may go to stations ``lo[j]..hi[j]`` (precedence windows, or fixed);
    ``hint`` (n,) a balance to start from, or None; SALBP-1: ``cycle`` the integer cycle time and
    ``bound`` a lower bound on stations; SALBP-2: ``cycle`` None and ``bound`` a lower bound on the
    integer cycle time.
    """

    t: np.ndarray  # (n,) int64 task times, caller's order
    scale: int
    m: int
    lo: np.ndarray
    hi: np.ndarray
    hint: np.ndarray | None
    cycle: int | None
    bound: int


def solve_zoned(times: np.ndarray, precedence, *, cycle_time, stations, time_limit: float, zoning,
                seed: int = 0, strong: bool = True, deterministic: bool = True) -> Balance:
    """SALBP-1 (``cycle_time`` given) or SALBP-2 (``stations`` given) with side constraints.

    ``times`` (n,) seconds, validated; returns a :class:`~cyclecore.balancing.problem.Balance`.
    Raises ValueError when the zoning admits no balance at all (proven by the solver).
    ``deterministic=False`` limits wall-clock time only (for side-by-side timing with the peer).
    """
    n = times.shape[0]
    z = check_zoning(zoning if zoning is not None else {}, n)
    arcs = check_precedence(precedence, n)
    if cycle_time is not None:
        plan = _fewest_stations(integer_line(times, arcs, [cycle_time]), cycle_time, z, strong)
    else:
        plan = _shortest_cycle(integer_line(times, arcs), int(stations), z, strong)
    plan = _fixed(plan, z, strong)
    model, station = _assignment_model(plan, arcs, z, strong)
    solver = cpsat_solver(time_limit, seed, deterministic=deterministic)
    status = solver.Solve(model)
    if status == cp_model.INFEASIBLE:
        raise ValueError("zoning: no balance satisfies the cycle time, precedence and zoning together")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise NoAnswerWithinLimit(no_answer_text("no balance", time_limit, clock_capped(solver, status)))
    return dataclasses.replace(_balance(solver, status, station, plan, times, strong),
                               clock_capped=clock_capped(solver, status))


def _first_free_station(z: dict) -> int:
    """Stations the fixed tasks need: one past the highest station a task is fixed to."""
    return max(z["fixed"].values(), default=-1) + 1


def _fewest_stations(line: IntegerLine, cycle_time: float, z: dict, strong: bool) -> _Stations:
    """SALBP-1: as many stations as the priority-rule balance needs (or one per task when that
    balance breaks the zoning), each task between its earliest and latest station."""
    graph, n = line.graph, line.t.shape[0]
    if _first_free_station(z) > n:
        raise ValueError(f"zoning['fixed']: a task is fixed to station {_first_free_station(z) - 1}, but {n} "
                         f"tasks never need more than {n} stations (0..{n - 1})")
    c = scaled_down(cycle_time, line.scale)
    lb = station_lower_bound(line.t, c, line.head, line.tail)
    ub, flow = best_priority_balance(line.t, graph.arcs, graph.after, c)
    hint = line.to_user(flow)
    # side constraints may need more stations than the unconstrained balance; one task per
    # station always respects together/apart/tools, so n (or the fixed stations) suffices
    m = max(ub, _first_free_station(z)) if _respects(hint, z) else max(n, _first_free_station(z))
    if strong:
        head, tail = line.head[graph.rank], line.tail[graph.rank]  # back to the caller's order
        lo = np.maximum(0, -(-head // c) - 1)
        hi = m - (-(-tail // c))
    else:
        lo = np.zeros(n, dtype=np.int64)
        hi = np.full(n, m - 1, dtype=np.int64)
    return _Stations(line.t[graph.rank], line.scale, m, lo, hi, hint, c, lb)


def _shortest_cycle(line: IntegerLine, m: int, z: dict, strong: bool) -> _Stations:
    """SALBP-2: the m stations given, every task free to go to any of them."""
    if _first_free_station(z) > m:
        raise ValueError(f"zoning['fixed']: a task is fixed to station {_first_free_station(z) - 1}, "
                         f"but only {m} stations exist")
    graph, n = line.graph, line.t.shape[0]
    c_lb = cycle_lower_bound(line.t, m, line.head, line.tail)
    hint = None
    if strong:
        _, flow = priority_cycle(line.t, graph.arcs, graph.after, m, c_lb)
        hint = line.to_user(flow)
    return _Stations(line.t[graph.rank], line.scale, m, np.zeros(n, dtype=np.int64),
                     np.full(n, m - 1, dtype=np.int64), hint, None, c_lb)


def _fixed(plan: _Stations, z: dict, strong: bool) -> _Stations:
    """The windows with every fixed task pinned to its station; ValueError if one cannot be."""
    lo, hi = plan.lo.copy(), plan.hi.copy()
    for j, s in z["fixed"].items():
        if strong and not (lo[j] <= s <= hi[j]):
            raise ValueError(
                f"zoning['fixed'][{j}]: station {s} is outside the stations task {j} can reach "
                f"with its predecessors and successors ({lo[j]}..{hi[j]})"
            )
        lo[j] = hi[j] = s
    if np.any(lo > hi):
        j = int(np.flatnonzero(lo > hi)[0])
        raise ValueError(f"zoning: task {j} has no feasible station (window {lo[j]}..{hi[j]})")
    return dataclasses.replace(plan, lo=lo, hi=hi)


def _assignment_model(plan: _Stations, arcs: np.ndarray, z: dict, strong: bool):
    """x[j, s] = task j at station s inside its window, with precedence, cycle time, objective
    and zoning; returns (model, station variable of each task)."""
    n, m, t, lo, hi = plan.t.shape[0], plan.m, plan.t, plan.lo, plan.hi
    model = cp_model.CpModel()
    cycle = None
    if plan.cycle is None:
        cycle = model.NewIntVar(plan.bound if strong else int(t.max()), int(t.sum()), "cycle")
    x = {(j, s): model.NewBoolVar(f"x{j}_{s}") for j in range(n) for s in range(int(lo[j]), int(hi[j]) + 1)}
    station = [model.NewIntVar(int(lo[j]), int(hi[j]), f"s{j}") for j in range(n)]
    for j in range(n):
        model.AddExactlyOne(x[j, s] for s in range(lo[j], hi[j] + 1))
        model.Add(station[j] == sum(s * x[j, s] for s in range(lo[j], hi[j] + 1)))
    for i, j in arcs:
        model.Add(station[int(i)] <= station[int(j)])
    if cycle is None:
        _fewest_stations_objective(model, x, plan, z, strong)
    else:
        for s in range(m):
            members = [(j, x[j, s]) for j in range(n) if (j, s) in x]
            if members:
                model.Add(sum(int(t[j]) * v for j, v in members) <= cycle)
        model.Minimize(cycle)
    _zoning(model, x, station, z, n, m)
    if strong and plan.hint is not None:
        for j in range(n):
            model.AddHint(station[j], int(plan.hint[j]))
    return model, station


def _fewest_stations_objective(model, x, plan: _Stations, z: dict, strong: bool) -> None:
    """SALBP-1: a station is used when it holds work, at most the cycle time; minimise the used."""
    n, m, t = plan.t.shape[0], plan.m, plan.t
    used = [model.NewBoolVar(f"used{s}") for s in range(m)]
    for s in range(m):
        members = [(j, x[j, s]) for j in range(n) if (j, s) in x]
        if not members:
            model.Add(used[s] == 0)
            continue
        model.Add(sum(int(t[j]) * v for j, v in members) <= plan.cycle * used[s])
    if strong:
        for s in range(m - 1):
            model.AddImplication(used[s + 1], used[s])  # stations are filled in order
        model.Add(sum(used) >= max(plan.bound, _first_free_station(z)))
    model.Minimize(sum(used))


def _zoning(model, x, station, z: dict, n: int, m: int) -> None:
    """Together, apart and at most ``max_tools`` tool kinds per station."""
    for g in z["together"]:
        for j in g[1:]:
            model.Add(station[j] == station[g[0]])
    for i, j in z["apart"]:
        model.Add(station[i] != station[j])
    if z["tools"] is not None:
        kinds = sorted({str(v) for v in z["tools"] if v is not None})
        for s in range(m):
            holders = {kind: [x[j, s] for j in range(n) if (j, s) in x and z["tools"][j] is not None
                              and str(z["tools"][j]) == kind] for kind in kinds}
            limit_tools_per_station(model, s, holders, z["max_tools"])


def _balance(solver, status, station, plan: _Stations, times: np.ndarray, strong: bool) -> Balance:
    """The solver's balance, stations renumbered 0, 1, ... in flow order (SALBP-1)."""
    raw = np.array([solver.Value(v) for v in station], dtype=np.int64)
    proven = status == cp_model.OPTIMAL
    method = "CP-SAT" + ("" if strong else " (plain model)")
    if plan.cycle is None:
        # SALBP-2 keeps all m stations, empty ones included
        st = np.bincount(raw, weights=times, minlength=plan.m)
        obj = float(st.max())
        bound = obj if proven else float(math.ceil(solver.BestObjectiveBound() - 1e-9)) / plan.scale
        return Balance(raw, obj, bound, proven, method, st)
    kept, assigned = np.unique(raw, return_inverse=True)
    st = np.bincount(assigned, weights=times, minlength=len(kept))
    obj = int(len(kept))
    bound = obj if proven else int(max(plan.bound if strong else 1, math.ceil(solver.BestObjectiveBound() - 1e-9)))
    return Balance(assigned.astype(np.int64), obj, bound, proven, method, st)


# The wall clock only stops a deterministic solve that runs far slower than usual (a heavily
# loaded machine); it must never be the limit that binds, or the answer would depend on the load.
WALL_CLOCK_CAP = 10.0
# ... and never below this: the solver's fixed start (model copy, presolve) takes up to seconds on
# a busy machine whatever the limit (module-line's zone 2 at 0.5 s of effort took over 5 s of wall
# clock at load average 12 on the 2-core reference machine), so a small limit must still end on
# effort, not on the clock.
WALL_CLOCK_FLOOR_S = 10.0


def wall_clock_cap(time_limit: float) -> float:
    """Seconds of wall clock after which a search of ``time_limit`` s of effort is stopped."""
    return max(WALL_CLOCK_CAP * float(time_limit), WALL_CLOCK_FLOOR_S)


def cpsat_solver(time_limit: float, seed: int, *, deterministic: bool = True) -> cp_model.CpSolver:
    """A CP-SAT solver that gives the same answer on a busy or an idle machine.

    One worker and ``random_seed = seed``; ``time_limit`` is deterministic time (CP-SAT's
    machine-independent work unit, roughly seconds on an idle core), with the wall clock capped at
    ``WALL_CLOCK_CAP`` times it (at least ``WALL_CLOCK_FLOOR_S``) as a safety net.
    ``deterministic=False`` limits wall-clock seconds
    only (for side-by-side timing with a peer that has no deterministic limit).
    """
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # CP-SAT is deterministic only with a fixed worker count
    # CP-SAT's seed is a 32-bit field; every seed in [0, 2**63 - 1] maps onto it, the same way each run
    solver.parameters.random_seed = int(seed) % 2**31
    # Ctrl-C belongs to the user: CP-SAT would otherwise swallow it and end the solve as if its
    # time were up, and a long plan search would carry on and write its files
    solver.parameters.catch_sigint_signal = False
    if deterministic:
        solver.parameters.max_deterministic_time = float(time_limit)
        solver.parameters.max_time_in_seconds = wall_clock_cap(time_limit)
    else:
        solver.parameters.max_time_in_seconds = float(time_limit)
    return solver


def clock_capped(solver: cp_model.CpSolver, status) -> bool:
    """Whether the wall-clock safety cap, not the deterministic limit, ended a solve that proved
    nothing (then another run may end elsewhere)."""
    if status in (cp_model.OPTIMAL, cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        return False
    params = solver.parameters
    return solver.response_proto.deterministic_time < 0.999 * params.max_deterministic_time and (
        solver.wall_time >= 0.999 * params.max_time_in_seconds)


def no_answer_text(what: str, time_limit: float, capped: bool) -> str:
    """The message of a solve that ended at its limit with nothing to give."""
    if capped:
        return (f"{what} found before the wall-clock safety cap ({wall_clock_cap(time_limit):g} s for "
                f"time_limit = {time_limit:g} s) on a busy machine; try again, or with a larger time limit")
    return (f"{what} found within the search effort of time_limit = {time_limit:g} s; give a larger "
            "time limit (--time-limit)")


def limit_tools_per_station(model, station, holders: dict, max_tools: int) -> None:
    """At most ``max_tools`` tool kinds in ``station``: ``holders[kind]`` are the booleans
    "a task of that kind is placed here"; a kind counts once any of them is true."""
    flags = []
    for kind, variables in holders.items():
        if not variables:
            continue
        flag = model.NewBoolVar(f"tool{station}_{kind}")
        for v in variables:
            model.AddImplication(v, flag)
        flags.append(flag)
    if len(flags) > max_tools:
        model.Add(sum(flags) <= max_tools)
