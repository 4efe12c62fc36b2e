"""Maps and incident charts: Iraq's boundaries (shipped GeoJSON), incidents in
Mosul, and published overall figures beside the acknowledged ones."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from undercount.report._charts import COLORS, _number
from undercount.report._render import fill
from undercount.report._text import DATA_LABELS, data_kind

__all__ = ["map_chart", "mosul_incidents_chart", "published_chart"]


@cache
def _geo(name: str) -> dict[str, Any]:
    text = (resources.files("undercount.data.geo") / name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def map_chart(incidents: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Iraq's governorates, Ninewa's districts (Mosul darker), places, incidents."""
    governorates = _geo("iraq_governorates.geojson")["features"]
    districts = []
    for feature in _geo("ninewa_districts.geojson")["features"]:
        copy = json.loads(json.dumps(feature))
        copy["properties"]["highlight"] = copy["properties"]["pcode"] == "IQG15Q05"
        districts.append(copy)
    places = [
        {"lon": p["lon"], "lat": p["lat"], "label": p["name_en"]}
        for p in _geo("places.json")["places"]
    ]
    points = [
        {"lon": i["lon"], "lat": i["lat"], "killed": i.get("killed") or 1}
        for i in (incidents or [])
        if _number(i.get("lon")) is not None and _number(i.get("lat")) is not None
    ]
    subtitle = (
        "Governorates of Iraq; Ninewa's districts in blue (Mosul district darker)"
    )
    if points:
        subtitle += f"; {len(points)} incidents (red, sized by reported deaths)"
    return fill(
        "map",
        {
            "governorates": governorates,
            "districts": districts,
            "incidents": points,
            "places": places,
        },
        title="Where: Mosul, Ninewa governorate, Iraq",
        subtitle=subtitle,
    )


def mosul_incidents_chart(section: dict[str, Any]) -> dict[str, Any] | None:
    """Incidents in Mosul, sized by the highest reported figure, coloured by grade."""
    rows = [
        {
            "lon": r["lon"],
            "lat": r["lat"],
            "killed": r.get("killed_max") or r.get("killed_min") or 1,
            "grade": r.get("grade", "unknown"),
            "place": r.get("place") or "",
            "date": r.get("date") or "",
        }
        for r in section.get("incidents", [])
        if _number(r.get("lon")) is not None and _number(r.get("lat")) is not None
    ]
    if not rows:
        return None
    places = [
        {"lon": p["lon"], "lat": p["lat"], "label": p["name_en"]}
        for p in _geo("places.json")["places"]
    ]
    return fill(
        "map_mosul",
        {"incidents": rows, "places": places},
        title=f"Incidents in Mosul ({DATA_LABELS[data_kind(section)]})",
        subtitle=f"{len(rows)} incidents matched across sources; circles at the "
        "reported location (some only at the city's centre)",
    )


def _published_colour(description: str) -> str:
    text = description.lower()
    if "acknowledg" in text:
        return COLORS["acknowledged"]
    if "estimate" in text:
        return COLORS["estimated"]
    if "names on" in text or "list" in text:
        return COLORS["documented"]
    return COLORS["truth"]


def published_chart(section: dict[str, Any]) -> dict[str, Any] | None:
    """Published overall figures for Mosul (acknowledged vs documented vs estimated)."""
    rows: list[dict[str, Any]] = []
    for figure in section.get("published", []):
        if "mosul" not in str(figure.get("scope", "")).lower():
            continue
        low = _number(_to_number(figure.get("low")))
        if low is None:
            continue
        high = _number(_to_number(figure.get("high")))
        description = str(figure.get("description", ""))
        short = description if len(description) <= 58 else description[:56] + "…"
        value = f"{low:,.0f}" + (
            f" to {high:,.0f}" if high is not None and high != low else ""
        )
        if high is None:
            value = f"at least {low:,.0f}"
        rows.append(
            {
                "label": short,
                "low": low,
                "high": high if high is not None else low,
                "label_at": high if high is not None else low,
                "value_label": f"{value} ({figure.get('publisher', '')})",
                "color": _published_colour(description),
            }
        )
    if not rows:
        return None
    rows.sort(key=lambda r: r["low"])
    return fill(
        "published",
        {"rows": rows},
        title="Mosul 2016-17: acknowledged, documented and estimated "
        f"({DATA_LABELS[data_kind(section)]})",
        subtitle="Published overall figures; red: acknowledged by the belligerent, "
        "orange: names documented, navy: estimated",
    )


def _to_number(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return int(value.replace(",", ""))
        except ValueError:
            return None
    return value
