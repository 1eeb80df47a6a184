"""Seeded generator of body-shop-like lines and plants for the plan-search benchmarks.

Every generated station is built from a station of the bundled body shop (``load_example("body-shop")``):
the same robots on the same bases, the same free robot slots, and a seeded subset of each robot's
weld spots, kept in program order, with process times, reliability and index times varied. Spots
keep their robot and pose, so every target is reachable exactly as in the bundled file (the line is
still checked with inverse kinematics when it is built). Lines are written as plain dicts and
validated by :func:`cyclecore.files.line_file.line_from_dict`, exactly as a line file is read.

``generated_line(name, stations, seed)`` gives one line; ``generated_plant(name, designs, seed)`` a
plant of several such line designs (each with its own ``identical_lines`` copies). The same
arguments always give the same line, bit for bit.
"""

from __future__ import annotations

import copy
import functools

import numpy as np

ZONE_SIZE = 6  # consecutive stations per zone


@functools.lru_cache(maxsize=1)
def _body_shop() -> dict:
    import cyclecore

    return cyclecore.load_example("body-shop").model_dump(mode="json", exclude_defaults=True)


def line_dict(name: str, stations: int, seed: int, *, spots_per_robot: tuple[int, int] = (6, 12),
              zone_size: int = ZONE_SIZE, copies: int = 1, mtbf_h: tuple[float, float] = (6.0, 14.0),
              mttr_min: tuple[float, float] = (4.0, 12.0), speed_override: float | None = None) -> dict:
    """A line file's dict: ``stations`` stations drawn from the body shop's, seeded.

    spots_per_robot: inclusive range of weld spots kept per robot (fewer spots: cheaper station
    evaluations). zone_size: consecutive stations per zone. copies: the line's ``identical_lines``.
    mtbf_h, mttr_min: ranges the stations' failure figures are drawn from (uniform), for the
    stations whose body-shop template fails. speed_override: every robot's override (None: the
    template's).
    """
    if stations < 2:
        raise ValueError(f"stations: got {stations!r}, expected at least 2")
    source = _body_shop()
    rng = np.random.default_rng(seed)
    out_stations = []
    for i in range(stations):
        template = source["stations"][int(rng.integers(len(source["stations"])))]
        station_name = f"{name}-S{i + 1:03d}"
        tasks = []
        for robot in template["robots"]:
            own = [t for t in template["tasks"] if t.get("robot") == robot["name"]]
            keep = min(len(own), int(rng.integers(spots_per_robot[0], spots_per_robot[1] + 1)))
            chosen = np.sort(rng.choice(len(own), size=keep, replace=False))
            for k, j in enumerate(chosen):
                task = copy.deepcopy(own[int(j)])
                task["name"] = f"{station_name}-{robot['name']}-{k + 1:02d}"
                task["process_time_s"] = round(float(task.get("process_time_s", 0.0)) * rng.uniform(0.8, 1.25), 3)
                tasks.append(task)
        reliability = template.get("reliability")
        station = {
            "name": station_name,
            "zone": i // zone_size + 1,
            "index_time_s": float(rng.choice([4.0, 5.0, 6.0])),
            "buffer_after": int(rng.choice([0, 0, 1])) if i < stations - 1 else 0,
            "robots": [dict(copy.deepcopy(r), **({} if speed_override is None else {"speed_override": speed_override}))
                       for r in template["robots"]],
            "robot_slots": copy.deepcopy(template.get("robot_slots", [])),
            "tasks": tasks,
        }
        if reliability is not None:
            station["reliability"] = {"mtbf_h": round(float(rng.uniform(*mtbf_h)), 1),
                                      "mttr_min": round(float(rng.uniform(*mttr_min)), 1)}
        out_stations.append(station)
    data = {
        "name": name,
        "description": f"generated from the bundled body shop (benchmarks/plant_generator.py, seed {seed})",
        "calendar": copy.deepcopy(source["calendar"]),
        "stations": out_stations,
    }
    if copies != 1:
        data["identical_lines"] = copies
    return data


def generated_line(name: str, stations: int, seed: int, **kwargs):
    """:func:`line_dict` validated into a :class:`cyclecore.model.line.Line` (reach checked)."""
    from cyclecore.files.line_file import line_from_dict

    return line_from_dict(line_dict(name, stations, seed, **kwargs), source=f"<generated {name}>")


def generated_plant(name: str, designs, seed: int, **kwargs):
    """A plant of line designs: ``designs`` is a sequence of (stations, copies), one per design;
    design ``d`` is seeded ``seed + d``."""
    from cyclecore.model.plant import Plant, PlantLine

    lines = []
    for d, (stations, copies) in enumerate(designs):
        design = f"{name}-L{d + 1}"
        lines.append(PlantLine(design, generated_line(design, stations, seed + d, copies=copies, **kwargs)))
    return Plant(name=name, lines=tuple(lines))


def robots(subject) -> int:
    """Robots in a line (one copy) or a plant (every copy of every design)."""
    from cyclecore.model.line import Line

    if isinstance(subject, Line):
        return sum(len(s.robots) for s in subject.stations)
    return sum(entry.copies * robots(entry.line) for entry in subject.lines)


def designed_robots(subject) -> int:
    """Robots whose stations the search evaluates: one copy of each line design."""
    from cyclecore.model.line import Line

    if isinstance(subject, Line):
        return robots(subject)
    return sum(robots(entry.line) for entry in subject.lines)
