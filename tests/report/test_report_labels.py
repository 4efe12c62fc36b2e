"""The data label says what the user declared; public mode drops personal fields.

The Kosovo 1999 capture table (src/undercount/data/kosovo, real, no personal data)
is the analysis: only its label changes between the cases.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from undercount.errors import UserInputError
from undercount.model import PERSONAL_FIELDS
from undercount.pipeline import pipeline_config
from undercount.report import redact, render_html
from undercount.report._context import report_context

KOSOVO = (
    Path(__file__).parents[2] / "src/undercount/data/kosovo/kosovo_1999_patterns.csv"
)


@pytest.fixture(scope="module")
def analysis_of() -> Any:
    from undercount.model import CaptureTable
    from undercount.pipeline import EstimateConfig, StageCache, analyse_capture_table

    table = CaptureTable.read_csv(KOSOVO)
    config = EstimateConfig(methods=("chao",), thresholds=())

    def make(**declared: Any) -> dict[str, Any]:
        return analyse_capture_table(
            table, config, StageCache(None), analysis_id="k", title="K", **declared
        )

    return make


def _heading_tag(html: str) -> str:
    match = re.search(r'<h2>1\. K <span class="tag (\w+)">([^<]+)</span>', html)
    assert match, "no tag on the analysis heading"
    return f"{match.group(1)}: {match.group(2)}"


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ({"data": "real"}, "real: REAL DATA"),
        ({"simulated": True}, "simulated: SIMULATED DATA"),
        ({"data": "simulated"}, "simulated: SIMULATED DATA"),
        ({}, "undeclared: data provenance not declared"),
    ],
)
def test_heading_label_is_what_was_declared(
    analysis_of: Any, declared: dict[str, Any], expected: str
) -> None:
    from undercount.pipeline import assemble_results

    analysis = analysis_of(**declared)
    results = assemble_results([analysis], title="t", public=False, small_cells=5)
    html = render_html(results)
    assert _heading_tag(html) == expected
    if "REAL" not in expected:
        assert "REAL DATA" not in html and "real data" not in html


def test_old_results_without_a_declaration_are_not_called_real() -> None:
    context = report_context({"analyses": [], "incidents": {"incidents": []}}, "", "")
    assert context["incidents"]["data_label"] == "data provenance not declared"
    declared = report_context({"analyses": [], "incidents": {"data": "real"}}, "", "")
    assert declared["incidents"]["data_label"] == "REAL DATA"


def test_config_declares_the_data() -> None:
    assert pipeline_config({"report": {"data": "real"}}).report.provenance == "real"
    assert pipeline_config({}).report.provenance == "undeclared"
    legacy = pipeline_config({"report": {"simulated": True}})
    assert legacy.report.provenance == "simulated"
    with pytest.raises(UserInputError, match=r"report\.data"):
        pipeline_config({"report": {"data": "made up"}})
    with pytest.raises(UserInputError, match="contradicts"):
        pipeline_config({"report": {"data": "real", "simulated": True}})


def test_public_mode_drops_every_personal_field_but_keeps_gap_figures() -> None:
    results = {
        "analyses": [
            {
                "inputs": {"lists": [{"source": "m", "records": 40}]},
                "linkage": {
                    "summary": {"people": 40},
                    "outliers": [{"record_id_l": "17", "name": "x", "age": 30}],
                },
            }
        ],
        "incidents": {
            "gap": {
                "figures": [{"label": "acknowledged", "value": 12}],
                "notes": ["the statement covers only air strikes"],
            },
            "acknowledgments": [{"belligerent": "B", "notes": "monthly report"}],
        },
    }
    public = redact(results, 5)
    outlier = public["analyses"][0]["linkage"]["outliers"][0]
    assert outlier == {}
    assert public["incidents"]["gap"]["figures"][0]["value"] == 12
    assert public["incidents"]["gap"]["notes"]
    assert public["incidents"]["acknowledgments"][0]["notes"] == "monthly report"
    assert {"name", "record_id", "birth_year", "review_examples"} <= PERSONAL_FIELDS
