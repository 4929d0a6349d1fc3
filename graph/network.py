"""The RDF graph projected to networkx, for traversal and analysis.

Three views of the same store (node ids are IRIs everywhere):

``full``
    a :class:`networkx.MultiDiGraph` of documents, sections, targets and
    entities, with one edge per IRI-valued statement between them (part of,
    stated in, lead/supporting/responsible unit, relies on, focuses on,
    builds, mentions, issuer …).  Mentions (provenance nodes) are left out.
``dependencies``
    a MultiDiGraph whose edges run from the dependent to what it depends
    on, by the rules of :mod:`policykg.graph.deps`.
``co-responsibility``
    an undirected :class:`networkx.Graph` of units; two units are joined
    when they are responsible for the same section, the edge ``weight``
    being how many they share.

Every node carries ``label`` (``rdfs:label``), ``type`` (its most specific
policykg class, e.g. ``Action``) and ``document`` (the IRI of the document
graph it is written in; several, space-separated, for a shared node) plus,
where they exist, ``path``, ``start``, ``full_name``, ``doc_number``,
``deadline``, ``value`` and ``unit``; every edge carries ``label`` (English),
``label_zh`` and ``predicate`` (the IRI).  No attribute is ever ``None``, so
the graphs write to GraphML and GEXF as they are.

>>> from policykg import KnowledgeGraph
>>> with KnowledgeGraph(None) as kg:
...     _ = kg.ingest_text("普陀区示例方案\\n\\n一、重点任务\\n\\n1. 数据归集。推进归集。（责任单位：区科委、区民政局）\\n")
...     g = kg.to_networkx()
...     co = kg.to_networkx(view="co-responsibility")
>>> sorted(d["label"] for _, _, d in g.edges(data=True) if d["predicate"].endswith("responsibleUnit"))
['responsible unit', 'responsible unit']
>>> [(sorted([co.nodes[a]["label"], co.nodes[b]["label"]]), w) for a, b, w in co.edges(data="weight")]
[(['区民政局', '区科委'], 1)]
"""

from __future__ import annotations

import sys
from collections import defaultdict
from functools import lru_cache
from itertools import combinations

import networkx as nx
from pyoxigraph import NamedNode

from ..errors import QueryError
from ..ontology.namespaces import DCTERMS, ORG, PK, RDFS

VIEWS = ("full", "dependencies", "co-responsibility")

# The most specific class wins when a node has several (a section is pk:Section and pk:Action).
TYPE_ORDER = ("PolicyDocument", "Section", "Goal", "Action", "Measure", "Target", "GovernmentBody", "Subdistrict",
              "Enterprise", "University", "ResearchInstitute", "Agent", "Platform", "Park", "Area", "Project",
              "Programme", "Event", "Place", "NamedThing", "Mention")
_SPECIFIC = {"Section": 1, "Goal": 2, "Action": 2, "Measure": 2, "Agent": 1, "NamedThing": 1}
ORGANISATION_TYPES = ("GovernmentBody", "Subdistrict", "Enterprise", "University", "ResearchInstitute", "Agent")
THING_TYPES = ("Platform", "Park", "Area", "Project", "Programme")
ENTITY_TYPES = ORGANISATION_TYPES + THING_TYPES

# Statements the full view projects (IRI-valued, between the things a reader cares about).
FULL_PREDICATES = (DCTERMS.isPartOf, PK.statedIn, PK.responsibleUnit, PK.leadUnit, PK.supportingUnit, PK.reliesOn,
                   PK.focusesOn, PK.builds, PK.mentions, PK.issuer, PK.addressee, PK.copiedTo, PK.transmits,
                   PK.references, PK.repeals, PK.adoptedAt, ORG.subOrganizationOf)

_NO_LIMIT = sys.maxsize


