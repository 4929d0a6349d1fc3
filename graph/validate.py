"""SHACL validation of document graphs against ``ontology/shapes.ttl`` (pyshacl)."""

from __future__ import annotations

from dataclasses import dataclass

from ..ontology import ontology_ttl, shapes_ttl


@dataclass
class ValidationReport:
    conforms: bool
    text: str
    results: int


def validate_nquads(nquads: bytes | str) -> ValidationReport:
    """Validate the union of the graphs in an N-Quads dump."""
    import rdflib
    from pyshacl import validate

    from pyoxigraph import RdfFormat, parse, serialize

    # the union of the document graphs, as N-Triples rdflib reads quickly
    triples = serialize((q.triple for q in parse(nquads, format=RdfFormat.N_QUADS)), format=RdfFormat.N_TRIPLES)
    data = rdflib.Graph().parse(data=triples, format="nt")
    shapes = rdflib.Graph().parse(data=shapes_ttl(), format="turtle")
    onto = rdflib.Graph().parse(data=ontology_ttl(), format="turtle")
    conforms, report_graph, text = validate(data, shacl_graph=shapes, ont_graph=onto, inference="rdfs",
                                            advanced=True, allow_warnings=True)
    n = len(list(report_graph.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationResult"))))
    return ValidationReport(conforms=bool(conforms), text=text, results=n)


def validate_store(kg, graph: str | None = None) -> ValidationReport:
    """Validate the whole store (or one document graph) of a KnowledgeGraph."""
    return validate_nquads(kg.dump("nq", graph) if graph is None else _as_nquads(kg, graph))


def _as_nquads(kg, graph: str) -> bytes:
    from pyoxigraph import NamedNode, Quad, RdfFormat, serialize

    nt = kg.dump("nt", graph)
    from pyoxigraph import parse

    g = NamedNode(graph)
    return serialize((Quad(t.subject, t.predicate, t.object, g) for t in parse(nt, format=RdfFormat.N_TRIPLES)),
                     format=RdfFormat.N_QUADS)
