"""policykg.graph — Document → quads; the store (embedded Oxigraph or a remote
SPARQL endpoint); the networkx projection; dependency traversal; exports."""

from .kg import IngestReport, KnowledgeGraph, iter_input_files
from .named import NamedQuery, list_named, load_named
from .rdfize import document_iri_for, document_to_quads
from .results import Results

__all__ = ["IngestReport", "KnowledgeGraph", "NamedQuery", "Results", "document_iri_for", "document_to_quads",
           "iter_input_files", "list_named", "load_named"]
