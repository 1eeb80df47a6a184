"""FANUC TP, as exported to ``.ls`` (LS text).

``/MN`` holds numbered (``  12:``) or unnumbered (`` : ``) statements ending with ``;``; a circular
``C P[4]`` continues on the next line with ``: P[5] speed term``. ``/POS`` holds each point, one
block per motion group: Cartesian (UF, UT, ``CONFIG : 'N U T, t1, t4, t6'``, X/Y/Z mm, W/P/R deg
with R = Rz(R)·Ry(P)·Rx(W)) or joint (J1..J6 deg). Only group 1 (the robot) is read; others are
reported. Speeds: J in ``%`` (share of the joint maximum), ``ACCn`` the acceleration share, L/C in ``mm/sec`` or ``cm/min``; a speed
in ``sec``, ``msec``, ``deg/sec``, ``max_speed`` or a register is reported and timed at full speed.
User frames and tools are applied when the program builds them from position registers
(``PR[9,1]=…``, ``UTOOL[9]=PR[9]``); one it does not define is reported and taken as the world
frame (or the flange). CONFIG's turn numbers give the turn of J1, J4 and J6; the F/N, U/D and T/B
letters depend on the arm and are not used.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from cyclecore.files.programs.program import (
    IDENTITY, Construct, Motion, Program, ProgramTimes, block_balance, checked, fail, matrix, numbers, pose_fields,
    read_lines, units,
)

PREFIX = re.compile(r"^\s*(\d+)?\s*:(.*)$")
MOTION = re.compile(r"^(J|L|C|A)\s+(P|PR)\[([^\]]*)\]\s*(.*)$")
BLOCK_OPEN = re.compile(r":\s*FOR\b")
BLOCK_CLOSE = re.compile(r":\s*ENDFOR\b")
CONTROL = re.compile(r"^(JMP|LBL|IF|SELECT|ELSE|FOR|ENDFOR|PAUSE|ABORT|END|RUN|ERROR_PROG|RESUME_PROG|"
                     r"SKIP|MONITOR|=)", re.I)


def code_of(line: str) -> str:
    m = PREFIX.match(line)
    return m.group(2).strip().rstrip(";").strip() if m else ""


def read_tp(path: Path, times: ProgramTimes, routine: str | None = None) -> Program:
    """``routine`` is accepted for symmetry: a TP program is one routine."""
    lines, encoding = read_lines(path)
    sections = {}
    for index, line in enumerate(lines):
        m = re.match(r"^/(PROG|ATTR|APPL|MN|POS|END)\b", line)
        if m:
            sections.setdefault(m.group(1), index)
    if "PROG" not in sections or "MN" not in sections:
        fail(path, None, "a TP program with /PROG and /MN sections")
    name = lines[sections["PROG"]].split()[1] if len(lines[sections["PROG"]].split()) > 1 else path.stem
    body_end = sections.get("POS", sections.get("END", len(lines)))
    if "END" not in sections:
        fail(path, len(lines), "/END closing the program (the file is cut short)")
    points, groups_reported = _positions(lines, sections, path)

    statements = []  # (first index, last index, code)
    current, first = "", None
    for index in range(sections["MN"] + 1, body_end):
        m = PREFIX.match(lines[index])
        if not m:
            if lines[index].strip():
                fail(path, index + 1, "a statement 'n: … ;' in /MN", lines[index].strip())
            continue
        text = m.group(2).strip()
        if not text and not current:
            continue
        if first is None:
            first = index
        current += (" " if current else "") + text
        if current.endswith(";"):
            statements.append((first, index, current.rstrip(";").strip()))
            current, first = "", None
    if current:
        fail(path, first + 1, "a statement ending with ';' (the file is cut short)")

    registers: dict[int, list] = {}
    frames = {"UFRAME": {0: IDENTITY}, "UTOOL": {0: IDENTITY}}
    reported = set()
    motions, constructs, starts, ends = [], [], [], []
    pending = [0.0, 0.0, []]
    blocked = None
    for first, last, code in statements:
        n = first + 1
        if not code or code.startswith(("!", "//")):
            continue
        motion = MOTION.match(code)
        if motion:
            letter, kind_of_target, ref, rest = motion.groups()
            if kind_of_target == "PR":
                fail(path, n, f"a P[] target; PR[{ref}] is a position register set while the program runs")
            key = int(re.match(r"^\s*(\d+)", ref).group(1)) if re.match(r"^\s*\d+", ref) else None
            via = None
            if letter == "C":
                second = re.match(r"^:?\s*P\[([^\]]*)\]\s*(.*)$", rest.strip())
                if not second:
                    fail(path, n, "a circular move C P[aux] : P[end] speed term", code)
                via = _point(points, key, path, n)
                key = int(re.match(r"^\s*(\d+)", second.group(1)).group(1))
                rest = second.group(2)
            if letter == "A":
                constructs.append(Construct(n, code, "circular arc (A) timed as a linear move"))
            target = _point(points, key, path, n)
            if target["external"] and ("external", 0) not in reported:
                reported.add(("external", 0))
                constructs.append(Construct(n, code, "extended axes (E1 …) in group 1 are not timed"))
            speed, share, term, options = _speed_and_term(letter, rest, constructs, n, code, path)
            if "INC" in options.upper().split():
                fail(path, n, "an absolute target; INC moves relative to where the robot is")
            shifted = re.search(r"\b(Offset|Tool_Offset|VOFFSET)\b", options, re.I)
            if shifted:
                fail(path, n, f"a target where the program puts it; {shifted.group(1)} moves it by a register "
                              "set while the program runs")
            acc = re.search(r"\bACC\s*(\d+)\b", options)
            acceleration = None
            if acc:
                options = options[:acc.start()] + options[acc.end():]
                acceleration = min(float(acc.group(1)), 100.0) / 100.0
                if float(acc.group(1)) > 100:
                    constructs.append(Construct(n, code, f"ACC{acc.group(1)} above 100: timed at the robot's "
                                                         "acceleration (ACC100)"))
            processes = [word for word in re.findall(r"\b([A-Za-z_]\w*)\s*\[", options)
                         if times.process_time(word) is not None]  # SPOT[SD=1,P=1,S=1,ED=1] on the move
            unread = re.sub(r"\b(" + "|".join(map(re.escape, processes)) + r")\s*\[[^\]]*\]", "", options).strip() \
                if processes else options.strip()
            if unread:
                constructs.append(Construct(n, code, f"motion options not timed: {unread}"))
            uframe = _frame(frames, "UFRAME", target["uf"], registers, reported, constructs, n, code)
            utool = _frame(frames, "UTOOL", target["ut"], registers, reported, constructs, n, code)
            if motions:
                motions[-1] = _add(motions[-1], *pending)
                pending = [0.0, 0.0, []]
            kind = "ptp" if letter == "J" else "circular" if via is not None else "linear"
            motions.append(checked(path, dataclasses.replace(
                _motion(n, target, via, kind, uframe, utool, share, speed, term, pending),
                acceleration=None if acceleration in (None, 1.0) else acceleration)))
            pending = [sum(times.process_time(w) for w in processes), 0.0, [w.upper() for w in processes]]
            starts.append(first)
            ends.append(last + 1)
            continue
        wait = re.match(r"^WAIT\s+([\d.]+)\s*\(sec\)$", code)
        if wait:
            pending[1] += float(wait.group(1))
            continue
        if code.startswith("WAIT"):
            pending[1] += times.input_wait_s
            continue
        if re.match(r"^(DO|RO|GO|AO|F)\[", code):
            pending[1] += times.output_s
            continue
        pr = re.match(r"^PR\[(\d+),(\d+)\]\s*=\s*([-+]?[\d.]+)$", code)
        if pr:
            registers.setdefault(int(pr.group(1)), [0.0] * 6)[int(pr.group(2)) - 1] = float(pr.group(3))
            continue
        frame = re.match(r"^(UFRAME|UTOOL)\[(\d+)\]\s*=\s*PR\[(\d+)\]$", code)
        if frame:
            values = registers.get(int(frame.group(3)))
            if values is None:
                constructs.append(Construct(n, code, "a frame from a position register the program does not set"))
            else:
                frames[frame.group(1)][int(frame.group(2))] = matrix(values[:3], values[3:])
            if motions and blocked is None:
                blocked = f"line {n}: {code} changes a frame between motions"
            continue
        if re.match(r"^(UFRAME_NUM|UTOOL_NUM)\s*=", code):
            if motions and blocked is None:
                blocked = f"line {n}: {code} changes the frame between motions"
            continue
        call = re.match(r"^CALL\s+(\w+)", code)
        if call:
            seconds = times.process_time(call.group(1))
            if seconds is not None:
                pending[0] += seconds
                pending[2].append(call.group(1).upper())
            else:
                constructs.append(Construct(n, code, "a call without a configured time (process_s): 0 s counted"))
            continue
        if CONTROL.match(code):
            constructs.append(Construct(n, code, "control flow: each motion is counted once, in file order"))
            continue
        if re.match(r"^(MESSAGE|PAYLOAD|R\[|\$|LOCK|UNLOCK|UALM|RSR|TIMER|SR\[)", code):
            continue
        constructs.append(Construct(n, code, "a statement cyclecore does not read: not timed"))
    if motions:
        motions[-1] = _add(motions[-1], *pending)
    spans = units(starts, ends, body_end)
    motions = [dataclasses.replace(m, unit=s) for m, s in zip(motions, spans)]
    if blocked is None:
        blocked = block_balance(lines, spans, BLOCK_OPEN, BLOCK_CLOSE, lambda line: line)
    constructs.extend(Construct(line, "", f"motion group {group} (a second robot or positioner) not read")
                      for group, line in groups_reported)
    return Program(str(path), "tp", name, encoding, tuple(motions), tuple(constructs), lines, blocked)


def _positions(lines, sections, path):
    """Points of /POS by number: label, frames, pose or joints, configuration."""
    points, others = {}, {}
    if "POS" not in sections:
        return points, []
    index = sections["POS"] + 1
    end = sections.get("END", len(lines))
    while index < end:
        head = re.match(r'^\s*P\[(\d+)(?::"?([^"\]]*)"?)?\]\s*\{', lines[index])
        if not head:
            if lines[index].strip():
                fail(path, index + 1, 'a point P[n]{ … }; in /POS', lines[index].strip())
            index += 1
            continue
        start = index
        text = ""
        while index < end and "};" not in lines[index]:
            index += 1
            text += lines[index] if index < end else ""
        if index >= end:
            fail(path, start + 1, "'};' closing this point (the declaration is cut short)")
        index += 1
        number = int(head.group(1))
        groups = re.split(r"GP(\d+)\s*:", text)
        by_group = {int(groups[k]): groups[k + 1] for k in range(1, len(groups) - 1, 2)}
        if 1 not in by_group:
            fail(path, start + 1, "group 1 (GP1:) in the point", text.strip()[:60])
        for group in by_group:
            if group != 1:
                others.setdefault(group, start + 1)
        points[number] = _group(by_group[1], head.group(2) or f"P[{number}]", path, start + 1)
    return points, sorted(others.items())


def _group(text, label, path, n):
    def field(name, unit):
        m = re.search(rf"\b{name}\s*=\s*([-+]?(?:\d+\.?\d*|\.\d+))\s*{unit}", text)
        return float(m.group(1)) if m else None

    uf = re.search(r"UF\s*:\s*(\d+)", text)
    ut = re.search(r"UT\s*:\s*(\d+)", text)
    out = {"label": label, "uf": int(uf.group(1)) if uf else 0, "ut": int(ut.group(1)) if ut else 0,
           "config": None, "xyz": None, "wpr": None, "joints": None,
           "external": re.search(r"\bE\d\s*=", text) is not None}
    joints = [field(f"J{i}", "deg") for i in range(1, 7)]
    cart = [field(k, "mm") for k in "XYZ"] + [field(k, "deg") for k in "WPR"]
    if all(v is not None for v in cart):
        out["xyz"], out["wpr"] = cart[:3], cart[3:]
        config = re.search(r"CONFIG\s*:\s*'([^']*)'", text)
        if config:
            out["config"] = config.group(1)
    elif all(v is not None for v in joints):
        out["joints"] = tuple(joints)
    else:
        fail(path, n, "a point with X, Y, Z, W, P, R or J1..J6 (is it cut short?)")
    return out


def _point(points, key, path, n):
    if key is None or key not in points:
        fail(path, n, f"a point defined in /POS; P[{key}] is not")
    return points[key]


def _speed_and_term(letter, rest, constructs, n, code, path):
    m = re.match(r"^(\S+)\s+(FINE|CNT\s*R\[[^\]]*\]|CNT\s*\d+)\s*(.*)$", rest.strip())
    if not m:
        fail(path, n, "a speed and a termination (FINE or CNTn)", code)
    speed_text, term, options = m.groups()
    speed = share = None
    unit = re.match(r"^([-+]?[\d.]+)(%|mm/sec|cm/min|sec|msec|deg/sec)$", speed_text)
    if unit and unit.group(2) == "%" and letter == "J":
        share = float(unit.group(1)) / 100.0
    elif unit and unit.group(2) == "mm/sec" and letter != "J":
        speed = float(unit.group(1)) / 1000.0
    elif unit and unit.group(2) == "cm/min" and letter != "J":
        speed = float(unit.group(1)) / 6000.0
    else:
        constructs.append(Construct(n, code, f"speed {speed_text} not read: timed at full speed"))
    return speed, share, None if term == "FINE" else term.replace(" ", ""), options


def _frame(frames, kind, number, registers, reported, constructs, n, code):
    if number in frames[kind]:
        return frames[kind][number]
    if (kind, number) not in reported:
        reported.add((kind, number))
        what = "user frame" if kind == "UFRAME" else "tool"
        constructs.append(Construct(n, code, f"{what} {number} is not defined in the program: taken as "
                                             f"{'the world frame' if kind == 'UFRAME' else 'the flange'}"))
    return IDENTITY


def _motion(n, point, via, kind, uframe, utool, share, speed, term, pending) -> Motion:
    xyz = rpy = via_xyz = via_rpy = configuration = None
    ranges = (None,) * 6
    if point["joints"] is not None:
        joints = point["joints"]
    else:
        joints = None
        xyz, rpy = pose_fields(uframe @ matrix(point["xyz"], point["wpr"]))
        if point["config"]:
            configuration = point["config"]
            turns = numbers(point["config"].split(",", 1)[1]) if "," in point["config"] else []
            if len(turns) == 3:
                ranges = tuple((360.0 * t - 180.0, 360.0 * t + 180.0) if t is not None else None
                               for t in (turns[0], None, None, turns[1], None, turns[2]))
    if via is not None:
        if via["xyz"] is None:
            raise ValueError("circular auxiliary point in joint form")
        via_xyz, via_rpy = pose_fields(uframe @ matrix(via["xyz"], via["wpr"]))
    tool_xyz, tool_rpy = pose_fields(utool)
    return Motion(n, point["label"], kind, xyz, rpy, joints, via_xyz, via_rpy, f"UT {point['ut']}",
                  tool_xyz, tool_rpy, configuration, ranges, share if kind == "ptp" else None,
                  speed if kind != "ptp" else None, term, pending[0], pending[1], tuple(pending[2]), (n - 1, n))


def _add(motion, process, logic, calls):
    return dataclasses.replace(motion, process_s=motion.process_s + process, logic_s=motion.logic_s + logic,
                               calls=motion.calls + tuple(calls))
