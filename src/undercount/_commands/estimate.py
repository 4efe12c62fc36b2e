"""``undercount estimate``: population size from a capture-history file.

Contract (DESIGN.md): ``undercount estimate CAPTURES.csv --method METHOD [--seed N]
[--level 0.95] [--strata COL,...] [--json]``; method options ``--model`` and
``--criterion`` (loglinear) and ``--K``, ``--burnin``, ``--samples``, ``--chains``,
``--thinning`` (lcmcr, dga). ``--json`` prints one JSON object; errors are one line.
"""

from __future__ import annotations

import json
import math
import sys
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer

from undercount.cli import app
from undercount.errors import UndercountError, UndercountWarning, UserInputError

CLASSICAL = ("lincoln-petersen", "chapman", "loglinear", "chao")
SAMPLER_OPTIONS = ("K", "burnin", "samples", "chains", "thinning")


@app.command()
def estimate(
    captures: Annotated[
        Path, typer.Argument(help="Capture file: 0/1 list columns + count.")
    ],
    method: Annotated[
        str,
        typer.Option(
            "--method",
            help="lincoln-petersen, chapman, loglinear, lcmcr, dga or chao.",
        ),
    ],
    seed: Annotated[int | None, typer.Option(help="Seed (Bayesian methods).")] = None,
    level: Annotated[float, typer.Option(help="Interval level.")] = 0.95,
    strata: Annotated[
        str | None, typer.Option(help="Stratum columns, comma-separated.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object.")
    ] = False,
    model: Annotated[
        str | None,
        typer.Option(help="loglinear model: M0, Mt, 'Mth Chao', '[12,3,4]'..."),
    ] = None,
    criterion: Annotated[
        str | None, typer.Option(help="loglinear selection criterion: bic or aic.")
    ] = None,
    k: Annotated[
        int | None, typer.Option("--K", help="Latent classes (lcmcr).")
    ] = None,
    burnin: Annotated[int | None, typer.Option(help="Burn-in iterations.")] = None,
    samples: Annotated[int | None, typer.Option(help="Posterior samples kept.")] = None,
    chains: Annotated[
        int | None, typer.Option(help="Chains (run in parallel).")
    ] = None,
    thinning: Annotated[int | None, typer.Option(help="Thinning interval.")] = None,
) -> None:
    """Estimate how many people no list recorded, with an interval.

    Example: ``undercount estimate captures.csv --method loglinear --json``
    """
    try:
        warnings.simplefilter("ignore", UndercountWarning)  # results carry them
        options = {
            "model": model,
            "criterion": criterion,
            "K": k,
            "burnin": burnin,
            "samples": samples,
            "chains": chains,
            "thinning": thinning,
            "seed": seed,
        }
        result = run_estimate(captures, method, level=level, strata=strata, **options)
        record = result.to_dict(level)
        if as_json:
            typer.echo(json.dumps(_json_safe(record), ensure_ascii=False))
        else:
            _print_human(result, record, level, captures)
    except UndercountError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except (OSError, ValueError, ArithmeticError) as exc:
        typer.echo(f"error: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(1) from None


def run_estimate(
    captures: Path,
    method: str,
    *,
    level: float = 0.95,
    strata: str | None = None,
    **options: Any,
) -> Any:
    """Read the file, build the estimator from the options and fit it."""
    from undercount.estimate import (
        available_methods,
        fit_stratified,
        get_method,
        load_methods,
    )
    from undercount.estimate._base import check_level
    from undercount.model.capture_table import CaptureTable

    check_level(level)
    load_methods(method)
    if method not in available_methods():
        load_methods()  # so that the error lists every method available
    factory = get_method(method)
    kwargs = _estimator_kwargs(method, options)
    try:
        estimator = factory(**kwargs)
    except TypeError as exc:
        raise UserInputError(
            f"method {method!r} does not accept the options {sorted(kwargs)!r}: {exc}"
        ) from None
    columns = [c.strip() for c in strata.split(",") if c.strip()] if strata else []
    table = CaptureTable.read_csv(captures, strata=columns)
    if columns:
        return fit_stratified(estimator, table)
    return estimator.fit(table)


def _estimator_kwargs(method: str, options: dict[str, Any]) -> dict[str, Any]:
    given = {name: value for name, value in options.items() if value is not None}
    if method in CLASSICAL:
        allowed = ("model", "criterion") if method == "loglinear" else ()
        extra = sorted(set(given) - set(allowed) - {"seed"})
        if extra:
            flags = ", ".join(f"--{name}" for name in extra)
            raise UserInputError(
                f"option(s) {flags} do not apply to --method {method}; "
                "--model/--criterion are for loglinear, --K/--burnin/--samples/"
                "--chains/--thinning for lcmcr and dga"
            )
        return {name: given[name] for name in allowed if name in given}
    misplaced = sorted({"model", "criterion"} & set(given))
    if misplaced:
        raise UserInputError(
            f"option(s) {', '.join('--' + m for m in misplaced)} apply only to "
            "--method loglinear"
        )
    return given


def _json_safe(value: Any) -> Any:
    """Replace non-finite floats by null (strict JSON) and numpy scalars by Python."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            value = value.item()
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _print_human(
    result: Any, record: dict[str, Any], level: float, captures: Path
) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=sys.stdout, soft_wrap=True)
    if not console.is_terminal:
        console = Console(file=sys.stdout, soft_wrap=True, width=120)
    headline = Table(title=f"Population size estimate ({record['method']})")
    headline.add_column("", style="bold")
    headline.add_column("")
    headline.add_row("lists", ", ".join(record["lists"]))
    headline.add_row("documented (observed)", f"{record['observed']:,}")
    headline.add_row("estimate", _number(record["estimate"]))
    headline.add_row(
        f"{level:.0%} interval",
        f"{_number(record['lower'])} - {_number(record['upper'])}",
    )
    if "model" in record:
        headline.add_row("model", str(record["model"]))
    for key, value in record["diagnostics"].items():
        if key == "model" and "model" in record:
            continue
        headline.add_row(str(key), _diagnostic(value))
    console.print(headline)
    models = getattr(result, "model_table", None)
    if models is not None:
        console.print(
            _model_table(models.head(10), "Best models (Rcapture closedpMS.t)")
        )
    elif record["method"] == "loglinear" and "strata" not in record:
        from undercount.estimate import closed_population_table
        from undercount.model.capture_table import CaptureTable

        family = closed_population_table(CaptureTable.read_csv(captures))
        title = "Closed-population models (Rcapture closedp.t)"
        console.print(_model_table(family, title))
    for stratum in record.get("strata", []):
        where = ", ".join(f"{k}={v}" for k, v in stratum["stratum"].items())
        if stratum["estimated"]:
            console.print(
                f"  {where}: documented {stratum['observed']:,}, estimate "
                f"{_number(stratum['estimate'])} [{_number(stratum['lower'])}, "
                f"{_number(stratum['upper'])}]"
            )
        else:
            console.print(
                f"  {where}: documented {stratum['observed']:,}, not estimated"
            )
    for warning in record.get("warnings", []):
        console.print(
            f"[yellow]warning:[/yellow] {warning}", markup=True, highlight=False
        )


def _model_table(frame: Any, title: str) -> Any:
    from rich.table import Table

    table = Table(title=title)
    for column in frame.columns:
        left = column in ("model", "flag")
        table.add_column(str(column), justify="left" if left else "right", no_wrap=True)
    digits = {"abundance": 1, "stderr": 1, "deviance": 3, "AIC": 3, "BIC": 3}
    for _, row in frame.iterrows():
        cells = []
        for column in frame.columns:
            value = row[column]
            if column in digits:
                cells.append(f"{value:,.{digits[column]}f}")
            else:
                cells.append(str(value))
        table.add_row(*cells)
    return table


def _diagnostic(value: Any) -> str:
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:,.1f}" if abs(value) >= 1000 else f"{value:.4g}"
    return str(value)


def _number(value: Any) -> str:
    if value is None:
        return "unbounded"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "unbounded" if value > 0 else "n/a"
        return f"{value:,.1f}"
    return str(value)
