"""SHACL: every ingested graph conforms to ontology/shapes.ttl, and the shapes
do catch broken graphs."""

from __future__ import annotations

import pytest

from policykg import KnowledgeGraph
from policykg.graph.validate import validate_nquads, validate_store

from helpers import DATA


def test_shapes_sample_graph_conforms(sample_kg):
    report = validate_store(sample_kg)
    assert report.conforms, report.text


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.txt")))
def test_shapes_test_texts_conform(name):
    with KnowledgeGraph(None) as kg:
        kg.ingest([DATA / name])
        report = validate_store(kg)
    assert report.conforms, report.text


@pytest.mark.parametrize("breakage,message", [
    ('DELETE WHERE { GRAPH ?g { ?s pk:path ?p } }', "numbering path"),
    ('DELETE WHERE { GRAPH ?g { ?s pk:responsibleUnit ?u } }', "responsible unit"),
    ('INSERT { GRAPH ?g { ?m pk:exact "wrong" } } WHERE { GRAPH ?g { ?m a pk:Mention } }', "exact text"),
])
def test_shapes_catch_broken_graphs(sample_kg, breakage, message):
    with KnowledgeGraph(None) as kg:
        kg.backend.raw.load(sample_kg.dump("nq"), format=__import__("pyoxigraph").RdfFormat.N_QUADS)
        assert validate_store(kg).conforms
        kg.update(breakage)
        report = validate_nquads(kg.dump("nq"))
    assert not report.conforms
    assert message in report.text
