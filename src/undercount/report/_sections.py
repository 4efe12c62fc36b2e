"""The report's sections as template-ready values (formatted figures, table rows,
sentences), read from one analysis of ``results.json``; no statistic is computed
here."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from undercount.report import _charts
from undercount.report._render import render_svg
from undercount.report._text import fmt_count, fmt_interval, fmt_share

__all__ = [
    "diagnostics_text",
    "headline_section",
    "linkage_section",
    "list_rows",
    "provenance_section",
    "reference_section",
    "strata_sections",
    "svg",
    "truth_section",
]


def svg(spec: dict[str, Any] | None, key: str, label: str) -> Markup | None:
    """Rendered chart markup (``None`` when there is no chart)."""
    if spec is None:
        return None
    return Markup(render_svg(spec, key=key, label=label))


def _stratified_diagnostics(record: dict[str, Any]) -> str:
    """Worst convergence over the strata of a stratified fit, and how many."""
    strata = record.get("strata", [])
    estimated = [s for s in strata if s.get("estimated")]
    parts = [
        f"sum of {len(strata)} strata by {', '.join(record['strata_columns'])}"
        + (
            f" ({len(strata) - len(estimated)} not estimated: documented count used)"
            if len(estimated) < len(strata)
            else ""
        )
    ]
    rhats = [
        s["diagnostics"]["rhat"]
        for s in estimated
        if "rhat" in s.get("diagnostics", {})
    ]
    ess = [
        s["diagnostics"]["ess_bulk"]
        for s in estimated
        if "ess_bulk" in s.get("diagnostics", {})
    ]
    if rhats and ess:
        verdict = "converged" if max(rhats) <= 1.01 and min(ess) >= 400 else "check"
        parts.append(
            f"worst stratum R-hat {max(rhats):.3f}, ESS {min(ess):,.0f} ({verdict})"
        )
    models = [
        s["diagnostics"]["model"]
        for s in estimated
        if "model" in s.get("diagnostics", {})
    ]
    if models:
        parts.append("models " + ", ".join(models))
    return "; ".join(parts)


def diagnostics_text(record: dict[str, Any]) -> str:
    """Short diagnostics of one estimate (convergence, model, bound)."""
    if record.get("stratified"):
        return _stratified_diagnostics(record)
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
    return "; ".join(str(p) for p in parts) or "–"


def headline_section(a: dict[str, Any]) -> dict[str, Any]:
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


def truth_section(a: dict[str, Any]) -> dict[str, Any] | None:
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


def reference_section(a: dict[str, Any]) -> dict[str, Any] | None:
    r = a.get("reference")
    if not r:
        return None
    return {
        "citation": r.get("citation", "A published study"),
        "estimate": fmt_count(r.get("estimate")),
        "interval": f"{r.get('level', 0.95):.0%} interval "
        f"{fmt_interval(r.get('lower'), r.get('upper'))}",
        "documented": fmt_count(r.get("documented")),
        "method": r.get("method", "method not stated"),
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


def list_rows(a: dict[str, Any]) -> list[dict[str, Any]]:
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


def strata_sections(a: dict[str, Any], key: str) -> list[dict[str, Any]]:
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
                "svg": svg(
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


def linkage_section(a: dict[str, Any]) -> dict[str, Any] | None:
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
        (
            "People joined by the capture-model prior",
            fmt_count(s.get("capture_prior_joins"))
            + (
                f" (people no list saw, estimated for the prior: "
                f"{fmt_count(s['unseen_for_prior'])})"
                if s.get("unseen_for_prior") is not None
                else ""
            ),
        ),
        ("Pairs awaiting clerical review", fmt_count(s.get("review_queue"))),
        ("Reviewer decisions applied", fmt_count(s.get("decisions_applied"))),
        ("Name keys", s.get("name_keys") or "–"),
    ]
    if s.get("warnings"):
        rows.append(("Linkage warnings", "; ".join(s["warnings"])))
    sizes = s.get("cluster_sizes") or {}
    if sizes:
        rows.append(
            (
                "People by number of records",
                ", ".join(
                    f"{k} record(s): {fmt_count(v)}"
                    for k, v in sorted(sizes.items(), key=lambda kv: int(kv[0]))
                ),
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
    imputed = linkage.get("imputed") or {}
    if imputed.get("estimate") is not None:
        few, many = imputed.get("people_range") or (None, None)
        sentence += (
            f" Carrying the uncertainty of the links into the estimate "
            f"({imputed.get('imputations')} imputations of the uncertain links, "
            f"{fmt_count(few)} to {fmt_count(many)} people each), "
            f"{imputed.get('method')} gives {fmt_count(imputed['estimate'])} "
            f"({fmt_share(imputed.get('level'), 0)} interval "
            f"{fmt_interval(imputed.get('lower'), imputed.get('upper'))})."
        )
        sentence = sentence.lstrip()
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


def provenance_section(a: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
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
