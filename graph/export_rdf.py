"""RDF exports: Turtle, N-Quads, TriG and JSON-LD, of the whole store or a selection.

The whole store and one document are exported as stored (every statement,
provenance mentions included).  A unit's portfolio, a neighbourhood or a
type filter exports what the store says *about* the selected nodes: every
statement whose subject is selected and whose object is a value, a class or
another selected node.

N-Quads, TriG and JSON-LD keep each document's named graph; Turtle (which
has no named graphs) gives their union.  JSON-LD comes with an ``@context``
that declares the prefixes and a short term for every ``pk:`` class and
property used (``"leadUnit": {"@id": "pk:leadUnit", "@type": "@id"}``), so
the document reads as plain JSON and expands to exactly the same quads.

>>> from pyoxigraph import Literal, NamedNode, Quad
>>> q = Quad(NamedNode("https://w3id.org/policykg/id/a"), NamedNode("https://w3id.org/policykg/ontology#leadUnit"),
...          NamedNode("https://w3id.org/policykg/id/org/b"), NamedNode("https://w3id.org/policykg/id/doc/d"))
>>> doc = json.loads(to_jsonld([q]))
>>> doc["@context"]["leadUnit"], doc["@graph"][0]["@graph"][0]["leadUnit"]
({'@id': 'pk:leadUnit', '@type': '@id'}, 'pkid:org/b')
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, serialize

from ..ontology.namespaces import PK, PREFIXES, RDF, XSD
from .network import iri_values

_NO_LIMIT = sys.maxsize
_CHUNK = 2000
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

RDF_FORMATS = {"ttl": RdfFormat.TURTLE, "nq": RdfFormat.N_QUADS, "trig": RdfFormat.TRIG, "jsonld": RdfFormat.JSON_LD}


def _rows_to_quads(rows) -> list[Quad]:
    return [Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]


def all_quads(kg, documents: list[str] | None = None) -> list[Quad]:
    """Every quad of the store, or of the given document graphs."""
    scope = f"VALUES ?g {{ {iri_values(documents)} }}" if documents else ""
    res = kg.query(f"SELECT ?s ?p ?o ?g WHERE {{ {scope} GRAPH ?g {{ ?s ?p ?o }} }}", limit=_NO_LIMIT)
    return _rows_to_quads(res.rows)


def quads_about(kg, nodes: set[str], documents: list[str] | None = None) -> list[Quad]:
    """Statements whose subject is in ``nodes`` and whose object is a value, a class or in ``nodes``."""
    scope = f"VALUES ?g {{ {iri_values(documents)} }}" if documents else ""
    out: list[Quad] = []
    ordered = sorted(nodes)
    for i in range(0, len(ordered), _CHUNK):
        chunk = ordered[i:i + _CHUNK]
        res = kg.query(f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?s {{ {iri_values(chunk)} }} {scope} "
                       f"GRAPH ?g {{ ?s ?p ?o }} }}", limit=_NO_LIMIT)
        for q in _rows_to_quads(res.rows):
            o = q.object
            inside = isinstance(o, NamedNode) and o.value in nodes
            if isinstance(o, Literal) or q.predicate.value == RDF.type or inside:
                out.append(q)
    return out


def serialise(quads: list[Quad], fmt: str) -> bytes:
    """``quads`` in an RDF format (``ttl`` writes the union of the graphs)."""
    quads = sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    if fmt == "jsonld":
        return to_jsonld(quads)
    if fmt == "ttl":
        triples = list(dict.fromkeys(q.triple for q in quads))
        return serialize(triples, format=RdfFormat.TURTLE, prefixes=PREFIXES)
    return serialize(quads, format=RDF_FORMATS[fmt], prefixes=PREFIXES if fmt == "trig" else None)


# ---------------------------------------------------------------- JSON-LD


def compact(iri: str) -> str:
    """``https://w3id.org/policykg/ontology#Action`` → ``pk:Action`` (the longest matching prefix)."""
    best = ""
    for p, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")) and len(iri) > len(ns):
            best = p
    if best and not iri[len(PREFIXES[best]):].startswith("//"):
        return f"{best}:{iri[len(PREFIXES[best]):]}"
    return iri


