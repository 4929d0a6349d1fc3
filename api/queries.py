"""Named queries over HTTP: ``GET /queries`` lists them, ``GET /queries/{name}`` runs one.

Parameters come from the query string (``/queries/who-owns-what?unit=区科委``)
and are bound as terms, never pasted into the SPARQL text.  The answer is
SPARQL 1.1 Query Results JSON unless ``Accept`` asks for XML, CSV or TSV.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from ..graph.named import list_named, load_named
from . import tasks
from .deps import Pool
from .formats import RESULT_FORMATS
from .problems import problem_responses

router = APIRouter(tags=["named queries"])


class ParamInfo(BaseModel):
    name: str
    description: str = ""
    example: str | None = None
    kind: str = "literal"
    required: bool = False


class NamedQueryInfo(BaseModel):
    name: str
    title: str
    description: str
    params: list[ParamInfo]
    examples: list[str] = []
    sparql: str | None = None


def _info(q, with_text: bool = False) -> dict:
    return {"name": q.name, "title": q.title, "description": q.description,
            "params": [p.__dict__ for p in q.params], "examples": q.examples,
            "sparql": q.sparql if with_text else None}


@router.get("/queries", response_model=list[NamedQueryInfo], response_model_exclude_none=True)
async def named_queries():
    """The named queries, with their descriptions and parameters."""
    return [_info(q) for q in list_named()]


@router.get("/queries/{name}/sparql", response_model=NamedQueryInfo, responses=problem_responses(404))
async def named_query_text(name: str):
    """A named query's description, parameters and SPARQL text."""
    return _info(load_named(name), with_text=True)


@router.get("/queries/{name}", responses={
    200: {"description": "SPARQL 1.1 Query Results (JSON unless Accept asks for XML, CSV or TSV).",
          "content": {f.media_type: {} for f in RESULT_FORMATS}},
    **problem_responses(400, 404, 406, 413, 503)})
async def run_named_query(name: str, request: Request, pool: Pool):
    """Run a named query; every query-string parameter binds the query parameter of that name."""
    load_named(name)  # 404 before using a worker
    params = dict(request.query_params)
    content_type, body = await pool.call(tasks.named, name, params, request.headers.get("accept"))
    return Response(body, media_type=content_type.split(";")[0], headers={"Content-Type": content_type,
                                                                           "Vary": "Accept"})
