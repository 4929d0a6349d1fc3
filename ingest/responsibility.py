"""Step 5, *responsibility*: who is responsible for each action.

Forms read here (after the full-width fold, so ``（责任单位：A）`` reads
``(责任单位:A)``):

* a note: ``(责任单位:A、B)``, ``(牵头单位:A;配合单位:B、C)``,
  ``(6月底完成,牵头考核单位:A)``;
* a role note: ``(A牵头,B、C按职责分工配合)``, ``(A负责)``;
* a declared convention ``列第一位者为牵头单位`` makes the first listed unit the lead.

Each note is attached to the innermost section that contains it.
"""

from __future__ import annotations

import re

from .model import Document, Responsibility, UnitRef
from .units import looks_like_unit, register_unit

# 责任单位 / 牵头单位 / 配合单位 / 责任部门 / 牵头部门 / 协办单位 / 主办单位 …  (label : names)
_ROLE_LABEL = (
    r"(?P<label>(?:牵头(?:考核|负责)?|主办|主责|责任|负责|承办|配合|协办|参与|协同|协助|实施|完成)"
    r"(?:单位|部门|处室|机构|主体)(?:\s*及\s*(?:配合|协办)?(?:单位|部门))?)"
)
_NOTE = re.compile(r"\((?P<body>[^()]{2,300}?(?:单位|部门|处室|机构|主体|牵头|负责|配合)[^()]{0,300}?)\)")
_LABELLED = re.compile(_ROLE_LABEL + r"\s*[:：]\s*(?P<names>[^;；。]+)")
_LEAD_WORDS = ("牵头", "主办", "主责", "负责")
_SUPPORT_WORDS = ("配合", "协办", "参与", "协同", "协助")
# (A牵头, B、C按职责分工配合) / (A负责) / (A牵头负责,B配合)
_ROLE_CLAUSE = re.compile(
    r"\s*(?P<names>[^,，;；:：()]{2,200}?)\s*(?P<role>牵头负责|牵头|负责|主办|按职责分工配合|按职责配合|分工配合|配合|协办|参与)"
    r"(?:单位|部门|实施|落实)?\s*"
)
_CLAUSE_SPLIT = re.compile(r"[,，;；]")
_CONVENTION = re.compile(r"列(?:第一|首)位(?:者|的)?(?:单位)?为牵头(?:单位|部门)")
_DEADLINE_IN_NOTE = re.compile(r"(?P<text>(?:\d{4}\s*年)?\s*\d{1,2}\s*月(?:底|末)?(?:前)?完成|(?:\d{4}\s*年)(?:底|年底)?前?完成|持续推进|长期坚持)")
_SPLIT = re.compile(r"\s*[、,，/／;；]\s*")
_JOINERS = re.compile(r"(?:以及|及|和|与)")


def split_units(s: str, base: int) -> list[tuple[str, int, int]]:
    """Split a list of unit names into ``(name, start, end)`` with offsets.

    ``base`` is the offset of ``s`` in the document.  及/和/与 split only where
    both halves look like unit names.

    >>> [n for n, _, _ in split_units("区科委、区建管委", 0)]
    ['区科委', '区建管委']
    >>> [n for n, _, _ in split_units("区教育局和区体育局", 0)]
    ['区教育局', '区体育局']
    """
    out: list[tuple[str, int, int]] = []
    pos = 0
    for piece in _SPLIT.split(s):
        i = s.find(piece, pos)
        if i < 0:
            continue
        pos = i + len(piece)
        for name, a, b in _split_joined(piece, i):
            name2 = name.strip()
            trimmed = _trim_unit(name2)
            if not trimmed:
                continue
            off = name.find(trimmed)
            out.append((trimmed, base + a + off, base + a + off + len(trimmed)))
    return out


