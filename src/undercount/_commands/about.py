"""``undercount version``: which undercount and which key libraries are installed."""

from __future__ import annotations

import importlib.metadata

import typer

from undercount.cli import app

_LIBRARIES = ("duckdb", "splink", "numpy", "scipy", "statsmodels", "numba", "arviz")


@app.command()
def version() -> None:
    """Print the version of undercount and of the libraries its results depend on.

    Example: ``undercount version``
    """
    typer.echo(f"undercount {importlib.metadata.version('undercount')}")
    for name in _LIBRARIES:
        try:
            typer.echo(f"  {name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            typer.echo(f"  {name} (not installed)")
