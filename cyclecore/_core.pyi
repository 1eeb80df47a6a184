"""Type stubs of the private C++ kernel (cpp/bindings.cpp). Use cyclecore.motion instead.

Arrays are float64, C-contiguous; limits are (n_sets, dof) with n_sets 1 (shared) or n.
Durations are in s and already divided by speed_override.
"""

import numpy as np
import numpy.typing as npt

_F = npt.NDArray[np.float64]

def ptp_durations(
    q0: _F,
    q1: _F,
    vmax: _F,
    amax: _F,
    jmax: _F,
    speed_override: float,
    isa: str = "auto",
    q_bound: float = ...,
) -> tuple[_F, bool]:
    """(n,) durations of the moves q0[k] -> q1[k] (NaN where a joint value is not finite), and
    whether every joint value lies in [-q_bound, q_bound] (default inf; False for NaN).

    isa: the vector path of the shared-limit 6-axis case ("auto", "scalar", "sse2", "avx2");
    every path gives the same bits."""

def move_time_matrix(
    configs: _F, vmax: _F, amax: _F, jmax: _F, speed_override: float, isa: str = "auto"
) -> _F:
    """(n, n) durations between all configurations (one limit set); isa as in ptp_durations."""

def best_isa() -> str:
    """The vector path ("avx2", "sse2" or "scalar") the 6-axis PTP kernels take on this CPU."""

def isa_available(name: str) -> bool:
    """Whether this CPU runs the named vector path."""

def route_totals(
    configs: _F,
    routes: npt.NDArray[np.int64],
    vmax: _F,
    amax: _F,
    jmax: _F,
    speed_override: float,
    tcp_positions: _F | None,
) -> tuple[_F, _F, _F]:
    """(time_s, joint_path_rad, tcp_path_m), each (m,); routes padded at the end with -1."""

def sample_ptp(
    q0: _F, q1: _F, vmax: _F, amax: _F, jmax: _F, times: _F, speed_override: float
) -> tuple[_F, _F, _F, _F, float]:
    """(position, velocity, acceleration, jerk) each (k, dof), and the duration."""

def linear_move_durations(
    start: _F,
    end: _F,
    v_max: float,
    a_max: float,
    j_max: float,
    w_max: float,
    dw_max: float,
    ddw_max: float,
    speed_override: float,
) -> _F:
    """(n,) durations of linear moves between (n, 4, 4) poses."""

def linear_path_lengths(start: _F, end: _F) -> _F:
    """(n, 2): path length (m) and reorientation angle (rad) of each move."""

class OpwRobot:
    def __init__(
        self, geometry: _F, offsets: _F, signs: _F, joint_min: _F, joint_max: _F
    ) -> None:
        """geometry (7,) = a1, a2, b, c1, c2, c3, c4 (m); the rest (6,) rad / +-1."""

def opw_forward(robot: OpwRobot, q: _F) -> _F:
    """(n, 4, 4) flange poses for q (n, 6)."""

def opw_inverse(robot: OpwRobot, poses: _F) -> _F:
    """(n, 8, 6) solutions, NaN rows where a branch has none within the limits."""

def opw_closest(robot: OpwRobot, poses: _F, q_ref: _F) -> tuple[_F, npt.NDArray[np.bool_]]:
    """(n, 6) solutions closest to q_ref ((n, 6) or (1, 6)) and (n,) reachability."""
