"""Bulk ingest without a store: every document's quads as N-Quads files for an
engine's own bulk loader (``oxigraph load``, Virtuoso's ``ld_dir``/``rdf_loader_run``,
QLever's index builder …), which takes a whole collection far faster than
one transaction per document::

    policykg ingest corpus/ --emit out/ [--shard-size 1000] [--workers 8 | --executor dask | --scheduler tcp://…]
    oxigraph load --location store/ --file out/*.nq

The folder holds

``doc-<hash>.nq``
    one document's named graph (without ``--shard-size``); the name is a hash
    of the document IRI and the source file's sha256, so it changes exactly
    when the document does;
``shard-<hash>.nq``
    the graphs of the documents of ``--shard-size`` input files, named by a
    hash of those documents (IRI and sha256);
``links.nq``
    the links *between* documents (``pk:references``, ``pk:repeals``, and
    ``pk:transmits`` to a document stored on its own) — found after all
    documents are known, as :mod:`policykg.graph.links` finds them in a store,
    so the loaded store is the one ``policykg ingest --store`` builds;
``manifest.jsonl``
    one JSON line per document: ``source``, ``document`` (its IRI, which is
    its graph), ``sha256`` (of the source file), ``quads``, ``file``, and
    ``links`` (the few quads and citations the link pass needs).  A later run
    skips a file whose bytes have the same sha256 and re-emits the rest; a
    changed document's old graph is taken out of its old file.

Every file is written under a hidden temporary name in the folder and renamed,
so a run killed at any moment leaves only whole files; the next run in the
folder finishes the tidying (temporaries, files no document refers to).

Parsing and writing run where :class:`~policykg.graph.distributed.Executor`
puts them: in this process, in a process pool, or on Dask workers that write
their own files into a shared folder.  Only the manifest and the link pass
(a few quads per document) stay in this process.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse, serialize

from ..errors import IngestError, PolicyKGError, StoreError
from ..ingest.model import Document, Meta, Span
from ..ontology.namespaces import DCTERMS, PK, RDF
from ..settings import Settings
from . import iris
from .distributed import Executor, TaskFailed, choose_executor, chunk_size, worker_failed
from .kg import IngestReport, _collect_inputs, _count_units, _parse_one
from .rdfize import document_iri_for, document_to_quads

MANIFEST = "manifest.jsonl"
LINKS = "links.nq"
_LOCK = ".policykg-emit.lock"
_TMP = ".tmp-"
_PENDING = "urn:policykg:pending-link:"  # stands for "the document this citation names", resolved later

# What the link pass queries (policykg.graph.links): document nodes and titles, whether a node holds a
# text or a span, the citations as written, and pk:transmits.  Every other quad stays in the files only.
_INDEX_PREDICATES = frozenset({DCTERMS.title, PK.transmits, PK.referencesTitle, PK.referencesDocNumber,
                               PK.repealsTitle, PK.repealsDocNumber})
_LINK_PREDICATES = frozenset({PK.references, PK.repeals, PK.transmits})
_EMPTY = Literal("")


@dataclass(slots=True)
class Emitted:
    """One document written to the folder: a line of the manifest."""

    source: str
    document: str  # the document IRI = its graph
    sha256: str  # of the source file
    quads: int
    file: str  # name inside the folder
    links: dict = field(default_factory=dict)  # meta, index (N-Quads), cites — for the link pass

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, line: str) -> "Emitted":
        return cls(**json.loads(line))

    def light(self) -> "Emitted":
        """The entry without what only the link pass reads (which streams it from the manifest again)."""
        return Emitted(self.source, self.document, self.sha256, self.quads, self.file)


@dataclass
class EmitRun:
    """What an emit run did: one report per document (or failed file) and the folder it left."""

    folder: Path
    reports: list[IngestReport]
    files: int = 0  # data files (doc-/shard-) in the folder
    bytes: int = 0  # their size, links.nq included
    links: int = 0  # quads in links.nq
    documents: int = 0  # documents in the manifest

    def load_command(self, store: str = "STORE") -> str:
        """The command that loads the folder into an Oxigraph store."""
        return f"oxigraph load --location {store} --file {self.folder}/*.nq"


# ---------------------------------------------------------------- the task (runs on a worker)


def emit_files(pairs: list[tuple[str, str]], folder: str, shard_size: int | None,
               max_bytes: int | None) -> list:
    """Worker task: parse each ``(path to read, path as given)`` and write its documents under ``folder``.

    Returns, per input file, the :class:`IngestError` it failed with, or a
    list of ``(IngestReport, Emitted | None)`` for its documents.  Without
    ``shard_size`` each document is its own file; with it, all the task's
    documents go into one shard.
    """
    out: list = []
    shard = _ShardWriter(folder) if shard_size else None
    for read_path, given in pairs:
        t0 = time.perf_counter()
        parsed = _parse_one(read_path, max_bytes)
        if isinstance(parsed, IngestError):
            out.append(_as_given_error(parsed, given))
            continue
        docs = [parsed, *parsed.bundled]
        per_doc = (time.perf_counter() - t0) / len(docs)
        items = []
        for doc in docs:
            doc.source = given
            t1 = time.perf_counter()
            rep, em, data = _render(doc)
            if em is not None and shard is None:
                em.file = "doc-" + _short(em.document + "\n" + em.sha256) + ".nq"
                try:
                    write_atomic(Path(folder) / em.file, data)
                except OSError as e:
                    rep, em = _write_failed(rep, folder, e), None
            elif em is not None:
                shard.add(rep, em, data)
            rep.seconds = per_doc + time.perf_counter() - t1
            items.append([rep, em])
        out.append(items)
    if shard is not None:
        shard.close()
        failed = {id(rep) for rep, em, _, _ in shard.items if em is None}
        out = [[(rep, None if id(rep) in failed else em) for rep, em in item] if isinstance(item, list) else item
               for item in out]
    return out


def _render(doc: Document) -> tuple[IngestReport, Emitted | None, bytes]:
    """A document → its report, its manifest entry and its N-Quads (links between documents held back)."""
    cites: list[list] = []

    def pending(title: str | None, doc_number: str | None) -> str:
        cites.append([title, doc_number])
        return f"{_PENDING}{len(cites) - 1}"

    try:
        graph, quads = document_to_quads(doc, resolve=pending)
    except PolicyKGError as e:
        return IngestReport(source=doc.source, status="failed", error=f"{doc.source}: {e}"), None, b""
    except Exception as e:  # a bug turning this document into quads: nothing is written
        import traceback

        return (IngestReport(source=doc.source, status="failed",
                             error=f"{doc.source}: could not be turned into RDF ({type(e).__name__}: {e})",
                             detail="".join(traceback.format_exception(e))), None, b"")
    kept, held = [], []
    for q in quads:
        o = q.object
        if isinstance(o, NamedNode) and o.value.startswith(_PENDING):
            title, number = cites[int(o.value[len(_PENDING):])]
            held.append([q.subject.value, q.predicate.value, title, number])
        else:
            kept.append(q)
    m = doc.meta
    rep = IngestReport(
        source=doc.source, status="added", document=graph, title=m.title, doc_number=m.doc_number,
        sections=len(doc.sections), actions=sum(1 for s in doc.sections if s.kind == "Action"),
        targets=len(doc.targets), units=_count_units(doc), entities=len(doc.entities), quads=len(kept),
        encoding=doc.encoding, format=doc.format, warnings=list(doc.warnings))
    links = {"meta": {"title": m.title, "doc_number": m.doc_number, "jurisdiction": m.jurisdiction,
                      "plan_title": m.plan_title,
                      "plan_span": [m.plan_span.start, m.plan_span.end] if m.plan_span else None},
             "index": serialize(_index_quads(kept), format=RdfFormat.N_QUADS).decode("utf-8"),
             "cites": held}
    em = Emitted(source=doc.source, document=graph, sha256=doc.sha256, quads=len(kept), file="", links=links)
    return rep, em, serialize(kept, format=RdfFormat.N_QUADS)


def _index_quads(quads: list[Quad]) -> list[Quad]:
    """The quads of one document the link pass queries (a text only as "there is one")."""
    doc_type = NamedNode(PK.PolicyDocument)
    documents = {q.subject for q in quads if q.predicate.value == RDF.type and q.object == doc_type}
    out = []
    for q in quads:
        p = q.predicate.value
        if p in _INDEX_PREDICATES or (p == RDF.type and q.object == doc_type) or \
                (p == PK.start and q.subject in documents):
            out.append(q)
        elif p == PK.text:
            out.append(Quad(q.subject, q.predicate, _EMPTY, q.graph_name))
    return out


class _ShardWriter:
    """Streams a task's documents into one hidden temporary file, renamed to its shard name at the end
    (a worker holds one document at a time, not the shard)."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        self.tmp = self.folder / f"{_TMP}shard.{uuid.uuid4().hex}"
        self.items: list[tuple[IngestReport, Emitted, int, int]] = []  # with the byte range of each document
        self.size = 0
        self.file = None
        self.error: OSError | None = None

    def add(self, rep: IngestReport, em: Emitted, data: bytes) -> None:
        try:
            if self.file is None and self.error is None:
                self.file = open(self.tmp, "wb")
            if self.error is None:
                self.file.write(data)
        except OSError as e:
            self.error = e
        self.items.append((rep, em, self.size, self.size + len(data)))
        self.size += len(data)

    def close(self) -> None:
        if not self.items:
            return
        try:
            if self.error is not None:
                raise self.error
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            # a graph twice in one shard (two files with one 文号): the later replaces the earlier, as in a store
            last = {em.document: i for i, (_, em, _, _) in enumerate(self.items)}
            dropped = [(a, b) for i, (_, em, a, b) in enumerate(self.items) if last[em.document] != i]
            if dropped:
                data = self.tmp.read_bytes()
                keep = [data[a:b] for i, (_, em, a, b) in enumerate(self.items) if last[em.document] == i]
                self.tmp.write_bytes(b"".join(keep))
            name = "shard-" + _short("\n".join(f"{em.document} {em.sha256}" for _, em, _, _ in self.items)) + ".nq"
            os.replace(self.tmp, self.folder / name)
        except OSError as e:
            if self.file is not None:
                self.file.close()
            self.tmp.unlink(missing_ok=True)
            for rep, em, _, _ in self.items:
                _write_failed(rep, str(self.folder), e)
            self.items = [(rep, None, a, b) for rep, _, a, b in self.items]
            return
        for _, em, _, _ in self.items:
            em.file = name


