"""Robot programs in and out (issue 13): the 14 public programs, poses against the file's own
numbers, configuration hints against forward kinematics, import → export → import, the analysis
of an imported program, and malformed programs refused by file and line."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import numpy as np
import pytest
from scipy.spatial.transform import Rotation
from shared_data import shared_data_dir
from typer.testing import CliRunner

from cyclecore.analysis.deterministic import analyze
from cyclecore.cli import app
from cyclecore.files.programs import import_programs, program_in_new_order, read_program, task_names
from cyclecore.model.errors import LineFileError
from cyclecore.model.robot_models import bundled_robot_models
from cyclecore.robot.motion import ptp_duration

RUNNER = CliRunner()


def programs_dir() -> Path:
    return shared_data_dir() / "robot_programs"


# What each public program gives: "imports", or the words of the exit-2 message (file:line named).
# Three read well but were written for arms that are not bundled (KR 16-2, IRB 1200, IRB 1660): the
# default model of their vendor cannot reach their targets, which the line's checks say by file:line.
OUTCOMES = {
    "kuka/KnoP-01__krl-for-vim9__FOLGE128.src": "line 39: the point P0, declared in KnoP-01__krl-for-vim9__FOLGE128.dat, which is absent",
    "kuka/KnoP-01__krl-for-vim9__fahrwege_big.src": "line 153: the point XHOME1, declared in KnoP-01__krl-for-vim9__fahrwege_big.dat, which is absent",
    "kuka/RoboDK__Industrial-Robots-VSCode__Program.src": "RoboDK__Industrial-Robots-VSCode__Program.src:52 (Program A1 -0.00000,A2 -3.68662,A3 -0.70290,A4 -0.00000,A5 -56.11471,A6 0.00000).joints_deg: got [-0.0, -3.68662, -0.7029, -0.0, -56.11471, 0.0], axis A2 outside the joint limits of KR210-R3100-2",
    "kuka/SunFIow__KRL_Pathmaker__Dragon_Path.src": "line 868: a declared or literal target; robopos is computed",
    "abb/JiajunGuo1027__ABB-Robots-Group-Object__MainModule.mod": "JiajunGuo1027__ABB-Robots-Group-Object__MainModule.mod:10 (MainModule [-54.37,-257.08,46.13]).pose",
    "abb/RoboLab-FIUNER__irb120-writer__Module1.mod": "line 11: wobjdata declared in the module; vidrio is not",
    "abb/asierzd__HanoiTowersABBRobot__Module1.mod": "line 22: tooldata declared in the module; MiAspiradorTool is not",
    "abb/RoboDK__Industrial-Robots-VSCode__Program.mod": "RoboDK__Industrial-Robots-VSCode__Program.mod:24 (MOD_Program [18.715,147.321,458.168]).pose: got [0.018715, 0.147321, 0.458168], not reachable by robot MOD_Program (IRB2400-10)",
    "abb/rparak__ABB-RobotStudio-YUMI-Tower-of_Hanoi__Module1.mod": "line 101: tooldata declared in the module; Servo is not",
    "fanuc/rpiRobotics__fanuc_motion_program_exec__EXAMPLE.LS": "imports",
    "fanuc/rpiRobotics__fanuc_motion_program_exec__EXAMPLE_COOR.LS": "imports",
    "fanuc/rpiRobotics__fanuc_motion_program_exec__TMPA.LS": "imports",
    "fanuc/RoboDK__Industrial-Robots-VSCode__Program.LS": "imports",
    "fanuc/onerobotics__tp.rb__test.ls": "line 296: a P[] target; PR[1:bar] is a position register",
}


@pytest.mark.parametrize("name", sorted(OUTCOMES))
def test_every_public_program_imports_or_exits_2_naming_the_file_and_line(name, tmp_path):
    source = programs_dir() / name
    result = RUNNER.invoke(app, ["import", str(source), "-o", str(tmp_path / "line.yaml")])
    assert "Traceback" not in result.output
    if OUTCOMES[name] == "imports":
        assert result.exit_code == 0, result.output
        assert (tmp_path / "line.yaml").is_file()
    else:
        assert result.exit_code == 2
        assert OUTCOMES[name] in " ".join(result.output.split())
        assert not (tmp_path / "line.yaml").exists()  # nothing half-written


def test_the_missing_dat_of_a_krl_program_is_named_even_when_a_copy_of_the_src_is_elsewhere(tmp_path):
    source = programs_dir() / "kuka/KnoP-01__krl-for-vim9__FOLGE128.src"
    copy = tmp_path / "R1.src"
    copy.write_bytes(source.read_bytes())
    with pytest.raises(LineFileError, match=r"line 39: the point P0, declared in R1.dat, which is absent"):
        read_program(copy)


# --- poses equal the file's numbers ------------------------------------------------------------------


def _matrix(xyz_m, rotation: Rotation) -> np.ndarray:
    out = np.eye(4)
    out[:3, :3] = rotation.as_matrix()
    out[:3, 3] = xyz_m
    return out


def _imported(motion) -> np.ndarray:
    return _matrix(np.array(motion.xyz_m), Rotation.from_euler("xyz", motion.rpy_deg, degrees=True))


def test_tp_poses_equal_the_pos_section_in_metres_and_degrees():
    path = programs_dir() / "fanuc/rpiRobotics__fanuc_motion_program_exec__EXAMPLE.LS"
    text = path.read_text()
    pos = {}
    for number, body in re.findall(r"P\[(\d+)\]\{(.*?)\};", text, re.S):  # UF 0: the world frame
        values = {k: float(v) for k, v in re.findall(r"\b([XYZWPR])\s*=\s*([-\d.]+)", body)}
        # FANUC W, P, R: rotations about the fixed X, Y, Z axes
        pos[f"P[{number}]"] = _matrix(np.array([values["X"], values["Y"], values["Z"]]) / 1000,
                                      Rotation.from_euler("xyz", [values["W"], values["P"], values["R"]], degrees=True))
    program = read_program(path)
    assert [m.label for m in program.motions] == ["P[1]", "P[2]", "P[3]", "P[5]", "P[6]"]
    for motion in program.motions:
        np.testing.assert_allclose(_imported(motion), pos[motion.label], atol=1e-9)
    circular = program.motions[3]
    via = _matrix(np.array(circular.via_xyz_m), Rotation.from_euler("xyz", circular.via_rpy_deg, degrees=True))
    np.testing.assert_allclose(via, pos["P[4]"], atol=1e-9)


def test_rapid_poses_equal_the_robtargets_in_the_work_object():
    path = programs_dir() / "abb/JiajunGuo1027__ABB-Robots-Group-Object__MainModule.mod"
    text = path.read_text()
    frame = re.search(r"wobjCry:=\[FALSE,TRUE,\"\",\[\[([^\]]*)\],\[([^\]]*)\]\]", text)
    xyz = np.array(frame.group(1).split(","), dtype=float) / 1000
    w, x, y, z = np.array(frame.group(2).split(","), dtype=float)
    wobj = _matrix(xyz, Rotation.from_quat([x, y, z, w]))  # scipy is scalar-last, RAPID w-first
    targets = []
    for line in text.splitlines():
        if re.match(r"\s*Move[JLC]\b", line):
            for p, q in re.findall(r"\[\[([-\d.,]+)\],\[([-\d.,]+)\],\[[-\d,]+\]", line)[-1:]:
                qw, qx, qy, qz = np.array(q.split(","), dtype=float)
                targets.append(wobj @ _matrix(np.array(p.split(","), dtype=float) / 1000,
                                              Rotation.from_quat([qx, qy, qz, qw])))
    program = read_program(path)
    assert len(program.motions) == len(targets) == 38
    for motion, expected in zip(program.motions, targets):
        np.testing.assert_allclose(_imported(motion), expected, atol=1e-9)


def test_krl_inline_targets_are_taken_in_the_base_frame_the_program_sets():
    path = programs_dir() / "kuka/RoboDK__Industrial-Robots-VSCode__Program.src"
    text = path.read_text()
    base = re.search(r"^\$BASE = \{FRAME: X ([-\d.]+),Y ([-\d.]+),Z ([-\d.]+),A ([-\d.]+),B ([-\d.]+),C ([-\d.]+)\}",
                     text, re.M).groups()
    # KUKA A, B, C: rotations about Z, then the new Y, then the new X
    frame = _matrix(np.array(base[:3], dtype=float) / 1000, Rotation.from_euler("ZYX", base[3:], degrees=True))
    lins = re.findall(r"^LIN \{X ([-\d.]+),Y ([-\d.]+),Z ([-\d.]+),A ([-\d.]+),B ([-\d.]+),C ([-\d.]+)\}", text, re.M)
    joints = re.findall(r"^PTP \{A1 ([-\d.]+),A2 ([-\d.]+),A3 ([-\d.]+),A4 ([-\d.]+),A5 ([-\d.]+),A6 ([-\d.]+)\}",
                        text, re.M)
    program = read_program(path)
    linear = [m for m in program.motions if m.kind == "linear"]
    assert len(linear) == len(lins) == 4
    for motion, values in zip(linear, lins):
        expected = frame @ _matrix(np.array(values[:3], dtype=float) / 1000,
                                   Rotation.from_euler("ZYX", values[3:], degrees=True))
        np.testing.assert_allclose(_imported(motion), expected, atol=1e-9)
        assert motion.tcp_speed_m_s == 0.1  # $VEL.CP = 0.10000 (m/s)
    ptp = [m for m in program.motions if m.kind == "ptp"]
    assert [m.joints_deg for m in ptp] == [tuple(float(v) for v in j) for j in joints]


# --- joint and Cartesian forms against forward kinematics ----------------------------------------


def test_no_public_program_holds_one_point_in_both_forms_and_none_was_written_for_a_bundled_arm():
    """Documented: the public programs give each point once (joint or Cartesian), and their arms
    (KR 16-2, IRB 1200, IRB 1660, IRB 120, YuMi, M-710iC/70) are not bundled, so forward kinematics
    cannot be checked against them; the taught-configuration test below uses a bundled arm."""
    bundled = {m.description for m in bundled_robot_models().values()}
    assert not any(arm in " ".join(bundled) for arm in ("KR 16", "IRB 1200", "IRB 120 ", "M-710"))
    for name, outcome in OUTCOMES.items():
        if outcome != "imports":
            continue
        program = read_program(programs_dir() / name)
        labels = [m.label for m in program.motions]
        for label in set(labels):
            forms = {m.joints_deg is None for m in program.motions if m.label == label}
            assert len(forms) == 1, f"{name}: {label} has both forms: check it against forward kinematics"


@pytest.mark.parametrize("taught", [(20.0, -60.0, 30.0, 40.0, 50.0, -70.0), (-35.0, -100.0, 80.0, -120.0, -40.0, 160.0)])
def test_krl_status_and_turn_pick_the_taught_configuration_of_a_bundled_arm(taught, tmp_path):
    model = bundled_robot_models()["KR210-R3100-2"]
    flange = model.arm.forward(np.radians(taught))  # the Cartesian form of the joint target
    rotation = Rotation.from_matrix(flange[:3, :3]).as_euler("ZYX", degrees=True)  # A, B, C
    x, y, z = flange[:3, 3] * 1000
    turn = sum(1 << axis for axis, q in enumerate(taught) if q < 0)
    status = 4 if taught[4] < 0 else 0
    (tmp_path / "R1.dat").write_text(
        "DEFDAT R1\nDECL E6AXIS XHOME={A1 0,A2 -90,A3 90,A4 0,A5 30,A6 0}\n"
        f"DECL E6POS XP1={{X {float(x)!r},Y {float(y)!r},Z {float(z)!r},A {float(rotation[0])!r},"
        f"B {float(rotation[1])!r},C {float(rotation[2])!r},"
        f"S {status},T {turn}}}\nENDDAT\n")
    (tmp_path / "R1.src").write_text("DEF R1()\nPTP XHOME\nPTP XP1\nEND\n")
    report = import_programs([tmp_path / "R1.src"], model="KR210-R3100-2")
    task = report.line.stations[0].tasks[1]
    np.testing.assert_allclose(task.configuration_deg, taught, atol=1e-6)
    np.testing.assert_allclose(task.pose.xyz_m, flange[:3, 3], atol=1e-6)


# --- import → export → import ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["fanuc/rpiRobotics__fanuc_motion_program_exec__EXAMPLE.LS",
                                  "fanuc/RoboDK__Industrial-Robots-VSCode__Program.LS",
                                  "abb/JiajunGuo1027__ABB-Robots-Group-Object__MainModule.mod",
                                  "kuka/RoboDK__Industrial-Robots-VSCode__Program.src"])
def test_a_reordered_program_reads_back_as_the_same_tasks_and_differs_only_in_motion_order(name, tmp_path):
    source = programs_dir() / name
    program = read_program(source)
    names = task_names(program, "R1")
    order = names[:1] + names[1:][::-1]  # the first stays (it owns what precedes it); the rest reversed
    text = program_in_new_order(program, "R1", order)
    exported = tmp_path / source.name
    exported.write_bytes(text)
    again = read_program(exported)

    def unnumbered(name):  # a point visited twice is numbered by its visits: "#2" follows the new order
        return re.sub(r" #\d+$", "", name)

    assert [unnumbered(n) for n in task_names(again, "R1")] == [unnumbered(n) for n in order]
    by_name = dict(zip(names, program.motions))

    def essence(m):
        return (m.kind, m.xyz_m, m.rpy_deg, m.joints_deg, m.via_xyz_m, m.ptp_speed, m.tcp_speed_m_s,
                m.approximation, m.process_s, m.logic_s, m.tool, m.configuration)

    for label, motion in zip(order, again.motions):
        assert essence(motion) == essence(by_name[label])
    # the diff holds motion units only, each moved whole: same lines, other order
    original, written = program.lines, again.lines
    assert sorted(original) == sorted(written)
    moved = set()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=original, b=written, autojunk=False).get_opcodes():
        if tag != "equal":
            moved.update(range(i1, i2))
    inside_units = set().union(*(range(*m.unit) for m in program.motions))
    assert moved and moved <= inside_units


def test_sequence_writes_the_resequenced_program_of_an_imported_robot(tmp_path):
    source = programs_dir() / "fanuc/rpiRobotics__fanuc_motion_program_exec__EXAMPLE.LS"
    line_file = tmp_path / "line.yaml"
    assert RUNNER.invoke(app, ["import", str(source), "-o", str(line_file)]).exit_code == 0
    out = tmp_path / "out"
    out.mkdir()
    result = RUNNER.invoke(app, ["sequence", str(line_file), "--programs", str(out), "-o", str(tmp_path / "new.yaml"),
                                 "--time-limit", "0.2"])
    assert result.exit_code == 0, result.output
    written = read_program(out / source.name)
    from cyclecore.files.line_file import load_line

    new_line = load_line(tmp_path / "new.yaml")
    robot = new_line.stations[0].robots[0]
    assert task_names(written, robot.name) == [t.name for t in new_line.stations[0].tasks_of(robot.name)]


# --- analysis of an imported program -------------------------------------------------------------


def _tp(points: list[tuple[str, str]], moves: list[str]) -> str:
    pos = "".join(f"P[{k + 1}]{{\n GP1:\n UF : 0, UT : 0, CONFIG : 'N U T, 0, 0, 0',\n {p}\n}};\n"
                  for k, (_, p) in enumerate(points))
    body = "".join(f" {k + 1}:{m} ;\n" for k, m in enumerate(moves))
    return f"/PROG R1\n/ATTR\n/MN\n{body}/POS\n{pos}/END\n"


def test_analyze_times_a_long_straight_move_at_its_programmed_speed_with_the_linear_kernel(tmp_path):
    cart = "X = {x} mm, Y = {y} mm, Z = 1200.0 mm, W = 180.0 deg, P = 0.0 deg, R = 0.0 deg"
    program = tmp_path / "R1.ls"
    program.write_text(_tp([("a", cart.format(x=1800.0, y=-600.0)), ("b", cart.format(x=1800.0, y=600.0))],
                           ["J P[1] 100% FINE", "L P[2] 100mm/sec FINE", "WAIT 0.50(sec)", "CALL SPOT"]))
    line_file = tmp_path / "line.yaml"
    result = RUNNER.invoke(app, ["import", str(program), "-o", str(line_file), "--process-time", "SPOT=2.5"])
    assert result.exit_code == 0, result.output
    shown = RUNNER.invoke(app, ["analyze", str(line_file)])
    assert shown.exit_code == 0 and all(word in shown.output for word in ("motion", "process", "logic"))

    from cyclecore.files.line_file import load_line
    from cyclecore.robot.cell import robot_program

    line = load_line(line_file)
    station = line.stations[0]
    robot = station.robots[0]
    model = line.robot_model(robot.model)
    cycle = analyze(line).stations[0].robots[0]
    assert (cycle.process_s, cycle.logic_s) == (2.5, 0.5)
    configs = robot_program(line, station, robot).configs
    back_home = ptp_duration(configs[2], configs[0], model.vmax, model.amax, model.jmax)
    # rest to rest at v = 0.1 m/s, jerk j, acceleration never reached (sqrt(v j) < a): L/v + 2 sqrt(v/j)
    v, j, length = 0.1, model.max_tcp_jerk_m_s3, 1.2
    assert np.sqrt(v * j) < model.max_tcp_acceleration_m_s2
    assert cycle.motion_s - back_home == pytest.approx(length / v + 2 * np.sqrt(v / j), rel=1e-9)


# --- malformed programs ------------------------------------------------------------------------


def _exit_2(tmp_path, program: Path, *words, named: str | None = None):
    result = RUNNER.invoke(app, ["import", str(program), "-o", str(tmp_path / "line.yaml")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    text = " ".join(result.output.split())
    assert (named or program.name) in text
    for word in words:
        assert word in text
    assert not (tmp_path / "line.yaml").exists()


def test_a_truncated_krl_declaration_is_refused_by_line(tmp_path):
    (tmp_path / "R1.dat").write_text("DEFDAT R1\nDECL E6POS XP1={X 1500,Y 0,Z 1200,A 0,B 90\nENDDAT\n")
    (tmp_path / "R1.src").write_text("DEF R1()\nPTP XP1\nEND\n")
    _exit_2(tmp_path, tmp_path / "R1.src", "line 2", "cut short", named="R1.dat")


def test_a_truncated_rapid_robtarget_is_refused_by_line(tmp_path):
    (tmp_path / "R1.mod").write_text("MODULE R1\n  CONST robtarget p1:=[[1,2,3],[1,0,0,0],[0,0,0,0];\n"
                                     "  PROC main()\n    MoveL p1,v100,fine,tool0;\n  ENDPROC\nENDMODULE\n")
    _exit_2(tmp_path, tmp_path / "R1.mod", "line 2", "cut short")


def test_an_unknown_point_is_refused_by_line(tmp_path):
    cart = "X = 1500.0 mm, Y = 0.0 mm, Z = 1200.0 mm, W = 180.0 deg, P = 0.0 deg, R = 0.0 deg"
    (tmp_path / "R1.ls").write_text(_tp([("a", cart)], ["J P[1] 100% FINE", "L P[7] 100mm/sec FINE"]))
    _exit_2(tmp_path, tmp_path / "R1.ls", "line 5", "P[7] is not")


def test_unbalanced_folds_are_refused_by_line(tmp_path):
    source = programs_dir() / "kuka/RoboDK__Industrial-Robots-VSCode__Program.src"
    lines = source.read_text().splitlines(keepends=True)
    first_end = next(k for k, line in enumerate(lines) if line.startswith(";ENDFOLD"))
    (tmp_path / "R1.src").write_text("".join(lines[:first_end] + lines[first_end + 1:]))
    _exit_2(tmp_path, tmp_path / "R1.src", "line", "ENDFOLD")


def test_a_file_in_utf16_is_refused_as_not_text(tmp_path):
    source = programs_dir() / "fanuc/rpiRobotics__fanuc_motion_program_exec__TMPA.LS"
    (tmp_path / "R1.ls").write_bytes(source.read_text().encode("utf-16"))
    _exit_2(tmp_path, tmp_path / "R1.ls", "line 1", "UTF-16")


def test_a_latin1_program_is_read_and_written_back_in_latin1(tmp_path):
    cart = "X = 1500.0 mm, Y = 0.0 mm, Z = 1200.0 mm, W = 180.0 deg, P = 0.0 deg, R = 0.0 deg"
    text = _tp([("a", cart), ("b", cart.replace("Y = 0.0", "Y = 300.0"))],
               ["! Schwei\xdfpunkt", "J P[1] 100% FINE", "L P[2] 100mm/sec FINE"])
    (tmp_path / "R1.ls").write_bytes(text.encode("latin-1"))
    program = read_program(tmp_path / "R1.ls")
    assert program.encoding == "latin-1"
    back = program_in_new_order(program, "R1", task_names(program, "R1")[::-1])
    assert b"Schwei\xdfpunkt" in back


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    from cyclecore.limits import MAX_PROGRAM_BYTES

    huge = tmp_path / "R1.src"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_PROGRAM_BYTES + 1)  # sparse: nothing is written
    _exit_2(tmp_path, huge, "MiB")


# --- a line file that names a robot's program ----------------------------------------------------


def _line_naming(folder: Path, program: str) -> Path:
    line = folder / "line.yaml"
    line.write_text("name: cell\nstations:\n  - name: ST10\n    robots:\n      - name: R1\n"
                    f"        model: R-2000iC-165F\n        program: {{file: {program}}}\n")
    return line


def test_a_line_file_reads_a_robots_tasks_from_the_program_it_names(tmp_path):
    source = programs_dir() / "fanuc/rpiRobotics__fanuc_motion_program_exec__EXAMPLE.LS"
    (tmp_path / "R1.LS").write_bytes(source.read_bytes())
    from cyclecore.files.line_file import load_line

    named = load_line(_line_naming(tmp_path, "R1.LS"))
    imported = import_programs([tmp_path / "R1.LS"], model="R-2000iC-165F").line
    assert [t.name.split(" ", 1)[1] for t in named.stations[0].tasks] == \
           [t.name.split(" ", 1)[1] for t in imported.stations[0].tasks]
    assert analyze(named).line_cycle_s == pytest.approx(analyze(imported).line_cycle_s, rel=1e-12)
    out = tmp_path / "out"
    out.mkdir()
    result = RUNNER.invoke(app, ["sequence", str(tmp_path / "line.yaml"), "--programs", str(out), "--time-limit", "0.2"])
    assert result.exit_code == 0, result.output
    assert sorted(read_program(out / "R1.LS").lines) == sorted(read_program(tmp_path / "R1.LS").lines)


@pytest.mark.parametrize("escape", ["../R1.LS", "/etc/passwd"])
def test_a_program_outside_the_line_files_folder_is_refused(escape, tmp_path):
    folder = tmp_path / "line"
    folder.mkdir()
    result = RUNNER.invoke(app, ["analyze", str(_line_naming(folder, escape))])
    assert result.exit_code == 2
    assert "stations[0].robots[0].program.file" in " ".join(result.output.split())


def test_import_into_an_existing_line_adds_a_robot_to_its_station(tmp_path):
    from cyclecore.examples import load_example
    from cyclecore.files.line_file import load_line, save_line

    save_line(load_example("tutorial"), tmp_path / "tutorial.yaml")
    source = programs_dir() / "fanuc/rpiRobotics__fanuc_motion_program_exec__TMPA.LS"
    result = RUNNER.invoke(app, ["import", str(source), "--into", str(tmp_path / "tutorial.yaml"), "--station", "ST20",
                                 "-o", str(tmp_path / "new.yaml")])
    assert result.exit_code == 0, result.output
    before, after = load_example("tutorial"), load_line(tmp_path / "new.yaml")
    assert [r.name for r in after.station("ST20").robots] == [r.name for r in before.station("ST20").robots] + ["TMPA"]
    assert len(after.station("ST20").tasks_of("TMPA")) == 3


# --- KRL inline forms (KSS 8 style, written here: no public .src/.dat pair carries them; the FDAT
# and LDAT records as KSS 8 writes them, with POINT2[] and nested CB aggregates) -------------------

KRL_SRC = """&ACCESS RVP
DEF R1( )
;FOLD INI;%{PE}
  ;FOLD BASISTECH INI
  BAS (#INITMOV,0 )
  ;ENDFOLD (BASISTECH INI)
;ENDFOLD (INI)
;FOLD PTP HOME Vel=100 % DEFAULT;%{PE}%R 8.3.21,%MKUKATPBASIS,%CMOVE,%VPTP,%P 1:PTP, 2:HOME, 3:, 5:100, 7:DEFAULT
$BWDSTART=FALSE
PDAT_ACT=PDEFAULT
FDAT_ACT=FHOME
BAS(#PTP_PARAMS,100)
PTP XHOME
;ENDFOLD
;FOLD SPTP P1 CONT Vel=40 % PDAT1 Tool[1]:Lower Gripper Base[0];%{PE}
;FOLD Parameters ;%{h}
;Params IlfProvider=kukaroboter.basistech.inlineforms.movement.spline; Kuka.PointName=P1
;ENDFOLD
SPTP XP1 WITH $VEL_AXIS[1] = SVEL_JOINT(40.0), $TOOL = STOOL2(FP1), $BASE = SBASE(FP1.BASE_NO) C_SPL
;ENDFOLD
WAIT SEC 1.5
SPOT(1)
;FOLD LIN P2 CONT Vel=0.5 m/s CPDAT1 Tool[1]:Lower Gripper Base[0];%{PE}
$BWDSTART=FALSE
LDAT_ACT=LCPDAT1
FDAT_ACT=FP2
BAS(#CP_PARAMS,0.5)
LIN XP2 C_DIS C_DIS
;ENDFOLD
$OUT[12]=TRUE
;FOLD CIRC P3 P4 Vel=0.2 m/s CPDAT2;%{PE}
LDAT_ACT=LCPDAT2
BAS(#CP_PARAMS,0.2)
CIRC XP3, XP4
;ENDFOLD
END
"""

KRL_DAT = """&ACCESS RVP
DEFDAT R1
DECL E6AXIS XHOME={A1 0.0,A2 -90.0,A3 90.0,A4 0.0,A5 30.0,A6 0.0,E1 0.0}
DECL FDAT FHOME={TOOL_NO 0,BASE_NO 0,IPO_FRAME #BASE}
DECL E6POS XP1={X 1800.0,Y -400.0,Z 1300.0,A 0.0,B 90.0,C 0.0,S 2,T 35,E1 0.0}
DECL FDAT FP1={TOOL_NO 0,BASE_NO 0,IPO_FRAME #BASE,POINT2[] " ",TQ_STATE FALSE}
DECL PDAT PPDAT1={VEL 40,ACC 100,APO_DIST 100}
DECL E6POS XP2={X 1800.0,Y 400.0,Z 1300.0,A 0.0,B 90.0,C 0.0,S 2,T 35,E1 0.0}
DECL FDAT FP2={TOOL_NO 0,BASE_NO 0,IPO_FRAME #BASE}
DECL LDAT LCPDAT1={VEL 0.5,ACC 100,APO_DIST 100,APO_FAC 50.0,ORI_TYP #VAR,CIRC_TYP #BASE,CB {AUX_PT {ORI #CONSIDER,E1 #INTERPOLATE},TARGET_PT {ORI #INTERPOLATE,E1 #INTERPOLATE}}}
DECL E6POS XP3={X 1900.0,Y 500.0,Z 1300.0,A 0.0,B 90.0,C 0.0}
DECL E6POS XP4={X 2000.0,Y 400.0,Z 1300.0,A 0.0,B 90.0,C 0.0}
DECL LDAT LCPDAT2={VEL 0.2,ACC 100,APO_DIST 100}
ENDDAT
"""


def test_krl_inline_forms_give_their_speeds_times_and_fold_units(tmp_path):
    (tmp_path / "R1.src").write_text(KRL_SRC.replace("\n", "\r\n"))
    (tmp_path / "R1.dat").write_text(KRL_DAT.replace("\n", "\r\n"))
    from cyclecore.files.programs import ProgramTimes

    program = read_program(tmp_path / "R1.src", ProgramTimes(process_s={"spot": 2.0}, output_s=0.1))
    assert [(m.label, m.kind) for m in program.motions] == [
        ("XHOME", "ptp"), ("XP1", "ptp"), ("XP2", "linear"), ("XP4", "circular")]
    home, p1, p2, p4 = program.motions
    assert (home.ptp_speed, p1.ptp_speed, p2.tcp_speed_m_s, p4.tcp_speed_m_s) == (1.0, 0.4, 0.5, 0.2)
    assert (p1.approximation, p2.approximation, p4.approximation) == ("C_SPL", "C_DIS C_DIS", None)
    assert (p1.process_s, p1.logic_s, p2.logic_s) == (2.0, 1.5, 0.1)
    assert p4.via_xyz_m == pytest.approx((1.9, 0.5, 1.3), abs=1e-12)
    lines = program.lines
    assert lines[p1.unit[0]].startswith(";FOLD SPTP P1") and lines[p2.unit[0]].startswith(";FOLD LIN P2")
    order = task_names(program, "R1")
    exported = tmp_path / "out"
    exported.mkdir()
    (exported / "R1.src").write_bytes(program_in_new_order(program, "R1", [order[0], order[2], order[1], order[3]]))
    (exported / "R1.dat").write_bytes((tmp_path / "R1.dat").read_bytes())
    again = read_program(exported / "R1.src", ProgramTimes(process_s={"spot": 2.0}, output_s=0.1))
    assert [m.label for m in again.motions] == ["XHOME", "XP2", "XP1", "XP4"]
    assert (again.motions[1].logic_s, again.motions[2].process_s) == (0.1, 2.0)
    assert b"\r\n" in (exported / "R1.src").read_bytes() and b"\n\n" not in (exported / "R1.src").read_bytes()


def test_a_krl_call_of_a_moving_routine_is_followed_and_then_the_program_cannot_be_reordered(tmp_path):
    (tmp_path / "R1.dat").write_text(KRL_DAT)
    (tmp_path / "R1.src").write_text("DEF R1( )\nPTP XHOME\nPICK( )\nLIN XP2\nEND\n\n"
                                     "DEF PICK( )\nPTP XP1\nWAIT SEC 0.7\nEND\n")
    program = read_program(tmp_path / "R1.src")
    assert [(m.label, m.line, m.logic_s) for m in program.motions] == [("XHOME", 2, 0.0), ("XP1", 8, 0.7),
                                                                        ("XP2", 4, 0.0)]
    assert any(c.line == 3 and "PICK" in c.why for c in program.constructs)
    names = task_names(program, "R1")
    assert program_in_new_order(program, "R1", names) == (tmp_path / "R1.src").read_bytes()
    with pytest.raises(LineFileError, match="line 3: calls PICK"):
        program_in_new_order(program, "R1", names[::-1])
    (tmp_path / "R1.src").write_text("DEF R1( )\nPTP XHOME\nPICK( )\nEND\n\nDEF PICK( )\nPTP XP1\nPICK( )\nEND\n")
    with pytest.raises(LineFileError, match="line 8: .*calls itself"):
        read_program(tmp_path / "R1.src")


@pytest.mark.parametrize("bad, named", [(dict(process_s={"SPOT": float("nan")}), "process_s['SPOT']"),
                                        (dict(output_s=-1.0), "output_s"), (dict(input_wait_s=float("inf")), "input_wait_s"),
                                        (dict(model=7), "model")])
def test_import_programs_checks_its_arguments_by_name(bad, named):
    source = programs_dir() / "fanuc/rpiRobotics__fanuc_motion_program_exec__TMPA.LS"
    with pytest.raises(ValueError, match=re.escape(named) + ": got"):
        import_programs([source], **bad)


ROBOTSTUDIO = """MODULE Module1
    CONST robtarget Target_10:=[[900,-300,800],[0,0,1,0],[0,0,0,0],[9E9,9E9,9E9,9E9,9E9,9E9]];
    CONST robtarget Target_20:=[[900,300,800],[0,0,1,0],[0,0,0,0],[9E9,9E9,9E9,9E9,9E9,9E9]];
    PROC main()
        MoveJ Target_10,v1000,fine,tool0\\WObj:=wobj0;
        Path_10;
        WaitTime 0.25;
    ENDPROC
    PROC Path_10()
        MoveL Target_20,v500,z10,tool0\\WObj:=wobj0;
        MoveL Target_10,v500,fine,tool0\\WObj:=wobj0;
    ENDPROC
ENDMODULE
"""


def test_a_rapid_main_calling_its_robotstudio_paths_counts_their_motions_and_keeps_its_text(tmp_path):
    (tmp_path / "Module1.mod").write_text(ROBOTSTUDIO)
    program = read_program(tmp_path / "Module1.mod")
    assert [(m.label, m.line, m.kind, m.tcp_speed_m_s) for m in program.motions] == [
        ("Target_10", 5, "ptp", None), ("Target_20", 10, "linear", 0.5), ("Target_10", 11, "linear", 0.5)]
    assert program.motions[-1].logic_s == 0.25  # after the call, on the last motion counted
    names = task_names(program, "R1")
    assert names == ["R1 Target_10", "R1 Target_20", "R1 Target_10 #2"]
    assert program_in_new_order(program, "R1", names) == ROBOTSTUDIO.encode()
    with pytest.raises(LineFileError, match="line 6: calls Path_10"):
        program_in_new_order(program, "R1", names[::-1])
    line = import_programs([tmp_path / "Module1.mod"]).line
    assert [t.motion for t in line.stations[0].tasks] == ["ptp", "linear", "linear"]


def test_external_axes_are_reported_not_dropped(tmp_path):
    (tmp_path / "R1.src").write_text("DEF R1( )\nPTP {A1 0,A2 -90,A3 90,A4 0,A5 30,A6 0,E1 1500}\nEND\n")
    (tmp_path / "R2.mod").write_text(
        "MODULE R2\n  PROC main()\n    MoveL [[900,0,800],[0,0,1,0],[0,0,0,0],[1500,9E9,9E9,9E9,9E9,9E9]],v100,fine,tool0;\n"
        "  ENDPROC\nENDMODULE\n")
    (tmp_path / "R3.ls").write_text(_tp([("a", "X = 900.0 mm, Y = 0.0 mm, Z = 800.0 mm, W = 180.0 deg, P = 0.0 deg, "
                                              "R = 0.0 deg, E1 = 1500.0 mm")], ["J P[1] 100% FINE"]))
    for name, line in (("R1.src", 2), ("R2.mod", 3), ("R3.ls", 4)):
        constructs = read_program(tmp_path / name).constructs
        assert [c.line for c in constructs if "xternal" in c.why or "xtended" in c.why] == [line], name


def test_a_resequenced_tp_program_reads_back_as_the_new_line_and_times_the_same(tmp_path):
    cart = "X = {x} mm, Y = {y} mm, Z = 1000.0 mm, W = 180.0 deg, P = 0.0 deg, R = 0.0 deg"
    ys = [-800.0, 800.0, -400.0, 400.0, 0.0, -600.0, 600.0]  # a zigzag a re-sequencer shortens
    points = [(f"p{k}", cart.format(x=1600.0, y=y)) for k, y in enumerate(ys)]
    moves = [f"J P[{k + 1}] 100% FINE" for k in range(len(ys))]
    (tmp_path / "R1.ls").write_text(_tp(points, moves))
    line_file = tmp_path / "line.yaml"
    assert RUNNER.invoke(app, ["import", str(tmp_path / "R1.ls"), "-o", str(line_file)]).exit_code == 0
    out = tmp_path / "out"
    out.mkdir()
    result = RUNNER.invoke(app, ["sequence", str(line_file), "--programs", str(out), "-o", str(tmp_path / "new.yaml"),
                                 "--time-limit", "0.5"])
    assert result.exit_code == 0, result.output
    from cyclecore.files.line_file import load_line

    new_line = load_line(tmp_path / "new.yaml")
    new_order = [t.name for t in new_line.stations[0].tasks]
    assert new_order != [t.name for t in load_line(line_file).stations[0].tasks]  # it did re-sequence
    written = read_program(out / "R1.ls")
    assert task_names(written, "R1") == new_order
    again = import_programs([out / "R1.ls"], model="R-2000iC-165F").line
    # same order, same poses: the same cycle as the re-sequenced line, up to the taught branches
    # (the importer takes the IK branch nearest the previous target, as the re-sequencer's chosen one)
    assert analyze(again).line_cycle_s == pytest.approx(analyze(new_line).line_cycle_s, rel=1e-9)


@pytest.mark.parametrize("old, new, where", [("100mm/sec", "0mm/sec", "line 5: got '0 m/s', a TCP speed"),
                                             ("X = 900.0 mm", "X = 900000000.0 mm", "line 4: xyz_m[0]: got 900000.0")])
def test_a_speed_or_a_position_out_of_range_is_refused_by_line(old, new, where, tmp_path):
    cart = "X = 900.0 mm, Y = {y} mm, Z = 800.0 mm, W = 180.0 deg, P = 0.0 deg, R = 0.0 deg"
    text = _tp([("a", cart.format(y=0.0)), ("b", cart.format(y=300.0))], ["J P[1] 100% FINE", "L P[2] 100mm/sec FINE"])
    (tmp_path / "R1.ls").write_text(text.replace(old, new, 1))
    _exit_2(tmp_path, tmp_path / "R1.ls", where)


def test_import_into_a_line_with_programs_writes_beside_it_only(tmp_path):
    source = programs_dir() / "fanuc/rpiRobotics__fanuc_motion_program_exec__TMPA.LS"
    assert RUNNER.invoke(app, ["import", str(source), "-o", str(tmp_path / "line.yaml")]).exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    example = programs_dir() / "fanuc/rpiRobotics__fanuc_motion_program_exec__EXAMPLE.LS"
    result = RUNNER.invoke(app, ["import", str(example), "--into", str(tmp_path / "line.yaml"),
                                 "-o", str(elsewhere / "line.yaml")])
    assert result.exit_code == 2 and "relative to it" in " ".join(result.output.split())
    assert list(elsewhere.iterdir()) == []


def test_a_tp_spot_on_the_move_is_process_time_of_that_point(tmp_path):
    cart = "X = 900.0 mm, Y = {y} mm, Z = 800.0 mm, W = 180.0 deg, P = 0.0 deg, R = 0.0 deg"
    (tmp_path / "R1.ls").write_text(_tp([("a", cart.format(y=0.0)), ("b", cart.format(y=300.0))],
                                        ["J P[1] 100% FINE", "L P[2] 1000mm/sec FINE SPOT[SD=1,P=1,S=1,ED=1]"]))
    from cyclecore.files.programs import ProgramTimes

    program = read_program(tmp_path / "R1.ls", ProgramTimes(process_s={"SPOT": 1.8}))
    assert [(m.process_s, m.calls) for m in program.motions] == [(0.0, ()), (1.8, ("SPOT",))]
    assert not any("SPOT" in c.why for c in program.constructs)
    unset = read_program(tmp_path / "R1.ls")  # without a configured time it is reported, not counted
    assert unset.motions[1].process_s == 0.0 and any("SPOT[" in c.why for c in unset.constructs)


def test_a_programmed_acceleration_share_times_a_linear_move_as_the_exact_trapezoid_with_jerk(tmp_path):
    (tmp_path / "R1.src").write_text("DEF R1( )\n$VEL.CP=0.5\nBAS(#ACC_CP,20)\n"
                                     "PTP {X 1800,Y -600,Z 1300,A 0,B 45,C 180}\n"
                                     "LIN {X 1800,Y 600,Z 1300,A 0,B 45,C 180}\nEND\n")
    line = import_programs([tmp_path / "R1.src"], model="KR210-R3100-2").line
    assert [t.acceleration for t in line.stations[0].tasks] == [None, 0.2]
    from cyclecore.robot.cell import robot_program

    station = line.stations[0]
    robot = station.robots[0]
    model = line.robot_model(robot.model)
    configs = robot_program(line, station, robot).configs
    # the PTP moves around it: to the first point (from a home solved for it: a round-off move) and back home
    ptp = ptp_duration(configs[[0, 2]], configs[[1, 0]], model.vmax, model.amax, model.jmax).sum()
    # the acceleration limit is reached (sqrt(v j) > a) and so is the speed: L/v + v/a + a/j
    v, a, j, length = 0.5, 0.2 * model.max_tcp_acceleration_m_s2, model.max_tcp_jerk_m_s3, 1.2
    assert np.sqrt(v * j) > a and length > v * v / a + v * a / j
    motion = analyze(line).stations[0].robots[0].motion_s
    assert motion - ptp == pytest.approx(length / v + v / a + a / j, rel=1e-9)


def test_a_line_files_program_reference_carries_the_times_the_program_cannot_say(tmp_path):
    cart = "X = 900.0 mm, Y = {y} mm, Z = 800.0 mm, W = 180.0 deg, P = 0.0 deg, R = 0.0 deg"
    (tmp_path / "R1.ls").write_text(_tp([("a", cart.format(y=0.0)), ("b", cart.format(y=300.0))],
                                        ["J P[1] 100% FINE", "CALL SPOT", "DO[5]=ON", "WAIT DI[5]=ON",
                                         "L P[2] 500mm/sec FINE", "CALL SPOT"]))
    (tmp_path / "line.yaml").write_text(
        "name: cell\nstations:\n  - name: ST10\n    robots:\n      - name: R1\n        model: R-2000iC-165F\n"
        "        program: {file: R1.ls, process_s: {SPOT: 2.5}, output_s: 0.1, input_wait_s: 0.4}\n")
    from cyclecore.files.line_file import load_line

    tasks = load_line(tmp_path / "line.yaml").stations[0].tasks
    assert [(t.process_time_s, t.logic_time_s) for t in tasks] == [(2.5, pytest.approx(0.5)), (2.5, 0.0)]


def test_krl_array_elements_with_literal_indices_are_points(tmp_path):
    (tmp_path / "R1.dat").write_text("DEFDAT R1\nDECL E6POS XPICK[3]\nXPICK[1]={X 1800,Y -400,Z 1300,A 0,B 45,C 180}\n"
                                     "XPICK[2]={X 1800,Y 400,Z 1300,A 0,B 45,C 180}\nENDDAT\n")
    (tmp_path / "R1.src").write_text("DEF R1( )\nPTP XPICK[1]\nLIN XPICK[ 2 ]\nPTP XPICK[I]\nEND\n")
    with pytest.raises(LineFileError, match=r"line 4: .*XPICK\[I\] is an array element chosen while the program runs"):
        read_program(tmp_path / "R1.src")
    (tmp_path / "R1.src").write_text("DEF R1( )\nPTP XPICK[1]\nLIN XPICK[ 2 ]\nEND\n")
    program = read_program(tmp_path / "R1.src")
    assert [(m.label, m.xyz_m) for m in program.motions] == [("XPICK[1]", pytest.approx((1.8, -0.4, 1.3))),
                                                             ("XPICK[ 2 ]", pytest.approx((1.8, 0.4, 1.3)))]
