"""The levers on a whole bundled line, timed, with the improvement they buy.

group "body-shop-resequence": every one of the body shop's robots re-sequenced (OR-Tools +
Numba local search per robot, 0.1 s each). Recorded beside the time: robot time saved per unit,
and the line cycle before and after. No robot may get slower than the file's order.
"""

from __future__ import annotations

import cyclecore
from cyclecore.changes.programs import sequence


def test_body_shop_resequence_all_robots(benchmark):
    benchmark.group = "body-shop-resequence"
    line = cyclecore.load_example("body-shop")
    report = benchmark.pedantic(sequence, args=(line,), kwargs={"time_limit": 0.1}, rounds=1, iterations=1)
    before = cyclecore.analyze(line)
    after = cyclecore.analyze(report.line)
    assert all(r.cycle_after_s <= r.cycle_before_s for r in report.robots)
    benchmark.extra_info.update(
        robots=len(report.robots),
        robot_time_saved_s=round(report.robot_time_saved_s, 2),
        robots_improved=sum(r.cycle_after_s < r.cycle_before_s for r in report.robots),
        line_cycle_before_s=round(before.line_cycle_s, 2),
        line_cycle_after_s=round(after.line_cycle_s, 2),
        units_per_week_before=round(before.units_per_week),
        units_per_week_after=round(after.units_per_week),
    )
