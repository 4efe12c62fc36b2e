"""ASGI middleware: security headers on every response, a cap on request bodies.

Pure ASGI (not ``BaseHTTPMiddleware``) so that streamed uploads and downloads pass
through untouched.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from undercount.service.envelope import error_body

__all__ = ["BodyLimitMiddleware", "SecurityHeadersMiddleware"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)

_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


class SecurityHeadersMiddleware:
    """Add CSP and friends; no caching of anything but static files."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = list(_HEADERS)
                extra.append((b"content-security-policy", PAGE_CSP.encode()))
                extra.append((b"cache-control", b"no-cache" if static else b"no-store"))
                headers += [(k, v) for k, v in extra if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Refuse request bodies declared larger than ``limit`` bytes (HTTP 413).

    Uploads are exempt here: their route streams the body with its own, larger
    limit (see :mod:`undercount.service.ops.uploads`).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int = 1 << 20,
        exempt: Callable[[str, str], bool] = lambda method, path: False,
    ) -> None:
        self.app = app
        self.limit = limit
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.exempt(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        declared = int(length) if length and length.isdigit() else None
        if declared is not None and declared > self.limit:
            await _send_json(send, 413, "request body too large")
            return
        seen = 0
        exceeded = False

        async def counted() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    exceeded = True
                    raise ValueError("request body too large")
            return message

        async def answer(message: Message) -> None:
            # a streamed body past the limit: whatever the app made of the
            # interrupted read, the client is told 413
            if not exceeded:
                await send(message)
            elif message["type"] == "http.response.start":
                await _send_json(send, 413, "request body too large")

        await self.app(scope, counted, answer)


async def _send_json(send: Send, status: int, error: str) -> None:
    body = json.dumps(error_body(status, error)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
