"""Step 7, *entities*: named things beyond responsible units."""

from __future__ import annotations

from .model import Document


def find_entities(doc: Document) -> Document:
    return doc
