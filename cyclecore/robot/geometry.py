"""Poses: where a robot base, a tool centre point or a weld spot sits in the cell.

A pose is a position in metres and an orientation given as fixed-axis X-Y-Z rotations
(rx, ry, rz) in degrees in files, radians inside: R = Rz(rz) · Ry(ry) · Rx(rx). This is the
convention of FANUC W,P,R and of KUKA A,B,C (A = rz, B = ry, C = rx), so offline-programming
exports can be read as they are. Functions here work on arrays of poses at once (up to three
leading axes).

Arguments are checked as everywhere (cyclecore.arguments): a position beyond limits.POSITION_M,
an angle beyond limits.ORIENTATION_RAD, NaN, inf or a misshapen array is refused with a
``ValueError`` naming the argument and the entry, so no result holds NaN or inf.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from cyclecore import limits
from cyclecore.arguments import Array, refuse


def spec_bounds(limit: limits.Limit) -> dict:
    """The bounds of a range of cyclecore.limits as the argument specs take them."""
    low = {"above": limit.low} if limit.low_open else {"at_least": limit.low}
    return {**low, "at_most": limit.high, "unit": limit.unit}


@lru_cache(maxsize=None)
def _spec(tail: tuple, limit: limits.Limit | None) -> Array:
    """Arrays (..., *tail) with up to three leading axes, finite, within limit if given."""
    shapes = tuple(tuple(f"n{i}" for i in range(lead)) + tail for lead in range(4))
    return Array(shapes=shapes, **(spec_bounds(limit) if limit else {}))


def _check(value, name: str, tail: tuple, limit: limits.Limit | None = None) -> np.ndarray:
    return _spec(tail, limit).check(value, name)


def _check_transform(value, name: str) -> np.ndarray:
    """Homogeneous transforms (..., 4, 4): finite, translations within limits.POSITION_M."""
    return check_positions(_check(value, name, (4, 4)), name)


def check_positions(t: np.ndarray, name: str, position: limits.Limit = limits.POSITION_M) -> np.ndarray:
    """t, if the translations of the finite transforms t (..., 4, 4) lie within ``position``
    (default limits.POSITION_M); else a ValueError naming the first entry outside (``name[k, i, 3]``)."""
    outside = (t[..., :3, 3] < position.low) | (t[..., :3, 3] > position.high)
    if outside.any():
        at = tuple(int(i) for i in np.argwhere(outside)[0])  # (leading..., row)
        refuse(f"{name}[{', '.join(str(i) for i in at)}, 3]", t[at + (3,)].item(),
               f"a position {position.text()}")
    return t


def rotation_matrix(rpy_rad) -> np.ndarray:
    """Rotation matrices for fixed-axis XYZ angles. ``rpy_rad`` (..., 3) rad -> (..., 3, 3)."""
    rpy = _check(rpy_rad, "rpy_rad", (3,), limits.ORIENTATION_RAD)
    rx, ry, rz = rpy[..., 0], rpy[..., 1], rpy[..., 2]
    cx, sx, cy, sy, cz, sz = np.cos(rx), np.sin(rx), np.cos(ry), np.sin(ry), np.cos(rz), np.sin(rz)
    r = np.empty(rpy.shape[:-1] + (3, 3))
    r[..., 0, 0] = cz * cy
    r[..., 0, 1] = cz * sy * sx - sz * cx
    r[..., 0, 2] = cz * sy * cx + sz * sx
    r[..., 1, 0] = sz * cy
    r[..., 1, 1] = sz * sy * sx + cz * cx
    r[..., 1, 2] = sz * sy * cx - cz * sx
    r[..., 2, 0] = -sy
    r[..., 2, 1] = cy * sx
    r[..., 2, 2] = cy * cx
    return r


def pose_matrix(xyz_m, rpy_rad) -> np.ndarray:
    """Homogeneous transforms. ``xyz_m`` (..., 3) m, ``rpy_rad`` (..., 3) rad -> (..., 4, 4)."""
    xyz = _check(xyz_m, "xyz_m", (3,), limits.POSITION_M)
    rot = rotation_matrix(rpy_rad)
    t = np.zeros(rot.shape[:-2] + (4, 4))
    t[..., :3, :3] = rot
    t[..., :3, 3] = xyz
    t[..., 3, 3] = 1.0
    return t


def invert(transform) -> np.ndarray:
    """Inverse of rigid transforms (..., 4, 4) without a general matrix inverse."""
    t = _check_transform(transform, "transform")
    rot_t = np.swapaxes(t[..., :3, :3], -1, -2)
    out = np.zeros_like(t)
    out[..., :3, :3] = rot_t
    out[..., :3, 3] = -np.einsum("...ij,...j->...i", rot_t, t[..., :3, 3])
    out[..., 3, 3] = 1.0
    return out


def rpy_from_matrix(transform) -> np.ndarray:
    """Fixed-axis XYZ angles (rad) of rotation parts of (..., 4, 4) or (..., 3, 3) matrices."""
    arr = np.asarray(transform) if isinstance(transform, (list, tuple)) else transform
    r = _check(arr, "transform", (3, 3) if np.ndim(arr) >= 2 and np.shape(arr)[-1] == 3 else (4, 4))[..., :3, :3]
    ry = np.arcsin(np.clip(-r[..., 2, 0], -1.0, 1.0))
    rx = np.arctan2(r[..., 2, 1], r[..., 2, 2])
    rz = np.arctan2(r[..., 1, 0], r[..., 0, 0])
    return np.stack([rx, ry, rz], axis=-1)
