"""The one core object: :class:`KnowledgeGraph`.

It opens a store (a folder path, ``None`` for memory, or a remote SPARQL
endpoint URL) and is the only thing that touches the store directly::

    with KnowledgeGraph("data/store") as kg:
        kg.ingest(["samples/"])
        for row in kg.query("SELECT ?a ?u WHERE { ?a pk:responsibleUnit ?u }"):
            ...
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, serialize

from ..errors import IngestError, PolicyKGError, QueryError, StoreError
from ..ingest import Document, parse_file
from ..ingest.read import SUPPORTED_SUFFIXES
from ..ontology.namespaces import PREFIXES
from ..settings import Settings
from .links import link_waiting_references, make_resolver
from .rdfize import document_to_quads
from .results import Results, materialise
from .safety import check_query, check_update
from .store import Backend, LocalStore


@dataclass
class IngestReport:
    """What happened to one input file."""

    source: str
    status: str  # added | replaced | unchanged | failed | parsed (dry run)
    document: str | None = None  # the document IRI
    title: str | None = None
    doc_number: str | None = None
    sections: int = 0
    actions: int = 0
    targets: int = 0
    units: int = 0
    entities: int = 0
    quads: int = 0
    encoding: str | None = None
    format: str | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    detail: str | None = field(default=None, repr=False)  # the traceback of a parser bug (shown with --debug)

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def iter_input_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path | str]:
    """Files named by ``paths``; folders are walked recursively (sorted).

    A path that does not exist is yielded as is, so the ingest reports it.
    """
    for path, _ in _collect_inputs(paths):
        yield path


def _collect_inputs(paths: Iterable[str | os.PathLike]) -> list[tuple[Path, IngestError | None]]:
    """Every input file once, in order, with the error already known for it.

    Folders are walked recursively in sorted order (symbolic links to folders
    are not followed, hidden files are skipped); a broken link with a document
    suffix is kept so that it is reported; a folder that holds no policy
    file, or cannot be listed, is an input that failed.
    """
    wanted = SUPPORTED_SUFFIXES - {""}
    out: list[tuple[Path, IngestError | None]] = []
    seen: set[str] = set()

    def add(path: Path, error: IngestError | None = None) -> None:
        key = os.path.abspath(path)
        if key not in seen:
            seen.add(key)
            out.append((path, error))

    for p in paths:
        path = Path(p)
        if not path.is_dir():
            add(path)
            continue
        found = len(out)
        problems: list[OSError] = []
        for root, dirs, names in os.walk(path, onerror=problems.append):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                f = Path(root) / name
                if name.startswith(".") or f.suffix.lower() not in wanted:
                    continue
                if f.is_file() or f.is_symlink() and not f.exists():
                    add(f)
        for e in problems:
            where = e.filename or str(path)
            add(Path(where), IngestError(str(where), "permission denied; the folder cannot be read"
                                         if isinstance(e, PermissionError) else f"cannot be read ({e.strerror or e})"))
        if len(out) == found:
            add(path, IngestError(str(path), "is a folder with no policy files in it "
                                             "(policykg reads .txt, .docx, .pdf and .html files)"))
    return out


def _count_units(doc: Document) -> int:
    return len({u.name for r in doc.responsibilities for u in r.units})


def _parse_one(path: str, max_bytes: int | None) -> Document | IngestError:
    """Worker entry point: parse one file, returning the error instead of raising.

    An error that comes from a bug rather than from the file carries the
    traceback in ``detail`` (the CLI shows it with ``--debug``).
    """
    import traceback

    try:
        return parse_file(path, max_bytes=max_bytes)
    except IngestError as e:
        if e.__cause__ is not None:
            e.detail = "".join(traceback.format_exception(e.__cause__))
        return e
    except RecursionError:
        return IngestError(path, "is nested too deeply to parse")
    except MemoryError:
        return IngestError(path, "is too large to parse in the memory available")
    except Exception as e:  # never let one file kill a folder ingest
        err = IngestError(path, f"could not be parsed ({type(e).__name__}: {e})")
        err.detail = "".join(traceback.format_exception(e))
        return err


@dataclass
class _Quads:
    """One document's quads made in a parse worker (see :func:`_prepare_one`)."""

    graph: str
    nquads: bytes  # N-Quads: a few times cheaper to send between processes than Quad objects
    count: int
    asked: list[tuple[str | None, str | None]]  # the citations document_to_quads asked the store about