def _term_name(iri: str) -> str | None:
    """The short context term for a ``pk:`` IRI (its local name), unless it would clash."""
    if not iri.startswith(str(PK)):
        return None
    local = iri[len(str(PK)):]
    if not local.isidentifier() or local in PREFIXES or local.startswith("@"):
        return None
    return local


def _node_id(term) -> str:
    return f"_:{term.value}" if isinstance(term, BlankNode) else compact(term.value)


def jsonld_context(quads: list[Quad]) -> dict:
    """Prefixes plus a term for each ``pk:`` class and property in ``quads`` (with the values' type)."""
    ctx: dict[str, object] = dict(PREFIXES)
    kinds: dict[str, set[str]] = defaultdict(set)
    for q in quads:
        p, o = q.predicate.value, q.object
        if p == RDF.type:
            name = _term_name(o.value) if isinstance(o, NamedNode) else None
            if name:
                ctx[name] = f"pk:{name}"
            continue
        if isinstance(o, Literal):
            kinds[p].add(o.datatype.value if not o.language else _LANG_STRING)
        else:
            kinds[p].add("@id")
    for p in sorted(kinds):
        name = _term_name(p)
        if not name or name in ctx:
            continue
        only = next(iter(kinds[p])) if len(kinds[p]) == 1 else None
        if only == "@id":
            ctx[name] = {"@id": f"pk:{name}", "@type": "@id"}
        elif only and only not in (XSD.string, _LANG_STRING):
            ctx[name] = {"@id": f"pk:{name}", "@type": compact(only)}
        else:
            ctx[name] = f"pk:{name}"
    return ctx


def to_jsonld(quads: list[Quad]) -> bytes:
    """Quads as compact-looking JSON-LD 1.1: one ``@graph`` object per named graph."""
    ctx = jsonld_context(quads)
    terms = {v if isinstance(v, str) else v["@id"]: k for k, v in ctx.items() if k not in PREFIXES}
    coerce = {k: v.get("@type") for k, v in ctx.items() if isinstance(v, dict)}
    graphs: dict[object, dict[object, dict]] = defaultdict(dict)
    for q in quads:
        nodes = graphs[q.graph_name]
        node = nodes.setdefault(q.subject, {"@id": _node_id(q.subject)})
        p, o = q.predicate.value, q.object
        if p == RDF.type and isinstance(o, NamedNode):
            node.setdefault("@type", []).append(terms.get(compact(o.value), compact(o.value)))
            continue
        key = terms.get(compact(p), compact(p))
        node.setdefault(key, []).append(_value(o, coerce.get(key)))
    out = []
    for g in sorted(graphs, key=str):
        nodes = [_single(n) for _, n in sorted(graphs[g].items(), key=lambda kv: str(kv[0]))]
        if isinstance(g, (NamedNode, BlankNode)):
            out.append({"@id": _node_id(g), "@graph": nodes})
        else:
            out.extend(nodes)  # the default graph
    return json.dumps({"@context": ctx, "@graph": out}, ensure_ascii=False, indent=1).encode("utf-8")


def _value(o, coerced: str | None):
    if isinstance(o, (NamedNode, BlankNode)):
        return _node_id(o) if coerced == "@id" else {"@id": _node_id(o)}
    if o.language:
        return {"@value": o.value, "@language": o.language}
    dt = o.datatype.value
    if dt == XSD.string and coerced is None:
        return o.value
    if coerced and coerced != "@id" and compact(dt) == coerced:
        return o.value
    return {"@value": o.value, "@type": compact(dt)}


def _single(node: dict) -> dict:
    return {k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in node.items()}


__all__ = ["RDF_FORMATS", "all_quads", "quads_about", "serialise", "to_jsonld", "jsonld_context", "compact"]
