"""Chao's estimators (hand calculations), boundary / non-identifiable log-linear fits
(SparseMSE's Artificial_3 table), guardrails and stratified combination."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from undercount.errors import BoundaryEstimateWarning, SparseCellsWarning
from undercount.estimate import (
    ChaoLowerBound,
    Chapman,
    EstimateResult,
    EstimationError,
    LogLinear,
    SampleCoverage,
    StratifiedResult,
    fit_stratified,
    hierarchical_model_table,
)
from undercount.model.capture_table import CaptureTable

# Hepatitis A outbreak, Taiwan 1995 (Chao et al. 2001, Statistics in Medicine 20:3123;
# CARE1's HAV data): lists P (135), Q (122), E (126), 271 people.
HAV = pd.DataFrame(
    {
        "P": [0, 0, 0, 1, 1, 1, 1],
        "Q": [0, 1, 1, 0, 0, 1, 1],
        "E": [1, 0, 1, 0, 1, 0, 1],
        "count": [63, 55, 18, 69, 17, 21, 28],
    }
)


def test_chao_lower_bound_by_hand(mse_table) -> None:
    # HIV: f1 = 1774, f2 = 115, K = 4 lists: N = 1896 + (3/4) 1774^2 / 230
    result = ChaoLowerBound().fit(mse_table("Rcapture_HIV"))
    assert result.diagnostics["f1"] == 1774 and result.diagnostics["f2"] == 115
    assert result.estimate == pytest.approx(1896 + 0.75 * 1774**2 / 230)
    lower, upper = result.interval()
    assert result.observed <= lower < result.estimate < upper


def test_chao_variance_reduces_to_chao_1987_for_many_lists() -> None:
    # With K lists the factor is (K-1)/K; the delta-method variance (multinomial,
    # N estimated) equals f2 [k^2/4 r^4 + k^2 r^3 + k/2 r^2], r = f1/f2 (Chao 1987
    # for k = 1).
    frame = HAV.copy()
    result = ChaoLowerBound().fit(CaptureTable.from_frame(frame))
    f1, f2, k = 187.0, 56.0, 2.0 / 3.0
    r = f1 / f2
    expected = f2 * (k**2 / 4 * r**4 + k**2 * r**3 + k / 2 * r**2)
    assert result.stderr**2 == pytest.approx(expected, rel=1e-5)


def test_chao_bias_corrected_when_f2_is_zero() -> None:
    frame = pd.DataFrame(
        {"A": [1, 0, 0, 1], "B": [0, 1, 0, 1], "C": [0, 0, 1, 1], "count": [5, 4, 3, 2]}
    )
    with pytest.warns(SparseCellsWarning, match="f2 = 0"):
        result = ChaoLowerBound().fit(CaptureTable.from_frame(frame))
    assert result.diagnostics["bias_corrected"] is True
    assert result.estimate == pytest.approx(14 + (2 / 3) * 12 * 11 / 2)


def test_sample_coverage_by_hand() -> None:
    table = CaptureTable.from_frame(HAV)
    coverage = 1 - (69 / 135 + 55 / 122 + 63 / 126) / 3
    d = 271 - (69 + 55 + 63) / 3
    independent = SampleCoverage(variant="independent").fit(table)
    assert independent.estimate == pytest.approx(d / coverage)
    high = SampleCoverage(variant="high-coverage").fit(table)
    correction = (
        (69 + 55 + 2 * 21) * 49 / (135 * 122)
        + (69 + 63 + 2 * 17) * 45 / (135 * 126)
        + (55 + 63 + 2 * 18) * 46 / (122 * 126)
    )
    assert high.estimate == pytest.approx((49 + 45 + 46) / (3 * coverage - correction))
    auto = SampleCoverage().fit(table)  # coverage 51% < 55%: one-step
    assert auto.diagnostics["variant"] == "one-step"
    assert d / coverage < auto.estimate < high.estimate


def test_sample_coverage_high_variant_needs_three_lists(mse_table) -> None:
    with pytest.raises(EstimationError, match="3 lists"):
        SampleCoverage(variant="high-coverage").fit(mse_table("Rcapture_HIV"))
    assert SampleCoverage().fit(mse_table("Rcapture_HIV")).estimate > 1896


def test_artificial_3_flags_models_whose_n_does_not_exist(mse_table) -> None:
    # Chan, Silverman & Vincent (2021): list C overlaps no other list. With the
    # A-B interaction, every empty pattern can be pushed to 0 while N grows without
    # bound: the MLE of N does not exist.
    table = mse_table("SparseMSE_Artificial_3")
    models = hierarchical_model_table(table).set_index("model")
    assert models.loc["[12,3]", "flag"] == "N not identifiable"
    assert models.loc["[12,13,23]", "flag"] == "N not identifiable"
    assert models.loc["[1,2,3]", "flag"] == ""
    with pytest.raises(EstimationError, match="do not determine N"):
        LogLinear(model="[12,3]").fit(table)


def test_artificial_3_selection_skips_and_says_so(mse_table) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = LogLinear().fit(mse_table("SparseMSE_Artificial_3"))
    assert result.model == "[1,2,3]"
    assert any("skipped" in w for w in result.warnings)
    assert any("never overlap" in w for w in result.warnings)
    categories = {w.category for w in caught}
    assert BoundaryEstimateWarning in categories and SparseCellsWarning in categories


def test_boundary_but_identifiable_fit_warns(mse_table) -> None:
    with pytest.warns(BoundaryEstimateWarning, match="fitted at 0"):
        result = LogLinear(model="[13,23]").fit(mse_table("SparseMSE_Artificial_3"))
    assert result.estimate == pytest.approx(
        296.0, abs=1e-3
    )  # 96 + 40*30*... exact face
    assert math.isfinite(result.interval()[1])


def test_loglinear_refuses_fewer_than_three_lists(mse_table) -> None:
    table = mse_table("seber1982_p107_two_list_from_example")
    with pytest.raises(EstimationError, match="at least 3 lists"):
        LogLinear().fit(table)
    # a named two-list model is allowed: Mt is Lincoln-Petersen (Rcapture: 2389.9)
    assert LogLinear(model="Mt").fit(table).estimate == pytest.approx(2389.87, abs=0.01)
    with pytest.raises(EstimationError, match="only"):
        LogLinear(model="Mh Darroch").fit(table)


def _stratified_frame() -> pd.DataFrame:
    rows = []
    base = {(1, 0, 0): 40, (0, 1, 0): 30, (0, 0, 1): 20, (1, 1, 0): 12}
    base |= {(1, 0, 1): 9, (0, 1, 1): 7, (1, 1, 1): 3}
    for region, scale in (("north", 1), ("south", 3)):
        for (a, b, c), count in base.items():
            rows.append(
                {"A": a, "B": b, "C": c, "region": region, "count": count * scale}
            )
    # a third stratum where C recorded nobody: too few lists for log-linear models
    rows += [
        {"A": 1, "B": 0, "C": 0, "region": "west", "count": 5},
        {"A": 1, "B": 1, "C": 0, "region": "west", "count": 2},
        {"A": 0, "B": 1, "C": 0, "region": "west", "count": 4},
    ]
    return pd.DataFrame(rows)


def test_stratified_mle_adds_estimates_and_variances() -> None:
    table = CaptureTable.from_frame(_stratified_frame(), strata=["region"])
    with pytest.warns(SparseCellsWarning, match="region=west not estimated"):
        result = fit_stratified(LogLinear(model="Mt"), table)
    assert isinstance(result, StratifiedResult) and isinstance(result, EstimateResult)
    fitted = [s for s in result.strata if s.result is not None]
    assert [s.key for s in fitted] == [("north",), ("south",)]
    west = next(s for s in result.strata if s.key == ("west",))
    assert not west.estimated and "at least 3 lists" in str(west.reason)
    total = sum(s.result.estimate for s in fitted) + west.observed  # type: ignore[union-attr]
    assert result.estimate == pytest.approx(total)
    variance = sum(s.result.stderr**2 for s in fitted)  # type: ignore[union-attr]
    assert result.stderr == pytest.approx(math.sqrt(variance))
    assert result.observed == table.n_observed
    record = result.to_dict()
    assert len(record["strata"]) == 3 and record["strata"][2]["estimated"] is False


class _Posterior(EstimateResult):
    """A stand-in Bayesian result exposing posterior draws."""

    def __init__(self, draws: np.ndarray, observed: int) -> None:
        self.method = "fake-bayes"
        self.lists = ("A", "B", "C")
        self.observed = observed
        self.draws = draws
        self.estimate = float(np.median(draws))
        self.diagnostics = {}
        self.warnings = ()

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        lo, hi = np.quantile(self.draws, [(1 - level) / 2, (1 + level) / 2])
        return float(lo), float(hi)


class _FakeBayes:
    def __init__(self) -> None:
        self.calls = 0

    def fit(self, table: CaptureTable) -> _Posterior:
        self.calls += 1
        rng = np.random.default_rng(self.calls)
        return _Posterior(
            table.n_observed + rng.gamma(5.0, 20.0, 400), table.n_observed
        )


def test_stratified_bayesian_results_sum_draws() -> None:
    frame = _stratified_frame()
    frame = frame[frame["region"] != "west"]
    table = CaptureTable.from_frame(frame, strata=["region"])
    result = fit_stratified(_FakeBayes(), table)
    assert result.draws is not None and result.draws.shape == (400,)
    north = CaptureTable.from_frame(
        frame[frame.region == "north"].drop(columns="region")
    )
    south = CaptureTable.from_frame(
        frame[frame.region == "south"].drop(columns="region")
    )
    expected = (
        north.n_observed
        + np.random.default_rng(1).gamma(5.0, 20.0, 400)
        + south.n_observed
        + np.random.default_rng(2).gamma(5.0, 20.0, 400)
    )
    np.testing.assert_allclose(result.draws, expected)
    assert result.estimate == pytest.approx(float(np.median(expected)))
    lower, _ = result.interval(0.9)
    assert lower == pytest.approx(float(np.quantile(expected, 0.05)))
    assert result.diagnostics["combination"] == "posterior draws summed"


def test_stratified_needs_strata_and_two_list_guard(mse_table) -> None:
    with pytest.raises(Exception, match="stratified table"):
        fit_stratified(Chapman(), mse_table("seber1982_p107_two_list_from_example"))


class _Seeded:
    def __init__(self, seed: int | None) -> None:
        self.seed = seed
        self.seen: list[int | None] = []

    def fit(self, table: CaptureTable) -> _Posterior:
        rng = np.random.default_rng(self.seed)
        return _Posterior(table.n_observed + rng.gamma(5.0, 20.0, 50), table.n_observed)


def test_stratified_gives_each_stratum_its_own_derived_seed() -> None:
    frame = _stratified_frame()
    table = CaptureTable.from_frame(frame[frame["region"] != "west"], strata=["region"])
    first = fit_stratified(_Seeded(7), table)
    again = fit_stratified(_Seeded(7), table)
    np.testing.assert_array_equal(first.draws, again.draws)
    north, south = (s.result for s in first.strata)
    assert north is not None and south is not None
    assert not np.allclose(
        north.draws - north.observed,  # type: ignore[attr-defined]
        south.draws - south.observed,  # type: ignore[attr-defined]
    )


def test_too_many_lists_for_loglinear_is_a_clear_error() -> None:
    rng = np.random.default_rng(3)
    patterns = rng.integers(0, 2, size=(40, 16))
    patterns[:, 0] = 1  # no all-zero row
    patterns[:10, 1:] = 0  # ten people only on the first list
    frame = pd.DataFrame(patterns, columns=[f"L{i}" for i in range(16)])
    frame["count"] = 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = CaptureTable.from_frame(frame)
    with pytest.raises(EstimationError, match="limit is 15 lists"):
        LogLinear().fit(table)
    assert ChaoLowerBound().fit(table).estimate >= table.n_observed


def test_chao_without_singletons_is_the_documented_count() -> None:
    frame = pd.DataFrame(
        {"A": [1, 0, 1], "B": [1, 1, 1], "C": [0, 1, 1], "count": [4, 3, 2]}
    )
    with pytest.warns(BoundaryEstimateWarning, match="f1 = 0"):
        result = ChaoLowerBound().fit(CaptureTable.from_frame(frame))
    assert result.estimate == result.observed == 9


def test_small_strata_are_flagged() -> None:
    frame = pd.DataFrame(
        {
            "A": [1, 1, 0, 1, 1, 0],
            "B": [1, 0, 1, 1, 0, 1],
            "period": ["early"] * 3 + ["late"] * 3,
            "count": [60, 90, 70, 8, 6, 5],
        }
    )
    table = CaptureTable.from_frame(frame, strata=["period"])
    with pytest.warns(SparseCellsWarning, match="period=late documents only 19"):
        result = fit_stratified(Chapman(), table)
    early, late = (s.result for s in result.strata)
    assert early is not None and late is not None
    assert result.estimate == pytest.approx(early.estimate + late.estimate)
