"""Namespace IRIs used by policykg, as plain strings (no RDF library needed).

>>> PK.Section
'https://w3id.org/policykg/ontology#Section'
>>> ID + "doc/x"
'https://w3id.org/policykg/id/doc/x'
"""

from __future__ import annotations


class Namespace:
    """A namespace IRI; attribute or item access gives a term IRI string.

    Not a ``str`` subclass, so ``DCTERMS.title`` is the term, not ``str.title``.
    """

    __slots__ = ("_iri",)

    def __init__(self, iri: str) -> None:
        self._iri = iri

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._iri + name

    def __getitem__(self, name: str) -> str:
        return self._iri + name

    def __str__(self) -> str:
        return self._iri

    def __repr__(self) -> str:
        return f"Namespace({self._iri!r})"

    def __add__(self, other: str) -> str:
        return self._iri + other

    def __eq__(self, other: object) -> bool:
        return str(other) == self._iri

    def __hash__(self) -> int:
        return hash(self._iri)


PK = Namespace("https://w3id.org/policykg/ontology#")
ID = Namespace("https://w3id.org/policykg/id/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
TIME = Namespace("http://www.w3.org/2006/time#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

PREFIXES: dict[str, str] = {
    "pk": str(PK),
    "pkid": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "org": str(ORG),
    "prov": str(PROV),
    "eli": str(ELI),
    "oa": str(OA),
    "time": str(TIME),
}


def sparql_prologue() -> str:
    """``PREFIX`` lines for every namespace above, for queries and docs."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
