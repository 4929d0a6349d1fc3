"""Documents: the list, one document, its outline, uploads and removal.

``POST /documents`` ingests one uploaded file (multipart field ``file``) with
the same parser and the same per-file errors as ``policykg ingest``; it needs
the update token and is refused past ``Settings.max_upload_bytes``.  Readers
keep being served meanwhile and see the new document only once it is whole.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from ..errors import IngestError, NotFound, QueryError
from ..settings import Settings
from . import tasks
from .deps import AppSettings, Pool, UpdateToken, Writer
from .problems import PayloadTooLarge, UnsupportedMediaType, problem_responses

router = APIRouter(tags=["documents"])

_MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the file


class PlanRef(BaseModel):
    iri: str
    title: str | None = None


class DocumentSummary(BaseModel):
    iri: str
    key: str
    title: str | None = None
    docNumber: str | None = None
    docType: str | None = None
    issued: str | None = None
    issuer: str | None = None
    sourceFile: str | None = None
    sourceFormat: str | None = None
    transmits: PlanRef | None = None
    sections: int = 0
    actions: int = 0
    targets: int = 0


class DocumentList(BaseModel):
    documents: list[DocumentSummary]
    limit: int
    offset: int


class IngestResult(BaseModel):
    source: str
    status: str
    document: str | None = None
    key: str | None = None
    title: str | None = None
    doc_number: str | None = None
    sections: int = 0
    actions: int = 0
    targets: int = 0
    units: int = 0
    entities: int = 0
    quads: int = 0
    encoding: str | None = None
    format: str | None = None
    warnings: list[str] = []
    seconds: float = 0.0


@router.get("/documents", response_model=DocumentList, responses=problem_responses(503))
async def list_documents(pool: Pool,
                         limit: Annotated[int, Query(ge=0, le=10000, description="At most this many.")] = 100,
                         offset: Annotated[int, Query(ge=0, description="Skip this many (by IRI order).")] = 0):
    """The documents in the store (one per ingested file), with their 文号, title and counts."""
    docs = await pool.call(tasks.documents, None, limit, offset)
    return {"documents": docs, "limit": limit, "offset": offset}


@router.get("/documents/{key}", response_model=DocumentSummary, responses=problem_responses(404))
async def get_document(key: str, pool: Pool):
    """One document by its key (``普府办-2022-16``, the last part of its IRI) or its IRI."""
    docs = await pool.call(tasks.documents, tasks.document_iri(key), 1, 0)
    if not docs:
        raise NotFound(f"There is no document {key!r}; GET /documents lists them.")
    return docs[0]


@router.get("/documents/{key}/outline", responses=problem_responses(404))
async def document_outline(key: str, pool: Pool) -> dict:
    """The heading tree of a document (and of the plan it transmits): sections nested as in the text,
    each with number, path, label, kind (Goal/Action/Measure/Section), span and responsible units."""
    return await pool.call(tasks.outline, key)


@router.post("/documents", status_code=201, response_model=IngestResult,
             responses={200: {"model": IngestResult, "description": "The document replaced an earlier version, "
                                                                    "or was unchanged."},
                        **problem_responses(401, 403, 413, 415, 422)},
             openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                 "type": "object", "required": ["file"],
                 "properties": {"file": {"type": "string", "format": "binary",
                                         "description": "A policy file: .txt, .docx, .pdf or .html."}}}}}}})
async def upload_document(request: Request, _: UpdateToken, writer: Writer, settings: AppSettings,
                          force: Annotated[bool, Query(description="Rewrite even when unchanged.")] = False):
    """Ingest one uploaded policy file (needs the update token).

    201 when the document is new, 200 when it replaced (or equals) the stored version, 422 with the
    reason when the file cannot be read — the store is then unchanged.
    """
    limit = settings.max_upload_bytes
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "multipart/form-data":
        raise UnsupportedMediaType("Upload the file as multipart/form-data in a field named 'file'.")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + _MULTIPART_OVERHEAD:
        raise PayloadTooLarge(_too_large(limit), setting="max_upload_bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit + _MULTIPART_OVERHEAD:
            raise PayloadTooLarge(_too_large(limit), setting="max_upload_bytes")
    replay = Request(request.scope, receive=_replay(bytes(body)))
    async with replay.form(max_files=1, max_fields=16) as form:
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise QueryError("Send the file as a multipart/form-data field named 'file'.")
        data = await upload.read()
        name = Path((upload.filename or "upload.txt").replace("\\", "/")).name or "upload.txt"
    if len(data) > limit:
        raise PayloadTooLarge(_too_large(limit), setting="max_upload_bytes")
    rep = await run_in_threadpool(lambda: writer.ingest_bytes(data, name, force=force))
    report = dict(rep.__dict__)
    report["key"] = tasks.document_key(rep.document) if rep.document else None
    if not rep.ok:
        reason = rep.error or "could not be ingested"
        err = IngestError(name, reason[len(name) + 2:] if reason.startswith(name + ": ") else reason)
        err.report = report
        raise err
    headers = None
    if report["key"]:  # an IRI with Chinese → a URI, as HTTP headers need
        headers = {"Location": quote(str(request.url_for("get_document", key=report["key"])),
                                     safe=":/?#[]@!$&'()*+,;=%")}
    return JSONResponse(report, status_code=201 if rep.status == "added" else 200, headers=headers)


@router.delete("/documents/{key}", status_code=204, responses=problem_responses(401, 403, 404))
async def delete_document(key: str, _: UpdateToken, writer: Writer, pool: Pool):
    """Remove a document's graph from the store (needs the update token)."""
    iri = tasks.document_iri(key)
    if iri not in await pool.call(tasks.graph_names):
        raise NotFound(f"There is no document {key!r}; GET /documents lists them.")
    await run_in_threadpool(writer.remove_document, iri)
    return Response(status_code=204)


def _too_large(limit: int) -> str:
    return (f"The upload is larger than {limit:,} bytes; raise {Settings.env_name('max_upload_bytes')} to "
            f"accept bigger files.")


def _replay(body: bytes):
    """An ASGI ``receive`` that hands the already-read body to the form parser."""
    sent = False

    async def receive():
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
