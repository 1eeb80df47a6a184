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

Every argument is checked against its range in :mod:`cyclecore.limits` (joint values, speeds,
accelerations, jerks, overrides, positions, link lengths): a value outside, NaN or inf (except a
jerk) is refused with a ``ValueError`` naming the argument and the entry, so every duration is
finite and every kernel call ends in bounded time. The range of the joint values of a large PTP
batch is checked by the kernel on its own pass over them (no extra pass here).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from cyclecore import _core, limits
from cyclecore.arguments import Array, Number, refuse
from cyclecore.robot.geometry import check_positions, spec_bounds
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

_bounds = spec_bounds  # a range of cyclecore.limits, as the argument specs take it


def _jerk_bounds(limit: limits.Limit) -> dict:
    """A jerk's range, or inf (no jerk limit: a trapezoidal profile)."""
    return {**_bounds(limit), "or_inf": True}


SPEED_OVERRIDE = Number(**_bounds(limits.SPEED_OVERRIDE))
JOINT_SHAPES = (("dof",), ("n", "dof"))
# PTP batches: shapes only here, the kernel checks the range on its own pass over the values ...
JOINTS_SHAPE = Array(shapes=JOINT_SHAPES, finite=False, allow_nan=True)
# ... and, only when it finds a value outside, this names the entry.
JOINTS = Array(shapes=JOINT_SHAPES, **_bounds(limits.JOINT_POSITION_RAD))
CONFIGS = Array(shape=("n", "dof"), **_bounds(limits.JOINT_POSITION_RAD))
_JOINT_BOUND = limits.JOINT_POSITION_RAD.high  # the kernel's check is |q| <= bound: symmetric
assert limits.JOINT_POSITION_RAD.low == -_JOINT_BOUND and not limits.JOINT_POSITION_RAD.low_open


@lru_cache(maxsize=64)
def _limit_specs(dof: int, n: int | None) -> tuple[Array, Array, Array]:
    """Specs of the speed, acceleration and jerk limits: (dof,) or, when n is given, (n, dof)."""
    shapes = ((dof,),) if n is None else ((dof,), (n, dof))
    return (Array(shapes=shapes, **_bounds(limits.JOINT_SPEED_RAD_S)),
            Array(shapes=shapes, **_bounds(limits.JOINT_ACCELERATION_RAD_S2)),
            Array(shapes=shapes, **_jerk_bounds(limits.JOINT_JERK_RAD_S3)))


def _joint_limits(vmax, amax, jmax, dof: int, n: int | None):
    """(n_sets, dof) contiguous limit blocks, n_sets = 1 or n, all three the same shape.

    Each limit is (dof,) or, when n is given, (dof,) or (n, dof), within its range of
    cyclecore.limits; only the jerk may be inf (a trapezoidal profile)."""
    speed, acceleration, jerk = _limit_specs(dof, n)
    v = speed.check(vmax, "vmax")
    a = acceleration.check(amax, "amax")
    j = jerk.check(jmax, "jmax")
    rows = max(x.shape[0] if x.ndim == 2 else 1 for x in (v, a, j))
    return tuple(np.ascontiguousarray(np.broadcast_to(x, (rows, dof))) for x in (v, a, j))


# --- PTP moves ----------------------------------------------------------------------------------


def ptp_duration(q0, q1, vmax, amax, jmax, speed_override: float = 1.0):
    """Duration (s) of synchronized, time-optimal, rest-to-rest PTP moves from q0 to q1.

    q0, q1: joint values, rad, shape (n, dof) or (dof,) (a (dof,) side is used for every move).
    vmax, amax, jmax: joint limits, rad/s, rad/s², rad/s³, each (dof,) or (n, dof); jmax may be
    ``inf`` (trapezoidal profile). speed_override in (0, 1]: duration / speed_override.
    Returns (n,) seconds, or a float when both q0 and q1 are (dof,).
    """
    a0 = JOINTS_SHAPE.check(q0, "q0")
    a1 = JOINTS_SHAPE.check(q1, "q1")
    if a0.shape[-1] != a1.shape[-1] or (a0.ndim == a1.ndim == 2 and a0.shape != a1.shape):
        raise ValueError(f"q0, q1: shapes {a0.shape} and {a1.shape} do not match")
    dof = a0.shape[-1]
    if dof == 0:
        raise ValueError("q0, q1: need at least one axis")
    single = a0.ndim == 1 and a1.ndim == 1
    n = max(a0.shape[0] if a0.ndim == 2 else 1, a1.shape[0] if a1.ndim == 2 else 1)
    s = SPEED_OVERRIDE.check(speed_override, "speed_override")
    v, a, j = _joint_limits(vmax, amax, jmax, dof, n)
    b0 = np.ascontiguousarray(np.broadcast_to(a0, (n, dof)))
    b1 = np.ascontiguousarray(np.broadcast_to(a1, (n, dof)))
    out, in_range = _core.ptp_durations(b0, b1, v, a, j, s, q_bound=_JOINT_BOUND)
    if not in_range:  # NaN, inf or beyond the range somewhere: name the first such entry
        JOINTS.check(a0, "q0")
        JOINTS.check(a1, "q1")
        raise RuntimeError("internal: the PTP kernel and the argument check disagree on q0, q1")
    return float(out[0]) if single else out


