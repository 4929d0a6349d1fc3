"""Graph formats for visualisation tools, written from the networkx projection.

Each writer takes the :class:`networkx.MultiDiGraph` of
:func:`policykg.graph.export_select.select` and returns bytes:

============  ===========================================================
``graphml``   GraphML 1.0 (yEd, Gephi, Cytoscape desktop); node ids ``n0…`` (GraphML ids are NMTOKENs),
              the IRI in the ``iri`` attribute; valid against the official XSD
``gexf``      GEXF 1.3 (Gephi) with ``viz:`` colours by type and sizes by degree; written here because
              networkx's writer does not produce valid 1.3
``cyjs``      Cytoscape.js JSON, ``{"elements": {"nodes": […], "edges": […]}}`` (also Cytoscape desktop)
``json``      networkx node-link JSON (D3, notebooks: ``nx.node_link_graph(data, edges="links")``)
``dot``       Graphviz DOT, clustered by document (or by top-level section), Chinese labels
``svg/png``   the DOT rendered by Graphviz's ``dot`` when it is installed
``mermaid``   a Mermaid flowchart for Markdown
============  ===========================================================
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import defaultdict

import networkx as nx
from lxml import etree

from .. import __version__
from ..errors import ExportError
from ..ontology.namespaces import DCTERMS, PK
from .export_style import FONT, colour, node_size, rgb, short, text_colour, type_name, wrap
from .network import display_name, sort_key

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

# XML 1.0 forbids most control characters (a PDF can leave some in a label).
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(s) -> str:
    return _XML_BAD.sub("", str(s))


def ordered_nodes(g: nx.MultiDiGraph) -> list[tuple[str, dict]]:
    """Nodes in document order (documents, then their sections by position, then the rest by name)."""
    return sorted(g.nodes(data=True), key=lambda na: sort_key(na[0], na[1]))


def ordered_edges(g: nx.MultiDiGraph) -> list[tuple[str, str, str, dict]]:
    return sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1]))


def node_label(attrs: dict) -> str:
    """What a node is called in a drawing: ``2.1.1 智能软件新产能``, ``区科委``, a 文号."""
    return " ".join(display_name(attrs).split()) or attrs.get("iri", "")


def edge_label(attrs: dict) -> str:
    """The Chinese name of an edge's predicate (``牵头单位``), else the English one."""
    return attrs.get("label_zh") or attrs.get("label", "")


def _json(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, indent=1).encode("utf-8")


# ---------------------------------------------------------------- GraphML


def _xml_type(values) -> str:
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "long"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


def _attr_table(items) -> dict[str, str]:
    """``{attribute name: GraphML/GEXF type}`` over the attribute dicts in ``items`` (stable order)."""
    seen: dict[str, list] = {}
    for a in items:
        for k, v in a.items():
            seen.setdefault(k, []).append(v)
    return {k: _xml_type(v) for k, v in seen.items()}


def _node_rows(g: nx.MultiDiGraph) -> list[tuple[str, dict]]:
    """Nodes with the attributes every graph format carries (label, type, colour, degree …)."""
    rows = []
    for n, a in ordered_nodes(g):
        t = a.get("type", "Thing")
        row = {"label": node_label(a), "type": t, "type_zh": type_name(t), "iri": n,
               "document": a.get("document", ""), "color": colour(t), "degree": g.degree(n)}
        for k, v in a.items():
            if k not in row and k != "label" and v is not None:
                row[k] = v
        if a.get("label") and a["label"] != row["label"]:
            row["name"] = a["label"]
        rows.append((n, row))
    return rows


def _edge_rows(g: nx.MultiDiGraph) -> list[tuple[str, str, dict]]:
    rows = []
    for s, o, k, a in ordered_edges(g):
        rows.append((s, o, {"label": edge_label(a), "label_en": a.get("label", k), "predicate": a.get("predicate", ""),
                            "relation": k, "document": a.get("document", "")}))
    return rows