def _split_joined(piece: str, at: int) -> list[tuple[str, int, int]]:
    parts = []
    last = 0
    for m in _JOINERS.finditer(piece):
        left = piece[last:m.start()]
        right = piece[m.end():]
        if looks_like_unit(_trim_unit(left)) and looks_like_unit(_trim_unit(_SPLIT.split(right)[0])):
            parts.append((left, at + last, at + m.start()))
            last = m.end()
    parts.append((piece[last:], at + last, at + len(piece)))
    return parts


_TRAIL = re.compile(r"(?:等(?:单位|部门)?|按职责分工|按照职责分工|按职责|分别|共同|各自)$")
_LEAD_IN = re.compile(r"^(?:由|请|经|各有关单位[:：]?)")


def _trim_unit(name: str) -> str:
    name = name.strip().strip("。.")
    prev = None
    while prev != name:
        prev = name
        name = _TRAIL.sub("", name).strip()
        name = _LEAD_IN.sub("", name).strip()
    return name


def find_responsibility(doc: Document) -> Document:
    """Fill ``doc.responsibilities`` from parenthesised notes in sections."""
    text = doc.text
    first_is_lead = bool(_CONVENTION.search(text))
    for m in _NOTE.finditer(text):
        body = m.group("body")
        body_start = m.start("body")
        if doc.meta.title_span and m.start() < doc.meta.title_span.end:
            continue  # a bracket in the header (e.g. 试行), not a note
        units = _parse_note(body, body_start)
        if not units:
            continue
        if first_is_lead and not any(u.role for u in units):
            units[0].role = "lead"
        sec = doc.section_at(m.start())
        resp = Responsibility(
            start=m.start(),
            end=m.end(),
            section=sec.path if sec else None,
            units=units,
            form="note",
        )
        dl = _DEADLINE_IN_NOTE.search(body)
        if dl:
            resp.deadline_text = dl.group("text")
        doc.responsibilities.append(resp)
        for u in units:
            register_unit(doc, u.name, u.start, u.end, resp.section)
    refine_action_kinds(doc)
    return doc


def _parse_note(body: str, base: int) -> list[UnitRef]:
    units: list[UnitRef] = []
    labelled = list(_LABELLED.finditer(body))
    if labelled:
        for lm in labelled:
            label = lm.group("label")
            role = None
            if any(w in label for w in _SUPPORT_WORDS):
                role = "support"
            elif any(w in label for w in _LEAD_WORDS) and "责任" not in label:
                role = "lead"
            for name, a, b in split_units(lm.group("names"), base + lm.start("names")):
                if looks_like_unit(name):
                    units.append(UnitRef(start=a, end=b, name=name, role=role))
        return units
    # role clauses: (A牵头,B、C配合) / (A负责)
    pos = 0
    clauses = []
    for piece in _CLAUSE_SPLIT.split(body):
        clauses.append((piece, pos))
        pos += len(piece) + 1
    for piece, at in clauses:
        cm = _ROLE_CLAUSE.fullmatch(piece)
        if cm is None:
            return []  # a sentence in brackets, not a note of roles
        role_word = cm.group("role")
        role = "support" if any(w in role_word for w in _SUPPORT_WORDS) else "lead"
        names = cm.group("names")
        cand = split_units(names, base + at + cm.start("names"))
        if not cand or not all(looks_like_unit(n) for n, _, _ in cand):
            continue
        for name, a, b in cand:
            units.append(UnitRef(start=a, end=b, name=name, role=role))
    return units


def refine_action_kinds(doc: Document) -> None:
    """A section that holds its own responsibility note is an Action; its
    ancestors inside an action part become containers."""
    owners = {r.section for r in doc.responsibilities if r.section and r.form in ("note", "table", "inline")}
    if not owners:
        return
    by_path = {s.path: s for s in doc.sections}
    for path in owners:
        s = by_path.get(path)
        if s is None or s.kind in ("Goal", "Measure"):
            continue
        s.kind = "Action"
        p = s.parent
        while p is not None:
            a = by_path[p]
            if a.kind == "Action":
                a.kind = None
            p = a.parent
