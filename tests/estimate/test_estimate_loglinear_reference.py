"""Log-linear models against Rcapture 1.4-4 (tests/reference/rcapture.json).

Provenance of every expected number (see the file's ``_provenance``):

* ``closedp``: ``closedp.t(X, dfreq=TRUE)`` tables of /work/shared/data/mse/REFERENCE.md
  (HIV, lesbian, diabetes, UKdat_5, NewOrl_5, Western), printed to 0.1 (abundance,
  stderr) and 0.001 (deviance, AIC, BIC).
* ``closedpCI_Mt``: ``closedpCI.t(X, dfreq=TRUE, m="Mt")``, same file, to 0.1.
* ``closedpMS``: ``closedpMS.t(X, dfreq=TRUE, maxorder=J-1)`` top 5 by BIC, same file,
  to 0.01 (abundance, stderr) and 0.0001 (deviance, AIC, BIC).
* ``examples``: Rcapture's help-page examples (tests/Examples/Rcapture-Ex.Rout.save):
  hare (6 lists), Seber's two-list example, HIV with interactions.

Tolerance: half a unit of the printed last digit (the printed figure is the rounded
value), i.e. agreement to every printed digit (at least 4 significant digits).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from undercount.estimate import (
    LogLinear,
    closed_population_table,
    hierarchical_model_table,
)

REFERENCE = json.loads(
    (Path(__file__).resolve().parents[1] / "reference" / "rcapture.json").read_text()
)
DIGITS = {"abundance": 1, "stderr": 1, "deviance": 3, "df": 0, "AIC": 3, "BIC": 3}
MS_DIGITS = {"abundance": 2, "stderr": 2, "deviance": 4, "df": 0, "AIC": 4, "BIC": 4}


def _close(ours: float, printed: float, digits: int) -> bool:
    return abs(ours - printed) <= 0.5 * 10.0**-digits + 1e-9


@pytest.mark.parametrize("name", sorted(REFERENCE["closedp"]))
def test_closedp_table_matches_rcapture(mse_table, name: str) -> None:
    table = closed_population_table(mse_table(name)).set_index("model")
    for expected in REFERENCE["closedp"][name]:
        row = table.loc[expected["model"]]
        for column, digits in DIGITS.items():
            assert _close(float(row[column]), expected[column], digits), (
                name,
                expected["model"],
                column,
                float(row[column]),
                expected[column],
            )


def test_lesbian_mh_chao_keeps_its_eta_and_hiv_drops_one(mse_table) -> None:
    # Rcapture drops negative eta parameters of the Chao models and refits:
    # HIV Mh Chao has df 12 (one eta dropped), lesbian Mh Chao df 11 (none dropped).
    hiv = closed_population_table(mse_table("Rcapture_HIV")).set_index("model")
    lesbian = closed_population_table(mse_table("Rcapture_lesbian")).set_index("model")
    assert hiv.loc["Mh Chao (LB)", "df"] == 12
    assert lesbian.loc["Mh Chao (LB)", "df"] == 11


@pytest.mark.parametrize("name", sorted(REFERENCE["closedpCI_Mt"]))
def test_profile_interval_matches_closedpci(mse_table, name: str) -> None:
    expected = REFERENCE["closedpCI_Mt"][name]
    result = LogLinear(model="Mt").fit(mse_table(name))
    found = result.profile(0.95)
    assert _close(found.estimate, expected["abundance"], 1)
    assert _close(found.lower, expected["lower"], 1)
    assert _close(found.upper, expected["upper"], 1)
    assert result.interval(0.95) == (found.lower, found.upper)
    # closedp's Poisson estimate n + exp(b0) is a little above the multinomial one
    assert result.estimate > found.estimate


@pytest.mark.parametrize("name", sorted(REFERENCE["closedpMS"]))
def test_hierarchical_top5_matches_closedpms(mse_table, name: str) -> None:
    table = hierarchical_model_table(mse_table(name), criterion="bic")
    for rank, expected in enumerate(REFERENCE["closedpMS"][name]["top5"]):
        row = table.iloc[rank]
        assert row["model"] == expected["model"]
        for column, digits in MS_DIGITS.items():
            assert _close(float(row[column]), expected[column], digits), (
                name,
                rank,
                column,
            )


def test_selection_picks_the_best_bic_and_names_it(mse_table) -> None:
    result = LogLinear().fit(mse_table("Rcapture_lesbian"))
    assert result.model == "[12,14,23,24,34]"
    assert result.diagnostics["model"] == "[12,14,23,24,34]"
    assert result.diagnostics["selected_by"] == "BIC"
    assert result.model_table is not None and len(result.model_table) == 113
    aic = LogLinear(criterion="aic").fit(mse_table("Rcapture_lesbian"))
    assert aic.aic <= result.aic


def test_hare_six_lists_help_page_table(mse_table) -> None:
    table = closed_population_table(mse_table("Rcapture_hare")).set_index("model")
    for expected in REFERENCE["examples"]["hare_closedp"]["rows"]:
        row = table.loc[expected["model"]]
        for column in ("abundance", "stderr", "deviance", "df", "AIC"):
            assert _close(float(row[column]), expected[column], DIGITS[column])


def test_hare_profile_interval_mth_poisson(mse_table) -> None:
    ref = REFERENCE["examples"]["hare_closedpCI_MthPoisson2"]
    result = LogLinear(model="Mth Poisson2").fit(mse_table("Rcapture_hare"))
    found = result.profile(0.95)
    assert _close(result.estimate, ref["poisson_abundance"], 1)
    assert _close(found.estimate, ref["abundance"], 1)
    assert _close(found.lower, ref["lower"], 1)
    assert _close(found.upper, ref["upper"], 1)


@pytest.mark.parametrize(
    ("key", "spec"),
    [("HIV_closedpCI_12", "[12,3,4]"), ("HIV_closedpCI_pairs", "[12,13,14,23,24,34]")],
)
def test_hiv_interaction_models_help_page(mse_table, key: str, spec: str) -> None:
    ref = REFERENCE["examples"][key]
    result = LogLinear(model=spec).fit(mse_table("Rcapture_HIV"))
    found = result.profile(0.95)
    assert result.model == ref["model"]
    assert _close(result.estimate, ref["poisson_abundance"], 1)
    assert _close(result.stderr, ref["stderr"], 1)
    assert _close(result.deviance, ref["deviance"], 3)
    assert result.df == ref["df"]
    assert _close(found.estimate, ref["abundance"], 1)
    assert _close(found.lower, ref["lower"], 1)
    assert _close(found.upper, ref["upper"], 1)


def test_two_lists_table_is_m0_mt_mb(mse_table) -> None:
    table = closed_population_table(mse_table("seber1982_p107_two_list_from_example"))
    assert table["model"].tolist() == ["M0", "Mt", "Mb"]
    for expected, (_, row) in zip(
        REFERENCE["examples"]["seber1982_p107_closedp"]["rows"],
        table.iterrows(),
        strict=True,
    ):
        assert _close(float(row["abundance"]), expected["abundance"], 1)
        assert _close(float(row["stderr"]), expected["stderr"], 1)
        assert _close(float(row["AIC"]), expected["AIC"], 3)


def test_model_names_accept_list_names_and_aliases(mse_table) -> None:
    table = mse_table("Rcapture_HIV")
    by_number = LogLinear(model="[12,3,4]").fit(table)
    by_name = LogLinear(model="[c1:c2]").fit(table)
    assert by_name.model == "[12,3,4]"
    assert by_name.estimate == pytest.approx(by_number.estimate)
    chao = LogLinear(model="mth chao").fit(table)
    assert chao.model == "Mth Chao (LB)"
    assert np.isfinite(chao.interval()[1])
