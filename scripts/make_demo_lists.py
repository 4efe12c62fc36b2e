"""Write the bundled demo lists (SIMULATED victims) to src/undercount/data/demo/.

The people are simulated by :func:`undercount.simulate.records.simulate_mosul_lists`
(seeded): nobody in these files is real. This script then writes each list the way
such lists arrive in practice, so that the demo exercises the importer:

- ``morgue.csv``: Arabic headers and names, ذكر/أنثى, Arabic-Indic digits in
  some ages and dates, day/month/year dates;
- ``hospital.csv``: Arabic names, English headers, UTF-8 with a byte-order mark
  (as Excel writes "CSV UTF-8"), a blank line;
- ``ngo.csv``: transliterated names, "Full Name"/"Gender"/"Location" headers;
- ``media.jsonl``: transliterated names, one JSON object per line;

and ``truth.csv`` (who each record really is), plus a few dirty rows in each (an
impossible date, an age that is not an age, a repeated record id, a row with a
missing field) that the importer must quarantine.

Run: ``.venv/bin/python scripts/make_demo_lists.py`` (same output every time).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd

from undercount.simulate.records import simulate_mosul_lists

SEED = 20170710  # the day Mosul was declared retaken
N_DEAD = 900
OUT = Path(__file__).resolve().parent.parent / "src" / "undercount" / "data" / "demo"

_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _dmy(iso: str) -> str:
    """``2017-03-19`` -> ``19/3/2017``; coarser dates unchanged in order."""
    parts = iso.split("-") if iso else []
    if len(parts) == 3:
        return f"{int(parts[2])}/{int(parts[1])}/{parts[0]}"
    if len(parts) == 2:
        return f"{int(parts[1])}/{parts[0]}"
    return iso


def _morgue(df: pd.DataFrame, rng: np.random.Generator) -> list[list[str]]:
    header = ["الرقم", "الاسم", "اسم الأب", "اسم الجد", "اللقب", "الجنس", "العمر",
              "تاريخ الوفاة", "مكان الوفاة"]  # fmt: skip
    rows = [header]
    sex = {"M": "ذكر", "F": "أنثى", "": ""}
    for r in df.itertuples(index=False):
        age, date = str(r.age), _dmy(str(r.date_of_death))
        if rng.random() < 0.4:
            age, date = age.translate(_INDIC), date.translate(_INDIC)
        rows.append([str(r.record_id).split("-")[1], r.given_name, r.father_name,
                     r.grandfather_name, r.family_name, sex.get(str(r.sex), ""), age,
                     date, r.place_of_death])  # fmt: skip
    rows[5][7] = "31/2/2017"  # impossible date
    rows[9][6] = "كبير"  # "big": not an age
    rows.append(list(rows[12]))  # the same record id twice
    return rows


def _hospital(df: pd.DataFrame) -> list[list[str]]:
    rows = [["record_id", "name", "sex", "age", "date_of_death", "place_of_death"]]
    for r in df.itertuples(index=False):
        rows.append([r.record_id, r.name, r.sex, r.age, r.date_of_death,
                     r.place_of_death])  # fmt: skip
    rows[7][3] = "-4"  # a negative age
    rows[20] = rows[20][:4]  # a row cut short by a bad export
    return rows


def _ngo(df: pd.DataFrame) -> list[list[str]]:
    rows = [["ID", "Full Name", "Gender", "Age", "Date of Death", "Location"]]
    gender = {"M": "male", "F": "female", "": "unknown"}
    for r in df.itertuples(index=False):
        rows.append([r.record_id, r.name, gender.get(str(r.sex), ""), r.age,
                     r.date_of_death, r.place_of_death])  # fmt: skip
    rows[3][4] = "2017-13-02"  # month 13
    rows[11][2] = "2"  # a survey code, not a sex
    return rows


def _write_csv(path: Path, rows: list[list[str]], *, bom: bool = False) -> None:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        for i, row in enumerate(rows):
            writer.writerow(row)
            if bom and i == 30:
                fh.write("\r\n")  # a blank line, as hand-edited files have


def _write_jsonl(path: Path, df: pd.DataFrame) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i, r in enumerate(df.itertuples(index=False)):
            obj = {"id": r.record_id, "name": r.name, "sex": r.sex or None,
                   "age": r.age or None, "date_of_death": r.date_of_death or None,
                   "place": r.place_of_death or None}  # fmt: skip
            if i == 6:
                obj["age"] = "about thirty-ish"  # not a readable age
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
        fh.write('{"id": "media-broken", "name": "truncated line\n')  # invalid JSON


def _write_truth(path: Path, truth: pd.DataFrame) -> None:
    """Who each record is (``source, record_id, person_id``), with record ids as
    the files write them (the morgue drops its ``morgue-`` prefix)."""
    out = truth[["source", "record_id", "person_id"]].copy()
    morgue = out["source"] == "morgue"
    out.loc[morgue, "record_id"] = out.loc[morgue, "record_id"].str.split("-").str[1]
    out.to_csv(path, index=False, lineterminator="\n")


def main() -> None:
    """Simulate the lists and write the four demo files."""
    sim = simulate_mosul_lists(n_dead=N_DEAD, seed=SEED)
    rng = np.random.default_rng(SEED)
    lists = {k: v.fillna("").astype(str) for k, v in sim.lists.items()}
    OUT.mkdir(parents=True, exist_ok=True)
    _write_csv(OUT / "morgue.csv", _morgue(lists["morgue"], rng))
    _write_csv(OUT / "hospital.csv", _hospital(lists["hospital"]), bom=True)
    _write_csv(OUT / "ngo.csv", _ngo(lists["ngo"]))
    _write_jsonl(OUT / "media.jsonl", lists["media"])
    _write_truth(OUT / "truth.csv", sim.truth)
    for name, df in lists.items():
        print(f"{name}: {len(df)} simulated records")  # noqa: T201


if __name__ == "__main__":
    main()
