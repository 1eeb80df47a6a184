"""Executors: the same results, bit for bit and in item order, in-process, in a process pool and on Dask.

Real workers throughout: a ProcessPool of 2 and a distributed.LocalCluster of 2 worker processes,
each started once for this module.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from concurrent.futures.process import BrokenProcessPool

import distributed
import numpy as np
import pytest

import cyclecore
from cyclecore.plan.executors import DaskCluster, Executor, InProcess, ProcessPool, executor_for
from executor_work import noisy_total, refuse_odd_keys, slow_first

EXECUTORS = ["in-process", "process-pool", "dask"]


# Work items live in executor_work.py, so the workers import them by a plain module name.

ITEMS = [(key, 500 + 37 * key) for key in range(40)]


@pytest.fixture(scope="module")
def process_pool():
    with ProcessPool(2) as pool:
        yield pool


@pytest.fixture(scope="module")
def dask_cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=logging.ERROR) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def dask_client(dask_cluster):
    with distributed.Client(dask_cluster, set_as_default=False) as client:
        yield client


@pytest.fixture(params=EXECUTORS)
def executor(request) -> Executor:
    if request.param == "in-process":
        return InProcess()
    if request.param == "process-pool":
        return request.getfixturevalue("process_pool")
    return DaskCluster(request.getfixturevalue("dask_client"))


def test_every_executor_returns_the_same_numbers_in_item_order(executor):
    reference = [noisy_total(item) for item in ITEMS]
    results = executor.map(noisy_total, ITEMS)
    assert results == reference  # floats compared exactly: bit for bit


def test_results_keep_item_order_when_later_items_finish_first(executor):
    assert executor.map(slow_first, range(6)) == list(range(6))


def test_a_line_simulation_is_the_same_on_every_executor(executor):
    line = cyclecore.load_example("tutorial")
    reference = cyclecore.simulate(line, weeks=0.2, replications=4, seed=3)
    run = cyclecore.simulate(line, weeks=0.2, replications=4, seed=3, executor=executor)
    assert run.units_per_week == reference.units_per_week
    assert run.to_dict() == reference.to_dict()


def test_progress_counts_items_up_to_the_total_in_the_callers_process(executor):
    calls = []
    executor.map(noisy_total, ITEMS, progress=lambda done, total: calls.append((done, total)))
    done = [d for d, _ in calls]
    assert done == sorted(done) and len(set(done)) == len(done)
    assert calls[-1] == (len(ITEMS), len(ITEMS))
    assert {total for _, total in calls} == {len(ITEMS)}


def test_a_worker_error_reaches_the_caller_with_its_type_and_message(executor):
    with pytest.raises(ValueError) as raised:
        executor.map(refuse_odd_keys, [0, 2, 4, 3, 6, 5, 7])
    assert str(raised.value) == "station S3: cycle time must be > 0 s"
    # the earliest failing item, as running them in order would give, whichever worker reported first
    assert "while running refuse_odd_keys on item 3" in raised.value.__notes__


def test_nothing_to_do_gives_an_empty_list(executor):
    assert executor.map(noisy_total, []) == []


def test_a_dead_worker_breaks_only_that_map_and_the_pool_starts_again():
    with ProcessPool(1) as pool:
        with pytest.raises(BrokenProcessPool):
            pool.map(os._exit, [1])
        assert pool.map(abs, [-1, -2]) == [1, 2]


def test_a_process_pool_refuses_a_function_its_workers_cannot_import(process_pool):
    expected = r"^fn: got <function .*, expected a module-level function .* that worker processes can import"
    with pytest.raises(ValueError, match=expected):
        process_pool.map(lambda item: item, [1])
    assert process_pool.map(abs, [-1]) == [1]


def test_executor_for_runs_in_process_unless_asked_for_workers_or_a_scheduler(dask_cluster):
    assert isinstance(executor_for(), InProcess)
    assert isinstance(executor_for(workers=1), InProcess)
    with executor_for(workers=2) as pool:
        assert isinstance(pool, ProcessPool) and pool.workers == 2
    with executor_for(scheduler=dask_cluster.scheduler_address) as cluster:
        assert isinstance(cluster, DaskCluster)
        assert cluster.map(noisy_total, ITEMS[:3]) == [noisy_total(item) for item in ITEMS[:3]]


def test_closing_a_dask_executor_leaves_a_client_it_was_given_open(dask_client):
    with DaskCluster(dask_client) as cluster:
        cluster.map(abs, [-1])
    assert dask_client.status == "running"
    assert dask_client.submit(abs, -4).result() == 4


@pytest.mark.parametrize("workers", [0, -1, True, 2.0, "2"])
def test_executor_for_refuses_a_bad_number_of_workers(workers):
    with pytest.raises(ValueError, match=r"^workers: got .*, expected a number of worker processes >= 1$"):
        executor_for(workers=workers)
    with pytest.raises(ValueError, match=r"^workers: got"):
        ProcessPool(workers)


def test_executor_for_refuses_workers_and_a_scheduler_together():
    with pytest.raises(ValueError, match=r"^workers, scheduler: .* not both$"):
        executor_for(workers=2, scheduler="tcp://127.0.0.1:8786")


@pytest.mark.parametrize("scheduler", ["", 8786, "nonsense://host:8786"])
def test_executor_for_refuses_a_scheduler_that_is_not_an_address(scheduler):
    with pytest.raises(ValueError, match=r"^scheduler: got"):
        executor_for(scheduler=scheduler)


def test_map_refuses_a_function_or_progress_that_cannot_be_called(executor):
    with pytest.raises(ValueError, match=r"^fn: got 3, expected a module-level function fn\(item\)$"):
        executor.map(3, ITEMS)
    with pytest.raises(ValueError, match=r"^progress: got 'bar'"):
        executor.map(noisy_total, ITEMS, progress="bar")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_closed_scheduler_port_fails_within_the_timeout():
    expected = r"^scheduler: no Dask scheduler answered at 'tcp://127\.0\.0\.1:\d+' within 1 s"
    started = time.perf_counter()
    with pytest.raises(ConnectionError, match=expected):
        executor_for(scheduler=f"tcp://127.0.0.1:{_free_port()}", connect_timeout_s=1.0)
    assert time.perf_counter() - started < 5.0


def test_a_server_that_never_answers_fails_within_the_timeout_instead_of_hanging():
    # accepts the connection (the kernel's backlog) and never says a word: Client() alone waits for ever
    with socket.create_server(("127.0.0.1", 0)) as silent:
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        started = time.perf_counter()
        with pytest.raises(ConnectionError, match=r"^scheduler: no Dask scheduler answered at .* within 1 s"):
            executor_for(scheduler=address, connect_timeout_s=1.0)
        assert time.perf_counter() - started < 5.0


def test_a_worker_address_is_not_taken_for_a_scheduler(dask_cluster):
    worker = next(iter(dask_cluster.scheduler_info["workers"]))
    with pytest.raises(ConnectionError, match=r"is a Dask Worker, not a scheduler"):
        executor_for(scheduler=worker, connect_timeout_s=2.0)


def test_without_dask_installed_the_error_names_the_extra():
    # a fresh interpreter in which `import distributed` fails, as it does where the extra is missing
    script = ("import sys; sys.modules['distributed'] = None\n"
              "from cyclecore.plan.executors import executor_for\n"
              "try:\n    executor_for(scheduler='tcp://127.0.0.1:8786')\n"
              "except ImportError as error:\n    print(error)\n")
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert shown.stdout.strip() == 'the Dask executor needs dask.distributed: pip install "cyclecore[dask]"'
