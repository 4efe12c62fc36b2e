"""The plain HTML-to-text fallback drops page furniture (navigation, asides...).

Audit finding: with the fallback collector, ``undercount extract page.html``
proposed "99 people killed" taken from a ``<nav>`` list of other stories. The
fallback is used when trafilatura finds no main text; here trafilatura is made
to return nothing so the collector alone is tested.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import trafilatura

from undercount.ingest.narrative import extract
from undercount.ingest.narrative._document import _html_text

ARTICLE = (
    "An airstrike on a house in al-Jadida killed 105 civilians on 17 March 2017, "
    "according to residents."
)
PAGE = (
    "<html><head><title>Strike</title><style>p {color: red}</style></head><body>"
    "<header><a href='/'>Example News</a> 12 killed in Aleppo (top story)</header>"
    "<nav><ul><li><a href='/a'>99 people killed in Raqqa</a></li>"
    "<li><nav>nested 7 children injured</nav> 8 wounded in Idlib</li></ul></nav>"
    "<div role='navigation'>Menu: 40 civilians displaced</div>"
    "<form><label>Search 5 dead</label><input name='q'></form>"
    "<main><article><header><h1>Strike in Mosul</h1></header>"
    f"<p>{ARTICLE}</p><br/><p>Residents said IRAMs were used.</p></article>"
    "<aside>Related: 30 killed in Tal Afar</aside></main>"
    "<footer>Most read: 16 dead in Hawija</footer>"
    "<script>var killed = '3 killed';</script></body></html>"
)
FURNITURE = ["99 people", "Example News", "12 killed", "nested", "8 wounded",
             "40 civilians", "Search 5", "30 killed", "16 dead", "var killed",
             "color"]  # fmt: skip


@pytest.fixture
def no_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)


@pytest.mark.usefixtures("no_trafilatura")
def test_fallback_keeps_the_article_and_drops_furniture() -> None:
    text, _, _ = _html_text(PAGE)
    assert ARTICLE in text
    assert "Strike in Mosul" in text  # a header inside the article is the headline
    assert "IRAMs" in text
    for words in FURNITURE:
        assert words not in text, words


@pytest.mark.usefixtures("no_trafilatura")
def test_fallback_extraction_has_only_the_article_figure(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    result = extract(path)
    assert [(c.low, c.high) for c in result.casualties] == [(105, 105)]
    assert [i.figures[0].low for i in result.incidents] == [105]


@pytest.mark.usefixtures("no_trafilatura")
def test_an_element_left_open_does_not_hide_the_rest() -> None:
    text, _, _ = _html_text(
        "<html><body><nav>Home | World<p>" + ARTICLE + "</body></html>"
    )
    # The unclosed nav swallows its own content up to </body>; nothing crashes
    # and text after the body end is kept.
    assert "Home" not in text
    text, _, _ = _html_text("<div role=navigation>menu</div><p>" + ARTICLE + "</p>")
    assert ARTICLE in text and "menu" not in text
