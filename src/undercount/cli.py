"""Command-line face of undercount: parses options, calls the library, formats output.

Each group of commands lives in ``undercount._commands.<topic>`` and registers itself on
:data:`app`; this module only assembles them and turns user errors into one-line
messages with a non-zero exit code (no traceback).
"""

from __future__ import annotations

import sys

import typer

from undercount.errors import UserInputError

app = typer.Typer(
    name="undercount",
    help=(
        "undercount: link overlapping lists of the dead, estimate how many no list "
        "recorded (multiple systems estimation), and compare with acknowledged counts."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Keep undercount a command group even while few commands exist."""


def _register_commands() -> None:
    """Import every command module; each adds its commands to :data:`app`."""
    import importlib
    import pkgutil

    import undercount._commands as commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"undercount._commands.{info.name}")


def main() -> None:
    """Entry point of the ``undercount`` script."""
    _register_commands()
    try:
        app()
    except UserInputError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
