"""Exports over HTTP: ``GET /export/{format}`` — the whole graph, one document, a unit's
portfolio or an entity's neighbourhood, in every format ``policykg export`` writes.

A thin shell over :func:`policykg.graph.export.export_result`, run in the
query workers under the time limit.  The response says what it holds in
``X-Policykg-Nodes`` / ``X-Policykg-Edges`` and names a file to save it as.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from ..graph.export import FORMATS
from . import tasks
from .deps import Pool
from .problems import problem_responses

router = APIRouter(tags=["exports"])

FormatName = Literal[tuple(FORMATS)]  # type: ignore[valid-type]


@router.get("/export")
async def export_formats() -> list[dict]:
    """The export formats: name, media type, file extension and what each is for."""
    return [{"name": f.name, "media_type": f.media_type, "extension": f.extension, "description": f.description}
            for f in FORMATS.values()]


@router.get("/export/{fmt}", responses={
    200: {"description": "The export, in the format's media type.",
          "content": {f.media_type: {} for f in FORMATS.values()}},
    **problem_responses(400, 404, 409, 413, 503)})
async def export(
    pool: Pool,
    fmt: Annotated[FormatName, Path(description="One of the formats GET /export lists.")],
    document: Annotated[str | None, Query(description="Only this document (文号, title or IRI).")] = None,
    unit: Annotated[str | None, Query(description="Only this unit's portfolio.")] = None,
    entity: Annotated[str | None, Query(description="Only this entity's neighbourhood.")] = None,
    depth: Annotated[int | None, Query(ge=1, le=10, description="Neighbourhood depth (with entity).")] = None,
    types: Annotated[list[str], Query(description="Only nodes of these types (repeat or comma-separate).")] = [],  # noqa: B006
    cluster: Annotated[Literal["document", "section", "none"], Query(
        description="How DOT/SVG/PNG drawings group nodes.")] = "document",
    download: Annotated[bool, Query(description="Ask the browser to save the file instead of showing it.")] = False,
):
    """The graph, or part of it, for Gephi, yEd, Cytoscape, Graphviz, a browser, a notebook or a spreadsheet."""
    type_list = [t.strip() for v in types for t in v.split(",") if t.strip()] or None
    res = await pool.call(tasks.export, fmt, document=document, unit=unit, entity=entity, depth=depth,
                          types=type_list, cluster=cluster)
    name = f"policykg.{res['extension']}"
    disposition = "attachment" if download or FORMATS[fmt].binary else "inline"
    headers = {"Content-Disposition": f"{disposition}; filename=\"{name}\"", "X-Content-Type-Options": "nosniff",
               "X-Policykg-Nodes": str(res["nodes"]), "X-Policykg-Edges": str(res["edges"])}
    if res["title"]:
        headers["X-Policykg-Title"] = quote(res["title"], safe=" ,;:()·")
    return Response(res["data"], media_type=res["media_type"].split(";")[0],
                    headers={**headers, "Content-Type": res["media_type"]})
