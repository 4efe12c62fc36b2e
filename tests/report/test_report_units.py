"""Report pieces in isolation: redaction, chart templates, the PDF fallback."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from undercount.report import load_template, redact, render_svg, suppress, write_pdf


def test_suppress_hides_small_positive_counts_only() -> None:
    assert [suppress(v, 5) for v in (0, 1, 4, 5, 120)] == [0, "<5", "<5", 5, 120]
    assert suppress(2.5, 5) == "<5"
    assert suppress("text", 5) == "text"
    assert suppress(True, 5) is True


def test_redact_drops_personal_keys_and_leaves_the_input_alone() -> None:
    results = {
        "analyses": [
            {
                "captures": {
                    "patterns": [{"pattern": "10", "count": 3}],
                    "list_totals": {"a": 2, "b": 40},
                },
                "linkage": {
                    "review_examples": [{"name_display_l": "X"}],
                    "summary": {"decision_conflicts": [["a", "b"]], "people": 43},
                },
                "stratified_estimates": [
                    {
                        "strata": [
                            {
                                "stratum": {"month": "2017-02"},
                                "observed": 2,
                                "estimated": True,
                                "estimate": 9.0,
                            }
                        ]
                    }
                ],
            }
        ]
    }
    public = redact(results, 5)
    analysis = public["analyses"][0]
    assert "review_examples" not in analysis["linkage"]
    assert "decision_conflicts" not in analysis["linkage"]["summary"]
    assert analysis["captures"]["patterns"][0]["count"] == "<5"
    assert analysis["captures"]["list_totals"] == {"a": "<5", "b": 40}
    stratum = analysis["stratified_estimates"][0]["strata"][0]
    assert stratum["suppressed"] and "estimate" not in stratum
    assert results["analyses"][0]["captures"]["patterns"][0]["count"] == 3


def test_every_chart_template_is_valid_json_with_datasets() -> None:
    folder = resources.files("undercount.report") / "files"
    names = sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json"))
    assert {"headline", "upset", "estimates", "posterior", "map"} <= set(names)
    for name in names:
        spec = load_template(name)
        assert spec["$schema"].endswith("vega-lite/v5.json")
        assert spec.get("datasets"), name
        assert spec.get("description"), name


def test_render_svg_turns_a_failure_into_a_note() -> None:
    note = render_svg({"mark": "nonsense-mark"}, key="x", label="broken chart")
    assert note.startswith("<p") and "broken chart" in note


def test_pdf_without_an_engine_is_a_message_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNDERCOUNT_CHROMIUM", str(tmp_path / "no-such-browser"))
    outcome = write_pdf(
        "<html><body>x</body></html>", tmp_path / "r.pdf", engine="chromium"
    )
    assert outcome.path is None and outcome.engine is None
    assert outcome.message and "Chromium" in outcome.message
    assert not (tmp_path / "r.pdf").exists()


def test_pdf_with_weasyprint(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    outcome = write_pdf(
        '<html><body><p dir="auto">محمد عبد الله</p></body></html>',
        tmp_path / "r.pdf",
        engine="weasyprint",
    )
    assert outcome.engine == "weasyprint", outcome.message
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_pdf_with_chromium_when_installed(tmp_path: Path) -> None:
    import shutil

    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        pytest.skip("Chromium not installed (the fallback PDF engine)")
    outcome = write_pdf(
        "<html><body><h1>Report</h1><svg width='10' height='10'></svg></body></html>",
        tmp_path / "r.pdf",
        engine="chromium",
    )
    assert outcome.engine == "chromium", outcome.message
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_shipped_boundaries_are_small_and_attributed() -> None:
    folder = resources.files("undercount.data.geo")
    total = 0
    for name in ("iraq_governorates.geojson", "ninewa_districts.geojson"):
        text = (folder / name).read_text(encoding="utf-8")
        total += len(text.encode())
        data = json.loads(text)
        assert "CC BY 3.0 IGO" in data["attribution"]
        assert data["features"]
    assert total < 300_000


def test_report_renders_an_unbounded_interval() -> None:
    """An estimate whose upper end is infinite (stored as "inf") still renders."""
    from undercount.model import CaptureTable
    from undercount.pipeline import (
        EstimateConfig,
        StageCache,
        analyse_capture_table,
        assemble_results,
    )
    from undercount.report import render_html

    table = CaptureTable.read_csv(
        Path(__file__).parents[2]
        / "src/undercount/data/kosovo/kosovo_1999_patterns.csv"
    )
    analysis = analyse_capture_table(
        table,
        EstimateConfig(methods=("chao", "loglinear")),
        StageCache(None),
        analysis_id="k",
        title="Kosovo",
    )
    analysis["estimates"][0]["upper"] = "inf"
    analysis["headline"]["estimated"]["upper"] = "inf"
    results = assemble_results([analysis], title="t", public=False, small_cells=5)
    html = render_html(results)
    assert "unbounded" in html or "inf" in html
    assert "could not be drawn" not in html