def _write_failed(rep: IngestReport, folder: str, e: OSError) -> IngestReport:
    rep.status = "failed"
    rep.error = f"{rep.source}: could not be written to {folder} ({e.strerror or e})"
    return rep


def _as_given_error(e: IngestError, given: str) -> IngestError:
    if e.source == given:
        return e
    again = IngestError(given, e.reason)
    if getattr(e, "detail", None):
        again.detail = e.detail
    return again


def _short(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()[:20]


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or chunks of them) to ``path`` through a hidden temporary
    file and a rename: readers (and a loader's ``*.nq`` glob) see the whole file or none."""
    tmp = path.with_name(f"{_TMP}{path.name}.{uuid.uuid4().hex}")
    try:
        with open(tmp, "wb") as f:
            for chunk in (data,) if isinstance(data, bytes) else data:
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise


# ---------------------------------------------------------------- the manifest and the folder


class Manifest:
    """``manifest.jsonl``: the documents in the folder, in the order they were written.

    During a run each new document is appended as soon as its file exists (a
    half line from a killed run is ignored when read); at the end the
    manifest is rewritten with the current version of each document only.
    In memory each entry is kept without its link data; the link pass
    streams the file again.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / MANIFEST
        self.entries: list[Emitted] = [e.light() for _, e in self._read()]
        self.known = {e.document for e in self.entries}
        self._journal = None

    def _read(self) -> Iterator[tuple[str, Emitted]]:
        """Every whole line of the file, in order, with its entry."""
        if not self.path.exists():
            return
        with open(self.path, encoding="utf-8") as f:
            for line in f:
                try:
                    yield line.rstrip("\n"), Emitted.from_json(line)
                except (ValueError, TypeError):
                    continue  # a line cut short by a killed run

    def unchanged(self, files: list[str]) -> dict[str, list[Emitted]]:
        """Files whose documents are all in the folder, current, and from the same bytes."""
        current = self.current()
        by_source: dict[str, list[Emitted]] = defaultdict(list)
        for e in self.entries:
            by_source[e.source].append(e)
        out = {}
        for f in files:
            entries = by_source.get(f)
            if not entries or any(current.get(e.document) is not e or not (self.folder / e.file).exists()
                                  for e in entries):
                continue
            try:
                digest = _file_sha256(f)
            except OSError:
                continue
            if all(e.sha256 == digest for e in entries):
                out[f] = entries
        return out

    def current(self) -> dict[str, Emitted]:
        """Each document's latest entry."""
        return {e.document: e for e in self.entries}

    def append(self, e: Emitted) -> None:
        if self._journal is None:
            self._journal = open(self.path, "a", encoding="utf-8")
            if self._journal.tell() and not _ends_with_newline(self.path):
                self._journal.write("\n")  # after a half line left by a killed run
        self._journal.write(e.to_json() + "\n")
        self._journal.flush()
        self.entries.append(e.light())

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def tidy(self, settings: Settings | None = None) -> tuple[int, int, int]:
        """Take superseded graphs out of their files, delete files nothing refers to and
        temporaries, write ``links.nq``, rewrite the manifest.  Returns (files, bytes, links)."""
        self.close()
        last = {e.document: i for i, e in enumerate(self.entries)}
        current = [e for i, e in enumerate(self.entries) if last[e.document] == i]
        wanted = {(e.file, e.document) for e in current}
        used = {e.file for e in current}
        strip: dict[str, set[str]] = defaultdict(set)
        for i, e in enumerate(self.entries):
            if last[e.document] != i and (e.file, e.document) not in wanted and e.file in used:
                strip[e.file].add(e.document)
        for name, graphs in strip.items():
            _strip_graphs(self.folder / name, graphs)
        for p in self.folder.iterdir():
            stale_data = p.name.startswith(("doc-", "shard-")) and p.suffix == ".nq" and p.name not in used
            if stale_data or p.name.startswith(_TMP):
                p.unlink(missing_ok=True)
        links = link_quads((e for _, e in self._read()), settings)
        write_atomic(self.folder / LINKS, serialize(links, format=RdfFormat.N_QUADS))
        kept = (line.encode("utf-8") + b"\n" for i, (line, e) in enumerate(self._read()) if last[e.document] == i)
        write_atomic(self.path, kept)
        self.entries = current
        size = sum((self.folder / name).stat().st_size for name in used) + (self.folder / LINKS).stat().st_size
        return len(used), size, len(links)


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as f:
        f.seek(-1, os.SEEK_END)
        return f.read(1) == b"\n"


def _strip_graphs(path: Path, graphs: set[str]) -> None:
    """Rewrite an N-Quads file without the quads of ``graphs`` (each quad is one line ending in its graph)."""
    ends = tuple(f" <{g}> .".encode("utf-8") for g in graphs)
    kept = [line for line in path.read_bytes().splitlines(keepends=True) if not line.rstrip().endswith(ends)]
    write_atomic(path, b"".join(kept))


def _file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ---------------------------------------------------------------- links between documents


def link_quads(entries: Iterable[Emitted], settings: Settings | None = None) -> list[Quad]:
    """The links between the documents of ``entries`` (in the order they were written).

    The documents are replayed into a small in-memory store holding only what
    :mod:`policykg.graph.links` queries, with the same resolver and the same
    "link the documents that were waiting for this one" step as a store
    ingest, so the links are the ones ``policykg ingest --store`` would have
    written; the quads the document files already hold are left out.
    """
    from .kg import KnowledgeGraph
    from .links import link_waiting_references, make_resolver

    settings = settings or Settings.from_env()
    index_settings = Settings(**{**settings.__dict__, "result_limit": 1 << 62})
    in_files: dict[str, set[Quad]] = {}
    with KnowledgeGraph(None, index_settings) as index:
        known: dict[str, str] = {}
        for e in entries:
            g, meta = e.document, e.links.get("meta", {})
            quads = list(parse(e.links.get("index", "").encode("utf-8"), format=RdfFormat.N_QUADS))
            resolve = make_resolver(index, known)
            container = iris.plan_iri(g) if meta.get("plan_title") else g
            graph = NamedNode(g)
            resolved = []
            for subject, predicate, title, number in e.links.get("cites", []):
                other = resolve(title, number)
                if other and other not in (g, container):
                    resolved.append(Quad(NamedNode(subject), NamedNode(predicate), NamedNode(other), graph))
            index.backend.replace_graph(g, quads + resolved)
            own = {q for q in quads if q.predicate.value in _LINK_PREDICATES}
            if own or g in in_files:
                in_files[g] = own
            known[g] = e.sha256
            link_waiting_references(index, g, _stand_in(e))
        rows = index.query("SELECT ?s ?p ?o ?g WHERE { VALUES ?p { pk:references pk:repeals pk:transmits } "
                           "GRAPH ?g { ?s ?p ?o } }", union=False)
        out = {Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows.rows}
    out = {q for q in out if q not in in_files.get(q.graph_name.value, ())}
    return sorted(out, key=str)


def _stand_in(e: Emitted) -> Document:
    """A document with just the metadata the link step reads (its IRI must come out the same)."""
    m = e.links.get("meta", {})
    span = m.get("plan_span")
    doc = Document(text="", source=e.source, sha256=e.sha256,
                   meta=Meta(title=m.get("title"), doc_number=m.get("doc_number"), jurisdiction=m.get("jurisdiction"),
                             plan_title=m.get("plan_title"), plan_span=Span(*span) if span else None))
    if document_iri_for(doc) != e.document:
        raise StoreError(f"The manifest entry for {e.source} does not match its document {e.document}; "
                         f"run again with --force to rewrite the folder.")
    return doc


# ---------------------------------------------------------------- the run


def emit(paths: Iterable[str | os.PathLike], folder: str | os.PathLike, *, shard_size: int | None = None,
         workers: int = 1, executor: str | None = "process", scheduler: str | None = None, force: bool = False,
         settings: Settings | None = None,
         progress: Callable[[IngestReport], None] | None = None) -> EmitRun:
    """Write the documents of ``paths`` (files and folders) as N-Quads files into ``folder``.

    One report per document (``added``/``replaced`` in the folder,
    ``unchanged``, or ``failed`` with the reason), in input order.  Files
    whose bytes are unchanged since an earlier run are skipped unless
    ``force``.  ``executor``/``workers``/``scheduler`` as for
    :meth:`KnowledgeGraph.ingest`; with Dask the workers write into
    ``folder``, which they must see at the same absolute path.
    """
    settings = settings or Settings.from_env()
    kind = choose_executor(executor, scheduler, workers)
    if shard_size is not None and shard_size < 1:
        raise PolicyKGError("The shard size must be at least 1 document per file.")
    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"The emit folder {out} cannot be created ({e.strerror or e}).") from None
    inputs = _collect_inputs(paths)
    refused = {str(f): e for f, e in inputs if e is not None}
    files = [str(f) for f, _ in inputs]
    reports: list[IngestReport] = []

    def report(rep: IngestReport) -> None:
        reports.append(rep)
        if progress:
            progress(rep)

    with _folder_lock(out):
        book = Manifest(out)
        skip = {} if force else book.unchanged([f for f in files if f not in refused])
        todo = [f for f in files if f not in refused and f not in skip]
        with Executor(kind if todo else "serial", workers=workers, scheduler=scheduler) as ex:  # no cluster for nothing
            size = shard_size or chunk_size(len(todo), ex.slots)
            results = _results(ex, todo, str(out.resolve()), shard_size, settings.max_file_bytes, size)
            try:
                for f in files:
                    if f in refused:
                        report(IngestReport(source=f, status="failed", error=str(refused[f])))
                    elif f in skip:
                        for e in skip[f]:
                            report(IngestReport(source=f, status="unchanged", document=e.document, quads=e.quads))
                    else:
                        for rep, em in _file_items(f, next(results)):
                            if em is not None:
                                rep.status = "replaced" if em.document in book.known else "added"
                                book.known.add(em.document)
                                book.append(em)
                            report(rep)
            finally:
                book.close()
        n_files, n_bytes, n_links = book.tidy(settings)
    return EmitRun(folder=out, reports=reports, files=n_files, bytes=n_bytes, links=n_links,
                   documents=len(book.entries))


