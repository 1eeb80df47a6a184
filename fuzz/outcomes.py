"""What one command did with one case, in the classes the summary counts.

=====================  =========================================================================
``ok``                 exit 0 and no NaN or infinity anywhere in the output (or a written file)
``rejected``           exit 2 and a message naming the file and a field path (or the option)
``rejected-unnamed``   exit 2 but the message names no file, field path or option
``no-answer``          exit 3 with a message: a valid input, no answer within the stated limit
``traceback``          an exception escaped the command (the runner passes ``--debug``), a
                       traceback was printed, or the CLI reported an internal error (exit 70)
``hang``               no answer within the time limit (the worker is killed and restarted)
``crash``              the worker process died (a signal: segfault, abort, out of memory)
``nan-inf``            exit 0 but NaN or infinity in the output
``wrong-exit``         any other exit code, exit 0/2 with nothing said, or a written line
                       (``-o``) that ``analyze`` refuses
=====================  =========================================================================
"""

from __future__ import annotations

import json
import math
import re

CLASSES = ("ok", "rejected", "no-answer", "rejected-unnamed", "traceback", "hang", "crash", "nan-inf", "wrong-exit")
CLEAN = ("ok", "rejected", "no-answer")
NO_ANSWER, INTERNAL_ERROR = 3, 70  # cyclecore.cli's exit codes besides 0 and 2

# a non-finite number as Python, JSON, numpy or a format string would print it
_NON_FINITE = re.compile(r"(?<![A-Za-z0-9_])[-+]?(nan|inf|infinity)(?![A-Za-z0-9_])", re.IGNORECASE)
# where in a file: a problem line ("  stations[0].robots[1].model: got ..."), a dotted or indexed path,
# (top level), a CSV line, or the arguments' form "name: got X, expected Y"
_FIELD_PATH = re.compile(r"(^\s+[A-Za-z_(][^\s:]*( \([^)]*\))?:|\(top level\)|[A-Za-z_][\w-]*(\[\d+\])+|"
                         r"[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)+|line \d+|\b[a-z_]+: got )", re.MULTILINE)
_OPTION = re.compile(r"--[a-z][a-z-]+|'-o'|\bLINE\b|\bPLANT\b|\bLINE_OR_PLANT\b")


def non_finite_in_text(text: str) -> str | None:
    found = _NON_FINITE.search(text)
    return found.group(0) if found else None


def non_finite_in_json(text: str) -> str | None:
    """The first non-finite number in a JSON document (Python's json reads NaN and Infinity)."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    stack = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return f"{where}={value}"
        if isinstance(value, dict):
            stack.extend((f"{where}.{k}", v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{where}[{k}]", v) for k, v in enumerate(value))
    return None


def names_a_field(message: str, file_names: list[str]) -> bool:
    """Whether a rejection says where: an option, or a file and a field path in it."""
    if _OPTION.search(message):
        return True
    if not any(name in message for name in file_names):
        return False
    without_files = re.sub(r"\S*/\S*", " ", message)  # a file name is no field path
    for name in file_names:
        without_files = without_files.replace(name, " ")
    return bool(_FIELD_PATH.search(without_files))


def classify(run: dict, file_names: list[str]) -> tuple[str, str]:
    """(class, one-line reason) of a run: the worker's answer ``run`` (exit code, outputs, exception)."""
    if run.get("hang"):
        return "hang", f"no answer in {run['timeout']} s"
    if run.get("crash"):
        return "crash", f"worker died: {run['crash']}"
    out, err = run.get("stdout", ""), run.get("stderr", "")
    if run.get("exception"):
        return "traceback", run["exception"]
    if "Traceback (most recent call last)" in out + err:
        last = [line for line in (out + err).splitlines() if line.strip()][-1]
        return "traceback", f"printed: {last[:200]}"
    code = run["exit_code"]
    if code == 0:
        found = non_finite_in_json(out) if out.lstrip().startswith(("{", "[")) else None
        found = found or non_finite_in_text(out)
        for name, text in (run.get("written") or {}).items():
            found = found or (non_finite_in_text(text) and f"{name}: {non_finite_in_text(text)}")
        if found:
            return "nan-inf", f"non-finite output: {found}"
        if run.get("reload_error"):
            return "wrong-exit", f"the line it wrote does not load again: {run['reload_error']}"
        if not out.strip():
            return "wrong-exit", "exit 0 with no output"
        return "ok", ""
    if code == 2:
        message = err.strip() or out.strip()
        first = message.splitlines()[0][:200] if message else ""
        if not message:
            return "wrong-exit", "exit 2 with no message"
        if names_a_field(message, file_names):
            return "rejected", first
        return "rejected-unnamed", " | ".join(message.splitlines()[:3])[:300]
    message = (err.strip() or out.strip()).splitlines()
    first = message[0][:200] if message else ""
    if code == NO_ANSWER and first:
        return "no-answer", first
    if code == INTERNAL_ERROR:
        return "traceback", f"internal error: {first}"
    return "wrong-exit", f"exit {code}: {first}"


def signature(cls: str, reason: str, command: str) -> str:
    """A grouping key: the class, the command and the reason with numbers and names blurred."""
    text = re.sub(r"\d+(\.\d+)?(e[-+]?\d+)?", "N", reason)
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", text)
    return f"{cls} | {command} | {text[:160]}"
