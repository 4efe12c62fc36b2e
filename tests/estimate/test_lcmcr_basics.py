"""LCMCR: reproducibility, result protocol, option checks and warnings."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from undercount.errors import ConvergenceWarning, UndercountWarning, UserInputError
from undercount.estimate._base import get_method
from undercount.estimate.lcmcr import LCMCR, LCMCRResult, default_classes
from undercount.model.capture_table import CaptureTable

BAYES_DIR = Path(__file__).resolve().parents[1] / "data" / "bayes"
QUICK = {"K": 10, "burnin": 300, "samples": 200, "thinning": 2, "chains": 2}


@pytest.fixture(scope="module")
def kosovo() -> CaptureTable:
    return CaptureTable.read_csv(BAYES_DIR / "LCMCR_kosovo_aggregate.csv")


def _quiet_fit(table: CaptureTable, **options: object) -> LCMCRResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndercountWarning)
        return LCMCR(**options).fit(table)  # type: ignore[arg-type]


def test_same_seed_gives_identical_draws(kosovo: CaptureTable) -> None:
    first = _quiet_fit(kosovo, seed=3, **QUICK)
    second = _quiet_fit(kosovo, seed=3, **QUICK)
    np.testing.assert_array_equal(first.chain_draws, second.chain_draws)
    np.testing.assert_array_equal(first.alpha_draws, second.alpha_draws)
    assert first.estimate == second.estimate


def test_different_seeds_and_chains_differ(kosovo: CaptureTable) -> None:
    first = _quiet_fit(kosovo, seed=3, **QUICK)
    other = _quiet_fit(kosovo, seed=4, **QUICK)
    assert not np.array_equal(first.chain_draws, other.chain_draws)
    assert not np.array_equal(first.chain_draws[0], first.chain_draws[1])


def test_threads_do_not_change_the_draws(kosovo: CaptureTable) -> None:
    parallel = _quiet_fit(kosovo, seed=9, **QUICK)
    serial = _quiet_fit(kosovo, seed=9, workers=1, **QUICK)
    np.testing.assert_array_equal(parallel.chain_draws, serial.chain_draws)


def test_result_follows_the_protocol(kosovo: CaptureTable) -> None:
    result = _quiet_fit(kosovo, seed=1, **QUICK)
    assert result.method == "lcmcr"
    assert result.lists == ("EXH", "ABA", "OSCE", "HRW")
    assert result.observed == 4400
    assert result.draws.shape == (2 * QUICK["samples"],)
    assert result.draws.min() >= result.observed
    assert result.estimate == np.median(result.draws)
    lower, upper = result.interval(0.9)
    assert lower == pytest.approx(np.quantile(result.draws, 0.05))
    assert upper == pytest.approx(np.quantile(result.draws, 0.95))
    assert lower < result.estimate < upper
    with pytest.raises(ValueError):
        result.draws[0] = 0  # read-only
    record = json.loads(json.dumps(result.to_dict()))
    assert record["estimate"] == result.estimate
    assert {"rhat", "ess_bulk", "ess_tail", "K"} <= set(record["diagnostics"])
    assert "estimate" in result.summary().as_text()
    assert result.to_frame().shape[0] == 1


def test_registered_and_accepts_cli_options(kosovo: CaptureTable) -> None:
    factory = get_method("lcmcr")
    estimator = factory(seed=2, K=4, burnin=100, samples=50, chains=1, thinning=1)
    result = _quiet_fit(kosovo, **vars(estimator))
    assert result.diagnostics["K"] == 4
    assert result.draws.size == 50
    defaults = factory(seed=None, K=None, burnin=None, samples=None)
    assert isinstance(defaults, LCMCR)


def test_default_truncation() -> None:
    assert default_classes(3) == 7
    assert default_classes(4) == 15
    assert default_classes(6) == 15


@pytest.mark.parametrize(
    ("option", "value"),
    [("K", 0), ("samples", 0), ("thinning", 0), ("chains", 0), ("burnin", -1),
     ("K", 2.5), ("a_alpha", 0.0), ("seed", -3)],
)  # fmt: skip
def test_bad_options_are_user_errors(
    kosovo: CaptureTable, option: str, value: object
) -> None:
    with pytest.raises(UserInputError, match=option):
        LCMCR(**{option: value}).fit(kosovo)  # type: ignore[arg-type]


def test_two_lists_are_refused() -> None:
    table = CaptureTable.read_csv(BAYES_DIR / "Rcapture_HIV.csv").select_lists(
        ["c1", "c2"]
    )
    with pytest.raises(UserInputError, match="at least 3 lists"):
        LCMCR(seed=1).fit(table)


def test_short_chains_warn_about_convergence(kosovo: CaptureTable) -> None:
    with pytest.warns(ConvergenceWarning, match="effective sample size"):
        result = LCMCR(seed=1, K=10, burnin=0, samples=30, thinning=1).fit(kosovo)
    assert any("effective sample size" in w for w in result.warnings)


def test_inference_data_has_chains_and_draws(kosovo: CaptureTable) -> None:
    result = _quiet_fit(kosovo, seed=5, **QUICK)
    idata = result.to_inference_data()
    posterior = idata.posterior
    assert posterior["N"].shape == (2, QUICK["samples"])
    np.testing.assert_array_equal(posterior["N"].values, result.chain_draws)
    assert set(posterior.data_vars) == {"N", "alpha", "occupied_classes"}
    assert idata.attrs["method"] == "lcmcr"


def test_a_single_draw_is_allowed(kosovo: CaptureTable) -> None:
    result = _quiet_fit(kosovo, seed=1, K=10, burnin=0, samples=1, thinning=1)
    assert result.draws.size == 2
    assert np.isnan(result.diagnostics["rhat"])
