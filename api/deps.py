"""Dependencies of the routes, as ``Annotated`` aliases.

``AppSettings`` (the server's settings), ``Pool`` (where reads run),
``Writer`` (the one writer) and ``UpdateToken`` (a route that writes: the
server must have been started with an update token and the request must
carry it as ``Authorization: Bearer …``).
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..errors import Forbidden, StoreError
from ..settings import Settings
from .pool import InlinePool, QueryPool
from .problems import Unauthorized
from .writer import StoreWriter

_bearer = HTTPBearer(auto_error=False, description="The update token the server was started with "
                                                   f"({Settings.env_name('update_token')}).")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_pool(request: Request) -> QueryPool | InlinePool:
    pool = getattr(request.app.state, "pool", None)
    if pool is None:
        raise StoreError("The query workers are not running (the server is starting or stopping).")
    return pool


def get_writer(request: Request) -> StoreWriter:
    writer = getattr(request.app.state, "writer", None)
    if writer is None:
        raise StoreError("The store is not open for writing (the server is starting or stopping).")
    return writer


AppSettings = Annotated[Settings, Depends(get_settings)]


def require_token(settings: AppSettings,
                  credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """Writes need the server's update token; a server started without one refuses them all."""
    expected = settings.update_token
    if not expected:
        raise Forbidden(
            "This server is read-only: it was started without an update token (set "
            f"{Settings.env_name('update_token')} to a secret before `policykg serve` to allow writes).",
            setting="update_token")
    if credentials is None or not credentials.credentials:
        raise Unauthorized("This request writes to the store and needs the update token: send "
                           "`Authorization: Bearer <token>`.")
    if not hmac.compare_digest(credentials.credentials.encode("utf-8"), expected.encode("utf-8")):
        raise Forbidden("The update token is not the one this server was started with.")


Pool = Annotated[QueryPool | InlinePool, Depends(get_pool)]
Writer = Annotated[StoreWriter, Depends(get_writer)]
UpdateToken = Annotated[None, Depends(require_token)]
