"""From ``results.json`` to what the HTML template shows: formatted figures, tables,
sentences and rendered charts. Nothing here computes a new statistic: every value
is read from the results document."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from undercount.report import _charts, _maps
from undercount.report._render import render_svg
from undercount.report._sections import (
    diagnostics_text,
    headline_section,
    linkage_section,
    list_rows,
    provenance_section,
    reference_section,
    strata_sections,
    svg,
    truth_section,
)
from undercount.report._text import (
    ASSUMPTIONS,
    DATA_LABELS,
    data_kind,
    fmt_count,
    fmt_interval,
)

__all__ = ["analysis_context", "report_context"]


def analysis_context(a: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """Everything the template shows for one analysis."""
    key = a["id"]
    headline_method = a.get("headline_method")
    estimates = []
    for record in [*a["estimates"], *a.get("stratified_estimates", [])]:
        label = record["label"] + (
            f" (by {', '.join(record['strata_columns'])})"
            if record.get("stratified")
            else ""
        )
        entry: dict[str, Any] = {
            "label": label,
            "headline": record["method"] == headline_method
            and not record.get("stratified"),
            "warnings": record.get("warnings", [])[:4],
            "error": None,
        }
        if "estimate" in record:
            entry.update(
                estimate=fmt_count(record["estimate"]),
                interval=fmt_interval(record["lower"], record["upper"]),
                diagnostics=diagnostics_text(record),
            )
        else:
            entry["error"] = record.get("error", "not estimated")
        estimates.append(entry)
    posteriors = []
    for record in a["estimates"]:
        spec = _charts.posterior_chart(a, record)
        if spec is not None:
            posteriors.append(
                {
                    "method": record["label"],
                    "svg": svg(
                        spec, f"{key}-post-{record['method']}", "posterior of N"
                    ),
                }
            )
    captures = a["captures"]
    only_one = captures.get("only_one_list")
    overlap_sentence = (
        f"{fmt_count(captures.get('observed'))} distinct people are on at least one of "
        f"{len(captures['lists'])} lists; {fmt_count(only_one)} are on only one list. "
        "Each bar counts the people on exactly the combination of lists marked by the "
        "dots below it."
    )
    months = (a.get("linkage") or {}).get("records_by_month", [])
    unknown = [r for r in months if r["month"] == "unknown"]
    level = a["estimates"][0].get("level", 0.95) if a["estimates"] else 0.95
    return {
        "id": key,
        "title": a["title"],
        "description": a.get("description"),
        "simulated": data_kind(a) == "simulated",
        "data": data_kind(a),
        "data_label": DATA_LABELS[data_kind(a)],
        "head": headline_section(a),
        "truth": truth_section(a),
        "reference": reference_section(a),
        "overlap_sentence": overlap_sentence,
        "list_rows": list_rows(a),
        "estimates": estimates,
        "level_pct": f"{level:.0%}",
        "strata": strata_sections(a, key),
        "linkage": linkage_section(a),
        "unknown_month": (
            "Records with no known month of death are not drawn: "
            + ", ".join(f"{r['list']} {fmt_count(r['records'])}" for r in unknown)
            + "."
            if unknown
            else ""
        ),
        "provenance": provenance_section(a, results),
        "charts": {
            "headline": svg(
                _charts.headline_chart(a), f"{key}-headline", "headline figures"
            ),
            "months": svg(
                _charts.deaths_by_month_chart(a),
                f"{key}-months",
                "deaths over time by list",
            ),
            "upset": svg(_charts.upset_chart(a), f"{key}-upset", "list overlap"),
            "estimates": svg(
                _charts.estimates_chart(a), f"{key}-estimates", "estimates by method"
            ),
            "posteriors": posteriors,
            "match": svg(
                _charts.match_histogram_chart(a), f"{key}-match", "match probabilities"
            ),
            "sensitivity": svg(
                _charts.sensitivity_chart(a),
                f"{key}-sensitivity",
                "threshold sensitivity",
            ),
        },
    }


def _killed(row: dict[str, Any]) -> str:
    low, high = row.get("killed_min"), row.get("killed_max")
    if low is not None and high is not None and low != high:
        return fmt_interval(low, high)
    if low is None and high is not None:
        return f"up to {fmt_count(high)}"
    if high is None and low is not None:
        return f"at least {fmt_count(low)}"
    return fmt_count(low)


def _figure_value(figure: dict[str, Any]) -> str:
    kind = figure.get("kind")
    if kind == "range":
        low, high = figure.get("low"), figure.get("high")
        if str(figure.get("name", "")).startswith("ratio:"):
            text = f"{low:.1f} to {high:.1f}" if low is not None and high else "–"
        else:
            text = fmt_interval(low, high)
        return text + ("+" if figure.get("high_open") else "")
    if kind == "estimate":
        return (
            f"{fmt_count(figure.get('value'))} "
            f"({fmt_interval(figure.get('low'), figure.get('high'))})"
        )
    value = figure.get("value")
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return fmt_count(value)


def _gap(section: dict[str, Any]) -> dict[str, Any] | None:
    """The compare stage's total row: its statement and every figure it quotes."""
    gap = section.get("gap") or {}
    rows = gap.get("rows") or []
    if not rows:
        return None
    total = rows[0]
    figures = total.get("figures", {})
    return {
        "statement": total.get("statement", ""),
        "status": total.get("acknowledgment_status", ""),
        "figures": [
            {
                "label": f.get("label", name),
                "value": _figure_value({"name": name, **f}),
                "derivation": f.get("derivation", ""),
            }
            for name, f in figures.items()
        ],
        "notes": total.get("notes", []),
    }


