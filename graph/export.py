"""Exports: the graph in the formats visualisation tools, notebooks and officials read.

:func:`export` is what ``kg.export(fmt, …)``, ``policykg export`` and the
HTTP API call.  It selects part of the graph (see
:mod:`policykg.graph.export_select`: whole graph, ``document``, ``unit``
portfolio, ``entity`` neighbourhood to ``depth``, ``types`` filter) and
writes it in one of :data:`FORMATS`; :func:`export_result` also says how
many nodes and edges went out and the media type and file extension.

>>> from policykg import KnowledgeGraph
>>> with KnowledgeGraph(None) as kg:
...     _ = kg.ingest_text("普陀区示例方案\\n\\n一、重点任务\\n\\n1. 数据归集。推进归集。（责任单位：区科委、区民政局）\\n")
...     res = export_result(kg, "cyjs", unit="区科委")
...     data = json.loads(kg.export("cyjs", unit="区科委"))
>>> res.format.media_type, res.nodes == len(data["elements"]["nodes"]), res.edges == len(data["elements"]["edges"])
('application/vnd.cytoscape.js+json', True, True)
>>> sorted(n["data"]["label"] for n in data["elements"]["nodes"] if n["data"]["type"] == "GovernmentBody")
['区民政局', '区科委']
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..errors import ExportError

from .export_select import Selection, select


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its name, file extension, media type and what it is for."""

    name: str
    extension: str
    media_type: str
    description: str
    binary: bool = False  # not text: never written to a terminal
    rdf: bool = False


FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("ttl", "ttl", "text/turtle", "Turtle (the union of the document graphs)", rdf=True),
    ExportFormat("nq", "nq", "application/n-quads", "N-Quads, one named graph per document", rdf=True),
    ExportFormat("trig", "trig", "application/trig", "TriG, one named graph per document", rdf=True),
    ExportFormat("jsonld", "jsonld", "application/ld+json", "JSON-LD with a @context for the pk: terms", rdf=True),
    ExportFormat("graphml", "graphml", "application/graphml+xml", "GraphML for yEd, Gephi, Cytoscape desktop"),
    ExportFormat("gexf", "gexf", "application/gexf+xml", "GEXF 1.3 for Gephi, coloured by type, sized by degree"),
    ExportFormat("cyjs", "cyjs", "application/vnd.cytoscape.js+json", "Cytoscape.js JSON"),
    ExportFormat("json", "json", "application/json", "networkx node-link JSON (D3, notebooks)"),
    ExportFormat("dot", "dot", "text/vnd.graphviz", "Graphviz DOT, clustered by document or section"),
    ExportFormat("svg", "svg", "image/svg+xml", "SVG drawn by Graphviz (needs Graphviz installed)"),
    ExportFormat("png", "png", "image/png", "PNG drawn by Graphviz (needs Graphviz installed)", binary=True),
    ExportFormat("mermaid", "mmd", "text/vnd.mermaid", "a Mermaid flowchart for Markdown"),
    ExportFormat("html", "html", "text/html", "an interactive page that opens offline in a browser"),
    ExportFormat("csv", "csv", "text/csv", "任务分工表 (序号, 任务, 牵头单位, 配合单位, 目标, 完成时限) as CSV"),
    ExportFormat("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "任务分工表 as an Excel workbook", binary=True),
)}

WRITER_OPTIONS = {"mermaid": ("direction",), "svg": ("timeout",), "png": ("timeout",)}
"""Options a format's writer takes besides the selection (``direction="TB"`` for Mermaid …)."""

ALIASES = {"turtle": "ttl", "nquads": "nq", "n-quads": "nq", "json-ld": "jsonld", "cytoscape": "cyjs",
           "node-link": "json", "nodelink": "json", "gv": "dot", "graphviz": "dot", "mmd": "mermaid",
           "htm": "html", "tasks": "xlsx"}


def format_of(name: str) -> ExportFormat:
    """The format called ``name`` (or one of its aliases, or a file extension)."""
    key = (name or "").strip().lower().lstrip(".")
    key = ALIASES.get(key, key)
    if key not in FORMATS:
        by_ext = {f.extension: f for f in FORMATS.values()}
        if key in by_ext:
            return by_ext[key]
        raise ExportError(f"There is no export format {name!r}; use one of {', '.join(FORMATS)}.")
    return FORMATS[key]


