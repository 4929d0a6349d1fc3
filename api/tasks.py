"""Jobs the query workers run: ``fn(kg, ...)`` over a read-only snapshot.

Each is a thin call into the library; answers are plain data (bytes, dicts,
lists) so they cross the process boundary cheaply.  Negotiated answers are
serialised here, in the worker, so the server process only forwards bytes.
"""

from __future__ import annotations

from ..errors import NotFound
from ..ontology.namespaces import ID
from .formats import serialize_results

DOC_BASE = ID + "doc/"


def ping(kg) -> int:
    """A trivial job (health checks, warming a worker up)."""
    return len(kg.query("ASK { }", limit=1))


def sparql(kg, text: str, *, default_graph: list[str] | None = None, named_graphs: list[str] | None = None,
           accept: str | None = None) -> tuple[str, bytes]:
    """One SPARQL Protocol query → (content type, body)."""
    res = kg.query(text, default_graph=default_graph or None, named_graphs=named_graphs or None)
    return serialize_results(res, accept)


def named(kg, name: str, params: dict[str, str], accept: str | None = None) -> tuple[str, bytes]:
    """A named query with bound parameters → (content type, body)."""
    return serialize_results(kg.run_named(name, params), accept, json_first=True)


def graph_names(kg) -> list[str]:
    return kg.documents()


# --------------------------------------------------------------------- documents

_DOCUMENTS = """
SELECT ?g ?title ?docNumber ?docType ?issued ?issuerName ?file ?format ?plan ?planTitle
       ?sections ?actions ?targets
WHERE {{
  {{
    SELECT ?g WHERE {{ GRAPH ?g {{ ?g a pk:PolicyDocument }} }}
    ORDER BY ?g LIMIT {limit} OFFSET {offset}
  }}
  GRAPH ?g {{
    OPTIONAL {{ ?g dcterms:title ?title }}
    OPTIONAL {{ ?g pk:docNumber ?docNumber }}
    OPTIONAL {{ ?g pk:docType ?docType }}
    OPTIONAL {{ ?g dcterms:issued ?issued }}
    OPTIONAL {{ ?g pk:issuer/rdfs:label ?issuerName }}
    OPTIONAL {{ ?g pk:sourceFile ?file }}
    OPTIONAL {{ ?g pk:sourceFormat ?format }}
    OPTIONAL {{ ?g pk:transmits ?plan OPTIONAL {{ ?plan dcterms:title ?planTitle }} }}
  }}
  OPTIONAL {{ SELECT ?g (COUNT(?s) AS ?sections) WHERE {{ GRAPH ?g {{ ?s a pk:Section }} }} GROUP BY ?g }}
  OPTIONAL {{ SELECT ?g (COUNT(?a) AS ?actions) WHERE {{ GRAPH ?g {{ ?a a pk:Action }} }} GROUP BY ?g }}
  OPTIONAL {{ SELECT ?g (COUNT(?t) AS ?targets) WHERE {{ GRAPH ?g {{ ?t a pk:Target }} }} GROUP BY ?g }}
}}
ORDER BY ?g
"""


def document_key(iri: str) -> str:
    """``https://w3id.org/policykg/id/doc/普府办-2022-16`` → ``普府办-2022-16``."""
    return iri[len(DOC_BASE):] if iri.startswith(DOC_BASE) else iri


def document_iri(key: str) -> str:
    return key if key.startswith(("http://", "https://", "urn:")) else DOC_BASE + key


def documents(kg, doc: str | None = None, limit: int = 100, offset: int = 0) -> list[dict]:
    """The documents in the store (one per ingested file, by IRI), with their counts."""
    from pyoxigraph import NamedNode

    params = {"g": NamedNode(doc)} if doc else None
    text = _DOCUMENTS.format(limit=max(0, int(limit)), offset=max(0, int(offset)))
    out = []
    seen: dict[str, dict] = {}
    for row in kg.query(text, params=params, limit=None):
        if row["g"] in seen:  # a joint document: one row per issuer
            had = seen[row["g"]]
            if row.get("issuerName") and row["issuerName"] not in (had["issuer"] or "").split("、"):
                had["issuer"] = "、".join(x for x in (had["issuer"], row["issuerName"]) if x)
            continue
        out.append({
            "iri": row["g"],
            "key": document_key(row["g"]),
            "title": row.get("title"),
            "docNumber": row.get("docNumber"),
            "docType": row.get("docType"),
            "issued": row.get("issued"),
            "issuer": row.get("issuerName"),
            "sourceFile": row.get("file"),
            "sourceFormat": row.get("format"),
            "transmits": ({"iri": row["plan"], "title": row.get("planTitle")} if row.get("plan") else None),
            "sections": int(row.get("sections", 0)),
            "actions": int(row.get("actions", 0)),
            "targets": int(row.get("targets", 0)),
        })
        seen[row["g"]] = out[-1]
    return out


