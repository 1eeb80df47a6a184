"""Readers parse the public benchmark files, and small Scholl instances hit their known optima."""

from __future__ import annotations

import numpy as np
import pytest
from shared_data import shared_data_dir

from cyclecore.balancing import (
    read_otto,
    read_scholl,
    salbp1,
    salbp2,
    scholl_salbp1_instances,
    scholl_salbp2_instances,
)

SMALL = {"MERTENS", "BOWMAN8", "JAESCHKE", "JACKSON", "MANSOOR", "MITCHELL", "ROSZIEG", "HESKIA", "BUXEY"}


@pytest.fixture(scope="module")
def salbp_dir():
    return shared_data_dir() / "salbp"


def test_scholl_reader_reads_mertens(salbp_dir):
    inst = read_scholl(salbp_dir / "scholl" / "MERTENS.IN2")
    assert inst.n == 7
    assert inst.task_times.tolist() == [1, 5, 4, 3, 5, 6, 5]
    assert inst.precedence.tolist() == [[0, 1], [0, 3], [1, 2], [1, 4], [3, 6], [4, 5]]


def test_scholl_reader_reads_every_graph(salbp_dir):
    for path in sorted((salbp_dir / "scholl").glob("*.IN2")):
        inst = read_scholl(path)
        first = int(path.read_bytes().split()[0])
        assert inst.n == first and inst.precedence.max() < inst.n and inst.task_times.min() > 0


def test_instance_lists_have_the_published_sizes(salbp_dir):
    one = scholl_salbp1_instances(salbp_dir.parent)
    two = scholl_salbp2_instances(salbp_dir)
    assert len(one) == 269 and len(two) == 302
    assert {c.graph for c in one} >= SMALL


@pytest.mark.parametrize("folder, n", [("small", 20), ("medium", 50), ("large", 100), ("verylarge", 1000)])
def test_otto_reader_handles_crlf_and_decimal_comma(salbp_dir, folder, n):
    path = salbp_dir / "otto2013" / folder / f"instance_n={n}_1.alb"
    raw = path.read_bytes()
    assert b"\r\n" in raw
    inst = read_otto(path)
    assert inst.n == n and inst.cycle_time == 1000
    text = raw.decode().replace("\r", "")
    strength = text.split("<order strength>\n")[1].split("\n")[0]
    assert inst.order_strength == pytest.approx(float(strength.replace(",", ".")))
    times = text.split("<task times>\n")[1].split("\n\n")[0].split("\n")
    assert inst.task_times[-1] == float(times[-1].split()[1])
    assert len(inst.precedence) == len(text.split("<precedence relations>\n")[1].split("\n\n")[0].split("\n"))


def test_otto_small_instance_with_decimal_comma_reads(salbp_dir):
    path = salbp_dir / "otto2013" / "small" / "instance_n=20_1.alb"
    assert b"0,268" in path.read_bytes()
    assert read_otto(path).order_strength == pytest.approx(0.268)


def test_otto_reader_ignores_unknown_tags(tmp_path):
    p = tmp_path / "x.alb"
    p.write_bytes(b"<number of tasks>\r\n2\r\n<cycle time>\r\n10\r\n<colour>\r\nred\r\n"
                  b"<task times>\r\n1 3\r\n2 4\r\n<precedence relations>\r\n1,2\r\n<end>\r\n")
    inst = read_otto(p)
    assert inst.task_times.tolist() == [3, 4] and inst.precedence.tolist() == [[0, 1]]


def test_small_scholl_salbp1_instances_reach_their_optima(salbp_dir):
    cases = [c for c in scholl_salbp1_instances(salbp_dir) if c.graph in SMALL]
    assert len(cases) >= 40
    for c in cases:
        b = salbp1(c.instance.task_times, c.instance.precedence, c.cycle_time, time_limit=5.0)
        assert b.objective == c.opt_stations, (c.graph, c.cycle_time)
        assert b.proven_optimal
        loads = np.bincount(b.station, weights=c.instance.task_times)
        assert loads.max() <= c.cycle_time


def test_small_scholl_salbp2_instances_reach_their_optima(salbp_dir):
    cases = [c for c in scholl_salbp2_instances(salbp_dir) if c.graph in {"BUXEY", "SAWYER30", "LUTZ1"}]
    assert len(cases) >= 15
    for c in cases:
        b = salbp2(c.instance.task_times, c.instance.precedence, c.stations, time_limit=5.0)
        assert round(b.objective) == c.best_cycle_time, (c.graph, c.stations)
        assert b.proven_optimal == c.proven_optimal
