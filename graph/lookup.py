"""Finding things by name, and what the store says about them.

The functions the CLI and the HTTP API share: :func:`search_entities`
(Chinese substring, then jieba tokens), :func:`resolve_entity` (a name as
written, a full name, an alias, an IRI or a search term → exactly one node,
or :class:`~policykg.errors.Ambiguous` with the candidates),
:func:`entity_card`, :func:`owners_of` and :func:`unit_portfolio`.
Every function takes the :class:`~policykg.graph.kg.KnowledgeGraph` first;
search values are bound as query parameters, never pasted into SPARQL.

>>> from policykg import KnowledgeGraph
>>> with KnowledgeGraph(None) as kg:
...     _ = kg.ingest_text("上海市普陀区示例方案\\n\\n一、重点任务\\n\\n1. 数据归集。推进归集。（责任单位：区科委）\\n")
...     hit = resolve_entity(kg, "科学技术委员会")
...     owners = owners_of(kg, hit.iri)
>>> hit.label, hit.full_name, hit.match
('区科委', '上海市普陀区科学技术委员会', 'substring')
>>> owners
[]
"""

from __future__ import annotations

import re
import sys
from dataclasses import asdict, dataclass, field

from pyoxigraph import NamedNode

from ..errors import Ambiguous, NotFound, QueryError
from .network import ENTITY_TYPES, FULL_PREDICATES, display_name, node_attributes, ontology_labels, sort_key

OTHER_TYPES = ("Section", "Goal", "Action", "Measure", "Target", "PolicyDocument")
"""Types :func:`resolve_entity` falls back to (exact names only) when no entity matches."""

_NAME_PROPS = "rdfs:label|skos:prefLabel|skos:altLabel|pk:docNumber|dcterms:title"
_IRI = re.compile(r"^(?:https?|urn|file|tag):[^\s<>\"{}|^`\\]+$")
_NO_LIMIT = sys.maxsize
_J = "\0jurisdiction:"  # key prefix for jurisdictions in the name maps
_MATCH_RANK = {"iri": 0, "exact": 1, "prefix": 2, "substring": 3, "tokens": 4}


@dataclass
class EntityHit:
    """One node a search found, with how its best name matched."""

    iri: str
    label: str
    type: str
    match: str  # iri | exact | prefix | substring | tokens
    matched_name: str = ""
    full_name: str = ""
    jurisdiction: str = ""
    documents: int = 0
    names: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    def describe(self) -> str:
        """One line for a list of candidates: ``区科委 (GovernmentBody · 上海市普陀区科学技术委员会 · 2 documents)``."""
        extra = [self.type]
        if self.full_name and self.full_name != self.label:
            extra.append(self.full_name)
        elif self.jurisdiction:
            extra.append(self.jurisdiction)
        extra.append(f"{self.documents} document{'s' if self.documents != 1 else ''}")
        return f"{self.label} ({' · '.join(extra)})  <{self.iri}>"


def _check_types(types) -> tuple[str, ...]:
    types = tuple(types or ENTITY_TYPES)
    allowed = set(ENTITY_TYPES) | set(OTHER_TYPES) | {"Place", "Event", "Goal", "Action", "Measure"}
    bad = [t for t in types if t not in allowed]
    if bad:
        raise QueryError(f"Unknown entity type {bad[0]!r}; use one of {', '.join(sorted(allowed))}.")
    return types


def _tokens(text: str) -> list[str]:
    """Search tokens: words split by spaces, else jieba's words (loaded on first use)."""
    words = text.split()
    if len(words) > 1:
        return words
    import jieba

    jieba.setLogLevel(60)
    toks = [t for t in jieba.cut(text) if t.strip()]
    return toks if len(toks) > 1 else []


_EXACT = ("SELECT ?e ?q WHERE { { ?e rdfs:label ?q } UNION { ?e skos:prefLabel ?q } UNION { ?e skos:altLabel ?q } "
          "UNION { ?e pk:docNumber ?q } UNION { ?e dcterms:title ?q } }")


