"""Sequence-dependent tool changes, folded into the move-time matrix.

Going from a task done with one tool (gun, gripper) to a task needing another costs the tool
change on top of the move. Adding that time to every arc between nodes of different tools turns
"minimise moves + tool changes" into a plain routing problem that every solver here handles
unchanged. The home node carries whatever tool the robot parks with.
"""

from __future__ import annotations

import numpy as np

from cyclecore.sequencing.inputs import check_time_matrix


def with_tool_changes(time_matrix, tools, change_time_s) -> np.ndarray:
    """Move times plus ``change_time_s`` on every arc between nodes with different tools.

    time_matrix: (n, n) s. tools: length-n sequence of hashable tool labels, one per node
    (node 0 = home). change_time_s: scalar s, or an (n_tools, n_tools) matrix indexed by the
    tools' order of first appearance in ``tools``. Returns a new (n, n) float64 array.
    """
    times = check_time_matrix(time_matrix)
    n = times.shape[0]
    try:
        labels = list(tools)
    except TypeError:
        raise ValueError("tools: expected one tool label per node of time_matrix") from None
    if len(labels) != n:
        raise ValueError(f"tools: expected {n} labels (one per node of time_matrix), got {len(labels)}")
    kinds: dict = {}
    try:
        code = np.array([kinds.setdefault(label, len(kinds)) for label in labels], dtype=np.int64)
    except TypeError:
        raise ValueError("tools: labels must be hashable (a name or a number)") from None
    change = np.asarray(change_time_s, dtype=np.float64)
    if change.ndim == 0:
        if not np.isfinite(change) or change < 0:
            raise ValueError(f"change_time_s: expected a finite time >= 0 s, got {float(change)!r}")
        extra = np.where(code[:, None] != code[None, :], float(change), 0.0)
    else:
        k = len(kinds)
        if change.shape != (k, k):
            raise ValueError(
                f"change_time_s: expected a scalar or a ({k}, {k}) matrix over the tools in "
                f"order of first appearance, got shape {change.shape}"
            )
        if not np.isfinite(change).all() or (change < 0).any():
            raise ValueError("change_time_s: expected finite times >= 0 s")
        extra = change[code[:, None], code[None, :]].copy()
        extra[code[:, None] == code[None, :]] = 0.0
    return times + extra
