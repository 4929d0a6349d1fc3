"""A remote SPARQL 1.1 store as a backend (Oxigraph server, Jena Fuseki, GraphDB,
Virtuoso, QLever …).

Queries go to the SPARQL 1.1 Protocol query URL, updates to the update URL, and
a document's graph is replaced atomically with one Graph Store Protocol ``PUT``
(``?graph=<iri>``), so a document is never half-written on the server either.

URLs: ``--store`` (or ``POLICYKG_STORE``) is the query URL; the update and
Graph Store URLs come from ``--update-url`` / ``--graph-store-url``
(``POLICYKG_UPDATE_URL`` / ``POLICYKG_GRAPH_STORE_URL``) and default to the
Oxigraph layout next to the query URL (``…/query`` → ``…/update``, ``…/store``).
Credentials come only from ``POLICYKG_REMOTE_USER`` / ``POLICYKG_REMOTE_PASSWORD``.

policykg's queries expect the default graph to be the union of the document
graphs: Oxigraph gets the ``union-default-graph`` request parameter; other
servers must be configured so (see ``docs/scaling.md``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    Quad,
    QueryResultsFormat,
    RdfFormat,
    Store,
    parse,
    parse_query_results,
    serialize,
)

from ..errors import QueryError, QueryTimeout, StoreError
from ..ontology.namespaces import PK, PREFIXES
from ..settings import Settings
from .safety import _STRINGS

_MIME = {
    RdfFormat.N_QUADS: "application/n-quads",
    RdfFormat.TRIG: "application/trig",
    RdfFormat.TURTLE: "text/turtle",
    RdfFormat.N_TRIPLES: "application/n-triples",
    RdfFormat.RDF_XML: "application/rdf+xml",
    RdfFormat.JSON_LD: "application/ld+json",
}


def default_urls(query_url: str) -> tuple[str, str]:
    """Update and Graph Store URLs next to a query URL (Oxigraph's layout).

    >>> default_urls("http://127.0.0.1:7878/query")
    ('http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
    >>> default_urls("http://h/ds/sparql")
    ('http://h/ds/update', 'http://h/ds/data')
    """
    parts = urlsplit(query_url)
    path = parts.path
    base, _, last = path.rstrip("/").rpartition("/")
    if last == "query":
        update, store = f"{base}/update", f"{base}/store"
    elif last == "sparql":  # Fuseki's dataset layout
        update, store = f"{base}/update", f"{base}/data"
    else:
        update, store = path.rstrip("/") + "/update", path.rstrip("/") + "/store"
    return (urlunsplit(parts._replace(path=update, query="")), urlunsplit(parts._replace(path=store, query="")))


def substitute(sparql: str, substitutions: dict | None) -> str:
    """Bind variables for an endpoint that has no substitution API.

    Each ``?var``/``$var`` outside strings, IRIs and comments becomes the term
    written by pyoxigraph (so a value is always one escaped RDF term and cannot
    change the query); in the SELECT projection it becomes ``(term AS ?var)``.

    >>> from pyoxigraph import Variable, Literal
    >>> substitute('SELECT ?u ?x WHERE { ?x <p> ?u }', {Variable("u"): Literal('a" } DROP ALL #')})
    'SELECT ("a\\\\" } DROP ALL #" AS ?u) ?x WHERE { ?x <p> "a\\\\" } DROP ALL #" }'
    """
    if not substitutions:
        return sparql
    values = {v.value: str(t) for v, t in substitutions.items()}
    pattern = re.compile(r"[?$](" + "|".join(re.escape(n) for n in values) + r")\b")
    protected = [(m.start(), m.end()) for m in _STRINGS.finditer(sparql)]
    select = re.search(r"\bSELECT\b(.*?)(?:\bWHERE\b|\{)", sparql, re.I | re.S)
    proj = (select.start(1), select.end(1)) if select else (-1, -1)

    def inside(i: int) -> bool:
        return any(a <= i < b for a, b in protected)

    out, last = [], 0
    for m in pattern.finditer(sparql):
        if inside(m.start()):
            continue
        term = values[m.group(1)]
        out.append(sparql[last:m.start()])
        if proj[0] <= m.start() < proj[1] and not _in_parens(sparql, proj[0], m.start()):
            out.append(f"({term} AS ?{m.group(1)})")
        else:
            out.append(term)
        last = m.end()
    out.append(sparql[last:])
    return "".join(out)


def _in_parens(s: str, start: int, i: int) -> bool:
    depth = 0
    for ch in s[start:i]:
        depth += ch == "("
        depth -= ch == ")"
    return depth > 0


class RemoteStore:
    """A SPARQL 1.1 endpoint with Update and the Graph Store Protocol."""

    def __init__(self, query_url: str, *, update_url: str | None = None, graph_store_url: str | None = None,
                 settings: Settings | None = None) -> None:
        import httpx

        self.settings = settings or Settings.from_env()
        self.location = query_url
        d_update, d_store = default_urls(query_url)
        self.update_url = update_url or self.settings.update_url or d_update
        self.graph_store_url = graph_store_url or self.settings.graph_store_url or d_store
        self.oxigraph_layout = urlsplit(query_url).path.rstrip("/").endswith("/query")
        auth = None
        if self.settings.remote_user:
            auth = (self.settings.remote_user, self.settings.remote_password or "")
        self._client = httpx.Client(auth=auth, timeout=self.settings.remote_timeout,
                                    headers={"User-Agent": "policykg"})
        self._probe()

    # ------------------------------------------------------------ plumbing

    def _request(self, method: str, url: str, *, timeout: float | None = None, **kw):
        import httpx

        try:
            resp = self._client.request(method, url, timeout=timeout or self.settings.remote_timeout, **kw)
        except httpx.TimeoutException:
            raise QueryTimeout(
                f"The SPARQL endpoint {url} did not answer within {timeout or self.settings.remote_timeout:g} s "
                f"(raise {Settings.env_name('remote_timeout')} for slow servers).", setting="remote_timeout") from None
        except httpx.HTTPError as e:
            raise StoreError(f"The SPARQL endpoint {url} cannot be reached ({type(e).__name__}: {e}); "
                             f"is the server running?") from None
        if resp.status_code in (401, 403):
            raise StoreError(f"The SPARQL endpoint {url} refused the request (HTTP {resp.status_code}); set "
                             f"POLICYKG_REMOTE_USER and POLICYKG_REMOTE_PASSWORD.")
        if resp.status_code == 400:
            raise QueryError(f"The SPARQL endpoint rejected the request: {_short(resp.text)}")
        if resp.status_code >= 400:
            raise StoreError(f"The SPARQL endpoint {url} answered HTTP {resp.status_code}: {_short(resp.text)}")
        return resp

    def _probe(self) -> None:
        self._request("POST", self.location, content="ASK {}",
                      headers={"Content-Type": "application/sparql-query",
                               "Accept": "application/sparql-results+json"})

    def _query_params(self, union: bool, default_graph, named_graphs) -> list[tuple[str, str]]:
        params: list[tuple[str, str]] = []
        if default_graph:
            params += [("default-graph-uri", g) for g in default_graph]
        elif union and self.oxigraph_layout:
            params.append(("union-default-graph", ""))
        params += [("named-graph-uri", g) for g in named_graphs or []]
        return params

    # ------------------------------------------------------------ Backend

    def query(self, sparql, *, substitutions=None, union=True, default_graph=None, named_graphs=None, timeout=None):
        text = _with_prefixes(substitute(sparql, substitutions))
        kind = _query_kind(text)
        accept = "application/sparql-results+json" if kind == "select" else "application/n-triples"
        resp = self._request("POST", self.location, timeout=timeout, content=text.encode("utf-8"),
                             params=self._query_params(union, default_graph, named_graphs),
                             headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept})
        if kind == "select":
            return parse_query_results(resp.content, format=QueryResultsFormat.JSON)
        return _Triples(parse(resp.content, format=RdfFormat.N_TRIPLES))

    def update(self, sparql: str) -> None:
        self._request("POST", self.update_url, content=_with_prefixes(sparql).encode("utf-8"),
                      headers={"Content-Type": "application/sparql-update; charset=utf-8"})

    def replace_graph(self, graph: str, quads: list[Quad]) -> None:
        body = serialize((q.triple for q in quads), format=RdfFormat.N_TRIPLES)
        self._request("PUT", self.graph_store_url, params={"graph": graph}, content=body,
                      headers={"Content-Type": "application/n-triples"})

    def remove_graph(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH <{graph}>")

    def graph_hashes(self) -> dict[str, str]:
        res = self.query(f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{PK.sha256}> ?h }} }}", union=False)
        return {s["g"].value: s["h"].value for s in res}

    def named_graphs(self) -> list[str]:
        res = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
        return sorted(s["g"].value for s in res if isinstance(s["g"], NamedNode))

    def dump(self, fmt: RdfFormat, graph: str | None = None) -> bytes:
        if graph is not None:
            resp = self._request("GET", self.graph_store_url, params={"graph": graph},
                                 headers={"Accept": "application/n-triples"})
            triples = parse(resp.content, format=RdfFormat.N_TRIPLES)
            return serialize(triples, format=fmt if fmt in (RdfFormat.N_TRIPLES, RdfFormat.TURTLE, RdfFormat.RDF_XML,
                                                            RdfFormat.JSON_LD) else RdfFormat.N_TRIPLES)
        resp = self._request("GET", self.graph_store_url, headers={"Accept": "application/n-quads"})
        if fmt == RdfFormat.N_QUADS:
            return resp.content
        quads = parse(resp.content, format=RdfFormat.N_QUADS)
        if fmt in (RdfFormat.TRIG, RdfFormat.JSON_LD):
            return serialize(quads, format=fmt)
        return serialize((q.triple for q in quads), format=fmt)

    def count(self) -> int:
        res = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
        return int(next(iter(res))["n"].value)

    def close(self) -> None:
        self._client.close()


class _Triples(list):
    """CONSTRUCT/DESCRIBE answers: an iterable of triples."""


def _with_prefixes(sparql: str) -> str:
    declared = {m.group(1) for m in re.finditer(r"PREFIX\s+([\w-]*):", sparql, re.I)}
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in declared) + sparql


_EMPTY = None


def _query_kind(sparql: str) -> str:
    """select (SELECT/ASK: a results document) or graph (CONSTRUCT/DESCRIBE).

    The query is checked by evaluating it on an empty in-memory store, which
    also gives a readable syntax error before anything is sent.
    """
    global _EMPTY
    if _EMPTY is None:
        _EMPTY = Store()
    try:
        res = _EMPTY.query(sparql)
    except SyntaxError as e:
        raise QueryError(f"The SPARQL query is not valid: {_short(str(e))}") from None
    except OSError:  # SERVICE to somewhere (only when allowed): fall back on the keyword
        return "graph" if re.search(r"\b(CONSTRUCT|DESCRIBE)\b", _STRINGS.sub(" ", sparql), re.I) else "select"
    from pyoxigraph import QueryTriples

    return "graph" if isinstance(res, QueryTriples) else "select"


def _short(s: str, n: int = 300) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    return s if len(s) <= n else s[:n] + "…"


__all__ = ["RemoteStore", "default_urls", "substitute", "BlankNode", "Literal"]
