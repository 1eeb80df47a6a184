"""Poses: where a robot base, a tool centre point or a weld spot sits in the cell.

A pose is a position in metres and an orientation given as fixed-axis X-Y-Z rotations
(rx, ry, rz) in degrees in files, radians inside: R = Rz(rz) · Ry(ry) · Rx(rx). This is the
convention of FANUC W,P,R and of KUKA A,B,C (A = rz, B = ry, C = rx), so offline-programming
exports can be read as they are. Functions here work on arrays of poses at once.
"""

from __future__ import annotations

import numpy as np


def rotation_matrix(rpy_rad) -> np.ndarray:
    """Rotation matrices for fixed-axis XYZ angles. ``rpy_rad`` (..., 3) rad -> (..., 3, 3)."""
    rpy = np.asarray(rpy_rad, dtype=float)
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
    xyz = np.asarray(xyz_m, dtype=float)
    rot = rotation_matrix(rpy_rad)
    t = np.zeros(rot.shape[:-2] + (4, 4))
    t[..., :3, :3] = rot
    t[..., :3, 3] = xyz
    t[..., 3, 3] = 1.0
    return t


def invert(transform) -> np.ndarray:
    """Inverse of rigid transforms (..., 4, 4) without a general matrix inverse."""
    t = np.asarray(transform, dtype=float)
    rot_t = np.swapaxes(t[..., :3, :3], -1, -2)
    out = np.zeros_like(t)
    out[..., :3, :3] = rot_t
    out[..., :3, 3] = -np.einsum("...ij,...j->...i", rot_t, t[..., :3, 3])
    out[..., 3, 3] = 1.0
    return out


def rpy_from_matrix(transform) -> np.ndarray:
    """Fixed-axis XYZ angles (rad) of rotation parts of (..., 4, 4) or (..., 3, 3) matrices."""
    r = np.asarray(transform, dtype=float)[..., :3, :3]
    ry = np.arcsin(np.clip(-r[..., 2, 0], -1.0, 1.0))
    rx = np.arctan2(r[..., 2, 1], r[..., 2, 2])
    rz = np.arctan2(r[..., 1, 0], r[..., 0, 0])
    return np.stack([rx, ry, rz], axis=-1)
