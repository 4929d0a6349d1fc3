"""policykg: Chinese policy documents to an RDF knowledge graph of who owns what.

>>> from policykg import KnowledgeGraph
>>> with KnowledgeGraph(None) as kg:          # None: an in-memory store
...     report = kg.ingest_text("一、总体要求\\n（一）目标\\n到2025年，建成10个平台。（责任单位：区科委）", source="demo.txt")
...     kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/policykg/ontology#Section> }")[0]["n"]
'2'
"""

from __future__ import annotations

__version__ = "0.1.0"

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
