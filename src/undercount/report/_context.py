"""From ``results.json`` to what the HTML template shows: formatted figures, tables,
sentences and rendered charts. Nothing here computes a new statistic: every value
is read from the results document."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from undercount.report import _charts
from undercount.report._render import render_svg
from undercount.report._text import ASSUMPTIONS, fmt_count, fmt_interval, fmt_share

__all__ = ["analysis_context", "report_context"]


def _svg(spec: dict[str, Any] | None, key: str, label: str) -> Markup | None:
    if spec is None:
        return None
    return Markup(render_svg(spec, key=key, label=label))


def _diagnostics(record: dict[str, Any]) -> str:
    d = record.get("diagnostics", {})
    method = record["method"]
    parts: list[str] = []
    if method == "lcmcr":
        rhat, ess = d.get("rhat"), d.get("ess_bulk")
        if isinstance(rhat, float):
            parts.append(f"R-hat {rhat:.3f}")
        if isinstance(ess, float):
            parts.append(f"ESS bulk {ess:,.0f}, tail {d.get('ess_tail', 0):,.0f}")
        verdict = (
            "converged"
            if isinstance(rhat, float)
            and rhat <= 1.01
            and isinstance(ess, float)
            and ess >= 400
            else "check convergence"
        )
        parts.append(verdict)
        parts.append(
            f"K={d.get('K')}, {d.get('chains')} chains × {d.get('samples')} draws "
            f"(burn-in {d.get('burnin')}, thinning {d.get('thinning')})"
        )
        if "mean_occupied_classes" in d:
            parts.append(f"{d['mean_occupied_classes']:.1f} latent classes in use")
    elif method == "dga":
        if "top_model" in d:
            parts.append(
                f"top graph {d['top_model']} (posterior probability "
                f"{d.get('top_model_probability', 0):.2f}) of {d.get('n_models')}"
            )
    elif method == "loglinear":
        if "model" in d:
            parts.append(f"model {d['model']}")
        if "deviance" in d:
            parts.append(f"deviance {d['deviance']:.1f} on {d.get('df')} df")
        if "selected_by" in d:
            parts.append(
                f"selected by {d['selected_by']} of {d.get('models_compared')}"
            )
        if record.get("interval"):
            parts.append(f"{record['interval']} interval")
    elif method in ("chao", "sample-coverage"):
        for key in ("kind", "f1", "f2"):
            if key in d:
                parts.append(f"{key} {d[key]}")
    if record.get("stratified"):
        n = len(record.get("strata", []))
        parts.append(f"sum of {n} strata by {', '.join(record['strata_columns'])}")
    return "; ".join(str(p) for p in parts) or "–"


def _headline(a: dict[str, Any]) -> dict[str, Any]:
    h = a["headline"]
    est = h.get("estimated")
    acknowledged = h.get("acknowledged")
    out: dict[str, Any] = {
        "documented": fmt_count(h.get("documented")),
        "acknowledged": fmt_count(acknowledged) if acknowledged is not None else "none",
        "acknowledged_note": (
            f"{len(h.get('acknowledgments', []))} statement(s), listed below"
            if acknowledged is not None
            else "no acknowledgment configured for this analysis"
        ),
        "estimate": fmt_count(est["estimate"]) if est else "–",
        "interval": (
            f"{est['level']:.0%} interval {fmt_interval(est['lower'], est['upper'])} "
            f"({est['method']})"
            if est
            else "no method could estimate"
        ),
        "gap_sentence": None,
    }
    subject = "simulated deaths" if a.get("simulated") else "deaths"
    if est:
        out["sentence"] = (
            f"The lists document {fmt_count(h.get('documented'))} distinct {subject}. "
            f"Taking into account the people no list recorded, the {est['method']} "
            f"estimate is {fmt_count(est['estimate'])} ({est['level']:.0%} interval "
            f"{fmt_interval(est['lower'], est['upper'])})."
        )
    else:
        out["sentence"] = (
            f"The lists document {fmt_count(h.get('documented'))} distinct {subject}; "
            "no method could estimate how many were missed."
        )
    gap = h.get("estimated_minus_acknowledged")
    ratio = h.get("estimated_per_acknowledged")
    if acknowledged is not None:
        pieces = [
            f"Belligerents acknowledged {fmt_count(acknowledged)}; the lists alone "
            f"document {fmt_count(h.get('documented_minus_acknowledged'))} more"
        ]
        if gap and ratio:
            pieces.append(
                f"the estimate exceeds the acknowledged figure by "
                f"{fmt_count(gap['estimate'])} "
                f"({fmt_interval(gap['lower'], gap['upper'])}), "
                f"{ratio['estimate']:.1f} times as many deaths"
            )
        out["gap_sentence"] = "; ".join(pieces) + "."
    return out


def _truth(a: dict[str, Any]) -> dict[str, Any] | None:
    t = a.get("truth")
    if not t:
        return None
    q = t.get("linkage", {})
    return {
        "n_dead": fmt_count(t.get("n_dead")),
        "documented_true": fmt_count(t.get("documented_true")),
        "documented_linked": fmt_count(t.get("documented_linked")),
        "errors": [
            {
                "method": e["method"] + (" (stratified)" if e["stratified"] else ""),
                "estimate": fmt_count(e["estimate"]),
                "error": f"{e['error']:+,.0f}",
                "relative": f"{e['relative_error'] * 100:+.1f}%",
                "covers": "yes" if e["interval_covers_truth"] else "no",
            }
            for e in t.get("errors", [])
        ],
        "precision": fmt_share(q.get("precision")),
        "recall": fmt_share(q.get("recall")),
        "f1": fmt_share(q.get("f1")),
        "linked_pairs": fmt_count(q.get("linked_pairs")),
        "true_pairs": fmt_count(q.get("true_pairs")),
        "perfect": [
            {
                "method": p["method"],
                "estimate": fmt_count(p.get("estimate")),
                "interval": fmt_interval(p.get("lower"), p.get("upper")),
            }
            for p in t.get("perfect_linkage_estimates", [])
            if "estimate" in p
        ],
    }


def _reference(a: dict[str, Any]) -> dict[str, Any] | None:
    r = a.get("reference")
    if not r:
        return None
    return {
        "citation": r.get("citation", "A published study"),
        "estimate": fmt_count(r.get("estimate")),
        "interval": f"{r.get('level', 0.95):.0%} interval "
        f"{fmt_interval(r.get('lower'), r.get('upper'))}",
        "documented": fmt_count(r.get("documented")),
        "rows": [
            {
                "method": c["method"],
                "estimate": fmt_count(c["estimate"]),
                "difference": f"{c['difference']:+,.0f} "
                f"({c['relative_difference'] * 100:+.1f}%)",
                "covers": "yes" if c["covers_published"] else "no",
            }
            for c in r.get("comparison", [])
        ],
    }


def _list_rows(a: dict[str, Any]) -> list[dict[str, Any]]:
    c = a["captures"]
    both = {(o["a"], o["b"]): o["both"] for o in c.get("overlaps", [])}
    rows = []
    for name in c["lists"]:
        overlaps = []
        for other in c["lists"]:
            value = both.get((name, other), both.get((other, name)))
            overlaps.append(
                {"name": other, "value": "–" if other == name else fmt_count(value)}
            )
        rows.append(
            {
                "name": name,
                "total": fmt_count(c["list_totals"].get(name)),
                "overlaps": overlaps,
            }
        )
    return rows


def _strata(a: dict[str, Any], key: str) -> list[dict[str, Any]]:
    out = []
    for record in a.get("stratified_estimates", []):
        if "estimate" not in record:
            continue
        rows = []
        for entry in record.get("strata", []):
            note = ""
            if entry.get("suppressed"):
                note = "suppressed (small cell)"
            elif not entry.get("estimated"):
                note = (
                    f"not estimated; documented count used ({entry.get('reason', '')})"
                )
            elif entry.get("warnings"):
                note = "; ".join(entry["warnings"][:2])
            rows.append(
                {
                    "stratum": ", ".join(str(v) for v in entry["stratum"].values()),
                    "observed": fmt_count(entry.get("observed")),
                    "estimate": fmt_count(entry.get("estimate")),
                    "interval": fmt_interval(entry.get("lower"), entry.get("upper")),
                    "note": note,
                }
            )
        spec = _charts.strata_chart(a, record)
        out.append(
            {
                "method": record["method"],
                "columns": ", ".join(record["strata_columns"]),
                "rows": rows,
                "total_observed": fmt_count(record.get("observed")),
                "total_estimate": fmt_count(record.get("estimate")),
                "total_interval": fmt_interval(
                    record.get("lower"), record.get("upper")
                ),
                "total_note": "; ".join(record.get("warnings", [])[:1]),
                "svg": _svg(
                    spec, f"{key}-strata-{record['method']}", "estimates by stratum"
                ),
            }
        )
    return out


def _side(row: dict[str, Any], side: str) -> dict[str, str]:
    age_low, age_high = row.get(f"age_low_{side}"), row.get(f"age_high_{side}")
    age = "" if age_low is None else str(age_low)
    if age_high is not None and age_high != age_low:
        age = f"{age_low}-{age_high}"
    return {
        f"{'left' if side == 'l' else 'right'}_{k}": v
        for k, v in {
            "id": f"{row.get(f'source_{side}', '')}/{row.get(f'record_id_{side}', '')}",
            "name": str(row.get(f"name_display_{side}") or ""),
            "date": str(row.get(f"date_display_{side}") or ""),
            "age": age,
            "place": str(row.get(f"place_key_{side}") or ""),
        }.items()
    }


def _linkage(a: dict[str, Any]) -> dict[str, Any] | None:
    linkage = a.get("linkage")
    if not linkage:
        return None
    s = linkage.get("summary") or {}
    rows = [
        ("Records linked", fmt_count(s.get("records"))),
        ("Distinct people found", fmt_count(s.get("people"))),
        ("Match threshold", s.get("threshold", "–")),
        (
            "Duplicates found inside each list",
            ", ".join(
                f"{k} {fmt_count(v)}"
                for k, v in (s.get("duplicates_per_list") or {}).items()
            )
            or "–",
        ),
        (
            "Record pairs scored / linked",
            f"{fmt_count(s.get('pairs_kept'))} / {fmt_count(s.get('pairs_linked'))}",
        ),
        ("Pairs awaiting clerical review", fmt_count(s.get("review_queue"))),
        ("Reviewer decisions applied", fmt_count(s.get("decisions_applied"))),
        ("Name keys", s.get("name_keys") or "–"),
    ]
    sizes = s.get("cluster_sizes") or {}
    if sizes:
        rows.append(
            (
                "People by number of records",
                ", ".join(f"{k} record(s): {fmt_count(v)}" for k, v in sizes.items()),
            )
        )
    band = linkage.get("sensitivity") or {}
    sentence = ""
    if band.get("people_range"):
        low, high = band["people_range"]
        sentence = (
            "Across thresholds "
            + ", ".join(str(p["threshold"]) for p in band.get("points", []))
            + f" the number of distinct people ranges from {fmt_count(low)} to "
            f"{fmt_count(high)}"
        )
        if band.get("estimate_range"):
            elow, ehigh = band["estimate_range"]
            sentence += (
                f" and the {band.get('method')} estimate from {fmt_count(elow)} to "
                f"{fmt_count(ehigh)}"
            )
        sentence += "."
    examples = [
        {
            **_side(row, "l"),
            **_side(row, "r"),
            "probability": f"{row.get('match_probability', 0):.2f}",
        }
        for row in linkage.get("review_examples", []) or []
    ]
    return {
        "sentence": (
            f"Record linkage grouped {fmt_count(s.get('records'))} records into "
            f"{fmt_count(s.get('people'))} distinct people (probabilistic matching "
            "with Splink; pairs above the threshold are linked, reviewer decisions "
            "override)."
        ),
        "rows": rows,
        "sensitivity_sentence": sentence,
        "examples": examples,
    }


def _provenance(a: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    inputs = a.get("inputs") or {}
    if a.get("kind") == "linked lists":
        header = [
            "List",
            "Title",
            "Version",
            "Records",
            "Quarantined",
            "File",
            "File SHA-256",
            "Records SHA-256",
        ]
        rows = [
            [
                p["source"],
                p.get("title") or "",
                p.get("version"),
                fmt_count(p.get("records")),
                fmt_count(p.get("quarantined")),
                p.get("file") or "",
                p.get("file_sha256") or "",
                p.get("sha256") or "",
            ]
            for p in inputs.get("lists", [])
        ]
    else:
        header = ["Field", "Value"]
        rows = [[k, str(v)] for k, v in inputs.items()]
    seeds = ", ".join(f"{k} {v}" for k, v in (a.get("seeds") or {}).items())
    note = (
        f"Seeds: {seeds}. Capture table SHA-256 {a['captures'].get('sha256', '')}. "
        "Settings of every stage are in results.json (analyses[].settings)."
    )
    return {"header": header, "rows": rows, "note": note}


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
                diagnostics=_diagnostics(record),
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
                    "svg": _svg(
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
        "simulated": bool(a.get("simulated")),
        "head": _headline(a),
        "truth": _truth(a),
        "reference": _reference(a),
        "overlap_sentence": overlap_sentence,
        "list_rows": _list_rows(a),
        "estimates": estimates,
        "level_pct": f"{level:.0%}",
        "strata": _strata(a, key),
        "linkage": _linkage(a),
        "unknown_month": (
            "Records with no known month of death are not drawn: "
            + ", ".join(f"{r['list']} {fmt_count(r['records'])}" for r in unknown)
            + "."
            if unknown
            else ""
        ),
        "provenance": _provenance(a, results),
        "charts": {
            "headline": _svg(
                _charts.headline_chart(a), f"{key}-headline", "headline figures"
            ),
            "months": _svg(
                _charts.deaths_by_month_chart(a),
                f"{key}-months",
                "deaths over time by list",
            ),
            "upset": _svg(_charts.upset_chart(a), f"{key}-upset", "list overlap"),
            "estimates": _svg(
                _charts.estimates_chart(a), f"{key}-estimates", "estimates by method"
            ),
            "posteriors": posteriors,
            "match": _svg(
                _charts.match_histogram_chart(a), f"{key}-match", "match probabilities"
            ),
            "sensitivity": _svg(
                _charts.sensitivity_chart(a),
                f"{key}-sensitivity",
                "threshold sensitivity",
            ),
        },
    }


def _incidents(
    results: dict[str, Any],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    section = results.get("incidents") or {}
    rows, points = [], []
    for i in section.get("incidents", []) or []:
        rows.append(
            {
                "id": i.get("incident_id", ""),
                "date": i.get("date") or "",
                "place": i.get("place") or "",
                "killed": fmt_interval(i.get("killed_min"), i.get("killed_max"))
                if i.get("killed_min") != i.get("killed_max")
                else fmt_count(i.get("killed_min")),
                "acknowledged": fmt_count(i.get("acknowledged")),
                "sources": ", ".join(i.get("sources", []) or []),
            }
        )
        if i.get("lat") is not None and i.get("lon") is not None:
            points.append(
                {
                    "lat": i["lat"],
                    "lon": i["lon"],
                    "killed": i.get("killed_max") or i.get("killed_min"),
                }
            )
    return rows, points


def report_context(results: dict[str, Any], generated: str, css: str) -> dict[str, Any]:
    """The template context of the whole report."""
    analyses = [analysis_context(a, results) for a in results.get("analyses", [])]
    incident_rows, points = _incidents(results)
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
        "incidents": incident_rows,
        "incidents_note": (results.get("incidents") or {}).get(
            "note",
            "No incident data in this report. Incidents with reported and "
            "acknowledged deaths appear here once incident sources are imported.",
        ),
        "map_svg": Markup(
            render_svg(_charts.map_chart(points), key="map", label="map")
        ),
        "assumptions": ASSUMPTIONS,
        "software": sorted((results.get("software") or {}).items()),
    }
