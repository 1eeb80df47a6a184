"""Sequencing: in which order a robot visits its tasks, and how k robots share a station.

Plain-array entry points (tasks numbered from 1, node/index 0 is the robot's home; a precedence
pair (i, j) means task i is done no later than task j):

* :func:`best_route` — shortest closed route for one robot (exact DP up to 12 tasks, Numba
  iterated local search and OR-Tools guided local search above);
* :func:`exact_route` — proven optimum by DP over subsets (precedence, alternatives);
* :func:`improve_route` — 2-opt / or-opt polish of a given route, never breaking precedence;
* :func:`with_tool_changes` — fold sequence-dependent tool-change times into the matrix;
* :func:`split_tasks` — share a station's tasks among k robots, minimising the station cycle;
* :func:`read_tsplib` — TSPLIB EUC_2D instances for benchmarking.
"""

from cyclecore.sequencing.exact import exact_route
from cyclecore.sequencing.local_search import improve_route
from cyclecore.sequencing.route import Route
from cyclecore.sequencing.sequencer import best_route
from cyclecore.sequencing.station_split import Split, split_tasks
from cyclecore.sequencing.tool_changes import with_tool_changes
from cyclecore.sequencing.tsplib import TsplibInstance, read_tsplib

__all__ = [
    "Route",
    "Split",
    "TsplibInstance",
    "best_route",
    "exact_route",
    "improve_route",
    "read_tsplib",
    "split_tasks",
    "with_tool_changes",
]
