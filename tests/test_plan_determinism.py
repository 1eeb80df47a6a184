"""The same plan, bit for bit, whichever executor runs it, and from one run to the next.

Both search methods are run: the exhaustive walk (a small space) and the frontiers with the
greedy closure (forced with ``exhaustive_limit=0``). The Dask cluster is a real
``distributed.LocalCluster`` with two worker processes, started here.
"""

from __future__ import annotations

import json

import pytest

import cyclecore
from cyclecore.plan.executors import DaskCluster, InProcess, ProcessPool

SMALL = cyclecore.Levers(resequence=False, robots=False, rebalance=False, max_buffer_places=1, added_lines=1)
FRONTIER = cyclecore.Levers(robots=False, rebalance=False, max_buffer_places=2, added_lines=0)


def _plan(executor, levers, **options):
    plan = cyclecore.optimize(cyclecore.load_example("tutorial"), target=10_000, weeks=0.2, replications=4,
                              seed=7, levers=levers, executor=executor, **options)
    return json.dumps(plan.to_dict(), sort_keys=True)


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    client = distributed.Client(cluster, set_as_default=False)
    yield client
    client.close()
    cluster.close()


@pytest.mark.parametrize("levers, options", [(SMALL, {}), (FRONTIER, {"exhaustive_limit": 0})],
                         ids=["exhaustive", "frontiers and greedy closure"])
def test_every_executor_gives_the_same_plan_bit_for_bit(dask_client, levers, options):
    reference = _plan(InProcess(), levers, **options)
    assert json.loads(reference)["designs"][0]["method"] == ("exhaustive" if not options else
                                                             "frontiers and greedy closure")
    with ProcessPool(2) as pool:
        assert _plan(pool, levers, **options) == reference
    with DaskCluster(dask_client) as cluster:
        assert _plan(cluster, levers, **options) == reference


def test_the_same_search_twice_gives_the_same_plan():
    assert _plan(InProcess(), FRONTIER, exhaustive_limit=0) == _plan(InProcess(), FRONTIER, exhaustive_limit=0)


def test_another_seed_is_another_measurement_of_the_same_line():
    one = json.loads(_plan(InProcess(), SMALL))
    other = cyclecore.optimize(cyclecore.load_example("tutorial"), target=10_000, weeks=0.2, replications=4,
                               seed=8, levers=SMALL)
    assert one["today_deterministic_products_per_week"] == other.today_deterministic_products_per_week
    assert one["today_products_per_week"] != other.today_products_per_week


def test_the_command_line_gives_the_same_plan_on_a_dask_scheduler_as_on_one_core(dask_client, tmp_path):
    from typer.testing import CliRunner

    from cyclecore.cli import app

    address = dask_client.scheduler.address
    common = ["optimize", "--example", "tutorial", "--target", "10000", "--weeks", "0.2", "--replications", "4",
              "--seed", "7", "--json"]
    one_core = CliRunner().invoke(app, common)
    on_dask = CliRunner().invoke(app, common + ["--scheduler", address])
    assert one_core.exit_code == 0, one_core.output
    assert on_dask.exit_code == 0, on_dask.output
    assert json.loads(on_dask.stdout) == json.loads(one_core.stdout)


def test_a_scheduler_nobody_answers_at_is_a_clear_error():
    from typer.testing import CliRunner

    from cyclecore.cli import app

    result = CliRunner().invoke(app, ["optimize", "--example", "tutorial", "--target", "10000",
                                      "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "scheduler" in result.output and "Traceback" not in result.output
