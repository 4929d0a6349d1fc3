"""End to end: the bundled sample, ingested by the CLI into an on-disk store,
checked against the hand annotation (../shared/gold/seed-gold.json) through
`policykg query --format json`."""

from __future__ import annotations

from helpers import SAMPLE, fold, run_cli, sparql_json


def test_sample_document_metadata_matches_gold(sample_store, gold):
    g = gold["document"]
    rows = sparql_json(sample_store, """
        SELECT ?num ?title ?issued ?issuerName ?plan ?meeting ?adopted WHERE {
          ?d pk:docNumber ?num ; dcterms:title ?title ; dcterms:issued ?issued ;
             pk:issuer ?i ; pk:transmits ?p ; pk:adoptedAt ?m ; pk:adoptedOn ?adopted .
          ?i skos:prefLabel|rdfs:label ?issuerName . ?p dcterms:title ?plan . ?m rdfs:label ?meeting .
        }""")
    assert rows, "the notice has no metadata"
    r = rows[0]
    assert r["num"] == g["doc_number"]
    assert r["title"] == fold(g["title"])
    assert r["issued"] == g["issued_date"]
    assert {x["issuerName"] for x in rows} >= {g["issuer"]}
    assert r["plan"] == g["attached_plan_title"]
    assert r["meeting"] == g["adopted_at"]["meeting"] and r["adopted"] == g["adopted_at"]["date"]
    addressees = {x["label"] for x in sparql_json(sample_store, """
        SELECT ?label WHERE { ?d pk:addressee ?a . ?a rdfs:label ?label }""")}
    assert addressees == {fold(a) for a in g["addressees"]}


def test_sample_every_gold_section_is_present_with_its_title(sample_store, gold):
    rows = sparql_json(sample_store, """
        SELECT ?path ?number ?title ?parentPath WHERE {
          ?s a pk:Section ; pk:path ?path ; pk:number ?number ; rdfs:label ?title .
          OPTIONAL { ?s dcterms:isPartOf ?p . ?p pk:path ?parentPath }
        }""")
    got = {r["path"]: r for r in rows}
    assert len(got) == len(gold["sections"]) == 45
    for s in gold["sections"]:
        r = got[s["id"]]
        assert r["title"] == fold(s["title"]), s["id"]
        assert r["number"] == fold(s["number_text"]), s["id"]
        assert r.get("parentPath") == s["parent"], s["id"]


def test_sample_section_kinds_match_gold(sample_store, gold):
    for kind in ("Goal", "Action", "Measure"):
        rows = sparql_json(sample_store, f"SELECT ?path WHERE {{ ?s a pk:{kind} ; pk:path ?path }}")
        assert {r["path"] for r in rows} == {s["id"] for s in gold["sections"] if s["kind"] == kind}, kind


def test_sample_every_action_has_exactly_its_gold_units(sample_store, gold):
    rows = sparql_json(sample_store, """
        SELECT ?path ?unit WHERE { ?a a pk:Action ; pk:path ?path ; pk:responsibleUnit ?u . ?u rdfs:label ?unit }""")
    got: dict[str, set[str]] = {}
    for r in rows:
        got.setdefault(r["path"], set()).add(r["unit"])
    expected = {a["id"]: set(a["responsible_units"]) for a in gold["actions"]}
    assert len(expected) == 20
    assert got == expected


def test_sample_units_resolve_to_one_node_per_body(sample_store):
    rows = sparql_json(sample_store, """
        SELECT ?label (COUNT(DISTINCT ?u) AS ?n) WHERE { ?s pk:responsibleUnit ?u . ?u rdfs:label ?label }
        GROUP BY ?label""")
    assert rows and all(r["n"] == "1" for r in rows)
    full = sparql_json(sample_store, """
        SELECT ?full WHERE { ?u rdfs:label "区科委" ; skos:prefLabel ?full }""")
    assert [r["full"] for r in full] == ["上海市普陀区科学技术委员会"]


def test_sample_offsets_point_into_the_stored_text(sample_store):
    rows = sparql_json(sample_store, """
        SELECT ?text ?start ?end ?number WHERE {
          ?d pk:text ?text . ?s a pk:Section ; pk:start ?start ; pk:end ?end ; pk:number ?number }""")
    text = rows[0]["text"]
    for r in rows:
        assert text[int(r["start"]):int(r["end"])].startswith(r["number"])
    mentions = sparql_json(sample_store, """
        SELECT ?start ?end ?exact WHERE { ?m a pk:Mention ; pk:start ?start ; pk:end ?end ; pk:exact ?exact }""")
    assert mentions
    for m in mentions:
        assert text[int(m["start"]):int(m["end"])] == m["exact"]
    assert "人工智能等技术搭建" in text  # the page break inside 人工智|能 is healed


def test_sample_reingest_is_idempotent(tmp_path):
    store = tmp_path / "store"
    run_cli("ingest", str(SAMPLE), "--store", str(store), check=True)
    count = sparql_json(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"]
    again = run_cli("ingest", str(SAMPLE), "--store", str(store), check=True)
    assert b"unchanged" in again.stdout
    forced = run_cli("ingest", str(SAMPLE), "--store", str(store), "--force", check=True)
    assert b"replaced" in forced.stdout
    assert sparql_json(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"] == count
