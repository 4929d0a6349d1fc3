"""policykg.ontology — the shared vocabulary: OWL ontology, SHACL shapes,
the units gazetteer and the namespace IRIs.  Importing it loads no RDF library."""

from importlib import resources

from .namespaces import DCTERMS, ELI, ID, OA, ORG, OWL, PK, PREFIXES, PROV, RDF, RDFS, SKOS, XSD, sparql_prologue

__all__ = ["DCTERMS", "ELI", "ID", "OA", "ORG", "OWL", "PK", "PREFIXES", "PROV", "RDF", "RDFS", "SKOS", "XSD",
           "sparql_prologue", "ontology_ttl", "shapes_ttl"]


def ontology_ttl() -> str:
    """The OWL ontology (Turtle text)."""
    return resources.files(__name__).joinpath("policykg.ttl").read_text(encoding="utf-8")


def shapes_ttl() -> str:
    """The SHACL shapes every ingested graph conforms to (Turtle text)."""
    return resources.files(__name__).joinpath("shapes.ttl").read_text(encoding="utf-8")
