"""The local Dask cluster of `ingest --workers N` spends its workers' CPU on extraction:
Dask's sampling profiler, which feeds a dashboard postwatch does not serve, is off."""

from __future__ import annotations

import dask

from pipeline.flows import ingest_flow, on_dask


def test_a_local_cluster_runs_without_dasks_profiler(prefect, monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)  # on_dask sets it for the workers; undone after
    with dask.config.set({"distributed.worker.profile.enabled": True}):
        on_dask(ingest_flow, workers=2)
        assert dask.config.get("distributed.worker.profile.enabled") is False
