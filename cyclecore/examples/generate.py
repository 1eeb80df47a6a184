"""Reproducible generator of the bundled example lines.

``python -m cyclecore.examples.generate [FOLDER]`` rewrites the example files (default: beside
this module). Every random choice comes from one seeded generator per example, and every pose
is checked with the arm's inverse kinematics before it is kept, so each target is reachable
within joint limits from the robot's home configuration.

Geometry (metres, cell frame of each station): x along the line, y across, z up from the floor.
Weld guns and grippers approach along their TCP z axis; the TCP sits ``tcp`` ahead of the flange.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import numpy as np
import yaml

from cyclecore.robot.geometry import pose_matrix, rpy_from_matrix
from cyclecore.model.robot_models import bundled_robot_models

HERE = Path(__file__).resolve().parent

HOME_DEG = {
    "KR210-R3100-2": [0.0, -90.0, 90.0, 0.0, 30.0, 0.0],
    "R-2000iC-165F": [0.0, 0.0, 0.0, 0.0, -60.0, 0.0],
    "IRB2400-10": [0.0, 0.0, 0.0, 0.0, 60.0, 0.0],
}
WELD_GUN_TCP = {"xyz_m": [0.0, 0.0, 0.45], "rpy_deg": [0.0, 0.0, 0.0]}
GRIPPER_TCP = {"xyz_m": [0.0, 0.0, 0.20], "rpy_deg": [0.0, 0.0, 0.0]}


# --------------------------------------------------------------------------- geometry helpers
def _approach_orientation(rng: np.random.Generator, approach: np.ndarray, tilt_deg: float) -> np.ndarray:
    """A rotation whose z axis points along ``approach`` tilted by up to ``tilt_deg``, random spin."""
    a = approach / np.linalg.norm(approach)
    helper = np.array([1.0, 0.0, 0.0]) if abs(a[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    u = np.cross(a, helper)
    u /= np.linalg.norm(u)
    tilt = np.radians(rng.uniform(0.0, tilt_deg))
    turn = rng.uniform(0.0, 2 * np.pi)
    v = np.cross(a, u)
    a = np.cos(tilt) * a + np.sin(tilt) * (np.cos(turn) * u + np.sin(turn) * v)
    x = np.cross(helper, a)
    x /= np.linalg.norm(x)
    spin = rng.uniform(-np.pi, np.pi)
    y = np.cross(a, x)
    x, y = np.cos(spin) * x + np.sin(spin) * y, -np.sin(spin) * x + np.cos(spin) * y
    return np.column_stack([x, y, a])


def _reachable_from_home(model_name: str, base: dict, tcp: dict, targets: np.ndarray) -> np.ndarray:
    """Mask of cell-frame TCP targets (k, 4, 4) the robot reaches within joint limits."""
    from cyclecore.robot.geometry import invert

    model = bundled_robot_models()[model_name]
    base_m = pose_matrix(base["xyz_m"], np.radians(base["rpy_deg"]))
    tcp_m = pose_matrix(tcp["xyz_m"], np.radians(tcp["rpy_deg"]))
    flange = invert(base_m) @ targets @ invert(tcp_m)
    _, ok = model.arm.closest(flange, np.radians(HOME_DEG[model_name]))
    return ok


def _sample(rng, model_name, base, tcp, count, position_fn, approach_fn, tilt_deg=15.0, max_tries=60):
    """``count`` reachable targets: positions from ``position_fn(rng)``, approach ``approach_fn(p)``."""
    kept: list[np.ndarray] = []
    for _ in range(max_tries):
        candidates = []
        for _ in range(4 * count):
            p = position_fn(rng)
            t = np.eye(4)
            t[:3, :3] = _approach_orientation(rng, approach_fn(p), tilt_deg)
            t[:3, 3] = p
            candidates.append(t)
        candidates = np.array(candidates)
        ok = _reachable_from_home(model_name, base, tcp, candidates)
        kept.extend(candidates[ok])
        if len(kept) >= count:
            return np.array(kept[:count])
    raise RuntimeError(f"could not place {count} reachable targets for {model_name} at {base}")


def _pose_dict(t: np.ndarray) -> dict:
    return {"xyz_m": [round(float(v), 4) for v in t[:3, 3]],
            "rpy_deg": [round(float(v), 3) for v in np.degrees(rpy_from_matrix(t))]}


def _base(x: float, y: float, z: float = 0.0) -> dict:
    """A floor-mounted robot at (x, y) facing the station centre line (y = 0)."""
    return {"xyz_m": [x, y, z], "rpy_deg": [0.0, 0.0, 90.0 if y < 0 else -90.0]}


def _teach_order(rng, targets: np.ndarray, swaps: int) -> np.ndarray:
    """Programs as taught on the shop floor: roughly along the body, with local detours."""
    order = np.argsort(targets[:, 0, 3], kind="stable")
    for _ in range(swaps):
        i = int(rng.integers(0, len(order) - 2))
        order[i], order[i + 2] = order[i + 2], order[i]
    return targets[order]


# --------------------------------------------------------------------------- body shop
BODY_ZONES = [("underbody", 6), ("framing", 4), ("side-respot", 10), ("closures", 4)]


def body_shop() -> tuple[dict, dict[str, str]]:
    """A spot-welding body shop: 24 stations, 2-4 robots each, about 1,500 weld spots."""
    rng = np.random.default_rng(20171101)
    stations, files = [], {}
    slots_xy = [(-1.5, -2.1), (1.5, -2.1), (-1.5, 2.1), (1.5, 2.1), (0.0, -2.1), (0.0, 2.1)]
    number = 0
    for zone, (zone_name, count) in enumerate(BODY_ZONES, start=1):
        for k in range(count):
            number += 1
            name = f"BS{number:02d}"
            n_robots = int(rng.choice([2, 3, 3, 4, 4]))
            order = rng.permutation(4)  # corner positions first; centre positions stay as slots
            places = [slots_xy[i] for i in order[:n_robots]]
            free = [slots_xy[i] for i in order[n_robots:]] + slots_xy[4:]
            robots, spot_rows = [], []
            for r, (x, y) in enumerate(places, start=1):
                model = "KR210-R3100-2" if y < 0 else "R-2000iC-165F"
                base = _base(x, y)
                robot = {"name": f"R{r}", "model": model, "base": base, "tcp": WELD_GUN_TCP,
                         "home_deg": HOME_DEG[model], "speed_override": float(rng.choice([0.8, 0.9, 1.0]))}
                robots.append(robot)
                side = np.sign(y)
                spots = int(rng.integers(14, 29))
                if zone_name == "underbody":
                    position = lambda g, x=x: np.array([np.clip(x + g.uniform(-1.0, 1.0), -2.2, 2.2),
                                                        g.uniform(-0.7, 0.7), 0.45])
                    approach = lambda p: np.array([0.0, 0.0, -1.0])
                elif zone_name == "closures":
                    position = lambda g, x=x, s=side: np.array([np.clip(x + g.uniform(-1.0, 1.0), -2.2, 2.2),
                                                                s * g.uniform(0.2, 0.75), 1.42])
                    approach = lambda p: np.array([0.0, 0.0, -1.0])
                else:
                    position = lambda g, x=x, s=side: np.array([np.clip(x + g.uniform(-1.0, 1.0), -2.2, 2.2),
                                                                s * 0.9, g.uniform(0.55, 1.3)])
                    approach = lambda p, s=side: np.array([0.0, -s, 0.0])
                targets = _sample(rng, model, base, WELD_GUN_TCP, spots, position, approach, tilt_deg=20.0)
                targets = _teach_order(rng, targets, swaps=spots // 3)
                for seq, t in enumerate(targets, start=1):
                    p = t[:3, 3] * 1000.0
                    rpy = np.degrees(rpy_from_matrix(t))
                    spot_rows.append({
                        "name": f"{name}-R{r}-{seq:03d}", "x": f"{p[0]:.1f}", "y": f"{p[1]:.1f}", "z": f"{p[2]:.1f}",
                        "rx": f"{rpy[0]:.2f}", "ry": f"{rpy[1]:.2f}", "rz": f"{rpy[2]:.2f}",
                        "process_time": f"{rng.choice([0.6, 0.7, 0.8, 0.9, 1.0]):.2f}",
                        "robot": f"R{r}", "sequence": str(seq), "logic_time": "0.25", "tool": f"gun-{model[:2]}",
                    })
            csv_name = f"spots/{name}.csv"
            files[csv_name] = _csv_text(spot_rows)
            mtbf_h = float(np.round(rng.uniform(2.0, 8.0), 1))
            stations.append({
                "name": name, "zone": zone, "index_time_s": float(rng.choice([5.0, 6.0, 7.0])),
                "buffer_after": 2 if k == count - 1 and zone < len(BODY_ZONES) else 0,
                "reliability": {"mtbf_h": mtbf_h, "mttr_min": float(np.round(rng.uniform(6.0, 18.0), 1))},
                "robots": robots,
                "robot_slots": [_base(x, y) for (x, y) in free],
                "spots_csv": csv_name,
            })
    line = {
        "name": "body-shop",
        "description": "Spot-welding body shop (generated, seed 20171101): underbody, framing, "
                       "side/respot and closures zones; KUKA on the left, FANUC on the right.",
        "calendar": {"shifts_per_day": 3, "hours_per_shift": 8.0, "days_per_week": 5, "planned_downtime": 0.05},
        "stations": stations,
    }
    return line, files


# --------------------------------------------------------------------------- module line
# (name, zone, [(model, x, y, tasks, process s, logic s, region)], index s, fixed s, mtbf h, mttr min)
MODULE_STATIONS = [
    ("Z1-S01-cell-load", 1, [("IRB2400-10", 0.0, -1.0, 28, 0.45, 0.35, "table"),
                             ("IRB2400-10", 0.0, 1.0, 28, 0.45, 0.35, "table")], 6.0, 0.0, 3.0, 15.0),
    ("Z1-S02-glue", 1, [("IRB2400-10", 0.0, -1.0, 25, 0.95, 0.2, "table")], 6.0, 0.0, 4.0, 12.0),
    ("Z2-S01-busbar", 2, [("IRB2400-10", 0.0, -1.0, 21, 1.1, 0.4, "table"),
                          ("IRB2400-10", 0.0, 1.0, 20, 1.1, 0.4, "table")], 6.0, 0.0, 3.0, 20.0),
    ("Z2-S02-bond", 2, [("IRB2400-10", -0.6, -1.0, 28, 0.75, 0.25, "table"),
                        ("IRB2400-10", 0.6, 1.0, 28, 0.75, 0.25, "table")], 6.0, 0.0, 2.0, 20.0),
    ("Z2-S03-inspect", 2, [("IRB2400-10", 0.0, 1.0, 32, 0.5, 0.2, "table")], 6.0, 0.0, 2.5, 20.0),
    ("Z3-S01-close", 3, [("KR210-R3100-2", 0.0, -1.9, 8, 2.5, 0.8, "fixture")], 8.0, 0.0, 8.0, 10.0),
    ("Z3-S02-screw", 3, [("R-2000iC-165F", 0.0, 1.7, 16, 1.2, 0.3, "fixture")], 7.0, 0.0, 8.0, 10.0),
    ("Z4-S01-eol-test", 4, [], 5.0, 40.0, 10.0, 15.0),
]


def module_line() -> tuple[dict, dict[str, str]]:
    """One battery-module line in four zones; zones 1 and 2 constrain it (SEED_FACTS.md)."""
    rng = np.random.default_rng(20171102)
    stations = []
    for name, zone, robot_specs, index_s, fixed_s, mtbf_h, mttr_min in MODULE_STATIONS:
        robots, tasks, slots = [], [], []
        for r, (model, x, y, count, process, logic, region) in enumerate(robot_specs, start=1):
            base = _base(x, y)
            tcp = GRIPPER_TCP
            robots.append({"name": f"R{r}", "model": model, "base": base, "tcp": tcp,
                           "home_deg": HOME_DEG[model], "speed_override": 0.8})
            if region == "table":  # module fixture on a table between the robots
                position = lambda g, x=x: np.array([x + g.uniform(-0.35, 0.35), g.uniform(-0.3, 0.3), 0.85])
            else:
                position = lambda g: np.array([g.uniform(-0.5, 0.5), g.uniform(-0.3, 0.3), 1.0])
            targets = _sample(rng, model, base, tcp, count, position, lambda p: np.array([0.0, 0.0, -1.0]), 10.0)
            targets = _teach_order(rng, targets, swaps=count // 3)
            for seq, t in enumerate(targets, start=1):
                tasks.append({"name": f"{name[:6]}-R{r}-{seq:02d}", "robot": f"R{r}", "pose": _pose_dict(t),
                              "process_time_s": process, "logic_time_s": logic})
        if zone in (1, 2) and robot_specs:
            slots = [_base(0.9, -1.0), _base(-0.9, 1.0)]
        station = {"name": name, "zone": zone, "index_time_s": index_s, "fixed_time_s": fixed_s,
                   "buffer_after": 4 if zone in (2, 3) else 1,
                   "reliability": {"mtbf_h": mtbf_h, "mttr_min": mttr_min},
                   "robots": robots, "tasks": tasks}
        if slots:
            station["robot_slots"] = slots
        if not robot_specs:
            station["manual_bypass"] = {"cycle_time_s": 180.0, "operators": 2, "after_min": 30.0}
        stations.append(station)
    line = {
        "name": "module-line",
        "description": "Battery-module line (generated, seed 20171102): four zones; zones 1 and 2 are the "
                       "constraint, zone 2 the worst. Three identical lines feed 4 modules per car.",
        "calendar": {"shifts_per_day": 3, "hours_per_shift": 8.0, "days_per_week": 5, "planned_downtime": 0.05},
        "units_per_product": 4,
        "identical_lines": 3,
        "stations": stations,
        "options": _module_options(stations),
    }
    return line, {}


def _module_options(stations: list[dict]) -> list[dict]:
    """SEED_FACTS.md: "simplifying some processes, and a few minor part redesigns" — priced options
    the plan may take: a faster bonding recipe, and a busbar that needs fewer welds."""
    by_name = {s["name"]: s for s in stations}
    bond = by_name["Z2-S02-bond"]["tasks"]
    busbar = by_name["Z2-S01-busbar"]["tasks"]
    dropped = [t["name"] for r in ("R1", "R2") for t in [t for t in busbar if t["robot"] == r][-4:]]
    return [
        {"name": "bond-bead-v2", "kind": "process_simplification",
         "description": "new dispensing recipe: shorter adhesive beads, bond process time 0.75 -> 0.55 s",
         "capex": 40000.0, "engineering_h": 120.0, "lead_time_weeks": 4.0, "downtime_h": 8.0,
         "tasks": [{"task": t["name"], "process_time_s": 0.55} for t in bond]},
        {"name": "busbar-clip-redesign", "kind": "part_redesign",
         "description": "busbar with snap-in clips: the last four welds of each busbar robot are no longer needed",
         "capex": 350000.0, "engineering_h": 400.0, "lead_time_weeks": 12.0, "downtime_h": 16.0,
         "tasks": [{"task": name, "remove": True} for name in dropped]},
    ]


# --------------------------------------------------------------------------- tutorial
def tutorial() -> tuple[dict, dict[str, str]]:
    """Two welding stations, three robots: small enough to read in full."""
    rng = np.random.default_rng(7)
    stations = []
    for name, places, count in (("ST10", [(-0.8, -2.1), (0.8, 2.1)], 8), ("ST20", [(0.0, -2.1)], 10)):
        robots, tasks = [], []
        for r, (x, y) in enumerate(places, start=1):
            model = "KR210-R3100-2"
            base = _base(x, y)
            robots.append({"name": f"R{r}", "model": model, "base": base, "tcp": WELD_GUN_TCP,
                           "home_deg": HOME_DEG[model]})
            side = np.sign(y)
            targets = _sample(rng, model, base, WELD_GUN_TCP, count,
                              lambda g, x=x, s=side: np.array([x + g.uniform(-0.8, 0.8), s * 0.9, g.uniform(0.6, 1.2)]),
                              lambda p, s=side: np.array([0.0, -s, 0.0]))
            targets = _teach_order(rng, targets, swaps=2)
            for seq, t in enumerate(targets, start=1):
                tasks.append({"name": f"{name}-R{r}-{seq}", "robot": f"R{r}", "pose": _pose_dict(t),
                              "process_time_s": 0.8, "logic_time_s": 0.25})
        stations.append({"name": name, "zone": 1, "index_time_s": 5.0, "buffer_after": 1,
                         "reliability": {"mtbf_h": 6.0, "mttr_min": 10.0},
                         "robots": robots, "tasks": tasks,
                         "robot_slots": [_base(0.0, 2.1)] if name == "ST20" else []})
    line = {"name": "tutorial", "description": "Two welding stations, three KUKA KR 210 robots.",
            "calendar": {"shifts_per_day": 2, "hours_per_shift": 8.0, "days_per_week": 5},
            "stations": stations}
    return line, {}




# --------------------------------------------------------------------------- module plant
# Gen-2 module line (SEED_FACTS.md: "a fourth line of a new design … about three times the
# effectiveness of one existing line"). Same work per module as MODULE_STATIONS, done by more
# robots per station (zones 1-2), robots at full speed, faster transfers, and two or three copies
# of every station sharing the flow. Columns as MODULE_STATIONS, plus ``parallel`` after fixed s.
GEN2_MODULE_STATIONS = [
    ("Z1-S01-cell-load", 1, [("IRB2400-10", -0.6, -1.0, 19, 0.45, 0.35, "table"),
                             ("IRB2400-10", 0.6, -1.0, 19, 0.45, 0.35, "table"),
                             ("IRB2400-10", 0.0, 1.0, 18, 0.45, 0.35, "table")], 4.0, 0.0, 2, 4.0, 12.0),
    ("Z1-S02-glue", 1, [("IRB2400-10", -0.6, -1.0, 13, 0.95, 0.2, "table"),
                        ("IRB2400-10", 0.6, 1.0, 12, 0.95, 0.2, "table")], 4.0, 0.0, 2, 5.0, 10.0),
    ("Z2-S01-busbar", 2, [("IRB2400-10", -0.6, -1.0, 14, 1.1, 0.4, "table"),
                          ("IRB2400-10", 0.6, -1.0, 14, 1.1, 0.4, "table"),
                          ("IRB2400-10", 0.0, 1.0, 13, 1.1, 0.4, "table")], 4.0, 0.0, 2, 4.0, 15.0),
    ("Z2-S02-bond", 2, [("IRB2400-10", -0.6, -1.0, 19, 0.75, 0.25, "table"),
                        ("IRB2400-10", 0.6, -1.0, 19, 0.75, 0.25, "table"),
                        ("IRB2400-10", 0.0, 1.0, 18, 0.75, 0.25, "table")], 4.0, 0.0, 2, 3.0, 15.0),
    ("Z2-S03-inspect", 2, [("IRB2400-10", -0.6, -1.0, 16, 0.5, 0.2, "table"),
                           ("IRB2400-10", 0.6, 1.0, 16, 0.5, 0.2, "table")], 4.0, 0.0, 2, 3.5, 15.0),
    ("Z3-S01-close", 3, [("KR210-R3100-2", 0.0, -1.9, 8, 2.5, 0.8, "fixture")], 6.0, 0.0, 3, 8.0, 10.0),
    ("Z3-S02-screw", 3, [("R-2000iC-165F", 0.0, 1.7, 16, 1.2, 0.3, "fixture")], 6.0, 0.0, 3, 8.0, 10.0),
    ("Z4-S01-eol-test", 4, [], 4.0, 32.0, 2, 10.0, 15.0),
]


def module_plant() -> tuple[dict, dict[str, str]]:
    """The gen-2 module line (``line.yaml``) and a plant (``plant.yaml``) of it and the three
    identical ``module-line`` lines; the gen-2 line makes about as much as those three together."""
    rng = np.random.default_rng(20171103)
    stations = []
    for name, zone, robot_specs, index_s, fixed_s, parallel, mtbf_h, mttr_min in GEN2_MODULE_STATIONS:
        robots, tasks = [], []
        for r, (model, x, y, count, process, logic, region) in enumerate(robot_specs, start=1):
            base = _base(x, y)
            robots.append({"name": f"R{r}", "model": model, "base": base, "tcp": GRIPPER_TCP,
                           "home_deg": HOME_DEG[model], "speed_override": 1.0})
            if region == "table":  # each robot works the part of the module table in front of it
                position = lambda g, x=x: np.array([x + g.uniform(-0.35, 0.35), g.uniform(-0.3, 0.3), 0.85])
            else:
                position = lambda g: np.array([g.uniform(-0.5, 0.5), g.uniform(-0.3, 0.3), 1.0])
            targets = _sample(rng, model, base, GRIPPER_TCP, count, position,
                              lambda p: np.array([0.0, 0.0, -1.0]), 10.0)
            targets = _teach_order(rng, targets, swaps=count // 3)
            for seq, t in enumerate(targets, start=1):
                tasks.append({"name": f"{name[:6]}-R{r}-{seq:02d}", "robot": f"R{r}", "pose": _pose_dict(t),
                              "process_time_s": process, "logic_time_s": logic})
        station = {"name": name, "zone": zone, "index_time_s": index_s, "fixed_time_s": fixed_s,
                   "parallel": parallel, "buffer_after": 4 if zone in (2, 3) else 1,
                   "reliability": {"mtbf_h": mtbf_h, "mttr_min": mttr_min},
                   "robots": robots, "tasks": tasks}
        if not robot_specs:
            station["manual_bypass"] = {"cycle_time_s": 180.0, "operators": 2, "after_min": 30.0}
        stations.append(station)
    line = {
        "name": "module-line-gen2",
        "description": "Gen-2 battery-module line (generated, seed 20171103): the module-line's work per "
                       "module done by more robots at full speed with faster transfers and two or three "
                       "copies of every station; about three times one module-line.",
        "calendar": {"shifts_per_day": 3, "hours_per_shift": 8.0, "days_per_week": 5, "planned_downtime": 0.05},
        "units_per_product": 4,
        "identical_lines": 1,
        "stations": stations,
    }
    plant = {
        "name": "module-plant",
        "description": "Battery-module plant: three identical gen-1 module lines plus one gen-2 line of "
                       "about the same output as the three together; 4 modules per car.",
        "lines": [{"name": "gen-1", "file": "../module-line/line.yaml"},
                  {"name": "gen-2", "file": "line.yaml"}],
    }
    header = "# Generated by `python -m cyclecore.examples.generate` — do not edit by hand.\n"
    plant_text = header + yaml.safe_dump(plant, sort_keys=False, default_flow_style=None, width=110)
    return line, {"plant.yaml": plant_text}


GENERATORS = {"tutorial": tutorial, "module-line": module_line, "body-shop": body_shop,
              "module-plant": module_plant}


def _csv_text(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def render(name: str) -> dict[str, str]:
    """The files of one example, as {relative path: text}."""
    line, files = GENERATORS[name]()
    header = "# Generated by `python -m cyclecore.examples.generate` — do not edit by hand.\n"
    text = header + yaml.safe_dump(line, sort_keys=False, default_flow_style=None, width=110)
    return {"line.yaml": text, **files}


def write(folder: Path = HERE) -> None:
    for name in GENERATORS:
        for relative, text in render(name).items():
            target = folder / name / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
