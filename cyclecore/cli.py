"""The ``cyclecore`` command: parses arguments, calls the API, prints. Nothing else.

Exit codes (the same for every command, and in ``cyclecore --help``):

- 0: done.
- 2 (``USER_ERROR``): a user mistake (a bad line file, an unknown example, a bad option value, an
  output path that cannot be written); the message names the file or option, the field and what
  was expected. Output paths are checked before any work starts, and nothing is written.
- 3 (``NO_ANSWER``): the input is valid but no answer was found within the limit (a target no
  plan reaches, a search stopped by its effort or time limit with nothing to give); the message
  says what limits it.
- 70 (``INTERNAL_ERROR``): a bug in cyclecore: one line and a hint; the traceback only with the
  global ``--debug`` option (``cyclecore --debug COMMAND ...``).
- 130: interrupted (Ctrl-C).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from cyclecore import limits
from cyclecore.arguments import SEED, TIME_LIMIT, Integer, Number
from cyclecore.model.errors import LineFileError, OutputFileError

USER_ERROR = 2
NO_ANSWER = 3
INTERNAL_ERROR = 70  # EX_SOFTWARE of sysexits.h
INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for Ctrl-C

_EXIT_CODES = (f"Exit codes: 0 done; {USER_ERROR} a user mistake (bad file or option: the message names it); "
               f"{NO_ANSWER} no answer within the limit (the message says which); {INTERNAL_ERROR} an internal "
               f"error (rerun with --debug for the traceback and report it); {INTERRUPTED} interrupted.")


class _Commands(TyperGroup):
    """The command group: turns what escapes a command into its exit code (module docstring)."""

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):  # exit codes and usage errors (2)
            raise
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(INTERRUPTED) from None
        except (LineFileError, OutputFileError) as error:  # a file named with its problem (a full disk)
            _fail(str(error))
        except Exception as error:  # noqa: BLE001 - the one place every other error ends
            from cyclecore.results import NoAnswerWithinLimit

            if isinstance(error, NoAnswerWithinLimit):
                _no_answer(str(error))
            if _DEBUG["on"]:
                raise
            first = (str(error).strip().splitlines() or [""])[0][:300]
            typer.echo(f"internal error: {type(error).__name__}: {first}\n"
                       "hint: this is a bug in cyclecore, not in your input; rerun with `cyclecore --debug ...` "
                       "for the traceback and report it", err=True)
            raise typer.Exit(INTERNAL_ERROR) from None


_DEBUG = {"on": False}

app = typer.Typer(
    cls=_Commands,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help=f"Robot cycle-time optimizer for automated production lines.\n\n{_EXIT_CODES}",
)


@app.callback()
def _global_options(
    debug: Annotated[bool, typer.Option("--debug", help="on an internal error, print the traceback "
                                                        "(for a bug report)")] = False,
):
    _DEBUG["on"] = debug
    _INPUT["file"] = None  # one command per invocation (the fuzzer and tests run many in one process)


_INPUT = {"file": None}  # the line or plant file the command read: a refusal found later names it


def _fail(message: str) -> None:
    read = _INPUT["file"]
    if read is not None and not message.startswith("--") and Path(read).name not in message:
        message = f"{read}: {message}"  # found after loading (a station's cycle, a split): say which file
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(USER_ERROR)


def _no_answer(message: str) -> None:
    typer.echo(f"no answer: {message}", err=True)
    raise typer.Exit(NO_ANSWER)


def _in(spec):
    """An option's check: its value against a spec of :mod:`cyclecore.arguments` with a range from
    :mod:`cyclecore.limits`, so NaN, inf or a finite but absurd value (``--target 1e308``) exits 2
    naming the option before any work starts."""

    def check(ctx: typer.Context, param: typer.CallbackParam, value):
        if ctx.resilient_parsing:
            return value
        name = max(param.opts, key=len) if param.opts else param.name
        try:
            return spec.check(value, name)
        except ValueError as error:
            _fail(str(error))

    return check


# What the options take, by meaning; the ranges are cyclecore.limits'.
_TARGET = Number(at_least=limits.PRODUCTS_PER_WEEK.low, at_most=limits.PRODUCTS_PER_WEEK.high, optional=True,
                 what=f"products per week {limits.PRODUCTS_PER_WEEK.text()[:-len(' products/week')]}")
_WEEKS = Number(above=0, at_most=limits.SIMULATED_WEEKS.high, what=f"weeks {limits.SIMULATED_WEEKS.text()}")
_REPLICATIONS = Integer(at_least=2, at_most=limits.REPLICATIONS[1])
_RUNS = Integer(at_least=1, at_most=limits.REPLICATIONS[1])
_SCENARIOS = Integer(at_least=0, at_most=limits.REPLICATIONS[1])
_CONFIDENCE = Number(above=0, below=1, what="a confidence level 0 < p < 1 (e.g. 0.9)")
_LEVEL = Number(above=0, below=1, optional=True, what="a confidence level 0 < p < 1 (e.g. 0.9)")
_CYCLE = Number(above=0, at_most=limits.CYCLE_S.high, optional=True, what=f"a cycle time {limits.CYCLE_S.text()}")
_MONEY = Number(at_least=0, at_most=limits.MONEY.high, optional=True, what=f"an amount {limits.MONEY.text()}")
_WORKERS = Integer(at_least=1, at_most=1_024, optional=True)
_RAMP_WEEKS = Integer(at_least=limits.RAMP_WEEKS.low, at_most=limits.RAMP_WEEKS.high)
_PEOPLE = Number(at_least=0, at_most=limits.LABOUR_POOL.high,
                 what=f"a number of operators >= 0 (at most {limits.LABOUR_POOL.high:g})")
_POOL = Number(at_least=0, at_most=limits.LABOUR_POOL.high, optional=True,
               what=f"a number of operators >= 0 (at most {limits.LABOUR_POOL.high:g})")
_CREW = Number(at_least=0, at_most=limits.OPERATORS_PER_SHIFT.high,
               what=f"a number of operators >= 0 per shift (at most {limits.OPERATORS_PER_SHIFT.high:g})")
_DURATION = Number(at_least=0, at_most=limits.DURATION_S.high, what=f"seconds {limits.DURATION_S.text()}")


def _load(line: Optional[Path], example: Optional[str]):
    from cyclecore.examples import load_example
    from cyclecore.files.line_file import load_line

    if (line is None) == (example is None):
        _fail("give either a LINE file or --example NAME (see `cyclecore examples`)")
    try:
        loaded = load_example(example) if example else load_line(line)
        _INPUT["file"] = None if example else str(line)
        return loaded
    except LineFileError as error:
        _fail(str(error))
    except KeyError as error:
        _fail(str(error.args[0]))


def _emit_json(data) -> None:
    typer.echo(json.dumps(data, indent=2, allow_nan=False, default=str))


LineArg = Annotated[Optional[Path], typer.Argument(help="line file (.yaml or .json)", show_default=False)]
ExampleOpt = Annotated[Optional[str], typer.Option("--example", "-e", help="a bundled example line instead of a file")]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]
# --- reports (issue 10): an HTML page with the tables and charts, written whole or not at all ---
ReportOpt = Annotated[Optional[Path], typer.Option("--report", help="also write an HTML report with the "
                                                                    "tables and charts here (.html)")]


def _report_file(path: Optional[Path]) -> Optional[Path]:
    """The report's file name, checked before any work is done."""
    return _output_file(path, (".html", ".htm"))


