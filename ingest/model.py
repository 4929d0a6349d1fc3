"""The plain-Python result of parsing one policy file.

A :class:`Document` owns its normalised text; every extracted thing is a span
with ``start``/``end`` character offsets into ``Document.text`` (like spaCy's
``Doc``/``Span``), so ``doc.text[x.start:x.end]`` is always the words the
thing was read from.  Nothing here knows about RDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Span:
    """A half-open character range ``[start, end)`` into ``Document.text``."""

    start: int
    end: int

    def text_of(self, doc: "Document") -> str:
        return doc.text[self.start:self.end]


@dataclass
class Section(Span):
    """A numbered heading and everything under it (subsections included).

    ``path`` is the numbering path (一、→``1``, （一）→``1.1``, 1.→``1.1.1``);
    ``number`` is the marker as written; ``kind`` is ``Goal``, ``Action``,
    ``Measure`` or ``None`` for containers and prose.
    """

    path: str = ""
    number: str = ""
    title: str = ""
    level: int = 1
    parent: str | None = None
    order: int = 0
    title_start: int = 0
    title_end: int = 0
    style: str = ""
    kind: str | None = None
    heading_inline: bool = False
    document: str = "plan"  # "plan" (the attached plan) or "notice" (the wrapper's own body)


@dataclass
class UnitRef(Span):
    """One responsible unit named in a note, a sentence or a table cell."""

    name: str = ""
    role: str | None = None  # "lead", "support" or None (responsible, role not stated)


@dataclass
class Responsibility(Span):
    """A responsibility statement and the section it belongs to."""

    section: str | None = None  # section path
    units: list[UnitRef] = field(default_factory=list)
    form: str = "note"  # note | inline | table | convention | elsewhere
    deadline: str | None = None  # ISO date
    deadline_text: str | None = None


@dataclass
class Target(Span):
    """A quantitative target; the span is the smallest clause that states it."""

    section: str | None = None
    metric: str | None = None
    comparator: str = "="  # "=", ">", ">=", "<", "<=", "approx", "range"
    value: Decimal | None = None
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    unit: str | None = None
    normalized_value: Decimal | None = None
    normalized_value_min: Decimal | None = None  # value_min / value_max in the base unit
    normalized_value_max: Decimal | None = None
    normalized_unit: str | None = None
    value_text: str | None = None
    deadline: str | None = None
    deadline_text: str | None = None
    deadline_inherited: bool = False
    scope: str | None = None
    verb: str | None = None
    condition: str | None = None


@dataclass
class Mention(Span):
    """One occurrence of an entity name in the text."""

    entity: str = ""  # Entity.key
    section: str | None = None


@dataclass
class Entity:
    """A named thing: organisation, platform, park, area, project, programme …

    ``key`` identifies the entity within the document (its canonical name when
    known, else its fullest written name); the graph stage turns it into an
    IRI scoped by ``jurisdiction`` for government bodies.
    """

    key: str
    name: str
    type: str  # GovernmentBody, Subdistrict, Enterprise, University, ResearchInstitute, Platform, Park, Area, Project, Programme, Place, Event, Other
    canonical_name: str | None = None
    aliases: list[str] = field(default_factory=list)
    jurisdiction: str | None = None
    level: str | None = None  # national / provincial / municipal / district


@dataclass
class Relation(Span):
    """A cued relation from a section to an entity (依托 → reliesOn …)."""

    kind: str = ""  # reliesOn | focusesOn | builds | leads
    section: str | None = None
    entity: str = ""  # Entity.key
    cue: str = ""


@dataclass
class DocRef(Span):
    """A reference to another document (根据《…》, 同时废止《…》)."""

    kind: str = "references"  # references | repeals
    title: str | None = None
    doc_number: str | None = None


@dataclass
class ListItem(Span):
    """An item a list marker opens inside a paragraph (一是…二是…, ①②③)."""

    marker: str = ""


@dataclass
class Meta:
    """Header metadata of a document, as read from the text."""

    title: str | None = None
    title_span: Span | None = None
    doc_number: str | None = None
    issuer: str | None = None  # the first (or only) issuer
    issuers: list[str] = field(default_factory=list)  # every issuer of a joint document, in the order written
    issued: str | None = None  # ISO date of signature (成文日期)
    issued_text: str | None = None
    published: str | None = None  # ISO date of publication, when a portal header gives one
    doc_type: str | None = None
    addressees: list[str] = field(default_factory=list)
    copied_to: list[str] = field(default_factory=list)
    adopted_meeting: str | None = None
    adopted_date: str | None = None
    adopted_text: str | None = None
    plan_title: str | None = None
    plan_span: Span | None = None  # where the attached plan starts/ends in the text
    effective: str | None = None
    validity: str | None = None
    valid_until: str | None = None  # ISO date the document stops applying (有效期至…, or effective + 有效期N年)
    period_start: str | None = None  # the period a title names: (2021—2023年), “十四五”
    period_end: str | None = None
    jurisdiction: str | None = None  # e.g. 上海市普陀区
    level: str | None = None  # national / provincial / municipal / district
    index_number: str | None = None
    category: str | None = None
    attachments: list[str] = field(default_factory=list)


@dataclass
class Document:
    """A parsed policy file: text, metadata, sections and spans."""

    text: str
    source: str = "<text>"
    sha256: str = ""
    encoding: str | None = None
    format: str = "txt"
    meta: Meta = field(default_factory=Meta)
    sections: list[Section] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    responsibilities: list[Responsibility] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    references: list[DocRef] = field(default_factory=list)
    tables: list["TaskTable"] = field(default_factory=list)
    items: list["ListItem"] = field(default_factory=list)  # 一是…/①… items inside paragraphs
    bundled: list["Document"] = field(default_factory=list)  # further documents the same file holds
    warnings: list[str] = field(default_factory=list)

    def section(self, path: str) -> Section | None:
        for s in self.sections:
            if s.path == path:
                return s
        return None

    def section_at(self, offset: int) -> Section | None:
        """The innermost section whose span contains ``offset``."""
        best = None
        for s in self.sections:
            if s.start <= offset < s.end and (best is None or s.level > best.level):
                best = s
        return best

    def span_text(self, span: Span) -> str:
        return self.text[span.start:span.end]


@dataclass
class TaskRow(Span):
    """One row of a 任务分工表, with cell spans into the text."""

    number: str | None = None
    task: str = ""
    task_span: Span | None = None
    lead: list[UnitRef] = field(default_factory=list)
    support: list[UnitRef] = field(default_factory=list)
    responsible: list[UnitRef] = field(default_factory=list)
    deadline: str | None = None
    deadline_text: str | None = None
    section: str | None = None  # path of the section created for this row


@dataclass
class TaskTable(Span):
    header: list[str] = field(default_factory=list)
    rows: list[TaskRow] = field(default_factory=list)
