"""The one JSON envelope of the API, and the exception handlers that produce it.

Success: ``{"ok": true, "data": ...}`` (lists add ``"count"``). Failure:
``{"ok": false, "error": "...", "errors": [...], "status": 4xx}``. Every body is
built by :func:`ok`, :func:`ok_list` or :func:`error_body`; tests pin the shape.
Error bodies never echo the submitted values (a password or a victim's name could
be among them) and never carry a traceback.
"""

from __future__ import annotations

import logging
from typing import Any, Generic, Literal, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from undercount.errors import UserInputError

__all__ = [
    "ApiError",
    "Envelope",
    "ErrorDetail",
    "ErrorEnvelope",
    "ListEnvelope",
    "LoginRequired",
    "error_body",
    "install_error_handlers",
    "ok",
    "ok_list",
]

T = TypeVar("T")
log = logging.getLogger("undercount.service")


class Envelope(BaseModel, Generic[T]):
    """A successful response holding one object."""

    ok: Literal[True] = True
    data: T


class ListEnvelope(BaseModel, Generic[T]):
    """A successful response holding a list and its length."""

    ok: Literal[True] = True
    data: list[T]
    count: int


class ErrorDetail(BaseModel):
    """One problem: where (``loc``) and what (``msg``)."""

    loc: list[str | int] = []
    msg: str
    type: str = "error"


class ErrorEnvelope(BaseModel):
    """A failed response."""

    ok: Literal[False] = False
    error: str
    errors: list[ErrorDetail] = []
    status: int


def ok(data: Any) -> dict[str, Any]:
    """The success envelope around one object."""
    return {"ok": True, "data": data}


def ok_list(items: list[Any], count: int | None = None) -> dict[str, Any]:
    """The success envelope around a list (``count`` defaults to its length)."""
    return {"ok": True, "data": items, "count": len(items) if count is None else count}


def error_body(
    status: int, error: str, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The failure envelope (the only place that builds one)."""
    details = [ErrorDetail.model_validate(e).model_dump() for e in (errors or [])] or [
        {"loc": [], "msg": error, "type": "error"}
    ]
    return {"ok": False, "error": error, "errors": details, "status": status}


class ApiError(Exception):
    """An error with an HTTP status, raised by routes and dependencies."""

    def __init__(
        self,
        status: int,
        error: str,
        *,
        headers: dict[str, str] | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.headers = headers
        self.errors = errors


class LoginRequired(Exception):
    """A page (not the API) was asked for without a login: redirect to /login."""


def _json(
    status: int,
    error: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(error_body(status, error, errors), status, headers=headers)


def _respond(
    request: Request,
    status: int,
    error: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    if request.url.path.startswith("/api/") or request.url.path == "/api":
        return _json(status, error, errors, headers)
    from html import escape

    body = (
        "<!doctype html><html lang='en'><meta charset='utf-8'>"
        f"<title>{status}</title><link rel='stylesheet' href='/static/style.css'>"
        f"<main><h1>{status}</h1><p>{escape(error)}</p>"
        "<p><a href='/'>Back to the start page</a></p></main></html>"
    )
    return HTMLResponse(body, status, headers=headers)


_STATUS_TEXT = {
    400: "bad request",
    401: "authentication required",
    403: "forbidden",
    404: "not found",
    405: "method not allowed",
    409: "conflict",
    413: "request body too large",
    415: "unsupported media type",
    422: "invalid request",
    429: "too many requests",
}


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through :func:`error_body` (HTML pages get a short page)."""

    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return _respond(request, exc.status, exc.error, exc.errors, exc.headers)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else None
        text = detail or _STATUS_TEXT.get(exc.status_code, "error")
        headers = dict(exc.headers) if exc.headers else None
        return _respond(request, exc.status_code, text, None, headers)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = [
            {
                "loc": [str(p) if not isinstance(p, int) else p for p in e["loc"]],
                "msg": str(e["msg"]),
                "type": str(e["type"]),
            }
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"])
        return _respond(request, 422, f"{where}: {first['msg']}", errors)

    async def user_error(request: Request, exc: Exception) -> Response:
        return _respond(request, 400, str(exc))

    async def login_required(request: Request, exc: Exception) -> Response:
        return RedirectResponse("/login", status_code=303)

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _respond(request, 500, "internal server error (see the server log)")

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(UserInputError, user_error)
    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(Exception, server_error)
