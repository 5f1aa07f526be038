"""Batch fixtures: one local Dask cluster of 2 workers, shared by the batch tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def dask_client():
    """One local cluster of 2 worker processes, shared by the batch tests (it takes seconds to start)."""
    from distributed import Client, LocalCluster

    # the scheduler's HTTP routes on a free loopback port, as sayso batch's own clusters do: 8787 stays free
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                           scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()
