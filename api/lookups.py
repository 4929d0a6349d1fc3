"""Lookups: entity search, an entity's card, its owners, a unit's portfolio, dependencies.

Thin shells over :mod:`policykg.graph.lookup` and :mod:`policykg.graph.deps`
(the same calls ``policykg deps`` makes), run in the query workers.  An
entity is named in the path by a name as written (``区科委``), a full name,
an alias, a search term or its IRI (``/entities/https://w3id.org/…``, or
percent-encoded); a name that fits several things is a 409 problem listing
the ``candidates``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from ..graph import deps as _deps, lookup as _lookup  # noqa: F401 - the app skips this router without them
from . import tasks
from .deps import Pool
from .problems import problem_responses

router = APIRouter(tags=["lookups"])

_ERRORS = problem_responses(400, 404, 409, 503)
Ref = Annotated[str, "a name as written, a full name, an alias, a search term or an IRI"]


def _types(values: list[str]) -> list[str] | None:
    out = [t.strip() for v in values for t in v.split(",") if t.strip()]
    return out or None


@router.get("/entities", responses=problem_responses(400, 503))
async def search_entities(
    pool: Pool,
    q: Annotated[str, Query(min_length=1, description="Part of a name (Chinese substring; else its jieba words).",
                            examples=["科委"])],
    type: Annotated[list[str], Query(description="Only these types (GovernmentBody, Platform, Park …; repeat "
                                                 "or comma-separate).")] = [],  # noqa: B006
    limit: Annotated[int, Query(ge=1, le=1000)] = 20,
) -> dict:
    """Entities whose names match ``q``, best first: exact names, then prefixes, then substrings, then
    entities that have every jieba word of ``q`` among their names."""
    return {"q": q, "hits": await pool.call(tasks.search, q, _types(type), limit)}


@router.get("/entities/{ref:path}/owners", responses=_ERRORS)
async def entity_owners(ref: Ref, pool: Pool,
                        depth: Annotated[int, Query(ge=1, le=10, description="Ownership steps to follow.")] = 4
                        ) -> dict:
    """The units that own a thing (a target, an action, something an action builds), each with the path of
    edges that makes it an owner and its role (lead, support, responsible)."""
    return await pool.call(tasks.owners, ref, depth)


@router.get("/entities/{ref:path}/dependencies", responses=_ERRORS)
async def entity_dependencies(
    ref: Ref, pool: Pool,
    direction: Annotated[Literal["down", "up", "both"], Query(
        description="down: what depends on it; up: what it depends on")] = "down",
    depth: Annotated[int, Query(ge=1, le=10)] = 3,
) -> dict:
    """What depends on an entity (down), what it depends on (up), or both, to ``depth`` edges: every reached
    node with the path of labelled edges that explains it (the model of ``policykg deps``)."""
    return await pool.call(tasks.dependencies, ref, direction, depth)


@router.get("/entities/{ref:path}", responses=_ERRORS)
async def entity_card(ref: Ref, pool: Pool) -> dict:
    """An entity's card: labels, type, jurisdiction, the documents and number of places it is mentioned,
    and its links both ways (outgoing and incoming, with the document that states each)."""
    return await pool.call(tasks.card, ref)


@router.get("/units/{ref:path}/portfolio", responses=_ERRORS)
async def unit_portfolio(ref: Ref, pool: Pool) -> dict:
    """Everything a unit owns: each section it is responsible for with its role, the targets stated there
    (value, unit, deadline) and what those sections build (the unit-portfolio named query)."""
    return await pool.call(tasks.portfolio, ref)