def _incidents(results: dict[str, Any]) -> dict[str, Any]:
    """The incidents section: graded incidents, acknowledgments, totals, charts."""
    section = results.get("incidents") or {}
    rows = [
        {
            "date": i.get("date") or "",
            "place": i.get("place") or "",
            "grade": i.get("grade") or "",
            "killed": _killed(i),
            "acknowledged": (
                f"{fmt_count(i['acknowledged'])} ({', '.join(i['acknowledged_by'])})"
                if i.get("acknowledged") is not None
                else "not acknowledged"
            ),
            "reports": ", ".join(i.get("reports", []) or []),
        }
        for i in section.get("incidents", []) or []
    ]
    points = [
        {
            "lat": i["lat"],
            "lon": i["lon"],
            "killed": i.get("killed_max") or i.get("killed_min"),
        }
        for i in section.get("incidents", []) or []
        if i.get("lat") is not None and i.get("lon") is not None
    ]
    acknowledgments = [
        {
            "belligerent": a["belligerent"],
            "scope": (
                f"{a['period_start']} to {a['period_end']}"
                + (f", {a['place']}" if a.get("place") else "")
                if a.get("period_start")
                else f"incident {a.get('incident_id')}"
            ),
            "deaths": fmt_count(a["deaths_acknowledged"]),
            "document": a.get("document") or "",
        }
        for a in section.get("acknowledgments", []) or []
    ]
    totals = section.get("totals") or {}
    sentence = ""
    if totals:
        grades = ", ".join(f"{n} {g}" for g, n in sorted(totals["by_grade"].items()))
        sentence = (
            f"{totals['incidents']} incidents ({grades}) in which sources report "
            f"{fmt_interval(totals['reported_low'], totals['reported_high'])} deaths; "
            f"belligerents acknowledged {fmt_count(totals['acknowledged_deaths'])} "
            f"deaths in {totals['acknowledged_incidents']} of them. "
            "Each incident's figure is the span of what its sources reported, not "
            "an estimate."
        )
    return {
        "data": data_kind(section),
        "data_label": DATA_LABELS[data_kind(section)],
        "rows": rows,
        "points": points,
        "acknowledgments": acknowledgments,
        "sentence": sentence,
        "note": section.get(
            "note",
            "No incident data in this report. Incidents with reported and "
            "acknowledged deaths appear here once incident sources are imported.",
        ),
        "published_svg": svg(
            _maps.published_chart(section), "published", "published figures"
        ),
        "mosul_svg": svg(
            _maps.mosul_incidents_chart(section), "mosul-map", "incidents in Mosul"
        ),
        "files": section.get("files", []),
        "gap": _gap(section),
    }


def report_context(results: dict[str, Any], generated: str, css: str) -> dict[str, Any]:
    """The template context of the whole report."""
    analyses = [analysis_context(a, results) for a in results.get("analyses", [])]
    incidents = _incidents(results)
    return {
        "title": results.get("title") or "undercount report",
        "version": results.get("undercount_version", ""),
        "schema": results.get("schema", ""),
        "public": bool(results.get("public")),
        "small_cells": results.get("small_cells"),
        "generated": generated,
        "css": Markup(css),
        "analyses": analyses,
        "any_simulated": any(a["simulated"] for a in analyses),
        "incidents": incidents,
        "map_svg": Markup(
            render_svg(_maps.map_chart(incidents["points"]), key="map", label="map")
        ),
        "assumptions": ASSUMPTIONS,
        "software": sorted((results.get("software") or {}).items()),
    }