def _of_types(kg, found: dict[str, set[str]], types) -> dict[str, set[str]]:
    """Keep the nodes whose most specific type is one of ``types``."""
    info = node_attributes(kg, list(found))
    return {e: names for e, names in found.items() if info.get(e, {}).get("type") in types}


def _exact(kg, text: str, types) -> dict[str, set[str]]:
    """Nodes with a name exactly ``text`` (one index lookup per name property)."""
    rows = kg.query(_EXACT, params={"q": text}, limit=_NO_LIMIT).values()
    return _of_types(kg, {r["e"]: {text} for r in rows}, types)


def _candidates(kg, needles: list[str], types) -> dict[str, set[str]]:
    """``{node IRI: its names}`` for nodes of ``types`` with a name containing any needle (a scan)."""
    vars_ = [f"q{i}" for i in range(len(needles))]
    cond = " || ".join(f"CONTAINS(?name, ?{v})" for v in vars_)
    sparql = (f"SELECT DISTINCT ?e ?name {' '.join('?' + v for v in vars_)} WHERE {{ "
              f"?e {_NAME_PROPS} ?name . FILTER({cond}) }}")
    out: dict[str, set[str]] = {}
    for r in kg.query(sparql, params=dict(zip(vars_, needles)), limit=_NO_LIMIT).values():
        out.setdefault(r["e"], set()).add(r["name"])
    return _of_types(kg, out, types)


def _all_names(kg, iris) -> dict[str, set[str]]:
    """Every name of the nodes, and their jurisdictions (under the node IRI prefixed with ``_J``).

    Read inside each document graph: the union default graph would repeat a
    shared node's names once per document, and pair every repeat with every
    other (a product that grows with the square of the corpus).
    """
    from .network import iri_values

    out: dict[str, set[str]] = {}
    if not iris:
        return out
    values = f"VALUES ?e {{ {iri_values(iris)} }}"
    for r in kg.query(f"SELECT DISTINCT ?e ?name WHERE {{ {values} GRAPH ?g {{ ?e {_NAME_PROPS} ?name }} }}",
                      limit=_NO_LIMIT).values():
        out.setdefault(r["e"], set()).add(r["name"])
    for r in kg.query(f"SELECT DISTINCT ?e ?j WHERE {{ {values} GRAPH ?g {{ ?e pk:jurisdiction ?p . ?p rdfs:label ?j }} }}",
                      limit=_NO_LIMIT).values():
        out.setdefault(_J + r["e"], set()).add(r["j"])
    return out


def search_entities(kg, text: str, types=None, limit: int = 20, *, exact_only: bool = False) -> list[EntityHit]:
    """Entities whose names match ``text``, best first.

    Exact names come first, then names that start with ``text``, then names
    that contain it; when nothing contains it, the jieba words of ``text``
    (or its space-separated words) must all occur among one entity's names.
    ``types`` restricts the classes (local names such as ``GovernmentBody``,
    ``Platform``; default: organisations, platforms, parks, areas, projects,
    programmes).  ``exact_only`` skips the partial matches, which need a scan
    of every name in the store; exact names are index lookups.
    """
    q = (text or "").strip()
    if not q:
        raise QueryError("The search text is empty.")
    types = _check_types(types)
    found = _candidates(kg, [q], types) if not exact_only else _exact(kg, q, types)
    token_match: set[str] = set()
    if not found and not exact_only:
        toks = _tokens(q)
        if toks:
            loose = _candidates(kg, toks, types)
            names = _all_names(kg, list(loose))
            for e in loose:
                joined = names.get(e, set()) | loose[e]
                if all(any(t in n for n in joined) for t in toks):
                    found[e] = joined
                    token_match.add(e)
    if not found:
        return []
    info = node_attributes(kg, list(found))
    names = _all_names(kg, list(found))
    hits = []
    for e, matched in found.items():
        a = info.get(e, {"label": e, "type": "Thing"})
        if e in token_match:
            kind, best = "tokens", min(matched, key=len)
        else:
            ranked = sorted(matched, key=lambda n: (0 if n == q else 1 if n.startswith(q) else 2, len(n), n))
            best = ranked[0]
            kind = "exact" if best == q else "prefix" if best.startswith(q) else "substring"
        hits.append(EntityHit(iri=e, label=a.get("label", ""), type=a.get("type", ""), match=kind, matched_name=best,
                              full_name=a.get("full_name", ""),
                              jurisdiction=min(names.get(_J + e, {""})), documents=a.get("documents", 0),
                              names=sorted(names.get(e, matched))))
    hits.sort(key=lambda h: (_MATCH_RANK[h.match], len(h.matched_name), -h.documents, h.label, h.iri))
    return hits[:limit] if limit else hits


