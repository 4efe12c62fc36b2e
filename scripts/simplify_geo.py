"""Derive the small boundary files shipped in src/undercount/data/geo/.

Input: the OCHA Iraq COD administrative boundaries (2019-06-03, CC BY 3.0 IGO) in
/work/shared/data/iraq_geo/boundaries (see that folder's SOURCE.md). Output:

- ``iraq_governorates.geojson``: the 18 governorates (ADM1);
- ``ninewa_districts.geojson``: the 9 districts (ADM2) of Ninewa (IQG15);
- ``places.json``: point locations used by the report's map (Mosul city).

Each ring is simplified with the Ramer-Douglas-Peucker algorithm (tolerance in
degrees below) and coordinates are rounded to 3 decimals (about 100 m), which is
far finer than the report's maps can show. Properties are reduced to the P-code and
the English and Arabic names. Run:

    .venv/bin/python scripts/simplify_geo.py [SOURCE_DIR]

The output is deterministic (same input, same bytes).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

SOURCE = Path("/work/shared/data/iraq_geo/boundaries")
OUT = Path(__file__).resolve().parent.parent / "src" / "undercount" / "data" / "geo"
TOLERANCE = {"adm1": 0.01, "adm2": 0.004}
DECIMALS = 3

Point = tuple[float, float]


def _distance(p: Point, a: Point, b: Point) -> float:
    """Distance from ``p`` to the segment ``a``-``b`` (planar, in degrees)."""
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Ramer-Douglas-Peucker on an open polyline (iterative, keeps both ends)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index >= 0 and worst > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]]:
    """A closed ring simplified; split at its farthest point so both halves keep
    their shape; at least a triangle survives; closed again; rounded."""
    points = [(float(x), float(y)) for x, y in ring[:-1]]
    far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
    half_a = simplify(points[: far + 1], tolerance)
    half_b = simplify([*points[far:], points[0]], tolerance)
    merged = half_a[:-1] + half_b[:-1]
    if len(merged) < 3:
        merged = points[:: max(1, len(points) // 3)][:3]
    rounded: list[list[float]] = []
    for x, y in merged:
        q = [round(x, DECIMALS), round(y, DECIMALS)]
        if not rounded or q != rounded[-1]:
            rounded.append(q)
    rounded.append(rounded[0])
    return rounded


def _features(path: Path, level: str, keep: Any) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    n = level[-1]
    out = []
    for feature in data["features"]:
        props = feature["properties"]
        if not keep(props):
            continue
        geometry = feature["geometry"]
        assert geometry["type"] == "Polygon", geometry["type"]
        rings = [simplify_ring(r, TOLERANCE[level]) for r in geometry["coordinates"]]
        out.append(
            {
                "type": "Feature",
                "properties": {
                    "pcode": props[f"ADM{n}_PCODE"],
                    "name_en": props[f"ADM{n}_EN"].strip(),
                    "name_ar": props[f"ADM{n}_AR"].strip().strip("\u00a0"),
                    "level": "governorate" if n == "1" else "district",
                    "parent_pcode": props.get("ADM1_PCODE") if n == "2" else "IQ",
                },
                "geometry": {"type": "Polygon", "coordinates": rings},
            }
        )
    out.sort(key=lambda f: f["properties"]["pcode"])
    return out


def _write(path: Path, features: list[dict[str, Any]], note: str) -> None:
    doc = {
        "type": "FeatureCollection",
        "name": path.stem,
        "attribution": "Iraq Central Statistics Organization / OCHA Iraq, via HDX "
        "(CC BY 3.0 IGO); simplified by undercount (scripts/simplify_geo.py)",
        "note": note,
        "features": features,
    }
    path.write_text(
        json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    vertices = sum(len(r) for f in features for r in f["geometry"]["coordinates"])
    size = path.stat().st_size
    sys.stdout.write(f"{path.name}: {len(features)} features, {vertices} vertices, ")
    sys.stdout.write(f"{size:,} bytes\n")


def main() -> None:
    """Write the three files (see module docstring)."""
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    OUT.mkdir(parents=True, exist_ok=True)
    _write(
        OUT / "iraq_governorates.geojson",
        _features(
            source / "irq_admbnda_adm1_cso_20190603.geojson", "adm1", lambda p: True
        ),
        f"ADM1, RDP tolerance {TOLERANCE['adm1']} degrees",
    )
    _write(
        OUT / "ninewa_districts.geojson",
        _features(
            source / "irq_admbnda_adm2_cso_20190603.geojson",
            "adm2",
            lambda p: p["ADM1_PCODE"] == "IQG15",
        ),
        f"ADM2 of Ninewa (IQG15), RDP tolerance {TOLERANCE['adm2']} degrees",
    )
    places = {
        "about": "Point locations for the report's map; see SOURCE.md.",
        "places": [
            {
                "id": "IQ-town-mosul",
                "name_en": "Mosul",
                "name_ar": "الموصل",
                "lat": 36.335,
                "lon": 43.119,
                "source": "hoshmandent/iraqi-geography-data cities_data.json (MIT), "
                "rounded to 3 decimals",
            }
        ],
    }
    (OUT / "places.json").write_text(
        json.dumps(places, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
