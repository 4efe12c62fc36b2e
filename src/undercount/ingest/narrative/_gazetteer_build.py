"""Derive the shipped Iraqi admin gazetteer from the shared reference data.

Run once by a maintainer (never at run time)::

    python -m undercount.ingest.narrative._gazetteer_build \\
        ../shared/data/iraq_geo  src/undercount/data/gazetteer/iraq_admin.json

It reads ``gazetteer/iraq_admin_units_l1_l3.csv`` (OCHA COD names and P-codes via
Open Admin Data, CC BY 4.0) and ``gazetteer/hoshmandent_cities_data.json`` (68
towns with coordinates, MIT) and writes a small JSON file with one record per
unit: id, English and Arabic name, level, parent, a representative point. The
hand-curated names (Mosul neighbourhoods, Syria, extra spellings) live in
``curated.json`` next to it. See ``src/undercount/data/gazetteer/SOURCE.md``.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

_LEVELS = {"1": "governorate", "2": "district", "3": "subdistrict"}
# The towns file names governorates in its own spelling; map them to P-codes.
_TOWN_REGIONS = {
    "Al Anbar": "IQG01", "Basra": "IQG02", "Al Muthanna Governorate": "IQG03",
    "An Najaf": "IQG04", "Al Qadisiyah / Al Diwaniyah": "IQG05",
    "Sulaymaniyah": "IQG06", "Halabja Governorate": "IQG06", "Babil": "IQG07",
    "Baghdad": "IQG08", "Duhok": "IQG09", "Diyala": "IQG10", "Erbil": "IQG11",
    "Karbala": "IQG12", "Kirkuk": "IQG13", "Maysan": "IQG14", "Nineveh": "IQG15",
    "Salah ad Din": "IQG16", "Dhi Qar": "IQG17", "Wasit": "IQG18",
}  # fmt: skip
# Entries of the towns file that repeat a governorate's name rather than a town.
_NOT_TOWNS = {"Al Anbar", "Al Qadisiyah"}


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def derive(iraq_geo: Path) -> dict[str, Any]:
    """Build the derived gazetteer document from the ``iraq_geo`` folder."""
    units_path = iraq_geo / "gazetteer" / "iraq_admin_units_l1_l3.csv"
    towns_path = iraq_geo / "gazetteer" / "hoshmandent_cities_data.json"
    places: list[dict[str, Any]] = []
    with units_path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["name_en"].startswith("Markaz "):
                continue  # "district centre" units repeat the district's name
            level = _LEVELS[row["level"]]
            places.append(
                {
                    "id": row["pcode"],
                    "name": row["name_en"],
                    "name_ar": row["name_ar"],
                    "level": level,
                    "country": "IQ",
                    "parent": row["parent_pcode"] or None,
                    "lat": float(row["lat"]),
                    "lon": float(row["lon"]),
                    "source": "ocha-cod",
                }
            )
    towns = json.loads(towns_path.read_text(encoding="utf-8"))
    for town in towns:
        if town["name"] in _NOT_TOWNS:
            continue
        places.append(
            {
                "id": f"IQ-town-{_slug(town['name'])}",
                "name": town["name"],
                "name_ar": None,
                "level": "city",
                "country": "IQ",
                "parent": _TOWN_REGIONS.get(town["region"]),
                "lat": round(float(town["latitude"]), 3),
                "lon": round(float(town["longitude"]), 3),
                "source": "hoshmandent",
            }
        )
    return {
        "about": (
            "Derived by undercount.ingest.narrative._gazetteer_build from "
            "shared/data/iraq_geo (see SOURCE.md). Do not edit by hand."
        ),
        "sources": {
            "ocha-cod": (
                "OCHA Iraq COD admin units 2019 (names, P-codes) via Open Admin Data "
                "iraq-administrative-divisions, CC BY 4.0; 'Markaz' units dropped."
            ),
            "hoshmandent": (
                "hoshmandent/iraqi-geography-data cities_data.json, MIT; "
                "coordinates rounded to 3 decimals."
            ),
        },
        "places": places,
    }


def main(argv: list[str]) -> int:
    """Command-line entry: ``IRAQ_GEO_DIR OUT_JSON``."""
    if len(argv) != 2:
        sys.stderr.write("usage: _gazetteer_build IRAQ_GEO_DIR OUT_JSON\n")
        return 2
    document = derive(Path(argv[0]))
    Path(argv[1]).write_text(
        json.dumps(document, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
