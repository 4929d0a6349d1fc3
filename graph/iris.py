"""Deterministic IRIs for everything policykg writes.

Every IRI is a function of what the text says (文号, title, jurisdiction,
names, numbering paths, offsets), never of ingest order or time, so
re-ingesting a file yields the same nodes and the same document graph.

>>> document_iri(doc_number="普府办〔2022〕16号", title=None, jurisdiction=None, source="x.txt")
'https://w3id.org/policykg/id/doc/普府办-2022-16'
>>> unit_iri("上海市普陀区科学技术委员会")
'https://w3id.org/policykg/id/org/上海市普陀区科学技术委员会'
>>> iri_segment('VR/AR "x"')
'VR%2FAR%20%22x%22'
"""

from __future__ import annotations

import hashlib
import re

from ..ontology.namespaces import ID

_UNRESERVED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@")
_UCS_RANGES = (
    (0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF), (0x10000, 0x1FFFD), (0x20000, 0x2FFFD),
    (0x30000, 0x3FFFD), (0x40000, 0x4FFFD), (0x50000, 0x5FFFD), (0x60000, 0x6FFFD), (0x70000, 0x7FFFD),
    (0x80000, 0x8FFFD), (0x90000, 0x9FFFD), (0xA0000, 0xAFFFD), (0xB0000, 0xBFFFD), (0xC0000, 0xCFFFD),
    (0xD0000, 0xDFFFD), (0xE1000, 0xEFFFD),
)


def _iri_char_ok(ch: str) -> bool:
    if ch in _UNRESERVED:
        return True
    cp = ord(ch)
    return any(a <= cp <= b for a, b in _UCS_RANGES)


def iri_segment(s: str) -> str:
    """One path segment: Chinese stays readable, unsafe ASCII is %-encoded."""
    out = []
    for ch in s.strip():
        if _iri_char_ok(ch):
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
    return "".join(out) or "_"


def _short_hash(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()[:16]


_DOCNUM = re.compile(r"^(?P<prefix>.+?)\s*[〔\[【(（]\s*(?P<year>\d{4})\s*[〕\]】)）]\s*(?P<n>\d+)\s*号$")


def document_key(*, doc_number: str | None, title: str | None, jurisdiction: str | None, source: str) -> str:
    """What identifies a document across re-ingests: 文号, else title in its
    jurisdiction, else the file name."""
    if doc_number:
        m = _DOCNUM.match(doc_number)
        if m:
            return f"{m.group('prefix')}-{m.group('year')}-{int(m.group('n'))}"
        return doc_number
    if title:
        return "t-" + _short_hash(f"{jurisdiction or ''}|{title}")
    return "f-" + _short_hash(source.replace("\\", "/").rsplit("/", 1)[-1])


def document_iri(*, doc_number: str | None, title: str | None, jurisdiction: str | None, source: str) -> str:
    return ID + "doc/" + iri_segment(document_key(doc_number=doc_number, title=title, jurisdiction=jurisdiction,
                                                  source=source))


def plan_iri(doc_iri: str) -> str:
    return doc_iri + "/plan"


def section_iri(container_iri: str, path: str) -> str:
    return f"{container_iri}/s/{path}"


def target_iri(doc_iri: str, index: int) -> str:
    return f"{doc_iri}/t/{index}"


def mention_iri(doc_iri: str, start: int, end: int) -> str:
    return f"{doc_iri}/m/{start}-{end}"


def meeting_iri(doc_iri: str) -> str:
    return f"{doc_iri}/meeting"


def unit_iri(key: str) -> str:
    """A body: its key is its canonical full name, or ``jurisdiction/name``."""
    parts = key.split("/", 1)
    return ID + "org/" + "/".join(iri_segment(p) for p in parts)


def entity_iri(key: str, scope: str | None = None) -> str:
    """A named thing: by its name, under its jurisdiction (``scope``) for a thing only that
    jurisdiction's documents can mean (a descriptive name such as 智能交通示范区).

    >>> entity_iri("VR/AR平台"), entity_iri("智能交通示范区", scope="上海市普陀区")
    ('https://w3id.org/policykg/id/entity/VR%2FAR平台', 'https://w3id.org/policykg/id/entity/上海市普陀区/智能交通示范区')
    """
    if scope:
        return ID + "entity/" + iri_segment(scope) + "/" + iri_segment(key)
    return ID + "entity/" + iri_segment(key)


def place_iri(name: str) -> str:
    return ID + "place/" + iri_segment(name)


def docref_iri(title: str) -> str:
    """A referenced document not (yet) in the store, identified by its title."""
    return ID + "doc/" + "t-" + _short_hash(f"|{title}")