def _results(ex: Executor, todo: list[str], folder: str, shard_size: int | None, max_bytes: int | None,
             size: int) -> Iterator:
    """Per input file (in order): its IngestError or its ``(report, entry)`` items."""
    chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
    argsets = [([(os.path.abspath(p), p) for p in c], folder, shard_size, max_bytes) for c in chunks]
    for chunk, result in zip(chunks, ex.map_ordered(emit_files, argsets)):
        if isinstance(result, TaskFailed):  # a file may have killed its worker: each file once more, alone
            result = [_one_again(ex, p, folder, shard_size, max_bytes) for p in chunk]
        yield from result


def _one_again(ex: Executor, path: str, folder: str, shard_size: int | None, max_bytes: int | None):
    result = ex.call(emit_files, [(os.path.abspath(path), path)], folder, shard_size, max_bytes)
    return worker_failed(path, result) if isinstance(result, TaskFailed) else result[0]


def _file_items(path: str, item) -> list[tuple[IngestReport, Emitted | None]]:
    if isinstance(item, IngestError):
        return [(IngestReport(source=path, status="failed", error=str(item), detail=getattr(item, "detail", None)),
                 None)]
    return item


class _folder_lock:
    """One emit run per folder at a time (an advisory lock the OS drops with the process)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / _LOCK
        self.fd = None

    def __enter__(self):
        try:
            import fcntl
        except ImportError:  # not on POSIX: no lock
            return self
        self.fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.fd)
            self.fd = None
            raise StoreError(f"The emit folder {self.path.parent} is in use by another policykg run; "
                             f"wait for it or emit into another folder.") from None
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


__all__ = ["EmitRun", "Emitted", "Manifest", "emit", "emit_files", "link_quads", "write_atomic", "MANIFEST", "LINKS"]
