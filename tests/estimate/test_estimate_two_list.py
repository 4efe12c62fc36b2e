"""Lincoln-Petersen and Chapman: hand calculations and Rcapture's Seber example.

Seber (1982, p. 107): n1 = 948, n2 = 421, m = 167 (file
tests/data/mse/seber1982_p107_two_list_from_example.csv). Rcapture's help pages print
for it (tests/reference/rcapture.json, "examples"): closedp.t Mt (= Lincoln-Petersen)
2389.9, s.e. 130.4; closedp.bc Mt (bias-corrected = Chapman) 2382.8, s.e. 129.1.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from undercount.errors import SparseCellsWarning, UserInputError
from undercount.estimate import Chapman, EstimationError, LincolnPetersen
from undercount.model.capture_table import CaptureTable

REFERENCE = json.loads(
    (Path(__file__).resolve().parents[1] / "reference" / "rcapture.json").read_text()
)["examples"]


def _table(n11: int, n10: int, n01: int) -> CaptureTable:
    frame = pd.DataFrame({"A": [1, 1, 0], "B": [1, 0, 1], "count": [n11, n10, n01]})
    return CaptureTable.from_frame(frame)


def test_lincoln_petersen_matches_rcapture_seber_example(mse_table) -> None:
    result = LincolnPetersen().fit(mse_table("seber1982_p107_two_list_from_example"))
    rows = {r["model"]: r for r in REFERENCE["seber1982_p107_closedp"]["rows"]}
    assert result.estimate == pytest.approx(rows["Mt"]["abundance"], abs=0.05)
    assert result.stderr == pytest.approx(rows["Mt"]["stderr"], abs=0.05)
    assert result.observed == 1202


def test_chapman_matches_rcapture_bias_corrected_mt(mse_table) -> None:
    result = Chapman().fit(mse_table("seber1982_p107_two_list_from_example"))
    ref = REFERENCE["seber1982_p107_closedp_bc_Mt"]
    assert result.estimate == pytest.approx(ref["abundance"], abs=0.05)
    assert result.stderr == pytest.approx(ref["stderr"], abs=0.05)


def test_hand_computed_chapman_and_lincoln_petersen() -> None:
    # n1 = 30, n2 = 20, m = 10: LP = 60, var = 30*20*20*10/1000 = 120
    # Chapman = 31*21/11 - 1 = 58.1818..., var = 31*21*20*10/(121*12) = 89.669...
    table = _table(10, 20, 10)
    lp = LincolnPetersen().fit(table)
    assert lp.estimate == pytest.approx(60.0)
    assert lp.stderr == pytest.approx(math.sqrt(120.0))
    ch = Chapman().fit(table)
    assert ch.estimate == pytest.approx(31 * 21 / 11 - 1)
    assert ch.stderr**2 == pytest.approx(31 * 21 * 20 * 10 / (121 * 12))


def test_lognormal_interval_is_chao_1987_and_above_the_floor() -> None:
    table = _table(10, 20, 10)
    result = Chapman().fit(table)
    lower, upper = result.interval(0.95)
    hidden = result.estimate - 40
    c = math.exp(1.959963985 * math.sqrt(math.log(1 + result.stderr**2 / hidden**2)))
    assert lower == pytest.approx(40 + hidden / c)
    assert upper == pytest.approx(40 + hidden * c)
    assert lower >= result.observed


def test_normal_interval_on_request() -> None:
    result = Chapman(interval="normal").fit(_table(10, 20, 10))
    lower, upper = result.interval(0.9)
    assert upper - result.estimate == pytest.approx(1.644853627 * result.stderr)
    assert lower >= result.observed


def test_zero_overlap_is_a_clear_error_not_infinity() -> None:
    for estimator in (LincolnPetersen(), Chapman()):
        with pytest.raises(EstimationError, match="share nobody"):
            estimator.fit(_table(0, 20, 10))


def test_small_overlap_warns() -> None:
    with pytest.warns(SparseCellsWarning, match="only 3 people"):
        result = Chapman().fit(_table(3, 20, 10))
    assert any("only 3" in w for w in result.warnings)


def test_needs_two_lists_or_a_choice(mse_table) -> None:
    table = mse_table("Rcapture_HIV")
    with pytest.raises(UserInputError, match="exactly 2 lists"):
        Chapman().fit(table)
    result = Chapman(lists=("c1", "c2")).fit(table)
    assert result.lists == ("c1", "c2")
    assert result.observed < table.n_observed


def test_result_dict_has_the_cli_fields() -> None:
    record = Chapman().fit(_table(10, 20, 10)).to_dict(0.9)
    for key in ("method", "lists", "observed", "estimate", "lower", "upper", "level"):
        assert key in record
    assert record["level"] == 0.9
    assert record["diagnostics"]["overlap"] == 10
