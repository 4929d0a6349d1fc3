"""Shared fixtures: a fresh on-disk store, the sample store, the gold annotation."""

from __future__ import annotations

import json

import pytest
from helpers import SAMPLE, run_cli, shared_dir


@pytest.fixture(scope="session")
def gold() -> dict:
    path = shared_dir() / "gold" / "seed-gold.json"
    if not path.exists():
        pytest.fail(f"the gold annotation is missing at {path}; set POLICYKG_SHARED to the shared folder")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def kg(tmp_path):
    """A fresh knowledge graph over an empty on-disk store."""
    from policykg import KnowledgeGraph

    with KnowledgeGraph(tmp_path / "store") as k:
        yield k


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory):
    """An on-disk store with the bundled sample ingested by the real CLI."""
    store = tmp_path_factory.mktemp("sample") / "store"
    run_cli("ingest", str(SAMPLE), "--store", str(store), check=True)
    return store


@pytest.fixture(scope="session")
def sample_kg(sample_store):
    """A read-only KnowledgeGraph over the sample store."""
    from policykg import KnowledgeGraph

    with KnowledgeGraph(sample_store, read_only=True) as k:
        yield k


@pytest.fixture(scope="module")
def api_server(sample_store, tmp_path_factory):
    """A factory: ``api_server(**settings)`` starts the HTTP API — a real uvicorn on 127.0.0.1, a free
    port — over a fresh copy of the sample store (or ``store=DIR``) and returns it (``.url``, ``.app``)."""
    import shutil

    from policykg import KnowledgeGraph, Settings
    from policykg.api import create_app
    from policykg.api.server import BackgroundServer

    started = []

    def start(store=None, **settings):
        if store is None:
            store = tmp_path_factory.mktemp("api") / "store"
            shutil.copytree(sample_store, store)
        kg = KnowledgeGraph(store, Settings(store=str(store), **settings))
        server = BackgroundServer(create_app(kg, kg.settings)).__enter__()
        started.append((server, kg))
        return server

    yield start
    for server, kg in reversed(started):
        server.stop()
        kg.close()
