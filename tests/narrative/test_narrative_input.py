"""Reading files: formats, encodings, and clear one-line errors for bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from undercount.errors import UserInputError
from undercount.ingest.narrative import extract, read_document

SENTENCE = "At least 105 civilians were killed in Mosul al-Jadida on 17 March 2017."


def _pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF whose text layer holds ``lines`` (Helvetica)."""
    ops = ["BT", "/F1 12 Tf", "72 720 Td", "14 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({escaped}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_plain_text_utf8(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(SENTENCE, encoding="utf-8")
    result = extract(path)
    assert result.source.format == "text"
    assert [c.low for c in result.casualties] == [105]
    assert result.source.sha256 and result.source.n_bytes == len(SENTENCE)


def test_legacy_encodings_are_detected(tmp_path: Path) -> None:
    text = "“At least 105 civilians were killed,” said the café owner in Mosul. " * 5
    path = tmp_path / "cp1252.txt"
    path.write_bytes(text.encode("cp1252"))
    result = extract(path)
    assert result.quotations and "café" in result.text
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(SENTENCE.encode("utf-16"))
    assert extract(utf16).source.encoding == "utf-16"


def test_html_boilerplate_is_removed(tmp_path: Path) -> None:
    nav = "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(30))
    body = " ".join([SENTENCE] * 3)
    html = (
        "<html><head><title>Strike in Mosul</title><script>var x = 1;</script></head>"
        f"<body><nav><ul>{nav}</ul></nav><article><h1>Strike in Mosul</h1>"
        f"<p>{body}</p><p>Amnesty International said the coalition used "
        "airstrikes in densely populated areas of west Mosul.</p></article>"
        "<footer>Copyright 2017 Example News. All rights reserved.</footer>"
        "</body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    result = extract(path)
    assert result.source.format == "html"
    assert "var x" not in result.text and "Section 7" not in result.text
    assert result.casualties and result.of_kind("weapon")


def test_text_pdf(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(_pdf([SENTENCE, "Iraqi forces used IRAMs in west Mosul."]))
    result = extract(path, report_date="2017-07-11")
    assert result.source.format == "pdf" and result.source.n_pages == 1
    assert [c.low for c in result.casualties] == [105]
    assert {w.weapon_id for w in result.of_kind("weapon")} == {"iram"}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty"),
        (b"   \n\t  ", "empty"),
        (b"\x00\x01\x02\x03binary\x00\x00\x00" * 50, "binary"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG image"),
        (b"PK\x03\x04" + b"\x00" * 100, "ZIP container"),
        (
            "Caf\u00e9 in Mosul. ".encode() * 20 + "na\u00efve".encode("latin-1"),
            "mixed",
        ),
        (b"%PDF-1.4\n garbage that is not a pdf", "PDF"),
    ],
)
def test_malformed_input_gives_one_clear_error(
    tmp_path: Path, payload: bytes, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(payload)
    with pytest.raises(UserInputError, match=message) as info:
        extract(path)
    assert "\n" not in str(info.value)
    assert "bad.txt" in str(info.value)


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf([]))
    with pytest.raises(UserInputError, match="no extractable text"):
        extract(path)


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 400)
    with pytest.raises(UserInputError, match="too large"):
        read_document(path, max_bytes=1000)


def test_missing_file_and_bad_report_date(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="not found"):
        extract(tmp_path / "nope.txt")
    path = tmp_path / "r.txt"
    path.write_text(SENTENCE, encoding="utf-8")
    with pytest.raises(UserInputError, match="YYYY-MM-DD"):
        extract(path, report_date="17/03/2017")


def test_cli_error_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bin.dat"
    path.write_bytes(b"\x00\xff" * 500)
    done = subprocess.run(
        [sys.executable, "-m", "undercount", "extract", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
