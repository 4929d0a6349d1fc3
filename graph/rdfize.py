"""Step *graph*: a parsed :class:`~policykg.ingest.Document` → quads.

All quads go into one named graph per document whose IRI is the document's
IRI.  A notice that transmits a plan gives two document nodes (the notice,
which holds ``pk:text``, and the plan), both in the notice's graph.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from pyoxigraph import Literal, NamedNode, Quad

from ..ingest.docmeta import doc_type
from ..ingest.model import Document, Entity
from ..ingest.units import resolve_unit
from ..ontology.namespaces import DCTERMS, ELI, ORG, PK, PROV, RDF, RDFS, SKOS, XSD
from . import iris

_XSD_DATE = NamedNode(XSD.date)
_XSD_INT = NamedNode(XSD.integer)
_XSD_DEC = NamedNode(XSD.decimal)
_XSD_BOOL = NamedNode(XSD.boolean)

# (title, 文号) → the IRI of that document in the store, or None
Resolver = Callable[[str | None, str | None], str | None]

_ORG_TYPES = {"GovernmentBody", "Subdistrict", "Enterprise", "University", "ResearchInstitute"}
ENTITY_TYPES = _ORG_TYPES | {"Platform", "Park", "Area", "Project", "Programme", "Place", "Event"}

_N = {}


def N(iri: str) -> NamedNode:
    """Interned NamedNode (vocabulary terms repeat a lot)."""
    node = _N.get(iri)
    if node is None:
        node = _N[iri] = NamedNode(iri)
    return node


def S(value: str) -> Literal:
    return Literal(value)


def _int(v: int) -> Literal:
    return Literal(str(int(v)), datatype=_XSD_INT)


def _dec(v: Decimal) -> Literal:
    t = format(v.normalize(), "f") if isinstance(v, Decimal) else str(v)
    if "." not in t:
        t += ".0"
    return Literal(t, datatype=_XSD_DEC)


def _date(v: str) -> Literal:
    return Literal(v, datatype=_XSD_DATE)


def _bool(v: bool) -> Literal:
    return Literal("true" if v else "false", datatype=_XSD_BOOL)


class _Writer:
    def __init__(self, graph: str) -> None:
        self.g = N(graph)
        self.quads: list[Quad] = []
        self._seen: set[tuple] = set()

    def add(self, s: str | NamedNode, p: str, o) -> None:
        sn = s if isinstance(s, NamedNode) else N(s)
        key = (sn.value, p, o.value if isinstance(o, NamedNode) else str(o))
        if key in self._seen:
            return
        self._seen.add(key)
        self.quads.append(Quad(sn, N(p), o if not isinstance(o, str) else N(o), self.g))


def document_iri_for(doc: Document) -> str:
    m = doc.meta
    return iris.document_iri(doc_number=m.doc_number, title=m.title, jurisdiction=m.jurisdiction, source=doc.source)


def entity_node_iri(ent: Entity) -> str:
    if ent.type in _ORG_TYPES:
        return iris.unit_iri(ent.key)
    if ent.type == "Place":
        return iris.place_iri(ent.canonical_name or ent.key)
    if ent.jurisdiction and ent.key == f"{ent.jurisdiction}/{ent.name}":
        return iris.entity_iri(ent.name, scope=ent.jurisdiction)  # a descriptive name, local to its jurisdiction
    return iris.entity_iri(ent.key)


def document_to_quads(doc: Document, resolve: Resolver | None = None) -> tuple[str, list[Quad]]:
    """The document's graph IRI and every quad of its named graph.

    ``resolve(title, doc_number)`` returns the IRI of a document already in
    the store (or ``None``); references and repeals it resolves become links,
    the others stay title literals.
    """
    doc_iri = document_iri_for(doc)
    w = _Writer(doc_iri)
    m = doc.meta
    text_len = len(doc.text)

    # ---- the document (and the plan it transmits)
    w.add(doc_iri, RDF.type, N(PK.PolicyDocument))
    w.add(doc_iri, RDF.type, N(ELI.LegalResource))
    if m.title:
        w.add(doc_iri, DCTERMS.title, S(m.title))
        w.add(doc_iri, RDFS.label, S(m.title))
    else:
        w.add(doc_iri, RDFS.label, S(doc.source.replace("\\", "/").rsplit("/", 1)[-1]))
    if m.doc_number:
        w.add(doc_iri, PK.docNumber, S(m.doc_number))
    if m.doc_type:
        w.add(doc_iri, PK.docType, S(m.doc_type))
    if m.issued:
        w.add(doc_iri, DCTERMS.issued, _date(m.issued))
    if m.published:
        w.add(doc_iri, PK.published, _date(m.published))
    if m.effective:
        w.add(doc_iri, PK.effective, _date(m.effective))
    if m.validity:
        w.add(doc_iri, PK.validity, S(m.validity))
    if m.valid_until:
        w.add(doc_iri, PK.validUntil, _date(m.valid_until))
    if m.index_number:
        w.add(doc_iri, PK.indexNumber, S(m.index_number))
    if m.category:
        w.add(doc_iri, PK.category, S(m.category))
    for title in m.attachments:
        w.add(doc_iri, PK.attachmentTitle, S(title))
    w.add(doc_iri, PK.text, S(doc.text))
    w.add(doc_iri, PK.sha256, S(doc.sha256))
    w.add(doc_iri, PK.sourceFile, S(doc.source.replace("\\", "/").rsplit("/", 1)[-1]))
    w.add(doc_iri, PK.sourceFormat, S(doc.format))
    if doc.encoding:
        w.add(doc_iri, PK.sourceEncoding, S(doc.encoding))
    if m.level:
        w.add(doc_iri, PK.governmentLevel, S(m.level))
    if m.jurisdiction:
        place = iris.place_iri(m.jurisdiction)
        w.add(doc_iri, PK.jurisdiction, N(place))
        w.add(place, RDF.type, N(PK.Place))
        w.add(place, RDFS.label, S(m.jurisdiction))
    issuer_iris = []
    for name in m.issuers or ([m.issuer] if m.issuer else []):  # joint issuers: one pk:issuer each
        issuer = resolve_unit(name, m.jurisdiction)
        issuer_iris.append(_write_entity(w, doc, issuer, extra_names=[name]))
        w.add(doc_iri, PK.issuer, N(issuer_iris[-1]))
    for a in m.addressees:
        ent = resolve_unit(a, m.jurisdiction)
        w.add(doc_iri, PK.addressee, N(_write_entity(w, doc, ent, extra_names=[a])))
    for a in m.copied_to:
        ent = resolve_unit(a, m.jurisdiction)
        w.add(doc_iri, PK.copiedTo, N(_write_entity(w, doc, ent, extra_names=[a])))
    if m.adopted_meeting:
        ev = iris.meeting_iri(doc_iri)
        w.add(ev, RDF.type, N(PK.Event))
        w.add(ev, RDFS.label, S(m.adopted_meeting))
        w.add(doc_iri, PK.adoptedAt, N(ev))
        if m.adopted_date:
            w.add(doc_iri, PK.adoptedOn, _date(m.adopted_date))

    container = doc_iri
    if m.plan_title:
        plan = iris.plan_iri(doc_iri)
        container = plan
        w.add(doc_iri, PK.transmits, N(plan))
        w.add(plan, RDF.type, N(PK.PolicyDocument))
        w.add(plan, RDF.type, N(ELI.LegalResource))
        w.add(plan, DCTERMS.title, S(m.plan_title))
        w.add(plan, RDFS.label, S(m.plan_title))
        w.add(plan, PK.textSource, N(doc_iri))
        genre = doc_type(m.plan_title)
        if genre:
            w.add(plan, PK.docType, S(genre))
        for issuer_iri in issuer_iris:
            w.add(plan, PK.issuer, N(issuer_iri))
        if m.plan_span:
            w.add(plan, PK.start, _int(m.plan_span.start))
            w.add(plan, PK.end, _int(min(m.plan_span.end, text_len)))
        elif resolve:
            # the plan is named but not reproduced here: link it when the store holds it as its own document
            other = resolve(m.plan_title, None)
            if other and other != doc_iri:
                w.add(doc_iri, PK.transmits, N(other))
        if m.jurisdiction:
            w.add(plan, PK.jurisdiction, N(iris.place_iri(m.jurisdiction)))
    if m.period_start and m.period_end:
        w.add(container, PK.periodStart, _date(m.period_start))
        w.add(container, PK.periodEnd, _date(m.period_end))

    # ---- sections
    sec_iri: dict[str, str] = {}
    for s in doc.sections:
        sec_iri[s.path] = iris.section_iri(container, s.path)
    for s in doc.sections:
        si = sec_iri[s.path]
        w.add(si, RDF.type, N(PK.Section))
        w.add(si, RDF.type, N(ELI.LegalResourceSubdivision))
        if s.kind:
            w.add(si, RDF.type, N(PK[s.kind]))
        w.add(si, PK.number, S(s.number))
        w.add(si, PK.path, S(s.path))
        w.add(si, RDFS.label, S(s.title))
        w.add(si, PK.order, _int(s.order))
        w.add(si, PK.level, _int(s.level))
        w.add(si, PK.start, _int(s.start))
        w.add(si, PK.end, _int(s.end))
        parent = sec_iri[s.parent] if s.parent else container
        w.add(si, DCTERMS.isPartOf, N(parent))
        w.add(si, ELI.is_part_of, N(parent))

    # ---- responsibility
    ent_iri: dict[str, str] = {}
    for key, ent in doc.entities.items():
        if ent.type == "Document" and ent.name == m.plan_title:
            ent_iri[key] = container  # the attached plan, named in the text: its own document node
            w.add(container, RDF.type, N(PK.NamedThing))
        elif ent.type == "Event" and m.adopted_meeting and m.adopted_meeting.endswith(ent.name):
            ent_iri[key] = iris.meeting_iri(doc_iri)
        else:
            ent_iri[key] = _write_entity(w, doc, ent)
    dated: set[str] = set()
    for r in doc.responsibilities:
        if r.section is None or r.section not in sec_iri:
            continue
        si = sec_iri[r.section]
        w.add(si, PK.responsibilityText, S(doc.text[r.start:r.end]))
        if r.deadline and si not in dated:  # one due date per action: its first note's or row's
            dated.add(si)
            w.add(si, PK.dueDate, _date(r.deadline))
            w.add(si, PK.deadlineText, S(r.deadline_text or r.deadline))
        for u in r.units:
            ent = resolve_unit(u.name, m.jurisdiction)
            ui = ent_iri.get(ent.key) or _write_entity(w, doc, ent)
            w.add(si, PK.responsibleUnit, N(ui))
            if u.role == "lead":
                w.add(si, PK.leadUnit, N(ui))
            elif u.role == "support":
                w.add(si, PK.supportingUnit, N(ui))

    # ---- targets
    for i, t in enumerate(doc.targets, start=1):
        ti = iris.target_iri(doc_iri, i)
        w.add(ti, RDF.type, N(PK.Target))
        w.add(ti, RDFS.label, S(doc.text[t.start:t.end]))
        w.add(ti, PK.start, _int(t.start))
        w.add(ti, PK.end, _int(t.end))
        w.add(ti, PK.comparator, S(t.comparator))
        w.add(ti, PROV.wasDerivedFrom, N(doc_iri))
        for prop, val in ((PK.value, t.value), (PK.valueMin, t.value_min), (PK.valueMax, t.value_max)):
            if val is not None:
                w.add(ti, prop, _dec(val))
        for prop, val in ((PK.normalizedValue, t.normalized_value), (PK.normalizedValueMin, t.normalized_value_min),
                          (PK.normalizedValueMax, t.normalized_value_max)):
            if val is not None:
                w.add(ti, prop, _dec(val))
        for prop, val in ((PK.metric, t.metric), (PK.unit, t.unit), (PK.normalizedUnit, t.normalized_unit),
                          (PK.deadlineText, t.deadline_text), (PK.scope, t.scope), (PK.verb, t.verb),
                          (PK.condition, t.condition)):
            if val:
                w.add(ti, prop, S(val))
        if t.deadline:
            w.add(ti, PK.deadline, _date(t.deadline))
            w.add(ti, PK.deadlineInherited, _bool(t.deadline_inherited))
        if t.section and t.section in sec_iri:
            w.add(ti, PK.statedIn, N(sec_iri[t.section]))
            w.add(sec_iri[t.section], PK.hasTarget, N(ti))

    # ---- relations (the mention a cued relation was read from carries its cue word)
    spans_of: dict[str, list[tuple[int, int]]] = {}
    for mn in doc.mentions:
        spans_of.setdefault(mn.entity, []).append((mn.start, mn.end))
    for rel in doc.relations:
        if rel.section not in sec_iri or rel.entity not in ent_iri:
            continue
        prop = {"reliesOn": PK.reliesOn, "focusesOn": PK.focusesOn, "builds": PK.builds,
                "leads": PK.leadUnit, "mentions": PK.mentions}.get(rel.kind)
        if prop is None:
            continue
        w.add(sec_iri[rel.section], prop, N(ent_iri[rel.entity]))
        if rel.cue and rel.kind != "mentions":
            for a, b in spans_of.get(rel.entity, ()):
                if rel.start <= a and b <= rel.end:
                    w.add(iris.mention_iri(doc_iri, a, b), PK.cue, S(rel.cue))
        if rel.kind == "leads":
            w.add(sec_iri[rel.section], PK.responsibleUnit, N(ent_iri[rel.entity]))

    # ---- mentions (provenance): a plan names its entities hundreds of times, so each mention's
    # quads go straight to the list (one node per distinct span, nothing to deduplicate)
    g, doc_node, c_mention = w.g, N(doc_iri), N(PK.Mention)
    p_type, p_of, p_start, p_end, p_exact, p_doc, p_sec = map(N, (RDF.type, PK.mentionOf, PK.start, PK.end, PK.exact,
                                                               PK.inDocument, PK.inSection))
    spans_done: set[tuple[int, int]] = set()
    for mn in doc.mentions:
        if mn.entity not in ent_iri or (mn.start, mn.end) in spans_done:
            continue
        spans_done.add((mn.start, mn.end))
        mi = NamedNode(iris.mention_iri(doc_iri, mn.start, mn.end))
        ent = N(ent_iri[mn.entity])
        w.quads += (Quad(mi, p_type, c_mention, g), Quad(mi, p_of, ent, g), Quad(mi, p_start, _int(mn.start), g),
                    Quad(mi, p_end, _int(mn.end), g), Quad(mi, p_exact, S(doc.text[mn.start:mn.end]), g),
                    Quad(mi, p_doc, doc_node, g))
        if mn.section and mn.section in sec_iri:
            w.quads.append(Quad(mi, p_sec, N(sec_iri[mn.section]), g))
            w.add(sec_iri[mn.section], PK.mentions, ent)

    # ---- references between documents: a link when the other document is in the store, else its title
    for ref in doc.references:
        repeals = ref.kind == "repeals"
        # the plan cites what its own text cites; the notice what the notice's text does
        subject = container if m.plan_span and ref.start >= m.plan_span.start else doc_iri
        if ref.title:
            w.add(subject, PK.repealsTitle if repeals else PK.referencesTitle, S(ref.title))
        if ref.doc_number:
            w.add(subject, PK.repealsDocNumber if repeals else PK.referencesDocNumber, S(ref.doc_number))
        other = resolve(ref.title, ref.doc_number) if resolve else None
        if other and other not in (doc_iri, container):
            w.add(subject, PK.repeals if repeals else PK.references, N(other))
    return doc_iri, w.quads


def _write_entity(w: _Writer, doc: Document, ent: Entity, extra_names: list[str] | None = None) -> str:
    iri = entity_node_iri(ent)
    typ = ent.type if ent.type in ENTITY_TYPES else None
    w.add(iri, RDF.type, N(PK[typ]) if typ else N(PK.NamedThing))
    if ent.type in _ORG_TYPES:
        w.add(iri, RDF.type, N(ORG.Organization))
    w.add(iri, RDFS.label, S(ent.name))
    if ent.canonical_name:
        w.add(iri, SKOS.prefLabel, S(ent.canonical_name))
    for name in [ent.name, *ent.aliases, *(extra_names or [])]:
        if name != ent.canonical_name:
            w.add(iri, SKOS.altLabel, S(name))
    if ent.jurisdiction:
        w.add(iri, PK.jurisdiction, N(iris.place_iri(ent.jurisdiction)))
        w.add(iris.place_iri(ent.jurisdiction), RDF.type, N(PK.Place))
        w.add(iris.place_iri(ent.jurisdiction), RDFS.label, S(ent.jurisdiction))
    return iri
