"""Where the plan's work runs: in this process, in a local process pool, or on a Dask cluster.

Every executor has one method, ``map(fn, items, *, progress=None) -> list``: ``fn(item)`` for each
item, the results in item order. ``fn`` is a module-level function (a ``functools.partial`` of one
is fine) and the items are picklable, because two of the three executors send both to other
processes. ``cyclecore.simulate(..., executor=...)`` and the plan search take any of them.

Why these three. :class:`InProcess` is the reference: no start-up cost, a plain traceback, the
right choice for small lines and tests. :class:`ProcessPool` uses the cores of one workstation
(``--workers N``); processes rather than threads because the Python parts of a station frontier
hold the GIL. :class:`DaskCluster` spreads a plant-sized search over many machines
(``--scheduler tcp://…``) with the same code; it is an optional extra
(``pip install "cyclecore[dask]"``) because most users never need it.

Why results come back in item order. The search reduces what it gets back: it sums
replications, takes minima, breaks ties by the first candidate. In item order each reduction is the
same floating-point computation whichever worker finished first; in completion order a sum or a
tie-break would depend on timing. For the same reason a failure is the one running the items in
order would meet first: the error of the earliest failing item, whoever reported first.

Why seeds come from the items. A seed taken from a worker's id, or from a shared random stream
consumed as results arrive, changes with the number of workers and the timing. A seed computed
from the item itself (a replication's index spawned from the run's seed, a candidate's key) makes
every item a pure function of its value, so any executor, any number of workers and any retry give
the same plan bit for bit. Searches that must be reproducible stop on counts, never on the clock.

A script that uses a :class:`ProcessPool` needs the ``if __name__ == "__main__":`` guard: workers
start from a fresh interpreter that imports the main module (the ``cyclecore`` command has it).
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import pickle
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures import as_completed as _pool_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterable, Protocol, runtime_checkable

from cyclecore.arguments import PROGRESS, Function, Integer, Number, refuse

# Spans (tasks) per worker: one per worker pays the least overhead but leaves cores idle when
# items differ in cost; four keeps the load even at a few ms of overhead per span.
SPANS_PER_WORKER = 4
CONNECT_TIMEOUT_S = 10.0

_WORKERS = Integer(at_least=1, what="a number of worker processes >= 1")
_FUNCTION = Function(what="a module-level function fn(item)")
_TIMEOUT = Number(above=0, unit="s")
_DASK_MISSING = 'the Dask executor needs dask.distributed: pip install "cyclecore[dask]"'


@runtime_checkable
class Executor(Protocol):
    """Runs ``fn`` on every item and gives the results in item order; a context manager.

    Implementations subclass it for ``close()`` and ``with``; anything else with a ``map`` of the
    same form fits the protocol.
    """

    def map(self, fn: Callable[[Any], Any], items: Iterable, *, progress=None) -> list:
        """``[fn(item) for item in items]``, computed wherever the executor runs work.

        progress: ``progress(done, total)`` in the caller's process as results arrive (``done``
        counts items; calls may come in bursts, results always come back in item order).
        """
        ...

    def close(self) -> None:
        """Release the workers this executor started (idempotent)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class InProcess(Executor):
    """Runs every item here, one after the other: the reference the other executors match."""

    def map(self, fn, items, *, progress=None) -> list:
        fn, items, progress = _checked(fn, items, progress)
        results = []
        for index, item in enumerate(items):
            results.append(_run_item(fn, item, index))
            if progress is not None:
                progress(index + 1, len(items))
        return results

    def __repr__(self) -> str:
        return "InProcess()"


class ProcessPool(Executor):
    """``workers`` local processes, started at the first ``map`` and kept until ``close()``.

    Workers start from a fresh interpreter (forkserver; spawn where there is no forkserver), never
    as a fork of the caller: a fork copies Numba's, OR-Tools' or a Dask client's threads and locks
    in whatever state they are in. Forkserver also starts and stops faster than spawn (2 workers,
    first tutorial simulation and shutdown: about 1.05 s against 1.6 s). Items go to the
    workers in consecutive spans (:data:`SPANS_PER_WORKER` per worker), so a map of many cheap
    items pays the inter-process cost a few times, not once per item.
    """

    def __init__(self, workers: int):
        self.workers = _WORKERS.check(workers, "workers")
        self._pool: ProcessPoolExecutor | None = None

    def map(self, fn, items, *, progress=None) -> list:
        fn, items, progress = _checked(fn, items, progress)
        if not items:
            return []
        _check_importable(fn)
        if self._pool is None:
            context = multiprocessing.get_context(_START_METHOD)
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context)
        spans = _spans(len(items), self.workers * SPANS_PER_WORKER)
        futures = [self._pool.submit(_run_span, fn, items[a:b], a) for a, b in spans]
        try:
            return _gather(spans, futures, _pool_completed, progress)
        except BrokenProcessPool:
            # a worker died (killed, out of memory): this pool is unusable, the next map starts a new one
            self.close()
            raise

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __repr__(self) -> str:
        return f"ProcessPool(workers={self.workers})"