def to_networkx(kg, *, view: str = "full", documents: list[str] | None = None,
                predicates: tuple[str, ...] | None = None):
    """Project the store (or the given document graphs) to networkx; see the module doc for the views."""
    if view == "full":
        return full_graph(kg, documents=documents, predicates=predicates)
    if view == "dependencies":
        from .deps import dependency_graph

        return dependency_graph(kg, documents=documents)
    if view == "co-responsibility":
        return co_responsibility_graph(kg, documents=documents)
    raise QueryError(f"There is no networkx view {view!r}; use one of {', '.join(VIEWS)}.")


# ---------------------------------------------------------------- labels and node attributes


@lru_cache(maxsize=1)
def ontology_labels() -> dict[str, tuple[str, str]]:
    """``{term IRI: (English label, 中文 label)}`` read from the ontology itself."""
    from pyoxigraph import RdfFormat, parse

    from ..ontology import ontology_ttl

    en: dict[str, str] = {}
    zh: dict[str, str] = {}
    for t in parse(ontology_ttl().encode("utf-8"), format=RdfFormat.TURTLE):
        if t.predicate.value == RDFS.label and isinstance(t.subject, NamedNode):
            lang = getattr(t.object, "language", None)
            (zh if lang == "zh" else en)[t.subject.value] = t.object.value
    labels = {iri: (en.get(iri, _local(iri)), zh.get(iri, "")) for iri in set(en) | set(zh)}
    labels.setdefault(DCTERMS.isPartOf, ("part of", "隶属"))
    labels.setdefault(ORG.subOrganizationOf, ("sub-organisation of", "下属机构"))
    return labels


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def most_specific_type(types: set[str]) -> str:
    """``{"Section", "Action"}`` → ``"Action"`` (local names of pk: classes).

    >>> most_specific_type({"Section", "Action"}), most_specific_type({"GovernmentBody", "Agent"})
    ('Action', 'GovernmentBody')
    """
    if not types:
        return "Thing"
    known = [t for t in types if t in TYPE_ORDER]
    if not known:
        return sorted(types)[0]
    return max(known, key=lambda t: (_SPECIFIC.get(t, 3), -TYPE_ORDER.index(t)))


def iri_values(iris) -> str:
    """IRIs as the terms of a SPARQL VALUES block (each checked by pyoxigraph, so nothing else gets in)."""
    return " ".join(str(NamedNode(i)) for i in iris)


_NODE_QUERY = """
SELECT ?n ?g ?type ?label ?path ?start ?full ?docNumber ?deadline ?value ?unit WHERE {
  %s
  GRAPH ?g { ?n a ?type }
  FILTER(STRSTARTS(STR(?type), "https://w3id.org/policykg/ontology#") && ?type != pk:Mention)
  OPTIONAL { GRAPH ?g { ?n rdfs:label ?label } }
  OPTIONAL { GRAPH ?g { ?n pk:path ?path } }
  OPTIONAL { GRAPH ?g { ?n pk:start ?start } }
  OPTIONAL { GRAPH ?g { ?n skos:prefLabel ?full } }
  OPTIONAL { GRAPH ?g { ?n pk:docNumber ?docNumber } }
  OPTIONAL { GRAPH ?g { ?n pk:deadline ?deadline } }
  OPTIONAL { GRAPH ?g { ?n pk:value ?value } }
  OPTIONAL { GRAPH ?g { ?n pk:unit ?unit } }
}
"""


