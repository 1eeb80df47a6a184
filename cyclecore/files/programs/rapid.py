"""ABB RAPID: a ``.mod`` module.

robtarget ``[[x,y,z],[q1,q2,q3,q4],[cf1,cf4,cf6,cfx],[eax]]`` (mm, w-first quaternion) and
jointtarget ``[[j1..j6],[eax]]`` (deg), declared (``CONST|PERS|VAR``, optionally ``LOCAL``/``TASK``)
or written in the move; ``Offs(p, dx, dy, dz)`` (work-object frame) and ``RelTool(p, dx, dy, dz
[\\Rx][\\Ry][\\Rz])`` (tool frame) on a declared target with literal offsets. MoveJ, MoveL, MoveC,
MoveAbsJ and the ``…DO`` forms; speeddata ``v100`` or declared (``v_tcp`` mm/s), zonedata ``fine``,
``z50``; tooldata and wobjdata declared in the module (pose in base = uframe · oframe · target).
The configuration cf1, cf4, cf6 gives the quadrant of axes 1, 4 and 6; cfx depends on the arm and
is not used. ABB limits a MoveJ by its TCP speed only loosely, so a MoveJ is timed at full joint
speed (reported once); ``AccSet`` gives the acceleration share. PROC main (or the first PROC, or the one named) is read; a call of a PROC of
the module that moves the robot (``Path_10;``, as RobotStudio writes them) is followed, its motions
counted at the call in file order (the program then cannot be re-ordered); a moving PROC called
with arguments (targets passed in) or calling itself is refused.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np

from cyclecore.files.programs.program import (
    IDENTITY, Construct, Motion, Program, ProgramTimes, block_balance, checked, fail, matrix, pose_fields,
    quaternion_matrix, read_lines, units,
)

MOVES = {"MOVEJ": "ptp", "MOVEL": "linear", "MOVEC": "circular", "MOVEABSJ": "ptp", "MOVEJDO": "ptp",
         "MOVELDO": "linear", "MOVECDO": "circular"}
DECL = re.compile(r"^(?:LOCAL\s+|TASK\s+)*(CONST|PERS|VAR)\s+(\w+)\s+(\w+)\s*(?:\{[^}]*\})?\s*:=\s*(.*)$",
                  re.I | re.S)
BLOCK_OPEN = re.compile(r"^\s*(IF\b.*\bTHEN\s*$|FOR\b|WHILE\b|TEST\b)", re.I)
BLOCK_CLOSE = re.compile(r"^\s*(ENDIF|ENDFOR|ENDWHILE|ENDTEST)\b", re.I)
CONTROL = re.compile(r"^(IF|ELSE|ELSEIF|ENDIF|FOR|ENDFOR|WHILE|ENDWHILE|TEST|CASE|DEFAULT|ENDTEST|GOTO|"
                     r"RETURN|EXIT|STOP|BREAK|RAISE|TRYNEXT|RETRY)\b", re.I)
NEUTRAL = re.compile(r"^(ConfJ|ConfL|TPWrite|TPErase|ClkReset|ClkStart|ClkStop|SingArea|VelSet|"
                     r"ErrWrite|%%%|VERSION|LANGUAGE)\b", re.I)


def code_of(line: str) -> str:
    out, quoted = [], False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        if ch == "!" and not quoted:
            break
        out.append(ch)
    return "".join(out).strip()


def _statements(lines):
    """(first line index, last line index, code) of each ``;``-terminated statement, and of the
    block lines (MODULE, PROC, ENDPROC, IF … THEN, ENDIF …) that need no ``;``."""
    out, buffer, first = [], "", None
    for index, line in enumerate(lines):
        code = code_of(line)
        if not code:
            continue
        if first is None and not buffer and re.match(
                r"^(MODULE|ENDMODULE|(LOCAL\s+)?PROC|ENDPROC|FUNC|ENDFUNC|TRAP|ENDTRAP|IF\b.*THEN$|ELSE$|"
                r"ELSEIF\b.*THEN$|ENDIF|FOR\b.*DO$|ENDFOR|WHILE\b.*DO$|ENDWHILE|TEST\b|CASE\b.*:$|DEFAULT:|"
                r"ENDTEST|%%%|VERSION:|LANGUAGE:)", code, re.I):
            out.append((index, index, code))
            continue
        if first is None:
            first = index
        buffer += (" " if buffer else "") + code
        if buffer.endswith(";"):
            out.append((first, index, buffer[:-1].strip()))
            buffer, first = "", None
    if buffer:
        fail_at = first + 1
        return out, fail_at
    return out, None


def _value(text: str, path, n):
    """A RAPID aggregate ``[[1,2],[TRUE,"x"]]`` as nested lists (numbers, bools, strings, names)."""
    tokens = re.findall(r'"[^"]*"|\[|\]|,|[^\[\],\s][^\[\],]*', text)
    position = 0

    def parse():
        nonlocal position
        if position >= len(tokens):
            fail(path, n, "a complete value [ … ] (is the declaration cut short?)", text)
        token = tokens[position]
        position += 1
        if token == "[":
            items = []
            while True:
                if position >= len(tokens):
                    fail(path, n, "a complete value [ … ] (is the declaration cut short?)", text)
                if tokens[position] == "]":
                    position += 1
                    return items
                items.append(parse())
                if position < len(tokens) and tokens[position] == ",":
                    position += 1
        token = token.strip()
        if token.upper() in ("TRUE", "FALSE"):
            return token.upper() == "TRUE"
        try:
            return float(token)
        except ValueError:
            return token

    result = parse()
    if position != len(tokens):
        fail(path, n, "one value", text)
    return result


def _split_args(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += ch
    if current.strip():
        parts.append(current.strip())
    return parts


def _positional(args: list[str]) -> tuple[list[str], dict]:
    """Positional arguments and the ``\\Name:=value`` / ``\\Switch`` optional ones."""
    positional, optional = [], {}
    for arg in args:
        pieces = re.split(r"\\(?![^\[]*\])", arg)
        head = pieces[0].strip()
        if head:
            positional.append(head)
        for piece in pieces[1:]:
            name, _, value = piece.partition(":=")
            optional[name.strip().upper()] = value.strip()
    return positional, optional


def _robtarget(value, path, n):
    try:
        (x, y, z), q, conf = value[0], value[1], value[2]
        return quaternion_matrix([x, y, z], q), [int(c) for c in conf]
    except (TypeError, ValueError, IndexError):
        fail(path, n, "a robtarget [[x,y,z],[q1,q2,q3,q4],[cf1,cf4,cf6,cfx],[eax]]")


def _external_axes_used(value) -> bool:
    """Whether a robtarget or jointtarget gives an external axis a value (unused ones are 9E9)."""
    try:
        return any(isinstance(v, float) and abs(v) < 8.9e9 for v in value[-1])
    except (TypeError, IndexError):
        return False


def _frame(value, path, n):
    try:
        (x, y, z), q = value[0], value[1]
        return quaternion_matrix([x, y, z], q)
    except (TypeError, ValueError, IndexError):
        fail(path, n, "a pose [[x,y,z],[q1,q2,q3,q4]]")


def read_rapid(path: Path, times: ProgramTimes, routine: str | None = None) -> Program:
    lines, encoding = read_lines(path)
    statements, open_at = _statements(lines)
    if open_at:
        fail(path, open_at, "a statement ending with ';' (the file is cut short)")
    decls = {}
    for first, _, code in statements:
        m = DECL.match(code)
        if m:
            decls[m.group(3).upper()] = (m.group(2).lower(), _value(m.group(4), path, first + 1), first + 1)
    procs = [(i, s) for i, s in enumerate(statements) if re.match(r"^(LOCAL\s+)?PROC\s+\w+", s[2], re.I)]
    if not procs:
        fail(path, None, "a PROC (a RAPID module)")
    names = [re.match(r"^(?:LOCAL\s+)?PROC\s+(\w+)", s[2], re.I).group(1) for _, s in procs]
    main = next((k for k, name in enumerate(names) if name.lower() == (routine or "main").lower()), None)
    if main is None:
        if routine is not None:
            fail(path, None, f"a PROC {routine} in the module")
        main = 0
    start = procs[main][0]
    end = next((i for i in range(start + 1, len(statements)) if re.match(r"^ENDPROC\b", statements[i][2], re.I)), None)
    if end is None:
        fail(path, statements[start][0] + 1, "ENDPROC closing this PROC (the file is cut short)")
    moving = {}  # PROCs that move the robot: name -> (PROC statement index, ENDPROC statement index)
    for (i, s), name in zip(procs, names):
        stop = next((j for j in range(i + 1, len(statements)) if re.match(r"^ENDPROC\b", statements[j][2], re.I)),
                    len(statements))
        if any(re.match(r"^(\w+)", t[2]) and re.match(r"^(\w+)", t[2]).group(1).upper() in MOVES
               for t in statements[i:stop]):
            moving[name.upper()] = (i, stop)

    motions, constructs, starts, ends = [], [], [], []
    pending = [0.0, 0.0, []]
    told_movej = told_external = False
    accel = [1.0]  # AccSet's share, modal
    blocked = None

    def walk(first_statement: int, last_statement: int, call, stack: tuple) -> None:
        """Read statements first..last-1 of a PROC; ``call``: the (first, end) lines of the call
        being followed into another PROC (its motions then sit in that call's unit)."""
        nonlocal pending, told_movej, told_external, blocked
        for first, last, code in statements[first_statement:last_statement]:
            n = first + 1
            word = re.match(r"^(\w+)", code)
            keyword = word.group(1).upper() if word else ""
            if keyword in MOVES:
                kind = MOVES[keyword]
                args, optional = _positional(_split_args(code[len(keyword):].strip()))
                if "CONC" in optional:
                    constructs.append(Construct(n, code, "\\Conc: the next statements run during this move; "
                                                         "timed as if they followed it"))
                count = 2 if kind == "circular" else 1
                if len(args) < count + 3:
                    fail(path, n, f"{keyword} with target(s), speed, zone and tool", code)
                wobj = _named(optional.get("WOBJ", "wobj0"), "wobjdata", decls, path, n)
                tool = _named(args[count + 2], "tooldata", decls, path, n)
                points = [_target(a, keyword, decls, wobj, tool, path, n) for a in args[:count]]
                if not told_external and any(_external_axes_used(_raw_target(a, keyword, decls)) for a in args[:count]):
                    told_external = True
                    constructs.append(Construct(n, code, "external axes (track, positioner, YuMi's arm angle) "
                                                         "are not timed"))
                speed = _speed(args[count], decls, path, n)
                if "V" in optional:
                    speed = _number(optional["V"], path, n) / 1000.0
                if "T" in optional:
                    constructs.append(Construct(n, code, "\\T (move time) not read: timed at the programmed speed"))
                zone = args[count + 1]
                if kind == "ptp" and not told_movej and keyword != "MOVEABSJ":
                    told_movej = True
                    constructs.append(Construct(n, code, "MoveJ speed is a TCP speed ABB applies loosely to joint "
                                                         "moves: timed at full joint speed"))
                if motions:
                    motions[-1] = _add(motions[-1], *pending)
                    pending = [0.0, 0.0, []]
                target, via = points[-1], points[0] if kind == "circular" else None
                label = args[count - 1] if not args[count - 1].startswith("[") else _literal_label(args[count - 1])
                motions.append(checked(path, dataclasses.replace(
                    _motion(n, label, kind, target, via, args[count + 2], tool, speed if kind != "ptp" else None,
                            None if zone.lower() == "fine" else zone, pending),
                    acceleration=None if accel[0] == 1.0 else accel[0])))
                pending = [0.0, 0.0, []]
                starts.append(first if call is None else call[0])
                ends.append(last + 1 if call is None else call[1])
                if keyword.endswith("DO"):
                    pending[1] += times.output_s
                continue
            if keyword == "ACCSET":  # AccSet Acc, Ramp: percent of the robot's acceleration, from here on
                args, _ = _positional(_split_args(code[len(keyword):]))
                accel[0] = _number(args[0] if args else None, path, n) / 100.0
                if motions and blocked is None:
                    blocked = f"line {n}: {code} changes the acceleration between motions"
                continue
            if keyword == "WAITTIME":
                args, _ = _positional(_split_args(code[len(keyword):]))
                try:
                    pending[1] += float(args[0])
                except (ValueError, IndexError):
                    constructs.append(Construct(n, code, "a wait of a computed time: 0 s counted"))
                continue
            if keyword in ("WAITDI", "WAITDO", "WAITUNTIL", "WAITSYNCTASK"):
                pending[1] += times.input_wait_s
                continue
            if keyword in ("SETDO", "SET", "RESET", "PULSEDO", "SETAO", "SETGO"):
                pending[1] += times.output_s
                continue
            if DECL.match(code) or NEUTRAL.match(code) or re.match(r"^[\w.{}\[\]]+\s*:=", code):
                continue
            if CONTROL.match(code):
                constructs.append(Construct(n, code, "control flow: each motion is counted once, in file order"))
                continue
            if word and re.match(r"^\w+(\s+[^:=].*)?$", code):
                if keyword in moving:
                    begin, finish = moving[keyword]
                    if keyword in stack:
                        fail(path, n, f"a call cyclecore can follow; {word.group(1)} calls itself (recursion)")
                    if code.strip().upper() != keyword:
                        fail(path, n, f"a call cyclecore can follow; {word.group(1)} (line "
                                      f"{statements[begin][0] + 1}) moves the robot to targets passed as arguments")
                    constructs.append(Construct(n, code, f"{word.group(1)} (line {statements[begin][0] + 1}) moves "
                                                         "the robot: its motions are counted here, in file order"))
                    if blocked is None:
                        blocked = (f"line {n}: calls {word.group(1)}, whose motions cannot be re-ordered "
                                   "without rewriting that routine")
                    walk(begin + 1, finish, call if call is not None else (first, last + 1), stack + (keyword,))
                    continue
                seconds = times.process_time(keyword)
                if seconds is not None:
                    pending[0] += seconds
                    pending[2].append(keyword)
                else:
                    constructs.append(Construct(n, code, "a call without a configured time (process_s): 0 s counted"))
                continue
            constructs.append(Construct(n, code, "a statement cyclecore does not read: not timed"))

    walk(start + 1, end, None, (names[main].upper(),))
    if motions:
        motions[-1] = _add(motions[-1], *pending)
    body_end = statements[end][0]
    spans = units(starts, ends, body_end)
    motions = [dataclasses.replace(m, unit=s) for m, s in zip(motions, spans)]
    if blocked is None:
        blocked = block_balance(lines, spans, BLOCK_OPEN, BLOCK_CLOSE, code_of)
    if encoding == "latin-1":
        constructs.append(Construct(0, "", "the file is Latin-1, not UTF-8: written back in Latin-1"))
    module = next((re.match(r"^MODULE\s+(\w+)", s[2], re.I).group(1) for s in statements
                   if re.match(r"^MODULE\s+\w+", s[2], re.I)), path.stem)
    return Program(str(path), "rapid", module, encoding, tuple(motions), tuple(constructs), lines, blocked)


def _number(text, path, n):
    try:
        return float(text)
    except (TypeError, ValueError):
        fail(path, n, "a number", text)


def _named(name: str, kind: str, decls, path, n):
    """(name, 4x4) of a tool or work object: declared in the module, or the system's tool0/wobj0."""
    if name.lower() in ("tool0", "wobj0"):
        return name, IDENTITY
    decl = decls.get(name.upper())
    if decl is None or decl[0] != kind:
        fail(path, n, f"{kind} declared in the module; {name} is not (declared in another module of the task? "
                      "put it in this one)")
    value = decl[1]
    if kind == "tooldata":
        return name, _frame(value[1], path, decl[2])
    return name, _frame(value[3], path, decl[2]) @ _frame(value[4], path, decl[2])


def _target(text, keyword, decls, wobj, tool, path, n):
    """("pose", base-frame 4x4, conf) or ("joints", degrees)."""
    text = text.strip()
    if keyword == "MOVEABSJ":
        value = _value(text, path, n) if text.startswith("[") else _declared(text, "jointtarget", decls, path, n)
        try:
            return ("joints", tuple(float(v) for v in value[0][:6]), None)
        except (TypeError, ValueError, IndexError):
            fail(path, n, "a jointtarget [[j1..j6],[eax]]", text)
    offset = re.match(r"^(Offs|RelTool)\s*\((.*)\)$", text, re.I)
    if offset:
        args, optional = _positional(_split_args(offset.group(2)))
        base = _declared(args[0], "robtarget", decls, path, n)
        try:
            dx, dy, dz = (float(a) for a in args[1:4])
            rot = [float(optional.get(k, 0.0)) for k in ("RX", "RY", "RZ")]
        except ValueError:
            fail(path, n, f"{offset.group(1)} on a declared target with literal offsets; this one is "
                          "computed while the program runs", text)
        local, conf = _robtarget(base, path, n)
        if offset.group(1).upper() == "OFFS":
            local = local.copy()
            local[:3, 3] += np.array([dx, dy, dz]) / 1000.0
        else:
            local = local @ matrix([dx, dy, dz], [0, 0, 0])
            for axis, angle in enumerate(rot):
                spin = [0.0, 0.0, 0.0]
                spin[axis] = angle
                local = local @ matrix([0, 0, 0], spin)
        return ("pose", wobj[1] @ local, conf)
    value = _value(text, path, n) if text.startswith("[") else _declared(text, "robtarget", decls, path, n)
    local, conf = _robtarget(value, path, n)
    return ("pose", wobj[1] @ local, conf)


def _declared(name, kind, decls, path, n):
    element = re.match(r"^(\w+)\s*\{\s*(\d+)\s*\}$", name.strip())
    if element and element.group(1).upper() in decls:  # p{3}: an element of a declared array
        array = _declared(element.group(1), kind, decls, path, n)
        index = int(element.group(2))
        if not 1 <= index <= len(array) or not isinstance(array[0], list) or not isinstance(array[0][0], list):
            fail(path, n, f"an element of the {kind} array {element.group(1)}", name.strip())
        return array[index - 1]
    decl = decls.get(name.strip().upper())
    if decl is None:
        if re.match(r"^\w+$", name.strip()):
            fail(path, n, f"a {kind} declared in the module; {name.strip()} is not (a parameter or a "
                          "value computed while the program runs?)")
        fail(path, n, f"a declared or literal {kind}; this one is computed while the program runs", name)
    if decl[0] != kind:
        fail(path, n, f"a {kind}; {name} is {decl[0]}")
    return decl[1]


def _speed(text, decls, path, n) -> float | None:
    m = re.match(r"^v(\d+(?:\.\d+)?)$", text.strip(), re.I)
    if m:
        return float(m.group(1)) / 1000.0
    if text.strip().lower() == "vmax":
        return None
    decl = decls.get(text.strip().upper())
    if decl and decl[0] == "speeddata":
        return float(decl[1][0]) / 1000.0
    fail(path, n, "speeddata v5 … v7000, vmax or a declared speeddata", text)


def _motion(n, label, kind, target, via, tool_name, tool, speed, zone, pending) -> Motion:
    joints = xyz = rpy = via_xyz = via_rpy = configuration = None
    ranges = (None,) * 6
    if target[0] == "joints":
        joints = target[1]
    else:
        xyz, rpy = pose_fields(target[1])
        cf1, cf4, cf6, cfx = (target[2] + [0, 0, 0, 0])[:4]
        configuration = f"[{cf1},{cf4},{cf6},{cfx}]"
        ranges = tuple((90.0 * cf, 90.0 * cf + 90.0) if axis in (0, 3, 5) else None
                       for axis, cf in zip(range(6), (cf1, 0, 0, cf4, 0, cf6)))
    if via is not None:
        via_xyz, via_rpy = pose_fields(via[1])
    tool_xyz, tool_rpy = pose_fields(tool[1])
    return Motion(n, label, kind, xyz, rpy, joints, via_xyz, via_rpy, tool_name, tool_xyz, tool_rpy,
                  configuration, ranges, None, speed, zone, pending[0], pending[1], tuple(pending[2]), (n - 1, n))


def _add(motion, process, logic, calls):
    return dataclasses.replace(motion, process_s=motion.process_s + process, logic_s=motion.logic_s + logic,
                               calls=motion.calls + tuple(calls))


def _literal_label(text: str) -> str:
    """A literal target's name: its position (or joint values) as written (stable when motions move)."""
    first = re.match(r"^\[\s*\[([^\]]*)\]", text)
    return f"[{first.group(1).strip()}]" if first else re.sub(r"\s+", "", text)[:80]


def _raw_target(text, keyword, decls):
    """The value a move's target argument names (literal, declared, or the target under Offs/RelTool)."""
    text = re.sub(r"^(Offs|RelTool)\s*\(\s*", "", text.strip(), flags=re.I).split(",")[0] \
        if re.match(r"^(Offs|RelTool)\s*\(", text.strip(), re.I) else text.strip()
    if text.startswith("["):
        try:
            return _value(text, "", 0)
        except Exception:  # noqa: BLE001 - the target itself was read already; this only looks at eax
            return None
    decl = decls.get(text.upper())
    return decl[1] if decl else None
