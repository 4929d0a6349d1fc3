"""Named queries: readable ``.rq`` files in ``policykg/queries``.

Each file starts with a header comment that documents it::

    # title: Who owns what
    # description: Every action with its lead and supporting units.
    # param: unit = 区科委 | a unit as written or its full name (optional)
    # param: doc <iri> | a document IRI (optional)

``param: NAME = EXAMPLE | description`` declares a literal parameter and
``param: NAME <iri> | description`` an IRI parameter.  Parameters are bound
with pyoxigraph substitutions (SEP-0007), never pasted into the text; an
unbound parameter leaves its variable free (no filter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from pyoxigraph import Literal, NamedNode

from ..errors import NotFound, QueryError

_HEADER = re.compile(r"^#\s*(?P<key>title|description|param|example)\s*:\s*(?P<value>.*)$")
_PARAM = re.compile(r"^(?P<name>\w+)\s*(?:(?P<iri><iri>)|=\s*(?P<example>[^|]*?))?\s*(?:\|\s*(?P<desc>.*))?$")


@dataclass
class Param:
    name: str
    description: str = ""
    example: str | None = None
    kind: str = "literal"  # literal | iri
    required: bool = False


@dataclass
class NamedQuery:
    name: str
    title: str
    description: str
    sparql: str
    params: list[Param] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

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
            if p.kind == "iri" and isinstance(v, str):
                if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]*$", v):
                    raise QueryError(f"The parameter {k!r} must be an IRI, not {v!r}.")
                out[k] = NamedNode(v)
            else:
                out[k] = v if not isinstance(v, str) else Literal(v)
        for p in self.params:
            if p.required and p.name not in out:
                raise QueryError(f"The query {self.name!r} needs the parameter {p.name!r} ({p.description}).")
        return out


def parse_named(name: str, text: str) -> NamedQuery:
    title, desc, params, examples = name, "", [], []
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
        elif key == "param":
            pm = _PARAM.match(value)
            if pm:
                d = (pm.group("desc") or "").strip()
                params.append(Param(name=pm.group("name"), description=d,
                                    example=(pm.group("example") or None) and pm.group("example").strip(),
                                    kind="iri" if pm.group("iri") else "literal",
                                    required="(required)" in d))
    return NamedQuery(name=name, title=title, description=desc, sparql=text, params=params, examples=examples)


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