def node_attributes(kg, iris=None, *, documents: list[str] | None = None) -> dict[str, dict]:
    """Attributes of the given nodes (or of every typed node) as networkx wants them."""
    parts = []
    if iris is not None:
        iris = list(iris)
        if not iris:
            return {}
        parts.append(f"VALUES ?n {{ {iri_values(iris)} }}")
    if documents:
        parts.append(f"VALUES ?g {{ {iri_values(documents)} }}")
    res = kg.query(_NODE_QUERY % "\n  ".join(parts), limit=_NO_LIMIT)
    types: dict[str, set[str]] = defaultdict(set)
    graphs: dict[str, set[str]] = defaultdict(set)
    attrs: dict[str, dict] = defaultdict(dict)
    for row in res.values():
        n = row["n"]
        types[n].add(_local(row["type"]))
        graphs[n].add(row["g"])
        a = attrs[n]
        for var, key in (("label", "label"), ("path", "path"), ("full", "full_name"), ("docNumber", "doc_number"),
                         ("deadline", "deadline"), ("value", "value"), ("unit", "unit")):
            if var in row and (key not in a or row[var] < a[key]):
                a[key] = row[var]  # the smallest, so a name written two ways reads the same every time
        if "start" in row:
            a["start"] = int(row["start"])
    out = {}
    for n, a in attrs.items():
        a["type"] = most_specific_type(types[n])
        a["document"] = " ".join(sorted(graphs[n]))
        a["documents"] = len(graphs[n])
        a.setdefault("label", a.get("doc_number") or _local(n))
        out[n] = a
    return out


def display_name(attrs: dict) -> str:
    """How a node reads in a tree or a table: ``2.1.1 智能软件新产能``, ``区科委``, ``普府办〔2022〕16号``.

    >>> display_name({"type": "Action", "path": "2.1.1", "label": "智能软件新产能"})
    '2.1.1 智能软件新产能'
    """
    label = attrs.get("label", "")
    if attrs.get("path"):
        return f"{attrs['path']} {label}".strip()
    if attrs.get("type") == "PolicyDocument" and attrs.get("doc_number"):
        return attrs["doc_number"]
    return label


def short_name(attrs: dict) -> str:
    """The shortest way to refer to a node on a tree line: a section by its path, else its name."""
    if attrs.get("path"):
        return attrs["path"]
    if attrs.get("type") == "Target":
        return "target"
    return display_name(attrs)


def sort_key(iri: str, attrs: dict) -> tuple:
    """Document order: by document, then position in the text, then name."""
    t = attrs.get("type", "")
    rank = TYPE_ORDER.index(t) if t in TYPE_ORDER else len(TYPE_ORDER)
    return (attrs.get("document", ""), attrs.get("start", 1 << 60), rank, attrs.get("label", ""), iri)


# ---------------------------------------------------------------- the full view


def full_graph(kg, *, documents: list[str] | None = None, predicates: tuple[str, ...] | None = None):
    """Documents, sections, targets and entities with the statements between them."""
    preds = tuple(predicates or FULL_PREDICATES)
    labels = ontology_labels()
    where = f"VALUES ?p {{ {iri_values(preds)} }}"
    if documents:
        where += f" VALUES ?g {{ {iri_values(documents)} }}"
    res = kg.query(f"SELECT ?s ?p ?o ?g WHERE {{ {where} GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?o)) }}",
                   limit=_NO_LIMIT)
    rows = res.values()
    # a lead or supporting unit is also a responsible unit; keep the more specific edge only
    specific = {(r["s"], r["o"]) for r in rows if r["p"] in (PK.leadUnit, PK.supportingUnit)}
    g = nx.MultiDiGraph()
    for n, a in node_attributes(kg, documents=documents).items():
        g.add_node(n, **a)
    for r in sorted(rows, key=lambda r: (r["s"], r["p"], r["o"], r["g"])):
        s, p, o = r["s"], r["p"], r["o"]
        if p == PK.responsibleUnit and (s, o) in specific:
            continue
        key = _local(p)
        if g.has_edge(s, o, key):
            continue
        en, zh = labels.get(p, (key, ""))
        for n in (s, o):
            if n not in g:
                g.add_node(n, label=_local(n), type="Thing", document=r["g"], documents=1)
        g.add_edge(s, o, key=key, label=en, label_zh=zh, predicate=p, document=r["g"])
    return g


# ---------------------------------------------------------------- the co-responsibility network