class DaskCluster(Executor):
    """The workers of a Dask cluster: ``scheduler`` is its address (``tcp://10.0.0.5:8786``) or a
    connected ``distributed.Client``.

    An address is checked first: when no Dask scheduler answers there within ``connect_timeout_s``
    this raises ConnectionError rather than waiting. A client made from an address is closed by
    ``close()``; a client passed in stays open for its owner. Every worker needs cyclecore (and
    the module of ``fn``) installed, in the same version as the caller.
    """

    def __init__(self, scheduler, connect_timeout_s: float = CONNECT_TIMEOUT_S):
        distributed = _distributed()
        if isinstance(scheduler, distributed.Client):
            self.client, self._owns_client = scheduler, False
            return
        if not isinstance(scheduler, str) or not scheduler.strip():
            raise ValueError(f"scheduler: got {scheduler!r}, expected a Dask scheduler address such as "
                             "'tcp://10.0.0.5:8786' or a distributed.Client")
        timeout_s = _TIMEOUT.check(connect_timeout_s, "connect_timeout_s")
        _check_scheduler(scheduler, timeout_s)
        # set_as_default=False: the caller's own dask.compute() calls keep their scheduler
        self.client = distributed.Client(scheduler, timeout=timeout_s, set_as_default=False)
        self._owns_client = True

    def map(self, fn, items, *, progress=None) -> list:
        fn, items, progress = _checked(fn, items, progress)
        if not items:
            return []
        distributed = _distributed()
        threads = sum(self.client.nthreads().values())
        spans = _spans(len(items), max(threads, 1) * SPANS_PER_WORKER)
        # readable task names on the dashboard ("station_frontier"), unique per map
        label, token = _name(fn), uuid.uuid4().hex
        futures = [self.client.submit(_run_span, fn, items[a:b], a, key=f"{label}-{token}-{a}")
                   for a, b in spans]
        completed = functools.partial(distributed.as_completed, loop=self.client.loop)
        return _gather(spans, futures, completed, progress)

    def close(self) -> None:
        if self._owns_client:
            self.client.close()

    def __repr__(self) -> str:
        return f"DaskCluster({self.client.scheduler.address!r})"


def executor_for(workers: int | None = None, scheduler: str | None = None, *,
                 connect_timeout_s: float = CONNECT_TIMEOUT_S) -> Executor:
    """The executor the CLI's ``--workers N`` or ``--scheduler ADDRESS`` asks for.

    Neither: :class:`InProcess`. ``workers=1``: also in-process (one worker is the caller itself,
    without a process to start). ``workers >= 2``: a :class:`ProcessPool`. ``scheduler``: a
    :class:`DaskCluster` at that address. Raises ValueError naming the argument on a bad value or
    when both are given, ConnectionError when no scheduler answers within ``connect_timeout_s``,
    ImportError naming ``cyclecore[dask]`` when dask.distributed is not installed.
    """
    if workers is not None and scheduler is not None:
        raise ValueError(f"workers, scheduler: got workers={workers!r} and scheduler={scheduler!r}, expected one "
                         "of them: local worker processes or a Dask cluster, not both")
    workers = _WORKERS.check(workers, "workers") if workers is not None else None
    if scheduler is not None:
        if not isinstance(scheduler, str):  # a Client belongs to DaskCluster(); the CLI gives text
            raise ValueError(f"scheduler: got {scheduler!r}, expected a Dask scheduler address such as "
                             "'tcp://10.0.0.5:8786'")
        return DaskCluster(scheduler, connect_timeout_s)
    if workers is None or workers == 1:
        return InProcess()
    return ProcessPool(workers)


def _start_method() -> str:
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


_START_METHOD = _start_method()


def _checked(fn, items, progress):
    return _FUNCTION.check(fn, "fn"), list(items), PROGRESS.check(progress, "progress")


def _check_importable(fn) -> None:
    """Refuse here, naming ``fn``, a function a worker process could not import (a lambda, a
    local function); the pool would otherwise fail later with a pickling error from its own thread."""
    try:
        pickle.dumps(fn)
    except (pickle.PicklingError, AttributeError, TypeError) as error:
        refuse("fn", fn, f"a module-level function (or a functools.partial of one) that worker processes "
                         f"can import; {error}")