LINE_SUFFIXES = (".yaml", ".yml", ".json")


def _output_file(path: Optional[Path], suffixes: tuple[str, ...]) -> Optional[Path]:
    """An output file name (-o, --report, --curve, --csv), checked before any work is done: its
    folder exists and takes a new file, it is no folder, its suffix is one of ``suffixes``."""
    from cyclecore.files.line_file import check_writable

    if path is None:
        return None
    try:
        return check_writable(path, suffixes)
    except ValueError as error:
        _fail(str(error))


def _output_folder(path: Optional[Path], option: str) -> Optional[Path]:
    """An output folder (--programs), checked before any work is done: it exists and takes files."""
    from cyclecore.files.line_file import check_writable

    if path is None:
        return None
    if not path.is_dir():
        _fail(f"{option} {path}: expected an existing folder (create it first)")
    try:
        check_writable(path / ".cyclecore-write-test")
    except ValueError as error:
        _fail(f"{option} {path}: {error}")
    return path


def _report_text(subject, **results) -> str:
    """The report's HTML (cyclecore.report.report_html); a bad input exits 2."""
    from cyclecore.report.build import report_html

    try:
        return report_html(subject, **results)
    except (ValueError, LineFileError) as error:
        _fail(str(error))
    except KeyError as error:
        _fail(str(error.args[0]))


