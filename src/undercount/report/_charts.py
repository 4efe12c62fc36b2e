"""Chart builders: one function per chart, from an analysis of ``results.json``.

Every number a chart draws comes from the analysis it is given (already redacted in
public mode): suppressed cells (strings such as ``"<5"``) are left out of the
drawing and the caption says so.
"""

from __future__ import annotations

import math
from typing import Any

from undercount.report._render import fill

__all__ = [
    "deaths_by_month_chart",
    "estimates_chart",
    "headline_chart",
    "match_histogram_chart",
    "posterior_chart",
    "sensitivity_chart",
    "strata_chart",
    "upset_chart",
]

COLORS = {
    "acknowledged": "#c0392b",
    "documented": "#e67e22",
    "estimated": "#1b2f4b",
    "truth": "#7f8c8d",
    "published": "#27ae60",
}


def _number(value: Any) -> float | None:
    """``value`` as a finite float; ``None`` for text (suppressed cells, "inf")."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _fmt(value: float | None) -> str:
    return "unbounded" if value is None else f"{value:,.0f}"


def _simulated(analysis: dict[str, Any]) -> str:
    return "SIMULATED DATA: " if analysis.get("simulated") else ""


def _by(record: dict[str, Any]) -> str:
    if not record.get("stratified"):
        return ""
    return f" (by {', '.join(record['strata_columns'])})"


def headline_chart(analysis: dict[str, Any]) -> dict[str, Any]:
    """Acknowledged vs documented vs estimated (with interval); truth or published."""
    head = analysis["headline"]
    rows: list[dict[str, Any]] = []
    acknowledged = _number(head.get("acknowledged"))
    if acknowledged is not None:
        rows.append(
            {
                "category": "Acknowledged by belligerents",
                "value": acknowledged,
                "color": COLORS["acknowledged"],
                "label": f"{acknowledged:,.0f}",
            }
        )
    documented = _number(head.get("documented"))
    if documented is not None:
        rows.append(
            {
                "category": "Documented (distinct people on the lists)",
                "value": documented,
                "color": COLORS["documented"],
                "label": f"{documented:,.0f}",
            }
        )
    est = head.get("estimated")
    if est and _number(est.get("estimate")) is not None:
        lower, upper = _number(est.get("lower")), _number(est.get("upper"))
        rows.append(
            {
                "category": f"Estimated total ({est['method']})",
                "value": est["estimate"],
                "lower": lower,
                "upper": upper,
                "color": COLORS["estimated"],
                "label": f"{est['estimate']:,.0f} ({_fmt(lower)} to {_fmt(upper)})",
            }
        )
    truth = analysis.get("truth") or {}
    if _number(truth.get("n_dead")) is not None:
        rows.append(
            {
                "category": "True number (simulated)",
                "value": truth["n_dead"],
                "color": COLORS["truth"],
                "label": f"{truth['n_dead']:,.0f}",
            }
        )
    reference = analysis.get("reference") or {}
    if _number(reference.get("estimate")) is not None:
        rows.append(
            {
                "category": "Published estimate (Ball et al. 2002)",
                "value": reference["estimate"],
                "lower": reference.get("lower"),
                "upper": reference.get("upper"),
                "color": COLORS["published"],
                "label": f"{reference['estimate']:,.0f} ({reference['lower']:,.0f} "
                f"to {reference['upper']:,.0f})",
            }
        )
    for row in rows:
        row["label_at"] = max(row["value"], row.get("upper") or 0)
    subtitle = (
        f"Black lines: {est['level']:.0%} interval of the estimate" if est else ""
    )
    return fill(
        "headline",
        {"rows": rows},
        title=f"{_simulated(analysis)}{analysis['title']}",
        subtitle=subtitle,
    )


def deaths_by_month_chart(analysis: dict[str, Any]) -> dict[str, Any] | None:
    """Records per month of death and list (unknown months left out)."""
    rows = [
        r
        for r in (analysis.get("linkage") or {}).get("records_by_month", [])
        if r["month"] != "unknown" and _number(r["records"]) is not None
    ]
    if not rows:
        return None
    return fill(
        "deaths_by_month",
        {"rows": rows},
        title=f"{_simulated(analysis)}Deaths over time, by list",
    )


def upset_chart(analysis: dict[str, Any]) -> dict[str, Any]:
    """Overlap of the lists: people per exact combination of lists."""
    captures = analysis["captures"]
    lists = captures["lists"]
    patterns = []
    matrix = []
    links = []
    ordered = sorted(
        captures["patterns"],
        key=lambda p: (-(_number(p["count"]) or 0.0), p["pattern"]),
    )
    for rank, p in enumerate(ordered):
        count = _number(p["count"])
        patterns.append(
            {
                "pattern": p["pattern"],
                "rank": rank,
                "count": count if count is not None else 0,
                "count_label": f"{count:,.0f}"
                if count is not None
                else str(p["count"]),
            }
        )
        members = [name for i, name in enumerate(lists) if p["pattern"][i] == "1"]
        for index, name in enumerate(lists):
            matrix.append(
                {
                    "pattern": p["pattern"],
                    "rank": rank,
                    "list": name,
                    "member": p["pattern"][index] == "1",
                }
            )
        if len(members) > 1:
            links.append(
                {
                    "pattern": p["pattern"],
                    "rank": rank,
                    "from_list": members[0],
                    "to_list": members[-1],
                }
            )
    spec = fill(
        "upset",
        {"patterns": patterns, "matrix": matrix, "links": links},
        title=f"{_simulated(analysis)}Who is on which lists",
    )
    spec["vconcat"][1]["layer"][0]["encoding"]["y"]["sort"] = list(lists)
    return spec


def _reference_lines(analysis: dict[str, Any]) -> list[dict[str, Any]]:
    """Vertical reference lines: documented, truth, published, acknowledged."""
    head = analysis["headline"]
    truth = analysis.get("truth") or {}
    reference = analysis.get("reference") or {}
    candidates = [
        ("documented", "documented", head.get("documented"), [4, 3]),
        ("true number (simulated)", "truth", truth.get("n_dead"), [1, 0]),
        ("published estimate", "published", reference.get("estimate"), [1, 0]),
        ("acknowledged", "acknowledged", head.get("acknowledged"), [2, 2]),
    ]
    lines = []
    for label, colour, value, dash in candidates:
        number = _number(value)
        if number is None:
            continue
        lines.append(
            {
                "name": f"{label}: {number:,.0f}",
                "value": number,
                "dash": dash,
                "color": COLORS[colour],
            }
        )
    return lines


def estimates_chart(analysis: dict[str, Any]) -> dict[str, Any] | None:
    """Every method's estimate and interval, with reference lines."""
    rows = [
        {
            "label": r["label"] + _by(r),
            "estimate": r["estimate"],
            "lower": r["lower"],
            "upper": r["upper"],
        }
        for r in [*analysis["estimates"], *analysis.get("stratified_estimates", [])]
        if all(_number(r.get(k)) is not None for k in ("estimate", "lower", "upper"))
    ]
    if not rows:
        return None
    references = _reference_lines(analysis)
    level = analysis["estimates"][0].get("level", 0.95)
    spec = fill(
        "estimates",
        {"estimates": rows, "references": references},
        title=f"{_simulated(analysis)}Estimates of the total, by method",
        subtitle=f"Dot: estimate; line: {level:.0%} interval; "
        "vertical lines: reference counts",
    )
    spec["layer"][3]["encoding"]["color"]["scale"] = {
        "domain": [r["name"] for r in references],
        "range": [r["color"] for r in references],
    }
    return spec


