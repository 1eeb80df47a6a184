"""KUKA KRL: a ``.src`` with its ``.dat``.

Points are E6POS/POS (X, Y, Z mm; A, B, C deg with R = Rz(A)·Ry(B)·Rx(C); S and T bits) or
E6AXIS/AXIS (A1..A6 deg), declared in the ``.dat`` (or the ``.src``) or written inline
(``PTP {A1 0,...}``, ``LIN {X ...}``). Inline forms (``;FOLD PTP P1 ...`` with a body of
``PDAT_ACT=``, ``FDAT_ACT=``, ``BAS(#PTP_PARAMS,v)``, ``PTP XP1``) move as one unit. Speeds:
``BAS(#PTP_PARAMS,v)``/``BAS(#VEL_PTP,v)`` (percent of the axis maximum), PDAT ``VEL``;
``BAS(#CP_PARAMS,v)``, ``$VEL.CP`` and LDAT ``VEL`` (m/s); accelerations from PDAT/LDAT ``ACC``
and ``BAS(#ACC_PTP,a)``/``BAS(#ACC_CP,a)`` (percent of the robot's). Frames: ``$BASE``/``$TOOL`` set to a
literal FRAME, BASE/TOOL numbers from FDAT or ``BAS(#BASE,n)`` (a number other than 0 whose
BASE_DATA the program does not hold is reported and taken as the robot base). The first DEF (the
main routine) is read, or the one named; a call of a routine of the same file that moves the robot
is followed (its motions counted at the call, in file order; the program then cannot be
re-ordered, since that would mean rewriting the routine); a routine calling itself is refused. The S bits' wrist flip (bit 2: A5 < 0) and the T bits (bit i: A(i+1) < 0)
become joint ranges; S bits 0 and 1 depend on the arm's geometry and are not used.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from cyclecore.files.programs.program import (
    IDENTITY, Construct, Motion, Program, ProgramTimes, block_balance, checked, fail, matrix, pose_fields,
    read_lines, units,
)

MOTION = re.compile(r"^\s*(PTP|LIN|CIRC|SPTP|SLIN|SCIRC)(_REL)?\s+(.*)$", re.I)
APPROX = re.compile(r"\s+(C_(?:DIS|PTP|VEL|ORI|SPL))\b", re.I)
DECL = re.compile(r"^\s*(?:GLOBAL\s+)?(?:DECL\s+)?(?:GLOBAL\s+)?(E6POS|POS|E6AXIS|AXIS|FRAME|PDAT|LDAT|FDAT)\s+(\w+)\s*=\s*(.*)$", re.I)
FOLD_OPEN = re.compile(r"^\s*;\s*FOLD\b", re.I)
FOLD_CLOSE = re.compile(r"^\s*;\s*ENDFOLD\b", re.I)
BLOCK_OPEN = re.compile(r"^\s*(IF\b.*\bTHEN\b|LOOP\b|FOR\b|WHILE\b|REPEAT\b|SWITCH\b)", re.I)
BLOCK_CLOSE = re.compile(r"^\s*(ENDIF|ENDLOOP|ENDFOR|ENDWHILE|UNTIL|ENDSWITCH)\b", re.I)
CONTROL = re.compile(r"^\s*(IF|ELSE|ENDIF|LOOP|ENDLOOP|FOR|ENDFOR|WHILE|ENDWHILE|REPEAT|UNTIL|SWITCH|CASE|"
                     r"DEFAULT|ENDSWITCH|GOTO|EXIT|RETURN|HALT|BRAKE|TRIGGER|CONTINUE)\b", re.I)
CALL = re.compile(r"^\s*(\w+)\s*\((.*)\)\s*$")
NEUTRAL = re.compile(r"^\s*(&|DEF\b|GLOBAL\s+DEF\b|DEFFCT|ENDFCT|END\b|EXT\b|EXTFCT\b|DECL\b|INT\b|REAL\b|"
                     r"BOOL\b|CHAR\b|INTERRUPT\b|GLOBAL\s+INTERRUPT\b|SIGNAL\b|\w+:\s*$)", re.I)


_ASSIGNED = re.compile(r"^(\w+)(?:\.\w+)?\s*=")
_ROUTINE = re.compile(r"^(GLOBAL\s+)?DEF\s+\w+", re.I)
_ROUTINE_NAME = re.compile(r"^(?:GLOBAL\s+)?DEF\s+(\w+)", re.I)
_END = re.compile(r"^END\b", re.I)
_ARRAY_ITEM = re.compile(r"^(\w+\[\s*\d+(?:\s*,\s*\d+)*\s*\])\s*=\s*(\{.*)$")
_CODE = re.compile(r'^((?:[^;"]|"[^"]*")*)')


def code_of(line: str) -> str:
    """A KRL line without its comment (``;`` outside strings) and surrounding blanks."""
    return _CODE.match(line).group(1).strip()


_AGGREGATE = re.compile(r"^\{\s*(?:\w+\s*:)?\s*(.*)\}\s*$")
_FIELD = re.compile(r"^(\$?\w+(?:\[\])?)\s*(.+)$")
_BITS = re.compile(r"^'B([01]+)'$", re.I)
_NUMERIC = re.compile(r"^[-+]?[\d.]")


def aggregate(text: str, file, line: int) -> dict:
    """``{E6POS: X 1,Y 2,...}`` -> {"X": 1.0, ...}; numbers, ``'B010'`` bit strings."""
    m = _AGGREGATE.match(text.strip())
    if not m:
        fail(file, line, "a complete aggregate {NAME value, ...} (is the declaration cut short?)", text.strip())
    out = {}
    for part in filter(None, (p.strip() for p in _top_level_parts(m.group(1)))):
        fm = _FIELD.match(part)
        if not fm:
            fail(file, line, "fields written NAME value", part)
        name, value = fm.group(1).upper(), fm.group(2).strip()
        bits = _BITS.match(value)
        try:
            out[name] = int(bits.group(1), 2) if bits else float(value) if _NUMERIC.match(value) else value
        except ValueError:
            fail(file, line, f"a number for {name}", value)
    return out


def _top_level_parts(text: str) -> list[str]:
    """Fields of an aggregate: split at commas outside nested braces and strings (an LDAT's
    ``CB {AUX_PT {ORI #CONSIDER,…}}``, an FDAT's ``POINT2[] " "``)."""
    parts, depth, quoted, current = [], 0, False, []
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "{":
            depth += 1
        elif not quoted and ch == "}":
            depth -= 1
        if ch == "," and depth == 0 and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts


class Declarations(dict):
    """Declared data by upper-case name: ``(kind, values, file, line)``. A declaration's braces are
    checked when the file is read (a cut-short one is refused there); its fields are parsed when a
    motion first uses it, so a large ``.dat`` costs little for a routine that uses few points."""

    def __getitem__(self, name):
        kind, value, file, line = super().__getitem__(name)
        if isinstance(value, str):
            value = aggregate(value, file, line)
            super().__setitem__(name, (kind, value, file, line))
        return kind, value, file, line


def _declarations(lines, file) -> Declarations:
    decls = Declarations()
    for index, raw in enumerate(lines):
        if "=" not in raw or ("{" not in raw and "DECL" not in raw.upper()):  # declarations are NAME={...}
            continue
        code = code_of(raw)
        m = DECL.match(code)
        item = None if m else _ARRAY_ITEM.match(code)  # XP[3]={X …}: an element of a declared array
        if m or item:
            kind, name, value = (m.group(1).upper(), m.group(2), m.group(3)) if m else ("ITEM", item.group(1),
                                                                                        item.group(2))
            value = value.strip()
            if not _AGGREGATE.match(value):
                fail(file, index + 1, "a complete aggregate {NAME value, ...} (is the declaration cut short?)", value)
            dict.__setitem__(decls, re.sub(r"\s+", "", name).upper(), (kind, value, file, index + 1))
    return decls


def _joint_ranges(values: dict) -> tuple:
    ranges = [None] * 6
    t = values.get("T")
    if isinstance(t, (int, float)):
        for axis in range(6):
            ranges[axis] = (-np.inf, 0.0) if int(t) >> axis & 1 else (0.0, np.inf)
    s = values.get("S")
    if isinstance(s, (int, float)) and ranges[4] is None:
        ranges[4] = (-np.inf, 0.0) if int(s) >> 2 & 1 else (0.0, np.inf)
    return tuple(ranges)


def read_krl(path: Path, times: ProgramTimes, routine: str | None = None) -> Program:
    lines, encoding = read_lines(path)
    dat = next((p for p in path.parent.glob("*") if p.stem.lower() == path.stem.lower()
                and p.suffix.lower() == ".dat"), None)
    dat_lines = read_lines(dat)[0] if dat else ()
    decls = _declarations(dat_lines, dat)
    for name, entry in dict.items(_declarations(lines, path)):
        dict.__setitem__(decls, name, entry)
    _check_folds(lines, path)
    codes = [code_of(line) for line in lines]
    assigned = {m.group(1).upper() for c in codes if "=" in c for m in [_ASSIGNED.match(c)] if m}
    routines = [i for i, c in enumerate(codes) if "DEF" in c.upper() and _ROUTINE.match(c)]
    if not routines:
        fail(path, None, "a DEF routine (a KRL .src program)")
    main_start = routines[0]
    if routine is not None:
        named = [i for i in routines if re.match(rf"^(GLOBAL\s+)?DEF\s+{re.escape(routine)}\s*\(", codes[i], re.I)]
        if not named:
            fail(path, None, f"a routine DEF {routine}( ) in the file")
        main_start = named[0]
    main_end = _routine_end(codes, main_start)
    if main_end == len(codes):
        fail(path, main_start + 1, "END closing the routine DEF (the file is cut short)")
    moving = _moving_routines(codes, routines)
    if dat is None:  # a missing .dat is named first: it is what the user has to fetch
        for index, text in enumerate(codes):
            motion = MOTION.match(text)
            for target in _split_targets(APPROX.sub("", motion.group(3))) if motion else ():
                if target[:1] not in ("{", "$") and target.upper() not in decls and target.upper() not in assigned:
                    fail(path, index + 1, f"the point {target}, declared in "
                                          f"{path.with_suffix('.dat').name}, which is absent")
    name = re.match(r"^(?:GLOBAL\s+)?DEF\s+(\w+)", codes[main_start], re.I).group(1)

    state = dict(ptp=None, cp=None, acc_ptp=None, acc_cp=None, base=IDENTITY, base_name="0", tool=IDENTITY,
                 tool_name="0", approximation=None)
    reported_frames = set()
    motions, constructs = [], []
    starts, ends = [], []
    blocked = None
    pending_process = pending_logic = 0.0
    pending_calls = []

    def walk(first: int, last: int, call: int | None, stack: tuple) -> None:
        """Read lines first..last-1 of a routine; ``call``: the line index of the call being
        followed into another routine (its motions then sit in that call's unit)."""
        nonlocal blocked, pending_process, pending_logic, pending_calls
        fold_start = None  # index of the top-level FOLD the current line is in
        depth = 0
        for index in range(first, last):
            raw, text = lines[index], codes[index]
            n = index + 1
            if FOLD_OPEN.match(raw):
                if depth == 0:
                    fold_start = index
                depth += 1
                continue
            if FOLD_CLOSE.match(raw):
                depth -= 1
                if depth == 0 and call is None and starts and starts[-1] == fold_start:
                    ends[-1] = index + 1
                continue
            if not text:
                continue
            upper = text.upper()
            motion = MOTION.match(text)
            if motion:
                keyword, relative, rest = motion.group(1).upper(), motion.group(2), motion.group(3)
                if relative:
                    fail(path, n, f"an absolute target; {keyword}_REL moves relative to where the robot is")
                approximation = " ".join(a.upper() for a in APPROX.findall(rest)) or None
                rest = APPROX.sub("", rest).strip()
                if re.match(r"^\$(AXIS_ACT|POS_ACT)\b", rest, re.I):
                    constructs.append(Construct(n, text, "moves to where the robot already is: no target"))
                    continue
                with_clause = re.search(r"\s+WITH\s+", rest, re.I)
                if with_clause:  # spline forms: SPTP XP1 WITH $VEL_AXIS[1] = SVEL_JOINT(100.0), ...
                    _spline_parameters(rest[with_clause.end():], state, decls, path, n)
                    rest = rest[:with_clause.start()]
                targets = _split_targets(rest)
                count = 2 if keyword in ("CIRC", "SCIRC") else 1
                if len(targets) < count:
                    fail(path, n, "CIRC with an auxiliary point and a target", text)
                points = [_point(t, decls, assigned, dat, path, n) for t in targets[:count]]
                if not reported_frames.issuperset({("external", "")}) and any(
                        isinstance(v, float) and v != 0.0 for _, values in points
                        for key, v in values.items() if re.match(r"^E[1-6]$", key)):
                    reported_frames.add(("external", ""))
                    constructs.append(Construct(n, text, "external axes E1..E6 (track, positioner) are not timed"))
                if len(targets) > count:
                    constructs.append(Construct(n, text, "options after the target (CA, orientation) not timed"))
                target, via = points[-1], points[0] if keyword in ("CIRC", "SCIRC") else None
                for frame_kind in ("base", "tool"):
                    number = state[f"{frame_kind}_name"]
                    if number not in ("0", "literal") and (frame_kind, number) not in reported_frames:
                        reported_frames.add((frame_kind, number))
                        what = (f"{frame_kind.upper()}_DATA[{number}] is not in the program" if number != "?"
                                else f"the {frame_kind.upper()} is chosen while the program runs")
                        constructs.append(Construct(n, text, f"{what}: taken as the robot "
                                                             f"{'base' if frame_kind == 'base' else 'flange'}"))
                kind = "ptp" if keyword in ("PTP", "SPTP") else "circular" if via is not None else "linear"
                if kind != "ptp" and target[0] == "joints":
                    fail(path, n, f"a Cartesian target for {keyword} (a joint target moves PTP)")
                if motions:  # what followed the previous motion is its time; before the first, this one's
                    motions[-1] = _with_time(motions[-1], pending_process, pending_logic, pending_calls)
                process, logic, calls = (pending_process, pending_logic, pending_calls) if not motions else (0.0, 0.0, [])
                pending_process = pending_logic = 0.0
                pending_calls = []
                motions.append(checked(path, _motion(n, targets[-1], kind, target, via, state,
                                                     approximation or state["approximation"], process, logic, calls)))
                unit = call if call is not None else fold_start if depth > 0 and fold_start is not None else index
                starts.append(unit)
                ends.append(unit + 1)
                continue
            if depth > 0 and re.match(r"^(\$BWDSTART|PDAT_ACT|FDAT_ACT|LDAT_ACT|BAS\s*\(#(PTP|CP)_PARAMS|"
                                      r"BAS\s*\(#(PTP_DAT|CP_DAT|FRAMES))", upper):
                _inline_setting(text, upper, state, decls, path, n)
                continue
            setting = _setting(text, upper, state, decls, path, n)
            if setting:
                if motions and blocked is None and setting == "frame":
                    blocked = f"line {n}: {text} changes a frame between motions"
                continue
            wait = re.match(r"^WAIT\s+SEC\s+(.+)$", upper)
            if wait:
                try:
                    pending_logic += float(wait.group(1))
                except ValueError:
                    constructs.append(Construct(n, text, "a wait of a computed time: 0 s counted"))
                continue
            if re.match(r"^WAIT\s+FOR\b", upper):
                pending_logic += times.input_wait_s
                continue
            if re.match(r"^\$OUT\[", upper) or re.match(r"^PULSE\s*\(", upper):
                pending_logic += times.output_s
                continue
            call_match = CALL.match(text)
            if call_match and not re.match(r"^(IF|WHILE|UNTIL|SWITCH)\b", upper):
                called = call_match.group(1).upper()
                if called in moving:
                    if called in stack:
                        fail(path, n, f"a call cyclecore can follow; {call_match.group(1)} calls itself (recursion)")
                    begin, finish = moving[called]
                    constructs.append(Construct(n, text, f"{call_match.group(1)} (line {begin + 1}) moves the "
                                                         "robot: its motions are counted here, in file order"))
                    if blocked is None:
                        blocked = (f"line {n}: calls {call_match.group(1)}, whose motions cannot be re-ordered "
                                   "without rewriting that routine")
                    walk(begin + 1, finish, index if call is None else call, stack + (called,))
                    continue
                seconds = times.process_time(called)
                if seconds is not None:
                    pending_process += seconds
                    pending_calls.append(called)
                else:
                    constructs.append(Construct(n, text, "a call without a configured time (process_s): 0 s counted"))
                continue
            if CONTROL.match(text):
                constructs.append(Construct(n, text, "control flow: each motion is counted once, in file order"))
                continue
            if NEUTRAL.match(text) or re.match(r"^[\$\w\[\]\.]+\s*=", text):
                continue
            constructs.append(Construct(n, text, "a statement cyclecore does not read: not timed"))

    walk(main_start + 1, main_end, None, (name.upper(),))
    if motions:
        motions[-1] = _with_time(motions[-1], pending_process, pending_logic, pending_calls)
    spans = units(starts, ends, main_end)
    motions = [_with_unit(m, s) for m, s in zip(motions, spans)]
    if blocked is None:
        blocked = block_balance(lines, spans, BLOCK_OPEN, BLOCK_CLOSE, code_of)
    if encoding == "latin-1":
        constructs.append(Construct(0, "", "the file is Latin-1, not UTF-8: written back in Latin-1"))
    return Program(str(path), "krl", name, encoding, tuple(motions), tuple(constructs), lines, blocked)


def _check_folds(lines, path):
    stack = []
    for index, line in enumerate(lines):
        if ";" not in line:
            continue
        if FOLD_OPEN.match(line):
            stack.append(index + 1)
        elif FOLD_CLOSE.match(line):
            if not stack:
                fail(path, index + 1, "an ;ENDFOLD that closes an open ;FOLD (this one closes none)")
            stack.pop()
    if stack:
        fail(path, stack[-1], f"an ;ENDFOLD for this ;FOLD (the file ends with {len(stack)} FOLD(s) open)")


def _moving_routines(codes, routines) -> dict:
    """Routines of the file that move the robot: name -> (DEF line index, END line index)."""
    out = {}
    for start in routines:
        end = _routine_end(codes, start)
        name = _ROUTINE_NAME.match(codes[start]).group(1).upper()
        if any(MOTION.match(c) for c in codes[start:end]):
            out[name] = (start, end)
    return out


def _routine_end(codes, start: int) -> int:
    """Index of the END closing the DEF at ``start`` (len(codes) when there is none)."""
    return next((i for i in range(start + 1, len(codes)) if codes[i][:3].upper() == "END" and _END.match(codes[i])),
                len(codes))


def _split_targets(rest: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in rest:
        if ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
        if ch in ", \t" and depth == 0:
            if current.strip():
                parts.append(current.strip())
            current = ""
            continue
        current += ch
    if current.strip():
        parts.append(current.strip())
    return parts


def _point(target: str, decls, assigned, dat, path, n):
    """("pose", values) or ("joints", values) of a target written in a motion."""
    if target.startswith("{"):
        values = aggregate(target, path, n)
    else:
        name = re.sub(r"\s+", "", target).upper()
        if "[" in name and name not in decls:
            fail(path, n, f"a declared or literal target; {target} is an array element chosen while the program runs")
        if name not in decls:
            if name in assigned:
                fail(path, n, f"a declared or literal target; {target} is computed while the program runs")
            if dat is None:
                fail(path, n, f"the point {target}, declared in {path.with_suffix('.dat').name}, which is absent")
            fail(path, n, f"a point declared in {path.name} or {dat.name}; {target} is not")
        kind, values, _, _ = decls[name]
        if kind in ("PDAT", "LDAT", "FDAT"):
            fail(path, n, f"a point; {target} is {kind} data")
    for key in ("X", "Y", "Z", "A", "B", "C", "A1", "A2", "A3", "A4", "A5", "A6"):
        if key in values and not isinstance(values[key], float):
            fail(path, n, f"a number for {key} of {target}", values[key])
    if all(k in values for k in ("X", "Y", "Z")):
        return ("pose", values)
    if all(f"A{i}" in values for i in range(1, 7)):
        return ("joints", values)
    fail(path, n, "a target with X, Y, Z (and A, B, C) or A1..A6", target)


def _motion(n, label, kind, target, via, state, approximation, process, logic, calls) -> Motion:
    joints = xyz = rpy = via_xyz = via_rpy = None
    configuration, ranges = None, (None,) * 6
    if target[0] == "joints":
        joints = tuple(float(target[1][f"A{i}"]) for i in range(1, 7))
    else:
        v = target[1]
        local = matrix([v["X"], v["Y"], v["Z"]], [v.get("C", 0.0), v.get("B", 0.0), v.get("A", 0.0)])
        xyz, rpy = pose_fields(state["base"] @ local)
        if "S" in v or "T" in v:
            configuration = f"S {int(v.get('S', 0))} T {int(v.get('T', 0))}"
            ranges = _joint_ranges(v)
    if via is not None:
        w = via[1]
        via_xyz, via_rpy = pose_fields(state["base"] @ matrix([w["X"], w["Y"], w["Z"]],
                                                               [w.get("C", 0.0), w.get("B", 0.0), w.get("A", 0.0)]))
    tool_xyz, tool_rpy = pose_fields(state["tool"])
    label = label if not label.startswith("{") else _literal_label(label)
    acceleration = state["acc_ptp"] if kind == "ptp" else state["acc_cp"]
    return Motion(n, label, kind, xyz, rpy, joints, via_xyz, via_rpy, f"tool {state['tool_name']}",
                  tool_xyz, tool_rpy, configuration, ranges,
                  state["ptp"] if kind == "ptp" else None, state["cp"] if kind != "ptp" else None,
                  approximation, process, logic, tuple(calls), (n - 1, n),
                  None if acceleration is None or acceleration == 1.0 else acceleration)


def _with_time(motion: Motion, process, logic, calls) -> Motion:
    import dataclasses

    return dataclasses.replace(motion, process_s=motion.process_s + process, logic_s=motion.logic_s + logic,
                               calls=motion.calls + tuple(calls))


def _with_unit(motion: Motion, span) -> Motion:
    import dataclasses

    return dataclasses.replace(motion, unit=span)


def _number(text, path, n):
    try:
        return float(text)
    except ValueError:
        fail(path, n, "a number", text)


def _inline_setting(text, upper, state, decls, path, n):
    m = re.match(r"^BAS\s*\(#(PTP|CP)_PARAMS\s*,\s*([^)]+)\)", upper)
    if m:
        value = _number(m.group(2), path, n)
        if m.group(1) == "PTP":
            state["ptp"] = value / 100.0
        else:
            state["cp"] = value
        return
    m = re.match(r"^(PDAT_ACT|LDAT_ACT|FDAT_ACT)\s*=\s*(\w+)", upper)
    if m and m.group(2) in decls:
        values = decls[m.group(2)][1]
        if m.group(1) in ("PDAT_ACT", "LDAT_ACT") and isinstance(values.get("ACC"), float):
            state["acc_ptp" if m.group(1) == "PDAT_ACT" else "acc_cp"] = values["ACC"] / 100.0
        if m.group(1) == "PDAT_ACT" and isinstance(values.get("VEL"), float):
            state["ptp"] = values["VEL"] / 100.0
        elif m.group(1) == "LDAT_ACT" and isinstance(values.get("VEL"), float):
            state["cp"] = values["VEL"]
        elif m.group(1) == "FDAT_ACT":
            for key, frame in (("BASE_NO", "base"), ("TOOL_NO", "tool")):
                if isinstance(values.get(key), float):
                    state[f"{frame}_name"] = f"{int(values[key])}"
                    state[frame] = IDENTITY
    elif m and m.group(2) not in ("PDEFAULT", "LDEFAULT"):
        fail(path, n, f"{m.group(2)} declared in the .dat", text)


def _setting(text, upper, state, decls, path, n) -> str | None:
    """Apply a speed, frame or tool setting; 'speed', 'frame' or None (not a setting)."""
    m = re.match(r"^BAS\s*\(#ACC_(PTP|CP)\s*,\s*([^)]+)\)", upper)
    if m:
        state["acc_ptp" if m.group(1) == "PTP" else "acc_cp"] = _number(m.group(2), path, n) / 100.0
        return "speed"
    m = re.match(r"^BAS\s*\(#(VEL_PTP|PTP_PARAMS)\s*,\s*([^)]+)\)", upper)
    if m:
        state["ptp"] = _number(m.group(2), path, n) / 100.0
        return "speed"
    m = re.match(r"^BAS\s*\(#CP_PARAMS\s*,\s*([^)]+)\)", upper) or re.match(r"^\$VEL\.CP\s*=\s*(.+)$", upper)
    if m:
        state["cp"] = _number(m.group(1), path, n)
        return "speed"
    m = re.match(r"^BAS\s*\(#(BASE|TOOL)\s*,\s*([^)]+)\)", upper)
    if m:
        frame = m.group(1).lower()
        state[f"{frame}_name"] = f"{int(_number(m.group(2), path, n))}"
        state[frame] = IDENTITY
        return "frame"
    m = re.match(r"^\$(BASE|TOOL)\s*=\s*(.+)$", text, re.I)
    if m:
        frame = m.group(1).lower()
        value = m.group(2).strip()
        if value.startswith("{"):
            v = aggregate(value, path, n)
            state[frame] = matrix([v.get("X", 0.0), v.get("Y", 0.0), v.get("Z", 0.0)],
                                  [v.get("C", 0.0), v.get("B", 0.0), v.get("A", 0.0)])
            state[f"{frame}_name"] = "literal"
        elif value.upper() in decls:
            v = decls[value.upper()][1]
            state[frame] = matrix([v.get("X", 0.0), v.get("Y", 0.0), v.get("Z", 0.0)],
                                  [v.get("C", 0.0), v.get("B", 0.0), v.get("A", 0.0)])
            state[f"{frame}_name"] = "literal"
        elif value.upper() == "$NULLFRAME":
            state[frame] = IDENTITY
            state[f"{frame}_name"] = "0"
        else:
            number = re.match(r"^(BASE|TOOL)_DATA\[(\d+)\]$", value, re.I)
            state[frame] = IDENTITY
            state[f"{frame}_name"] = number.group(2) if number else "?"  # chosen while the program runs
        return "frame"
    return None


def _literal_label(text: str) -> str:
    """A literal target's name: its values as written, compacted (stable when motions move)."""
    inner = re.sub(r"^\{\s*(?:\w+\s*:)?\s*", "", text).rstrip("} ")
    return re.sub(r"\s+", " ", inner)[:80]


def _spline_parameters(text: str, state: dict, decls: dict, path, n) -> None:
    """The speeds of a spline move's ``WITH`` list (``$VEL_AXIS[1] = SVEL_JOINT(100.0)``,
    ``$VEL = SVEL_CP(2.0, , LCPDAT1)``); frames there (``STOOL2``, ``SBASE``) come from FDAT."""
    joint = re.search(r"SVEL_JOINT\s*\(\s*([-+\d.]+)", text, re.I)
    if joint:
        state["ptp"] = _number(joint.group(1), path, n) / 100.0
    cp = re.search(r"SVEL_CP\s*\(\s*([-+\d.]+)", text, re.I)
    if cp:
        state["cp"] = _number(cp.group(1), path, n)
