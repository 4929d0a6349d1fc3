"""The project's named exceptions.

Every error a user can cause is one of these; its message is one readable
sentence that says what happened and, where it helps, what to do.  The CLI
prints ``str(error)``; the API maps each class to one problem+json shape.
"""

from __future__ import annotations


class PolicyKGError(Exception):
    """Base class: an expected failure with a message meant for people."""

    status = 500  # HTTP status the API uses for this kind of error
    title = "policykg error"

    def __init__(self, message: str, *, setting: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.setting = setting

    def __str__(self) -> str:
        return self.message


class IngestError(PolicyKGError):
    """A file could not be read or parsed; names the file and the reason."""

    status = 422
    title = "Document could not be ingested"

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")

    def __reduce__(self):  # travels between processes (parallel ingest) with its two arguments
        return (type(self), (self.source, self.reason), self.__dict__)


class QueryError(PolicyKGError):
    """A SPARQL query or update is malformed, refused or names an unknown query."""

    status = 400
    title = "Bad query"


class QueryTimeout(QueryError):
    """A query ran past the configured time limit."""

    status = 503
    title = "Query timed out"


class ResultLimitExceeded(QueryError):
    """A query produced more rows than the configured limit."""

    status = 413
    title = "Result too large"


class StoreError(PolicyKGError):
    """The store could not be opened, read or written."""

    status = 503
    title = "Store unavailable"


class NotFound(PolicyKGError):
    """An entity, document or named query does not exist."""

    status = 404
    title = "Not found"


class Ambiguous(PolicyKGError):
    """A name matches several entities; carries the candidates to choose from."""

    status = 409
    title = "Ambiguous name"

    def __init__(self, message: str, candidates: list[dict]) -> None:
        super().__init__(message)
        self.candidates = candidates


class ExportError(PolicyKGError):
    """An export could not be produced (unknown format, missing tool, too big)."""

    status = 400
    title = "Export failed"


class Forbidden(PolicyKGError):
    """An operation needs a token or a setting that is not given."""

    status = 403
    title = "Forbidden"
