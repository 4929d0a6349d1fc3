"""The ingest pipeline: small named steps, each a function over the document.

    read → normalise → structure → tables → responsibility → document → targets → entities → relations

A file that bundles several documents (a second 文号 or portal header block)
is split first: ``parse_text`` returns the first document with the others in
``Document.bundled``, each owning the text of its part.

``parse_text`` and ``parse_file`` run the whole pipeline; ``STEPS`` lists the
steps after *read*/*normalise* so each can be run and tested alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from ..errors import IngestError
from .entities import find_entities
from .model import Document
from .normalise import matching_view, normalise, restore_original
from .read import RawText, read_bytes, read_path
from .relations import find_relations
from .docmeta import read_document_level, split_bundle
from .responsibility import find_responsibility
from .structure import parse_structure
from .tables import attach_task_tables
from .targets import find_targets

Step = Callable[[Document], Document]

STEPS: list[tuple[str, Step]] = [
    ("structure", parse_structure),
    ("tables", attach_task_tables),
    ("responsibility", find_responsibility),
    ("document", read_document_level),
    ("targets", find_targets),
    ("entities", find_entities),
    ("relations", find_relations),
]


def parse_text(text: str, source: str = "<text>", *, encoding: str | None = None, fmt: str = "txt",
               data: bytes | None = None) -> Document:
    """Run the pipeline on an already decoded text."""
    norm = normalise(text)
    if not norm.strip():
        raise IngestError(source, "contains no text")
    digest = hashlib.sha256(data if data is not None else text.encode("utf-8", "surrogatepass")).hexdigest()
    view = matching_view(norm)  # Traditional characters folded for the patterns, one for one (else norm itself)
    parts = split_bundle(view)
    docs = [_run_steps(Document(text=view[a:b].strip("\n") + "\n", source=source, sha256=digest, encoding=encoding,
                                format=fmt)) for a, b in parts]
    if view is not norm:  # strings the steps took from the view, as the document writes them
        for d, (a, b) in zip(docs, parts):
            restore_original(d, norm[a:b].strip("\n") + "\n", view[a:b].strip("\n") + "\n")
    first = docs[0]
    first.bundled = docs[1:]
    if first.bundled:
        first.warnings.append(f"the file bundles {len(docs)} documents; each is stored as its own document")
    return first


def _run_steps(doc: Document) -> Document:
    source = doc.source
    for name, step in STEPS:
        try:
            doc = step(doc)
        except IngestError:
            raise
        except RecursionError:
            raise IngestError(source, f"is too deeply nested to parse (step {name})") from None
        except Exception as e:  # a parser bug must not crash a folder ingest
            raise IngestError(source, f"could not be parsed in step {name!r} ({type(e).__name__}: {e})") from e
    return doc


def parse_raw(raw: RawText) -> Document:
    return parse_text(raw.text, raw.source, encoding=raw.encoding, fmt=raw.format, data=raw.data)


def parse_bytes(data: bytes, source: str = "<bytes>", suffix: str = ".txt", *, max_bytes: int | None = None) -> Document:
    """Decode and parse the bytes of a file (suffix gives its kind)."""
    return parse_raw(read_bytes(data, source=source, suffix=suffix, max_bytes=max_bytes))


def parse_file(path: str | Path, *, max_bytes: int | None = None) -> Document:
    """Read and parse one file from disk."""
    return parse_raw(read_path(path, max_bytes=max_bytes))