def _name(fn) -> str:
    inner = getattr(fn, "func", fn)  # functools.partial
    return getattr(inner, "__name__", type(inner).__name__)


def _run_item(fn, item, index: int):
    try:
        return fn(item)
    except Exception as error:
        # type and message stay the caller's to match; the note says which item, also across processes
        error.add_note(f"while running {_name(fn)} on item {index}")
        raise


def _run_span(fn, items: list, start: int) -> list:
    """``fn`` on consecutive items from index ``start``: one task for a worker."""
    return [_run_item(fn, item, start + offset) for offset, item in enumerate(items)]


def _spans(count: int, pieces: int) -> list[tuple[int, int]]:
    """``range(count)`` cut into at most ``pieces`` consecutive spans whose sizes differ by at most one."""
    pieces = max(1, min(count, pieces))
    edges = [count * i // pieces for i in range(pieces + 1)]
    return list(zip(edges[:-1], edges[1:]))


def _gather(spans, futures, as_completed, progress) -> list:
    """The spans' results in item order, reporting progress as each span arrives.

    On a failure the spans after it are cancelled and the ones before it awaited, so the error
    raised is the earliest failing item's, as running the items in order would give.
    """
    count = spans[-1][1]
    position = {id(f): i for i, f in enumerate(futures)}
    results: list = [None] * count
    done = 0
    failed: int | None = None  # index of the earliest failed span so far
    try:
        for future in as_completed(futures):
            i = position[id(future)]
            if failed is not None and i > failed:
                continue
            if future.exception() is not None:
                failed = i
                for later in futures[i + 1:]:
                    later.cancel()
            else:
                a, b = spans[i]
                results[a:b] = future.result()
                done += b - a
                if progress is not None:
                    progress(done, count)
            if failed is not None and all(f.done() for f in futures[:failed]):
                break
    except BaseException:  # an interrupt, or a progress callback that raised: stop the queued work
        for future in futures:
            future.cancel()
        raise
    if failed is not None:
        for future in futures[:failed + 1]:
            future.result()  # all done: raises the earliest failure
    return results


def _distributed():
    try:
        import distributed
    except ImportError as error:
        raise ImportError(_DASK_MISSING) from error
    return distributed


def _check_scheduler(address: str, timeout_s: float) -> None:
    """Raise unless a Dask scheduler answers at ``address`` within ``timeout_s``.

    ``Client(address, timeout=...)`` bounds only the TCP connect: a server that accepts and never
    answers (an HTTP port, a proxy) leaves it waiting for the handshake for ever, and one that
    answers in another protocol can fail in odd ways. Asking the scheduler who it is, with the
    whole exchange under one deadline, turns all of these into one clear error.
    """
    from distributed import rpc

    async def identity():
        async with rpc(address, timeout=timeout_s) as scheduler:
            return await scheduler.identity()

    def ask():
        return asyncio.run(asyncio.wait_for(identity(), timeout_s))

    # a thread of its own: asyncio.run refuses to start inside a caller's running event loop (Jupyter)
    with ThreadPoolExecutor(1, thread_name_prefix="cyclecore-scheduler-check") as thread:
        try:
            info = thread.submit(ask).result()
        except ValueError as error:  # an address dask cannot parse (unknown scheme, no port)
            raise ValueError(f"scheduler: got {address!r}, {error}") from None
        except OSError as error:  # refused, unknown host, or silent until the deadline (TimeoutError)
            detail = f" ({error})" if str(error) else ""
            raise ConnectionError(f"scheduler: no Dask scheduler answered at {address!r} within {timeout_s:g} s"
                                  f"{detail}; start one with `dask scheduler` or check the address") from error
        except Exception as error:  # bytes that are not the Dask protocol
            raise ConnectionError(f"scheduler: the server at {address!r} does not answer as a Dask scheduler "
                                  f"({type(error).__name__}); check the address and port") from error
    if not isinstance(info, dict) or info.get("type") != "Scheduler":
        kind = info.get("type", "server") if isinstance(info, dict) else "server"
        raise ConnectionError(f"scheduler: {address!r} is a Dask {kind}, not a scheduler; give the scheduler's "
                              "address (port 8786 by default)")


__all__ = ["CONNECT_TIMEOUT_S", "DaskCluster", "Executor", "InProcess", "ProcessPool", "SPANS_PER_WORKER",
           "executor_for"]
