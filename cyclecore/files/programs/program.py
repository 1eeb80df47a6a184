"""A robot program as cyclecore reads it: motion targets, the time spent between them, and the
text they came from.

Every reader (KRL, RAPID, TP) turns a program into the same :class:`Program`:

- **Motions** in program order, each with its file line, its target pose in the robot's base frame
  (user frame, work object or base applied; the pose is the TCP of the motion's own tool) or its
  joint values, the configuration the target was taught in (status/turn bits, CONFIG, cf1/cf4/cf6,
  as joint ranges), PTP or linear (a circular move is linear through its auxiliary point), the
  programmed PTP speed as a share of the joint maximum or the programmed TCP speed, and the
  approximation (CNT, zone, C_DIS) as written.
- **Time between motions**: process calls (SPOT, GLUE or any routine named in
  :class:`ProgramTimes`) are process time; waits and I/O are logic time. A motion owns the
  statements after it, up to the next motion: that is what the robot does once it is there. What
  comes before the first motion is counted on the first motion.
- **Constructs** cyclecore does not time (control flow, a call without a configured time, a
  second motion group, a frame the program does not define) are kept in the text and reported
  with their line; nothing is dropped silently. A problem that makes the motions unknowable (a
  point nowhere declared, a ``.dat`` that is absent, a computed target, a truncated declaration,
  unbalanced FOLDs, a file that is not text, a huge file) raises
  :class:`~cyclecore.model.errors.LineFileError` naming the file and line.
- **The text** itself (lines with their own line ends, the encoding), so the writer gives the
  program back with only the order of its motions changed: each motion's *unit* (its statement,
  or its inline-form FOLD, and the statements it owns) moves as a whole.

Approximation is noted, not timed: cyclecore times every move rest to rest, so a program that
blends through its points (CNT100, z50, C_DIS) runs somewhat faster on the robot than analysed; a
FINE program matches. Units: SI inside (m, s), angles in degrees where a name says ``_deg``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cyclecore.limits import MAX_PROGRAM_BYTES, TCP_SPEED_M_S
from cyclecore.model.errors import LineFileError, Problem
from cyclecore.results import Result
from cyclecore.robot.geometry import rotation_matrix, rpy_from_matrix

DIALECTS = {".src": "krl", ".mod": "rapid", ".modx": "rapid", ".ls": "tp"}


@dataclass(frozen=True)
class ProgramTimes:
    """Times cyclecore cannot read from a program, s.

    ``process_s``: per call of a process routine, by name (case-insensitive), e.g.
    ``{"SPOT": 2.5, "GLUE": 4.0}``; ``output_s``: setting an output; ``input_wait_s``: waiting for
    an input or a condition (the program cannot say how long the cell makes it wait)."""

    process_s: dict = field(default_factory=dict)
    output_s: float = 0.0
    input_wait_s: float = 0.0

    def process_time(self, name: str) -> float | None:
        wanted = name.upper()
        for key, value in self.process_s.items():
            if key.upper() == wanted:
                return float(value)
        return None


@dataclass(frozen=True)
class Construct(Result):
    """A statement cyclecore keeps but does not time or model, and why."""

    line: int
    text: str
    why: str


@dataclass(frozen=True)
class Motion(Result):
    """One motion target of a program (see the module docstring). Poses: ``xyz_m`` and fixed-axis
    XYZ ``rpy_deg`` in the robot's base frame, for the TCP of ``tool``; ``joint_ranges_deg``: the
    taught configuration as a (low, high) range per axis, None where the program does not say."""

    line: int
    label: str
    kind: str  # "ptp" | "linear" | "circular"
    xyz_m: tuple | None
    rpy_deg: tuple | None
    joints_deg: tuple | None
    via_xyz_m: tuple | None  # a circular move's auxiliary point
    via_rpy_deg: tuple | None
    tool: str
    tool_xyz_m: tuple
    tool_rpy_deg: tuple
    configuration: str | None  # as written (S/T, cf, CONFIG)
    joint_ranges_deg: tuple
    ptp_speed: float | None  # share of the joint speed limits
    tcp_speed_m_s: float | None
    approximation: str | None
    process_s: float
    logic_s: float
    calls: tuple
    unit: tuple  # (first, end) 0-based line indices of the text that moves with this motion
    acceleration: float | None = None  # share of the acceleration limits (KRL ACC, AccSet, TP ACCn)

    missing_reasons = {
        "xyz_m": "a joint target", "rpy_deg": "a joint target", "joints_deg": "a Cartesian target",
        "via_xyz_m": "not a circular move", "via_rpy_deg": "not a circular move",
        "configuration": "the program gives no configuration for this target",
        "ptp_speed": "a linear move, or no PTP speed programmed",
        "tcp_speed_m_s": "a PTP move, or no TCP speed programmed",
        "approximation": "the move stops exactly at its target",
        "joint_ranges_deg": "the program's configuration does not bound this axis (or has no end here: inf)",
        "acceleration": "full acceleration (100 %)",
    }


@dataclass(frozen=True)
class Program(Result):
    """A robot program read by :func:`cyclecore.files.programs.read_program`."""

    file: str
    dialect: str
    name: str
    encoding: str
    motions: tuple
    constructs: tuple
    lines: tuple  # the text, each line with its own line end
    reorder_blocked: str | None  # why the motions cannot be re-ordered, with the line
    speed_override: float | None = None  # the program's own override before its first motion ($OV_PRO, OVERRIDE=, VelSet)

    dict_omit = ("lines",)
    missing_reasons = {"reorder_blocked": "the motions can be re-ordered",
                       "speed_override": "the program sets no override before its first motion"}

    def __rich__(self):
        from rich.table import Table

        table = Table(title=f"{self.file}: {len(self.motions)} motions ({self.dialect})")
        for column in ("line", "target", "move", "speed", "approx.", "process s", "logic s"):
            table.add_column(column)
        for m in self.motions:
            speed = (f"{m.tcp_speed_m_s:g} m/s" if m.tcp_speed_m_s is not None
                     else f"{m.ptp_speed:.0%}" if m.ptp_speed is not None else "")
            table.add_row(str(m.line), m.label, m.kind, speed, m.approximation or "fine",
                          f"{m.process_s:g}", f"{m.logic_s:g}")
        notes = Table(title="kept, not timed", show_header=True)
        notes.add_column("line")
        notes.add_column("statement")
        notes.add_column("why")
        for c in self.constructs:
            notes.add_row(str(c.line), c.text, c.why)
        from rich.console import Group

        return Group(table, notes) if self.constructs else table


# --- reading text ---------------------------------------------------------------------------------


def fail(file, line: int | None, expected: str, value=None):
    """Raise the user error for a program: file, line, what was expected."""
    where = f"line {line}" if line else ""
    problem = Problem(where, expected) if value is None else Problem(where, expected, value)
    raise LineFileError(file, [problem])


def read_lines(path: Path) -> tuple[tuple[str, ...], str]:
    """The lines of a program file (each with its own line end) and the encoding: UTF-8, else
    Latin-1 (Windows controllers write it); a file that is neither text is refused by line."""
    try:
        size = path.stat().st_size
    except OSError as error:
        fail(path, None, f"cannot read the file ({error.strerror})")
    if size > MAX_PROGRAM_BYTES:
        fail(path, None, f"a robot program of at most {MAX_PROGRAM_BYTES // 2**20} MiB "
                         f"(the file has {size / 2**20:.1f} MiB; the largest real ones are below 1 MiB)")
    try:
        data = path.read_bytes()
    except OSError as error:  # a folder, no permission
        fail(path, None, f"a robot program file cyclecore can read ({error.strerror})")
    encoding = "utf-8"
    try:
        text = data.decode("utf-8-sig") if data.startswith(b"\xef\xbb\xbf") else data.decode("utf-8")
        if data.startswith(b"\xef\xbb\xbf"):
            encoding = "utf-8-sig"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    bad = re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        fail(path, line, "text in UTF-8 or Latin-1 (a robot program); found the control byte "
                         f"0x{ord(bad.group()):02x}: is it a binary file or UTF-16?")
    return tuple(text.splitlines(keepends=True)), encoding


def checked(path, motion: Motion) -> Motion:
    """The motion, after checking its speeds are ones a robot runs: a PTP share in (0, 100] %, a
    TCP speed in ``limits.TCP_SPEED_M_S``; a program's 0 % or 0 mm/s is refused by its line."""
    if motion.ptp_speed is not None and not 0.0 < motion.ptp_speed <= 1.0:
        fail(path, motion.line, "a PTP speed in (0, 100] % of the joint maximum", f"{motion.ptp_speed * 100:g} %")
    if motion.acceleration is not None and not 0.0 < motion.acceleration <= 1.0:
        fail(path, motion.line, "an acceleration in (0, 100] % of the robot's", f"{motion.acceleration * 100:g} %")
    if motion.tcp_speed_m_s is not None and not TCP_SPEED_M_S.holds(motion.tcp_speed_m_s):
        fail(path, motion.line, f"a TCP speed {TCP_SPEED_M_S.text()}", f"{motion.tcp_speed_m_s:g} m/s")
    return motion


