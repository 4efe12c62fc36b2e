"""The public report holds no name from the input lists and no small cell.

Inputs: the bundled SIMULATED demo lists (two in Arabic script, two transliterated;
undercount/data/demo/SOURCE.md). Every full name and every name token (3+ letters,
articles aside) of every name column is searched for in the public report.html,
results.json and report.pdf (text extracted with pypdf); the same search must find
names in the internal report (HTML and PDF), so that the test can fail.

The public run of ``report_runs`` writes no PDF (to keep the suite fast): the public
PDF is written here from the public ``results.json`` with ``write_report``, which is
what ``undercount run --public`` does. Only that test is skipped, and only when no
PDF engine works on the machine (the library's message says why).
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

NAME_HEADERS = {
    "name",
    "full name",
    "الاسم",
    "اسم الأب",
    "اسم الجد",
    "اللقب",
    "given_name",
    "father_name",
    "grandfather_name",
    "family_name",
}
ARTICLES = {"al", "el", "bin", "ibn", "abu", "umm", "bint", "عبد", "ابو", "أبو", "بن"}


def _names(paths: list[Path]) -> set[str]:
    names: set[str] = set()
    for path in paths:
        if path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if row.get("name"):
                    names.add(str(row["name"]).strip())
            continue
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                for header, value in row.items():
                    if header and header.strip().lower() in NAME_HEADERS and value:
                        names.add(value.strip())
    return {n for n in names if n}


def _tokens(names: set[str]) -> set[str]:
    tokens: set[str] = set()
    for name in names:
        for token in re.split(r"[\s\-']+", name):
            token = token.strip(".,")
            if len(token) >= 3 and token.lower() not in ARTICLES:
                tokens.add(token)
    return tokens


def _found(text: str, tokens: set[str]) -> set[str]:
    words = set(re.findall(r"[\w\u0600-\u06ff]+", text))
    return {t for t in tokens if t in words}


def test_inputs_have_names_in_both_scripts(demo_inputs: list[Path]) -> None:
    names = _names(demo_inputs)
    assert len(names) > 500
    assert any(re.search(r"[\u0600-\u06ff]", n) for n in names)
    assert any(re.search(r"[A-Za-z]", n) for n in names)


def test_public_report_contains_no_name_from_the_input_lists(
    report_runs: dict,  # type: ignore[type-arg]
    demo_inputs: list[Path],
) -> None:
    names = _names(demo_inputs)
    tokens = _tokens(names)
    public = report_runs["public"]
    for path in (public.files["html"], public.files["results"]):
        text = path.read_text(encoding="utf-8")
        leaked_names = {n for n in names if n in text}
        assert not leaked_names, sorted(leaked_names)[:10]
        leaked_tokens = _found(text, tokens)
        assert not leaked_tokens, sorted(leaked_tokens)[:20]
    # The same search finds names in the internal report: the test can fail.
    internal = report_runs["internal"].files["html"].read_text(encoding="utf-8")
    assert _found(internal, tokens)


def test_public_outputs_suppress_small_cells(report_runs: dict) -> None:  # type: ignore[type-arg]
    public = report_runs["public"].results
    assert public["public"] is True
    k = public["small_cells"]
    analysis = public["analyses"][0]
    counts = [p["count"] for p in analysis["captures"]["patterns"]]
    counts += [r["records"] for r in analysis["linkage"]["records_by_month"]]
    assert all(not isinstance(c, int) or c == 0 or c >= k for c in counts)
    assert f"<{k}" in counts, "expected at least one suppressed cell in this data"
    assert "review_examples" not in analysis["linkage"]
    html = report_runs["public"].files["html"].read_text(encoding="utf-8")
    assert "public version" in html
    assert f"&lt;{k}" in html


def _pdf_text(path: Path) -> str:
    """Every page's text, NFKC-normalised (Arabic presentation forms -> letters)."""
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(path))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return unicodedata.normalize("NFKC", text)


def test_public_pdf_contains_no_name_from_the_input_lists(
    report_runs: dict[str, Any],
    demo_inputs: list[Path],
    tmp_path: Path,
) -> None:
    from undercount.report import write_report

    public = report_runs["public"]
    assert public.results["public"] is True
    files = write_report(public.results, tmp_path)
    if files.pdf is None:
        pytest.skip(f"PDF rendering unavailable here: {files.pdf_message}")
    names = _names(demo_inputs)
    tokens = _tokens(names)
    text = _pdf_text(Path(files.pdf))
    assert len(text) > 500, "the PDF has text to search"
    assert "public" in text.lower()
    leaked_names = {n for n in names if n in text}
    assert not leaked_names, sorted(leaked_names)[:10]
    leaked_tokens = _found(text, tokens)
    assert not leaked_tokens, sorted(leaked_tokens)[:20]
    # The same extraction finds names in the internal PDF: the test can fail.
    internal_pdf = report_runs["internal"].files["pdf"]
    assert internal_pdf is not None, report_runs["internal"].pdf_message
    assert _found(_pdf_text(Path(internal_pdf)), tokens)
