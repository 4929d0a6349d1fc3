"""Docstring examples run as doctests (STYLE.md §10): the examples stay true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import policykg


def _modules():
    names = ["policykg"]
    for sub in ("ingest", "graph", "ontology", "queries", "api"):
        pkg = importlib.import_module(f"policykg.{sub}")
        names.append(pkg.__name__)
        names += [m.name for m in pkgutil.iter_modules(pkg.__path__, pkg.__name__ + ".")]
    names += [m.name for m in pkgutil.iter_modules(policykg.__path__, "policykg.") if m.name != "policykg.__main__"]
    return sorted(set(names))


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
