"""policykg.api — the HTTP API: a W3C SPARQL 1.1 Protocol endpoint, lookups and exports.

``create_app(kg, settings)`` builds the FastAPI app; ``policykg serve`` runs it
under uvicorn.
"""

from .app import create_app

__all__ = ["create_app"]