def posterior_chart(
    analysis: dict[str, Any], record: dict[str, Any]
) -> dict[str, Any] | None:
    """Histogram of the posterior draws of ``N`` for one Bayesian method."""
    posterior = record.get("posterior")
    if not posterior or not posterior.get("histogram"):
        return None
    q = posterior["quantiles"]
    marks = [
        {
            "name": f"posterior median: {q['q50']:,.0f}",
            "value": q["q50"],
            "dash": [1, 0],
        },
        {
            "name": f"2.5% and 97.5% quantiles: {q['q025']:,.0f} to {q['q975']:,.0f}",
            "value": q["q025"],
            "dash": [4, 3],
        },
        {
            "name": f"2.5% and 97.5% quantiles: {q['q025']:,.0f} to {q['q975']:,.0f}",
            "value": q["q975"],
            "dash": [4, 3],
        },
    ]
    truth = analysis.get("truth") or {}
    if _number(truth.get("n_dead")) is not None:
        marks.append(
            {
                "name": f"true number (simulated): {truth['n_dead']:,.0f}",
                "value": truth["n_dead"],
                "dash": [1, 0],
            }
        )
    return fill(
        "posterior",
        {"bins": posterior["histogram"], "marks": marks},
        title=f"{_simulated(analysis)}Posterior distribution of the total "
        f"({record['method']})",
        subtitle=f"{posterior['draws']:,} posterior draws",
    )


