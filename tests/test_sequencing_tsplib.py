"""On public TSPLIB instances the sequencer lands within 1% of the proven optima.

berlin52 (optimum 7542) and kroA100 (optimum 21282), EUC_2D distances nint(sqrt(dx² + dy²)),
city 1 as the robot's home. A route can never beat the optimum, so the cost must also sit at or
above it — which checks the reader's distance rule as much as the solver.
"""

from __future__ import annotations

import numpy as np
import pytest

from cyclecore.sequencing import best_route, read_tsplib

from shared_data import shared_data_dir


@pytest.mark.parametrize("name, optimum", [("berlin52", 7542), ("kroA100", 21282)])
def test_sequencer_is_within_one_percent_of_the_tsplib_optimum(name, optimum):
    instance = read_tsplib(shared_data_dir() / "tsplib" / f"{name}.tsp")
    times = instance.distance_matrix()

    route = best_route(times, time_limit=2.0, seed=0)

    assert instance.optimum == optimum or instance.optimum is None
    assert sorted(route.order[1:-1].tolist()) == list(range(1, times.shape[0]))
    assert route.order[0] == 0 and route.order[-1] == 0
    assert optimum - 1e-9 <= route.cost <= 1.01 * optimum


def test_tsplib_distances_are_rounded_to_the_nearest_integer():
    instance = read_tsplib(shared_data_dir() / "tsplib" / "berlin52.tsp")
    times = instance.distance_matrix()
    assert instance.coordinates.shape == (52, 2)
    # Cities 1 (565, 575) and 2 (25, 185): sqrt(540² + 390²) = 666.108...
    assert times[0, 1] == 666.0
    assert np.array_equal(times, times.T) and np.all(np.diag(times) == 0)


def test_reader_rejects_other_edge_weight_types(tmp_path):
    path = tmp_path / "geo.tsp"
    path.write_text("NAME: x\nTYPE: TSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: GEO\n"
                    "NODE_COORD_SECTION\n1 0 0\n2 1 1\nEOF\n")
    with pytest.raises(ValueError, match="EUC_2D"):
        read_tsplib(path)
