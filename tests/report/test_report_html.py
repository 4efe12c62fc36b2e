"""The HTML report: parses, carries the headline figures, needs no network, and
renders Arabic names right-to-left."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from undercount.report._text import fmt_count


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Collector:
    parser = _Collector()
    parser.feed(html)
    parser.close()
    return parser


def _html(run: Any) -> str:
    return str(run.files["html"].read_text(encoding="utf-8"))


def test_report_parses_and_shows_the_headline_figures(report_runs: dict) -> None:  # type: ignore[type-arg]
    run = report_runs["internal"]
    html = _html(run)
    parsed = _parse(html)
    text = " ".join(parsed.text)
    head = run.results["analyses"][0]["headline"]
    estimated = head["estimated"]
    for figure in (
        head["documented"],
        head["acknowledged"],
        estimated["estimate"],
        estimated["lower"],
        estimated["upper"],
    ):
        assert fmt_count(figure) in text
    assert "SIMULATED" in text
    assert sum(1 for tag, _ in parsed.tags if tag == "svg") >= 8  # charts drawn
    assert "could not be drawn" not in text
    for heading in (
        "List overlap",
        "Estimates of every method",
        "Posterior of N",
        "Strata",
        "Linkage quality",
        "What the estimates assume",
        "Data provenance",
    ):
        assert heading in text, heading


def test_report_is_self_contained(report_runs: dict) -> None:  # type: ignore[type-arg]
    html = _html(report_runs["internal"])
    parsed = _parse(html)
    for tag, attrs in parsed.tags:
        assert tag != "script", "the report must not need JavaScript"
        if tag in ("link", "img", "iframe", "embed", "object", "source", "audio"):
            ref = attrs.get("href") or attrs.get("src") or attrs.get("data") or ""
            assert not ref.startswith(("http:", "https:", "//")), (tag, ref)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", html)
    assert not re.search(r"(src|href)\s*=\s*['\"](https?:)?//", html)


def test_arabic_names_render_right_to_left(report_runs: dict) -> None:  # type: ignore[type-arg]
    html = _html(report_runs["internal"])
    cells = re.findall(r'<td dir="auto" class="name"><bdi>([^<]*)</bdi></td>', html)
    assert cells, "no review examples with names in the internal report"
    arabic = [c for c in cells if re.search(r"[\u0600-\u06ff]", c)]
    assert arabic, "expected Arabic-script names among the review examples"


def test_pdf_is_written(report_runs: dict) -> None:  # type: ignore[type-arg]
    run = report_runs["internal"]
    assert run.files["pdf"] is not None, run.pdf_message
    data = run.files["pdf"].read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