def _write_report(path: Optional[Path], subject, **results) -> None:
    from cyclecore.files.line_file import write_all_or_nothing

    if path is not None:
        write_all_or_nothing({path: _report_text(subject, **results)})
        typer.echo(f"report written to {path}", err=True)
# --- end reports ---


@app.command()
def analyze(
    line: LineArg = None,
    example: ExampleOpt = None,
    target: Annotated[Optional[float], typer.Option(help="plant target in products/week (e.g. cars/week)", callback=_in(_TARGET))] = None,
    as_json: JsonOpt = False,
    report_file: ReportOpt = None,
):
    """Cycle time per station, the bottleneck, and the gap to a target."""
    from cyclecore.analysis.deterministic import analyze as run

    report_file = _report_file(report_file)
    loaded = _load(line, example)
    try:
        result = run(loaded, target=target)
    except ValueError as error:
        _fail(str(error))
    _write_report(report_file, loaded, target=target, analysis=result)
    if as_json:
        _emit_json(result.to_dict())
    else:
        typer.echo(str(result))


@app.command()
def simulate(
    line: Annotated[Optional[Path], typer.Argument(help="line or plant file (.yaml or .json)", show_default=False)] = None,
    example: ExampleOpt = None,
    weeks: Annotated[float, typer.Option(help="simulated weeks per replication", callback=_in(_WEEKS))] = 1.0,
    replications: Annotated[int, typer.Option(help="independent replications", callback=_in(_REPLICATIONS))] = 10,
    seed: Annotated[int, typer.Option(help="random seed; same seed, same numbers", callback=_in(SEED))] = 0,
    failures: Annotated[str, typer.Option(help="time to failure/repair: exponential, weibull, lognormal or geometric")] = "exponential",
    failure_clock: Annotated[str, typer.Option(help="busy (operation-dependent) or time (time-dependent)")] = "busy",
    confidence: Annotated[Optional[float], typer.Option(help="also give the interval at this level (e.g. 0.9)", callback=_in(_LEVEL))] = None,
    as_json: JsonOpt = False,
    report_file: ReportOpt = None,
):
    """Throughput with failures, buffers, blocking, starving and manual bypass (units/week with CI).

    A plant file simulates every copy of every line design."""
    from rich.console import Console
    from rich.progress import Progress

    from cyclecore.analysis.simulation import simulate as run_line
    from cyclecore.analysis.simulation import simulate_plant
    from cyclecore.model.plant import Plant

    report_file = _report_file(report_file)
    loaded = _load_subject(line, example) if line is not None else _load(line, example)
    run = simulate_plant if isinstance(loaded, Plant) else run_line
    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("simulating", total=replications)
        try:
            result = run(loaded, weeks=weeks, replications=replications, seed=seed, failures=failures,
                         failure_clock=failure_clock, confidence=confidence,
                         progress=lambda done, total: bar.update(task, completed=done, total=total))
        except ValueError as error:
            _fail(str(error))
    _write_report(report_file, loaded, simulation=result)
    if as_json:
        _emit_json(result.to_dict())
    else:
        typer.echo(str(result))


OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o",
                                                   help="write the changed line here (.yaml or .json)")]
TimeLimitOpt = Annotated[float, typer.Option("--time-limit", help="solver time per robot or station, s", callback=_in(TIME_LIMIT))]
SeedOpt = Annotated[int, typer.Option(help="random seed of the searches", callback=_in(SEED))]


def _report_change(report, output: Optional[Path], as_json: bool) -> None:
    from cyclecore.files.line_file import save_line

    if output is not None:
        if output.suffix.lower() not in (".yaml", ".yml", ".json"):
            _fail(f"--output: expected a .yaml, .yml or .json file name, got {output}")
        save_line(report.line, output)  # whole file or nothing
    if as_json:
        _emit_json(report.to_dict())
    else:
        typer.echo(str(report))
        if output is not None:
            typer.echo(f"new line written to {output}")


@app.command()
def sequence(
    line: LineArg = None,
    example: ExampleOpt = None,
    station: Annotated[Optional[str], typer.Option(help="only this station (default: all)")] = None,
    time_limit: TimeLimitOpt = 1.0,
    seed: SeedOpt = 0,
    output: OutputOpt = None,
    as_json: JsonOpt = False,
    programs: Annotated[Optional[Path], typer.Option("--programs", help="also write the re-sequenced robot "
                                                     "programs of imported robots into this folder")] = None,
):
    """Shorten robot paths: re-order each robot's tasks (and IK configurations), before/after."""
    from cyclecore.changes.programs import sequence as run

    if programs is not None and line is None:
        _fail(f"--programs {programs}: expected a LINE file whose robots were imported, not --example")
    _output_file(output, LINE_SUFFIXES)
    _output_folder(programs, "--programs")
    loaded = _load(line, example)
    try:
        report = run(loaded, station=station, time_limit=time_limit, seed=seed)
    except ValueError as error:
        _fail(str(error))
    if programs is not None:
        _write_programs(report.line, line, programs)
    _report_change(report, output, as_json)


