"""policykg.queries — named SPARQL files (``*.rq``) researchers can read and reuse.

Each file's header comment gives its title, description and parameters;
``policykg queries`` lists them and ``policykg query --name NAME`` runs one.
"""

from ..graph.named import NamedQuery, list_named, load_named

__all__ = ["NamedQuery", "list_named", "load_named"]
