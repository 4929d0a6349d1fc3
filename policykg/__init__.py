"""policykg: Chinese policy documents to an RDF knowledge graph of who owns what.

>>> from policykg import KnowledgeGraph
>>> with KnowledgeGraph(None) as kg:          # None: an in-memory store
...     report = kg.ingest_text("一、总体要求\\n（一）目标\\n到2025年，建成10个平台。（责任单位：区科委）", source="demo.txt")
...     kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/policykg/ontology#Section> }")[0]["n"]
'2'
"""

from __future__ import annotations

import os as _os

__version__ = "0.1.0"

# The wheel maps the design's top-level folders (ingest/, graph/, api/, …) inside this
# package. In a source checkout they sit beside it, and a process started there (python -c,
# a multiprocessing forkserver) imports this folder rather than the installed package; give
# it the same subpackages by searching the checkout's root too.
_here = _os.path.dirname(_os.path.abspath(__file__))
_root = _os.path.dirname(_here)
if not _os.path.isdir(_os.path.join(_here, "graph")) and _os.path.isfile(_os.path.join(_root, "graph", "__init__.py")):
    __path__.append(_root)  # noqa: F821 - the package's own search path

__all__ = ["KnowledgeGraph", "Settings", "__version__"]


def __getattr__(name: str):
    # Lazy: `import policykg.ingest` must not pull in pyoxigraph/rdflib.
    if name == "KnowledgeGraph":
        from .graph.kg import KnowledgeGraph

        return KnowledgeGraph
    if name == "Settings":
        from .settings import Settings

        return Settings
    raise AttributeError(name)