# --- robot programs in and out (issue 13) ---------------------------------------------------------


def _write_programs(new_line, line_file: Path, folder: Path) -> None:
    """Each imported robot's program with its tasks in the new order, whole files or none."""
    from cyclecore.files.programs import program_in_new_order, read_program, write_files

    files = {}
    try:
        for station in new_line.stations:
            for robot in station.robots:
                if robot.program is None:
                    continue
                source = _program_path(line_file.parent, robot.program.file)
                program = read_program(source)
                names = [t.name for t in station.tasks_of(robot.name)]
                files[folder / source.name] = program_in_new_order(program, robot.name, names)
                for dat in source.parent.glob(source.stem + ".*"):
                    if dat.suffix.lower() == ".dat":
                        files[folder / dat.name] = dat.read_bytes()
        write_files(files)
    except (LineFileError, ValueError, OSError) as error:
        _fail(str(error))
    if files:
        typer.echo(f"programs written to {folder}: {', '.join(sorted(p.name for p in files))}")


def _program_path(folder: Path, name: str) -> Path:
    from cyclecore.files.programs.linking import program_path

    path = program_path(folder, name)
    if path is None:
        _fail(f"program: {{file: {name}}}: expected a file inside the line file's folder {folder.resolve()}")
    return path


@app.command("import")
def import_command(
    programs: Annotated[list[Path], typer.Argument(metavar="PROGRAM",
                                                   help="robot programs: KRL .src (with its .dat), RAPID .mod, TP .ls")],
    output: Annotated[Path, typer.Option("--output", "-o", help="the line file to write (.yaml or .json)")],
    model: Annotated[Optional[str], typer.Option(help="robot model (default by vendor)")] = None,
    station: Annotated[str, typer.Option(help="station the robots go into")] = "ST10",
    into: Annotated[Optional[Path], typer.Option(help="add the robots to this line instead of a new one")] = None,
    process_time: Annotated[Optional[list[str]], typer.Option(help="seconds per call of a process routine: NAME=S")] = None,
    output_time: Annotated[float, typer.Option(help="seconds per output set", callback=_in(_DURATION))] = 0.0,
    input_wait: Annotated[float, typer.Option(help="seconds per wait for an input", callback=_in(_DURATION))] = 0.0,
    as_json: JsonOpt = False,
):
    """Robot programs into a line: one robot per program; unsupported statements are listed."""
    from cyclecore.files.line_file import check_writable, line_text
    from cyclecore.files.programs import import_programs, write_files

    try:
        check_writable(output, (".yaml", ".yml", ".json"))
    except ValueError as error:
        _fail(str(error))
    times = {}
    for item in process_time or ():
        name, _, seconds = item.partition("=")
        try:
            times[name.strip()] = float(seconds)
        except ValueError:
            _fail(f"--process-time {item!r}: expected NAME=SECONDS, e.g. SPOT=2.5")
        if not name.strip() or not 0 <= times[name.strip()] <= 86_400:
            _fail(f"--process-time {item!r}: expected NAME=SECONDS with 0 <= SECONDS <= 86400")
    base = _load(into, None) if into is not None else None
    if base is not None and into.parent.resolve() != output.parent.resolve() and any(
            r.program is not None for s in base.stations for r in s.robots):
        _fail(f"--output {output}: expected a file in the folder of {into}, whose robots name their programs "
              "relative to it")
    folder = output.parent.resolve()
    copies, references = {}, []
    for path in programs:
        resolved = path.resolve()
        if resolved.is_relative_to(folder):
            references.append(str(resolved.relative_to(folder)))
            continue
        references.append(path.name)  # copied beside the line file, with its .dat
        for source in [resolved] + [d for d in resolved.parent.glob(resolved.stem + ".*") if d.suffix.lower() == ".dat"]:
            target = folder / source.name
            if source.is_file() and (not target.exists() or target.read_bytes() != source.read_bytes()):
                if target.exists():
                    _fail(f"{target} exists and differs from {source}: import into another folder")
                copies[target] = source.read_bytes()
    try:
        report = import_programs(programs, line_name=output.stem, station=station, into=base, model=model,
                                 process_s=times, output_s=output_time, input_wait_s=input_wait,
                                 program_files=references)
        write_files({output: line_text(report.line, output), **copies})  # the line and its programs, or nothing
    except (LineFileError, ValueError) as error:
        _fail(str(error))
    if as_json:
        _emit_json(report.to_dict())
    else:
        typer.echo(str(report))
        typer.echo(f"line written to {output}")


