"""Store backends: where quads live.

:class:`LocalStore` is an embedded on-disk Oxigraph store (pyoxigraph).  A
remote SPARQL 1.1 endpoint is a second backend with the same small
interface (see :mod:`policykg.graph.remote`); :class:`~policykg.graph.kg.KnowledgeGraph`
only talks to this interface.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable, Protocol

from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse

from ..errors import QueryError, StoreError
from ..ontology.namespaces import PK, PREFIXES


class Backend(Protocol):
    """What the knowledge graph needs from a store."""

    location: str

    def query(self, sparql: str, *, substitutions: dict | None = None, union: bool = True,
              default_graph: list[str] | None = None, named_graphs: list[str] | None = None,
              timeout: float | None = None): ...

    def update(self, sparql: str) -> None: ...

    def replace_graph(self, graph: str, quads: list[Quad]) -> None: ...

    def graph_hashes(self) -> dict[str, str]: ...

    def named_graphs(self) -> list[str]: ...

    def remove_graph(self, graph: str) -> None: ...

    def dump(self, fmt: RdfFormat, graph: str | None = None) -> bytes: ...

    def count(self) -> int: ...

    def close(self) -> None: ...


def quads_to_update(graph: str, quads: Iterable[Quad]) -> str:
    """One SPARQL Update that replaces ``graph`` by ``quads`` (one transaction)."""
    g = f"<{graph}>"
    body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    return f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}"


# Oxigraph's RocksDB keeps up to 128 MB of write buffer per index (there are a dozen) before flushing on
# its own, so a long ingest held gigabytes of memory and of write-ahead log.  Flushing after this many
# quads written bounds both (300 generated documents: writer peak 826 MB -> 262 MB, store on disk
# 680 MB -> 343 MB) and costs no time.
FLUSH_EVERY_QUADS = 100_000

_HASH_QUERY = f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{PK.sha256}> ?h }} }}"


class LocalStore:
    """An embedded Oxigraph store on disk (``path``) or in memory (``None``)."""

    def __init__(self, path: str | os.PathLike | None = None, *, read_only: bool = False) -> None:
        self.location = str(path) if path is not None else ":memory:"
        self.read_only = read_only
        self._unflushed = 0  # quads written since the last flush (on-disk stores only)
        try:
            if path is None:
                self._store = Store()
            elif read_only:
                if not Path(path).exists():
                    raise StoreError(f"There is no store at {path}; ingest documents into it first.")
                self._store = Store.read_only(str(path))
            else:
                Path(path).mkdir(parents=True, exist_ok=True)
                self._store = Store(str(path))
        except StoreError:
            raise
        except OSError as e:
            msg = str(e)
            if "lock" in msg.lower():
                raise StoreError(
                    f"The store at {path} is in use by another process (is `policykg serve` or another "
                    f"ingest running?); stop it or use another --store.") from None
            raise StoreError(f"The store at {path} cannot be opened ({msg}).") from None

    @property
    def raw(self) -> Store:
        """The pyoxigraph store (for the knowledge graph and tests only)."""
        return self._store

    def query(self, sparql, *, substitutions=None, union=True, default_graph=None, named_graphs=None,
              timeout=None):
        kwargs = {}
        if default_graph:
            kwargs["default_graph"] = [NamedNode(g) for g in default_graph]
        else:
            kwargs["use_default_graph_as_union"] = union
        if named_graphs:
            kwargs["named_graphs"] = [NamedNode(g) for g in named_graphs]
        if substitutions:
            kwargs["substitutions"] = substitutions
        try:
            return self._store.query(sparql, prefixes=PREFIXES, **kwargs)
        except SyntaxError as e:
            raise QueryError(f"The SPARQL query is not valid: {_clean(e)}") from None
        except OSError as e:
            raise StoreError(f"The store at {self.location} could not be read ({e}).") from None

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql, prefixes=PREFIXES)
        except SyntaxError as e:
            raise QueryError(f"The SPARQL update is not valid: {_clean(e)}") from None
        except OSError as e:
            raise StoreError(f"The store at {self.location} could not be written ({e}).") from None

    def replace_graph(self, graph: str, quads: list[Quad]) -> None:
        """Replace ``graph`` by ``quads`` in one transaction.

        A graph the store does not hold yet is written by one atomic
        ``extend`` — about a third less work than parsing the same quads
        as a ``DROP`` + ``INSERT DATA`` update, the writer's main cost in a
        folder ingest; a graph that exists is replaced by that update.
        """
        if self._store.contains_named_graph(NamedNode(graph)):
            self.update(quads_to_update(graph, quads))
        else:
            try:
                self._store.extend(quads)
            except OSError as e:
                raise StoreError(f"The store at {self.location} could not be written ({e}).") from None
        self._written(len(quads))

    def replace_graph_nquads(self, graph: str, data: bytes) -> None:
        """:meth:`replace_graph` for quads serialised as N-Quads (what parallel parse workers send):
        a new graph is one atomic ``load``, parsed by the store itself."""
        if self._store.contains_named_graph(NamedNode(graph)):
            self.replace_graph(graph, list(parse(data, format=RdfFormat.N_QUADS)))
            return
        try:
            self._store.load(data, format=RdfFormat.N_QUADS)
        except OSError as e:
            raise StoreError(f"The store at {self.location} could not be written ({e}).") from None
        self._written(data.count(b"\n"))

    def _written(self, quads: int) -> None:
        if self.location == ":memory:":
            return
        self._unflushed += quads
        if self._unflushed >= FLUSH_EVERY_QUADS:
            self._unflushed = 0
            try:
                self._store.flush()
            except OSError:  # the writes are committed (in the log); a failing disk shows at the next write
                pass

    def remove_graph(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH <{graph}>")

    def graph_hashes(self) -> dict[str, str]:
        return {s["g"].value: s["h"].value for s in self._store.query(_HASH_QUERY)}

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, NamedNode))

    def dump(self, fmt: RdfFormat, graph: str | None = None) -> bytes:
        if graph is not None:
            return self._store.dump(format=fmt, from_graph=NamedNode(graph))
        return self._store.dump(format=fmt)

    def count(self) -> int:
        return len(self._store)

    def flush(self) -> None:
        self._store.flush()

    def backup(self, target: str | os.PathLike) -> None:
        self._store.backup(str(target))

    def close(self) -> None:
        # pyoxigraph closes the database when the object is released
        if self._store is not None and not self.read_only:
            try:
                self._store.flush()
            except (OSError, RuntimeError):
                pass
        self._store = None  # type: ignore[assignment]


def _clean(e: Exception) -> str:
    return re.sub(r"\s+", " ", str(e)).strip()
