"""Running cases through the real ``cyclecore`` command in long-lived worker processes.

A worker imports cyclecore once and invokes the typer app in-process (``typer.testing.CliRunner``)
for each command it is sent, in a fresh folder holding the case's files; its address space is
capped, so a memory bomb ends in ``MemoryError`` rather than taking the machine. The parent gives
each command ``timeout`` seconds: a worker that does not answer is killed (``hang``) and one that
dies (``crash``) is replaced, and the campaign goes on.

Within a case, when the first command (``analyze --json``) rejects the file, the other forms of
that command are skipped (they load it the same way); commands with other loaders still run.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

from fuzz.cases import Case
from fuzz.outcomes import classify

MEMORY_LIMIT = 4 * 1024**3  # bytes of address space per worker
OUTPUT_KEEP = 20_000  # characters of stdout/stderr kept per run


def materialize(case: Case, root: Path) -> Path:
    """Write the case's files under ``root/<id>/case`` (``../x`` lands in ``root/<id>/x``)."""
    top = root / case.id
    shutil.rmtree(top, ignore_errors=True)
    folder = top / "case"
    folder.mkdir(parents=True)
    for relative, data in case.files.items():
        path = (folder / relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        if relative.endswith("/keep"):
            continue
        path.write_bytes(data.replace(b"@@CASE@@", str(folder).encode()))
    if case.generate:
        from fuzz.garbage import CACHED, generate

        if case.generate in CACHED:  # big files: made once per worker, then linked into each case
            made = root / "_generated" / case.generate
            if not (made / case.main).exists():
                made.mkdir(parents=True, exist_ok=True)
                generate(case.generate, made, case.main)
            try:
                os.link(made / case.main, folder / case.main)
            except OSError:
                shutil.copyfile(made / case.main, folder / case.main)
        else:
            generate(case.generate, folder, case.main)
    return folder


def argv_for(command: list[str], folder: Path, case: Case) -> list[str]:
    return [a.replace("{file}", str(folder / case.main)).replace("{dir}", str(folder)) for a in command]


WARM_UP = [["analyze", "--example", "tutorial", "--json"],
           ["simulate", "--example", "tutorial", "--weeks", "0.01", "--replications", "2"],
           ["simulate", "--example", "tutorial", "--weeks", "0.01", "--replications", "2", "--failure-clock", "time"],
           ["sequence", "--example", "tutorial", "--station", "ST10", "--time-limit", "0.2"],
           ["split", "--example", "tutorial", "--station", "ST20", "--robots", "2", "--time-limit", "0.2"]]
DEBUG: list[str] = []  # ["--debug"] when the CLI has it: an internal error then raises, with its traceback


def run_command(runner, app, case: Case, command: list[str], root: Path) -> dict:
    """One command on one case, in this process: exit code, outputs, escaped exception, files written."""
    folder = materialize(case, root)
    argv = argv_for(command, folder, case)
    start = time.perf_counter()
    result = runner.invoke(app, DEBUG + argv, catch_exceptions=True)
    answer = {"exit_code": result.exit_code, "seconds": round(time.perf_counter() - start, 3),
              "stdout": _text(result, "stdout"), "stderr": _text(result, "stderr")}
    error = result.exception
    if error is not None and not isinstance(error, SystemExit):
        answer["exception"] = f"{type(error).__name__}: {str(error)[:300]}" + _where(result.exc_info)
        answer["traceback"] = "".join(traceback.format_exception(*result.exc_info))[-OUTPUT_KEEP:]
    written = {}
    for path in folder.glob("out.*"):
        try:
            written[path.name] = path.read_text(encoding="utf-8", errors="replace")[:2_000_000]
        except OSError:
            pass
    answer["written"] = written
    line_out = folder / "out.yaml"
    if result.exit_code == 0 and line_out.is_file():  # a line cyclecore wrote must load again
        again = runner.invoke(app, DEBUG + ["analyze", str(line_out), "--json"], catch_exceptions=True)
        if again.exit_code != 0:
            answer["reload_error"] = f"exit {again.exit_code}: {(_text(again, 'stderr') or '').strip()[:300]}"
    shutil.rmtree(root / case.id, ignore_errors=True)
    return answer


def _text(result, stream: str) -> str:
    try:
        return getattr(result, stream)
    except (ValueError, AttributeError):
        return ""


def _where(exc_info) -> str:
    """`` at cyclecore/x.py:12 in f``: the innermost frame in cyclecore (where the owner looks)."""
    frames = traceback.extract_tb(exc_info[2]) if exc_info and exc_info[2] else []
    ours = [f for f in frames if "/cyclecore/" in f.filename] or frames
    if not ours:
        return ""
    frame = ours[-1]
    name = frame.filename[frame.filename.rfind("cyclecore/"):] if "cyclecore/" in frame.filename else frame.filename
    return f" at {name}:{frame.lineno} in {frame.name}"


def _worker(connection, root: str, memory_limit: int) -> None:
    import resource

    # `python -m fuzz` from the repository puts it on sys.path, where the source folder would
    # shadow an installed cyclecore (and its compiled kernel): the worker drops it
    repository = Path(__file__).resolve().parents[1]
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != repository]

    os.environ["COLUMNS"] = "160"
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    except (ValueError, OSError):
        pass
    from typer.testing import CliRunner

    from cyclecore import cli
    from cyclecore.cli import app

    if hasattr(cli, "INTERNAL_ERROR"):
        DEBUG[:] = ["--debug"]
    runner = CliRunner()
    for argv in WARM_UP:  # compile the Numba kernels now, so a first use is not timed as a hang
        runner.invoke(app, argv)
    connection.send("ready")
    while True:
        try:
            message = connection.recv()
        except EOFError:  # the campaign is gone
            return
        if message is None:
            return
        case, command = message
        try:
            answer = run_command(runner, app, case, command, Path(root))
        except MemoryError:
            answer = {"exception": "MemoryError (outside the command)", "exit_code": 1}
        try:
            connection.send(answer)
        except (BrokenPipeError, OSError):  # the campaign is gone
            return


