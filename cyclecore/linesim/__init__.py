"""Line simulation: the slowest *and* the least lucky station.

A serial line of stations (each with one or more identical machines) separated by finite
buffers, with blocking after service, unlimited supply in front and unlimited demand behind.
Stations fail and get repaired (MTBF/MTTR, operation- or time-dependent), may run manually while
a long repair lasts (bypass), and block and starve each other. The simulator reports throughput
with confidence intervals, what every station spent its time doing, buffer levels, and the
bottleneck by two methods.

Modules, one idea each:

- :mod:`.parameters`      validation, the arrays the kernels see
- :mod:`.random_streams`  one random stream per station, purpose and replication
- :mod:`.durations`       work content, time to failure, repair time
- :mod:`.max_plus`        fast path: the max-plus recursion (busy-clock failures, 1 machine/station)
- :mod:`.event_loop`      general path: time-dependent failures, bypass, parallel machines
- :mod:`.timeline`        station states (working/blocked/starved/failed/bypassed), buffer levels
- :mod:`.bottleneck`      active period and arrow methods
- :mod:`.confidence`      Student t intervals over replications
- :mod:`.serial`          :func:`simulate_serial`, the plain-array entry point

Developer note: the kernels are compiled with ``cache=True``. Numba re-validates a cached
function only against its own source file, so after changing a helper module (``timeline``,
``durations``, ``random_streams``) delete ``cyclecore/linesim/__pycache__/*.nb[ic]`` — a kernel
cached against the old helper would otherwise run stale code.
"""

from .bottleneck import Bottleneck
from .result import SerialLineResult, StationShares
from .serial import simulate_serial

__all__ = ["simulate_serial", "SerialLineResult", "StationShares", "Bottleneck"]
