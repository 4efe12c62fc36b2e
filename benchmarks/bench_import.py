"""Benchmark: import a 1,000,000-row CSV victim list into a fresh project store.

Targets (issue 2): >= 100,000 rows/s on the 2-core reference machine, and bounded
memory (peak RSS < 2 GB). The CSV is generated with a seeded RNG (about 1% dirty
values that go to quarantine), written to a temporary directory, imported with
:func:`undercount.ingest.import_file`, then deleted.

Run: ``.venv/bin/python benchmarks/bench_import.py [--rows N] [--seed S]``
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

TARGET_ROWS_PER_S = 100_000
TARGET_RSS_BYTES = 2 * 1024**3

_GIVEN = [
    "محمد",
    "أحمد",
    "علي",
    "حسن",
    "حسين",
    "عمر",
    "خالد",
    "يوسف",
    "إبراهيم",
    "مصطفى",
    "فاطمة",
    "زينب",
    "مريم",
    "نور",
    "سارة",
    "Mohammed",
    "Ahmed",
    "Ali",
    "Omar",
    "Khalid",
    "Fatima",
    "Zainab",
    "Maryam",
    "Hassan",
    "Youssef",
]
_FAMILY = [
    "الجبوري",
    "العبيدي",
    "الطائي",
    "الحمداني",
    "الشمري",
    "النعيمي",
    "al-Jubouri",
    "al-Obaidi",
    "al-Taie",
    "al-Hamdani",
    "al-Shammari",
    "al-Nuaimi",
]
_PLACES = [
    "الموصل القديمة",
    "الزنجيلي",
    "باب سنجار",
    "الشفاء",
    "17 تموز",
    "الميدان",
    "Old City",
    "Zanjili",
    "Bab Sinjar",
    "al-Shifa",
    "17 Tammuz",
    "al-Maydan",
]
_SEX = ["M", "F", "ذكر", "أنثى", "male", "female", "", "unknown"]
_DIRTY = ["??x", "abc", "13/13/2017", "N/A/2", "999"]


def write_csv(path: Path, rows: int, seed: int = 20170317) -> None:
    """Write a realistic, partly dirty victim list of ``rows`` rows (seeded)."""
    rng = np.random.default_rng(seed)
    days = np.datetime64("2016-10-17") + np.arange(270)
    chunk = 100_000
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(
            [
                "record_id",
                "name",
                "father_name",
                "family_name",
                "sex",
                "age",
                "date_of_death",
                "place_of_death",
                "notes",
            ]
        )
        written = 0
        while written < rows:
            n = min(chunk, rows - written)
            given = rng.integers(0, len(_GIVEN), n)
            father = rng.integers(0, len(_GIVEN), n)
            grandfather = rng.integers(0, len(_GIVEN), n)
            family = rng.integers(0, len(_FAMILY), n)
            sex = rng.integers(0, len(_SEX), n)
            age = rng.integers(0, 90, n)
            age_kind = rng.random(n)
            day = rng.integers(0, len(days), n)
            date_kind = rng.random(n)
            place = rng.integers(0, len(_PLACES), n)
            dirty = rng.random(n) < 0.01
            for i in range(n):
                d = days[day[i]].astype(object)
                dk = date_kind[i]
                if dk < 0.5:
                    date = d.isoformat()
                elif dk < 0.8:
                    date = f"{d.day}/{d.month}/{d.year}"
                elif dk < 0.95:
                    date = f"{d.month:02d}/{d.year}"
                else:
                    date = ""
                ak = age_kind[i]
                a = int(age[i])
                age_text = (
                    str(a)
                    if ak < 0.7
                    else f"~{a}"
                    if ak < 0.8
                    else f"{a}-{a + 5}"
                    if ak < 0.9
                    else ""
                )
                if dirty[i]:
                    age_text = _DIRTY[i % len(_DIRTY)]
                out.writerow(
                    [
                        f"R{written + i + 1:07d}",
                        " ".join(
                            (
                                _GIVEN[given[i]],
                                _GIVEN[father[i]],
                                _GIVEN[grandfather[i]],
                                _FAMILY[family[i]],
                            )
                        ),
                        _GIVEN[father[i]],
                        _FAMILY[family[i]],
                        _SEX[sex[i]],
                        age_text,
                        date,
                        _PLACES[place[i]],
                        "" if i % 7 else "shelling; body recovered later",
                    ]
                )
            written += n


def _peak_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def main(argv: list[str] | None = None) -> int:
    """Generate, import, print figures and ratios to the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20170317)
    args = parser.parse_args(argv)

    from undercount.ingest import import_file
    from undercount.store import Store

    with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
        folder = Path(tmp)
        csv_path = folder / "list.csv"
        t0 = time.perf_counter()
        write_csv(csv_path, args.rows, args.seed)
        size = csv_path.stat().st_size
        print(
            f"generated {args.rows:,} rows ({size / 1e6:.1f} MB) in "
            f"{time.perf_counter() - t0:.1f} s"
        )
        with Store.create(folder / "undercount.duckdb") as store:
            t1 = time.perf_counter()
            result = import_file(store, "bench", csv_path)
            seconds = time.perf_counter() - t1
    rate = result.rows_in / seconds
    rss = _peak_rss_bytes()
    assert result.rows_in == result.accepted + result.quarantined
    print(
        f"rows_in={result.rows_in:,} accepted={result.accepted:,} "
        f"quarantined={result.quarantined:,}"
    )
    print(f"import time: {seconds:.2f} s")
    print(
        f"throughput: {rate:,.0f} rows/s  (target >= {TARGET_ROWS_PER_S:,}; "
        f"ratio {rate / TARGET_ROWS_PER_S:.2f})"
    )
    print(
        f"peak RSS: {rss / 1024**2:,.0f} MiB  (target < "
        f"{TARGET_RSS_BYTES / 1024**2:,.0f} MiB; ratio {rss / TARGET_RSS_BYTES:.2f})"
    )
    ok = rate >= TARGET_ROWS_PER_S and rss < TARGET_RSS_BYTES
    print("PASS" if ok else "BELOW TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
