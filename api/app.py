"""The app factory: ``create_app(kg, settings)`` builds the FastAPI app.

The server process owns ``kg`` (the one read-write store); reads run in the
query worker pool over snapshots of it, writes go through the one writer.
Routers, one per area: the SPARQL protocol, documents, named queries,
lookups (entities, units, dependencies) and exports, plus ``/status``.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from .. import __version__
from ..graph.kg import KnowledgeGraph
from ..graph.store import LocalStore
from ..settings import Settings
from . import documents, queries, sparql
from .deps import Pool
from .pool import InlinePool, QueryPool
from .problems import install_problem_handlers
from .snapshots import Snapshots
from .writer import StoreWriter

log = logging.getLogger("policykg.api")

DESCRIPTION = """\
A knowledge graph of Chinese policy documents: who owns what, what depends on what.

* **`/sparql`** — a W3C SPARQL 1.1 Protocol endpoint (GET, form POST, `application/sparql-query` POST;
  results as JSON, XML, CSV, TSV; graphs as Turtle, N-Triples, JSON-LD, RDF/XML). The default graph is
  the union of all documents. `GET /sparql` without parameters returns the service description.
* **`/update`**, **`POST /documents`** — writes, only with the server's update token
  (`Authorization: Bearer …`).
* Every query runs under a time limit and a result limit; SERVICE and LOAD are refused unless the
  server allows them. Errors are `application/problem+json`.
"""


def _start(app: FastAPI, kg: KnowledgeGraph, settings: Settings) -> None:
    backend = kg.backend
    if isinstance(backend, LocalStore) and backend.location != ":memory:":
        snapshots = Snapshots(backend)
        pool = QueryPool(snapshots, settings).start()
    else:  # in memory or a remote endpoint: no snapshots, reads run in the server process
        snapshots = None
        pool = InlinePool(kg, settings).start()
    app.state.snapshots = snapshots
    app.state.writer = StoreWriter(kg, snapshots)
    app.state.pool = pool


def _stop(app: FastAPI) -> None:
    pool, snapshots = getattr(app.state, "pool", None), getattr(app.state, "snapshots", None)
    app.state.pool = None
    app.state.writer = None
    if pool is not None:
        pool.close()
    if snapshots is not None:
        snapshots.close()


def create_app(kg: KnowledgeGraph, settings: Settings | None = None) -> FastAPI:
    """The policykg HTTP API over ``kg``; ``settings`` (default: the kg's) sets limits, token, CORS.

    The worker pool starts with the app (its lifespan) and stops with it.
    """
    settings = settings or kg.settings
    kg.settings = settings  # one set of limits for the writer and the readers

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await run_in_threadpool(_start, app, kg, settings)
        try:
            yield
        finally:
            await run_in_threadpool(_stop, app)

    app = FastAPI(title="policykg", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.kg = kg
    app.state.settings = settings
    app.state.pool = None
    app.state.writer = None
    install_problem_handlers(app)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_credentials=False,
                           allow_methods=["GET", "POST", "DELETE"], allow_headers=["Authorization", "Content-Type",
                                                                                   "Accept"],
                           expose_headers=["Location"], max_age=600)
    app.include_router(sparql.router)
    app.include_router(documents.router)
    app.include_router(queries.router)
    _include_optional(app)
    app.include_router(status_router)
    return app


def _include_optional(app: FastAPI) -> None:
    """Lookups and exports: routers over library modules that may not exist yet."""
    import importlib

    for mod in ("policykg.api.lookups", "policykg.api.exports"):
        try:
            m = importlib.import_module(mod)
        except ModuleNotFoundError as e:
            if e.name and (e.name == mod or e.name.startswith("policykg.graph.")):
                log.info("%s not available (%s)", mod, e)
                continue
            raise
        app.include_router(m.router)


status_router = APIRouter(tags=["status"])


@status_router.get("/status")
async def status(request: Request, pool: Pool) -> dict:
    """Version, limits and the query workers' state (alive, replaced after a runaway query, snapshot)."""
    s: Settings = request.app.state.settings
    return {"version": __version__, "updates": bool(s.update_token), "allow_service": s.allow_service,
            "query_time_limit": s.query_time_limit, "result_limit": s.result_limit,
            "max_upload_bytes": s.max_upload_bytes, "pool": pool.status()}
