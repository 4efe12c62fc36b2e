"""Write the messy list files of tests/data/ingest/ (seeded; same bytes every run).

Each file imitates a way real victim lists arrive (see SOURCE.md). The expected
counts asserted by tests/ingest/ follow from how each file is written here; the
comments say which rows are bad and why.

Run: ``.venv/bin/python tests/data/ingest/make_files.py``
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 20161017  # the start of the Mosul offensive

_AR_GIVEN = [
    "محمد",
    "أحمد",
    "علي",
    "حسن",
    "عمر",
    "فاطمة",
    "زينب",
    "مريم",
    "يوسف",
    "خالد",
]
_AR_FAMILY = ["الجبوري", "العبيدي", "الطائي", "الحمداني", "الشمري", "النعيمي"]
_LA_GIVEN = ["Mohammed", "Ahmed", "Ali", "Hassan", "Omar", "Fatima", "Zainab", "Maryam"]
_LA_FAMILY = ["al-Jubouri", "al-Obaidi", "al-Taie", "al-Hamdani", "al-Shammari"]
_PLACES = ["الموصل القديمة", "الزنجيلي", "باب سنجار", "Old City", "Zanjili", "al-Shifa"]
_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _people(n: int, rng: np.random.Generator, *, arabic: bool) -> list[dict[str, str]]:
    given, family = (_AR_GIVEN, _AR_FAMILY) if arabic else (_LA_GIVEN, _LA_FAMILY)
    sexes = ["ذكر", "أنثى"] if arabic else ["M", "F"]
    out = []
    for i in range(n):
        day = int(rng.integers(1, 29))
        month = int(rng.integers(1, 13))
        out.append(
            {
                "record_id": f"{i + 1}",
                "name": " ".join(
                    (
                        given[rng.integers(len(given))],
                        given[rng.integers(len(given))],
                        family[rng.integers(len(family))],
                    )
                ),
                "sex": sexes[int(rng.integers(2))],
                "age": str(int(rng.integers(1, 90))),
                "date_of_death": f"{day}/{month}/2017",
                "place_of_death": _PLACES[int(rng.integers(len(_PLACES)))],
            }
        )
    return out


def _csv_text(header: list[str], rows: list[list[str]], *, delimiter: str = ",") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def mixed_scripts(rng: np.random.Generator) -> None:
    """40 rows: Arabic and Latin names, Arabic-Indic digits, month names; 2 bad.

    Bad: line 12 (age "كبير جدا" is not an age), line 30 (date 30 شباط 2017).
    """
    header = ["الرقم", "الاسم", "الجنس", "العمر", "تاريخ الوفاة", "مكان الوفاة"]
    rows = []
    for i, p in enumerate(
        _people(20, rng, arabic=True) + _people(20, rng, arabic=False)
    ):
        age, date = p["age"], p["date_of_death"]
        if i % 3 == 0:
            age, date = age.translate(_INDIC), date.translate(_INDIC)
        if i % 5 == 1:
            date = "آذار 2017"
        if i % 7 == 2:
            age = f"حوالي {p['age']}"
        rows.append([str(i + 1), p["name"], p["sex"], age, date, p["place_of_death"]])
    rows[10][3] = "كبير جدا"
    rows[28][4] = "30 شباط 2017"
    (HERE / "mixed_scripts.csv").write_text(_csv_text(header, rows), encoding="utf-8")


def encodings(rng: np.random.Generator) -> None:
    """The same 25 Arabic rows as UTF-8 with BOM, UTF-16 (BOM) and Windows-1256."""
    people = _people(25, rng, arabic=True)
    header = ["رقم", "الاسم", "الجنس", "العمر", "تاريخ الوفاة", "مكان الوفاة"]
    rows = [[p[k] for k in ("record_id", "name", "sex", "age", "date_of_death",
                            "place_of_death")] for p in people]  # fmt: skip
    text = _csv_text(header, rows)
    (HERE / "bom_utf8.csv").write_bytes(text.encode("utf-8-sig"))
    (HERE / "utf16.csv").write_bytes(text.encode("utf-16"))
    (HERE / "utf16.tsv").write_bytes(
        _csv_text(header, rows, delimiter="\t").encode("utf-16")
    )
    (HERE / "cp1256.csv").write_bytes(text.encode("cp1256"))


def broken_quotes() -> None:
    """Quoting trouble; rows_in 11, accepted 7, quarantined 4.

    Line 4 opens a quote that never closes, and line 7 has text after a closing
    quote (``"Fatima" Ali``): strict CSV refuses both, each line is quarantined as
    raw text and parsing resumes on the next line. Lines 9-10 are one record with a
    legitimate line break inside a quoted note (accepted). Line 11 has quotes inside
    an unquoted field (literal, accepted). Line 12 opens a quoted *name* that runs
    onto line 13: a line break cannot belong in a name, so line 12 is quarantined
    and line 13 (``continued",M,``) is then a short row, quarantined too.
    """
    text = (
        "id,name,sex,notes\r\n"
        "1,Ali Hassan,M,\r\n"
        "2,Omar Ali,M,\r\n"
        '3,"Zainab Ahmed,F,\r\n'
        "4,Maryam Ali,F,\r\n"
        "5,Hassan Omar,M,\r\n"
        '6,"Fatima" Ali,F,\r\n'
        "7,Khalid Ali,M,\r\n"
        '8,Yusuf Ali,M,"shelling,\r\n'
        'body found later"\r\n'
        '9,Ahmed "Abu Ali" Hassan,M,\r\n'
        '10,"Ali\r\n'
        'continued",M,\r\n'
    )
    (HERE / "broken_quotes.csv").write_text(text, encoding="utf-8", newline="")


def ragged_and_blank() -> None:
    """Ragged rows and blank lines (CRLF).

    Data lines: 2 (ok), 3 blank, 4 ",,,," (blank), 5 too few fields (quarantined),
    6 too many fields with content (quarantined), 7 trailing empty cells (accepted),
    8 ok, 9 blank, 10 ok. rows_in 6, accepted 4, quarantined 2, blank lines 3.
    """
    text = (
        "record_id,name,sex,age,date_of_death\r\n"
        "1,Ali Hassan,M,30,2017-03-01\r\n"
        "\r\n"
        ",,,,\r\n"
        "2,Omar Ali,M\r\n"
        "3,Zainab,F,22,2017-03-02,extra,cells\r\n"
        "4,Maryam,F,19,2017-03-05,,,\r\n"
        "5,Hassan,M,44,2017\r\n"
        "   \r\n"
        "6,Khalid,M,,\r\n"
    )
    (HERE / "ragged_blank.csv").write_text(text, encoding="utf-8", newline="")


def duplicates_and_semicolons() -> None:
    """Semicolon-delimited (European Excel) with repeated record ids.

    Ids: 1, 2, 3, 2 (line 5, duplicate of line 3), 4, 1 (line 7, duplicate of 2).
    rows_in 6, accepted 4, quarantined 2.
    """
    text = (
        "ID;Name;Gender;Age\n"
        "1;Ali;male;30\n"
        "2;Omar;male;41\n"
        "3;Zainab;female;25\n"
        "2;Omar A.;male;41\n"
        "4;Maryam;female;8\n"
        "1;Ali H.;m;30\n"
    )
    (HERE / "semicolons_duplicates.csv").write_text(text, encoding="utf-8")


def typed_formats(rng: np.random.Generator) -> None:
    """The same 30 Latin-script rows as XLSX, JSON, JSON Lines and Parquet.

    Row 5 has age "-7" (refused: negative), row 9 has sex "?" (unknown, accepted);
    rows_in 30, accepted 29, quarantined 1 in each format.
    """
    import datetime

    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    people = _people(30, rng, arabic=False)
    for p in people:
        d, m, y = (int(x) for x in p["date_of_death"].split("/"))
        p["date_of_death"] = f"{y}-{m:02d}-{d:02d}"
    people[4]["age"] = "-7"
    people[8]["sex"] = "?"
    keys = ["record_id", "name", "sex", "age", "date_of_death", "place_of_death"]

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "victims"
    sheet.append(keys)
    for p in people:
        y, m, d = (int(x) for x in p["date_of_death"].split("-"))
        age: object = int(p["age"]) if p["age"].lstrip("-").isdigit() else p["age"]
        sheet.append([int(p["record_id"]), p["name"], p["sex"], age,
                      datetime.datetime(y, m, d), p["place_of_death"]])  # fmt: skip
    book.properties.created = datetime.datetime(2017, 7, 10)
    book.properties.modified = datetime.datetime(2017, 7, 10)
    book.save(HERE / "list.xlsx")

    (HERE / "list.json").write_text(
        json.dumps(people, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    with (HERE / "list.jsonl").open("w", encoding="utf-8") as fh:
        for p in people:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    table = pa.table(
        {
            "record_id": pa.array([int(p["record_id"]) for p in people], pa.int64()),
            "name": [p["name"] for p in people],
            "sex": [p["sex"] for p in people],
            "age": pa.array([int(p["age"]) for p in people], pa.int32()),
            "date_of_death": pa.array(
                [datetime.date.fromisoformat(p["date_of_death"]) for p in people]
            ),
            "place_of_death": [p["place_of_death"] for p in people],
        }
    )
    pq.write_table(table, HERE / "list.parquet")


def configured() -> None:
    """Headers that need [sources.NAME.columns]; one unknown column ("المحلة").

    4 rows, all valid once mapped.
    """
    text = (
        "رقم الجثة,الاسم الكامل,الجنس,العمر التقريبي,المحلة\n"
        "M-1,علي حسن,ذكر,30,الزنجيلي\n"
        "M-2,فاطمة علي,أنثى,٢٥,باب سنجار\n"
        "M-3,مجهول الهوية,ذكر,40,الشفاء\n"
        "M-4,عمر خالد,ذكر,child,الميدان\n"
    )
    (HERE / "needs_mapping.csv").write_text(text, encoding="utf-8")


def formulas() -> None:
    """Cells that a spreadsheet would run as formulas (for the export test)."""
    text = (
        "record_id,name,place_of_death,notes\n"
        '1,=HYPERLINK("http://x"),@SUM(A1),-3\n'
        "2,+Ali,-2+3,+964\n"
        "3,Omar,\tTab,ok\n"
    )
    (HERE / "formulas.csv").write_text(text, encoding="utf-8")


def main() -> None:
    """Write every file (seeded)."""
    rng = np.random.default_rng(SEED)
    mixed_scripts(rng)
    encodings(rng)
    broken_quotes()
    ragged_and_blank()
    duplicates_and_semicolons()
    typed_formats(rng)
    configured()
    formulas()


if __name__ == "__main__":
    main()