def _prepare_one(path: str, max_bytes: int | None) -> tuple[Document | IngestError, list[_Quads | None]]:
    """Parse worker entry point of a parallel ingest: parse one file and make each of its documents'
    quads here, so the single writer only has to store them.

    A document's quads depend on the store only through the resolver (a citation becomes a link when
    the cited document is stored).  The worker resolves nothing and records what it asked; the writer
    uses these quads when none of those citations is in its store, and makes them again otherwise.
    """
    parsed = _parse_one(path, max_bytes)
    if isinstance(parsed, IngestError):
        return parsed, []
    made: list[_Quads | None] = []
    for doc in (parsed, *parsed.bundled):
        asked: list[tuple[str | None, str | None]] = []
        try:
            graph, quads = document_to_quads(doc, resolve=lambda title, number: asked.append((title, number)))
            made.append(_Quads(graph, serialize(quads, format=RdfFormat.N_QUADS), len(quads), asked))
        except Exception:  # the writer makes them again and reports the error there
            made.append(None)
    return parsed, made


def _prepare_chunk(paths: list[str], max_bytes: int | None) -> list[tuple[Document | IngestError, list[_Quads | None]]]:
    return [_prepare_one(p, max_bytes) for p in paths]


class KnowledgeGraph:
    """A policy knowledge graph over one store.

    ``store`` is a folder path (created if missing), ``None`` for an in-memory
    store, an ``http(s)://`` SPARQL endpoint URL, or a ready :class:`Backend`.
    """

    def __init__(self, store: str | os.PathLike | Backend | None = None, settings: Settings | None = None, *,
                 read_only: bool = False) -> None:
        self.settings = settings or Settings.from_env()
        if store is None or isinstance(store, (str, os.PathLike)):
            s = None if store is None else str(store)
            if s is not None and s.startswith(("http://", "https://")):
                from .remote import RemoteStore

                self.backend: Backend = RemoteStore(s, settings=self.settings)
            else:
                self.backend = LocalStore(s, read_only=read_only)
        else:
            self.backend = store
        self.read_only = read_only

    # ---------------------------------------------------------------- life cycle

    def __enter__(self) -> "KnowledgeGraph":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.backend is not None:
            self.backend.close()
            self.backend = None  # type: ignore[assignment]

    @property
    def location(self) -> str:
        return self.backend.location

    # ---------------------------------------------------------------- queries

    def query(self, sparql: str, *, params: dict[str, object] | None = None, union: bool = True,
              default_graph: list[str] | None = None, named_graphs: list[str] | None = None,
              limit: int | None = None) -> Results:
        """Run a SPARQL 1.1 query; the default graph is the union of all documents.

        ``params`` binds variables (``{"unit": "区科委"}`` binds ``?unit`` to a
        literal; a :class:`pyoxigraph.NamedNode` binds an IRI) — values are
        substituted as terms, never pasted into the text.  ``pk:``, ``rdfs:``,
        ``skos:`` … prefixes are predeclared.
        """
        check_query(sparql, allow_service=self.settings.allow_service)
        subs = bind_params(params)
        res = self.backend.query(sparql, substitutions=subs, union=union, default_graph=default_graph,
                                 named_graphs=named_graphs, timeout=self.settings.query_time_limit)
        return materialise(res, limit=self.settings.result_limit if limit is None else limit)

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update (``LOAD`` refused unless allowed)."""
        if self.read_only:
            raise QueryError("This knowledge graph is open read-only; updates are refused.")
        check_update(sparql, allow_service=self.settings.allow_service)
        self.backend.update(sparql)

    def run_named(self, name: str, params: dict[str, object] | None = None, **kw) -> Results:
        """Run a named query from ``policykg/queries/NAME.rq`` with bound parameters (its variant for
        the given parameters when it has one, see :mod:`policykg.graph.named`)."""
        from .named import load_named

        nq = load_named(name)
        bound = nq.bind(params or {})
        return self.query(nq.text_for(bound), params=bound, **kw)

    # ---------------------------------------------------------------- ingest

    def ingest(self, paths: Iterable[str | os.PathLike], *, dry_run: bool = False, workers: int = 1,
               force: bool = False, progress: Callable[[IngestReport], None] | None = None,
               executor: str | None = None, scheduler: str | None = None) -> list[IngestReport]:
        """Ingest files and folders; one transaction per document.

        ``workers`` parse in a process pool (``executor="process"``), or on a
        Dask local cluster of that many processes (``executor="dask"``), or on
        the running Dask cluster at ``scheduler`` (``tcp://host:8786``); this
        process stays the one writer (see :mod:`policykg.graph.distributed`).

        Returns one report per file.  A file that fails never touches the
        store; the others are still ingested.  An unchanged file (same
        content hash as the stored document) is a no-op unless ``force``.
        """
        inputs = _collect_inputs(paths)
        refused = {str(f): e for f, e in inputs if e is not None}
        files = [str(f) for f, _ in inputs]
        known = {} if dry_run else self._known_hashes()
        reports = []
        for path, parsed, made in self._parse_all(files, workers, refused, executor=executor, scheduler=scheduler):
            t0 = time.perf_counter()
            if isinstance(parsed, IngestError):
                batch = [IngestReport(source=path, status="failed", error=str(parsed),
                                      detail=getattr(parsed, "detail", None))]
            else:  # a file that bundles several documents gives one report per document
                batch = [self._store_document(d, dry_run=dry_run, known=known, force=force,
                                              made=made[i] if i < len(made) else None)
                         for i, d in enumerate((parsed, *parsed.bundled))]
            for rep in batch:
                rep.seconds += (time.perf_counter() - t0) / len(batch)
                reports.append(rep)
                if progress:
                    progress(rep)
        return reports

    def _parse_all(self, files: list[str], workers: int, refused: dict[str, IngestError] | None = None,
                   executor: str | None = None, scheduler: str | None = None
                   ) -> Iterator[tuple[str, Document | IngestError, list[_Quads | None]]]:
        """Parse ``files`` in order (in ``workers`` processes); ``refused`` are already known to fail.

        Parallel workers also make each document's quads (:func:`_prepare_one`): the one writer is
        what limits a folder ingest, so it should only store.  At most a few chunks per worker are in
        flight, so when the writer is slower than the parsers, parsed documents wait as unparsed
        file names rather than piling up in memory.
        """
        max_bytes = self.settings.max_file_bytes
        refused = refused or {}
        todo = [f for f in files if f not in refused]
        if executor not in (None, "process") or scheduler:  # on Dask (policykg.graph.distributed): the same items
            from .distributed import choose_executor, parse_on_executor

            choose_executor(executor, scheduler, workers)
            for f, item in parse_on_executor(files, refused, max_bytes, task=_prepare_chunk, workers=workers,
                                             scheduler=scheduler):
                yield (f, item, []) if isinstance(item, IngestError) else (f, *item)
            return
        if workers <= 1 or len(todo) < 2:
            for f in files:
                yield f, refused[f] if f in refused else _parse_one(f, max_bytes), []
            return
        from collections import deque
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        emitted = 0
        try:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                # chunks amortise the process round trips; a bounded window of them keeps memory flat
                chunk = max(1, min(16, len(todo) // (workers * 8) or 1))
                chunks = iter([todo[i:i + chunk] for i in range(0, len(todo), chunk)])
                pending: deque = deque()
                ready: deque = deque()

                def results():
                    while True:
                        while len(pending) < workers * 3:
                            c = next(chunks, None)
                            if c is None:
                                break
                            pending.append(pool.submit(_prepare_chunk, c, max_bytes))
                        if not ready:
                            if not pending:
                                return
                            ready.extend(pending.popleft().result())
                        yield ready.popleft()

                it = results()
                for f in files:
                    if f in refused:
                        yield f, refused[f], []
                    else:
                        yield (f, *next(it))
                    emitted += 1
        except BrokenProcessPool:  # a parser process died (out of memory, a crash in a C library): go on here
            for f in files[emitted:]:
                yield f, refused[f] if f in refused else _parse_one(f, max_bytes), []

    def ingest_document(self, doc: Document, *, dry_run: bool = False, force: bool = True) -> IngestReport:
        """Write one parsed document (replacing its graph) and report.

        The other documents of a bundle (``doc.bundled``) are written too;
        the report is the first document's.
        """
        known = {} if dry_run else self._known_hashes()
        rep = self._store_document(doc, dry_run=dry_run, known=known, force=force)
        for other in doc.bundled:
            extra = self._store_document(other, dry_run=dry_run, known=known, force=force)
            rep.warnings.append(f"also {extra.status}: {extra.document}")
        return rep

    def ingest_text(self, text: str, source: str = "<text>", **kw) -> IngestReport:
        """Parse ``text`` and write it; the doctest-friendly entry point."""
        from ..ingest import parse_text

        return self.ingest_document(parse_text(text, source), **kw)

    def ingest_bytes(self, data: bytes, source: str, *, suffix: str | None = None, **kw) -> IngestReport:
        """Parse the bytes of a file and write it.  The format comes from
        ``suffix``, else from the name's suffix, else from the bytes themselves
        (standard input: a PDF, a Word file, a web page or text)."""
        from ..ingest import parse_bytes
        from ..ingest.read import sniff_suffix

        t0 = time.perf_counter()
        if suffix is None:
            suffix = "" if source.startswith("<") else Path(source).suffix.lower()
            suffix = suffix or sniff_suffix(data)
        try:
            doc = parse_bytes(data, source=source, suffix=suffix, max_bytes=self.settings.max_file_bytes)
        except IngestError as e:
            return IngestReport(source=source, status="failed", error=str(e))
        except Exception as e:  # a parser bug: one failed input, not a crashed run
            import traceback

            return IngestReport(source=source, status="failed", error=f"{source}: could not be parsed "
                                f"({type(e).__name__}: {e})", detail="".join(traceback.format_exception(e)))
        rep = self.ingest_document(doc, **kw)
        rep.seconds = time.perf_counter() - t0
        return rep

    def _known_hashes(self) -> dict[str, str]:
        try:
            return self.backend.graph_hashes()
        except PolicyKGError:
            raise
        except Exception:
            return {}

    def _store_document(self, doc: Document, *, dry_run: bool, known: dict[str, str],
                        force: bool = False, made: _Quads | None = None) -> IngestReport:
        resolve = None if dry_run else make_resolver(self, known)  # 根据《…》 → the document node when stored
        nquads = None
        try:
            if made is not None and (resolve is None or all(resolve(t, n) is None for t, n in made.asked)):
                graph, quads, nquads = made.graph, [], made.nquads  # a parse worker's quads are this store's
            else:
                graph, quads = document_to_quads(doc, resolve=resolve)
        except PolicyKGError as e:
            return IngestReport(source=doc.source, status="failed", error=f"{doc.source}: {e}")
        except Exception as e:  # a bug turning this document into quads: nothing is written
            import traceback

            return IngestReport(source=doc.source, status="failed",
                                error=f"{doc.source}: could not be turned into RDF ({type(e).__name__}: {e})",
                                detail="".join(traceback.format_exception(e)))
        rep = IngestReport(
            source=doc.source, status="parsed", document=graph, title=doc.meta.title, doc_number=doc.meta.doc_number,
            sections=len(doc.sections), actions=sum(1 for s in doc.sections if s.kind == "Action"),
            targets=len(doc.targets), units=_count_units(doc), entities=len(doc.entities),
            quads=made.count if nquads is not None else len(quads),
            encoding=doc.encoding, format=doc.format, warnings=list(doc.warnings),
        )
        if dry_run:
            return rep
        if self.read_only:
            raise QueryError("This knowledge graph is open read-only; ingest is refused.")
        if not force and known.get(graph) == doc.sha256:
            rep.status = "unchanged"
            return rep
        existed = graph in known
        try:
            if nquads is not None:
                self._replace_nquads(graph, nquads)
            else:
                self.backend.replace_graph(graph, quads)  # one transaction: all or nothing
        except PolicyKGError as e:
            rep.status = "failed"
            rep.error = f"{doc.source}: {e}"
            return rep
        except (ValueError, TypeError, UnicodeError) as e:  # a term the store refused; the update did not run
            rep.status = "failed"
            rep.error = f"{doc.source}: the store refused the document ({type(e).__name__}: {e})"
            return rep
        known[graph] = doc.sha256
        link_waiting_references(self, graph, doc)  # documents ingested earlier that cite this one
        rep.status = "replaced" if existed else "added"
        return rep

    def _replace_nquads(self, graph: str, data: bytes) -> None:
        load = getattr(self.backend, "replace_graph_nquads", None)
        if load is not None:
            load(graph, data)
        else:
            from pyoxigraph import parse

            self.backend.replace_graph(graph, list(parse(data, format=RdfFormat.N_QUADS)))

    # ---------------------------------------------------------------- inspection

    def documents(self) -> list[str]:
        """IRIs of the document graphs in the store."""
        return self.backend.named_graphs()

    def count(self) -> int:
        """Number of quads in the store."""
        return self.backend.count()

    def remove_document(self, graph: str) -> None:
        self.backend.remove_graph(graph)

    def dump(self, fmt: str = "nq", graph: str | None = None) -> bytes:
        """Serialise the store (or one document graph) in an RDF format."""
        formats = {"nq": RdfFormat.N_QUADS, "trig": RdfFormat.TRIG, "ttl": RdfFormat.TURTLE,
                   "nt": RdfFormat.N_TRIPLES, "rdf": RdfFormat.RDF_XML, "jsonld": RdfFormat.JSON_LD}
        if fmt not in formats:
            raise QueryError(f"Unknown RDF format {fmt!r}; use one of {', '.join(formats)}.")
        return self.backend.dump(formats[fmt], graph)

    def to_networkx(self, **kw):
        """Project the graph to a networkx MultiDiGraph (see :mod:`policykg.graph.network`)."""
        from .network import to_networkx

        return to_networkx(self, **kw)

    def export(self, fmt: str, **kw) -> bytes:
        """Export the graph for a visualisation tool (see :mod:`policykg.graph.export`)."""
        from .export import export

        return export(self, fmt, **kw)


def with_prefixes(sparql: str) -> str:
    """Prepend the standard PREFIX lines the query does not declare itself
    (for backends that cannot take predeclared prefixes)."""
    import re

    declared = {m.group(1) for m in re.finditer(r"PREFIX\s+([\w-]*):", sparql, re.I)}
    lines = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in declared)
    return lines + sparql


def bind_params(params: dict[str, object] | None) -> dict | None:
    """``{"unit": "区科委"}`` → pyoxigraph substitutions ``{Variable("unit"): Literal("区科委")}``."""
    if not params:
        return None
    from pyoxigraph import BlankNode, Triple, Variable

    out = {}
    for k, v in params.items():
        name = k.lstrip("?$")
        if not name.replace("_", "").isalnum():
            raise QueryError(f"{k!r} is not a valid parameter name.")
        if isinstance(v, (NamedNode, Literal, BlankNode, Triple)):
            term = v
        elif isinstance(v, bool):
            term = Literal("true" if v else "false", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
        elif isinstance(v, int):
            term = Literal(str(v), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        elif isinstance(v, float):
            term = Literal(repr(v), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#double"))
        else:
            term = Literal(str(v))
        out[Variable(name)] = term
    return out


__all__ = ["KnowledgeGraph", "IngestReport", "iter_input_files", "with_prefixes", "bind_params", "StoreError"]
