"""The IRLS engines: the batched lattice fit equals one-at-a-time fits."""

from __future__ import annotations

import numpy as np
import pytest

from undercount.estimate._fast_batch import fit_masks_batch, subset_sums, superset_sums
from undercount.estimate._glm import fit_poisson
from undercount.estimate._hierarchical import design_for, enumerate_models
from undercount.estimate._search import term_mask


def test_zeta_transforms_match_brute_force() -> None:
    rng = np.random.default_rng(5)
    values = rng.normal(size=(2, 16))
    sup = superset_sums(values, 4)
    sub = subset_sums(values, 4)
    for mask in range(16):
        supersets = [c for c in range(16) if c & mask == mask]
        subsets = [c for c in range(16) if c & mask == c]
        np.testing.assert_allclose(sup[:, mask], values[:, supersets].sum(axis=1))
        np.testing.assert_allclose(sub[:, mask], values[:, subsets].sum(axis=1))


@pytest.mark.parametrize("name", ["Rcapture_diabetes", "SparseMSE_Western"])
def test_batched_lattice_fit_equals_single_fits(mse_table, name: str) -> None:
    table = mse_table(name)
    n_lists = table.n_lists
    y = table.full_counts()[1:].astype(float)
    models = list(enumerate_models(n_lists, 2))[:40:3]
    for size in sorted({len(m) for m in models}):
        group = [m for m in models if len(m) == size]
        masks = np.array(
            [
                [0, *(term_mask((j,), n_lists) for j in range(n_lists))]
                + [term_mask(t, n_lists) for t in m]
                for m in group
            ],
            dtype=np.int64,
        ).reshape(len(group), 1 + n_lists + size)
        batch = fit_masks_batch(y, n_lists, masks)
        for k, model in enumerate(group):
            single = fit_poisson(y, design_for(n_lists, model))
            assert batch.deviance[k] == pytest.approx(
                single.deviance, rel=1e-6, abs=1e-6
            )
            assert np.exp(batch.coef[k, 0]) == pytest.approx(
                np.exp(single.coef[0]), rel=1e-5
            )
            assert batch.intercept_variance[k] == pytest.approx(
                single.coef_variance(0), rel=1e-4
            )