def sensitivity_chart(analysis: dict[str, Any]) -> dict[str, Any] | None:
    """People found and estimate at each linkage threshold."""
    linkage = analysis.get("linkage") or {}
    band = linkage.get("sensitivity") or {}
    points = band.get("points") or []
    if not points:
        return None
    rows = [
        {
            "threshold": p["threshold"],
            "people": _number(p.get("people")),
            "estimate": _number(p.get("estimate")),
            "lower": _number(p.get("lower")),
            "upper": _number(p.get("upper")),
        }
        for p in points
    ]
    chosen = (analysis.get("settings") or {}).get("linkage", {}).get("threshold")
    method = band.get("method") or "no estimator"
    return fill(
        "sensitivity",
        {"rows": rows, "chosen": [{"threshold": chosen}] if chosen else []},
        title=f"{_simulated(analysis)}Linkage threshold sensitivity",
        subtitle=f"Re-clustered at each threshold and re-estimated ({method}); "
        "dashed: threshold used",
    )


def strata_chart(
    analysis: dict[str, Any], record: dict[str, Any]
) -> dict[str, Any] | None:
    """Per-stratum estimate and interval beside the documented count."""
    rows = []
    for entry in record.get("strata", []):
        if not entry.get("estimated") or _number(entry.get("estimate")) is None:
            continue
        label = ", ".join(str(v) for v in entry["stratum"].values())
        rows.append(
            {
                "stratum": label,
                "observed": _number(entry.get("observed")),
                "estimate": entry["estimate"],
                "lower": entry["lower"],
                "upper": entry["upper"],
            }
        )
    if not rows:
        return None
    return fill(
        "strata",
        {"rows": rows},
        title=f"{_simulated(analysis)}Estimates by "
        f"{', '.join(record['strata_columns'])} ({record['method']})",
        subtitle="Dark dot and line: estimate and interval; orange ring: documented",
    )


def match_histogram_chart(analysis: dict[str, Any]) -> dict[str, Any] | None:
    """Scored pairs per match-probability bin, linked or not."""
    summary = (analysis.get("linkage") or {}).get("summary") or {}
    histogram = summary.get("match_probability_histogram") or {}
    threshold = summary.get("threshold", 0.9)
    rows = []
    for label, pairs in histogram.items():
        if _number(pairs) is None:
            continue
        low = float(label.split("-")[0])
        rows.append(
            {
                "bin": label,
                "pairs": pairs,
                "linked": "linked" if low >= threshold else "not linked",
            }
        )
    if not rows:
        return None
    return fill(
        "match_histogram",
        {"rows": rows},
        title=f"{_simulated(analysis)}Record pairs by match probability",
        subtitle=f"Threshold {threshold}: bins at or above it are linked",
    )
