"""The ``policykg`` command line: thin shells over :class:`KnowledgeGraph`.

Each command parses its options, makes one library call and formats the
result.  Errors print as one sentence on stderr; exit codes are 0 (ok),
1 (some inputs failed or the command failed) and 2 (usage error).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import PolicyKGError
from .settings import DEFAULT_STORE, Settings

STORE_HELP = (f"Store folder, or an http(s):// SPARQL endpoint URL (default: $POLICYKG_STORE, "
              f"then {DEFAULT_STORE}).")


class PolicyKGGroup(click.Group):
    """Turns PolicyKGError into one line on stderr (traceback only with --debug)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PolicyKGError as e:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: {e}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted; every document written so far is complete.", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except Exception as e:  # a bug: still one sentence unless --debug
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: unexpected {type(e).__name__}: {e} (run with --debug for the traceback)", err=True)
            sys.exit(1)


def _to_env(name: str):
    def callback(ctx, param, value):
        if value:
            os.environ[name] = value
        return value

    return callback


def store_option(f):
    """``--store`` plus the remote endpoint's update and Graph Store URLs.

    The URL options land in the environment (``POLICYKG_UPDATE_URL`` …) where
    :class:`Settings` reads them, so every command that takes ``--store``
    takes a remote endpoint the same way.
    """
    f = click.option("--graph-store-url", metavar="URL", expose_value=False,
                     callback=_to_env("POLICYKG_GRAPH_STORE_URL"),
                     help="Graph Store Protocol URL of a remote store (default: next to the query URL).")(f)
    f = click.option("--update-url", metavar="URL", expose_value=False, callback=_to_env("POLICYKG_UPDATE_URL"),
                     help="SPARQL Update URL of a remote store (default: next to the query URL).")(f)
    return click.option("--store", "store", metavar="DIR|URL", default=None, help=STORE_HELP)(f)


def open_kg(store: str | None, *, read_only: bool = False, memory: bool = False, **overrides):
    """Open the knowledge graph the options name (``--store`` → env → default).

    ``memory`` opens an in-memory store instead (a dry run writes nothing).
    """
    from .graph import KnowledgeGraph

    settings = Settings.from_env(**overrides)
    location = store or settings.store
    settings.store = location
    if memory:
        return KnowledgeGraph(None, settings)
    if read_only and not str(location).startswith(("http://", "https://")):
        from .errors import StoreError

        if not Path(location).exists():
            raise StoreError(f"There is no store at {location}; run `policykg ingest PATH --store {location}` first.")
    return KnowledgeGraph(location, settings, read_only=read_only)


