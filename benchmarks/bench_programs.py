"""Reading robot programs: the 419 KB KRL file ``fahrwege_big.src`` (33 routines, 598 inline forms).

Its ``.dat`` is not published, so the benchmark writes one beside a copy (in a temporary folder)
declaring every point, PDAT, LDAT and FDAT the ``.src`` names, and then reads each of its 33
routines as a program (``read_program(..., routine=NAME)``: declarations, FOLDs, inline forms,
speeds, frames, times, units).

A call of a routine that moves is followed (its motions counted at the call). The retreat routine
moves to a point chosen from an array while the program runs, which a reader refuses; the copy
retreats to the home point instead (two lines changed), so every routine reads through.

The peer is the least any reader must do: one pass of a regular expression over the file's lines
that finds the motion statements (no declarations, frames, speeds, folds or units). The ratio says
what the rest of reading costs; it is measured in one run, beside each other.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from shared_data import shared_data_dir

from cyclecore.files.programs import read_program
from cyclecore.files.programs.krl import APPROX, MOTION, _split_targets, code_of
from cyclecore.model.errors import LineFileError

NAME = "KnoP-01__krl-for-vim9__fahrwege_big.src"


@pytest.fixture(scope="module")
def big_program(tmp_path_factory) -> tuple[Path, list[str]]:
    source = shared_data_dir() / "robot_programs" / "kuka" / NAME
    folder = tmp_path_factory.mktemp("fahrwege")
    # the retreat routine picks its point from an array at run time (a computed target, refused by
    # line); the benchmark's copy retreats to the home point instead, so every routine reads through
    text = re.sub(r"(?m)^(\s*(?:PTP|LIN)\s+)pos?Rueckzug\w*\[iMyActPosNo\]", r"\1XHOME1",
                  source.read_bytes().decode("latin-1"), flags=re.I)
    text = re.sub(r"(?m)^(\s*(?:PTP|LIN)\s+)\w*Rueckzug\w*\[iMyActPosNo\]", r"\1XHOME1", text)
    (folder / NAME).write_bytes(text.encode("latin-1"))
    points, records = set(), {}
    for line in text.splitlines():
        code = code_of(line)
        motion = MOTION.match(code)
        if motion:
            points.update(t.upper() for t in _split_targets(APPROX.sub("", motion.group(3))) if t[0] not in "{$")
        for kind, name in re.findall(r"\b(PDAT|LDAT|FDAT)_ACT\s*=\s*(\w+)", code, re.I):
            records[name.upper()] = kind.upper()
    dat = ["DEFDAT fahrwege_big"]
    for k, name in enumerate(sorted(points)):  # plausible rack positions, mm and degrees
        dat.append(f"DECL E6POS {name}={{X {1200 + k % 40 * 10},Y {-500 + k % 7 * 150},Z {900 + k % 5 * 50},"
                   f"A 0,B 90,C 0,S 2,T 35,E1 0}}")
    body = {"PDAT": "{VEL 100,ACC 100,APO_DIST 100}", "LDAT": "{VEL 2,ACC 100,APO_DIST 100}",
            "FDAT": "{TOOL_NO 1,BASE_NO 0,IPO_FRAME #BASE}"}
    dat += [f"DECL {kind} {name}={body[kind]}" for name, kind in sorted(records.items())]
    (folder / NAME.replace(".src", ".dat")).write_text("\r\n".join(dat + ["ENDDAT", ""]))
    routines = re.findall(r"^GLOBAL DEF\s+(\w+)", text, re.M)
    return folder / NAME, routines


def test_read_every_routine_of_the_419_kb_krl_program(benchmark, big_program):
    path, routines = big_program
    benchmark.group = "programs-krl-419kB"

    def read_all():  # a routine that calls another one that moves is refused by line: that is read too
        out = []
        for name in routines:
            try:
                out.append(read_program(path, routine=name))
            except LineFileError as error:
                out.append(error)
        return out

    results = benchmark(read_all)
    programs = [r for r in results if not isinstance(r, LineFileError)]
    motions = sum(len(p.motions) for p in programs)
    benchmark.extra_info.update(routines=len(results), read=len(programs), refused=len(results) - len(programs),
                                motions=motions)
    assert len(results) == 33 and motions > 100


def test_peer_one_regex_pass_finding_the_motion_lines(benchmark, big_program):
    path, routines = big_program
    benchmark.group = "programs-krl-419kB"
    pattern = re.compile(r"^\s*(PTP|LIN|CIRC|SPTP|SLIN|SCIRC)\s+(\S+)", re.I | re.M)

    def scan():
        return [pattern.findall(path.read_bytes().decode("latin-1")) for _ in routines]

    found = benchmark(scan)
    benchmark.extra_info.update(motions_per_pass=len(found[0]))
    assert len(found[0]) > 500
