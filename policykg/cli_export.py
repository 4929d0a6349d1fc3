"""``policykg export``: a thin shell over :func:`policykg.graph.export.export_result`."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from .cli import open_kg, store_option
from .errors import Ambiguous, ExportError


def _format_help() -> str:
    from .graph.export import FORMATS

    return "\n".join(f"{f.name:<8} {f.description}" for f in FORMATS.values())


@click.command(epilog="\b\nFormats:\n" + _format_help())
@click.option("--format", "fmt", metavar="FORMAT",
              help="One of the formats listed below (default: from the -o file's extension).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (default: standard output).")
@click.option("--document", metavar="IRI|文号", help="Only this document: its IRI, 文号 or title.")
@click.option("--unit", metavar="NAME", help="One unit's portfolio: what it owns and who shares it.")
@click.option("--entity", metavar="NAME", help="The neighbourhood of one entity (with --depth).")
@click.option("--depth", type=click.IntRange(1, 10), default=None,
              help="Edges to follow from --entity, either way (default 1).")
@click.option("--types", metavar="TYPE,…",
              help="Keep only these node types, e.g. Action,GovernmentBody (Section keeps goals, actions, measures).")
@click.option("--cluster", type=click.Choice(["document", "section", "none"]), default="document",
              show_default=True, help="How dot/svg/png group the nodes.")
@store_option
def export(fmt, output, document, unit, entity, depth, types, cluster, store):
    """Export the graph for Gephi, Cytoscape, yEd, Graphviz, a browser or a spreadsheet.

    \b
    policykg export --format graphml -o policy.graphml        the whole graph
    policykg export --format html --document 普府办〔2022〕16号 -o 16号.html
    policykg export --format xlsx --unit 区科委 -o 区科委任务分工表.xlsx
    policykg export --format svg --entity 区科委 --depth 2 -o 区科委.svg
    policykg export --format gexf --types Action,GovernmentBody -o owners.gexf

    Without -o the export goes to standard output (text formats only).
    """
    from .graph.export import export_result, format_of

    if not fmt and output is None:
        raise click.UsageError("Name a format with --format (or give -o FILE with a known extension).")
    try:
        f = format_of(fmt or output.suffix)
    except ExportError as e:
        raise click.UsageError(str(e)) from None
    if output is None and f.binary and sys.stdout.isatty():
        raise click.UsageError(f"{f.name} is a binary format; write it to a file with -o FILE.")
    with open_kg(store, read_only=True) as kg:
        try:
            res = export_result(kg, f.name, document=document, unit=unit, entity=entity, depth=depth, types=types,
                                cluster=cluster)
        except Ambiguous as e:
            click.echo(f"error: {e}", err=True)
            for i, c in enumerate(e.candidates, start=1):
                name = c.get("label") or ""
                click.echo(f"  {i}. {name} ({c.get('type', '')})  <{c['iri']}>", err=True)
            sys.exit(2)
    if output is None:
        out = click.get_binary_stream("stdout")
        out.write(res.data)
        out.flush()
        return
    _write_atomically(output, res.data)
    what = (f"{res.edges:,} statements about {res.nodes:,} subjects" if f.rdf
            else f"{res.nodes:,} nodes, {res.edges:,} edges")
    click.echo(f"wrote {f.name}: {what} → {output} ({_size(len(res.data))})", err=True)


def _write_atomically(path: Path, data: bytes) -> None:
    """Write the whole file or nothing (a failed export never leaves half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} B"


COMMANDS = [export]
