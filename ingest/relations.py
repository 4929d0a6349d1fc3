"""Step 8, *relations*: cued relations (依托 → reliesOn …)."""

from __future__ import annotations

from .model import Document


def find_relations(doc: Document) -> Document:
    return doc