@app.command()
def split(
    line: LineArg = None,
    example: ExampleOpt = None,
    station: Annotated[str, typer.Option(help="the station to split")] = ...,
    robots: Annotated[int, typer.Option(help="total robots in the station afterwards (extra ones go to its robot_slots)")] = ...,
    time_limit: TimeLimitOpt = 5.0,
    seed: SeedOpt = 0,
    output: OutputOpt = None,
    as_json: JsonOpt = False,
):
    """Add robots at a choke point: share a station's tasks over k robots, before/after."""
    from cyclecore.changes.programs import split_station

    _output_file(output, LINE_SUFFIXES)
    loaded = _load(line, example)
    try:
        report = split_station(loaded, station, robots, time_limit=time_limit, seed=seed)
    except ValueError as error:
        _fail(str(error))
    _report_change(report, output, as_json)


@app.command()
def rebalance(
    line: LineArg = None,
    example: ExampleOpt = None,
    zone: Annotated[str, typer.Option(help="the zone whose stations share the work")] = ...,
    objective: Annotated[str, typer.Option(help="min-cycle (same stations, shortest zone cycle) or min-stations")] = "min-cycle",
    cycle_time: Annotated[Optional[float], typer.Option("--cycle-time", help="zone cycle for min-stations, s", callback=_in(_CYCLE))] = None,
    time_limit: TimeLimitOpt = 10.0,
    seed: SeedOpt = 0,
    output: OutputOpt = None,
    as_json: JsonOpt = False,
):
    """Move tasks between the stations of a zone (precedence, reach, tools), before/after."""
    from cyclecore.changes.rebalance import rebalance as run
    from cyclecore.model.line import zone_key

    _output_file(output, LINE_SUFFIXES)
    loaded = _load(line, example)
    try:
        report = run(loaded, zone_key(zone), objective, cycle_time=cycle_time, time_limit=time_limit, seed=seed)
    except ValueError as error:
        _fail(str(error))
    _report_change(report, output, as_json)


@app.command()
def plant(
    plant_file: Annotated[Optional[Path], typer.Argument(help="plant file (.yaml or .json)", show_default=False)] = None,
    example: ExampleOpt = None,
    target: Annotated[Optional[float], typer.Option(help="plant target in products/week (with --simulate: "
                                                         "against the simulated output)",
                                                    callback=_in(_TARGET))] = None,
    simulate_lines: Annotated[bool, typer.Option("--simulate", help="simulate every line with failures instead")] = False,
    weeks: Annotated[float, typer.Option(help="with --simulate: weeks per replication", callback=_in(_WEEKS))] = 1.0,
    replications: Annotated[int, typer.Option(help="with --simulate: replications", callback=_in(_REPLICATIONS))] = 10,
    seed: SeedOpt = 0,
    as_json: JsonOpt = False,
):
    """Capacity of a plant of parallel line designs, and which designs fall short of a target."""
    from cyclecore.analysis.plant import analyze_plant
    from cyclecore.examples import load_example_plant
    from cyclecore.files.plant_file import load_plant

    if (plant_file is None) == (example is None):
        _fail("give either a PLANT file or --example NAME (the example must have a plant.yaml)")
    try:
        loaded = load_example_plant(example) if example else load_plant(plant_file)
        _INPUT["file"] = None if example else str(plant_file)
        if simulate_lines:
            from cyclecore.analysis.simulation import simulate_plant

            result = simulate_plant(loaded, weeks=weeks, replications=replications, seed=seed, target=target)
        else:
            result = analyze_plant(loaded, target=target)
    except LineFileError as error:
        _fail(str(error))
    except KeyError as error:
        _fail(str(error.args[0]))
    except ValueError as error:
        _fail(str(error))
    if as_json:
        _emit_json(result.to_dict())
    else:
        typer.echo(str(result))


