"""The W3C SPARQL 1.1 Protocol: ``/sparql`` (queries) and ``/update`` (updates).

* ``GET /sparql?query=…`` , ``POST /sparql`` form-encoded (``query=…``) or
  with the query as the body (``Content-Type: application/sparql-query``);
  ``default-graph-uri`` and ``named-graph-uri`` set the dataset (by default
  the default graph is the union of all document graphs).
* The answer format follows ``Accept`` (see :mod:`policykg.api.formats`);
  406 when nothing acceptable can represent it.
* ``GET /sparql`` without parameters returns the SPARQL Service Description.
* ``POST /update`` (form ``update=…`` or ``application/sparql-update``) only
  when the server has an update token and the request carries it.
* Every query runs in a killable worker under the time and result limits;
  SERVICE (and LOAD in updates) is refused unless the server allows it.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from ..errors import QueryError
from ..graph.safety import looks_like_update
from . import tasks
from .deps import AppSettings, Pool, UpdateToken, Writer
from .formats import DESCRIPTION_FORMATS, GRAPH_FORMATS, RESULT_FORMATS, choose, serialize_triples
from .problems import PayloadTooLarge, UnsupportedMediaType, problem_responses

router = APIRouter(tags=["SPARQL protocol"])

_FORM = "application/x-www-form-urlencoded"
_QUERY_BODY = "application/sparql-query"
_UPDATE_BODY = "application/sparql-update"

_ANSWER_CONTENT = {f.media_type: {} for f in RESULT_FORMATS + GRAPH_FORMATS}
_QUERY_RESPONSES = {
    200: {"description": "The answer: SPARQL results (SELECT, ASK) or an RDF graph (CONSTRUCT, DESCRIBE), "
                         "in the format Accept asks for.", "content": _ANSWER_CONTENT},
    **problem_responses(400, 406, 413, 415, 503),
}


async def _read_body(request: Request, settings) -> bytes:
    """The request body, refused past ``max_upload_bytes`` (queries are never that long)."""
    limit = settings.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(_too_large(limit), setting="max_upload_bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise PayloadTooLarge(_too_large(limit), setting="max_upload_bytes")
    return bytes(body)


def _too_large(limit: int) -> str:
    from ..settings import Settings

    return (f"The request body is larger than {limit:,} bytes; raise "
            f"{Settings.env_name('max_upload_bytes')} to accept it.")


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise QueryError(f"The {what} is not UTF-8 text.") from None


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise QueryError(f"Give exactly one {name} parameter, not {len(values)}.")
    return values[0] if values else None


# Names clients use for "the endpoint's own default graph" (rdflib's Dataset sends the first as
# default-graph-uri; Jena uses the others): they select our default graph, the union of all documents.
DEFAULT_GRAPH_ALIASES = frozenset({"urn:x-rdflib:default", "urn:x-arq:DefaultGraph", "urn:x-arq:UnionGraph"})


def _graphs(names: list[str], param: str) -> list[str]:
    """Check graph IRIs; the well-known default-graph names mean "no restriction"."""
    from pyoxigraph import NamedNode

    out = []
    for name in names:
        if name in DEFAULT_GRAPH_ALIASES:
            if param == "default-graph-uri":
                return []
            continue
        try:
            NamedNode(name)
        except ValueError:
            raise QueryError(f"{param}={name!r} is not an absolute IRI.") from None
        out.append(name)
    return out


async def _answer(pool, text: str | None, default_graph: list[str], named_graphs: list[str],
                  accept: str | None) -> Response:
    default_graph = _graphs(default_graph, "default-graph-uri")
    named_graphs = _graphs(named_graphs, "named-graph-uri")
    if text is None or not text.strip():
        raise QueryError("The request has no SPARQL query: send it as the query parameter (GET, or a form POST) "
                         "or as an application/sparql-query body.")
    if looks_like_update(text):
        raise QueryError("This is a SPARQL Update, not a query: send it to /update (with the update token).")
    content_type, body = await pool.call(tasks.sparql, text, default_graph=default_graph,
                                         named_graphs=named_graphs, accept=accept)
    return Response(body, media_type=content_type.split(";")[0], headers={"Content-Type": content_type,
                                                                           "Vary": "Accept"})


@router.get("/sparql", name="sparql_get", responses={
    **_QUERY_RESPONSES,
    200: {"description": "The answer to the query, or without parameters the SPARQL Service Description "
                         "(Turtle, RDF/XML, N-Triples or JSON-LD).", "content": _ANSWER_CONTENT}})
async def sparql_get(
    request: Request,
    pool: Pool,
    settings: AppSettings,
    query: Annotated[list[str], Query(description="The SPARQL 1.1 query (exactly one).")] = [],  # noqa: B006
    default_graph_uri: Annotated[list[str], Query(alias="default-graph-uri",
                                                  description="Graphs whose union is the default graph.")] = [],  # noqa: B006
    named_graph_uri: Annotated[list[str], Query(alias="named-graph-uri",
                                                description="Graphs available to GRAPH patterns.")] = [],  # noqa: B006
):
    """Run a SPARQL query (W3C SPARQL 1.1 Protocol, query via GET).

    Without any parameter, answers with the SPARQL Service Description of this endpoint.
    """
    if not request.query_params:
        return await service_description(request, pool, settings)
    return await _answer(pool, _one(query, "query"), default_graph_uri, named_graph_uri,
                         request.headers.get("accept"))


@router.post("/sparql", name="sparql_post", responses=_QUERY_RESPONSES, openapi_extra={
    "requestBody": {"required": True, "content": {
        _FORM: {"schema": {"type": "object", "required": ["query"], "properties": {
            "query": {"type": "string"},
            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
            "named-graph-uri": {"type": "array", "items": {"type": "string"}}}}},
        _QUERY_BODY: {"schema": {"type": "string"}}}}})
async def sparql_post(request: Request, pool: Pool, settings: AppSettings):
    """Run a SPARQL query (W3C SPARQL 1.1 Protocol, query via URL-encoded POST or POST directly).

    With ``application/sparql-query`` the body is the query and ``default-graph-uri`` /
    ``named-graph-uri`` go in the URL.
    """
    media = _media_type(request)
    body = await _read_body(request, settings)
    url = parse_qs(request.url.query, keep_blank_values=True)
    if media == _FORM:
        form = parse_qs(_decode(body, "form"), keep_blank_values=True)
        if "update" in form:
            raise QueryError("This is a SPARQL Update: send it to /update (with the update token).")
        text = _one(form.get("query", []) or url.get("query", []), "query")
        default_graph = form.get("default-graph-uri", []) + url.get("default-graph-uri", [])
        named_graphs = form.get("named-graph-uri", []) + url.get("named-graph-uri", [])
    elif media == _QUERY_BODY:
        text = _decode(body, "query")
        default_graph = url.get("default-graph-uri", [])
        named_graphs = url.get("named-graph-uri", [])
    elif media == _UPDATE_BODY:
        raise QueryError("This is a SPARQL Update: send it to /update (with the update token).")
    else:
        raise UnsupportedMediaType(
            f"POST /sparql reads {_FORM} (query=…) or {_QUERY_BODY} (the query as the body), "
            f"not {media or 'a body without Content-Type'}.")
    return await _answer(pool, text, default_graph, named_graphs, request.headers.get("accept"))


@router.post("/update", name="sparql_update", status_code=200, responses={
    200: {"description": "The update was applied; readers see it from now on."},
    **problem_responses(400, 401, 403, 413, 415)}, openapi_extra={
    "requestBody": {"required": True, "content": {
        _FORM: {"schema": {"type": "object", "required": ["update"],
                           "properties": {"update": {"type": "string"}}}},
        _UPDATE_BODY: {"schema": {"type": "string"}}}}})
async def sparql_update(request: Request, _: UpdateToken, writer: Writer, settings: AppSettings):
    """Run a SPARQL 1.1 Update (W3C Protocol, update via URL-encoded POST or POST directly).

    Needs the server's update token (``Authorization: Bearer …``). LOAD is refused unless the server
    allows it; ``using-graph-uri`` / ``using-named-graph-uri`` are not supported (use USING in the text).
    """
    media = _media_type(request)
    body = await _read_body(request, settings)
    url = parse_qs(request.url.query, keep_blank_values=True)
    if media == _FORM:
        form = parse_qs(_decode(body, "form"), keep_blank_values=True)
        if "query" in form and "update" not in form:
            raise QueryError("This is a query, not an update: send it to /sparql.")
        text = _one(form.get("update", []), "update")
        params = {**url, **form}
    elif media == _UPDATE_BODY:
        text = _decode(body, "update")
        params = url
    else:
        raise UnsupportedMediaType(f"POST /update reads {_FORM} (update=…) or {_UPDATE_BODY} (the update as the "
                                   f"body), not {media or 'a body without Content-Type'}.")
    if any(k in params for k in ("using-graph-uri", "using-named-graph-uri")):
        raise QueryError("using-graph-uri and using-named-graph-uri are not supported here; write USING / "
                         "USING NAMED in the update itself.")
    if not text or not text.strip():
        raise QueryError("The request has no SPARQL update: send update=… as a form or an "
                         "application/sparql-update body.")
    await run_in_threadpool(writer.update, text)
    generation = writer.snapshots.generation if writer.snapshots else None
    return JSONResponse({"status": "ok", "snapshot": generation})


# --------------------------------------------------------------------- service description

_SD = "http://www.w3.org/ns/sparql-service-description#"


async def service_description(request: Request, pool, settings) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, as RDF."""
    fmt = choose(DESCRIPTION_FORMATS, request.headers.get("accept"), "the service description")
    graphs = await pool.call(tasks.graph_names)
    endpoint = str(request.url_for("sparql_get"))
    update = str(request.url_for("sparql_update")) if settings.update_token else None
    triples = describe_service(endpoint, graphs, allow_service=settings.allow_service, update_endpoint=update)
    prefixes = {"sd": _SD, "fmt": "http://www.w3.org/ns/formats/", "dcterms": "http://purl.org/dc/terms/",
                "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
    return Response(serialize_triples(triples, fmt.key, prefixes), media_type=fmt.media_type,
                    headers={"Content-Type": fmt.content_type, "Vary": "Accept"})


def describe_service(endpoint: str, graphs: list[str], *, allow_service: bool = False,
                     update_endpoint: str | None = None) -> list:
    """Triples of the service description (sd: vocabulary)."""
    from pyoxigraph import BlankNode, Literal, NamedNode, Triple

    from .. import __version__
    from ..ontology.namespaces import DCTERMS, RDF

    def sd(name: str) -> NamedNode:
        return NamedNode(_SD + name)

    a = NamedNode(RDF.type)
    service, dataset, default = BlankNode(), BlankNode(), BlankNode()
    t = [Triple(service, a, sd("Service")),
         Triple(service, sd("endpoint"), NamedNode(endpoint)),
         Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
         Triple(service, sd("feature"), sd("UnionDefaultGraph")),
         Triple(service, sd("defaultEntailmentRegime"), NamedNode("http://www.w3.org/ns/entailment/Simple")),
         Triple(service, NamedNode(DCTERMS.title), Literal(f"policykg {__version__} SPARQL endpoint")),
         Triple(service, sd("defaultDataset"), dataset),
         Triple(dataset, a, sd("Dataset")),
         Triple(dataset, sd("defaultGraph"), default),
         Triple(default, a, sd("Graph"))]
    if allow_service:
        t.append(Triple(service, sd("feature"), sd("BasicFederatedQuery")))
    for fmt in RESULT_FORMATS + GRAPH_FORMATS:
        t.append(Triple(service, sd("resultFormat"), NamedNode(fmt.w3c)))
    for g in graphs:
        ng = BlankNode()
        t += [Triple(dataset, sd("namedGraph"), ng), Triple(ng, a, sd("NamedGraph")),
              Triple(ng, sd("name"), NamedNode(g))]
    if update_endpoint:
        up = BlankNode()
        t += [Triple(up, a, sd("Service")), Triple(up, sd("endpoint"), NamedNode(update_endpoint)),
              Triple(up, sd("supportedLanguage"), sd("SPARQL11Update"))]
    return t
