"""The 任务分工表: the responsibility matrix officials use, as CSV and XLSX.

One row per task — every action in the selection, and every other section
that names responsible units — in document order, with the columns
序号 (number), 任务 (task), 牵头单位 (lead units), 配合单位 (supporting
units), 目标 (the targets stated in it), 完成时限 (deadline), then 文件
(the document's 文号) and IRI so every row leads back to the graph.

Units whose role the text does not state (``（责任单位：A、B）``) are listed
as 牵头单位 when the task names no lead, else as 配合单位; units are listed
in the order the text names them.  Cells that start with ``=``, ``+``,
``-``, ``@`` (or a tab or carriage return) are prefixed with ``'`` so no
spreadsheet reads them as a formula.

>>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("区科委"), neutralise(3)
('\\'=HYPERLINK("http://x")', '区科委', 3)
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass, field

import networkx as nx

from .export_select import SUBTYPES
from .network import display_name, iri_values, sort_key

HEADER = ("序号", "任务", "牵头单位", "配合单位", "目标", "完成时限", "文件", "IRI")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NO_LIMIT = sys.maxsize
_CHUNK = 1000


def neutralise(value):
    """A cell value no spreadsheet evaluates: text starting with = + - @ gets a leading '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@dataclass
class TaskRow:
    task: str
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    deadline: str = ""
    document: str = ""
    iri: str = ""

    def cells(self, number: int) -> list:
        return [number, self.task, "、".join(self.lead), "、".join(self.support), "；".join(self.targets),
                self.deadline, self.document, self.iri]


_UNITS = """
SELECT ?s ?u ?name ?role ?text WHERE {
  VALUES ?s { %s }
  ?s pk:responsibleUnit ?u . ?u rdfs:label ?name .
  BIND(IF(EXISTS { ?s pk:leadUnit ?u }, "lead", IF(EXISTS { ?s pk:supportingUnit ?u }, "support", "")) AS ?role)
  OPTIONAL { ?s pk:responsibilityText ?text }
}"""
_TARGETS = """
SELECT ?s ?t ?label ?start ?deadline ?deadlineText WHERE {
  VALUES ?s { %s }
  ?t pk:statedIn ?s ; rdfs:label ?label .
  OPTIONAL { ?t pk:start ?start } OPTIONAL { ?t pk:deadline ?deadline } OPTIONAL { ?t pk:deadlineText ?deadlineText }
}"""
_DUE = """
SELECT ?s ?due ?dueText WHERE { VALUES ?s { %s } ?s pk:dueDate ?due OPTIONAL { ?s pk:deadlineText ?dueText } }"""


def _query(kg, template: str, iris: list[str]) -> list[dict]:
    rows = []
    for i in range(0, len(iris), _CHUNK):
        rows += kg.query(template % iri_values(iris[i:i + _CHUNK]), limit=_NO_LIMIT).values()
    return rows


def task_rows(kg, g: nx.MultiDiGraph) -> list[TaskRow]:
    """The rows of the 任务分工表 for the sections in ``g``."""
    owned = g.graph.get("owned")  # a unit's portfolio: only what the unit owns, not the sections around it
    sections = [n for n, a in g.nodes(data=True) if a.get("type") in SUBTYPES["Section"]
                and (owned is None or n in owned)]
    if not sections:
        return []
    units: dict[str, dict[str, tuple[str, str]]] = {}
    texts: dict[str, str] = {}
    for r in _query(kg, _UNITS, sections):
        best = units.setdefault(r["s"], {}).get(r["u"])
        if best is None or r["name"] < best[0]:
            units[r["s"]][r["u"]] = (r["name"], r["role"])
        if "text" in r:
            texts[r["s"]] = texts.get(r["s"], "") + " " + r["text"]
    targets: dict[str, dict[str, tuple]] = {}
    for r in _query(kg, _TARGETS, sections):
        # (position, clause, deadline as written, deadline date): one 完成时限 per date
        targets.setdefault(r["s"], {})[r["t"]] = (int(r.get("start", 0)), r["label"],
                                                  r.get("deadlineText") or r.get("deadline", ""),
                                                  r.get("deadline") or r.get("deadlineText", ""))
    due = {r["s"]: r.get("dueText") or r["due"] for r in _query(kg, _DUE, sections)}
    docs = _document_names(kg, {d for s in sections for d in g.nodes[s].get("document", "").split()})
    rows = []
    for s in sorted(sections, key=lambda n: sort_key(n, g.nodes[n])):
        a = g.nodes[s]
        if a.get("type") != "Action" and s not in units:
            continue
        text = texts.get(s, "")
        ordered = sorted(units.get(s, {}).values(), key=lambda nr: (text.find(nr[0]) % (len(text) + 1), nr[0]))
        lead = [n for n, role in ordered if role == "lead"]
        support = [n for n, role in ordered if role == "support"]
        unstated = [n for n, role in ordered if not role]
        if lead:
            support = [n for n, _ in ordered if n not in lead]
        else:
            lead = unstated
        stated = sorted(targets.get(s, {}).values())
        by_date: dict[str, str] = {}
        for t in stated:
            if t[2]:
                by_date.setdefault(t[3], t[2])
        deadline = due.get(s) or "；".join(by_date.values())
        doc_iris = a.get("document", "").split()
        document = "、".join(docs.get(d, d.rsplit("/", 1)[-1]) for d in doc_iris)
        rows.append(TaskRow(task=display_name(a), lead=lead, support=support, targets=[t[1] for t in stated],
                            deadline=deadline, document=document, iri=s))
    return rows


def _document_names(kg, graphs: set[str]) -> dict[str, str]:
    """Each document graph's 文号 (else its title)."""
    if not graphs:
        return {}
    rows = kg.query(f"SELECT ?g ?number ?title WHERE {{ VALUES ?g {{ {iri_values(sorted(graphs))} }} "
                    f"GRAPH ?g {{ OPTIONAL {{ ?g pk:docNumber ?number }} OPTIONAL {{ ?g dcterms:title ?title }} }} }}",
                    limit=_NO_LIMIT).values()
    return {r["g"]: r.get("number") or r.get("title") or r["g"] for r in rows}


def tasks_csv(rows: list[TaskRow]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads the Chinese) and CRLF line ends."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADER)
    for i, row in enumerate(rows, start=1):
        w.writerow([neutralise(c) for c in row.cells(i)])
    return buf.getvalue().encode("utf-8-sig")


def tasks_xlsx(rows: list[TaskRow], title: str = "") -> bytes:
    """An Excel workbook with one sheet, 任务分工表; every text cell is stored as text, never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "任务分工表"
    ws.append(list(HEADER))
    for c in ws[1]:
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = PatternFill("solid", fgColor="37474F")
        c.alignment = Alignment(horizontal="center", vertical="center")
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(rows, start=1):
        ws.append([neutralise(c) for c in row.cells(i)])
        for c in ws[ws.max_row]:
            c.alignment = wrap
            if isinstance(c.value, str):
                c.data_type = "s"  # text, whatever it looks like
    for letter, width in zip("ABCDEFGH", (6, 36, 22, 28, 48, 14, 20, 40)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:H{max(ws.max_row, 1)}"
    if title:
        wb.properties.title = f"任务分工表 — {title}"
    wb.properties.creator = "policykg"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


__all__ = ["HEADER", "TaskRow", "task_rows", "tasks_csv", "tasks_xlsx", "neutralise"]
