"""Receiving an uploaded list: streamed to disk, size-limited, safely named.

The body is written chunk by chunk to a temporary file inside the uploads folder
and counted as it arrives; past the limit the file is deleted and the request is
refused (HTTP 413) without reading the rest. Each upload gets a new folder named by
the server (time and a random part) holding the cleaned original name, so no
client-supplied name can reach outside it; the final path is checked anyway.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from starlette.requests import Request

from undercount.ingest import EXTENSIONS
from undercount.service.envelope import ApiError

__all__ = [
    "StoredUpload",
    "check_inside",
    "receive_request_body",
    "receive_upload",
    "safe_filename",
]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str) -> str:
    """A file name made only of ``A-Z a-z 0-9 . _ -``, with a list extension.

    Directory parts are dropped, other characters become ``_``, leading dots are
    removed (no hidden files), and the name is at most 100 characters.

    Raises
    ------
    ApiError
        415 when the extension is not one the importer reads.
    """
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFKC", base)
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = ext.lower()
    if f".{ext}" not in EXTENSIONS:
        known = ", ".join(sorted(EXTENSIONS))
        raise ApiError(
            415,
            f"a list must be a file ending in one of {known}; got {base[:100]!r}",
        )
    clean = _UNSAFE.sub("_", stem).strip("._-")[:90] or "list"
    return f"{clean}.{ext}"


def check_inside(path: Path, folder: Path) -> Path:
    """``path`` resolved, if it lies inside ``folder``; else refuse (no traversal)."""
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise ApiError(400, "file name escapes the upload folder")
    return resolved


@dataclass(frozen=True, slots=True)
class StoredUpload:
    """An upload on disk: where, its original (cleaned) name, size and SHA-256."""

    path: Path
    original_name: str
    size: int
    sha256: str


async def receive_upload(
    chunks: AsyncIterator[bytes],
    folder: Path,
    filename: str,
    *,
    limit: int,
    declared_length: int | None = None,
) -> StoredUpload:
    """Stream ``chunks`` into a new file in ``folder``.

    Raises
    ------
    ApiError
        413 when the body is (or is declared) larger than ``limit`` bytes, 400 when
        it is empty, 415 for an unsupported extension.
    """
    name = safe_filename(filename)
    too_large = ApiError(
        413,
        f"the file is larger than the upload limit of {limit / 1048576:.1f} MB; "
        "split it, or ask the administrator to raise UNDERCOUNT_SERVICE_MAX_UPLOAD_MB",
    )
    if declared_length is not None and declared_length > limit:
        raise too_large
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    home = check_inside(folder / f"{stamp}-{secrets.token_hex(4)}", folder)
    home.mkdir(parents=True, mode=0o700)
    final = check_inside(home / name, home)
    partial = final.with_name(final.name + ".part")
    digest = hashlib.sha256()
    size = 0
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            async for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise too_large
                digest.update(chunk)
                handle.write(chunk)
        if size == 0:
            raise ApiError(400, "the uploaded file is empty; choose the list file")
        partial.rename(final)
    except BaseException:
        partial.unlink(missing_ok=True)
        home.rmdir()
        raise
    return StoredUpload(final, name, size, digest.hexdigest())


async def receive_request_body(
    request: Request, folder: Path, filename: str, *, limit: int
) -> StoredUpload:
    """Store the body of an upload request (the file is the body) in ``folder``.

    A declared ``Content-Length`` over ``limit`` is refused before any byte is read.
    """
    declared = request.headers.get("content-length")
    return await receive_upload(
        request.stream(),
        folder,
        filename,
        limit=limit,
        declared_length=int(declared) if declared and declared.isdigit() else None,
    )
