"""One entry point for incident files: detect the format and read it.

``read_incidents(path, source)`` reads a UCDP GED export, an ACLED export or any
other table through the column mapping; the format is detected from the header
(all of GED's required codebook columns -> ``ucdp-ged``; all of ACLED's ->
``acled``; otherwise ``generic``) unless given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from undercount.errors import UserInputError
from undercount.incidents._acled import ACLED_REQUIRED, read_acled
from undercount.incidents._generic import IncidentSourceConfig, read_generic
from undercount.incidents._places import PlaceResolver
from undercount.incidents._record import IncidentImport
from undercount.incidents._ucdp import GED_REQUIRED, read_ucdp_ged
from undercount.ingest import header_key, open_reader

__all__ = ["IncidentFormat", "detect_format", "read_incidents"]

IncidentFormat = Literal["ucdp-ged", "acled", "generic", "acknowledgments"]
FORMATS: tuple[str, ...] = ("ucdp-ged", "acled", "generic", "acknowledgments")


def detect_format(path: Path, config: IncidentSourceConfig | None = None) -> str:
    """``ucdp-ged``, ``acled``, ``acknowledgments`` or ``generic``, from the header."""
    from undercount.incidents._acknowledgments import looks_like_acknowledgments

    config = config or IncidentSourceConfig()
    reader = open_reader(
        path,
        file_format=config.format,
        encoding=config.encoding,
        delimiter=config.delimiter,
        sheet=config.sheet,
    )
    try:
        header = list(reader.header)
    finally:
        reader.close()
    keys = {header_key(h) for h in header}
    if {header_key(c) for c in GED_REQUIRED} <= keys:
        return "ucdp-ged"
    if {header_key(c) for c in ACLED_REQUIRED} <= keys:
        return "acled"
    if looks_like_acknowledgments(header):
        return "acknowledgments"
    return "generic"


def read_incidents(
    path: Path,
    source: str,
    *,
    format: str | None = None,
    config: IncidentSourceConfig | None = None,
    resolver: PlaceResolver | None = None,
) -> IncidentImport:
    """Read an incident file of any supported format.

    Parameters
    ----------
    path
        The file.
    source
        Source name of the records (a generic file's ``source`` column overrides
        it per row).
    format
        ``ucdp-ged``, ``acled`` or ``generic``; detected when ``None``.
    config
        Reading options and column mapping for generic tables.

    Raises
    ------
    UserInputError
        Unknown format, unreadable file, missing or unmappable columns.
    """
    from undercount.ingest import file_sha256

    path = Path(path)
    fmt = format or detect_format(path, config)
    if fmt not in FORMATS:
        raise UserInputError(
            f"unknown incident format {fmt!r}; use one of {', '.join(FORMATS)}"
        )
    if fmt == "acknowledgments":
        raise UserInputError(
            f"{path} is an acknowledgments file; read it with read_acknowledgments "
            "(CLI: undercount incidents import NAME FILE --format acknowledgments)"
        )
    sha = file_sha256(path)
    encoding = config.encoding if config else None
    if fmt == "ucdp-ged":
        return read_ucdp_ged(
            path, source=source, file_sha256=sha, resolver=resolver, encoding=encoding
        )
    if fmt == "acled":
        return read_acled(
            path, source=source, file_sha256=sha, resolver=resolver, encoding=encoding
        )
    return read_generic(
        path, source=source, config=config, file_sha256=sha, resolver=resolver
    )