@dataclass
class _Slot:
    process: object = None
    connection: object = None
    job: tuple | None = None
    deadline: float = 0.0


@dataclass
class Run:
    """One command on one case and what came of it."""

    case: Case
    command: list[str]
    cls: str
    reason: str
    answer: dict = field(default_factory=dict)


class Pool:
    """``workers`` worker processes; :meth:`run` yields a :class:`Run` per command as they finish."""

    def __init__(self, workers: int = 2, timeout: float = 20.0, memory_limit: int = MEMORY_LIMIT,
                 root: Path | None = None):
        self.workers = workers
        self.timeout = timeout
        self.memory_limit = memory_limit
        self._own_root = root is None
        self.root = Path(root or tempfile.mkdtemp(prefix="cyclecore-fuzz-"))
        self.context = multiprocessing.get_context("spawn")
        self.slots = [_Slot() for _ in range(workers)]
        self.restarts = 0
        # Workers find this package through a folder holding only a link to it: putting the
        # repository itself on sys.path would shadow an installed cyclecore with its source folder.
        self._import_root = self.root / "import"
        self._import_root.mkdir(parents=True, exist_ok=True)
        link = self._import_root / "fuzz"
        if not link.exists():
            link.symlink_to(Path(__file__).resolve().parent, target_is_directory=True)
        sys.path.insert(0, str(self._import_root))

    def _start(self, slot: _Slot, number: int) -> None:
        parent, child = self.context.Pipe()
        folder = self.root / f"worker-{number}"
        folder.mkdir(parents=True, exist_ok=True)
        slot.process = self.context.Process(target=_worker, args=(child, str(folder), self.memory_limit), daemon=True)
        slot.process.start()
        child.close()
        slot.connection = parent
        if not parent.poll(300):
            raise RuntimeError("a fuzz worker did not start within 300 s")
        try:
            parent.recv()
        except EOFError:
            raise RuntimeError("a fuzz worker died while starting: cyclecore does not import "
                               "(see the worker's traceback above)") from None

    def _stop(self, slot: _Slot) -> None:
        if slot.process is not None and slot.process.is_alive():
            slot.process.kill()
        if slot.process is not None:
            slot.process.join(10)
        slot.connection.close()
        slot.process = slot.connection = None

    def close(self) -> None:
        for slot in self.slots:
            if slot.process is not None:
                try:
                    slot.connection.send(None)
                except (OSError, BrokenPipeError):
                    pass
                slot.process.join(5)
                self._stop(slot)
        if str(self._import_root) in sys.path:
            sys.path.remove(str(self._import_root))
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def run(self, cases):
        """Every command of every case (an iterable, consumed lazily); yields :class:`Run`s."""
        for number, slot in enumerate(self.slots):
            self._start(slot, number)
        pending = iter(cases)
        queues: dict[int, list] = {}  # slot -> the rest of its case's commands
        exhausted = False
        while True:
            for number, slot in enumerate(self.slots):
                if slot.job is None:
                    if not queues.get(number):
                        case = None if exhausted else next(pending, None)
                        if case is None:
                            exhausted = True
                            continue
                        queues[number] = [(case, list(c)) for c in case.commands]
                    case, command = queues[number].pop(0)
                    slot.connection.send((case, command))
                    slot.job = (case, command)
                    slot.deadline = time.monotonic() + self.timeout
            busy = [s for s in self.slots if s.job is not None]
            if not busy:
                return
            wait([s.connection for s in busy], timeout=max(0.0, min(s.deadline for s in busy) - time.monotonic()))
            for number, slot in enumerate(self.slots):
                if slot.job is None:
                    continue
                case, command = slot.job
                answer = None
                if slot.connection.poll():
                    try:
                        answer = slot.connection.recv()
                    except (EOFError, OSError):
                        slot.process.join(5)
                        code = slot.process.exitcode
                        answer = {"crash": _signal_name(code)}
                elif time.monotonic() >= slot.deadline:
                    answer = {"hang": True, "timeout": self.timeout}
                if answer is None:
                    continue
                slot.job = None
                if "hang" in answer or "crash" in answer:
                    began = time.monotonic()
                    self._stop(slot)
                    self.restarts += 1
                    self._start(slot, number)
                    for other in self.slots:  # the others' answers wait in their pipes meanwhile
                        other.deadline += time.monotonic() - began
                files = [Path(case.main).name] + [Path(p).name for p in case.files]
                cls, reason = classify(answer, files, [a for a in command if a.startswith("--")])
                if command == case.commands[0] and cls in ("rejected", "rejected-unnamed"):
                    queues[number] = [(c, k) for c, k in queues.get(number, []) if k[0] != command[0]]
                yield Run(case, command, cls, reason, answer)


def _signal_name(code) -> str:
    if code is None:
        return "no exit code"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit {code}"
