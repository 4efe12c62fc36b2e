"""Vega-Lite spec templates (``files/*.json``) filled by code and rendered to SVG.

Charts are declared as data: each template names its datasets (``"datasets": {...}``)
and the builders in :mod:`undercount.report._charts` only fill them and set titles.
Rendering uses vl-convert (Vega in an embedded JavaScript engine, no browser, no
network), so the report carries finished SVG and needs no script to open.
"""

from __future__ import annotations

import copy
import html
import json
import re
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["Chart", "load_template", "render_svg"]

Chart = dict[str, Any]


@cache
def _template_text(name: str) -> str:
    return (resources.files("undercount.report") / "files" / f"{name}.json").read_text(
        encoding="utf-8"
    )


def load_template(name: str) -> Chart:
    """A fresh copy of the chart template ``files/<name>.json``."""
    spec: Chart = json.loads(_template_text(name))
    return copy.deepcopy(spec)


def fill(
    name: str,
    datasets: dict[str, Any],
    *,
    title: str | None = None,
    subtitle: str | None = None,
) -> Chart:
    """Template ``name`` with its datasets filled and, optionally, a new title."""
    spec = load_template(name)
    unknown = sorted(set(datasets) - set(spec.get("datasets", {})))
    if unknown:
        raise KeyError(f"template {name!r} has no dataset(s) {unknown!r}")
    spec["datasets"].update(datasets)
    if title is not None or subtitle is not None:
        heading = spec.setdefault("title", {})
        if title is not None:
            heading["text"] = title
        if subtitle is not None:
            heading["subtitle"] = subtitle
    return spec


_ID = re.compile(r'\bid="([^"]+)"')


def render_svg(spec: Chart, *, key: str, label: str) -> str:
    """Render ``spec`` to inline SVG markup (ids prefixed with ``key``).

    A chart that cannot be rendered becomes a short note instead: a broken chart
    must never stop a report.
    """
    try:
        import vl_convert

        svg = str(vl_convert.vegalite_to_svg(spec))
    except Exception as exc:  # any renderer failure becomes a note
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return (
            f'<p class="chart-error">Chart "{html.escape(label)}" could not be '
            f"drawn: {html.escape(reason)}</p>"
        )
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", key)
    ids = set(_ID.findall(svg))
    for ident in ids:
        svg = svg.replace(f'id="{ident}"', f'id="{prefix}-{ident}"')
        svg = svg.replace(f"url(#{ident})", f"url(#{prefix}-{ident})")
        svg = svg.replace(f'href="#{ident}"', f'href="#{prefix}-{ident}"')
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{html.escape(label, quote=True)}" '
        'preserveAspectRatio="xMinYMin meet" ',
        1,
    )
    return svg
