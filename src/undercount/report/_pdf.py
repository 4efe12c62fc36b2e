"""The PDF of the report, made offline from the same HTML.

Engine choice: **WeasyPrint** (a Python package; it needs the Pango libraries that
Debian ships as ``libpango-1.0-0``/``libpangoft2-1.0-0``) renders the HTML and its
inline SVG charts without a browser and without network access. When WeasyPrint is
not importable (package or system libraries missing), **headless Chromium**
(``chromium --headless --print-to-pdf``) is tried. When neither works the HTML
report is still written and the caller gets a one-line message saying what to
install: a missing PDF never fails a run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = ["PdfOutcome", "write_pdf"]

Engine = Literal["weasyprint", "chromium", "auto"]

_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
_INSTALL_HINT = (
    "install WeasyPrint (pip install weasyprint; Debian: apt-get install "
    "libpango-1.0-0 libpangoft2-1.0-0) or Chromium (apt-get install chromium)"
)


@dataclass(frozen=True, slots=True)
class PdfOutcome:
    """Where the PDF went, which engine made it, or why there is none."""

    path: Path | None
    engine: str | None
    message: str | None = None


def _weasyprint(html: str, path: Path, base: Path) -> str | None:
    try:
        import logging

        import weasyprint  # type: ignore[import-untyped]
    except (ImportError, OSError) as exc:  # OSError: Pango libraries missing
        return f"WeasyPrint unavailable ({type(exc).__name__}: {exc})"
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    try:
        weasyprint.HTML(string=html, base_url=str(base)).write_pdf(str(path))
    except Exception as exc:
        return f"WeasyPrint failed ({type(exc).__name__}: {exc})"
    return None


def _chromium_binary() -> str | None:
    configured = os.environ.get("UNDERCOUNT_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for name in _CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _chromium(html: str, path: Path) -> str | None:
    binary = _chromium_binary()
    if binary is None:
        return "Chromium not found"
    with tempfile.TemporaryDirectory(prefix="undercount-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        command = [
            binary,
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp}/profile",
            f"--print-to-pdf={path}",
            page.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=120, check=True)
        except (OSError, subprocess.SubprocessError) as exc:
            return f"Chromium failed ({type(exc).__name__})"
    if not path.is_file() or path.stat().st_size == 0:
        return "Chromium wrote no PDF"
    return None


def write_pdf(html: str, path: Path, *, engine: Engine = "auto") -> PdfOutcome:
    """Write ``html`` as a PDF to ``path`` with the first engine that works.

    Parameters
    ----------
    html
        The self-contained report HTML.
    path
        Where to write the PDF.
    engine
        ``"auto"`` (WeasyPrint, then Chromium), or one engine only.

    Returns
    -------
    PdfOutcome
        ``path`` and ``engine`` on success; otherwise ``path`` is ``None`` and
        ``message`` says why and what to install.
    """
    problems: list[str] = []
    if engine in ("auto", "weasyprint"):
        problem = _weasyprint(html, path, path.parent)
        if problem is None:
            return PdfOutcome(path, "weasyprint")
        problems.append(problem)
    if engine in ("auto", "chromium"):
        problem = _chromium(html, path)
        if problem is None:
            return PdfOutcome(path, "chromium")
        problems.append(problem)
    if path.exists() and path.stat().st_size == 0:
        path.unlink()
    return PdfOutcome(
        None,
        None,
        f"no PDF written: {'; '.join(problems)}; {_INSTALL_HINT}",
    )
