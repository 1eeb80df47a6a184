"""Changes to a line as values: each names what it touches, applies to a Line (a new, validated
Line) and has a price from the line's cost book (:mod:`cyclecore.changes.base`).

=====================  ===========================================  =====================
kind                   change                                       module
=====================  ===========================================  =====================
``resequence``         :class:`Resequence` (one robot's program)     :mod:`.programs`
``add_robots``         :class:`AddRobots` (at free robot slots)      :mod:`.programs`
``speed_up``           :class:`SpeedUp` (a validated override step)  :mod:`.speed`
``add_buffer``         :class:`AddBuffer` (places after a station)   :mod:`.buffers`
``repair_programme``   :class:`RepairProgramme` (MTTR × factor)      :mod:`.repairs`
``duplicate_station``  :class:`DuplicateStation` (parallel + 1)      :mod:`.duplicates`
``rebalance_zone``     :class:`RebalanceZone` (a zone's stations)    :mod:`.zones`
``option``             :class:`ApplyOption` (declared in the file)   :mod:`.options`
=====================  ===========================================  =====================

The functions behind the CLI's ``sequence``, ``split`` and ``rebalance`` live here too
(:func:`~cyclecore.changes.programs.sequence`, :func:`~cyclecore.changes.programs.split_station`,
:func:`cyclecore.changes.rebalance.rebalance`, imported from its module, whose name it shares).
Names are imported on first use, so importing this package loads neither Numba kernels nor
OR-Tools.
"""

from __future__ import annotations

from cyclecore._lazy import lazy_exports

# public name -> module
_EXPORTS = {
    "Change": "cyclecore.changes.base",
    "StationChange": "cyclecore.changes.base",
    "Price": "cyclecore.changes.base",
    "lever_price": "cyclecore.changes.base",
    "change_from_dict": "cyclecore.changes.base",
    "Resequence": "cyclecore.changes.programs",
    "AddRobots": "cyclecore.changes.programs",
    "PROGRAM_TIME_LIMIT_S": "cyclecore.changes.programs",
    "SPLIT_TIME_LIMIT_S": "cyclecore.changes.programs",
    "LineChangeReport": "cyclecore.changes.programs",
    "sequence": "cyclecore.changes.programs",
    "split_station": "cyclecore.changes.programs",
    "SpeedUp": "cyclecore.changes.speed",
    "AddBuffer": "cyclecore.changes.buffers",
    "RepairProgramme": "cyclecore.changes.repairs",
    "DuplicateStation": "cyclecore.changes.duplicates",
    "RebalanceZone": "cyclecore.changes.zones",
    "zone_stations": "cyclecore.changes.zones",
    "ApplyOption": "cyclecore.changes.options",
    "option_stations": "cyclecore.changes.options",
    "Rebalance": "cyclecore.changes.rebalance",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports('cyclecore.changes', _EXPORTS, globals())
