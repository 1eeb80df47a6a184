"""Robot motion times: exact jerk-limited PTP and linear moves, and arm kinematics.

A robot's cycle is mostly moves between taught configurations. Every move here is rest to rest
(the robot stops at each task), and for rest-to-rest moves the time-optimal jerk-limited profile
has a closed form: each axis needs a minimum time for its own distance under its speed,
acceleration and jerk limits, and a synchronized move lasts exactly as long as its slowest axis
(the other axes are stretched to that duration and so stay within their limits). The durations
agree with Ruckig to ~1e-15 relative; they are computed in the C++ kernel ``cyclecore._core``,
millions of moves per second.

Speed override ``s`` (0 < s <= 1, as on a teach pendant) is pure time scaling: the robot runs the
same path with velocity x s, acceleration x s**2 and jerk x s**3, so every duration divides by s
exactly.

Units are SI throughout: rad, rad/s, rad/s**2, rad/s**3 for joints; m, m/s, ... for the tool;
seconds for time. ``jmax = inf`` gives acceleration-limited (trapezoidal velocity) profiles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cyclecore import _core
from cyclecore.results import Result

__all__ = [
    "ptp_duration",
    "move_time_matrix",
    "route_totals",
    "RouteTotals",
    "sample_ptp",
    "PTPSamples",
    "linear_move_duration",
    "linear_move_extent",
    "OPWKinematics",
]


# --- input checks (the kernel trusts what passes them) ------------------------------------------


def _float_array(name: str, value: Any) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expected an array of numbers, got {value!r:.60}") from exc
    return arr


def _finite(name: str, arr: np.ndarray) -> None:
    if not np.isfinite(arr).all():
        raise ValueError(f"{name}: every value must be finite (got NaN or inf)")


def _speed_override(value: Any) -> float:
    try:
        s = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"speed_override: expected a number in (0, 1], got {value!r}") from exc
    if not (0.0 < s <= 1.0):
        raise ValueError(f"speed_override: expected a number in (0, 1], got {value!r}")
    return s


def _limit(name: str, value: Any, dof: int, n: int | None, allow_inf: bool) -> np.ndarray:
    """A joint limit as (dof,) or, when n is given, (dof,) or (n, dof); positive, not NaN."""
    arr = _float_array(name, value)
    shapes = f"({dof},)" if n is None else f"({dof},) or ({n}, {dof})"
    if not (arr.shape == (dof,) or (n is not None and arr.shape == (n, dof))):
        raise ValueError(f"{name}: expected shape {shapes}, got {arr.shape}")
    if np.isnan(arr).any():
        raise ValueError(f"{name}: limits must not be NaN")
    if (arr <= 0).any():
        raise ValueError(f"{name}: limits must be > 0, got {float(arr.min())!r}")
    if not allow_inf and np.isinf(arr).any():
        raise ValueError(f"{name}: limits must be finite")
    return arr


def _joint_limits(vmax, amax, jmax, dof: int, n: int | None):
    """(n_sets, dof) contiguous limit blocks, n_sets = 1 or n, all three the same shape."""
    v = _limit("vmax", vmax, dof, n, allow_inf=False)
    a = _limit("amax", amax, dof, n, allow_inf=False)
    j = _limit("jmax", jmax, dof, n, allow_inf=True)
    rows = max(x.shape[0] if x.ndim == 2 else 1 for x in (v, a, j))
    return tuple(np.ascontiguousarray(np.broadcast_to(x, (rows, dof))) for x in (v, a, j))


def _configs(name: str, value: Any) -> np.ndarray:
    arr = _float_array(name, value)
    if arr.ndim != 2 or arr.shape[1] == 0:
        raise ValueError(f"{name}: expected shape (n, dof), got {arr.shape}")
    _finite(name, arr)
    return np.ascontiguousarray(arr)


# --- PTP moves ----------------------------------------------------------------------------------


def ptp_duration(q0, q1, vmax, amax, jmax, speed_override: float = 1.0):
    """Duration (s) of synchronized, time-optimal, rest-to-rest PTP moves from q0 to q1.

    q0, q1: joint values, rad, shape (n, dof) or (dof,) (a (dof,) side is used for every move).
    vmax, amax, jmax: joint limits, rad/s, rad/s², rad/s³, each (dof,) or (n, dof); jmax may be
    ``inf`` (trapezoidal profile). speed_override in (0, 1]: duration / speed_override.
    Returns (n,) seconds, or a float when both q0 and q1 are (dof,).
    """
    a0 = _float_array("q0", q0)
    a1 = _float_array("q1", q1)
    if a0.ndim not in (1, 2) or a1.ndim not in (1, 2):
        raise ValueError(f"q0, q1: expected shape (n, dof) or (dof,), got {a0.shape} and {a1.shape}")
    if a0.shape[-1] != a1.shape[-1] or (a0.ndim == a1.ndim == 2 and a0.shape != a1.shape):
        raise ValueError(f"q0, q1: shapes {a0.shape} and {a1.shape} do not match")
    dof = a0.shape[-1]
    if dof == 0:
        raise ValueError("q0, q1: need at least one axis")
    single = a0.ndim == 1 and a1.ndim == 1
    n = max(a0.shape[0] if a0.ndim == 2 else 1, a1.shape[0] if a1.ndim == 2 else 1)
    s = _speed_override(speed_override)
    v, a, j = _joint_limits(vmax, amax, jmax, dof, n)
    if a0.ndim == 1:
        a0 = np.broadcast_to(a0, (n, dof))
    if a1.ndim == 1:
        a1 = np.broadcast_to(a1, (n, dof))
    out = _core.ptp_durations(np.ascontiguousarray(a0), np.ascontiguousarray(a1), v, a, j, s)
    if np.isnan(out).any():  # the kernel marks moves with a non-finite joint value
        _finite("q0", a0)
        _finite("q1", a1)
    return float(out[0]) if single else out


def move_time_matrix(configs, vmax, amax, jmax, speed_override: float = 1.0) -> np.ndarray:
    """PTP durations (s) between every pair of configurations: (n, n), zero diagonal, symmetric.

    configs: (n, dof) rad; limits (dof,) rad/s, rad/s², rad/s³ (jmax may be inf);
    speed_override in (0, 1] divides every entry.
    """
    c = _configs("configs", configs)
    s = _speed_override(speed_override)
    v, a, j = _joint_limits(vmax, amax, jmax, c.shape[1], None)
    return _core.move_time_matrix(c, v, a, j, s)


@dataclass(frozen=True)
class RouteTotals(Result):
    """Totals of m routes, each an array of shape (m,).

    time_s: sum of the PTP move durations (s); joint_path_rad: sum of joint-space distances
    ||Δq||₂ (rad); tcp_path_m: sum of straight TCP distances ||Δp||₂ between the visited
    positions (m; 0 when no TCP positions were given).
    """

    time_s: np.ndarray
    joint_path_rad: np.ndarray
    tcp_path_m: np.ndarray


def route_totals(configs, routes, vmax, amax, jmax, speed_override: float = 1.0,
                 tcp_positions=None) -> RouteTotals:
    """Time and path lengths of m routes through the configurations, in one call.

    configs: (n, dof) rad. routes: (m, L) integer indices into configs, each row the explicit
    visiting order (e.g. [home, t3, t1, home]), padded at the end with -1; a row with fewer than
    two indices has zero totals. Limits (dof,) as in :func:`ptp_duration`. tcp_positions:
    optional (n, 3) TCP positions (m) of the configurations.
    """
    c = _configs("configs", configs)
    n, dof = c.shape
    try:
        r = np.asarray(routes)
    except ValueError as exc:  # ragged nested lists
        raise ValueError("routes: expected a rectangular (m, L) integer array padded with -1") from exc
    if r.ndim == 1:
        r = r[None, :]
    if r.ndim != 2:
        raise ValueError(f"routes: expected shape (m, L), got {r.shape}")
    if r.size and not np.issubdtype(r.dtype, np.integer):
        raise ValueError(f"routes: expected integer indices, got dtype {r.dtype}")
    r = np.ascontiguousarray(r, dtype=np.int64)
    if r.size:
        if r.min() < -1 or r.max() >= n:
            raise ValueError(f"routes: indices must be in [0, {n - 1}] or -1 (padding)")
        padding = r < 0
        # Padding only at the end of a row: once -1, always -1.
        if (np.logical_or.accumulate(padding, axis=1) != padding).any():
            raise ValueError("routes: -1 padding is allowed only at the end of a row")
    s = _speed_override(speed_override)
    v, a, j = _joint_limits(vmax, amax, jmax, dof, None)
    p = None
    if tcp_positions is not None:
        p = _float_array("tcp_positions", tcp_positions)
        if p.shape != (n, 3):
            raise ValueError(f"tcp_positions: expected shape ({n}, 3), got {p.shape}")
        _finite("tcp_positions", p)
        p = np.ascontiguousarray(p)
    time_s, joint_path, tcp_path = _core.route_totals(c, r, v, a, j, s, p)
    return RouteTotals(time_s, joint_path, tcp_path)


@dataclass(frozen=True)
class PTPSamples(Result):
    """A sampled PTP move: position (rad), velocity (rad/s), acceleration (rad/s²) and jerk
    (rad/s³), each (k, dof) at the requested times, and the move duration (s)."""

    position: np.ndarray
    velocity: np.ndarray
    acceleration: np.ndarray
    jerk: np.ndarray
    duration: float


def sample_ptp(q0, q1, vmax, amax, jmax, times, speed_override: float = 1.0) -> PTPSamples:
    """Joint trajectory of one synchronized PTP move, sampled at the given times.

    q0, q1: (dof,) rad; limits (dof,); times: (k,) s from the start of the move (before 0 the
    robot is at q0, from the duration on exactly at q1). Every axis starts and ends with the
    move; axes faster than the slowest one run their time-optimal profile slowed down to the
    move duration. For a trapezoid (jmax = inf) the jerk is reported as 0 (it is a Dirac
    impulse at the switching instants).
    """
    a0 = _float_array("q0", q0)
    a1 = _float_array("q1", q1)
    if a0.ndim != 1 or a0.shape != a1.shape or a0.size == 0:
        raise ValueError(f"q0, q1: expected two (dof,) arrays, got {a0.shape} and {a1.shape}")
    _finite("q0", a0)
    _finite("q1", a1)
    t = _float_array("times", times)
    if t.ndim != 1:
        raise ValueError(f"times: expected shape (k,), got {t.shape}")
    _finite("times", t)
    s = _speed_override(speed_override)
    v, a, j = _joint_limits(vmax, amax, jmax, a0.size, None)
    pos, vel, acc, jerk, duration = _core.sample_ptp(a0, a1, v, a, j, np.ascontiguousarray(t), s)
    return PTPSamples(pos, vel, acc, jerk, float(duration))


# --- linear (LIN) moves -------------------------------------------------------------------------


def _poses(name: str, value: Any) -> np.ndarray:
    arr = _float_array(name, value)
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim != 3 or arr.shape[1:] != (4, 4):
        raise ValueError(f"{name}: expected shape (n, 4, 4) or (4, 4), got {arr.shape}")
    _finite(name, arr)
    if not np.array_equal(arr[:, 3, :], np.broadcast_to([0.0, 0.0, 0.0, 1.0], (arr.shape[0], 4))):
        raise ValueError(f"{name}: the last row of a homogeneous pose must be [0, 0, 0, 1]")
    rot = arr[:, :3, :3]
    gram = np.einsum("nki,nkj->nij", rot, rot)
    if not np.allclose(gram, np.eye(3), atol=1e-6) or (np.linalg.det(rot) <= 0).any():
        raise ValueError(f"{name}: the upper-left 3x3 block must be a rotation matrix")
    return np.ascontiguousarray(arr)


def _positive(name: str, value: Any, allow_inf: bool = False) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expected a number > 0, got {value!r}") from exc
    if np.isnan(x) or x <= 0 or (np.isinf(x) and not allow_inf):
        kind = "a number > 0" if allow_inf else "a finite number > 0"
        raise ValueError(f"{name}: expected {kind}, got {value!r}")
    return x


def _pose_pairs(start_poses, end_poses):
    p0 = _poses("start_poses", start_poses)
    p1 = _poses("end_poses", end_poses)
    if p0.shape != p1.shape:
        raise ValueError(f"start_poses, end_poses: shapes {p0.shape} and {p1.shape} do not match")
    return p0, p1


def linear_move_extent(start_poses, end_poses) -> tuple[np.ndarray, np.ndarray]:
    """Path length (m) of the straight TCP segment and reorientation angle (rad, in [0, π]) of
    linear moves between homogeneous poses (n, 4, 4) (or (4, 4)); returns two (n,) arrays."""
    p0, p1 = _pose_pairs(start_poses, end_poses)
    out = _core.linear_path_lengths(p0, p1)
    return out[:, 0].copy(), out[:, 1].copy()


def linear_move_duration(start_poses, end_poses, v_max, a_max, j_max, w_max, dw_max, ddw_max,
                         speed_override: float = 1.0) -> np.ndarray:
    """Duration (s) of rest-to-rest Cartesian linear moves between poses.

    start_poses, end_poses: (n, 4, 4) homogeneous poses (m). The TCP follows the straight
    segment under v_max (m/s), a_max (m/s²), j_max (m/s³, may be inf); the orientation turns
    about the fixed axis of the relative rotation under w_max (rad/s), dw_max (rad/s²),
    ddw_max (rad/s³, may be inf). The move lasts the longer of the two minimum times (the other
    motion is slowed down to match), divided by speed_override in (0, 1]. Returns (n,).
    """
    p0, p1 = _pose_pairs(start_poses, end_poses)
    limits = [
        _positive("v_max", v_max), _positive("a_max", a_max), _positive("j_max", j_max, True),
        _positive("w_max", w_max), _positive("dw_max", dw_max),
        _positive("ddw_max", ddw_max, True),
    ]
    s = _speed_override(speed_override)
    return _core.linear_move_durations(p0, p1, *limits, s)


# --- arm kinematics -----------------------------------------------------------------------------


class OPWKinematics:
    """Forward and inverse kinematics of an ortho-parallel 6R arm with a spherical wrist.

    Geometry a1, a2, b, c1, c2, c3, c4 in m (Brandstötter, Angerer, Hofbaur 2014); joint values
    in the controller's convention q (rad), related to the model's angles by
    θ[i] = signs[i]·q[i] − offsets_rad[i]. joint_min_rad/joint_max_rad (6,) bound q and may span
    more than one turn (then q ± 2π variants are used). Poses are (4, 4) homogeneous flange
    poses in the robot base frame (m). Immutable.
    """

    __slots__ = ("_robot", "_geometry", "_offsets", "_signs", "_jmin", "_jmax")

    def __init__(self, a1, a2, b, c1, c2, c3, c4, offsets_rad, signs, joint_min_rad,
                 joint_max_rad):
        geometry = np.array([a1, a2, b, c1, c2, c3, c4], dtype=np.float64)
        _finite("a1..c4", geometry)
        if geometry[4] <= 0 or geometry[5] == 0 and geometry[1] == 0:
            raise ValueError("c2 must be > 0 and (a2, c3) must not both be 0")
        six = {}
        for name, value in (("offsets_rad", offsets_rad), ("signs", signs),
                            ("joint_min_rad", joint_min_rad), ("joint_max_rad", joint_max_rad)):
            arr = _float_array(name, value)
            if arr.shape != (6,):
                raise ValueError(f"{name}: expected shape (6,), got {arr.shape}")
            _finite(name, arr)
            six[name] = np.ascontiguousarray(arr)
        if not np.isin(six["signs"], (-1.0, 1.0)).all():
            raise ValueError(f"signs: every entry must be +1 or -1, got {six['signs'].tolist()}")
        if (six["joint_min_rad"] >= six["joint_max_rad"]).any():
            raise ValueError("joint_min_rad, joint_max_rad: every minimum must be below its maximum")
        self._geometry = geometry
        self._offsets = six["offsets_rad"]
        self._signs = six["signs"]
        self._jmin = six["joint_min_rad"]
        self._jmax = six["joint_max_rad"]
        for arr in (self._geometry, self._offsets, self._signs, self._jmin, self._jmax):
            arr.setflags(write=False)
        self._robot = _core.OpwRobot(geometry, self._offsets, self._signs, self._jmin, self._jmax)

    def __setattr__(self, name, value):
        if hasattr(self, "_robot"):
            raise AttributeError("OPWKinematics is immutable")
        object.__setattr__(self, name, value)

    @classmethod
    def from_model_dict(cls, d: dict) -> OPWKinematics:
        """From one entry of cyclecore/data/robot_models.yaml (degrees there, rad here)."""
        try:
            k = d["kinematics"]
            if k.get("type", "opw") != "opw":
                raise ValueError(f"kinematics.type: expected 'opw', got {k.get('type')!r}")
            return cls(k["a1"], k["a2"], k["b"], k["c1"], k["c2"], k["c3"], k["c4"],
                       np.radians(k["offsets_deg"]), k["signs"],
                       np.radians(d["joint_min_deg"]), np.radians(d["joint_max_deg"]))
        except KeyError as exc:
            raise ValueError(f"robot model: missing field {exc.args[0]!r}") from None

    @property
    def joint_min(self) -> np.ndarray:
        """Lower joint limits, rad (6,)."""
        return self._jmin

    @property
    def joint_max(self) -> np.ndarray:
        """Upper joint limits, rad (6,)."""
        return self._jmax

    def forward(self, q) -> np.ndarray:
        """Flange pose(s) for joint values q (n, 6) or (6,) rad -> (n, 4, 4) or (4, 4)."""
        arr = _float_array("q", q)
        if arr.shape[-1:] != (6,) or arr.ndim not in (1, 2):
            raise ValueError(f"q: expected shape (n, 6) or (6,), got {arr.shape}")
        _finite("q", arr)
        out = _core.opw_forward(self._robot, np.ascontiguousarray(arr.reshape(-1, 6)))
        return out[0] if arr.ndim == 1 else out

    def inverse(self, poses) -> np.ndarray:
        """All eight solutions (n, 8, 6) rad for poses (n, 4, 4) (or (8, 6) for one (4, 4)).

        A row is NaN where that branch has no solution or violates a joint limit. Each joint is
        given as its value inside the limits closest to 0.
        """
        p = _poses("poses", poses)
        out = _core.opw_inverse(self._robot, p)
        return out[0] if np.ndim(poses) == 2 else out

    def closest(self, poses, q_ref) -> tuple[np.ndarray, np.ndarray]:
        """The solution nearest to q_ref for each pose, and whether the pose is reachable.

        poses (n, 4, 4) or (4, 4); q_ref (n, 6) or (6,) rad. Among all eight branches and all
        q ± 2π variants inside the joint limits, the one with the least Euclidean joint distance
        to q_ref. Returns (q (n, 6) rad, reachable (n,) bool); q rows are NaN where unreachable.
        """
        p = _poses("poses", poses)
        ref = _float_array("q_ref", q_ref)
        if ref.shape == (6,):
            ref = ref[None]
        if ref.shape not in ((1, 6), (p.shape[0], 6)):
            raise ValueError(f"q_ref: expected shape ({p.shape[0]}, 6) or (6,), got {ref.shape}")
        _finite("q_ref", ref)
        q, ok = _core.opw_closest(self._robot, p, np.ascontiguousarray(ref))
        if np.ndim(poses) == 2:
            return q[0], bool(ok[0])
        return q, ok

    def __repr__(self) -> str:
        a1, a2, b, c1, c2, c3, c4 = self._geometry
        return (f"OPWKinematics(a1={a1}, a2={a2}, b={b}, c1={c1}, c2={c2}, c3={c3}, c4={c4})")
