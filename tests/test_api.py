"""The HTTP API's SPARQL 1.1 Protocol endpoint, its errors and its documentation.

Every test talks to a real uvicorn server on 127.0.0.1 over an on-disk copy of the
sample store (the ``api_server`` fixture) and compares its answers with what the
library says about the same store.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.query import Result

SELECT_ACTIONS = "SELECT ?a ?label WHERE { ?a a pk:Action ; rdfs:label ?label } ORDER BY ?a"
CONSTRUCT_ACTIONS = ("CONSTRUCT { ?a rdfs:label ?label ; pk:path ?p } "
                     "WHERE { ?a a pk:Action ; rdfs:label ?label ; pk:path ?p }")
ASK_ACTIONS = "ASK { ?a a pk:Action }"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def server(api_server):
    return api_server()


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def expected_actions(sample_kg) -> list[dict[str, str]]:
    rows = sample_kg.query(SELECT_ACTIONS).values()
    assert rows, "the sample has actions"
    return rows


def _rows(data: dict) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def _assert_problem(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert {"type", "title", "status", "detail", "instance"} <= body.keys()
    assert body["status"] == status
    assert body["detail"] and body["title"]
    return body


# ------------------------------------------------------------------ the protocol's three request forms


@pytest.mark.parametrize("method", ["get", "post-form", "post-direct"])
def test_api_sparql_request_forms_give_the_library_answer(client, expected_actions, method):
    accept = {"Accept": "application/sparql-results+json"}
    if method == "get":
        r = client.get("/sparql", params={"query": SELECT_ACTIONS}, headers=accept)
    elif method == "post-form":
        r = client.post("/sparql", data={"query": SELECT_ACTIONS}, headers=accept)
    else:
        r = client.post("/sparql", content=SELECT_ACTIONS.encode("utf-8"),
                        headers={**accept, "Content-Type": "application/sparql-query"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/sparql-results+json"
    assert _rows(r.json()) == expected_actions


# ------------------------------------------------------------------ content negotiation


@pytest.mark.parametrize("accept, media_type, fmt", [
    ("application/sparql-results+json", "application/sparql-results+json", "json"),
    ("application/json", "application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
    ("text/csv", "text/csv", "csv"),
    ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
    ("text/csv;q=0.4, application/sparql-results+json;q=0.9", "application/sparql-results+json", "json"),
    ("text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8", "application/sparql-results+xml",
     "xml"),
])
def test_api_sparql_select_formats_parse_back(client, expected_actions, accept, media_type, fmt):
    r = client.get("/sparql", params={"query": SELECT_ACTIONS}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in r.headers.get("vary", "")
    # an independent parser of the W3C formats reads the same table
    parsed = Result.parse(io.BytesIO(r.content), format=fmt)
    got = [{str(k): str(v) for k, v in row.asdict().items()} for row in parsed]
    assert got == expected_actions
    if fmt == "csv":
        header = next(csv.reader(io.StringIO(r.text)))
        assert header == ["a", "label"] and r.text.endswith("\r\n")
    if fmt == "tsv":
        assert r.text.splitlines()[0] == "?a\t?label"


@pytest.mark.parametrize("accept, media_type, check", [
    ("application/sparql-results+json", "application/sparql-results+json", lambda r: r.json()["boolean"] is True),
    ("application/sparql-results+xml", "application/sparql-results+xml",
     lambda r: ET.fromstring(r.content).find(f"{RESULTS_NS}boolean").text == "true"),
    ("text/csv", "text/csv", lambda r: r.text.split() == ["boolean", "true"]),
    ("text/tab-separated-values", "text/tab-separated-values", lambda r: r.text.split() == ["?boolean", "true"]),
])
def test_api_sparql_ask_formats(client, accept, media_type, check):
    r = client.get("/sparql", params={"query": ASK_ACTIONS}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media_type
    assert check(r)


def _library_graph(sample_kg, query: str) -> Graph:
    res = sample_kg.query(query)
    nt = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in res.triples)
    return Graph().parse(data=nt, format="nt")


@pytest.mark.parametrize("accept, media_type, rdflib_format", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    (None, "application/rdf+xml", "xml"),  # the protocol's default for graphs
    ("*/*", "application/rdf+xml", "xml"),
])
def test_api_sparql_graph_formats_are_the_library_graph(client, sample_kg, accept, media_type, rdflib_format):
    headers = {"Accept": accept} if accept else {}
    r = client.get("/sparql", params={"query": CONSTRUCT_ACTIONS}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media_type
    got = Graph().parse(data=r.content, format=rdflib_format)
    expected = _library_graph(sample_kg, CONSTRUCT_ACTIONS)
    assert len(got) == len(expected) > 0
    assert isomorphic(got, expected)


def test_api_sparql_describe_returns_a_graph(client, sample_kg, expected_actions):
    action = expected_actions[0]["a"]
    r = client.get("/sparql", params={"query": f"DESCRIBE <{action}>"}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = Graph().parse(data=r.text, format="turtle")
    assert any(str(s) == action for s in g.subjects())


def test_api_sparql_select_default_format_is_results_xml(client, expected_actions):
    r = client.get("/sparql", params={"query": SELECT_ACTIONS})  # httpx sends Accept: */*
    assert r.headers["content-type"].split(";")[0] == "application/sparql-results+xml"
    r = client.get("/sparql", params={"query": SELECT_ACTIONS}, headers={"Accept": ""})
    assert r.headers["content-type"].split(";")[0] == "application/sparql-results+xml"
    assert len(ET.fromstring(r.content).findall(f"{RESULTS_NS}results/{RESULTS_NS}result")) == len(expected_actions)


@pytest.mark.parametrize("query, accept", [
    (SELECT_ACTIONS, "text/html"),
    (SELECT_ACTIONS, "text/turtle"),
    (CONSTRUCT_ACTIONS, "text/csv"),
    (CONSTRUCT_ACTIONS, "application/sparql-results+json"),
    (ASK_ACTIONS, "image/png, text/html;q=0.5"),
    (SELECT_ACTIONS, "application/sparql-results+json;q=0"),
])
def test_api_sparql_unacceptable_accept_is_406(client, query, accept):
    r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    body = _assert_problem(r, 406)
    assert "offers" in body["detail"]


# ------------------------------------------------------------------ the dataset


def test_api_sparql_default_graph_uri_sets_the_default_graph(client, sample_kg):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    doc = sample_kg.documents()[0]
    in_doc = int(sample_kg.query(count, default_graph=[doc])[0]["n"])
    assert in_doc > 0
    accept = {"Accept": "application/sparql-results+json"}

    def n(r):
        assert r.status_code == 200, r.text
        return int(_rows(r.json())[0]["n"])

    assert n(client.get("/sparql", params={"query": count, "default-graph-uri": doc}, headers=accept)) == in_doc
    assert n(client.get("/sparql", params={"query": count, "default-graph-uri": "http://example.org/none"},
                        headers=accept)) == 0
    assert n(client.post("/sparql", data={"query": count, "default-graph-uri": "http://example.org/none"},
                         headers=accept)) == 0
    assert n(client.post("/sparql", params={"default-graph-uri": "http://example.org/none"},
                         content=count.encode(), headers={**accept, "Content-Type": "application/sparql-query"})) == 0


def test_api_sparql_named_graph_uri_limits_graph_patterns(client, sample_kg):
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    accept = {"Accept": "application/sparql-results+json"}
    everything = _rows(client.get("/sparql", params={"query": graphs}, headers=accept).json())
    assert {r["g"] for r in everything} == set(sample_kg.documents())
    r = client.get("/sparql", params={"query": graphs, "named-graph-uri": "http://example.org/none"}, headers=accept)
    assert _rows(r.json()) == []


# ------------------------------------------------------------------ malformed requests


@pytest.mark.parametrize("request_kwargs, status, words", [
    ({"method": "GET", "url": "/sparql", "params": {"query": "SELEC ?x WHERE {"}}, 400, "not valid"),
    ({"method": "GET", "url": "/sparql", "params": {"default-graph-uri": "http://x.org/"}}, 400, "no SPARQL query"),
    ({"method": "GET", "url": "/sparql?query=ASK%7B%7D&query=ASK%7B%7D"}, 400, "exactly one"),
    ({"method": "GET", "url": "/sparql", "params": {"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}}, 400, "/update"),
    ({"method": "POST", "url": "/sparql", "data": {"update": "CLEAR ALL"}}, 400, "/update"),
    ({"method": "POST", "url": "/sparql", "data": {"default-graph-uri": "http://x.org/"}}, 400, "no SPARQL query"),
    ({"method": "POST", "url": "/sparql", "content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415,
     "application/sparql-query"),
    ({"method": "POST", "url": "/sparql", "content": b"\xff\xfeA", "headers": {"Content-Type":
                                                                              "application/sparql-query"}}, 400,
     "UTF-8"),
    ({"method": "GET", "url": "/sparql", "params": {"query": "ASK {}", "default-graph-uri": "not an iri"}}, 400,
     "IRI"),
])
def test_api_sparql_malformed_requests_are_readable_problems(client, request_kwargs, status, words):
    r = client.request(**request_kwargs)
    body = _assert_problem(r, status)
    assert words in body["detail"]


# ------------------------------------------------------------------ the service description


@pytest.mark.parametrize("accept, rdflib_format", [
    (None, "turtle"), ("text/turtle", "turtle"), ("application/rdf+xml", "xml"),
    ("application/ld+json", "json-ld"), ("application/n-triples", "nt"),
])
def test_api_sparql_bare_get_is_the_service_description(client, server, sample_kg, accept, rdflib_format):
    from rdflib import URIRef
    from rdflib.namespace import RDF, Namespace

    SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
    r = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, r.text
    g = Graph().parse(data=r.content, format=rdflib_format)
    (service,) = [s for s in g.subjects(RDF.type, SD.Service) if (s, SD.endpoint, None) in g
                  and str(g.value(s, SD.endpoint)).endswith("/sparql")]
    assert g.value(service, SD.endpoint) == URIRef(server.url + "/sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    formats = {str(o) for o in g.objects(service, SD.resultFormat)}
    assert {"http://www.w3.org/ns/formats/SPARQL_Results_JSON", "http://www.w3.org/ns/formats/Turtle"} <= formats
    names = {str(o) for o in g.objects(None, SD.name)}
    assert names == set(sample_kg.documents())
    # a read-only server advertises no update service and no federation
    assert (None, SD.supportedLanguage, SD.SPARQL11Update) not in g
    assert (service, SD.feature, SD.BasicFederatedQuery) not in g


# ------------------------------------------------------------------ real SPARQL clients


@pytest.mark.parametrize("return_format, method", [("json", "GET"), ("xml", "GET"), ("json", "POST"),
                                                   ("csv", "GET")])
def test_api_sparqlwrapper_select(server, expected_actions, return_format, method):
    from SPARQLWrapper import CSV, GET, JSON, POST, XML, SPARQLWrapper

    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery("PREFIX pk: <https://w3id.org/policykg/ontology#>\n"
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + SELECT_ACTIONS)
    sw.setReturnFormat({"json": JSON, "xml": XML, "csv": CSV}[return_format])
    sw.setMethod({"GET": GET, "POST": POST}[method])
    res = sw.query()
    if return_format == "json":
        got = [{k: v["value"] for k, v in b.items()} for b in res.convert()["results"]["bindings"]]
    elif return_format == "xml":
        doc = res.convert()  # a DOM
        got = []
        for result in doc.getElementsByTagName("result"):
            row = {}
            for b in result.getElementsByTagName("binding"):
                row[b.getAttribute("name")] = "".join(n.data for n in b.firstChild.childNodes)
            got.append(row)
    else:
        rows = list(csv.DictReader(io.StringIO(res.convert().decode("utf-8"))))
        got = [dict(r) for r in rows]
    assert got == expected_actions


def test_api_sparqlwrapper_ask_and_construct(server, sample_kg):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery("PREFIX pk: <https://w3id.org/policykg/ontology#> ASK { ?a a pk:Action }")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True
    sw.setQuery("PREFIX pk: <https://w3id.org/policykg/ontology#>\n"
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + CONSTRUCT_ACTIONS)
    sw.setReturnFormat(TURTLE)
    got = Graph().parse(data=sw.query().convert(), format="turtle")
    assert isomorphic(got, _library_graph(sample_kg, CONSTRUCT_ACTIONS))


@pytest.mark.parametrize("wrapper", ["Graph", "Dataset"])
def test_api_rdflib_sparqlstore(server, sample_kg, expected_actions, wrapper):
    from rdflib import Dataset
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server.url + "/sparql")
    # a Dataset sends default-graph-uri=urn:x-rdflib:default, rdflib's name for the default graph
    ds = Dataset(store=store) if wrapper == "Dataset" else Graph(store=store)
    prefixes = ("PREFIX pk: <https://w3id.org/policykg/ontology#>\n"
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")
    got = [{str(k): str(v) for k, v in row.asdict().items()} for row in ds.query(prefixes + SELECT_ACTIONS)]
    assert got == expected_actions
    assert ds.query(prefixes + ASK_ACTIONS).askAnswer is True
    constructed = Graph()
    for t in ds.query(prefixes + CONSTRUCT_ACTIONS):
        constructed.add(t)
    assert isomorphic(constructed, _library_graph(sample_kg, CONSTRUCT_ACTIONS))
    # triple-pattern access goes through SELECT queries too
    from rdflib import URIRef
    from rdflib.namespace import RDF

    pk_action = URIRef("https://w3id.org/policykg/ontology#Action")
    actions = {str(s) for (s, _, _), _ in store.triples((None, RDF.type, pk_action))}
    assert actions == {r["a"] for r in expected_actions}
    store.close()


# ------------------------------------------------------------------ errors, docs, CORS


@pytest.mark.parametrize("method, url, status", [
    ("GET", "/no/such/route", 404),
    ("DELETE", "/sparql", 405),
    ("GET", "/sparql?query=SELECT%20%3Fx%20WHERE%20%7B", 400),
    ("GET", "/queries/no-such-query", 404),
    ("GET", "/documents/no-such-document", 404),
    ("GET", "/documents?limit=-1", 422),
    ("POST", "/update", 403),  # a read-only server
    ("POST", "/documents", 403),
])
def test_api_errors_share_one_problem_shape(client, method, url, status):
    body = _assert_problem(client.request(method, url), status)
    assert body["type"].startswith("https://w3id.org/policykg/problems/")
    assert body["instance"] == url.split("?")[0]
    assert "Traceback" not in body["detail"]


def test_api_openapi_lists_the_routes(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for route in ("/sparql", "/update", "/documents", "/documents/{key}", "/documents/{key}/outline",
                  "/queries", "/queries/{name}", "/status"):
        assert route in paths, route
    assert {"get", "post"} <= paths["/sparql"].keys()
    assert "application/problem+json" in json.dumps(spec) or "Problem" in spec["components"]["schemas"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_api_cors_is_off_by_default(client):
    r = client.get("/sparql", params={"query": ASK_ACTIONS}, headers={"Origin": "https://example.org"})
    assert r.status_code == 200
    assert "access-control-allow-origin" not in r.headers
    pre = client.options("/sparql", headers={"Origin": "https://example.org",
                                             "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in pre.headers


def test_api_cors_allows_only_configured_origins(api_server):
    server = api_server(cors_origins=["https://yasgui.example.org"])
    with httpx.Client(base_url=server.url) as c:
        ok = c.options("/sparql", headers={"Origin": "https://yasgui.example.org",
                                           "Access-Control-Request-Method": "POST",
                                           "Access-Control-Request-Headers": "content-type"})
        assert ok.status_code == 200
        assert ok.headers["access-control-allow-origin"] == "https://yasgui.example.org"
        r = c.get("/sparql", params={"query": ASK_ACTIONS}, headers={"Origin": "https://yasgui.example.org"})
        assert r.headers["access-control-allow-origin"] == "https://yasgui.example.org"
        other = c.get("/sparql", params={"query": ASK_ACTIONS}, headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


# ------------------------------------------------------------------ documents and named queries


def test_api_documents_list_and_one(client, sample_kg):
    r = client.get("/documents")
    assert r.status_code == 200
    docs = r.json()["documents"]
    assert [d["iri"] for d in docs] == sample_kg.documents()
    doc = docs[0]
    n_actions = int(sample_kg.query("SELECT (COUNT(?a) AS ?n) WHERE { ?a a pk:Action }")[0]["n"])
    assert doc["actions"] == n_actions
    assert doc["docNumber"] == "普府办〔2022〕16号"
    one = client.get(f"/documents/{doc['key']}")
    assert one.status_code == 200 and one.json() == doc
    assert client.get("/documents", params={"offset": 1}).json()["documents"] == []


def test_api_document_outline_has_every_section_once(client, sample_kg):
    key = client.get("/documents").json()["documents"][0]["key"]
    r = client.get(f"/documents/{key}/outline")
    assert r.status_code == 200
    out = r.json()

    def walk(nodes):
        for n in nodes:
            yield n
            yield from walk(n["children"])

    sections = [s for part in out["parts"] for s in walk(part["sections"])]
    expected = {r["s"]: r["path"] for r in sample_kg.query("SELECT ?s ?path WHERE { ?s a pk:Section ; pk:path ?path }")}
    assert {s["iri"]: s["path"] for s in sections} == expected
    assert len(sections) == len(expected)
    units = {r["s"] for r in sample_kg.query("SELECT DISTINCT ?s WHERE { ?s pk:responsibleUnit ?u }")}
    assert {s["iri"] for s in sections if s["responsible"]} == units
    # children nest under their parent's path
    for s in sections:
        for c in s["children"]:
            assert c["path"].startswith(s["path"] + ".")


def test_api_named_queries_run_with_bound_parameters(client, sample_kg):
    listing = client.get("/queries").json()
    names = {q["name"] for q in listing}
    assert "who-owns-what" in names
    q = next(q for q in listing if q["name"] == "who-owns-what")
    assert "unit" in {p["name"] for p in q["params"]}
    r = client.get("/queries/who-owns-what", params={"unit": "区科委"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/sparql-results+json"
    expected = sample_kg.run_named("who-owns-what", {"unit": "区科委"}).values()
    assert expected and _rows(r.json()) == expected
    as_csv = client.get("/queries/who-owns-what", params={"unit": "区科委"}, headers={"Accept": "text/csv"})
    assert len(list(csv.reader(io.StringIO(as_csv.text)))) == len(expected) + 1
    # a value is bound as a literal, never pasted into the query
    injected = client.get("/queries/who-owns-what", params={"unit": '区科委" } UNION { ?s ?p ?o } #'})
    assert injected.status_code == 200 and _rows(injected.json()) == []
    _assert_problem(client.get("/queries/who-owns-what", params={"nope": "x"}), 400)
