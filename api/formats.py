"""Content negotiation and the media types of query answers.

SELECT and ASK answers are SPARQL 1.1 Query Results in JSON, XML, CSV or
TSV; CONSTRUCT and DESCRIBE answers are RDF graphs in Turtle, N-Triples,
JSON-LD or RDF/XML.  With no ``Accept`` header (or ``*/*``) the answer uses
the formats of the SPARQL Protocol's own examples — the results XML format
and RDF/XML — which every SPARQL client reads.

>>> negotiate("select", "application/sparql-results+json").key
'json'
>>> negotiate("select", "text/csv;q=0.5, application/sparql-results+xml").key
'xml'
>>> negotiate("graph", None).media_type
'application/rdf+xml'
>>> negotiate("graph", "text/*").key
'ttl'
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ontology.namespaces import PREFIXES
from .problems import NotAcceptable


@dataclass(frozen=True)
class Format:
    key: str
    media_type: str  # what the response says it is
    accepts: tuple[str, ...]  # media types in Accept that select it
    w3c: str  # the W3C format IRI (http://www.w3.org/ns/formats/…) for the service description

    @property
    def content_type(self) -> str:
        return self.media_type + ("; charset=utf-8" if not self.media_type.endswith("+json") else "")


_F = "http://www.w3.org/ns/formats/"

# first = the default when the client accepts anything
RESULT_FORMATS = (
    Format("xml", "application/sparql-results+xml", ("application/sparql-results+xml", "application/xml",
                                                     "text/xml"), _F + "SPARQL_Results_XML"),
    Format("json", "application/sparql-results+json", ("application/sparql-results+json", "application/json"),
           _F + "SPARQL_Results_JSON"),
    Format("csv", "text/csv", ("text/csv",), _F + "SPARQL_Results_CSV"),
    Format("tsv", "text/tab-separated-values", ("text/tab-separated-values",), _F + "SPARQL_Results_TSV"),
)
GRAPH_FORMATS = (
    Format("rdf", "application/rdf+xml", ("application/rdf+xml", "application/xml", "text/xml"), _F + "RDF_XML"),
    Format("ttl", "text/turtle", ("text/turtle", "application/x-turtle"), _F + "Turtle"),
    Format("nt", "application/n-triples", ("application/n-triples", "text/plain"), _F + "N-Triples"),
    Format("jsonld", "application/ld+json", ("application/ld+json", "application/json"), _F + "JSON-LD"),
)
# the service description reads best as Turtle
DESCRIPTION_FORMATS = (GRAPH_FORMATS[1], GRAPH_FORMATS[0], GRAPH_FORMATS[2], GRAPH_FORMATS[3])


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """``Accept`` → ``[(media range, q, position)]`` (q=0 ranges kept: they exclude)."""
    out = []
    if not header:
        return out
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        if media == "*":
            media = "*/*"
        q = 1.0
        for f in fields[1:]:
            k, _, v = f.partition("=")
            if k.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(v)))
                except ValueError:
                    q = 0.0
        out.append((media, q, i))
    return out


def _match(offer: str, accepted: list[tuple[str, float, int]]) -> tuple[float, int, int] | None:
    """(q, specificity, position) of the most specific range matching ``offer``."""
    otype = offer.split("/")[0]
    best = None
    for media, q, pos in accepted:
        if media == offer:
            spec = 2
        elif media == f"{otype}/*":
            spec = 1
        elif media == "*/*":
            spec = 0
        else:
            continue
        if best is None or spec > best[1]:
            best = (q, spec, pos)
    return best


def choose(formats: tuple[Format, ...], accept: str | None, what: str = "this answer") -> Format:
    """The format the client prefers among ``formats`` (the first when it accepts anything)."""
    accepted = parse_accept(accept)
    if not accepted:
        return formats[0]
    best, best_key = None, None
    for rank, fmt in enumerate(formats):
        for alias_rank, media in enumerate(fmt.accepts):
            m = _match(media, accepted)
            if m is None or m[0] <= 0:
                continue
            q, spec, pos = m
            key = (q, spec, -pos, -alias_rank, -rank)
            if best_key is None or key > best_key:
                best, best_key = fmt, key
    if best is None:
        offered = ", ".join(f.media_type for f in formats)
        raise NotAcceptable(f"None of the media types in Accept: {accept} can represent {what}; "
                            f"this endpoint offers {offered}.")
    return best


def negotiate(kind: str, accept: str | None, *, json_first: bool = False) -> Format:
    """The format for a query answer of ``kind`` (select | ask | graph).

    ``json_first`` makes JSON the default for results (the lookup routes; the SPARQL
    endpoint keeps the protocol's XML).
    """
    if kind == "graph":
        return choose(GRAPH_FORMATS, accept, "a CONSTRUCT or DESCRIBE answer (an RDF graph)")
    formats = (RESULT_FORMATS[1], RESULT_FORMATS[0], *RESULT_FORMATS[2:]) if json_first else RESULT_FORMATS
    return choose(formats, accept, f"a {kind.upper()} answer (a SPARQL results table)")


def serialize_results(res, accept: str | None, *, json_first: bool = False) -> tuple[str, bytes]:
    """Negotiate and serialise a :class:`~policykg.graph.Results`; returns (content type, body)."""
    fmt = negotiate(res.kind, accept, json_first=json_first)
    if res.kind == "graph":
        return fmt.content_type, serialize_triples(res.triples, fmt.key)
    text = {"json": res.to_json, "xml": res.to_xml, "csv": res.to_csv, "tsv": res.to_tsv}[fmt.key]()
    return fmt.content_type, text.encode("utf-8")


def serialize_triples(triples, key: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Triples in one of the graph formats (Turtle and RDF/XML with the ``pk:`` … prefixes)."""
    from pyoxigraph import RdfFormat, serialize

    rdf = {"ttl": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES, "jsonld": RdfFormat.JSON_LD,
           "rdf": RdfFormat.RDF_XML}[key]
    if key in ("ttl", "rdf"):
        return serialize(triples, format=rdf, prefixes=prefixes or PREFIXES) or b""
    return serialize(triples, format=rdf) or b""
