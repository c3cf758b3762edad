"""The bootstrap on a Dask cluster gives the local numbers bit for bit (issue 20; slow: starts a cluster)."""
from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.slow


def test_effecten_op_lokaal_cluster_bitgelijk():
    distributed = pytest.importorskip("distributed")
    from evaluatie import cluster
    from evaluatie.effecten import Effectconfig, schat_effecten
    from evaluatie.effecten.voorbeeld import simuleer_persoonmaanden

    pm = simuleer_persoonmaanden(3, 3000).persoonmaanden
    cfg = Effectconfig(bootstrap=6, n_jobs=1, seed=9)
    lokaal = schat_effecten(pm, cfg)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, protocol="tcp://",
                                  dashboard_address=None) as lc:
        with cluster.verbind(lc.scheduler_address) as client:
            assert cluster.actief() is client and cluster.aantal_kernen(client) == 2
            op_cluster = schat_effecten(pm, cfg)
    kol = ["schatting", "se", "ci_laag", "ci_hoog"]
    np.testing.assert_array_equal(lokaal.effecten[kol].to_numpy(), op_cluster.effecten[kol].to_numpy())
    np.testing.assert_array_equal(lokaal.populatie[kol].to_numpy(), op_cluster.populatie[kol].to_numpy())
    assert lokaal.effecten.se.notna().any()
