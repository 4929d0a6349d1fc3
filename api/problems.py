"""Errors as ``application/problem+json`` (RFC 9457): one shape for every failure.

Every error response of the API is a JSON object with at least ``type``,
``title``, ``status``, ``detail`` and ``instance``.  A limit that was hit also
names the setting to change (``setting``, ``env``); an ambiguous name carries
its ``candidates``; a failed upload its ingest ``report``.

The library's named exceptions (:mod:`policykg.errors`) carry their own HTTP
status and title; the few errors only HTTP can cause (a missing token, an
unsupported ``Accept`` …) are defined here as subclasses of the same family.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import Forbidden, PolicyKGError
from ..settings import Settings

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://w3id.org/policykg/problems/"

log = logging.getLogger("policykg.api")


class Unauthorized(Forbidden):
    """A request that needs the update token came without one."""

    status = 401
    title = "Token required"


class NotAcceptable(PolicyKGError):
    """None of the media types the client accepts can represent the answer."""

    status = 406
    title = "Not acceptable"


class UnsupportedMediaType(PolicyKGError):
    """The request body has a content type this endpoint does not read."""

    status = 415
    title = "Unsupported media type"


class PayloadTooLarge(PolicyKGError):
    """An upload is larger than the configured limit."""

    status = 413
    title = "Upload too large"


def problem_type(exc_or_name: PolicyKGError | type | str) -> str:
    """``QueryTimeout`` → ``https://w3id.org/policykg/problems/query-timeout``."""
    if isinstance(exc_or_name, str):
        name = exc_or_name
    else:
        name = (exc_or_name if isinstance(exc_or_name, type) else type(exc_or_name)).__name__
        name = re.sub(r"Error$", "", name) or name
    slug = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower().replace("_", "-").replace(" ", "-")
    return PROBLEM_BASE + slug


def problem(status: int, title: str, detail: str, *, type_: str | None = None, instance: str | None = None,
            headers: dict[str, str] | None = None, **extra) -> JSONResponse:
    """The one error response shape."""
    body = {
        "type": type_ or "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def problem_from_error(e: PolicyKGError, instance: str | None = None) -> JSONResponse:
    extra: dict = {}
    if e.setting:
        extra["setting"] = e.setting
        extra["env"] = Settings.env_name(e.setting)
    for attr in ("candidates", "report"):
        if getattr(e, attr, None) is not None:
            extra[attr] = getattr(e, attr)
    headers = {"WWW-Authenticate": 'Bearer realm="policykg"'} if isinstance(e, Unauthorized) else None
    return problem(e.status, e.title, str(e), type_=problem_type(e), instance=instance, headers=headers, **extra)


def install_problem_handlers(app: FastAPI) -> None:
    """Map every error — ours, HTTP routing, validation, bugs — to problem+json."""

    async def on_policykg_error(request: Request, e: PolicyKGError):
        if e.status >= 500:
            log.warning("%s %s: %s", request.method, request.url.path, e)
        return problem_from_error(e, request.url.path)

    async def on_http_error(request: Request, e: StarletteHTTPException):
        try:
            phrase = HTTPStatus(e.status_code).phrase
        except ValueError:
            phrase = "Error"
        detail = e.detail if isinstance(e.detail, str) and e.detail != phrase else {
            404: f"There is nothing at {request.url.path}; /docs lists the routes.",
            405: f"{request.method} is not allowed on {request.url.path}.",
        }.get(e.status_code, phrase)
        return problem(e.status_code, phrase, detail, type_=problem_type(phrase), instance=request.url.path,
                       headers=getattr(e, "headers", None))

    async def on_validation_error(request: Request, e: RequestValidationError):
        errors = [{"loc": list(err.get("loc", ())), "msg": err.get("msg", "")} for err in e.errors()]
        parts = [f"{'.'.join(str(x) for x in err['loc'][1:]) or err['loc'][0]}: {err['msg']}" for err in errors]
        return problem(422, "Invalid request", "; ".join(parts) or "The request is not valid.",
                       type_=problem_type("InvalidRequest"), instance=request.url.path, errors=errors)

    async def on_unexpected(request: Request, e: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem(500, "Internal error",
                       f"The server failed unexpectedly ({type(e).__name__}); the log has the details.",
                       type_=problem_type("InternalError"), instance=request.url.path)

    app.add_exception_handler(PolicyKGError, on_policykg_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected)


class Problem(BaseModel):
    """An error response (``application/problem+json``)."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None


def problem_responses(*codes: int) -> dict:
    """OpenAPI ``responses=`` entries documenting error statuses as problem+json."""
    out = {}
    for code in codes:
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "Error"
        out[code] = {"model": Problem, "description": f"{phrase} (application/problem+json)"}
    return out
