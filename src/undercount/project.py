"""A project on disk: ``undercount.toml`` (configuration) next to ``undercount.duckdb``.

The configuration is read with :mod:`tomllib` and validated with pydantic so that a
typo (``encodng = ...``) or an impossible value (``extra_columns = "drop"``) is a
one-line :class:`~undercount.errors.UserInputError` naming the key, the value and
the fix, before any file is touched.

Only the ``[project]`` and ``[sources.*]`` tables are defined here. Other top-level
tables (strata, acknowledgments, linkage settings...) belong to later stages; they
are kept as-is in :attr:`ProjectConfig.model_extra` so that those stages can
validate them themselves.
"""

from __future__ import annotations

import codecs
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from undercount.errors import UserInputError
from undercount.model import VICTIM_COLUMNS

__all__ = [
    "CANONICAL_FIELDS",
    "CONFIG_FILENAME",
    "FORMATS",
    "KEEP",
    "STORE_FILENAME",
    "Project",
    "ProjectConfig",
    "ProjectMeta",
    "SourceConfig",
    "find_project",
    "init_project",
    "load_config",
]

CONFIG_FILENAME = "undercount.toml"
STORE_FILENAME = "undercount.duckdb"

#: Canonical victim-list columns (DESIGN.md), in display order.
CANONICAL_FIELDS: tuple[str, ...] = VICTIM_COLUMNS

#: Column-mapping target meaning "not a canonical field; keep it in ``original`` only".
KEEP = "keep"

#: File formats the importer reads.
FORMATS = ("csv", "tsv", "xlsx", "json", "jsonl", "parquet")

Format = Literal["csv", "tsv", "xlsx", "json", "jsonl", "parquet"]

_SOURCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def check_source_name(name: str) -> str:
    """Return ``name`` if it is a valid source name, else raise a user error.

    Source names become column names of the capture table and appear in commands,
    so they are restricted to ASCII letters, digits, ``_``, ``.`` and ``-``.
    """
    if not _SOURCE_NAME.match(name):
        raise UserInputError(
            f"a source name must be 1-64 ASCII letters, digits, '_', '.' or '-' "
            f"starting with a letter or digit; got {name!r}; "
            "use e.g. 'morgue' or 'ngo_2017'"
        )
    return name


class SourceConfig(BaseModel):
    """How to read one source (one list of the dead); the ``[sources.NAME]`` table.

    Every key is optional: an unconfigured source is read with automatic format,
    encoding and header detection, and unknown columns are an error.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str | None = None
    """Human-readable name of the list (e.g. ``"Mosul forensic morgue register"``)."""
    file: str | None = None
    """Default file to import, relative to the project directory."""
    format: Format | None = None
    """File format; by default from the file extension."""
    encoding: str | None = None
    """Text encoding (``utf-8``, ``utf-16``, ``cp1256``...); by default detected."""
    delimiter: str | None = None
    """Field delimiter for CSV; by default sniffed from the header line."""
    sheet: str | None = None
    """Worksheet of an XLSX workbook; by default the first sheet."""
    columns: dict[str, str] = Field(default_factory=dict)
    """File header -> canonical field (or ``"keep"``); complements automatic aliases."""
    extra_columns: Literal["error", "keep"] = "error"
    """What to do with columns that map to no canonical field."""
    dayfirst: bool = True
    """Read ambiguous ``a/b/YYYY`` dates as day/month (``false``: month/day)."""

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return codecs.lookup(value).name
        except LookupError:
            raise ValueError(
                f"unknown encoding {value!r}; use e.g. 'utf-8', 'utf-16' or 'cp1256'"
            ) from None

    @field_validator("delimiter")
    @classmethod
    def _one_char(cls, value: str | None) -> str | None:
        if value is not None and (len(value) != 1 or value in "\r\n\"'"):
            raise ValueError(
                f"delimiter must be one character (not a quote or newline); "
                f"got {value!r}; use e.g. ',' or ';' or '\\t'"
            )
        return value

    @field_validator("columns")
    @classmethod
    def _known_targets(cls, value: dict[str, str]) -> dict[str, str]:
        targets: dict[str, str] = {}
        for header, target in value.items():
            if target != KEEP and target not in CANONICAL_FIELDS:
                raise ValueError(
                    f"column {header!r} is mapped to {target!r}, which is not a "
                    f"canonical field; use one of {', '.join(CANONICAL_FIELDS)} "
                    f"or {KEEP!r}"
                )
            if target != KEEP and target in targets:
                raise ValueError(
                    f"columns {targets[target]!r} and {header!r} are both mapped to "
                    f"{target!r}; map only one of them (the other to {KEEP!r})"
                )
            targets[target] = header
        return value


class ProjectMeta(BaseModel):
    """The ``[project]`` table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "undercount project"
    description: str | None = None


class ProjectConfig(BaseModel):
    """All of ``undercount.toml``; other top-level tables are kept for later stages."""

    model_config = ConfigDict(extra="allow", frozen=True)

    project: ProjectMeta = Field(default_factory=ProjectMeta)
    sources: dict[str, SourceConfig] = Field(default_factory=dict)

    @field_validator("sources")
    @classmethod
    def _valid_names(cls, value: dict[str, SourceConfig]) -> dict[str, SourceConfig]:
        for name in value:
            if not _SOURCE_NAME.match(name):
                raise ValueError(
                    f"source name {name!r} must be ASCII letters, digits, '_', '.' "
                    "or '-'; rename the [sources.NAME] table"
                )
        return value

    def source(self, name: str) -> SourceConfig:
        """Configuration of source ``name``; defaults when it is not configured."""
        return self.sources.get(name) or SourceConfig()


