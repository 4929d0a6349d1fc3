"""The one writer: uploads and SPARQL updates, then a fresh snapshot for the readers.

Writes go to the server's read-write store one at a time (a lock); each
document is one transaction (:meth:`KnowledgeGraph.ingest_bytes`).  Only
after the write has committed is a new snapshot taken, and only then do the
query workers switch to it — so a reader sees a document whole or not at all.
"""

from __future__ import annotations

import threading

from ..errors import Forbidden, PolicyKGError
from ..graph.kg import IngestReport, KnowledgeGraph
from .snapshots import Snapshots


class StoreWriter:
    def __init__(self, kg: KnowledgeGraph, snapshots: Snapshots | None) -> None:
        self.kg = kg
        self.snapshots = snapshots
        self._lock = threading.Lock()
        self.writes = 0

    def ingest_bytes(self, data: bytes, filename: str, *, force: bool = False) -> IngestReport:
        """Parse and store one uploaded file (unchanged content is a no-op unless ``force``)."""
        self._check()
        with self._lock:
            try:
                rep = self.kg.ingest_bytes(data, filename, force=force)
            except PolicyKGError:
                raise
            except Exception as e:  # a parser bug: one failed file, as `policykg ingest` reports it
                return IngestReport(source=filename, status="failed",
                                    error=f"{filename}: could not be parsed ({type(e).__name__}: {e})")
            if rep.status in ("added", "replaced"):
                self._committed()
            return rep

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (LOAD refused unless allowed)."""
        self._check()
        with self._lock:
            self.kg.update(sparql)
            self._committed()

    def remove_document(self, graph: str) -> None:
        """Drop one document graph."""
        self._check()
        with self._lock:
            self.kg.remove_document(graph)
            self._committed()

    def _check(self) -> None:
        if self.kg.read_only:
            raise Forbidden("This server opened its store read-only; writes are refused.")

    def _committed(self) -> None:
        self.writes += 1
        if self.snapshots is not None:
            self.snapshots.take()
