"""``policykg deps`` and ``policykg stats``: thin shells over :mod:`policykg.graph.deps`
and :mod:`policykg.graph.network`.

An ENTITY that names several things prints a numbered list of candidates on
stderr and exits with 2 (a usage error: the argument must name one thing);
re-run with ``--pick N`` or with the IRI.  A name that matches nothing exits
with 1, like every other failed command.
"""

from __future__ import annotations

import csv
import io
import json
import sys

import click

from .cli import open_kg, store_option
from .errors import Ambiguous


@click.command()
@click.argument("entity", metavar="ENTITY")
@click.option("--direction", "-d", type=click.Choice(["down", "up", "both"]), default="down", show_default=True,
              help="down: what depends on ENTITY; up: what ENTITY depends on; both.")
@click.option("--depth", type=click.IntRange(1, 20), default=3, show_default=True,
              help="How many edges to follow from ENTITY.")
@click.option("--format", "fmt", type=click.Choice(["tree", "json", "csv"]), default="tree", show_default=True,
              help="tree for people; json (paths with edge labels) or csv (one row per node) for programs.")
@click.option("--pick", type=click.IntRange(1, 1000), default=None, metavar="N",
              help="When ENTITY names several things, take the N-th of the listed candidates.")
@store_option
def deps(entity, direction, depth, fmt, pick, store):
    """Trace dependencies: what depends on ENTITY, or what it depends on.

    ENTITY is a name as written (区科委), a full name (上海市普陀区科学技术委员会),
    an alias, an IRI or a search term.  Down from a unit lists its actions,
    then their targets and what they build, then what relies on those; up
    from a target lists the section it is stated in and that section's units.
    Every line says which edge brought the node in (led by, stated in, built
    by, relies on, part of …), so the answer explains itself.  When ENTITY
    names several things the candidates are listed and the exit code is 2.
    """
    from .graph.deps import dependencies
    from .graph.lookup import resolve_entity

    with open_kg(store, read_only=True) as kg:
        try:
            hit = resolve_entity(kg, entity)
        except Ambiguous as e:
            if pick is None:
                _print_candidates(e)
                sys.exit(2)
            if pick > min(len(e.candidates), SHOWN):
                raise click.UsageError(f"--pick {pick}: there are only {min(len(e.candidates), SHOWN)} candidates.")
            hit = resolve_entity(kg, e.candidates[pick - 1]["iri"])
        result = dependencies(kg, hit, direction, depth)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        rows = result.rows()
        buf = io.StringIO()
        fields = ["direction", "depth", "iri", "name", "type", "document", "edge", "parent", "parent_name",
                  "explanation"]
        w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\r\n")
        w.writeheader()
        w.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
    else:
        click.echo(result.tree())


SHOWN = 10  # candidates listed when a name is ambiguous


def _print_candidates(e: Ambiguous) -> None:
    click.echo(f"error: {e}", err=True)
    for i, c in enumerate(e.candidates[:SHOWN], start=1):
        extra = [c.get("type", "")]
        if c.get("full_name") and c["full_name"] != c.get("label"):
            extra.append(c["full_name"])
        elif c.get("jurisdiction"):
            extra.append(c["jurisdiction"])
        n = c.get("documents", 0)
        extra.append(f"{n} document{'s' if n != 1 else ''}")
        click.echo(f"  {i}. {c.get('label', '')} ({' · '.join(x for x in extra if x)})  <{c['iri']}>", err=True)
    if len(e.candidates) > SHOWN:
        click.echo("  … and more: give a fuller name to see them.", err=True)
    click.echo("choose one with --pick N, or give its IRI.", err=True)


@click.command()
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="How many units to list by reach.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@store_option
def stats(top, fmt, store):
    """Counts, the units with the widest reach and the targets nobody owns.

    Counts documents, sections, actions, targets, responsible units and named
    entities; ranks units by betweenness and degree in the co-responsibility
    network (two units are linked when they share a section); and lists the
    targets whose section names no responsible unit (orphan targets).
    """
    from .graph.network import summary

    with open_kg(store, read_only=True) as kg:
        s = summary(kg, top=top)
    if fmt == "json":
        click.echo(json.dumps(s, ensure_ascii=False, indent=2))
        return
    c = s["counts"]
    click.echo("  ".join(f"{k}: {v:,}" for k, v in c.items()))
    click.echo()
    click.echo(f"units with the widest reach (co-responsibility network, top {top}):")
    if not s["reach"]:
        click.echo("  (no units share a section)")
    else:
        from .graph.results import _width

        w = max(_width(r["label"]) for r in s["reach"])
        click.echo(f"  {'unit':<{w}}  betweenness  degree  shared  sections")
        for r in s["reach"]:
            pad = " " * (w - _width(r["label"]))
            click.echo(f"  {r['label']}{pad}  {r['betweenness']:>11.3f}  {r['degree']:>6}  {r['shared']:>6}  "
                       f"{r['sections']:>8}")
    o = s["orphan_targets"]
    click.echo()
    click.echo(f"orphan targets (no responsible unit in their section or above it): {o['count']}")
    for r in o["examples"]:
        where = " ".join(x for x in (r.get("docNumber", ""), r.get("path", "")) if x)
        click.echo(f"  {where}  {r.get('clause', '')}".rstrip())
    if o["count"] > len(o["examples"]):
        click.echo(f"  … {o['count'] - len(o['examples'])} more: policykg query --name targets-without-owner")


COMMANDS = [deps, stats]

__all__ = ["COMMANDS", "deps", "stats"]
