"""Declaring what a project's data are: ``[report] data`` in ``undercount.toml``.

The report labels a project by what its user declared (``"real"`` or
``"simulated"``; undeclared, it says so and never calls the data real). People
using the command line edit ``undercount.toml``; the web service lets an
administrator declare it on the project's page, through :func:`declare_data`,
which changes that one line and leaves the rest of the file (comments included)
as it was. ``undercount.toml`` stays the one place the declaration lives.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from pathlib import Path
from typing import Literal

from undercount.errors import UserInputError
from undercount.pipeline._config import pipeline_config

__all__ = ["DataDeclaration", "declare_data", "declared_data", "declared_data_text"]

DataDeclaration = Literal["real", "simulated", "undeclared"]

_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*(data|simulated)\s*=")


def declared_data(config_path: Path) -> DataDeclaration:
    """What ``undercount.toml`` declares: ``real``, ``simulated`` or ``undeclared``."""
    data = tomllib.loads(config_path.read_text(encoding="utf-8"))
    return pipeline_config(data).report.provenance


def _edit(text: str, data: Literal["real", "simulated"] | None) -> str:
    """``text`` with the ``[report]`` table's ``data`` / ``simulated`` lines set."""
    lines = text.splitlines(keepends=True)
    new_line = f'data = "{data}"\n' if data is not None else None
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if (m := _HEADER.match(line)) and m.group(1) == "report"
        ),
        None,
    )
    if start is None:
        if new_line is None:
            return text
        tail = "" if not text or text.endswith("\n") else "\n"
        return f"{text}{tail}\n[report]\n{new_line}"
    end = next(
        (i for i in range(start + 1, len(lines)) if _HEADER.match(lines[i])),
        len(lines),
    )
    body = [line for line in lines[start + 1 : end] if not _KEY.match(line)]
    if new_line is not None:
        body.insert(0, new_line)
    return "".join([*lines[: start + 1], *body, *lines[end:]])


def declare_data(
    project_root: Path, data: Literal["real", "simulated"] | None
) -> DataDeclaration:
    """Set ``[report] data`` in the project's ``undercount.toml``; the previous value.

    ``None`` removes the declaration (the report then says the provenance is not
    declared). An older ``simulated = ...`` line in ``[report]`` is replaced too.
    The file is rewritten atomically and only when the result reads back as
    intended.

    Raises
    ------
    UserInputError
        When the file declares ``report`` in a form this edit does not handle (an
        inline table or dotted keys): edit ``undercount.toml`` by hand then.
    """
    path = project_root / "undercount.toml"
    text = path.read_text(encoding="utf-8")
    previous = declared_data(path)
    edited = _edit(text, data)
    wanted: DataDeclaration = data or "undeclared"
    try:
        result = declared_data_text(edited)
    except (tomllib.TOMLDecodeError, UserInputError):
        result = None
    if result != wanted:
        raise UserInputError(
            f"could not set [report] data = {data!r} in {path.name} automatically "
            "(the [report] table is written in a form this edit does not handle); "
            f'edit the file: put data = "{data}" under [report]'
            if data
            else f"could not remove [report] data from {path.name}; edit the file"
        )
    fd, tmp = tempfile.mkstemp(prefix=".undercount-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(edited)
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return previous


def declared_data_text(text: str) -> DataDeclaration:
    """:func:`declared_data` of a configuration's text."""
    return pipeline_config(tomllib.loads(text)).report.provenance
