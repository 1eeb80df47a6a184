"""What the command line does with mistakes, searches without an answer, bugs and Ctrl-C (issue 11).

The exit codes are a contract scripts rely on: 0 done; 2 a user mistake, named; 3 no answer
within the limit; 70 an internal error, one line and a hint, the traceback only with --debug;
130 interrupted. Output paths are checked before any work, so a mistake there costs nothing and
writes nothing.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cyclecore.cli import INTERNAL_ERROR, INTERRUPTED, NO_ANSWER, USER_ERROR, app

runner = CliRunner()


def test_the_exit_codes_are_stated_in_the_help():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for code in ("0 done", "2 a user mistake", "3 no answer within the limit", "70 an internal error",
                 "130 interrupted"):
        assert code in text


# --- output paths: checked before any work --------------------------------------------------------

# Every command with an output; LINE stands for a line file that does not exist, so a command that
# loaded its input before checking the output would complain about LINE, not about the output.
OUTPUTS = [
    ("analyze --report", ["analyze", "LINE", "--report", "OUT.html"]),
    ("simulate --report", ["simulate", "LINE", "--report", "OUT.html"]),
    ("sequence -o", ["sequence", "LINE", "-o", "OUT.yaml"]),
    ("split -o", ["split", "LINE", "--station", "ST20", "--robots", "2", "-o", "OUT.yaml"]),
    ("rebalance -o", ["rebalance", "LINE", "--zone", "1", "-o", "OUT.yaml"]),
    ("optimize -o", ["optimize", "LINE", "--target", "5000", "-o", "OUT.json"]),
    ("optimize --curve", ["optimize", "LINE", "--target", "5000", "--curve", "OUT.csv"]),
    ("optimize --report", ["optimize", "LINE", "--target", "5000", "--report", "OUT.html"]),
    ("apply -o", ["apply", "LINE", "PLAN", "-o", "OUT.yaml"]),
    ("report -o", ["report", "LINE", "-o", "OUT.html"]),
    ("ramp --csv", ["ramp", "LINE", "--plan", "PLAN", "--csv", "OUT.csv"]),
    ("ramp --report", ["ramp", "LINE", "--plan", "PLAN", "--report", "OUT.html"]),
    ("import -o", ["import", "PROGRAM.src", "-o", "OUT.yaml"]),
]


def _bad_output_run(tmp_path: Path, args: list[str], out: Path):
    line, plan = tmp_path / "missing-line.yaml", tmp_path / "missing-plan.json"
    names = {"LINE": str(line), "PLAN": str(plan), "PROGRAM.src": str(tmp_path / "missing.src")}
    suffix = Path(next(a for a in args if a.startswith("OUT"))).suffix
    target = out.with_suffix(suffix)
    if out.name == "a-folder":  # onto an existing folder whose name has the right suffix
        target.mkdir()
    result = runner.invoke(app, [str(target) if a.startswith("OUT") else names.get(a, a) for a in args])
    return result, target


@pytest.mark.parametrize("case, args", OUTPUTS, ids=[c for c, _ in OUTPUTS])
@pytest.mark.parametrize("where", ["no-such-folder/out", "a-folder"])
def test_a_bad_output_path_exits_2_before_any_work_and_writes_nothing(tmp_path, case, args, where):
    result, target = _bad_output_run(tmp_path, args, tmp_path / where)
    assert result.exit_code == USER_ERROR, result.output
    assert str(target) in result.output  # the output is named ...
    assert "missing-line" not in result.output and "missing.src" not in result.output  # ... before any input
    assert "Traceback" not in result.output
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert left == ([target.relative_to(tmp_path).as_posix()] if where == "a-folder" else [])


@pytest.mark.parametrize("where", ["no-such-folder", "a-file"])
def test_a_programs_folder_that_cannot_take_files_exits_2_before_any_work(tmp_path, where):
    folder = tmp_path / where
    if where == "a-file":
        folder.write_text("not a folder")
    result = runner.invoke(app, ["sequence", str(tmp_path / "missing-line.yaml"), "--programs", str(folder)])
    assert result.exit_code == USER_ERROR, result.output
    assert f"--programs {folder}" in result.output and "missing-line" not in result.output


# --- option values: checked by name against limits.py's ranges ---------------------------------------

OPTIONS = [
    ("analyze", "--target", "1e308"), ("analyze", "--target", "nan"), ("analyze", "--target", "-5"),
    ("simulate", "--weeks", "1e308"), ("simulate", "--weeks", "inf"), ("simulate", "--replications", "1000000000"),
    ("simulate", "--seed", str(2**63)), ("simulate", "--seed", "-1"), ("simulate", "--confidence", "1"),
    ("simulate", "--confidence", "nan"),
    ("plant", "--target", "1e308"), ("plant", "--weeks", "1e308"), ("plant", "--replications", "1"),
    ("sequence", "--time-limit", "1e308"), ("sequence", "--time-limit", "0"), ("sequence", "--seed", str(2**70)),
    ("split", "--time-limit", "inf"), ("rebalance", "--cycle-time", "1e308"), ("rebalance", "--time-limit", "nan"),
    ("optimize", "--target", "1e308"), ("optimize", "--budget", "1e308"), ("optimize", "--confidence", "1.5"),
    ("optimize", "--workers", "0"),
    ("report", "--target", "1e308"), ("report", "--ramp", "100000"), ("report", "--scenarios", "-1"),
    ("ramp", "--target", "1e308"), ("ramp", "--weeks", "100000"), ("ramp", "--hires", "1e308"),
    ("ramp", "--pool", "nan"), ("ramp", "--crew", "1e6"), ("ramp", "--scenarios", "1000000000"),
    ("import", "--output-time", "1e308"), ("import", "--input-wait", "nan"),
]


@pytest.mark.parametrize("command, option, value", OPTIONS)
def test_an_absurd_option_value_is_refused_by_its_name_before_any_work(tmp_path, command, option, value):
    missing = str(tmp_path / "missing-line.yaml")
    required = {"split": ["--station", "ST20", "--robots", "2"], "rebalance": ["--zone", "1"],
                "optimize": ["--target", "5000"] if option != "--target" else [],
                "report": ["-o", str(tmp_path / "r.html")], "ramp": ["--plan", missing],
                "import": ["-o", str(tmp_path / "new.yaml")]}.get(command, [])
    result = runner.invoke(app, [command, missing, *required, option, value])
    assert result.exit_code == USER_ERROR, result.output
    assert result.output.startswith(f"error: {option}: got "), result.output
    assert "expected" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "new.yaml").exists()


def test_a_refusal_found_after_loading_names_the_file_the_command_read(tmp_path):
    # a station whose parts are each in range but whose cycle is over a day is found by the
    # analysis, which knows no file: the CLI adds the file it read (a fuzz finding)
    import yaml

    from cyclecore.examples import load_example

    data = load_example("tutorial").model_dump(mode="json", exclude_defaults=True)
    data["stations"][1]["index_time_s"] = 86_399.0
    line = tmp_path / "line.yaml"
    line.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(line)])
    assert result.exit_code == USER_ERROR
    assert f"error: {line}: stations[1] station 'ST20': cycle" in result.output
    # an option's own refusal stays the option's, and the next command starts afresh
    result = runner.invoke(app, ["analyze", "--example", "tutorial", "--target", "1e308"])
    assert result.exit_code == USER_ERROR and "error: --target: got 1e+308" in result.output


def test_json_output_is_strict_json_with_missing_values_as_null_and_a_reason():
    def refuse(constant):
        raise AssertionError(f"--json printed {constant}")

    for args in (["analyze", "--example", "tutorial", "--json"], ["plant", "--example", "module-plant", "--json"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        data = json.loads(result.output, parse_constant=refuse)
        assert isinstance(data, dict)
    analysis = json.loads(runner.invoke(app, ["analyze", "--example", "tutorial", "--json"]).output)
    assert analysis["takt_s"] is None and analysis["missing"]["takt_s"]  # no target: null, with why


# --- no answer within the limit: exit 3 ------------------------------------------------------------


def test_a_search_without_an_answer_within_its_effort_exits_3_and_writes_nothing(tmp_path):
    out = tmp_path / "never.yaml"
    result = runner.invoke(app, ["rebalance", "--example", "tutorial", "--zone", "1", "--time-limit", "1e-9",
                                 "-o", str(out)])
    assert result.exit_code == NO_ANSWER, result.output
    assert result.output.startswith("no answer: no balance of zone 1 found within the search effort")
    assert "--time-limit" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_a_tiny_time_limit_still_gives_a_rebalance():
    # issue 11, defect 13: this printed a RuntimeError traceback
    result = runner.invoke(app, ["rebalance", "--example", "tutorial", "--zone", "1", "--time-limit", "0.01"])
    assert result.exit_code == 0, result.output
    assert "rebalance zone 1" in result.output


# --- internal errors: one line and a hint, exit 70; the traceback with --debug ---------------------


def _inject_a_bug(monkeypatch):
    """Make the analysis fail as a bug would (an error no user input explains)."""
    def broken(*args, **kwargs):
        return {}["station"]  # a KeyError deep inside, as a real bug raises it

    monkeypatch.setattr("cyclecore.analysis.deterministic.analyze", broken)


def test_an_internal_error_prints_one_line_and_a_hint_and_exits_70(monkeypatch):
    _inject_a_bug(monkeypatch)
    result = runner.invoke(app, ["analyze", "--example", "tutorial"])
    assert result.exit_code == INTERNAL_ERROR, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "internal error: KeyError: 'station'"
    assert lines[1].startswith("hint:") and "--debug" in lines[1] and "report" in lines[1]
    assert len(lines) == 2 and "Traceback" not in result.output


def test_debug_lets_the_traceback_of_an_internal_error_through(monkeypatch):
    _inject_a_bug(monkeypatch)
    result = runner.invoke(app, ["--debug", "analyze", "--example", "tutorial"])
    assert isinstance(result.exception, KeyError)
    # --debug is per invocation: the next run without it is back to one line
    again = runner.invoke(app, ["analyze", "--example", "tutorial"])
    assert again.exit_code == INTERNAL_ERROR


# --- Ctrl-C: 130 ---------------------------------------------------------------------------------------


def test_ctrl_c_during_a_long_command_exits_130_and_writes_nothing(tmp_path):
    out = tmp_path / "plan.json"
    process = subprocess.Popen([sys.executable, "-P", "-m", "cyclecore.cli", "optimize", "--example", "body-shop",
                                "--target", "6500", "-o", str(out)],  # minutes of search: still running at 8 s
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(8.0)  # imports done, the search under way
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == INTERRUPTED, err
    assert "Traceback" not in err
    assert not out.exists()


def test_a_disk_that_fills_while_writing_is_named_with_exit_2_and_leaves_nothing(tmp_path, monkeypatch):
    import errno
    import os

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)  # the disk fills after the path check passed
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["analyze", "--example", "tutorial", "--report", str(out)])
    assert result.exit_code == USER_ERROR, result.output
    assert str(out) in result.output and "No space left on device" in result.output
    assert list(tmp_path.iterdir()) == []  # no report, no temporary file