def _format_validation_error(path: Path, exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = (
            f"unknown key {where.rsplit('.', 1)[-1]!r}; check its spelling "
            "(see docs/import.md for the keys of [sources.NAME])"
        )
    more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return f"{path}: invalid value at {where}: {message}{more}"


def load_config(path: Path) -> ProjectConfig:
    """Read and validate an ``undercount.toml``.

    Raises
    ------
    UserInputError
        When the file cannot be read, is not valid TOML, or breaks a rule; the
        message names the file, the key and the fix.
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise UserInputError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UserInputError(
            f"{path} must be UTF-8 text; re-save it as UTF-8"
        ) from None
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserInputError(f"{path} is not valid TOML: {exc}") from None
    try:
        return ProjectConfig.model_validate(data)
    except ValidationError as exc:
        raise UserInputError(_format_validation_error(path, exc)) from None


@dataclass(frozen=True, slots=True)
class Project:
    """A project directory with its configuration (already validated)."""

    root: Path
    config: ProjectConfig

    @property
    def config_path(self) -> Path:
        """Path of ``undercount.toml``."""
        return self.root / CONFIG_FILENAME

    @property
    def store_path(self) -> Path:
        """Path of the DuckDB store."""
        return self.root / STORE_FILENAME

    @classmethod
    def load(cls, root: Path) -> Project:
        """Load the project whose ``undercount.toml`` is in ``root``."""
        root = root.resolve()
        return cls(root=root, config=load_config(root / CONFIG_FILENAME))


def find_project(start: Path | None = None) -> Project:
    """Find the project in ``start`` (default: the current directory) or a parent.

    Raises
    ------
    UserInputError
        When no ``undercount.toml`` is found; the fix is ``undercount init``.
    """
    here = (start or Path.cwd()).resolve()
    if start is not None and not here.is_dir():
        raise UserInputError(f"project directory {str(start)!r} does not exist")
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILENAME).is_file():
            return Project.load(folder)
    raise UserInputError(
        f"no {CONFIG_FILENAME} in {str(here)!r} or its parents; create a project "
        "with 'undercount init DIR' or pass --project DIR"
    )


CONFIG_TEMPLATE = """\
# undercount project configuration (TOML). See docs/import.md for every key.

[project]
name = "{name}"
# description = "Civilian deaths in Mosul, October 2016 - July 2017"

# One table per source (list of the dead). Every key is optional: a source that is
# not configured here can still be imported with `undercount import NAME FILE`,
# with automatic detection of format, encoding and common column names
# (English and Arabic: name/الاسم, sex/الجنس, age/العمر, date_of_death/تاريخ الوفاة...).
#
# [sources.morgue]
# title = "Forensic morgue register"
# file = "lists/morgue.csv"        # default FILE for `undercount import morgue`
# encoding = "cp1256"              # default: detected (UTF-8, UTF-16, cp1256)
# delimiter = ","                  # CSV only; default: sniffed from the header
# sheet = "Sheet1"                 # XLSX only; default: the first sheet
# extra_columns = "error"          # or "keep": unmapped columns kept in `original` only
# dayfirst = true                  # 3/4/2017 is 3 April (false: 4 March)
#
# [sources.morgue.columns]         # file header = canonical field (or "keep")
# "رقم الجثة" = "record_id"
# "الاسم الكامل" = "name"
# "المنطقة" = "keep"
#
# Incident reports and acknowledgments (docs/incidents.md). `undercount run` and
# `undercount gap` import the files listed here into the project store first (once
# per file content), next to those imported with `undercount incidents import`.
#
# [incidents]
# files = {{ airwars = "incidents/airwars.csv" }}
# acknowledgments = ["incidents/acknowledgments.csv"]
#
# [incidents.sources.airwars.columns]   # file header = incident field
# "Civilians killed" = "killed"
#
# [incidents.matching]
# threshold = 3.5
"""


def init_project(root: Path, *, name: str | None = None) -> Project:
    """Create a project in ``root``: write ``undercount.toml`` and create the store.

    Raises
    ------
    UserInputError
        When ``root`` already holds a project (nothing is overwritten).
    """
    from undercount.store import Store

    root = root.resolve()
    config_path = root / CONFIG_FILENAME
    store_path = root / STORE_FILENAME
    for existing in (config_path, store_path):
        if existing.exists():
            raise UserInputError(
                f"{str(root)!r} already holds a project ({existing.name} exists); "
                "nothing was changed; use another directory"
            )
    if root.exists() and not root.is_dir():
        raise UserInputError(f"{str(root)!r} exists and is not a directory")
    root.mkdir(parents=True, exist_ok=True)
    title = (name or root.name or "undercount project").replace('"', "'")
    config_path.write_text(CONFIG_TEMPLATE.format(name=title), encoding="utf-8")
    with Store.create(store_path) as store:
        store.append_audit("project.init", {"directory": root.name, "name": title})
    return Project.load(root)