def _load_subject(path: Optional[Path], example: Optional[str]):
    """A line or a plant, from a file or a bundled example (its plant when it has one)."""
    from cyclecore.examples import load_example_subject
    from cyclecore.files.plant_file import load_line_or_plant

    if (path is None) == (example is None):
        _fail("give either a LINE or PLANT file or --example NAME (see `cyclecore examples`)")
    try:
        loaded = load_example_subject(example) if example else load_line_or_plant(path)
        _INPUT["file"] = None if example else str(path)
        return loaded
    except LineFileError as error:
        _fail(str(error))
    except KeyError as error:
        _fail(str(error.args[0]))


@app.command()
def optimize(
    subject: Annotated[Optional[Path], typer.Argument(metavar="LINE_OR_PLANT", help="line or plant file",
                                                      show_default=False)] = None,
    example: ExampleOpt = None,
    target: Annotated[float, typer.Option(help="products/week the plant must make (e.g. cars/week)", callback=_in(_TARGET))] = ...,
    budget: Annotated[Optional[float], typer.Option(help="most capex to spend (cost book currency)", callback=_in(_MONEY))] = None,
    confidence: Annotated[float, typer.Option(help="the target must be met by the lower end of this "
                                                   "confidence interval of simulated output",
                                              callback=_in(_CONFIDENCE))] = 0.9,
    weeks: Annotated[float, typer.Option(help="simulated weeks per replication",
                                              callback=_in(_WEEKS))] = 1.0,
    replications: Annotated[int, typer.Option(help="replications per simulated candidate", callback=_in(_RUNS))] = 10,
    seed: SeedOpt = 0,
    workers: Annotated[Optional[int], typer.Option(help="local worker processes", callback=_in(_WORKERS))] = None,
    scheduler: Annotated[Optional[str], typer.Option(help="a Dask scheduler address (tcp://host:8786)")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="write the plan here (.json)")] = None,
    curve: Annotated[Optional[Path], typer.Option(help="write the capex-versus-output curve here (.csv)")] = None,
    as_json: JsonOpt = False,
    report_file: ReportOpt = None,
):
    """The cheapest changes that lift a line or plant to a target, the capex curve and the verdict."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from cyclecore.files.line_file import check_writable, write_all_or_nothing
    from cyclecore.plan.executors import executor_for
    from cyclecore.plan.optimizer import TargetNotReached, optimize as run
    from cyclecore.plan.result import curve_csv, plan_json

    _output_file(output, (".json",))
    _output_file(curve, (".csv",))
    _report_file(report_file)
    loaded = _load_subject(subject, example)
    try:
        executor = executor_for(workers=workers, scheduler=scheduler)
    except (ValueError, ConnectionError, ImportError) as error:
        _fail(str(error))
    console = Console(stderr=True)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with executor, Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("searching", total=None)
        try:
            plan = run(loaded, target=target, budget=budget, confidence=confidence, weeks=weeks,
                       replications=replications, seed=seed, executor=executor,
                       progress=lambda stage, count: bar.update(task, description=f"{stage}: {count}"))
        except TargetNotReached as error:
            _no_answer(str(error))
        except (ValueError, LineFileError) as error:
            _fail(str(error))
    files = {}
    if output is not None:
        files[output] = plan_json(plan)
    if curve is not None:
        files[curve] = curve_csv(plan)
    if report_file is not None:
        files[report_file] = _report_text(loaded, plan=plan)
    write_all_or_nothing(files)  # every file or none
    if as_json:
        _emit_json(plan.to_dict())
    else:
        typer.echo(str(plan))
        for path in files:
            typer.echo(f"written: {path}")


@app.command(name="apply")
def apply_plan(
    subject: Annotated[Path, typer.Argument(metavar="LINE_OR_PLANT", help="the line or plant the plan was made for")],
    plan_file: Annotated[Path, typer.Argument(metavar="PLAN", help="a plan written by `cyclecore optimize -o`")],
    output: Annotated[Path, typer.Option("--output", "-o", help="the changed line (or plant file, with its "
                                                               "line files beside it)")] = ...,
):
    """Apply a plan: write the changed line or plant (whole files or nothing)."""
    from cyclecore.files.line_file import check_writable, save_line
    from cyclecore.files.plant_file import save_plant
    from cyclecore.model.plant import Plant
    from cyclecore.plan.result import load_plan_file
    from cyclecore.plan.result import apply_plan as run

    _output_file(output, LINE_SUFFIXES)
    loaded = _load_subject(subject, None)
    try:
        plan = load_plan_file(plan_file)
        changed = run(plan, loaded)
    except (ValueError, LineFileError) as error:
        _fail(str(error))
    if isinstance(changed, Plant):
        written = save_plant(changed, output)
        typer.echo(f"changed plant written to {output} (line files: {', '.join(str(p) for p in written.values())})")
    else:
        save_line(changed, output)
        typer.echo(f"changed line written to {output}")


@app.command()
def report(
    subject: Annotated[Optional[Path], typer.Argument(metavar="LINE_OR_PLANT", help="line or plant file",
                                                      show_default=False)] = None,
    example: ExampleOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="the report (.html): one file, opens offline")] = ...,
    target: Annotated[Optional[float], typer.Option(help="plant target in products/week (default: the plan's)",
                                                    callback=_in(_TARGET))] = None,
    plan_file: Annotated[Optional[Path], typer.Option("--plan", metavar="PLAN",
                                                      help="a plan written by `cyclecore optimize -o`")] = None,
    simulate_lines: Annotated[bool, typer.Option("--simulate/--no-simulate",
                                                 help="simulate with failures and buffers for the station states")] = True,
    weeks: Annotated[float, typer.Option(help="simulated weeks per replication", callback=_in(_WEEKS))] = 1.0,
    replications: Annotated[int, typer.Option(help="independent replications", callback=_in(_REPLICATIONS))] = 10,
    seed: SeedOpt = 0,
    ramp_weeks: Annotated[Optional[int], typer.Option(
        "--ramp", metavar="WEEKS", min=1, help="with --plan: also ramp the plan over WEEKS weeks (changes ordered "
                                               "in week 0, the lines' shifts, no labour limit; `cyclecore ramp "
                                               "--report` for every ramp option)",
        callback=_in(Integer(at_least=1, at_most=limits.RAMP_WEEKS.high, optional=True)))] = None,
    scenarios: Annotated[int, typer.Option(help="with --ramp: uncertainty scenarios for the P10-P90 band",
                                           callback=_in(_SCENARIOS))] = 0,
    png: Annotated[bool, typer.Option("--png", help="charts as PNG pictures instead of inline SVG")] = False,
):
    """An HTML report people look at: yamazumi, Gantt, robot paths, station states, the plan's curve."""
    from cyclecore.files.line_file import check_writable, write_all_or_nothing
    from cyclecore.plan.result import load_plan_file
    from cyclecore.report.build import Simulate
    from cyclecore.report.plan_file import plan_from_dict

    try:
        check_writable(output, (".html", ".htm"))
    except ValueError as error:
        _fail(str(error))
    if ramp_weeks is not None and plan_file is None:
        _fail("--ramp needs --plan PLAN: the plan whose changes the ramp lands")
    loaded = _load_subject(subject, example)
    ramped = None
    try:
        data = load_plan_file(plan_file) if plan_file is not None else None
        plan = plan_from_dict(data, str(plan_file)) if data is not None else None
        settings = Simulate(weeks=weeks, replications=replications, seed=seed) if simulate_lines else None
        if ramp_weeks is not None:
            from cyclecore.ramp.run import ramp as run_ramp

            ramped = run_ramp(loaded, data, weeks=ramp_weeks, target=target, scenarios=scenarios, seed=seed)
    except (ValueError, LineFileError) as error:
        _fail(str(error))
    text = _report_text(loaded, target=target, simulate=settings, plan=plan, ramp=ramped,
                        format="png" if png else "svg")
    write_all_or_nothing({output: text})
    typer.echo(f"report written to {output} ({len(text.encode('utf-8')) / 1e6:.2f} MB)")