# --- poses ----------------------------------------------------------------------------------------


def matrix(xyz_mm, rpy_deg) -> np.ndarray:
    """4x4 pose from millimetres and fixed-axis XYZ degrees.

    No range check here: a program's frames are composed before the pose is a task, and the
    task's own checks then name the program line of a target out of range. Angles beyond a turn
    are wrapped (a rotation is periodic); those within are used as written."""
    rpy = np.asarray(rpy_deg, dtype=float)
    rpy = np.where(np.abs(rpy) > 360.0, np.remainder(rpy + 180.0, 360.0) - 180.0, rpy)
    out = np.eye(4)
    out[:3, :3] = rotation_matrix(np.radians(rpy))
    out[:3, 3] = np.asarray(xyz_mm, dtype=float) / 1000.0
    return out


def quaternion_matrix(xyz_mm, q) -> np.ndarray:
    """4x4 pose from millimetres and a w-first quaternion (ABB), normalised."""
    w, x, y, z = np.asarray(q, dtype=float) / np.linalg.norm(q)
    out = np.eye(4)
    out[:3, :3] = [[1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
                   [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
                   [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)]]
    out[:3, 3] = np.asarray(xyz_mm, dtype=float) / 1000.0
    return out


def pose_fields(transform: np.ndarray) -> tuple[tuple, tuple]:
    """(xyz_m, rpy_deg) of a 4x4 pose, as plain floats."""
    xyz = tuple(float(v) for v in transform[:3, 3])
    rpy = tuple(float(v) for v in np.degrees(rpy_from_matrix(transform)))
    return xyz, rpy


IDENTITY = np.eye(4)


# --- the movable units of a program ------------------------------------------------------------


def units(starts: list[int], ends: list[int], body_end: int) -> list[tuple[int, int]]:
    """Each motion's unit: from the first line of its statement (or inline FOLD) up to the next
    motion's first line; the last one up to ``body_end`` (the routine's closing line)."""
    out = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else body_end
        out.append((start, max(end, ends[k])))
    return out


def block_balance(lines, spans, opens: re.Pattern, closes: re.Pattern, code) -> str | None:
    """Why units cannot be re-ordered, or None: every unit must open and close its own blocks
    (IF … ENDIF, FOR … ENDFOR) and all must start at the same depth."""
    if not spans:
        return None
    depth = 0
    first, last = spans[0][0], spans[-1][1]
    unit_starts = {s for s, _ in spans}
    start_depth = None
    for index in range(first, last):
        if index in unit_starts:
            if start_depth is None:
                start_depth = depth
            elif depth != start_depth:
                return f"line {index + 1}: a motion inside a block (IF, loop, FOR) that others are outside of"
        text = code(lines[index])
        if closes.search(text):
            depth -= 1
            if depth < (start_depth or 0):
                return f"line {index + 1}: a block closes inside a motion's statements"
        if opens.search(text):
            depth += 1
    return None if depth == (start_depth or 0) else f"line {last}: a block opened between motions is not closed"


def reordered_text(program: Program, order: list[int]) -> str:
    """The program's text with its motion units in ``order`` (indices into ``program.motions``);
    every other line stays where it is."""
    if sorted(order) != list(range(len(program.motions))):
        raise ValueError(f"{program.file}: a new order must name each of its {len(program.motions)} "
                         f"motions once, got {order}")
    if order == sorted(order):
        return "".join(program.lines)
    if program.reorder_blocked:
        fail(program.file, None, f"motions that can be re-ordered; {program.reorder_blocked}")
    lines = list(program.lines)
    spans = [m.unit for m in program.motions]
    out = []
    cursor = 0
    for slot, span in enumerate(spans):
        out.extend(lines[cursor:span[0]])
        chosen = spans[order[slot]]
        out.extend(lines[chosen[0]:chosen[1]])  # a unit ends before the routine's END: its line end is its own
        cursor = span[1]
    out.extend(lines[cursor:])
    return "".join(out)


def numbers(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", text)]


def override(path, n: int, percent: float, motions: list, constructs: list, text: str) -> float | None:
    """A program's speed override (share) set at line ``n``: before the first motion it is the
    robot's; after it, it changes part of the program, which cyclecore reports and does not time."""
    if not 0.0 < percent <= 100.0:
        fail(path, n, "a speed override in (0, 100] %", f"{percent:g} %")
    if motions:
        constructs.append(Construct(n, text, "an override changed between motions: not timed (the robot's "
                                             "speed_override is the one set before the first motion)"))
        return None
    return percent / 100.0
