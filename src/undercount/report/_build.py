"""Build the report files from a ``results.json`` document."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from undercount.report._context import report_context
from undercount.report._pdf import Engine, write_pdf

__all__ = ["ReportFiles", "render_html", "write_report"]


@dataclass(frozen=True, slots=True)
class ReportFiles:
    """The files a report run wrote; ``pdf`` is ``None`` (with a message) when no
    PDF engine was available."""

    html: Path
    pdf: Path | None
    pdf_engine: str | None = None
    pdf_message: str | None = None


@cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("undercount.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _css() -> str:
    return (
        resources.files("undercount.report") / "templates" / "report.css"
    ).read_text(encoding="utf-8")


def render_html(results: dict[str, Any], *, generated: str | None = None) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, no script).

    Parameters
    ----------
    results
        A ``results.json`` document (already redacted for a public report).
    generated
        Text of the generation time shown in the header (default: now, UTC).
    """
    when = generated or dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    template = _environment().get_template("report.html.j2")
    return str(template.render(**report_context(results, when, _css())))


def write_report(
    results: dict[str, Any],
    out_dir: Path,
    *,
    pdf: bool = True,
    engine: Engine = "auto",
    generated: str | None = None,
) -> ReportFiles:
    """Write ``report.html`` (and ``report.pdf`` when possible) to ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html = render_html(results, generated=generated)
    html_path = out_dir / "report.html"
    html_path.write_text(html, encoding="utf-8")
    if not pdf:
        return ReportFiles(html_path, None, None, "PDF not requested")
    outcome = write_pdf(html, out_dir / "report.pdf", engine=engine)
    return ReportFiles(html_path, outcome.path, outcome.engine, outcome.message)