# --- the ramp (issue 9) -------------------------------------------------------------------------
@app.command(name="ramp")
def ramp_command(
    subject: Annotated[Optional[Path], typer.Argument(metavar="LINE_OR_PLANT", help="line or plant file",
                                                      show_default=False)] = None,
    example: ExampleOpt = None,
    plan: Annotated[Path, typer.Option("--plan", help="a plan written by `cyclecore optimize -o` (with an "
                                                      "optional \"ramp\" section: learning, order weeks)")] = ...,
    weeks: Annotated[int, typer.Option(help="weeks to ramp, 0 … N-1", callback=_in(_RAMP_WEEKS))] = 52,
    order_week: Annotated[Optional[list[str]], typer.Option(
        "--order-week", help="CHANGE=W: order a change in week W (default 0); CHANGE is a change's name, "
                             "or its station, kind or line for all of theirs; repeat for more")] = None,
    shifts: Annotated[Optional[str], typer.Option(help="shift plan: '3x5' (shifts a day x days a week) or "
                                                       "'0:3x5,30:2x5' (from week 30 on: 2 shifts)")] = None,
    target: Annotated[Optional[float], typer.Option(help="products/week to reach (default: the plan's target)", callback=_in(_TARGET))] = None,
    pool: Annotated[Optional[float], typer.Option(help="operators available in week 0 (default: no limit)", callback=_in(_POOL))] = None,
    hires: Annotated[float, typer.Option(help="operators hired each week", callback=_in(_PEOPLE))] = 0.0,
    crew: Annotated[float, typer.Option(help="each line's base crew per shift, besides manual stations and the "
                                             "changes' operators", callback=_in(_CREW))] = 0.0,
    simulate_weeks: Annotated[bool, typer.Option("--simulate", help="also simulate every week (slower)")] = False,
    replications: Annotated[int, typer.Option(help="with --simulate: replications per week", callback=_in(_RUNS))] = 10,
    confidence: Annotated[float, typer.Option(help="with --simulate: the interval's level", callback=_in(_CONFIDENCE))] = 0.9,
    scenarios: Annotated[int, typer.Option(help="uncertainty scenarios (lead-time slips, learning) for "
                                                "P10/P50/P90", callback=_in(_SCENARIOS))] = 0,
    seed: SeedOpt = 0,
    csv_file: Annotated[Optional[Path], typer.Option("--csv", help="write the weekly rows here (.csv)")] = None,
    as_json: JsonOpt = False,
    report_file: ReportOpt = None,
):
    """Week-by-week output while a plan's changes land: learning, downtime, shifts and labour."""
    from rich.console import Console
    from rich.progress import Progress

    from cyclecore.files.line_file import check_writable, write_all_or_nothing
    from cyclecore.plan.result import load_plan_file
    from cyclecore.ramp.labour import Labour
    from cyclecore.ramp.result import ramp_csv
    from cyclecore.ramp.run import ramp as run

    report_file = _report_file(report_file)
    _output_file(csv_file, (".csv",))
    loaded = _load_subject(subject, example)
    selections = []
    for text in order_week or []:
        change, sep, week = text.rpartition("=")
        try:
            value = float(week)
        except ValueError:
            value = None
        if not sep or not change or value is None:
            _fail(f"--order-week {text!r}: expected CHANGE=WEEK, e.g. --order-week add_robots@ST20=4")
        if not value >= 0 or value == float("inf"):
            _fail(f"--order-week {text!r}: got week {week}, expected a week >= 0")
        selections.append((change, value))
    try:
        outputs = {check_writable(csv_file, (".csv",)): None} if csv_file is not None else {}
        data = load_plan_file(plan)
        labour = Labour(pool=pool, hires_per_week=hires, crew_per_shift=crew)
    except ValueError as error:
        _fail(str(error).replace("labour.pool", "--pool").replace("labour.hires_per_week", "--hires")
              .replace("labour.crew_per_shift", "--crew"))
    console = Console(stderr=True)
    with Progress(console=console, transient=True,
                  disable=not console.is_terminal or not (simulate_weeks or scenarios)) as bar:
        task = bar.add_task("ramping", total=None)
        try:
            result = run(loaded, data, weeks=weeks, order_weeks=selections, shifts=shifts, labour=labour,
                         target=target, simulate=simulate_weeks, replications=replications, seed=seed,
                         confidence=confidence, scenarios=scenarios,
                         progress=lambda done, total: bar.update(task, completed=done, total=total))
        except (ValueError, LineFileError) as error:
            _fail(str(error))
    files = {path: ramp_csv(result) for path in outputs}
    if report_file is not None:
        from cyclecore.report.plan_file import plan_from_dict

        try:
            planned = plan_from_dict(data, str(plan))
        except ValueError as error:
            _fail(str(error))
        files[report_file] = _report_text(loaded, plan=planned, ramp=result, target=target)
    if files:
        write_all_or_nothing(files)  # every file or none
    if as_json:
        _emit_json(result.to_dict())
    else:
        typer.echo(str(result))
        for path in files:
            typer.echo(f"written: {path}")


@app.command()
def examples():
    """List the bundled example lines."""
    from cyclecore.examples import EXAMPLES

    for name, description in EXAMPLES.items():
        typer.echo(f"{name:14s} {description}")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:  # outside a command (while parsing): still the shell's code
        sys.exit(INTERRUPTED)


if __name__ == "__main__":
    main()