def to_graphml(g: nx.MultiDiGraph) -> bytes:
    nodes, edges = _node_rows(g), _edge_rows(g)
    ids = {n: f"n{i}" for i, (n, _) in enumerate(nodes)}
    root = etree.Element(f"{{{GRAPHML_NS}}}graphml", nsmap={None: GRAPHML_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{GRAPHML_NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd")
    tables = {"node": _attr_table(a for _, a in nodes), "edge": _attr_table(a for _, _, a in edges)}
    etree.SubElement(root, f"{{{GRAPHML_NS}}}key", id="g_title", attrib={"for": "graph", "attr.name": "title",
                                                                       "attr.type": "string"})
    for kind, table in tables.items():
        for name, typ in table.items():
            etree.SubElement(root, f"{{{GRAPHML_NS}}}key", id=f"{kind[0]}_{name}",
                             attrib={"for": kind, "attr.name": name, "attr.type": typ})
    graph = etree.SubElement(root, f"{{{GRAPHML_NS}}}graph", id="G", edgedefault="directed")
    etree.SubElement(graph, f"{{{GRAPHML_NS}}}data", key="g_title").text = xml_text(g.graph.get("title", ""))

    def data(el, kind, attrs):
        for k, v in attrs.items():
            d = etree.SubElement(el, f"{{{GRAPHML_NS}}}data", key=f"{kind[0]}_{k}")
            d.text = ("true" if v else "false") if isinstance(v, bool) else xml_text(v)

    for n, a in nodes:
        data(etree.SubElement(graph, f"{{{GRAPHML_NS}}}node", id=ids[n]), "node", a)
    for i, (s, o, a) in enumerate(edges):
        data(etree.SubElement(graph, f"{{{GRAPHML_NS}}}edge", id=f"e{i}", source=ids[s], target=ids[o]), "edge", a)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ---------------------------------------------------------------- GEXF 1.3


_GEXF_TYPES = {"long": "long", "double": "double", "boolean": "boolean", "string": "string"}


def to_gexf(g: nx.MultiDiGraph) -> bytes:
    nodes, edges = _node_rows(g), _edge_rows(g)
    E = lambda parent, tag, **kw: etree.SubElement(parent, f"{{{GEXF_NS}}}{tag}", attrib=kw)  # noqa: E731
    root = etree.Element(f"{{{GEXF_NS}}}gexf", nsmap={None: GEXF_NS, "viz": VIZ_NS, "xsi": XSI_NS}, version="1.3")
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{GEXF_NS} http://gexf.net/1.3/gexf.xsd")
    meta = E(root, "meta")
    E(meta, "creator").text = f"policykg {__version__}"
    E(meta, "description").text = xml_text(f"{g.graph.get('title', 'policykg')} — {g.graph.get('selection', '')}")
    graph = E(root, "graph", mode="static", defaultedgetype="directed")
    tables = {}
    for kind, rows in (("node", [a for _, a in nodes]), ("edge", [a for _, _, a in edges])):
        table = _attr_table(rows)
        table.pop("label", None)  # GEXF has its own label attribute
        tables[kind] = table
        attrs = E(graph, "attributes", **{"class": kind})
        for name, typ in table.items():
            E(attrs, "attribute", id=name, title=name, type=_GEXF_TYPES[typ])

    def attvalues(el, kind, a):
        vals = E(el, "attvalues")
        for k in tables[kind]:
            if k in a:
                v = a[k]
                E(vals, "attvalue", **{"for": k, "value": ("true" if v else "false") if isinstance(v, bool)
                                       else xml_text(v)})

    nodes_el = E(graph, "nodes", count=str(len(nodes)))
    for n, a in nodes:
        el = E(nodes_el, "node", id=xml_text(n), label=xml_text(a["label"]))
        attvalues(el, "node", a)
        r, gg, b = rgb(a["type"])
        etree.SubElement(el, f"{{{VIZ_NS}}}color", r=str(r), g=str(gg), b=str(b), a="1.0")
        etree.SubElement(el, f"{{{VIZ_NS}}}size", value=str(node_size(a["degree"])))
    edges_el = E(graph, "edges", count=str(len(edges)))
    for i, (s, o, a) in enumerate(edges):
        el = E(edges_el, "edge", id=f"e{i}", source=xml_text(s), target=xml_text(o), label=xml_text(a["label"]),
               kind=a["relation"])
        attvalues(el, "edge", a)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ---------------------------------------------------------------- JSON: Cytoscape.js and node-link


def to_cytoscape(g: nx.MultiDiGraph) -> bytes:
    """Cytoscape.js elements JSON; ``name``/``interaction`` are what Cytoscape desktop reads."""
    nodes = [{"data": {"id": n, "name": a["label"], **a}} for n, a in _node_rows(g)]
    edges = [{"data": {"id": f"e{i}", "source": s, "target": o, "interaction": a["relation"], **a}}
             for i, (s, o, a) in enumerate(_edge_rows(g))]
    return _json({"format_version": "1.0", "generated_by": f"policykg {__version__}",
                  "target_cytoscapejs_version": "~3.2",
                  "data": {"name": g.graph.get("title", ""), "selection": g.graph.get("selection", "")},
                  "elements": {"nodes": nodes, "edges": edges}})


def to_node_link(g: nx.MultiDiGraph) -> bytes:
    """networkx node-link JSON with links under ``links`` (read back with ``nx.node_link_graph(d, edges="links")``)."""
    h = nx.MultiDiGraph(**{k: v for k, v in g.graph.items()})
    for n, a in _node_rows(g):
        h.add_node(n, **{k: v for k, v in a.items() if k != "iri"})
    for s, o, k, a in ordered_edges(g):
        h.add_edge(s, o, key=k, **a, label_shown=edge_label(a))
    return _json(nx.node_link_data(h, edges="links"))


# ---------------------------------------------------------------- DOT, SVG, PNG


CLUSTERS = ("document", "section", "none")


def dot_quote(s) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, line breaks as ``\\n``."""
    s = xml_text(s).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"\r\n|\r|\n", r"\\n", s) + '"'


def _tops(g: nx.MultiDiGraph) -> dict[str, str]:
    """Each section or target → the top-level section it sits in (for clusters by section)."""
    parent: dict[str, str] = {}
    for s, o, k, a in g.edges(keys=True, data=True):
        if a.get("predicate") in (DCTERMS.isPartOf, PK.statedIn):
            parent.setdefault(s, o)
    tops = {}
    for n in g:
        chain, cur = [n], n
        while cur in parent and len(chain) < 64:
            cur = parent[cur]
            chain.append(cur)
        sections = [c for c in chain if g.nodes[c].get("path")]
        if sections:
            tops[n] = sections[-1]
    return tops


def to_dot(g: nx.MultiDiGraph, cluster: str = "document") -> bytes:
    if cluster not in CLUSTERS:
        raise ExportError(f"Clusters can be by {', '.join(CLUSTERS)}, not {cluster!r}.")
    q = dot_quote
    out = [f"digraph {q(g.graph.get('title', 'policykg'))} {{",
           f"  graph [charset=\"UTF-8\", rankdir=LR, fontname={q(FONT)}, fontsize=14, labelloc=t, "
           f"label={q(g.graph.get('title', ''))}, nodesep=0.15, ranksep=0.6];",
           f"  node [shape=box, style=\"rounded,filled\", fontname={q(FONT)}, fontsize=10, penwidth=0];",
           f"  edge [fontname={q(FONT)}, fontsize=8, color=\"#78909c\", fontcolor=\"#546e7a\", arrowsize=0.6];"]
    nodes = ordered_nodes(g)
    docs_of = {n: a.get("document", "").split() for n, a in nodes}
    groups: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    loose: list[str] = []
    tops = _tops(g) if cluster == "section" else {}
    for n, _ in nodes:
        d = docs_of[n]
        if cluster == "none" or len(d) != 1:
            loose.append(n)
        else:
            groups[d[0]][tops.get(n, "")].append(n)

    def node_line(n: str, indent: str) -> str:
        a = g.nodes[n]
        t = a.get("type", "Thing")
        label = "\n".join(wrap(node_label(a), 24, 3))
        return (f"{indent}{q(n)} [label={q(label)}, fillcolor={q(colour(t))}, fontcolor={q(text_colour(t))}, "
                f"tooltip={q(type_name(t) + ' · ' + a.get('label', ''))}];")

    for i, (doc, by_top) in enumerate(sorted(groups.items())):
        title = node_label(g.nodes[doc]) if doc in g else doc.rsplit("/", 1)[-1]
        out.append(f"  subgraph {q(f'cluster_{i}')} {{")
        out.append(f"    label={q(title)}; style=\"rounded\"; color=\"#b0bec5\"; fontsize=12;")
        tops_in_order = sorted(by_top.items(), key=lambda kv: sort_key(kv[0], g.nodes.get(kv[0], {})))
        for j, (top, members) in enumerate(tops_in_order):
            if top:
                out.append(f"    subgraph {q(f'cluster_{i}_{j}')} {{")
                out.append(f"      label={q(short(node_label(g.nodes[top]), 40))}; style=\"rounded,dashed\"; "
                           f"color=\"#cfd8dc\";")
                out += [node_line(n, "      ") for n in members]
                out.append("    }")
            else:
                out += [node_line(n, "    ") for n in members]
        out.append("  }")
    out += [node_line(n, "  ") for n in loose]
    for s, o, k, a in ordered_edges(g):
        # containment is drawn container → part (dir=back keeps the arrow's meaning), so the
        # layout reads left to right: document, sections, actions, then their targets and units
        if k == "isPartOf":
            out.append(f"  {q(o)} -> {q(s)} [dir=back, color=\"#cfd8dc\", tooltip={q(edge_label(a))}];")
        elif k == "statedIn":
            out.append(f"  {q(o)} -> {q(s)} [dir=back, label={q(edge_label(a))}];")
        else:
            out.append(f"  {q(s)} -> {q(o)} [label={q(edge_label(a))}];")
    out.append("}")
    return ("\n".join(out) + "\n").encode("utf-8")


GRAPHVIZ_HINT = ("install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz; "
                 "Windows: winget install graphviz) or export --format dot and render it elsewhere")


def render(dot: bytes, fmt: str, timeout: float = 120.0) -> bytes:
    """Render DOT to ``svg`` or ``png`` with Graphviz's ``dot`` program."""
    exe = shutil.which("dot")
    if exe is None:
        raise ExportError(f"Rendering {fmt} needs Graphviz's dot program, which is not installed; {GRAPHVIZ_HINT}.")
    args = [exe, f"-T{fmt}"] + (["-Gdpi=110"] if fmt == "png" else [])
    try:
        proc = subprocess.run(args, input=dot, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ExportError(f"Graphviz took more than {timeout:.0f} s to lay the graph out; export a smaller "
                          f"selection (--document, --unit, --entity or --types).") from None
    if proc.returncode != 0 or not proc.stdout:
        why = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExportError(f"Graphviz could not render the graph ({why[0] if why else f'exit {proc.returncode}'}).")
    return proc.stdout


# ---------------------------------------------------------------- Mermaid


_MERMAID_SPECIAL = set('"#<>&`|*_\\[]{}();:~%')


def mermaid_text(s: str) -> str:
    """A label safe inside Mermaid quotes: specials as ``#NN;`` entity codes, one line.

    >>> mermaid_text('a "b" <c> #1')
    'a #34;b#34; #60;c#62; #35;1'
    """
    s = " ".join(xml_text(s).split())
    return "".join(f"#{ord(c)};" if c in _MERMAID_SPECIAL else c for c in s)


MERMAID_DIRECTIONS = ("LR", "RL", "TB", "TD", "BT")


def to_mermaid(g: nx.MultiDiGraph, direction: str = "LR") -> bytes:
    if direction not in MERMAID_DIRECTIONS:
        raise ExportError(f"A Mermaid flowchart runs {', '.join(MERMAID_DIRECTIONS)}, not {direction!r}.")
    nodes = ordered_nodes(g)
    ids = {n: f"n{i}" for i, (n, _) in enumerate(nodes)}
    out = ["---", f"title: {json.dumps(g.graph.get('title', 'policykg'), ensure_ascii=False)}", "---",
           f"flowchart {direction}"]
    types = sorted({a.get("type", "Thing") for _, a in nodes})
    for t in types:
        out.append(f"  classDef {t} fill:{colour(t)},color:{text_colour(t)},stroke:#455a64,stroke-width:0px")
    for n, a in nodes:
        out.append(f'  {ids[n]}["{mermaid_text(short(node_label(a), 36))}"]:::{a.get("type", "Thing")}')
    for s, o, k, a in ordered_edges(g):
        arrow = "-.->" if k == "isPartOf" else "-->"
        out.append(f'  {ids[s]} {arrow}|"{mermaid_text(edge_label(a))}"| {ids[o]}')
    return ("\n".join(out) + "\n").encode("utf-8")


__all__ = ["to_graphml", "to_gexf", "to_cytoscape", "to_node_link", "to_dot", "render", "to_mermaid", "dot_quote",
           "mermaid_text", "node_label", "edge_label", "CLUSTERS", "GRAPHVIZ_HINT", "xml_text"]
