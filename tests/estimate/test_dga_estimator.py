"""dga: reproduce the dga package's documented 5-list example, check the marginal
likelihood formulas independently, options and warnings."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy.special import gammaln

from undercount.errors import SparseCellsWarning, UndercountWarning, UserInputError
from undercount.estimate._base import get_method
from undercount.estimate._dga_graphs import decomposable_graphs
from undercount.estimate._dga_posterior import graph_coefficients, log_joint_posterior
from undercount.estimate.dga import DGA, DGAResult, bayes_estimator
from undercount.model.capture_table import CaptureTable

BAYES_DIR = Path(__file__).resolve().parents[1] / "data" / "bayes"

# cran/dga README.md ("Table of top model estimates", commit 01b572b4 of the
# GitHub mirror): bma.cr(Y, Nmissing = 1:300, delta = 0.5, graphs5) on the Madigan &
# York 5-list table. Columns: posterior model probability, Bayes est., mode, 2.5% and
# 97.5% quantiles of N. The README passes an N left over from its 3-list example
# (N = Nmissing + 626 instead of Nmissing + 537): its N columns are shifted by
# 626 - 537 = 89, and its Bayes estimate is computed on that shifted grid. We
# reproduce it on the same (shifted) grid; probabilities do not depend on N labels.
README_TOP5 = [
    (0.21707345, 716, 713, 687, 752),
    (0.16029369, 704, 703, 680, 734),
    (0.08226562, 702, 699, 675, 737),
    (0.06535887, 699, 697, 674, 729),
    (0.05193514, 705, 703, 680, 736),
]
README_SHIFT = 626 - 537


@pytest.fixture(scope="module")
def my5() -> CaptureTable:
    return CaptureTable.read_csv(BAYES_DIR / "dga_MY1997_5lists.csv")


@pytest.fixture(scope="module")
def readme_fit(my5: CaptureTable) -> DGAResult:
    return DGA(delta=0.5, n_missing=np.arange(1, 301), seed=1).fit(my5)


def test_reproduces_dga_readme_model_probabilities(readme_fit: DGAResult) -> None:
    top = readme_fit.model_weights.head(5)
    expected = [row[0] for row in README_TOP5]
    np.testing.assert_allclose(top["probability"], expected, atol=5e-9)


def test_reproduces_dga_readme_model_summaries(readme_fit: DGAResult) -> None:
    top = readme_fit.model_weights.head(5)
    for (_, _, mode, lower, upper), (_, row) in zip(
        README_TOP5, top.iterrows(), strict=True
    ):
        assert row["mode"] + README_SHIFT == mode
        assert row["lower"] + README_SHIFT == lower
        assert row["upper"] + README_SHIFT == upper
    # Bayes estimates need each model's own posterior on the README's grid
    fit = readme_fit
    graphs = decomposable_graphs(5)
    grid = np.arange(1.0, 301.0)
    counts = CaptureTable.read_csv(BAYES_DIR / "dga_MY1997_5lists.csv").full_counts()
    rows = log_joint_posterior(
        counts,
        grid,
        0.5,
        graph_coefficients(tuple(graphs[i] for i in fit.model_weights["graph"][:5]), 5),
        -np.log(537 + grid),
    )
    for row, expected in zip(rows, README_TOP5, strict=True):
        probs = np.exp(row - row.max())
        assert round(bayes_estimator(626 + grid, probs / probs.sum())) == expected[1]


def test_saturated_and_independence_models_match_closed_forms(
    my5: CaptureTable,
) -> None:
    """The graph formula against direct Dirichlet-multinomial marginals."""
    table = CaptureTable.read_csv(BAYES_DIR / "dga_MY1997_3lists.csv")
    y = table.full_counts().astype(float)
    n = y.sum()
    delta = 0.7
    grid = np.array([0.0, 50.0, 400.0])
    graphs = decomposable_graphs(3)
    ours = log_joint_posterior(
        table.full_counts(), grid, delta, graph_coefficients(graphs, 3), 0 * grid
    )
    log_multinomial = (
        gammaln(n + grid + 1) - gammaln(grid + 1) - gammaln(y[1:] + 1).sum()
    )
    for k, n0 in enumerate(grid):
        cells = y.copy()
        cells[0] = n0
        total = n + n0
        # saturated: one Dirichlet(delta) over the 8 cells
        saturated = (
            gammaln(8 * delta)
            - gammaln(total + 8 * delta)
            + np.sum(gammaln(cells + delta) - gammaln(delta))
        )
        assert ours[-1, k] == pytest.approx(saturated + log_multinomial[k])
        # independence: one Beta(4 delta, 4 delta) per list
        pattern = (np.arange(8)[:, None] >> np.array([2, 1, 0])) & 1
        independent = 0.0
        for j in range(3):
            on = cells[pattern[:, j] == 1].sum()
            independent += (
                gammaln(8 * delta)
                - gammaln(total + 8 * delta)
                + gammaln(on + 4 * delta)
                + gammaln(total - on + 4 * delta)
                - 2 * gammaln(4 * delta)
            )
        assert ours[0, k] == pytest.approx(independent + log_multinomial[k])


def test_result_protocol_and_reproducible_draws(my5: CaptureTable) -> None:
    first = DGA(seed=4).fit(my5)
    again = DGA(seed=4).fit(my5)
    other = DGA(seed=5).fit(my5)
    np.testing.assert_array_equal(first.draws, again.draws)
    assert not np.array_equal(first.draws, other.draws)
    assert first.probabilities.sum() == pytest.approx(1.0)
    assert first.model_weights["probability"].sum() == pytest.approx(1.0)
    assert len(first.model_weights) == 822
    lower, upper = first.interval(0.95)
    assert lower < first.estimate < upper
    # draws follow the exact posterior
    assert np.median(first.draws) == pytest.approx(first.estimate, abs=3)
    assert first.diagnostics["delta"] == 2.0**-5
    assert first.diagnostics["tail_mass"] < 1e-6
    assert first.to_dict()["method"] == "dga"
    assert "dga" in first.summary().as_text()
    idata = first.to_inference_data()
    np.testing.assert_array_equal(idata.posterior["N"].values[0], first.draws)


def test_custom_prior_matches_default(my5: CaptureTable) -> None:
    default = DGA(seed=1).fit(my5)
    same = DGA(seed=1, prior=lambda n: -np.log(n)).fit(my5)
    np.testing.assert_allclose(default.probabilities, same.probabilities)
    uniform = DGA(seed=1, prior="uniform").fit(my5)
    assert uniform.estimate >= default.estimate


def test_registered_and_refuses_chain_options(my5: CaptureTable) -> None:
    factory = get_method("dga")
    assert isinstance(factory(seed=1, samples=100, K=None, burnin=None), DGA)
    with pytest.raises(UserInputError, match="lcmcr only"):
        factory(seed=1, K=10).fit(my5)
    with pytest.raises(UserInputError, match="unknown option"):
        factory(delt=0.5).fit(my5)


def test_list_counts_are_checked() -> None:
    hiv = CaptureTable.read_csv(BAYES_DIR / "Rcapture_HIV.csv")
    with pytest.raises(UserInputError, match="at least 3 lists"):
        DGA().fit(hiv.select_lists(["c1", "c2"]))


def test_warns_on_lists_that_never_overlap() -> None:
    western = CaptureTable.read_csv(BAYES_DIR / "SparseMSE_Western.csv")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UndercountWarning)
        result = DGA(seed=1).fit(western)
    assert any(issubclass(w.category, SparseCellsWarning) for w in caught)
    assert any("never overlap" in text for text in result.warnings)