def resolve_entity(kg, ref: str, types=None) -> EntityHit:
    """Exactly one node for ``ref``: an IRI, a name as written, a full name, an alias or a search term.

    Raises :class:`NotFound` when nothing matches and :class:`Ambiguous`
    (with ``candidates``, best first) when several things do: several
    exact names (区科委 in two districts), or no exact name and several
    partial matches.  Sections, targets and documents are found by their
    exact title or 文号 when no entity matches.
    """
    if isinstance(ref, EntityHit):
        return ref
    ref = (ref or "").strip()
    if not ref:
        raise QueryError("Name an entity: a name as written, a full name, an IRI or a search term.")
    if _IRI.match(ref):
        rows = kg.query("SELECT ?e WHERE { { ?e ?p ?o } UNION { ?s ?p ?e } } LIMIT 1",
                        params={"e": NamedNode(ref)}).values()
        if not rows:
            raise NotFound(f"There is nothing with the IRI <{ref}> in the store.")
        a = node_attributes(kg, [ref]).get(ref, {})
        return EntityHit(iri=ref, label=a.get("label", ref), type=a.get("type", "Thing"), match="iri",
                         full_name=a.get("full_name", ""), documents=a.get("documents", 0))
    # an exact name is an index lookup; only a partial name needs the scan
    hits = search_entities(kg, ref, types=types, limit=0, exact_only=True) or \
        search_entities(kg, ref, types=types, limit=0)
    if not hits and types is None:
        hits = search_entities(kg, ref, types=OTHER_TYPES, limit=0, exact_only=True)
    exact = [h for h in hits if h.match == "exact"]
    if len(exact) == 1:
        return exact[0]
    pool = exact or hits
    if len(pool) == 1:
        return pool[0]
    if not pool:
        raise NotFound(f"Nothing in the store is called {ref!r} or has it in its name; try part of the name, "
                       f"the full name or the IRI.")
    raise Ambiguous(f"{ref!r} matches {len(pool)} {'things' if len(pool) > 1 else 'thing'}; "
                    f"name one by its IRI or a fuller name.", candidates=[h.to_dict() for h in pool[:20]])


# ---------------------------------------------------------------- what the store says about one node


