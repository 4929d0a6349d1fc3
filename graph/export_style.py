"""How exported graphs look: one colour per node type, names, short labels.

Every visual format (GEXF, DOT, Mermaid, Cytoscape.js, the HTML page) takes
its colours and labels from here, so a 政府部门 is the same red in Gephi, in
Graphviz and in the browser.

>>> colour("Action"), rgb("Action")
('#1e88e5', (30, 136, 229))
>>> type_name("GovernmentBody")
'政府部门'
>>> short("到2025年，全区数字经济核心产业增加值占GDP比重达到15%以上", 12)  # 12 columns: a CJK character is 2
'到2025年，…'
>>> wrap("到2025年，全区数字经济核心产业增加值", 8)
['到2025年', '，全区数', '字经济…']
"""

from __future__ import annotations

import math
import unicodedata

from ..ontology.namespaces import PK
from .network import ontology_labels

# Colours by node type (Material palette, readable with dark text on light and white text on dark).
TYPE_COLOURS: dict[str, str] = {
    "PolicyDocument": "#37474f",
    "Section": "#90a4ae",
    "Goal": "#8e24aa",
    "Action": "#1e88e5",
    "Measure": "#00897b",
    "Target": "#fb8c00",
    "GovernmentBody": "#e53935",
    "Subdistrict": "#d81b60",
    "Enterprise": "#6d4c41",
    "University": "#5e35b1",
    "ResearchInstitute": "#3949ab",
    "Agent": "#ef5350",
    "Platform": "#43a047",
    "Park": "#7cb342",
    "Area": "#c0ca33",
    "Project": "#00acc1",
    "Programme": "#f4511e",
    "Event": "#8d6e63",
    "Place": "#78909c",
}
DEFAULT_COLOUR = "#9e9e9e"
FONT = "Noto Sans CJK SC"
"""The font Graphviz is asked for: a CJK font, so Chinese labels are measured and drawn right."""


def colour(node_type: str) -> str:
    """``#rrggbb`` for a node type (grey for a type without its own colour)."""
    return TYPE_COLOURS.get(node_type, DEFAULT_COLOUR)


def rgb(node_type: str) -> tuple[int, int, int]:
    c = colour(node_type)
    return int(c[1:3], 16), int(c[3:5], 16), int(c[5:7], 16)


def text_colour(node_type: str) -> str:
    """Black or white, whichever reads better on the type's colour."""
    r, g, b = rgb(node_type)
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def type_name(node_type: str, lang: str = "zh") -> str:
    """The class's label from the ontology: ``政府部门`` (``lang="en"``: ``government body``)."""
    en, zh = ontology_labels().get(PK[node_type], (node_type, ""))
    return (zh or en) if lang == "zh" else en


def node_size(degree: int) -> float:
    """A node's size by its degree (grows with the square root, so hubs stay readable)."""
    return round(10 + 6 * math.sqrt(degree), 2)


def width(s: str) -> int:
    """Display width: a CJK character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def short(s: str, limit: int = 24) -> str:
    """``s`` cut to ``limit`` display columns with an ellipsis."""
    s = " ".join(s.split())
    if width(s) <= limit:
        return s
    out, w = [], 0
    for c in s:
        w += width(c)
        if w > limit - 1:
            break
        out.append(c)
    return "".join(out) + "…"


def wrap(s: str, limit: int = 20, lines: int = 3) -> list[str]:
    """``s`` broken into at most ``lines`` lines of ``limit`` display columns (the last one cut)."""
    s = " ".join(s.split())
    out, cur, w = [], [], 0
    for c in s:
        cw = width(c)
        if w + cw > limit and cur:
            out.append("".join(cur))
            cur, w = [], 0
        cur.append(c)
        w += cw
    if cur:
        out.append("".join(cur))
    if len(out) > lines:
        out = out[:lines - 1] + [short("".join(out[lines - 1:]), limit)]
    return out


__all__ = ["TYPE_COLOURS", "DEFAULT_COLOUR", "FONT", "colour", "rgb", "text_colour", "type_name", "node_size",
           "width", "short", "wrap"]
