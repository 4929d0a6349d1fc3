"""Links between documents: ``根据《…》`` → ``pk:references``, ``同时废止《…》`` →
``pk:repeals``, resolved against the documents already in the store.

A document's graph always keeps the words it cites (``pk:referencesTitle``,
``pk:referencesDocNumber``, ``pk:repealsTitle``, ``pk:repealsDocNumber``).
When the cited document is in the store the graph also links its node:
found by 文号 (document IRIs are deterministic from the 文号, see
:mod:`policykg.graph.iris`) or by exact title.  Order of ingest does not
matter: a document ingested later links itself into the graphs that were
waiting for it (:func:`link_waiting_references`).

A notice that names the plan it transmits without reproducing it (转发《…》)
is linked to that plan by title alone, so the link is made only when one
stored document bears the title (two districts' 《数据治理工作方案》 are no
one plan), and it is written into the graph of whichever of the two came
later: the notice's when the plan was stored first, the plan's otherwise.
No graph changes after it was written, and a same-titled document stored
later adds no second plan to the notice.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from ..ingest.model import Document
from ..ontology.namespaces import PK
from . import iris
from .rdfize import Resolver, document_iri_for

_CITES = ((PK.referencesTitle, PK.referencesDocNumber, PK.references),
          (PK.repealsTitle, PK.repealsDocNumber, PK.repeals))


def make_resolver(kg, known: dict[str, str]) -> Resolver:
    """``resolve(title, doc_number)`` → the IRI of that document in ``kg``'s store, or ``None``.

    ``known`` maps the graph IRIs in the store to their content hashes.
    """
    def resolve(title: str | None, doc_number: str | None) -> str | None:
        if doc_number:
            doc = iris.document_iri(doc_number=doc_number, title=None, jurisdiction=None, source="")
            if doc in known:
                if title:  # 《X办法》(X〔2020〕1号): the plan that notice transmits, when it is X
                    plan = iris.plan_iri(doc)
                    res = kg.query(f"ASK {{ {NamedNode(plan)} dcterms:title {Literal(title)} }}")
                    if res.boolean:
                        return plan
                return doc
        if title:
            # a document whose text is in the store (not the stand-in node of a plan a notice only names)
            rows = kg.query(f"SELECT DISTINCT ?d WHERE {{ ?d a pk:PolicyDocument ; dcterms:title {Literal(title)} . "
                            "FILTER(EXISTS { ?d pk:text ?x } || EXISTS { ?d pk:start ?s }) } LIMIT 2").column("d")
            if len(rows) == 1:
                return rows[0]
        return None

    return resolve


def link_waiting_references(kg, graph: str, doc: Document) -> int:
    """Link ``doc`` (just stored in ``graph``) into the other graphs that cite
    it by title or 文号 but could not link it when they were ingested.
    Returns the number of links added."""
    m = doc.meta
    doc_iri = document_iri_for(doc)
    targets_by_title = {}
    if m.title:
        targets_by_title[m.title] = doc_iri
    if m.plan_title and m.plan_span:  # a plan this document reproduces (a plan it only names is no target)
        targets_by_title[m.plan_title] = iris.plan_iri(doc_iri)
    values = []
    for title_p, number_p, _ in _CITES:
        values += [f"(<{title_p}> {Literal(t)})" for t in targets_by_title]
        if m.doc_number:
            values.append(f"(<{number_p}> {Literal(m.doc_number)})")
    if not values:
        return 0
    inserts: set[str] = set()
    rows = kg.query(
        "SELECT ?g ?b ?p ?v WHERE { VALUES (?p ?v) { " + " ".join(values) + " } GRAPH ?g { ?b ?p ?v } "
        f"FILTER(?g != {NamedNode(graph)}) }}").rows
    cited_titles = {(str(r["g"].value), str(r["b"].value), r["v"].value) for r in rows}
    for r in rows:
        g, b, p, v = r["g"].value, r["b"].value, r["p"].value, r["v"].value
        link = next(lp for tp, np_, lp in _CITES if p in (tp, np_))
        if p in (PK.referencesTitle, PK.repealsTitle):
            target = targets_by_title[v]
        elif m.plan_title and (g, b, m.plan_title) in cited_titles:
            continue  # cited by title as the plan this notice transmits: linked to the plan above
        else:
            target = doc_iri
        if target != b:
            inserts.add(f"GRAPH <{g}> {{ <{b}> <{link}> <{target}> }}")
    inserts |= _waiting_transmissions(kg, graph, targets_by_title)
    if inserts:
        kg.backend.update("INSERT DATA { " + " ".join(sorted(inserts)) + " }")
    return len(inserts)


def _waiting_transmissions(kg, graph: str, targets_by_title: dict[str, str]) -> set[str]:
    """Notices stored earlier that name this document as the plan they transmit without reproducing it,
    linked in this document's graph when no other stored document bears the title."""
    if not targets_by_title:
        return set()
    values = " ".join(str(Literal(t)) for t in targets_by_title)
    # the title first: Oxigraph joins in the order written, and every notice has a pk:transmits, so starting
    # there read them all for each document ingested (quadratic in a folder ingest)
    rows = kg.query(
        "SELECT ?g ?d ?t WHERE { VALUES ?t { " + values + " } GRAPH ?g { ?p dcterms:title ?t . ?d pk:transmits ?p . "
        f"FILTER NOT EXISTS {{ ?p pk:start ?s }} }} FILTER(?g != {NamedNode(graph)}) }}").rows
    rows = [r for r in rows if r["d"].value != targets_by_title[r["t"].value]]
    if not rows:
        return set()
    unique = {t for t in {r["t"].value for r in rows} if _documents_titled(kg, t) == 1}
    return {f"GRAPH <{graph}> {{ <{r['d'].value}> <{PK.transmits}> <{targets_by_title[r['t'].value]}> }}"
            for r in rows if r["t"].value in unique}


def _documents_titled(kg, title: str) -> int:
    """How many stored documents (their text or a plan they reproduce) bear ``title`` — at most 2."""
    return len(kg.query(f"SELECT DISTINCT ?d WHERE {{ ?d dcterms:title {Literal(title)} ; a pk:PolicyDocument . "
                        "FILTER(EXISTS { ?d pk:text ?x } || EXISTS { ?d pk:start ?s }) } LIMIT 2").rows)
