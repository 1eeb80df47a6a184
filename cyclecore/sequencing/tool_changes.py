"""Sequence-dependent tool changes, folded into the move-time matrix.

Going from a task done with one tool (gun, gripper) to a task needing another costs the tool
change on top of the move. Adding that time to every arc between nodes of different tools turns
"minimise moves + tool changes" into a plain routing problem that every solver here handles
unchanged. The home node carries whatever tool the robot parks with.
"""

from __future__ import annotations

import numpy as np

from cyclecore import limits
from cyclecore.arguments import Array, refuse
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
        refuse("tools", tools, "one tool label per node of time_matrix")
    if len(labels) != n:
        raise ValueError(f"tools: expected {n} labels (one per node of time_matrix), got {len(labels)}")
    kinds: dict = {}
    try:
        code = np.array([kinds.setdefault(label, len(kinds)) for label in labels], dtype=np.int64)
    except TypeError:
        raise ValueError("tools: labels must be hashable (a name or a number)") from None
    k = len(kinds)  # the matrix is over the tools in order of first appearance
    change = Array(shapes=((), (k, k)), at_least=limits.DURATION_S.low, at_most=limits.DURATION_S.high,
                   unit="s").check(change_time_s, "change_time_s")
    if change.ndim == 0:
        extra = np.where(code[:, None] != code[None, :], float(change), 0.0)
    else:
        extra = change[code[:, None], code[None, :]].copy()
        extra[code[:, None] == code[None, :]] = 0.0
    return times + extra
