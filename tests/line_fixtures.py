"""A small valid line description that tests mutate into malformed ones."""

from __future__ import annotations

import copy

HOME = [0.0, -90.0, 90.0, 0.0, 30.0, 0.0]


def valid_line() -> dict:
    """Two stations, joint-target tasks only (no inverse kinematics needed)."""
    return copy.deepcopy({
        "name": "test-line",
        "calendar": {"shifts_per_day": 2, "hours_per_shift": 8.0, "days_per_week": 5, "planned_downtime": 0.0},
        "stations": [
            {
                "name": "S1", "zone": 1, "index_time_s": 4.0, "buffer_after": 1,
                "reliability": {"mtbf_h": 5.0, "mttr_min": 10.0},
                "robots": [{"name": "R1", "model": "KR210-R3100-2", "home_deg": HOME, "speed_override": 0.8}],
                "tasks": [
                    {"name": "a", "joints_deg": [10.0, -80.0, 80.0, 0.0, 30.0, 0.0], "process_time_s": 0.5},
                    {"name": "b", "joints_deg": [20.0, -70.0, 80.0, 10.0, 30.0, 0.0], "process_time_s": 0.5,
                     "logic_time_s": 0.2, "after": ["a"]},
                ],
            },
            {
                "name": "S2", "zone": 1, "index_time_s": 4.0,
                "robots": [{"name": "R1", "model": "IRB2400-10", "home_deg": [0, 0, 0, 0, 60, 0]},
                           {"name": "R2", "model": "IRB2400-10", "home_deg": [0, 0, 0, 0, 60, 0]}],
                "tasks": [
                    {"name": "c", "robot": "R1", "joints_deg": [30, 10, 10, 0, 40, 0], "process_time_s": 1.0},
                    {"name": "d", "robot": "R2", "joints_deg": [-30, 10, 10, 0, 40, 0], "process_time_s": 1.0,
                     "after": ["b"]},
                ],
            },
        ],
    })
