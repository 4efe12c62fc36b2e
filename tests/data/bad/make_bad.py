"""Write the nasty files of tests/data/bad/ (seeded; run again to regenerate).

Every file here must either import with ``rows_in == accepted + quarantined`` or
fail with one clean line (``error: ...``); never a traceback, never a lost row.

Run: ``.venv/bin/python tests/data/bad/make_bad.py``
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 666

_GOOD = "record_id,name,sex,age\r\n1,Ali,M,30\r\n2,Omar,M,41\r\n3,Zainab,F,25\r\n"


def _xlsx_bytes() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["record_id", "name", "sex", "age"])
    for i in range(200):
        sheet.append([i + 1, f"name {i}", "M", 30])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _parquet_bytes(rows: int) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "record_id": pa.array([str(i) for i in range(rows)], pa.string()),
            "name": pa.array([f"n{i}" for i in range(rows)], pa.string()),
        }
    )
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def files(rng: np.random.Generator) -> dict[str, bytes]:
    """File name -> bytes."""
    xlsx = _xlsx_bytes()
    parquet = _parquet_bytes(50)
    many_columns = ",".join(f"c{i}" for i in range(3000))
    zip_buf = io.BytesIO()
    with zipfile.ZipFile(zip_buf, "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    return {
        "binary_garbage.csv": rng.integers(0, 256, 4096, dtype=np.uint8).tobytes(),
        "empty.csv": b"",
        "header_only.csv": b"record_id,name,sex,age\r\n",
        "header_only_then_blanks.csv": b"record_id,name\r\n\r\n,,\r\n  \r\n",
        "only_blank_lines.csv": b"\r\n\r\n   \r\n\t\r\n",
        "only_delimiters.csv": b",,,,\n;;;\n",
        "nul_bytes.csv": _GOOD.encode()[:40] + b"\x00\x00\x00" + _GOOD.encode()[40:],
        "nul_header.csv": b"record_id,na\x00me\r\n1,Ali\r\n",
        "latin1_as_csv.csv": "record_id,name\n1,Jos\xe9 M\xfcller\n2,\xc9lise\n".encode(
            "latin-1"
        ),
        "utf8_then_cp1256.csv": (_GOOD + "4,").encode()
        + "علي".encode("cp1256")
        + b",M,9\r\n",
        "utf16_no_bom.csv": _GOOD.encode("utf-16-le"),
        "utf16_odd_length.csv": _GOOD.encode("utf-16")[:-1],
        "truncated.xlsx": xlsx[: len(xlsx) // 2],
        "zip_not_xlsx.xlsx": zip_buf.getvalue(),
        "xlsx_named_csv.csv": xlsx,
        "csv_named_xlsx.xlsx": _GOOD.encode(),
        "corrupt.parquet": parquet[:-40],
        "csv_named_parquet.parquet": _GOOD.encode(),
        "lone_quote.csv": b'record_id,name\r\n1,"\r\n',
        "quote_storm.csv": b"record_id,name\r\n" + b'"""",""\r\n' * 50 + b"9,ok\r\n",
        "unclosed_quote_runaway.csv": (
            'record_id,name,notes\n1,Ali,"never closed\n'
            + "".join(f"{i},n{i},x\n" for i in range(2, 600))
        ).encode(),
        "duplicate_header.csv": b"record_id,name,name\r\n1,a,b\r\n",
        "blank_header.csv": b",,,\r\n1,Ali,M,30\r\n",
        "no_id_column.csv": b"name,sex\r\nAli,M\r\n",
        "no_name_column.csv": b"record_id,sex\r\n1,M\r\n",
        "many_columns.csv": (
            many_columns + "\n" + ",".join("v" * 3000) + "\n"
        ).encode(),
        "control_chars.csv": b"record_id,name\r\n1,A\x01l\x02i\r\n2,\x1b[31mred\r\n",
        "mixed_line_endings.csv": b"record_id,name\r\n1,Ali\n2,Omar\r3,Zainab\r\n",
        "bidi_and_zero_width.csv": (
            "\u200frecord_id,\u200eالاسم\r\n1,\u200bعلي\u202b\r\n"
        ).encode(),
        "empty_ids.csv": b"record_id,name\r\n,Ali\r\n  ,Omar\r\n3,Zainab\r\n",
        "invalid.json": b'[{"record_id": "1", "name": "Ali"}, {"record_id": ',
        "not_array.json": b'{"record_id": "1", "name": "Ali"}',
        "array_of_scalars.json": b"[1, 2, 3]",
        "mixed_array.json": b'[{"record_id": "1", "name": "A"}, 7, null, '
        b'{"record_id": "2", "name": {"first": "B"}}]',
        "empty_array.json": b"[]",
        "deep_nesting.json": b"[" + b"[" * 5000 + b"]" * 5000 + b"]",
        "trailing_garbage.json": b'[{"record_id": "1", "name": "A"}] xyz',
        "jsonl_garbage.jsonl": b'{"record_id": "1", "name": "A"}\n{not json\n\n[1,2]\n'
        b'{"record_id": "2", "name": "B"}\n',
        "jsonl_empty.jsonl": b"\n\n",
        "pdf_named_csv.csv": b"%PDF-1.4\n%binary\n1 0 obj\n",
        "gzip_named_csv.csv": b"\x1f\x8b\x08\x00" + bytes(20),
        "old_excel.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
        "unknown_extension.dat": _GOOD.encode(),
        "crlf_only_header.csv": b"\r\n\r\nrecord_id,name\r\n",
        "sep_semicolon_header_comma_rows.csv": b"record_id;name\n1,Ali\n2,Omar\n",
    }


def main() -> None:
    """Write every file."""
    rng = np.random.default_rng(SEED)
    for name, data in files(rng).items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