def co_responsibility_graph(kg, *, documents: list[str] | None = None) -> nx.Graph:
    """Units joined by the sections they share; ``weight`` = shared sections, ``sections`` = their IRIs."""
    where = f"VALUES ?g {{ {iri_values(documents)} }}" if documents else ""
    rows = kg.query(f"SELECT ?s ?u WHERE {{ {where} GRAPH ?g {{ ?s pk:responsibleUnit ?u }} }}",
                    limit=_NO_LIMIT).values()
    units_of: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        units_of[r["s"]].add(r["u"])
    g = nx.Graph()
    info = node_attributes(kg, {u for us in units_of.values() for u in us})
    sections_of: dict[str, int] = defaultdict(int)
    for units in units_of.values():
        for u in units:
            sections_of[u] += 1
    for u in sorted(sections_of):
        g.add_node(u, **info.get(u, {"label": _local(u), "type": "Agent"}), sections=sections_of[u])
    for s in sorted(units_of):
        for a, b in combinations(sorted(units_of[s]), 2):
            if g.has_edge(a, b):
                g[a][b]["weight"] += 1
                g[a][b]["sections"] += " " + s
            else:
                g.add_edge(a, b, weight=1, sections=s, label="co-responsible", label_zh="共同责任")
    return g


def unit_reach(kg, *, top: int | None = 10, documents: list[str] | None = None) -> list[dict]:
    """Units ranked by their reach in the co-responsibility network.

    ``degree`` is the number of other units a unit shares work with,
    ``betweenness`` how often it lies on the shortest path between two others
    (normalised, 0–1): the units that hold the network together.
    """
    g = co_responsibility_graph(kg, documents=documents)
    if not g:
        return []
    between = nx.betweenness_centrality(g, normalized=True)
    rows = [{"iri": u, "label": a.get("label", ""), "full_name": a.get("full_name", ""), "sections": a["sections"],
             "degree": g.degree(u), "shared": g.degree(u, weight="weight"), "betweenness": round(between[u], 4)}
            for u, a in g.nodes(data=True)]
    rows.sort(key=lambda r: (-r["betweenness"], -r["degree"], -r["sections"], r["label"], r["iri"]))
    return rows[:top] if top else rows


_COUNTS = """
SELECT ?what (COUNT(DISTINCT ?x) AS ?n) WHERE {
  { GRAPH ?x { ?x pk:sha256 ?h } BIND("documents" AS ?what) }
  UNION { ?x a pk:Section BIND("sections" AS ?what) }
  UNION { ?x a pk:Action BIND("actions" AS ?what) }
  UNION { ?x a pk:Target BIND("targets" AS ?what) }
  UNION { ?s pk:responsibleUnit ?x BIND("units" AS ?what) }
  UNION { ?x a ?c VALUES ?c { org:Organization pk:Platform pk:Park pk:Area pk:Project pk:Programme }
          BIND("entities" AS ?what) }
}
GROUP BY ?what
"""


def summary(kg, *, top: int = 10, orphans: int = 10) -> dict:
    """What ``policykg stats`` prints: counts, the units with the widest reach, orphan targets."""
    counts = {k: 0 for k in ("documents", "sections", "actions", "targets", "units", "entities")}
    for r in kg.query(_COUNTS).values():
        counts[r["what"]] = int(r["n"])
    orphan_rows = kg.run_named("targets-without-owner", limit=_NO_LIMIT).values()
    return {
        "counts": counts,
        "reach": unit_reach(kg, top=top),
        "orphan_targets": {"count": len(orphan_rows), "examples": orphan_rows[:orphans]},
    }


__all__ = ["VIEWS", "to_networkx", "full_graph", "co_responsibility_graph", "unit_reach", "summary",
           "node_attributes", "display_name", "short_name", "sort_key", "most_specific_type", "ontology_labels",
           "ENTITY_TYPES", "ORGANISATION_TYPES", "THING_TYPES"]
