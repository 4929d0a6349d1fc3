"""Settings: one object, read from ``POLICYKG_*`` environment variables.

Limits are settings, enforced in one place and reported with the name of the
environment variable that changes them (as datasette does with
``sql_time_limit_ms``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

DEFAULT_STORE = Path.home() / ".local" / "share" / "policykg" / "store"
"""Where the store lives when neither ``--store`` nor ``$POLICYKG_STORE`` is given."""


def _env_name(name: str) -> str:
    return "POLICYKG_" + name.upper()


@dataclass
class Settings:
    """Every tunable of policykg; each field ``x`` is read from ``$POLICYKG_X``."""

    store: str = str(DEFAULT_STORE)
    update_url: str | None = None
    graph_store_url: str | None = None
    query_time_limit: float = 10.0  # seconds a query may run
    result_limit: int = 10000  # rows (or triples) a query may return
    max_file_bytes: int = 50 * 1024 * 1024  # largest input file accepted by ingest
    max_upload_bytes: int = 20 * 1024 * 1024  # largest upload accepted by POST /documents
    update_token: str | None = None  # enables /update and POST /documents when set
    allow_service: bool = False  # allow SPARQL SERVICE / LOAD (fetch URLs named in queries)
    cors_origins: list[str] = field(default_factory=list)
    query_workers: int = 2  # processes that run API queries
    remote_timeout: float = 30.0  # seconds for one request to a remote SPARQL endpoint
    remote_user: str | None = None
    remote_password: str | None = None
    html_max_nodes: int = 2000  # largest graph the interactive HTML export draws (filter bigger ones)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        env = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = env.get(_env_name(f.name))
            if raw is None or raw == "":
                continue
            values[f.name] = _coerce(f.name, f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @staticmethod
    def env_name(name: str) -> str:
        """The environment variable that sets field ``name`` (for messages)."""
        return _env_name(name)


def _coerce(name: str, type_: object, raw: str):
    t = str(type_)
    try:
        if "bool" in t:
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if "float" in t:
            return float(raw)
        if "int" in t:
            return int(raw)
        if "list" in t:
            return [x.strip() for x in raw.split(",") if x.strip()]
    except ValueError:
        from .errors import PolicyKGError

        raise PolicyKGError(f"{_env_name(name)}={raw!r} is not a valid value for this setting.") from None
    return raw
