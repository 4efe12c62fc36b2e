"""Stage: report — the result as one self-contained HTML page, a PDF and charts.

:func:`write_report` turns a ``results.json`` document (see
:mod:`undercount.pipeline`) into ``report.html`` (inline CSS and SVG charts: it opens
with no network) and ``report.pdf`` (WeasyPrint, else headless Chromium, else a
message). Charts are Vega-Lite templates in ``files/*.json`` filled by code and
rendered offline by vl-convert. :func:`redact` makes the public version: no personal
field, no count under the small-cell threshold. See docs/report.md.
"""

from __future__ import annotations

from undercount.report._build import ReportFiles, render_html, write_report
from undercount.report._pdf import PdfOutcome, write_pdf
from undercount.report._public import PERSONAL_KEYS, redact, suppress
from undercount.report._render import load_template, render_svg
from undercount.report._text import DATA_LABELS, data_kind

__all__ = [
    "DATA_LABELS",
    "PERSONAL_KEYS",
    "PdfOutcome",
    "ReportFiles",
    "data_kind",
    "load_template",
    "redact",
    "render_html",
    "render_svg",
    "suppress",
    "write_pdf",
    "write_report",
]
