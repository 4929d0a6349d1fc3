"""The interactive HTML page: one self-contained file that opens offline.

The page inlines vis-network (the copy the ``pyvis`` wheel ships, located
with :mod:`importlib.metadata` and read from disk, so nothing is fetched and
pyvis itself is never imported), the page's own script and style from
``policykg/graph/static/``, and the graph as JSON inside
``<script type="application/json">`` with ``<``, ``>`` and ``&`` escaped.
The page script sets every label with ``textContent``, and a
Content-Security-Policy allows only the page's own inline scripts (by hash)
and no network access at all, so a document titled
``<script>alert(1)</script>`` shows that text and runs nothing.

The page shows colours by type with a legend (click a type to hide it), a
search box, and a card with a node's attributes and neighbours.  Graphs
with more than ``POLICYKG_HTML_MAX_NODES`` nodes (default 2000) are refused
with a hint to filter: beyond that a browser lays the graph out too slowly.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from functools import lru_cache
from importlib import metadata, resources

import networkx as nx

from .. import __version__
from ..errors import ExportError
from .export_formats import edge_label, node_label, ordered_edges, ordered_nodes
from .export_style import colour, short, text_colour, type_name

VIS_PATH = re.compile(r"^pyvis/lib/vis-(\d+(?:\.\d+)*)/vis-network\.min\.js$")
"""vis-network's standalone build inside the pyvis wheel (0.3.2 ships 9.1.2; the newest one is used)."""

_CARD_FIELDS = (("label", "名称"), ("full_name", "全称"), ("doc_number", "文号"), ("path", "条目"),
                ("deadline", "完成时限"), ("value", "数值"), ("unit", "单位"))


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """The vis-network script shipped in the installed pyvis distribution."""
    try:
        dist = metadata.distribution("pyvis")
    except metadata.PackageNotFoundError:
        raise ExportError("The HTML export needs the pyvis package (it ships vis-network); "
                          "reinstall policykg or run `pip install pyvis`.") from None
    found = []
    for f in dist.files or ():
        m = VIS_PATH.match(str(f).replace("\\", "/"))
        if m:
            found.append((tuple(int(x) for x in m.group(1).split(".")), f))
    if not found:
        raise ExportError("The installed pyvis ships no vis-network script; install pyvis 0.3.2 or later.")
    return _script_safe(max(found)[1].locate().read_text(encoding="utf-8"), "vis-network")


def _static(name: str) -> str:
    return resources.files("policykg.graph").joinpath("static", name).read_text(encoding="utf-8")


def _script_safe(js: str, what: str) -> str:
    if re.search(r"</script|<!--", js, re.I):
        raise ExportError(f"{what} contains a sequence that would end an inline script; it cannot be inlined.")
    return js


def json_for_script(obj) -> str:
    """JSON that is inert inside ``<script type="application/json">``.

    >>> json_for_script({"t": "</script><script>alert(1)</script>"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    s = json.dumps(obj, ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        s = s.replace(ch, esc)
    return s


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def page_data(g: nx.MultiDiGraph) -> dict:
    """What the page draws: nodes with their card, edges, and the legend."""
    docs = {n: node_label(a) for n, a in g.nodes(data=True) if a.get("type") == "PolicyDocument"}
    nodes = []
    counts: dict[str, int] = {}
    for n, a in ordered_nodes(g):
        t = a.get("type", "Thing")
        counts[t] = counts.get(t, 0) + 1
        label = node_label(a)
        card = [(name, str(a[k])) for k, name in _CARD_FIELDS if a.get(k) not in (None, "") and
                not (k == "label" and str(a[k]) == label)]
        for d in a.get("document", "").split():
            card.append(("文件", docs.get(d, d)))
        card.append(("IRI", n))
        search = " ".join(str(a.get(k, "")) for k in ("label", "full_name", "doc_number", "path")) + " " + n
        nodes.append({"id": n, "label": label, "short": short(label, 26), "type": t, "color": colour(t),
                      "text_color": text_colour(t), "degree": g.degree(n), "card": card, "search": search})
    edges = [{"id": f"e{i}", "from": s, "to": o, "label": edge_label(a), "label_en": a.get("label", k),
              "relation": k} for i, (s, o, k, a) in enumerate(ordered_edges(g))]
    order = sorted(counts, key=lambda t: -counts[t])
    legend = [{"type": t, "name": type_name(t) or t, "name_en": type_name(t, "en"), "color": colour(t),
               "count": counts[t]} for t in order]
    return {"title": g.graph.get("title", "policykg"), "selection": g.graph.get("selection", ""),
            "nodes": nodes, "edges": edges, "types": legend}


def to_html(g: nx.MultiDiGraph) -> bytes:
    """The self-contained page for ``g``."""
    data = page_data(g)
    vis = vis_network_js()
    app = _script_safe(_static("graph.js"), "graph.js")
    style = _static("graph.css")
    csp = (f"default-src 'none'; script-src {_sha256(vis)} {_sha256(app)}; style-src 'unsafe-inline'; "
           f"img-src data: blob:; font-src data:; base-uri 'none'; form-action 'none'")
    parts = {"CSP": csp, "VERSION": __version__, "TITLE": html.escape(data["title"]), "STYLE": style,
             "DATA": json_for_script(data), "VIS": vis, "APP": app}
    # one pass, so text substituted for one placeholder is never read as another
    page = re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], _static("graph.html"))
    return page.encode("utf-8")


__all__ = ["to_html", "page_data", "json_for_script", "vis_network_js", "VIS_PATH"]