def move_time_matrix(configs, vmax, amax, jmax, speed_override: float = 1.0) -> np.ndarray:
    """PTP durations (s) between every pair of configurations: (n, n), zero diagonal, symmetric.

    configs: (n, dof) rad; limits (dof,) rad/s, rad/s², rad/s³ (jmax may be inf);
    speed_override in (0, 1] divides every entry.
    """
    c = CONFIGS.check(configs, "configs")
    ceiling = limits.MAX_MOVE_TIME_MATRIX_CONFIGS
    if c.shape[0] > ceiling:
        raise ValueError(f"configs: got {c.shape[0]:,} configurations, expected at most {ceiling:,} "
                         f"(the matrix would take {c.shape[0] ** 2 * 8 / 1e9:.1f} GB); time the moves "
                         "you need with ptp_duration")
    s = SPEED_OVERRIDE.check(speed_override, "speed_override")
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


@lru_cache(maxsize=64)
def _routes_spec(n: int) -> Array:
    """Routes through n configurations: rows of indices, padded at the end with -1."""
    return Array(shapes=(("L",), ("m", "L")), integer=True, at_least=-1, at_most=n - 1,
                 what=f"one of the configs' indices 0..{n - 1}, or -1 (padding)")


def route_totals(configs, routes, vmax, amax, jmax, speed_override: float = 1.0,
                 tcp_positions=None) -> RouteTotals:
    """Time and path lengths of m routes through the configurations, in one call.

    configs: (n, dof) rad. routes: (m, L) integer indices into configs, each row the explicit
    visiting order (e.g. [home, t3, t1, home]), padded at the end with -1; a row with fewer than
    two indices has zero totals. Limits (dof,) as in :func:`ptp_duration`. tcp_positions:
    optional (n, 3) TCP positions (m) of the configurations.
    """
    c = CONFIGS.check(configs, "configs")
    n, dof = c.shape
    r = _routes_spec(n).check(routes, "routes")
    if r.ndim == 1:
        r = r[None, :]
    if r.size:
        padding = r < 0
        # Padding only at the end of a row: once -1, always -1.
        if (np.logical_or.accumulate(padding, axis=1) != padding).any():
            raise ValueError("routes: -1 padding is allowed only at the end of a row")
    s = SPEED_OVERRIDE.check(speed_override, "speed_override")
    v, a, j = _joint_limits(vmax, amax, jmax, dof, None)
    p = Array(shape=(n, 3), optional=True, **_bounds(limits.POSITION_M)).check(tcp_positions, "tcp_positions")
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
    a0 = Array(shape=("dof",), nonempty=True, **_bounds(limits.JOINT_POSITION_RAD)).check(q0, "q0")
    a1 = Array(shape=a0.shape, **_bounds(limits.JOINT_POSITION_RAD)).check(q1, "q1")
    t = Array(shape=("k",)).check(times, "times")
    ceiling = limits.MAX_TRAJECTORY_SAMPLES
    if t.size * a0.size > ceiling:
        raise ValueError(f"times: got {t.size:,} times of {a0.size} axes, expected at most {ceiling:,} "
                         "samples in all (four arrays of them are returned); sample in pieces")
    s = SPEED_OVERRIDE.check(speed_override, "speed_override")
    v, a, j = _joint_limits(vmax, amax, jmax, a0.size, None)
    pos, vel, acc, jerk, duration = _core.sample_ptp(a0, a1, v, a, j, t, s)
    return PTPSamples(pos, vel, acc, jerk, float(duration))


# --- linear (LIN) moves -------------------------------------------------------------------------


POSES = Array(shapes=((4, 4), ("n", 4, 4)))


def _poses(name: str, value: Any, position: limits.Limit = limits.POSITION_M) -> np.ndarray:
    arr = check_positions(POSES.check(value, name), name, position)
    if arr.ndim == 2:
        arr = arr[None]
    if not np.array_equal(arr[:, 3, :], np.broadcast_to([0.0, 0.0, 0.0, 1.0], (arr.shape[0], 4))):
        raise ValueError(f"{name}: the last row of a homogeneous pose must be [0, 0, 0, 1]")
    rot = arr[:, :3, :3]
    gram = np.einsum("nki,nkj->nij", rot, rot)
    if not np.allclose(gram, np.eye(3), atol=1e-6) or (np.linalg.det(rot) <= 0).any():
        raise ValueError(f"{name}: the upper-left 3x3 block must be a rotation matrix")
    return np.ascontiguousarray(arr)


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
    # The tool's own ranges; the reorientation rates share the joints' (both are angular rates).
    ranges = ((v_max, "v_max", limits.TCP_SPEED_M_S), (a_max, "a_max", limits.TCP_ACCELERATION_M_S2),
              (j_max, "j_max", limits.TCP_JERK_M_S3), (w_max, "w_max", limits.JOINT_SPEED_RAD_S),
              (dw_max, "dw_max", limits.JOINT_ACCELERATION_RAD_S2),
              (ddw_max, "ddw_max", limits.JOINT_JERK_RAD_S3))
    checked = []
    for value, name, limit in ranges:
        if name in ("j_max", "ddw_max"):  # only jerks may be inf
            x = float(Array(shape=(), **_jerk_bounds(limit)).check(value, name))
        else:
            x = Number(**_bounds(limit)).check(value, name)
        checked.append(x)
    s = SPEED_OVERRIDE.check(speed_override, "speed_override")
    return _core.linear_move_durations(p0, p1, *checked, s)