@click.group(cls=PolicyKGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policykg")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Chinese policy documents → an RDF knowledge graph of who owns what.

    \b
    policykg ingest samples/            load files or folders into the store
    policykg query --name who-owns-what  run a named query (policykg queries lists them)
    policykg deps 区科委                  what depends on a unit, and why
    policykg export --format graphml     open the graph in Gephi, yEd, Cytoscape …
    policykg serve                       SPARQL endpoint and lookups over HTTP
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


# --------------------------------------------------------------------- ingest


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@store_option
@click.option("--dry-run", is_flag=True, help="Parse and report without writing to the store.")
@click.option("--force", is_flag=True, help="Rewrite documents even when the file is unchanged.")
@click.option("--workers", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Parse in this many processes (one writer).")
@click.option("--executor", type=click.Choice(["process", "dask"]), default=None,
              help="Where --workers parse: a process pool here (process, the default) or a Dask local cluster "
                   "(dask; needs the dask extra).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Parse on a running Dask cluster (tcp://host:8786); its workers need policykg and the files "
                   "at the same paths.")
@click.option("--emit", "emit_dir", metavar="DIR", type=click.Path(file_okay=False), default=None,
              help="Write each document's quads as N-Quads files into DIR (with manifest.jsonl and links.nq) for a "
                   "store's bulk loader (oxigraph load …) instead of writing a store.")
@click.option("--shard-size", type=click.IntRange(1, None), default=None, metavar="N",
              help="With --emit: the documents of N files per N-Quads file instead of one file per document.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Per-file report as lines or as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="Only errors and the summary.")
@click.pass_context
def ingest(ctx, paths, store, dry_run, force, workers, executor, scheduler, emit_dir, shard_size, fmt, quiet):
    """Ingest policy files or folders (recursively) into the store.

    Each file is parsed and written as one document graph in one
    transaction; a file that fails is reported and leaves the store as it
    was.  An unchanged file is skipped.  Use - to read one file from stdin
    (text in any encoding, .docx, .pdf or .html: the bytes tell which).
    With --emit DIR no store is written: each document becomes N-Quads for
    a store's own bulk loader (see docs/scaling.md).
    """
    import json
    from contextlib import nullcontext

    from .graph.kg import IngestReport

    if shard_size is not None and emit_dir is None:
        raise click.UsageError("--shard-size goes with --emit DIR.")
    if emit_dir is not None and (store or dry_run or "-" in paths):
        raise click.UsageError("--emit DIR writes N-Quads files instead of a store: leave out --store, --dry-run "
                               "and - (standard input).")
    emitted = None
    stdin_doc = None
    files = [p for p in paths if p != "-"]
    if "-" in paths:
        stdin_doc = sys.stdin.buffer.read()
    with (nullcontext() if emit_dir else open_kg(store, memory=dry_run)) as kg:
        reports: list[IngestReport] = []
        show = _ProgressPrinter(quiet=quiet or fmt == "json")
        with show:
            if stdin_doc is not None:
                rep = kg.ingest_bytes(stdin_doc, "<stdin>", dry_run=dry_run, force=force)
                show(rep)
                reports.append(rep)
            if files:
                show.total(len(list(_iter(files))))
                if emit_dir:
                    from .graph.emit import emit

                    emitted = emit(files, emit_dir, shard_size=shard_size, workers=workers, executor=executor,
                                   scheduler=scheduler, force=force, progress=show)
                    reports += emitted.reports
                else:
                    reports += kg.ingest(files, dry_run=dry_run, force=force, workers=workers, executor=executor,
                                         scheduler=scheduler, progress=show)
        failed = [r for r in reports if not r.ok]
        if fmt == "json":
            click.echo(json.dumps([{k: v for k, v in r.__dict__.items() if k != "detail"} for r in reports],
                                  ensure_ascii=False, indent=2))
        debug = bool(ctx.obj and ctx.obj.get("debug"))
        for r in failed:
            if debug and getattr(r, "detail", None):
                click.echo(r.detail.rstrip(), err=True)
            click.echo("error: " + " ".join(str(r.error).split()), err=True)  # one line per failed file
        summary = _summary(reports, dry_run)
        if emitted is not None:
            summary = "emitted" + summary[len("ingested"):] + (
                f"\nwrote {emitted.files:,} N-Quads file{'s' if emitted.files != 1 else ''} + links.nq "
                f"({emitted.bytes / 1e6:,.1f} MB, {emitted.documents:,} documents in manifest.jsonl) to "
                f"{emitted.folder}; load with: {emitted.load_command()}")
        click.echo(summary, err=fmt == "json")
    if not reports:
        click.echo("error: no policy files found in the given paths (policykg reads .txt, .docx, .pdf, .html).",
                   err=True)
        sys.exit(1)
    sys.exit(1 if failed else 0)


def _iter(files):
    from .graph.kg import iter_input_files

    return iter_input_files(files)


def _summary(reports, dry_run: bool) -> str:
    from collections import Counter

    c = Counter(r.status for r in reports)
    parts = [f"{n} {s}" for s, n in sorted(c.items())]
    secs = sum(r.seconds for r in reports)
    verb = "parsed (dry run)" if dry_run else "ingested"
    n_files = len({r.source for r in reports})  # a file that bundles several documents reports each
    docs = f" ({len(reports)} documents)" if len(reports) != n_files else ""
    return (f"{verb}: {n_files} file{'s' if n_files != 1 else ''}{docs} — {', '.join(parts)}; "
            f"{sum(r.actions for r in reports if r.ok)} actions, {sum(r.targets for r in reports if r.ok)} targets, "
            f"{sum(r.quads for r in reports if r.ok):,} quads in {secs:.2f}s")


class _ProgressPrinter:
    """A progress bar on stderr plus one line per file."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self._progress = None
        self._task = None

    def __enter__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.console = Console(stderr=True, highlight=False)
        self._progress = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                  console=self.console, transient=True, disable=not self.console.is_terminal)
        self._progress.__enter__()
        return self

    def __exit__(self, *exc):
        self._progress.__exit__(*exc)

    def total(self, n: int) -> None:
        self._task = self._progress.add_task("ingest", total=n)

    def __call__(self, rep) -> None:
        if self._task is not None:
            self._progress.advance(self._task)
        if self.quiet and rep.ok:
            return
        mark = {"added": "+", "replaced": "~", "unchanged": "=", "parsed": "·", "failed": "x"}.get(rep.status, "?")
        if rep.ok:
            what = rep.doc_number or rep.title or ""
            enc = f", {rep.encoding}" if rep.encoding else ""
            line = (f"{mark} {rep.status:<9} {rep.source}  {what}  [{rep.sections} sections, {rep.actions} actions, "
                    f"{rep.targets} targets, {rep.units} units; {rep.format}{enc}]")
            for w in rep.warnings:
                line += f"\n    warning: {w}"
        else:
            line = f"{mark} {rep.status:<9} {rep.source}"
        click.echo(line)


# --------------------------------------------------------------------- query


@main.command()
@click.argument("sparql", required=False)
@click.option("--name", "-n", "name", metavar="NAME", help="Run a named query (see `policykg queries`).")
@click.option("-f", "--file", "file", type=click.File("r", encoding="utf-8"), help="Read the query from a .rq file.")
@click.option("--param", "-p", "params", multiple=True, metavar="K=V", help="Bind a parameter (repeatable).")
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "xml", "ttl", "nt"]),
              default="table", show_default=True,
              help="table for people; json = W3C SPARQL 1.1 Query Results JSON; csv/tsv/xml likewise.")
def query(sparql, name, file, params, store, fmt):
    """Run a SPARQL 1.1 query (text, -f FILE.rq, --name NAME or - for stdin).

    The default graph is the union of all documents; pk:, rdfs:, skos:,
    dcterms: … prefixes are predeclared.
    """
    given = [x for x in (sparql, name, file) if x]
    if len(given) != 1:
        raise click.UsageError("Give exactly one of: a SPARQL text, --name NAME, or -f FILE.rq.")
    bound = {}
    for p in params:
        if "=" not in p:
            raise click.UsageError(f"--param {p!r} must look like name=value.")
        k, v = p.split("=", 1)
        bound[k.strip()] = v
    if sparql == "-":
        sparql = sys.stdin.read()
    with open_kg(store, read_only=True) as kg:
        if name:
            res = kg.run_named(name, bound)
            if fmt == "table" and res.kind == "select":
                res = res.select(_table_columns(name, res))
        else:
            text = file.read() if file else sparql
            res = kg.query(text, params=bound or None)
    click.echo(format_results(res, fmt), nl=False)


def _table_columns(name: str, res) -> list[str]:
    """The columns a named query shows as a table: its ``# table:`` header, else every column but its
    parameters (projected only to be bound) and the node IRIs that end its rows (kept by csv/json)."""
    from pyoxigraph import NamedNode

    from .graph.named import load_named

    nq = load_named(name)
    if nq.table:
        return nq.table
    params = {p.name for p in nq.params}
    def iris(v):
        got = [r[v] for r in res.rows if r.get(v) is not None]
        return bool(got) and all(isinstance(t, NamedNode) for t in got)
    shown = [v for v in res.variables if v not in params and not iris(v)]
    return shown or res.variables


def format_results(res, fmt: str) -> str:
    if res.kind == "graph":
        from pyoxigraph import RdfFormat, serialize

        rdf = RdfFormat.N_TRIPLES if fmt in ("nt", "tsv", "csv") else RdfFormat.TURTLE
        from .ontology.namespaces import PREFIXES

        data = serialize(res.triples, format=rdf, prefixes=PREFIXES if rdf == RdfFormat.TURTLE else None)
        return data.decode("utf-8")
    if fmt == "json":
        return res.to_json() + "\n"
    if fmt == "csv":
        return res.to_csv()
    if fmt == "tsv":
        return res.to_tsv()
    if fmt == "xml":
        return res.to_xml()
    return res.to_table() + "\n"


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def queries(fmt):
    """List the named queries with their descriptions and parameters."""
    import json

    from .queries import list_named

    items = list_named()
    if fmt == "json":
        click.echo(json.dumps([{"name": q.name, "title": q.title, "description": q.description,
                                "params": [p.__dict__ for p in q.params]} for q in items],
                              ensure_ascii=False, indent=2))
        return
    for q in items:
        click.echo(f"{q.name}\n  {q.title}: {q.description}")
        for p in q.params:
            ex = f" (e.g. {p.example})" if p.example else ""
            click.echo(f"  --param {p.name}=…  {p.description}{ex}")
        click.echo()


def _register_optional_commands() -> None:
    """Commands that live in their own modules (kept small, one job each)."""
    import importlib

    for mod in ("policykg.cli_deps", "policykg.cli_export", "policykg.cli_serve"):
        try:
            m = importlib.import_module(mod)
        except ModuleNotFoundError as e:
            if e.name == mod:
                continue
            raise
        for cmd in getattr(m, "COMMANDS", []):
            main.add_command(cmd)


_register_optional_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
