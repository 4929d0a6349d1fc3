"""Query results, independent of the backend, and their W3C serialisations.

:class:`Results` holds a SELECT table (variables + rows of RDF terms), an ASK
boolean, or CONSTRUCT/DESCRIBE triples.  It serialises to the SPARQL 1.1
Query Results JSON, XML, CSV and TSV formats, and to a readable table.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..ontology.namespaces import XSD

_XSD_STRING = XSD.string
_RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Term = NamedNode | BlankNode | Literal | Triple


@dataclass
class Results:
    """The answer to one query."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)

    def __len__(self) -> int:
        if self.kind == "select":
            return len(self.rows)
        if self.kind == "graph":
            return len(self.triples)
        return 1

    def __iter__(self):
        return iter(self.values())

    def __getitem__(self, i: int) -> dict[str, str]:
        return self.values()[i]

    def values(self) -> list[dict[str, str]]:
        """Rows as plain ``{variable: lexical value}`` dicts (unbound omitted)."""
        if self.kind != "select":
            raise TypeError("values() is for SELECT results")
        return [{k: term_value(v) for k, v in row.items() if v is not None} for row in self.rows]

    def column(self, var: str) -> list[str]:
        return [term_value(r[var]) for r in self.rows if r.get(var) is not None]

    # ------------------------------------------------------------ formats

    def select(self, variables: list[str]) -> "Results":
        """The same results with only ``variables`` (in that order), for a narrower view."""
        keep = [v for v in variables if v in self.variables]
        return Results(kind=self.kind, variables=keep, rows=[{v: r[v] for v in keep if v in r} for r in self.rows],
                       boolean=self.boolean, triples=self.triples)

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/)."""
        if self.kind == "ask":
            return json.dumps({"head": {}, "boolean": bool(self.boolean)})
        if self.kind == "graph":
            raise TypeError("graph results serialise as RDF, not as a results table")
        bindings = [{k: term_json(v) for k, v in row.items() if v is not None} for row in self.rows]
        return json.dumps({"head": {"vars": self.variables}, "results": {"bindings": bindings}}, ensure_ascii=False)

    def to_xml(self) -> str:
        """SPARQL Query Results XML Format."""
        out = ['<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        if self.kind == "ask":
            out.append(f"</head>\n<boolean>{'true' if self.boolean else 'false'}</boolean>\n</sparql>\n")
            return "".join(out)
        for v in self.variables:
            out.append(f"<variable name={quoteattr(v)}/>")
        out.append("</head>\n<results>\n")
        for row in self.rows:
            out.append("<result>")
            for k, v in row.items():
                if v is not None:
                    out.append(f"<binding name={quoteattr(k)}>{term_xml(v)}</binding>")
            out.append("</result>\n")
        out.append("</results>\n</sparql>\n")
        return "".join(out)

    def to_csv(self) -> str:
        """SPARQL 1.1 Query Results CSV: plain lexical values, CRLF line ends."""
        buf = io.StringIO()
        wr = csv.writer(buf, lineterminator="\r\n")
        if self.kind == "ask":
            wr.writerow(["boolean"])
            wr.writerow(["true" if self.boolean else "false"])
            return buf.getvalue()
        wr.writerow(self.variables)
        for row in self.rows:
            wr.writerow([_csv_value(row.get(v)) for v in self.variables])
        return buf.getvalue()

    def to_tsv(self) -> str:
        """SPARQL 1.1 Query Results TSV: terms in SPARQL/Turtle syntax."""
        if self.kind == "ask":
            return "?boolean\n" + ("true" if self.boolean else "false") + "\n"
        lines = ["\t".join("?" + v for v in self.variables)]
        for row in self.rows:
            lines.append("\t".join(_tsv_value(row.get(v)) for v in self.variables))
        return "\n".join(lines) + "\n"

    def to_table(self, max_width: int = 60) -> str:
        """A plain-text table for terminals (the CLI uses rich when present)."""
        if self.kind == "ask":
            return "true" if self.boolean else "false"
        if self.kind == "graph":
            return "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in self.triples)
        cols = self.variables
        data = [[_short(term_value(r.get(c)) if r.get(c) is not None else "", max_width) for c in cols]
                for r in self.rows]
        widths = [max([_width(c)] + [_width(row[i]) for row in data]) for i, c in enumerate(cols)]
        def fmt(cells):
            return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()
        lines = [fmt(cols), fmt(["-" * w for w in widths])] + [fmt(r) for r in data]
        lines.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''})")
        return "\n".join(lines)


def term_value(t: Term | None) -> str:
    if t is None:
        return ""
    if isinstance(t, (NamedNode, BlankNode, Literal)):
        return t.value
    return str(t)


def term_json(t: Term) -> dict:
    if isinstance(t, NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype is not None and t.datatype.value != _XSD_STRING:
            d["datatype"] = t.datatype.value
        return d
    if isinstance(t, Triple):
        return {"type": "triple", "value": {"subject": term_json(t.subject), "predicate": term_json(t.predicate),
                                            "object": term_json(t.object)}}
    raise TypeError(f"not an RDF term: {t!r}")


def term_xml(t: Term) -> str:
    if isinstance(t, NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype is not None and t.datatype.value != _XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    return f"<literal>{escape(str(t))}</literal>"


def _csv_value(t: Term | None) -> str:
    if t is None:
        return ""
    if isinstance(t, BlankNode):
        return "_:" + t.value
    return term_value(t)


def _tsv_value(t: Term | None) -> str:
    if t is None:
        return ""
    return str(t).replace("\t", "\\t").replace("\n", "\\n")


def _short(s: str, n: int) -> str:
    s = s.replace("\n", " ")
    return s if _width(s) <= n else s[: max(1, n // 2 - 1)] + "…"


def _width(s: str) -> int:
    """Display width: CJK characters take two terminal cells."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def materialise(res, *, limit: int | None = None) -> Results:
    """Turn a pyoxigraph query answer into :class:`Results`, enforcing ``limit``."""
    from pyoxigraph import QueryBoolean, QuerySolutions

    from ..errors import ResultLimitExceeded
    from ..settings import Settings

    if isinstance(res, QueryBoolean) or isinstance(res, bool):
        return Results(kind="ask", boolean=bool(res))
    if isinstance(res, QuerySolutions):
        variables = [v.value for v in res.variables]
        rows = []
        for sol in res:
            if limit is not None and len(rows) >= limit:
                raise ResultLimitExceeded(
                    f"The query returned more than {limit:,} rows; add a LIMIT or raise "
                    f"{Settings.env_name('result_limit')}.", setting="result_limit")
            rows.append({v: sol[v] for v in variables})
        return Results(kind="select", variables=variables, rows=rows)
    triples = []
    for t in res:
        if limit is not None and len(triples) >= limit:
            raise ResultLimitExceeded(
                f"The query returned more than {limit:,} triples; add a LIMIT or raise "
                f"{Settings.env_name('result_limit')}.", setting="result_limit")
        triples.append(t)
    return Results(kind="graph", triples=triples)
