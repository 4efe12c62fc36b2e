"""The real Kosovo 1999 table reproduces the published estimate.

Expected values: Ball, Betts, Scheuren, Dudukovich and Asher (2002), *Killings and
Refugee Flow in Kosovo, March-June 1999* (report to the ICTY): 10,356 killed, 95%
interval 9,002 to 12,122, from 4,400 documented; see
src/undercount/data/kosovo/SOURCE.md for how each figure was checked.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from undercount.model import CaptureTable
from undercount.pipeline import EstimateConfig, StageCache, analyse_capture_table


def test_loglinear_reproduces_ball_et_al_2002() -> None:
    data = resources.files("undercount.data.kosovo")
    reference = json.loads((data / "reference.json").read_text(encoding="utf-8"))
    with resources.as_file(data / "kosovo_1999_patterns.csv") as path:
        table = CaptureTable.read_csv(path)
    analysis = analyse_capture_table(
        table,
        EstimateConfig(methods=("loglinear", "chao"), seed=1),
        StageCache(None),
        analysis_id="kosovo",
        title="Kosovo 1999",
        reference=reference,
    )
    assert analysis["captures"]["observed"] == reference["documented"] == 4400
    loglinear = analysis["estimates"][0]
    assert loglinear["estimate"] == pytest.approx(10356, abs=1)
    assert loglinear["lower"] == pytest.approx(9002, rel=0.005)
    assert loglinear["upper"] == pytest.approx(12122, rel=0.005)
    comparison = {c["method"]: c for c in analysis["reference"]["comparison"]}
    assert comparison["loglinear"]["covers_published"]
    # Chao's bound is a lower bound: below the published estimate.
    assert comparison["chao"]["estimate"] < reference["estimate"]
    assert analysis["headline"]["estimated"]["method"] == "loglinear"
