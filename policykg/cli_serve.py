"""``policykg serve``: the HTTP API (SPARQL endpoint, lookups, exports) under uvicorn."""

from __future__ import annotations

import click

from .cli import open_kg, store_option
from .settings import Settings

TOKEN_ENV = Settings.env_name("update_token")


@click.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 for every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="TCP port.")
@click.option("--query-time-limit", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
              help=f"Stop a query after this long (default: ${Settings.env_name('query_time_limit')}, else "
                   f"{Settings.query_time_limit:g}).")
@click.option("--result-limit", type=click.IntRange(min=1), default=None, metavar="ROWS",
              help=f"Refuse answers with more rows (default: ${Settings.env_name('result_limit')}, else "
                   f"{Settings.result_limit}).")
@click.option("--max-upload-bytes", type=click.IntRange(min=1), default=None, metavar="BYTES",
              help=f"Largest file POST /documents accepts (default: ${Settings.env_name('max_upload_bytes')}).")
@click.option("--workers", "query_workers", type=click.IntRange(1, 64), default=None,
              help=f"Query worker processes (default: ${Settings.env_name('query_workers')}, else "
                   f"{Settings.query_workers}).")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help=f"Allow browser pages from this origin (repeatable; default: ${Settings.env_name('cors_origins')}, "
                   f"else none — CORS off).")
@click.option("--allow-service", is_flag=True, default=None,
              help="Allow SPARQL SERVICE and LOAD, which make the server fetch URLs a client names (off by "
                   "default: do not enable it on a network you do not trust).")
@click.option("--update-token-file", type=click.File("r", encoding="utf-8"), default=None, metavar="FILE",
              help=f"Read the update token from FILE (or set ${TOKEN_ENV}); without a token the server is "
                   f"read-only.")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]),
              default="info", show_default=True)
@click.option("--access-log/--no-access-log", default=True, show_default=True, help="Log every request.")
def serve(store, host, port, query_time_limit, result_limit, max_upload_bytes, query_workers, cors_origins,
          allow_service, update_token_file, log_level, access_log):
    """Serve the store over HTTP: a SPARQL 1.1 endpoint at /sparql, lookups, exports; API docs at /docs.

    Read-only unless an update token is set: put it in the environment
    variable POLICYKG_UPDATE_TOKEN (never on the command line, where other
    users can see it) or in a file given with --update-token-file; clients
    then send `Authorization: Bearer TOKEN` to /update and POST /documents.
    Every query runs under a time limit and a result limit; SERVICE and
    LOAD are refused unless --allow-service.
    """
    from .api import create_app
    from .api.server import serve as run_server

    overrides = {"query_time_limit": query_time_limit, "result_limit": result_limit,
                 "max_upload_bytes": max_upload_bytes, "query_workers": query_workers,
                 "cors_origins": list(cors_origins) or None, "allow_service": allow_service}
    if update_token_file is not None:
        token = update_token_file.read().strip()
        if not token:
            raise click.UsageError(f"{update_token_file.name} is empty; put the update token in it.")
        overrides["update_token"] = token
    with open_kg(store, **overrides) as kg:
        settings = kg.settings
        if settings.update_token is not None and len(settings.update_token) < 16:
            raise click.UsageError(f"The update token is too short to be a secret; use at least 16 characters "
                                   f"(e.g. `export {TOKEN_ENV}=$(python -c 'import secrets; "
                                   f"print(secrets.token_urlsafe())')`).")
        app = create_app(kg, settings)
        docs = len(kg.documents())
        writes = "updates and uploads with the token" if settings.update_token else \
            f"read-only (set {TOKEN_ENV} to allow updates)"
        shown = "localhost" if host in ("127.0.0.1", "::1") else host
        click.echo(f"policykg: serving {kg.location} ({docs} document{'s' if docs != 1 else ''}) at "
                   f"http://{shown}:{port}/sparql — {writes}; query limit {settings.query_time_limit:g} s, "
                   f"{settings.result_limit:,} rows; API docs at /docs", err=True)
        run_server(app, host=host, port=port, log_level=log_level, access_log=access_log)


COMMANDS = [serve]
