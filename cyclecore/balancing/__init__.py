"""Station rebalancing: which tasks go to which station.

SALBP-1 (fewest stations for a cycle time) and SALBP-2 (shortest cycle time for a number of
stations) on plain arrays, solved exactly by branch, bound and remember; constrained real-line
cases (zoning, fixed stations, tools) by a CP-SAT model; readers for the public benchmark sets.
"""

from .instances import Salbp1Case, Salbp2Case, scholl_salbp1_instances, scholl_salbp2_instances
from .otto import read_otto
from .problem import Balance, Instance
from .salbp import salbp1, salbp2
from .scholl import read_scholl

__all__ = [
    "Balance",
    "Instance",
    "Salbp1Case",
    "Salbp2Case",
    "read_otto",
    "read_scholl",
    "salbp1",
    "salbp2",
    "scholl_salbp1_instances",
    "scholl_salbp2_instances",
]
