"""policykg.ingest — bytes → text → a structured :class:`Document` with spans.

No RDF here: this stage imports neither rdflib nor pyoxigraph.
"""

from .model import (
    DocRef,
    Document,
    Entity,
    Mention,
    Meta,
    Relation,
    Responsibility,
    Section,
    Span,
    Target,
    TaskRow,
    TaskTable,
    UnitRef,
)
from .pipeline import STEPS, parse_bytes, parse_file, parse_text
from .read import SUPPORTED_SUFFIXES, decode_text, read_bytes, read_path

__all__ = [
    "DocRef", "Document", "Entity", "Mention", "Meta", "Relation", "Responsibility", "Section", "Span",
    "Target", "TaskRow", "TaskTable", "UnitRef", "STEPS", "parse_bytes", "parse_file", "parse_text",
    "SUPPORTED_SUFFIXES", "decode_text", "read_bytes", "read_path",
]