def entity_card(kg, entity) -> dict:
    """Everything about one node: names, type, jurisdiction, documents, mentions and its links both ways."""
    hit = resolve_entity(kg, entity)
    e = hit.iri
    a = node_attributes(kg, [e]).get(e, {})
    names = _all_names(kg, [e])
    labels = ontology_labels()
    pred_values = " ".join(str(NamedNode(p)) for p in FULL_PREDICATES)
    out_rows = kg.query(f"SELECT ?e ?p ?o ?g WHERE {{ VALUES ?p {{ {pred_values} }} GRAPH ?g {{ ?e ?p ?o }} "
                        f"FILTER(isIRI(?o)) }}", params={"e": NamedNode(e)}, limit=_NO_LIMIT).values()
    in_rows = kg.query(f"SELECT ?e ?p ?s ?g WHERE {{ VALUES ?p {{ {pred_values} }} GRAPH ?g {{ ?s ?p ?e }} }}",
                       params={"e": NamedNode(e)}, limit=_NO_LIMIT).values()
    mentions = kg.query("SELECT ?e (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m pk:mentionOf ?e } GROUP BY ?e",
                        params={"e": NamedNode(e)}).values()
    docs = kg.query("SELECT ?e ?g ?docNumber ?title WHERE { GRAPH ?g { ?e ?p ?o } "
                    "OPTIONAL { ?g pk:docNumber ?docNumber } OPTIONAL { ?g dcterms:title ?title } }",
                    params={"e": NamedNode(e)}, limit=_NO_LIMIT).values()
    others = node_attributes(kg, {r["o"] for r in out_rows} | {r["s"] for r in in_rows})

    def link(p: str, other: str, doc: str) -> dict:
        en, zh = labels.get(p, (p, ""))
        o = others.get(other, {})
        return {"predicate": p, "label": en, "label_zh": zh, "iri": other, "name": display_name(o) or other,
                "type": o.get("type", ""), "document": doc}

    def links(rows, end):
        seen, out = set(), []
        for r in sorted(rows, key=lambda r: (r["p"], sort_key(r[end], others.get(r[end], {})))):
            if (r["p"], r[end]) not in seen:
                seen.add((r["p"], r[end]))
                out.append(link(r["p"], r[end], r["g"]))
        return out

    documents = {}
    for r in docs:
        documents.setdefault(r["g"], {"iri": r["g"], "doc_number": r.get("docNumber", ""),
                                      "title": r.get("title", "")})
    return {
        "iri": e,
        "label": a.get("label", hit.label),
        "type": a.get("type", hit.type),
        "full_name": a.get("full_name", ""),
        "names": sorted(names.get(e, set())),
        "jurisdiction": min(names.get(_J + e, {""})),
        "documents": [documents[k] for k in sorted(documents)],
        "mentions": int(mentions[0]["n"]) if mentions else 0,
        "outgoing": links(out_rows, "o"),
        "incoming": links(in_rows, "s"),
    }


def owners_of(kg, entity, depth: int = 4) -> list[dict]:
    """The units that own a node, each with the path that makes it an owner.

    A target is owned by the units of the section it is stated in, an
    action by its responsible units (and by its parent's lead unit), a
    built thing by the units of the action that builds it — the ownership
    edges of :mod:`policykg.graph.deps` (every rule but *relies on*).
    """
    from .deps import OWNERSHIP_RULES, dependencies

    hit = resolve_entity(kg, entity)
    deps = dependencies(kg, hit, "up", depth, rules=OWNERSHIP_RULES)
    out = []
    for p in deps.paths:
        a = deps.nodes.get(p.node, {})
        if p.steps[-1].rule not in ("leadUnit", "supportingUnit", "responsibleUnit"):
            continue
        role = {"leadUnit": "lead", "supportingUnit": "support"}.get(p.steps[-1].rule, "responsible")
        out.append({"iri": p.node, "label": a.get("label", ""), "full_name": a.get("full_name", ""),
                    "type": a.get("type", ""), "role": role, "via": p.nodes[-2], "depth": p.depth,
                    "explanation": deps.explain(p)})
    return out


def unit_portfolio(kg, unit) -> list[dict]:
    """Everything one unit owns (the ``unit-portfolio`` named query, bound to the unit's IRI)."""
    hit = resolve_entity(kg, unit)
    return kg.run_named("unit-portfolio", {"unitIri": hit.iri}, limit=_NO_LIMIT).values()


__all__ = ["EntityHit", "OTHER_TYPES", "search_entities", "resolve_entity", "entity_card", "owners_of",
           "unit_portfolio"]
