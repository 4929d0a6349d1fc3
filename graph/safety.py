"""Checks a SPARQL text before it reaches the store.

``SERVICE`` makes the engine fetch a URL the query names and ``LOAD`` makes
an update fetch one: on a server that means requests from inside your
network on behalf of strangers.  Both are refused unless explicitly allowed.

>>> scan_keywords('SELECT * WHERE { ?s ?p "SERVICE" } # LOAD')
set()
>>> sorted(scan_keywords("select * { service <http://x/> { ?s ?p ?o } }"))
['SERVICE']
"""

from __future__ import annotations

import re

from ..errors import QueryError
from ..settings import Settings

_STRINGS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
    re.S,
)
_KEYWORDS = re.compile(r"\b(SERVICE|LOAD)\b", re.I)
_UPDATE_WORDS = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)


def _code_only(sparql: str) -> str:
    """The query with strings, IRIs and comments blanked out."""
    return _STRINGS.sub(" ", sparql)


def scan_keywords(sparql: str) -> set[str]:
    return {m.group(1).upper() for m in _KEYWORDS.finditer(_code_only(sparql))}


def check_query(sparql: str, *, allow_service: bool = False) -> None:
    """Raise :class:`QueryError` for a query that must not run here."""
    if not sparql or not sparql.strip():
        raise QueryError("The SPARQL query is empty.")
    if not allow_service and "SERVICE" in scan_keywords(sparql):
        raise QueryError(
            "SERVICE is refused: this endpoint does not fetch other endpoints for a query "
            f"(set {Settings.env_name('allow_service')}=1 to allow it).", setting="allow_service")


def check_update(sparql: str, *, allow_service: bool = False) -> None:
    if not sparql or not sparql.strip():
        raise QueryError("The SPARQL update is empty.")
    kw = scan_keywords(sparql)
    if not allow_service and kw:
        raise QueryError(
            f"{' and '.join(sorted(kw))} is refused: this endpoint does not fetch URLs named in an update "
            f"(set {Settings.env_name('allow_service')}=1 to allow it).", setting="allow_service")


def looks_like_update(sparql: str) -> bool:
    """Does the text start like a SPARQL Update rather than a query?"""
    code = _code_only(sparql)
    code = re.sub(r"\b(PREFIX\s+\S*:|BASE)\s*", " ", code, flags=re.I)
    m = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
                  code, re.I)
    return bool(m) and m.group(1).upper() not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
