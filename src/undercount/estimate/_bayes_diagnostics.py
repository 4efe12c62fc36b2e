"""Convergence diagnostics for MCMC draws: rank-normalised R-hat and effective sizes.

The definitions are those of Vehtari, Gelman, Simpson, Carpenter and Bürkner (2021),
"Rank-normalization, folding, and localization: an improved R-hat for assessing
convergence of MCMC", Bayesian Analysis 16(2):667-718, which Stan and ArviZ report.
They are computed here with numpy and scipy, rather than through ArviZ, because
importing ArviZ takes seconds and every LCMCR fit needs the diagnostics; the tests
check that the figures agree with ArviZ's.

All functions take draws shaped ``(chains, draws_per_chain)``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import special, stats

FloatArray = npt.NDArray[np.float64]


def _split_chains(draws: npt.ArrayLike) -> FloatArray:
    """Each chain cut in two halves (the middle draw dropped when the length is odd).

    Splitting lets R-hat see a trend within a chain, not only between chains.
    """
    array = np.atleast_2d(np.asarray(draws, dtype=np.float64))
    length = array.shape[1]
    half = length // 2
    return np.concatenate([array[:, :half], array[:, length - half :]], axis=0)


def _rank_normalise(draws: FloatArray) -> FloatArray:
    """Normal scores of the pooled ranks (ties share their average rank)."""
    ranks = stats.rankdata(draws, method="average").reshape(draws.shape)
    total = draws.size
    return np.asarray(special.ndtri((ranks - 0.375) / (total + 0.25)), dtype=float)


def _basic_rhat(draws: FloatArray) -> float:
    """Gelman-Rubin potential scale reduction of chains ``(m, n)``."""
    n = draws.shape[1]
    within = float(np.mean(np.var(draws, axis=1, ddof=1)))
    between = n * float(np.var(np.mean(draws, axis=1), ddof=1))
    if within == 0.0:
        return float("nan") if between == 0.0 else float("inf")
    pooled = (n - 1) / n * within + between / n
    return float(np.sqrt(pooled / within))


def rhat(draws: npt.ArrayLike) -> float:
    """Rank-normalised split R-hat: the larger of the bulk and the folded (tail) one.

    Values above 1.01 mean the chains have not mixed: do not trust the summary.
    Returns ``nan`` for constant draws or chains too short to split.
    """
    split = _split_chains(draws)
    if split.shape[1] < 2 or np.ptp(split) == 0.0:
        return float("nan")
    bulk = _basic_rhat(_rank_normalise(split))
    folded = _basic_rhat(_rank_normalise(np.abs(split - np.median(split))))
    return max(bulk, folded)


def _autocovariance(chain: FloatArray) -> FloatArray:
    """Biased autocovariance of one chain at every lag, by FFT."""
    n = chain.size
    centred = chain - chain.mean()
    size = 1 << int(np.ceil(np.log2(2 * n)))
    spectrum = np.fft.rfft(centred, n=size)
    acov = np.fft.irfft(spectrum * np.conj(spectrum), n=size)[:n]
    return np.asarray(acov / n, dtype=float)


def _ess_of(draws: FloatArray) -> float:
    """Effective sample size of chains ``(m, n)`` (Geyer's initial monotone sequence).

    Autocorrelations are combined across chains with the between-chain variance,
    summed in adjacent pairs while the pair sums stay positive, and the pair sums
    are made non-increasing before the integrated time is formed.
    """
    m, n = draws.shape
    if n < 4 or np.ptp(draws) == 0.0:
        return float("nan")
    acov = np.stack([_autocovariance(chain) for chain in draws])
    chain_var = acov[:, 0] * n / (n - 1)
    within = float(chain_var.mean())
    pooled = within * (n - 1) / n
    if m > 1:
        pooled += float(np.var(draws.mean(axis=1), ddof=1))
    rho = 1.0 - (within - acov.mean(axis=0)) / pooled
    rho[0] = 1.0
    # pair sums Gamma_k = rho_{2k} + rho_{2k+1}, kept while positive
    n_pairs = (n - 1) // 2
    pairs = rho[0 : 2 * n_pairs : 2] + rho[1 : 2 * n_pairs : 2]
    negative = np.flatnonzero(pairs <= 0.0)
    pairs = pairs[: negative[0]] if negative.size else pairs
    pairs = np.minimum.accumulate(pairs)
    tau = -1.0 + 2.0 * float(pairs.sum())
    total = m * n
    tau = max(tau, 1.0 / np.log10(total))
    return float(total / tau)


def ess_bulk(draws: npt.ArrayLike) -> float:
    """Bulk effective sample size: of the rank-normalised split chains.

    How many independent draws the chains are worth for the centre of the
    posterior (median, mean); 400 or more is the usual bar.
    """
    split = _split_chains(draws)
    if split.shape[1] < 4:
        return float("nan")
    return _ess_of(_rank_normalise(split))


def ess_tail(draws: npt.ArrayLike) -> float:
    """Tail effective sample size: the smaller of those of the 5% and 95% quantiles.

    The relevant figure for interval end points.
    """
    split = _split_chains(draws)
    if split.shape[1] < 4:
        return float("nan")
    low, high = np.quantile(split, [0.05, 0.95])
    return min(
        _ess_of((split <= low).astype(float)),
        _ess_of((split <= high).astype(float)),
    )


def quantile_mcse(draws: npt.ArrayLike, prob: float) -> float:
    """Monte Carlo standard error of the ``prob`` quantile of the draws.

    From the effective sample size of the indicator ``draw <= quantile`` and the
    binomial interval of its mean, mapped back through the empirical quantiles
    (Vehtari et al. 2021, section 4.3): half the width of the mapped +-1 sd band.
    """
    split = _split_chains(draws)
    if split.shape[1] < 4:
        return float("nan")
    pooled = np.sort(split.ravel())
    point = np.quantile(pooled, prob)
    ess = _ess_of((split <= point).astype(float))
    if not np.isfinite(ess) or ess <= 0:
        return float("nan")
    beta = stats.beta
    a = float(prob * ess + 1.0)
    b = float((1.0 - prob) * ess + 1.0)
    p_low, p_high = beta.ppf([0.1586553, 0.8413447], a, b)
    total = pooled.size
    low = pooled[max(int(np.floor(p_low * total)) - 1, 0)]
    high = pooled[min(int(np.ceil(p_high * total)) - 1, total - 1)]
    return float((high - low) / 2.0)