# --- arm kinematics -----------------------------------------------------------------------------


SIX_ANGLES = Array(shape=(6,), **_bounds(limits.JOINT_RANGE_RAD))
Q6 = Array(shapes=((6,), ("n", 6)), **_bounds(limits.JOINT_POSITION_RAD))


class OPWKinematics:
    """Forward and inverse kinematics of an ortho-parallel 6R arm with a spherical wrist.

    Geometry a1, a2, b, c1, c2, c3, c4 in m (Brandstötter, Angerer, Hofbaur 2014); joint values
    in the controller's convention q (rad), related to the model's angles by
    θ[i] = signs[i]·q[i] − offsets_rad[i]. joint_min_rad/joint_max_rad (6,) bound q and may span
    more than one turn (then q ± 2π variants are used). Poses are (4, 4) homogeneous flange
    poses in the robot base frame (m). Immutable.

    Ranges (cyclecore.limits): c2, c3 are lengths (LINK_LENGTH_M), a1, a2, b, c1, c4 signed
    offsets (LINK_OFFSET_M); offsets and joint limits within JOINT_RANGE_RAD (two turns either
    way), so the inverse kinematics' whole-turn search stays small.
    """

    __slots__ = ("_robot", "_geometry", "_offsets", "_signs", "_jmin", "_jmax")

    def __init__(self, a1, a2, b, c1, c2, c3, c4, offsets_rad, signs, joint_min_rad,
                 joint_max_rad):
        lengths = dict(a1=a1, a2=a2, b=b, c1=c1, c2=c2, c3=c3, c4=c4)
        length, offset = Number(**_bounds(limits.LINK_LENGTH_M)), Number(**_bounds(limits.LINK_OFFSET_M))
        geometry = np.array([(length if name in ("c2", "c3") else offset).check(value, name)
                             for name, value in lengths.items()])
        six = {}
        for name, value in (("offsets_rad", offsets_rad), ("signs", signs),
                            ("joint_min_rad", joint_min_rad), ("joint_max_rad", joint_max_rad)):
            spec = Array(shape=(6,)) if name == "signs" else SIX_ANGLES
            six[name] = np.array(spec.check(value, name))  # a copy: it is frozen below
        if not np.isin(six["signs"], (-1.0, 1.0)).all():
            refuse("signs", six["signs"].tolist(), "every entry +1 or -1")
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
                refuse("kinematics.type", k.get("type"), "'opw'")
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
        arr = Q6.check(q, "q")
        out = _core.opw_forward(self._robot, np.ascontiguousarray(arr.reshape(-1, 6)))
        return out[0] if arr.ndim == 1 else out

    def inverse(self, poses) -> np.ndarray:
        """All eight solutions (n, 8, 6) rad for poses (n, 4, 4) (or (8, 6) for one (4, 4)).

        A row is NaN where that branch has no solution or violates a joint limit. Each joint is
        given as its value inside the limits closest to 0.
        """
        p = _poses("poses", poses, limits.IK_TARGET_M)  # far targets are unreachable, not wrong
        out = _core.opw_inverse(self._robot, p)
        return out[0] if np.ndim(poses) == 2 else out

    def closest(self, poses, q_ref) -> tuple[np.ndarray, np.ndarray]:
        """The solution nearest to q_ref for each pose, and whether the pose is reachable.

        poses (n, 4, 4) or (4, 4); q_ref (n, 6) or (6,) rad. Among all eight branches and all
        q ± 2π variants inside the joint limits, the one with the least Euclidean joint distance
        to q_ref. Returns (q (n, 6) rad, reachable (n,) bool); q rows are NaN where unreachable.
        """
        p = _poses("poses", poses, limits.IK_TARGET_M)  # far targets are unreachable, not wrong
        ref = Array(shapes=((6,), (1, 6), (p.shape[0], 6)),
                    **_bounds(limits.JOINT_POSITION_RAD)).check(q_ref, "q_ref")
        if ref.ndim == 1:
            ref = ref[None]
        q, ok = _core.opw_closest(self._robot, p, np.ascontiguousarray(ref))
        if np.ndim(poses) == 2:
            return q[0], bool(ok[0])
        return q, ok

    def __repr__(self) -> str:
        a1, a2, b, c1, c2, c3, c4 = self._geometry
        return (f"OPWKinematics(a1={a1}, a2={a2}, b={b}, c1={c1}, c2={c2}, c3={c3}, c4={c4})")