_OUTLINE = """
SELECT ?g ?s ?number ?path ?label ?level ?order ?start ?end ?parent ?container ?kind
       (GROUP_CONCAT(DISTINCT ?leadName; separator="、") AS ?lead)
       (GROUP_CONCAT(DISTINCT ?supName; separator="、") AS ?supporting)
       (GROUP_CONCAT(DISTINCT ?unitName; separator="、") AS ?responsible)
WHERE {
  GRAPH ?g {
    ?s a pk:Section ; pk:path ?path .
    OPTIONAL { ?s pk:number ?number }
    OPTIONAL { ?s rdfs:label ?label }
    OPTIONAL { ?s pk:level ?level }
    OPTIONAL { ?s pk:order ?order }
    OPTIONAL { ?s pk:start ?start }
    OPTIONAL { ?s pk:end ?end }
    OPTIONAL { ?s dcterms:isPartOf ?parent }
    OPTIONAL { ?s dcterms:isPartOf+ ?container . ?container a pk:PolicyDocument }
    OPTIONAL { ?s a ?kind FILTER(?kind IN (pk:Goal, pk:Action, pk:Measure)) }
    OPTIONAL { ?s pk:responsibleUnit ?u . ?u rdfs:label ?unitName
               OPTIONAL { ?s pk:leadUnit ?u BIND(?unitName AS ?leadName) }
               OPTIONAL { ?s pk:supportingUnit ?u BIND(?unitName AS ?supName) } }
  }
}
GROUP BY ?g ?s ?number ?path ?label ?level ?order ?start ?end ?parent ?container ?kind
ORDER BY ?container ?order ?start
"""


def outline(kg, key: str) -> dict:
    """A document's heading tree: sections nested by ``dcterms:isPartOf``, with their units."""
    from pyoxigraph import NamedNode

    iri = document_iri(key)
    docs = documents(kg, iri)
    if not docs:
        raise NotFound(f"There is no document {key!r}; GET /documents lists them.")
    rows = kg.query(_OUTLINE, params={"g": NamedNode(iri)}, limit=None).values()
    nodes: dict[str, dict] = {}
    for r in rows:
        s = r["s"]
        if s in nodes:  # several kinds: keep the specific one
            if r.get("kind"):
                nodes[s]["kind"] = r["kind"].rsplit("#", 1)[-1]
            continue
        nodes[s] = {
            "iri": s, "number": r.get("number"), "path": r["path"], "label": r.get("label"),
            "kind": r["kind"].rsplit("#", 1)[-1] if r.get("kind") else "Section",
            "level": _int(r.get("level")), "start": _int(r.get("start")), "end": _int(r.get("end")),
            "lead": _names(r.get("lead")), "supporting": _names(r.get("supporting")),
            "responsible": _names(r.get("responsible")),
            "_parent": r.get("parent"), "_container": r.get("container") or iri, "_order": _int(r.get("order")),
            "children": [],
        }
    containers: dict[str, list[dict]] = {}
    for n in sorted(nodes.values(), key=lambda n: (n["_order"] if n["_order"] is not None else 1 << 30,
                                                   n["start"] or 0)):
        parent = nodes.get(n["_parent"])
        (parent["children"] if parent else containers.setdefault(n["_container"], [])).append(n)
    for n in nodes.values():
        for k in ("_parent", "_container", "_order"):
            n.pop(k)
    doc = docs[0]
    parts = [{"iri": iri, "title": doc["title"], "sections": containers.pop(iri, [])}]
    plan = doc.get("transmits")
    if plan:
        parts.append({"iri": plan["iri"], "title": plan["title"], "sections": containers.pop(plan["iri"], [])})
    for other, secs in containers.items():
        parts.append({"iri": other, "title": None, "sections": secs})
    return {"document": doc, "parts": parts}


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


def _names(v: str | None) -> list[str]:
    return [x for x in (v or "").split("、") if x]


# --------------------------------------------------------------------- lookups (thin calls into graph.lookup/deps)


def search(kg, text: str, types: list[str] | None, limit: int) -> list[dict]:
    from ..graph.lookup import search_entities

    return [h.to_dict() for h in search_entities(kg, text, types=types or None, limit=limit)]


def card(kg, ref: str) -> dict:
    from ..graph.lookup import entity_card

    return entity_card(kg, ref)


def owners(kg, ref: str, depth: int) -> dict:
    from ..graph.lookup import owners_of, resolve_entity

    hit = resolve_entity(kg, ref)
    return {"entity": hit.to_dict(), "owners": owners_of(kg, hit, depth=depth)}


def portfolio(kg, ref: str) -> dict:
    from ..graph.lookup import resolve_entity, unit_portfolio

    hit = resolve_entity(kg, ref)
    return {"unit": hit.to_dict(), "portfolio": unit_portfolio(kg, hit)}


def dependencies(kg, ref: str, direction: str, depth: int) -> dict:
    from ..graph.deps import dependencies as deps

    return deps(kg, ref, direction, depth).to_dict()


# --------------------------------------------------------------------- exports


def export(kg, fmt: str, **kw) -> dict:
    """One export (graph.export) → its bytes and what they hold."""
    from ..graph.export import export_result

    res = export_result(kg, fmt, **kw)
    return {"data": res.data, "media_type": res.media_type, "extension": res.format.extension,
            "nodes": res.nodes, "edges": res.edges, "title": res.title}
