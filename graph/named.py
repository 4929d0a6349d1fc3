"""Named queries: readable ``.rq`` files in ``policykg/queries``.

Each file starts with a header comment that documents it::

    # title: Who owns what
    # description: Every action with its lead and supporting units.
    # param: unit = 区科委 | a unit as written or its full name (optional)
    # param: doc <iri> | a document IRI (optional)

``param: NAME = EXAMPLE | description`` declares a string parameter and
``param: NAME <KIND> = EXAMPLE | description`` a typed one, KIND being
``iri``, ``date`` (``2023-12-31``), ``integer`` or ``decimal``; the example
is optional.  A description containing ``(required)`` makes it required.
``table: ?a ?b …`` names the columns ``policykg query`` shows as a table
(the machine formats keep every column; by default the table leaves out
the parameters, which the projection only carries for their binding).

A file may end with *variants*: a line ``# when: unit`` (or ``# when: a, b``)
starts a second query, run instead of the first when every parameter it
names is given a non-empty value.  A variant is only a faster way to the
same rows: it has the same projection and answers exactly what the first
query answers for those values (a test checks this), and it follows the
same binding rules.  The first query, the one the API and ``policykg
queries`` show, is the reference; a variant exists because the store plans
a query without seeing the substituted values (below), so one text cannot
be fast both with the parameter and without it.

Parameters are bound with pyoxigraph substitutions (SEP-0007), never pasted
into the text, so a value cannot change the query.  A substitution binds the
variable for the *top level* of the query at run time (the planner does not
see it), and the variable must be in the top SELECT projection.  The plan
(pyoxigraph 0.5) is made for the text as if every parameter were free: a
join runs in the order the planner picks for that (``VALUES`` first, then
the patterns with the most constants), ``EXISTS`` patterns run in the order
written, and an ``OPTIONAL`` of more than one pattern is read for the whole
corpus and then joined.  So the queries here follow these rules:

* a parameter appears in the projection, in top-level patterns and filters,
  and in a top-level ``GROUP BY`` written in parentheses, ``GROUP BY ?x (?doc)``
  (a remote endpoint gets the value written in, and ``GROUP BY ("…")`` is
  valid SPARQL where ``GROUP BY "…"`` is not); never in a sub-SELECT (which
  does not see it) and never bare in ``ORDER BY`` (write ``STR(?doc)``);
* the document parameter is the graph variable itself, ``GRAPH ?doc { … }``:
  unbound it ranges over every document; bound, only that graph is read, so
  a one-document query costs milliseconds on any corpus;
* an unbound parameter means "no filter":
  ``FILTER EXISTS { … ?unit }`` matches anything when ``?unit`` is free
  (but is still run once per row: ``BIND(COALESCE(STRLEN(?unit) >= 0, false)
  AS ?byUnit)`` then ``FILTER(!?byUnit || EXISTS { … ?unit })`` skips it,
  and keeps an empty value a filter that matches nothing);
  ``FILTER(COALESCE(?deadline <= ?until, true))`` — the comparison errors
  when ``?until`` is unbound and COALESCE turns that into true
  (``BOUND(?param)`` is not reliable under substitution);
  ``COALESCE(?kind, "Action")`` gives a default; and
  ``BIND(COALESCE(STRLEN(?unit) > 0, false) AS ?byUnit)`` then
  ``FILTER(!?byUnit || EXISTS { … ?unit })`` when the filtered thing may be
  missing altogether (an action with no unit is kept when no unit is asked for);
* a filter sits in the smallest group that binds what it tests, so an
  ``EXISTS`` runs once per section or document, not once per joined row;
* whatever is said about a node several documents share (a unit, a place) is
  read inside ``GRAPH ?g { … }``: the union default graph repeats a statement
  once per document graph that holds it;
* a variant that a parameter should drive starts from it, in a form the
  planner puts first: ``VALUES ?labelled { rdfs:label skos:altLabel
  skos:prefLabel } ?named ?labelled ?unit`` (a property path
  ``rdfs:label|skos:altLabel`` is planned late and read for every label); it
  writes ``FILTER NOT EXISTS`` patterns outward from what is bound, and an
  ``OPTIONAL`` as one pattern (``?s pk:responsibleUnit ?u . OPTIONAL { ?u
  rdfs:label ?name }``), so each is a lookup per row.  What hangs off an
  optional value is looked up on ``pk:nothing`` (a node with no statements)
  when the value is missing, ``OPTIONAL { ?m pk:inSection ?s } BIND(COALESCE(?s,
  pk:nothing) AS ?section) OPTIONAL { ?section pk:path ?path }``: a free
  subject would read every path of the document, and a COALESCE that ends in
  a constant is what tells the planner the variable is always bound.  A
  required pattern after the tested one may be an ``OPTIONAL`` kept by
  ``FILTER(BOUND(…))``, since a join there is read for the whole corpus.

>>> q = parse_named("x", "# title: X\\n# description: d\\n# param: until <date> = 2023-12-31 | up to (optional)\\nSELECT ?until {}")
>>> p = q.params[0]
>>> p.name, p.kind, p.example, p.required
('until', 'date', '2023-12-31', False)
>>> q.bind({"until": "2023-12-31"})["until"].datatype.value
'http://www.w3.org/2001/XMLSchema#date'
>>> v = parse_named("y", "# title: Y\\n# param: unit | a unit (optional)\\nSELECT ?unit {}\\n# when: unit\\nSELECT ?unit { ?s ?p ?unit }")
>>> v.sparql.strip(), [(w.params, w.sparql.splitlines()[-1]) for w in v.variants]
('# title: Y\\n# param: unit | a unit (optional)\\nSELECT ?unit {}', [(('unit',), 'SELECT ?unit { ?s ?p ?unit }')])
>>> v.text_for(v.bind({"unit": "区科委"})) == v.variants[0].sparql, v.text_for(v.bind({"unit": ""})) == v.sparql
(True, True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources

from pyoxigraph import Literal, NamedNode

from ..errors import NotFound, QueryError

_HEADER = re.compile(r"^#\s*(?P<key>title|description|param|example|table)\s*:\s*(?P<value>.*)$")
_WHEN = re.compile(r"^#\s*when\s*:\s*(?P<params>\w+(?:\s*,\s*\w+)*)\s*$", re.M)
_PARAM = re.compile(r"^(?P<name>\w+)\s*(?:<(?P<kind>\w+)>)?\s*(?:=\s*(?P<example>[^|]*?))?\s*(?:\|\s*(?P<desc>.*))?$")
KINDS = ("string", "iri", "date", "integer", "decimal")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Param:
    name: str
    description: str = ""
    example: str | None = None
    kind: str = "string"  # string | iri | date | integer | decimal
    required: bool = False


@dataclass
class Variant:
    """A second text of a named query, run when every parameter in ``params`` has a value."""

    params: tuple[str, ...]
    sparql: str


@dataclass
class NamedQuery:
    name: str
    title: str
    description: str
    sparql: str
    params: list[Param] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    table: list[str] = field(default_factory=list)  # the columns a terminal table shows (all when empty)
    variants: list[Variant] = field(default_factory=list)  # faster texts for given parameters (same rows)

    def text_for(self, bound: dict[str, object]) -> str:
        """The text to run for these bound values: the first variant whose parameters all have a
        non-empty value, else the query itself."""
        given = {k for k, v in bound.items() if str(getattr(v, "value", v))}
        for variant in self.variants:
            if given.issuperset(variant.params):
                return variant.sparql
        return self.sparql

    def bind(self, values: dict[str, object]) -> dict[str, object]:
        """Check ``values`` against the declared parameters and type them."""
        declared = {p.name: p for p in self.params}
        out: dict[str, object] = {}
        for k, v in values.items():
            p = declared.get(k)
            if p is None:
                raise QueryError(
                    f"The query {self.name!r} has no parameter {k!r}; its parameters are: "
                    f"{', '.join(declared) or 'none'}.")
            out[k] = _term(p, v)
        for p in self.params:
            if p.required and p.name not in out:
                raise QueryError(f"The query {self.name!r} needs the parameter {p.name!r} ({p.description}).")
        return out


def _term(p: Param, v: object) -> object:
    """The RDF term for value ``v`` of parameter ``p`` (a string is checked against the kind)."""
    if not isinstance(v, (str, int, float)) or isinstance(v, bool):
        return v  # already a term
    text = str(v).strip() if p.kind != "string" else str(v)
    if p.kind == "iri":
        if not _IRI.match(text):
            raise QueryError(f"The parameter {p.name!r} must be an IRI, not {text!r}.")
        return NamedNode(text)
    if p.kind == "date":
        try:
            ok = bool(_DATE.match(text)) and bool(date.fromisoformat(text))
        except ValueError:
            ok = False
        if not ok:
            raise QueryError(f"The parameter {p.name!r} must be a date like 2023-12-31, not {text!r}.")
        return Literal(text, datatype=NamedNode(_XSD + "date"))
    if p.kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", text):
            raise QueryError(f"The parameter {p.name!r} must be a whole number, not {text!r}.")
        return Literal(str(int(text)), datatype=NamedNode(_XSD + "integer"))
    if p.kind == "decimal":
        try:
            d = Decimal(text)
        except InvalidOperation:
            d = None
        if d is None or not d.is_finite():
            raise QueryError(f"The parameter {p.name!r} must be a number, not {text!r}.")
        return Literal(format(d, "f"), datatype=NamedNode(_XSD + "decimal"))
    return Literal(str(v))


def parse_named(name: str, text: str) -> NamedQuery:
    title, desc, params, examples, table = name, "", [], [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group("key"), m.group("value").strip()
        if key == "title":
            title = value
        elif key == "description":
            desc = (desc + " " + value).strip()
        elif key == "example":
            examples.append(value)
        elif key == "table":
            table = [v.lstrip("?") for v in value.split()]
        elif key == "param":
            pm = _PARAM.match(value)
            if pm:
                d = (pm.group("desc") or "").strip()
                kind = pm.group("kind") or "string"
                if kind not in KINDS:
                    raise QueryError(f"The named query {name!r} declares the parameter {pm.group('name')!r} with "
                                     f"an unknown kind <{kind}>; use one of {', '.join(KINDS)}.")
                params.append(Param(name=pm.group("name"), description=d,
                                    example=(pm.group("example") or None) and pm.group("example").strip(),
                                    kind=kind, required="(required)" in d))
    parts = _WHEN.split(text)  # [query, params, variant, params, variant, …]
    declared = {p.name for p in params}
    variants = []
    for names, body in zip(parts[1::2], parts[2::2]):
        wanted = tuple(n.strip() for n in names.split(","))
        unknown = [n for n in wanted if n not in declared]
        if unknown:
            raise QueryError(f"The named query {name!r} has a variant for {', '.join(unknown)}, which it does not "
                             f"declare as a parameter; declare it with '# param:' or fix the '# when:' line.")
        variants.append(Variant(params=wanted, sparql=f"# when: {names.strip()}{body}"))
    return NamedQuery(name=name, title=title, description=desc, sparql=parts[0], params=params, examples=examples,
                      table=table, variants=variants)


@lru_cache(maxsize=None)
def _all() -> dict[str, NamedQuery]:
    out = {}
    for entry in resources.files("policykg.queries").iterdir():
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = parse_named(name, entry.read_text(encoding="utf-8"))
    return dict(sorted(out.items()))


def list_named() -> list[NamedQuery]:
    return list(_all().values())


def load_named(name: str) -> NamedQuery:
    q = _all().get(name)
    if q is None:
        raise NotFound(f"There is no named query {name!r}; `policykg queries` lists them.")
    return q
