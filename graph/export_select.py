"""Which part of the graph an export shows.

A :class:`Selection` names the whole graph, one document (``document``: an
IRI, a 文号 or a title), one unit's portfolio (``unit``), or an entity's
neighbourhood (``entity`` with ``depth``), optionally filtered by node types
(``types``: ``Action``, ``GovernmentBody`` …; ``Section`` also keeps goals,
actions and measures, ``Organization`` every kind of organisation).
:func:`select` turns it into the networkx projection of
:mod:`policykg.graph.network` restricted to the chosen nodes, so every
export format draws the same nodes and edges.

>>> from policykg import KnowledgeGraph
>>> with KnowledgeGraph(None) as kg:
...     _ = kg.ingest_text("普陀区示例方案\\n\\n一、重点任务\\n\\n1. 数据归集。推进归集。（责任单位：区科委、区民政局）\\n"
...                        "2. 平台建设。建设平台。（责任单位：区民政局）\\n")
...     g = select(kg, Selection(unit="区科委"))
...     n = select(kg, Selection(entity="区民政局", depth=1, types=("Action",)))
>>> sorted(a["label"] for _, a in g.nodes(data=True) if a["type"] in ("Action", "GovernmentBody"))
['区民政局', '区科委', '数据归集']
>>> sorted(a["label"] for _, a in n.nodes(data=True))
['平台建设', '数据归集']
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
from pyoxigraph import NamedNode

from ..errors import Ambiguous, ExportError, NotFound
from .network import FULL_PREDICATES, ORGANISATION_TYPES, TYPE_ORDER, display_name, full_graph, iri_values

_NO_LIMIT = sys.maxsize
_CHUNK = 2000  # IRIs per VALUES block

# A filter type also keeps its subtypes.
SUBTYPES = {
    "Section": ("Section", "Goal", "Action", "Measure"),
    "Organization": ORGANISATION_TYPES,
    "Thing": ("Thing", "NamedThing"),
}
KNOWN_TYPES = tuple(dict.fromkeys((*TYPE_ORDER, *SUBTYPES, "Thing")))
"""Node types an export can be filtered by (local names of the policykg classes)."""

PORTFOLIO_DEPTH = 4
"""Ownership steps from a unit to what it owns (unit ← action ← sub-item ← target / built thing)."""


@dataclass(frozen=True)
class Selection:
    """What to export; all ``None`` (the default) is the whole graph."""

    document: str | None = None
    unit: str | None = None
    entity: str | None = None
    depth: int = 1
    types: tuple[str, ...] | None = None

    @classmethod
    def of(cls, document=None, unit=None, entity=None, depth=None, types=None) -> "Selection":
        """Check and normalise the options as a user gives them (``types`` may be ``"Action,Target"``)."""
        if unit and entity:
            raise ExportError("Give either --unit (a unit's portfolio) or --entity (a neighbourhood), not both.")
        if depth is not None and not entity:
            raise ExportError("--depth goes with --entity (the neighbourhood of one entity).")
        depth = 1 if depth is None else depth
        if not isinstance(depth, int) or isinstance(depth, bool) or not 1 <= depth <= 10:
            raise ExportError(f"The depth must be a whole number from 1 to 10, not {depth!r}.")
        return cls(document=document or None, unit=unit or None, entity=entity or None, depth=depth,
                   types=parse_types(types))

    @property
    def whole(self) -> bool:
        return not (self.document or self.unit or self.entity or self.types)

    def describe(self) -> str:
        """A short English title: ``the neighbourhood of 区科委 (depth 2) · Action, Target``."""
        parts = []
        if self.unit:
            parts.append(f"the portfolio of {self.unit}")
        elif self.entity:
            parts.append(f"the neighbourhood of {self.entity} (depth {self.depth})")
        if self.document:
            parts.append(f"in {self.document}")
        if self.types:
            parts.append("· " + ", ".join(self.types))
        return " ".join(parts) or "the whole graph"


def parse_types(types: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """``"Action, GovernmentBody"`` or a list → a checked tuple (``None`` = every type).

    >>> parse_types("Action, governmentbody")
    ('Action', 'GovernmentBody')
    """
    if types is None:
        return None
    items = types.split(",") if isinstance(types, str) else list(types)
    by_lower = {t.lower(): t for t in KNOWN_TYPES}
    out = []
    for t in (str(x).strip() for x in items):
        if not t:
            continue
        name = by_lower.get(t.removeprefix("pk:").lower())
        if name is None:
            raise ExportError(f"There is no node type {t!r}; use one or more of {', '.join(KNOWN_TYPES)}.")
        out.append(name)
    return tuple(dict.fromkeys(out)) or None


def type_matches(node_type: str, types: tuple[str, ...] | None) -> bool:
    """Whether a node of ``node_type`` passes the ``types`` filter (a filter type keeps its subtypes)."""
    return types is None or any(node_type in SUBTYPES.get(t, (t,)) for t in types)


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


# ---------------------------------------------------------------- documents


_DOC_BY_IRI = "SELECT DISTINCT ?g ?d WHERE { GRAPH ?g { ?d a pk:PolicyDocument } }"
_DOC_BY_NAME = """
SELECT DISTINCT ?g ?ref WHERE {
  GRAPH ?g { ?d a pk:PolicyDocument ; pk:docNumber|dcterms:title|rdfs:label|pk:sourceFile ?ref }
}"""


def resolve_document(kg, ref: str) -> str:
    """The graph IRI of the document named by ``ref``: its IRI, 文号, title or file name.

    A plan that a notice transmits lives in the notice's graph, so naming the
    plan exports the notice's graph.
    """
    ref = (ref or "").strip()
    if ref in kg.documents():
        return ref
    graphs: list[str] = []
    if ref.startswith(("http://", "https://")):
        graphs = [r["g"] for r in kg.query(_DOC_BY_IRI, params={"d": NamedNode(ref)}).values()]
    else:
        from ..ingest.normalise import fold

        for name in dict.fromkeys((ref, fold(ref))):
            graphs = [r["g"] for r in kg.query(_DOC_BY_NAME, params={"ref": name}).values()]
            if graphs:
                break
    if not graphs:
        raise NotFound(f"There is no document {ref!r} in the store; name it by its IRI, its 文号 or its title "
                       f"(`policykg query --name documents` lists them).")
    if len(graphs) > 1:
        raise Ambiguous(f"{ref!r} names {len(graphs)} documents; name one by its IRI.",
                        candidates=[{"iri": g} for g in sorted(graphs)])
    return graphs[0]


# ---------------------------------------------------------------- node sets


def _neighbours(kg, frontier: list[str], documents: list[str] | None) -> set[str]:
    """Nodes one projected edge (either direction) away from ``frontier``."""
    preds = iri_values(FULL_PREDICATES)
    scope = f"VALUES ?g {{ {iri_values(documents)} }} " if documents else ""
    out: set[str] = set()
    for chunk in _chunks(frontier):
        values = f"VALUES ?x {{ {iri_values(chunk)} }} VALUES ?p {{ {preds} }} {scope}"
        sparql = (f"SELECT DISTINCT ?n WHERE {{ {{ {values} GRAPH ?g {{ ?x ?p ?n }} }} "
                  f"UNION {{ {values} GRAPH ?g {{ ?n ?p ?x }} }} FILTER(isIRI(?n)) }}")
        out.update(r["n"] for r in kg.query(sparql, limit=_NO_LIMIT).values())
    return out


def neighbourhood(kg, root: str, depth: int, documents: list[str] | None = None) -> set[str]:
    """``root`` and every node within ``depth`` projected edges of it (edges followed both ways)."""
    seen = {root}
    frontier = [root]
    for _ in range(depth):
        new = _neighbours(kg, frontier, documents) - seen
        if not new:
            break
        seen |= new
        frontier = sorted(new)
    return seen


def owned_by(kg, unit: str) -> set[str]:
    """What a unit owns: its actions and sections, their sub-items, targets and built things
    (the ownership rules of :mod:`policykg.graph.deps`)."""
    from .deps import OWNERSHIP_RULES, dependencies

    deps = dependencies(kg, unit, "down", PORTFOLIO_DEPTH, rules=OWNERSHIP_RULES)
    return {p.node for p in deps.paths}


def portfolio(kg, unit: str) -> set[str]:
    """A unit, what it owns (:func:`owned_by`), the sections and documents those sit in, and the
    other units that share them."""
    owned = {unit} | owned_by(kg, unit)
    context: set[str] = set()
    for chunk in _chunks(sorted(owned)):
        values = f"VALUES ?s {{ {iri_values(chunk)} }}"
        rows = kg.query(f"SELECT DISTINCT ?n WHERE {{ {{ {values} ?s dcterms:isPartOf+ ?n }} "
                        f"UNION {{ {values} ?s pk:responsibleUnit ?n }} }}", limit=_NO_LIMIT).values()
        context.update(r["n"] for r in rows)
    return owned | context


def documents_of(kg, nodes: Iterable[str]) -> list[str]:
    """The document graphs that say anything about ``nodes``."""
    graphs: set[str] = set()
    for chunk in _chunks(sorted(nodes)):
        rows = kg.query(f"SELECT DISTINCT ?g WHERE {{ VALUES ?n {{ {iri_values(chunk)} }} GRAPH ?g {{ ?n ?p ?o }} }}",
                        limit=_NO_LIMIT).values()
        graphs.update(r["g"] for r in rows)
    return sorted(graphs)


def count_nodes(kg, documents: list[str] | None = None) -> int:
    """How many nodes the projection of ``documents`` (default: all) has, counted in the store."""
    scope = f"VALUES ?g {{ {iri_values(documents)} }}" if documents else ""
    rows = kg.query(f"SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {{ {scope} GRAPH ?g {{ ?n a ?t }} "
                    f"FILTER(STRSTARTS(STR(?t), STR(pk:)) && ?t != pk:Mention) }}").values()
    return int(rows[0]["c"]) if rows else 0


# ---------------------------------------------------------------- the selected graph


def select(kg, sel: Selection | None = None, *, max_nodes: int | None = None,
           too_big: str = "") -> nx.MultiDiGraph:
    """The projection (:func:`policykg.graph.network.full_graph`) restricted to ``sel``.

    ``max_nodes`` refuses, with :class:`ExportError` and the hint
    ``too_big``, a selection with more nodes — checked before the graph
    is built whenever the store can count it.
    """
    from .lookup import resolve_entity

    sel = sel or Selection()
    documents = [resolve_document(kg, sel.document)] if sel.document else None
    nodes: set[str] | None = None
    title = ""
    extra: dict[str, object] = {}
    if sel.unit:
        hit = resolve_entity(kg, sel.unit, types=ORGANISATION_TYPES)
        nodes, title = portfolio(kg, hit.iri), f"portfolio of {hit.label}"
        extra["owned"] = sorted(owned_by(kg, hit.iri))  # the rows of the unit's 任务分工表
    elif sel.entity:
        hit = resolve_entity(kg, sel.entity)
        nodes = neighbourhood(kg, hit.iri, sel.depth, documents)
        title = f"neighbourhood of {hit.label} (depth {sel.depth})"
    if max_nodes is not None and sel.types is None:
        n = len(nodes) if nodes is not None else count_nodes(kg, documents)
        _check_size(n, max_nodes, too_big)
    if nodes is not None:
        scope = documents_of(kg, nodes)
        if documents:
            scope = [d for d in scope if d in documents]
        g = full_graph(kg, documents=scope) if scope else nx.MultiDiGraph()
        g = g.subgraph(n for n in g if n in nodes).copy()
    else:
        g = full_graph(kg, documents=documents)
    if sel.types:
        g = g.subgraph(n for n, a in g.nodes(data=True) if type_matches(a.get("type", ""), sel.types)).copy()
    if max_nodes is not None:
        _check_size(g.number_of_nodes(), max_nodes, too_big)
    if not title:
        title = _title(g, documents or kg.documents())
    g.graph.update(title=title, selection=sel.describe(), documents=documents or [], **extra)
    return g


def _title(g: nx.MultiDiGraph, graphs: list[str]) -> str:
    """One document: its 文号 and title; several: how many."""
    if len(graphs) != 1:
        return f"policykg · {len(graphs):,} documents"
    doc = g.nodes.get(graphs[0]) or {}
    number, label = doc.get("doc_number", ""), doc.get("label", "")
    return f"{number} {label}".strip() or display_name(doc) or graphs[0]


def _check_size(n: int, max_nodes: int, hint: str) -> None:
    if n > max_nodes:
        raise ExportError(f"The selection has {n:,} nodes, more than {max_nodes:,}; {hint}".rstrip("; ") + ".")


__all__ = ["Selection", "KNOWN_TYPES", "SUBTYPES", "select", "parse_types", "type_matches", "resolve_document",
           "neighbourhood", "portfolio", "owned_by", "documents_of", "count_nodes"]