@dataclass
class ExportResult:
    """The bytes of an export and what they hold."""

    data: bytes
    format: ExportFormat
    nodes: int
    edges: int
    title: str = ""

    @property
    def media_type(self) -> str:
        mt = self.format.media_type
        return mt if self.format.binary or "charset" in mt else f"{mt}; charset=utf-8"

    @property
    def filename(self) -> str:
        return f"policykg.{self.format.extension}"


def export_result(kg, fmt: str, *, document: str | None = None, unit: str | None = None,
                  entity: str | None = None, depth: int | None = None, types=None, cluster: str = "document",
                  **options) -> ExportResult:
    """Select part of the graph and write it as ``fmt`` (see :data:`FORMATS`).

    ``cluster`` (``document``, ``section`` or ``none``) groups DOT/SVG/PNG
    drawings; other ``options`` go to the format's writer.  Raises
    :class:`ExportError` for an unknown format, a missing Graphviz or a
    graph too big for the HTML page.
    """
    f = format_of(fmt)
    unknown = sorted(set(options) - set(WRITER_OPTIONS.get(f.name, ())))
    if unknown:
        raise ExportError(f"The {f.name} export has no option {unknown[0]!r}"
                          + (f"; it takes {', '.join(WRITER_OPTIONS[f.name])}." if f.name in WRITER_OPTIONS else "."))
    sel = Selection.of(document=document, unit=unit, entity=entity, depth=depth, types=types)
    if f.rdf:
        return _rdf(kg, f, sel)
    if f.name in ("csv", "xlsx"):
        from .export_tasks import task_rows, tasks_csv, tasks_xlsx

        g = select(kg, sel)
        rows = task_rows(kg, g)
        data = tasks_csv(rows) if f.name == "csv" else tasks_xlsx(rows, title=g.graph.get("title", ""))
        return ExportResult(data, f, g.number_of_nodes(), g.number_of_edges(), g.graph.get("title", ""))
    if f.name == "html":
        from .export_html import to_html

        limit = kg.settings.html_max_nodes
        hint = ("the HTML page stays usable up to POLICYKG_HTML_MAX_NODES nodes: export a part with --document, "
                "--unit, --entity or --types, raise the setting, or use --format gexf for Gephi")
        g = select(kg, sel, max_nodes=limit, too_big=hint)
        return ExportResult(to_html(g), f, g.number_of_nodes(), g.number_of_edges(), g.graph.get("title", ""))
    from . import export_formats as w

    g = select(kg, sel)
    if f.name in ("dot", "svg", "png"):
        dot = w.to_dot(g, cluster=cluster)
        data = dot if f.name == "dot" else w.render(dot, f.name, **options)
    else:
        writer = {"graphml": w.to_graphml, "gexf": w.to_gexf, "cyjs": w.to_cytoscape, "json": w.to_node_link,
                  "mermaid": w.to_mermaid}[f.name]
        data = writer(g, **options)
    return ExportResult(data, f, g.number_of_nodes(), g.number_of_edges(), g.graph.get("title", ""))


def _rdf(kg, f: ExportFormat, sel: Selection) -> ExportResult:
    from .export_rdf import all_quads, quads_about, serialise
    from .export_select import resolve_document

    if sel.whole or (sel.document and not (sel.unit or sel.entity or sel.types)):
        documents = [resolve_document(kg, sel.document)] if sel.document else None
        quads = all_quads(kg, documents)
        title = sel.describe()
    else:
        g = select(kg, sel)
        documents = g.graph.get("documents") or None
        quads = quads_about(kg, set(g.nodes), documents)
        title = g.graph.get("title", "")
    subjects = {q.subject for q in quads}
    return ExportResult(serialise(quads, f.name), f, len(subjects), len(quads), title)


def export(kg, fmt: str, **kw) -> bytes:
    """The bytes of :func:`export_result` (what ``kg.export`` returns)."""
    return export_result(kg, fmt, **kw).data


__all__ = ["FORMATS", "ALIASES", "WRITER_OPTIONS", "ExportFormat", "ExportResult", "export", "export_result",
           "format_of", "Selection"]
