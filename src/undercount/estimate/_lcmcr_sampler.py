"""The compiled Gibbs sampler of the LCMCR model (numba, aggregated pattern counts).

Model (Manrique-Vallier 2016): each person belongs to one of ``K`` latent classes
with stick-breaking weights ``nu`` (a truncated Dirichlet process with concentration
``alpha ~ Gamma(a_alpha, b_alpha)``); given the class ``k``, the lists record the
person independently with probabilities ``lambda[j, k] ~ Beta(1, 1)``. The prior on
the population size is ``p(N) ∝ 1/N``. The sampler augments the data with the ``n0``
people no list recorded and their classes.

Why aggregated: people with the same capture pattern are exchangeable, so instead of
one class draw per person we draw, for each observed pattern, how many of its people
fall in each class (one multinomial per pattern). The cost of a sweep then depends on
the number of distinct patterns (at most ``2**J - 1``), not on ``n``.

One Gibbs sweep draws from these full conditionals in turn:

1. class counts per observed pattern ``m``: Multinomial(``count[m]``,
   ``w[m, k] ∝ nu[k] * prod_j lambda[j, k]^x[m, j] (1 - lambda[j, k])^(1 - x[m, j])``);
2. ``lambda[j, k] ~ Beta(1 + recorded_jk, 1 + size_k - recorded_jk)``, the class
   sizes counting the unobserved people too;
3. stick breaking ``V_k ~ Beta(1 + size_k, alpha + sum_{l > k} size_l)``, ``k < K``,
   ``nu[k] = V_k prod_{l < k} (1 - V_l)``, on the log scale;
4. ``n0 ~ NegBin(n, 1 - p0)`` (failures before ``n`` successes) with
   ``p0 = sum_k nu[k] prod_j (1 - lambda[j, k])``: the full conditional of ``n0``
   under ``p(N) ∝ 1/N`` once the classes of the unobserved are integrated out;
5. classes of the unobserved: Multinomial(``n0``, ``nu[k] prod_j (1 - lambda[j, k])``);
6. ``alpha ~ Gamma(a_alpha + K - 1, rate = b_alpha - log nu[K - 1])``.

Speed: the multinomials dominate. They are drawn as conditional binomials over the
classes sorted by weight, finishing with categorical draws once few people remain;
binomials use inversion for small means and Hörmann's BTRS otherwise (exact
samplers, checked against the binomial probabilities in the tests). Uniforms come
from an inlined xoshiro256+ and normals from the numpy ``Generator``, both seeded by
the caller for each chain. Every helper is inlined into the sweep.

This module imports numba: import it lazily (on the first fit), never from a package
``__init__``. Compiled code is cached on disk (``cache=True``; keep every jitted
function of the sampler in this one file, since numba's cache only watches the file
of the entry point); ``nogil=True`` lets chains run in parallel threads.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit

WARMUP_SWEEPS = 500
"""Sweeps run before the burn-in, with the concentration fixed at WARMUP_ALPHA."""
WARMUP_ALPHA = 0.05
_CATEGORICAL_PER_CLASS = 1
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
_TWO_POW_MINUS_53 = 1.0 / 9007199254740992.0

_jit = njit(cache=True, nogil=True, inline="always")


# ---------------------------------------------------------------- uniform numbers
@_jit
def _uniform(state: npt.NDArray[np.uint64]) -> float:
    """Uniform on [0, 1) from xoshiro256+ (Blackman & Vigna 2018), state of 4 words.

    About three times cheaper per draw than ``Generator.random`` inside the sweep,
    which consumes millions of uniforms per second.
    """
    s0 = state[0]
    s1 = state[1]
    s2 = state[2]
    s3 = state[3]
    result = s0 + s3
    shifted = s1 << np.uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= shifted
    s3 = (s3 << np.uint64(45)) | (s3 >> np.uint64(19))
    state[0] = s0
    state[1] = s1
    state[2] = s2
    state[3] = s3
    return float(result >> np.uint64(11)) * _TWO_POW_MINUS_53


@_jit
def _uniform_positive(state: npt.NDArray[np.uint64]) -> float:
    """Uniform on (0, 1]: safe to take the log of."""
    return 1.0 - _uniform(state)


# -------------------------------------------------------------- binomial numbers
@njit(cache=True, nogil=True)
def _stirling_tail(k: float) -> float:
    """``log(k!) - [(k + 1/2) log(k + 1) - (k + 1) + log(2 pi) / 2]``.

    The remainder of Stirling's formula for ``log Gamma(k + 1)``: exact (lgamma)
    for small ``k``, its asymptotic series beyond.
    """
    if k < 10.0:
        return math.lgamma(k + 1.0) - (
            (k + 0.5) * math.log(k + 1.0) - (k + 1.0) + _HALF_LOG_2PI
        )
    kp1 = k + 1.0
    kp1sq = kp1 * kp1
    return (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / 1260.0 / kp1sq) / kp1sq) / kp1


@_jit
def _binomial_inversion(state: npt.NDArray[np.uint64], n: int, p: float) -> int:
    """Binomial(n, p) by sequential inversion; for small ``n p`` and ``p <= 1/2``."""
    u = _uniform(state)
    if u <= 1.0 - n * p:
        # X = 0 iff u <= q**n, and q**n >= 1 - n p (Bernoulli's inequality): the
        # usual outcome for light classes, decided without computing the power
        return 0
    q = 1.0 - p
    ratio = p / q
    a = (n + 1) * ratio
    prob = q**n
    x = 0
    while u > prob:
        u -= prob
        x += 1
        if x > n:  # rounding left a sliver of mass: draw again
            u = _uniform(state)
            x = 0
            prob = q**n
            continue
        prob *= a / x - ratio
    return x


@_jit
def _binomial_btrs(state: npt.NDArray[np.uint64], n: int, p: float) -> int:
    """Binomial(n, p), ``n p >= 10``, ``p <= 1/2``: transformed rejection with squeeze.

    Hörmann (1993), J. Statist. Comput. Simul. 46:101-110. Most draws are accepted
    by the squeeze; the exact test uses the pmf ratio ``f(k) / f(mode)``, by the
    recursion ``f(i) / f(i - 1) = (n - i + 1) p / (i q)`` near the mode and by
    Stirling's formula with remainders further out.
    """
    q = 1.0 - p
    spq = math.sqrt(n * p * q)
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    v_r = 0.92 - 4.2 / b
    alpha = (2.83 + 5.1 / b) * spq
    mode = math.floor((n + 1) * p)
    while True:
        u = _uniform(state) - 0.5
        v = _uniform(state)
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + c)
        if us >= 0.07 and v <= v_r:
            return k
        if k < 0 or k > n:
            continue
        v *= alpha / (a / (us * us) + b)
        if abs(k - mode) <= 15:
            ratio = p / q
            f = 1.0
            if k > mode:
                for i in range(mode + 1, k + 1):
                    f *= (n - i + 1) * ratio / i
            else:
                for i in range(k + 1, mode + 1):
                    v *= (n - i + 1) * ratio / i
            if v <= f:
                return k
            continue
        log_r = math.log(p / q)
        bound = (
            (mode + 0.5) * (math.log((mode + 1.0) / (n - mode + 1.0)) - log_r)
            + (n + 1.0) * math.log((n - mode + 1.0) / (n - k + 1.0))
            + (k + 0.5) * (log_r + math.log((n - k + 1.0) / (k + 1.0)))
            + _stirling_tail(mode)
            + _stirling_tail(n - mode)
            - _stirling_tail(k)
            - _stirling_tail(n - k)
        )
        if v > 0.0 and math.log(v) <= bound:
            return k


@_jit
def binomial(state: npt.NDArray[np.uint64], n: int, p: float) -> int:
    """Exact Binomial(n, p) draw (``0 <= p <= 1``)."""
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    if p > 0.5:
        q = 1.0 - p
        if n * q < 10.0:
            return n - _binomial_inversion(state, n, q)
        return n - _binomial_btrs(state, n, q)
    if n * p < 10.0:
        return _binomial_inversion(state, n, p)
    return _binomial_btrs(state, n, p)


@_jit
def multinomial(
    state: npt.NDArray[np.uint64],
    n: int,
    weights: npt.NDArray[np.float64],
    suffix: npt.NDArray[np.float64],
    out: npt.NDArray[np.int64],
) -> None:
    """Draw Multinomial(``n``, weights / sum(weights)) into ``out``.

    Conditional binomials (class ``k`` given the classes before it) until few people
    remain for the classes left, then one categorical draw per person. Fastest when
    ``weights`` are in decreasing order. ``suffix`` is scratch space.
    """
    size = weights.shape[0]
    total = 0.0
    for k in range(size - 1, -1, -1):
        total += weights[k]
        suffix[k] = total
        out[k] = 0
    remaining = n
    for k in range(size):
        if remaining <= 0:
            return
        if k == size - 1 or remaining <= _CATEGORICAL_PER_CLASS * (size - k):
            for _ in range(remaining):
                u = _uniform(state) * suffix[k]
                acc = 0.0
                chosen = k
                for kk in range(k, size):
                    if weights[kk] > 0.0:
                        chosen = kk  # last class with mass: guards rounding
                    acc += weights[kk]
                    if u < acc:
                        break
                out[chosen] += 1
            return
        if suffix[k] <= 0.0:
            out[k] = remaining
            return
        x = binomial(state, remaining, weights[k] / suffix[k])
        out[k] = x
        remaining -= x


# ---------------------------------------------------------- gamma and beta numbers
@_jit
def _gamma_variate(
    rng: np.random.Generator, state: npt.NDArray[np.uint64], shape: float
) -> float:
    """Gamma(shape, 1) for ``shape >= 1``: Marsaglia & Tsang (2000), squeeze first."""
    d = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        x = rng.standard_normal()
        t = 1.0 + c * x
        if t <= 0.0:
            continue
        v = t * t * t
        u = _uniform_positive(state)
        x2 = x * x
        if u < 1.0 - 0.0331 * x2 * x2:
            return d * v
        if math.log(u) < 0.5 * x2 + d * (1.0 - v + math.log(v)):
            return d * v


@_jit
def _log_gamma_variate(
    rng: np.random.Generator, state: npt.NDArray[np.uint64], shape: float
) -> float:
    """``log(G)`` for ``G ~ Gamma(shape, 1)``, accurate for tiny shapes.

    For ``shape < 1``, ``G = G' U^(1/shape)`` with ``G' ~ Gamma(shape + 1)``: the log
    avoids the underflow of ``G`` itself (small concentrations make such shapes).
    """
    if shape < 1.0:
        log_u = math.log(_uniform_positive(state))
        return math.log(_gamma_variate(rng, state, shape + 1.0)) + log_u / shape
    return math.log(_gamma_variate(rng, state, shape))


@_jit
def _sample_sticks(
    rng: np.random.Generator,
    state: npt.NDArray[np.uint64],
    sizes: npt.NDArray[np.int64],
    alpha: float,
    log_nu: npt.NDArray[np.float64],
    nu: npt.NDArray[np.float64],
) -> None:
    """Stick-breaking weights given the class sizes and the concentration."""
    n_classes = sizes.shape[0]
    rest = 0
    for k in range(n_classes):
        rest += sizes[k]
    log_remaining = 0.0  # log prod_{l < k} (1 - V_l)
    for k in range(n_classes - 1):
        rest -= sizes[k]
        b = alpha + rest
        if sizes[k] == 0:
            # V ~ Beta(1, b): 1 - V = U^(1/b) exactly, from one uniform
            log_one_minus_v = math.log(_uniform_positive(state)) / b
            log_v = (
                math.log(-math.expm1(log_one_minus_v))
                if log_one_minus_v < 0.0
                else -np.inf
            )
        else:
            g1 = _log_gamma_variate(rng, state, 1.0 + sizes[k])
            g2 = _log_gamma_variate(rng, state, b)
            top = max(g1, g2)
            log_sum = top + math.log(math.exp(g1 - top) + math.exp(g2 - top))
            log_v = g1 - log_sum
            log_one_minus_v = g2 - log_sum
        log_nu[k] = log_v + log_remaining
        nu[k] = math.exp(log_nu[k])
        log_remaining += log_one_minus_v
    log_nu[n_classes - 1] = log_remaining
    nu[n_classes - 1] = math.exp(log_remaining)


@_jit
def _order_by_weight(nu: npt.NDArray[np.float64], order: npt.NDArray[np.int64]) -> None:
    """Class indices by decreasing weight (insertion sort: ``K`` is small)."""
    n_classes = nu.shape[0]
    for i in range(n_classes):
        order[i] = i
    for i in range(1, n_classes):
        current = order[i]
        pos = i
        while pos > 0 and nu[order[pos - 1]] < nu[current]:
            order[pos] = order[pos - 1]
            pos -= 1
        order[pos] = current


# ------------------------------------------------------------------- the chain
@njit(cache=True, nogil=True)
def run_chain(
    rng: np.random.Generator,
    state: npt.NDArray[np.uint64],
    patterns: npt.NDArray[np.uint8],
    freqs: npt.NDArray[np.int64],
    n_classes: int,
    a_alpha: float,
    b_alpha: float,
    burnin: int,
    samples: int,
    thinning: int,
    out_n: npt.NDArray[np.int64],
    out_alpha: npt.NDArray[np.float64],
    out_occupied: npt.NDArray[np.int64],
) -> None:
    """Run one chain; write ``samples`` thinned draws of N, alpha and occupied classes.

    Parameters
    ----------
    rng, state
        The chain's own numpy generator (normal draws) and xoshiro256+ state (four
        non-zero-in-total uint64 words, uniform draws): its only randomness.
    patterns, freqs
        Observed patterns (``M x J``, 0/1) and their counts (all positive).
    n_classes
        Truncation level ``K`` of the Dirichlet process.
    a_alpha, b_alpha
        Shape and rate of the Gamma prior on the concentration ``alpha``.
    burnin, samples, thinning
        Sweeps discarded (after the warm-up), draws kept, sweeps per kept draw.
    out_n, out_alpha, out_occupied
        Preallocated outputs of length ``samples`` (memory is flat in iterations).
    """
    n_cells = patterns.shape[0]
    n_lists = patterns.shape[1]
    n_obs = 0
    for m in range(n_cells):
        n_obs += freqs[m]

    lam = np.empty((n_lists, n_classes))
    nu = np.empty(n_classes)
    log_nu = np.empty(n_classes)
    weights = np.empty(n_classes)
    suffix = np.empty(n_classes)
    miss_prob = np.empty(n_classes)
    order = np.arange(n_classes)
    draw = np.zeros(n_classes, dtype=np.int64)
    sizes = np.zeros(n_classes, dtype=np.int64)
    observed_sizes = np.zeros(n_classes, dtype=np.int64)
    zero_class = np.zeros(n_classes, dtype=np.int64)
    recorded = np.zeros((n_lists, n_classes), dtype=np.int64)

    # Start: capture probabilities near each list's share of the observed people,
    # jittered per chain; most weight on one class and nobody unobserved. The
    # warm-up with a small fixed concentration then opens only the classes the data
    # ask for: started with many occupied classes, the sampler can take 10^5 sweeps
    # to empty the superfluous ones (a transient, seen on the HIV table).
    for j in range(n_lists):
        share = 0.0
        for m in range(n_cells):
            if patterns[m, j] == 1:
                share += freqs[m]
        share /= n_obs
        for k in range(n_classes):
            value = share * (0.8 + 0.4 * _uniform(state))
            lam[j, k] = min(max(value, 0.02), 0.98)
    for k in range(n_classes):
        nu[k] = 0.1 / (n_classes - 1) if k > 0 else 0.9
        log_nu[k] = math.log(nu[k])
    alpha = WARMUP_ALPHA
    n0 = 0

    first_kept = WARMUP_SWEEPS + burnin
    kept = 0
    for sweep in range(first_kept + samples * thinning):
        # 1. classes of the observed people, pattern by pattern, heaviest class first
        _order_by_weight(nu, order)
        for k in range(n_classes):
            observed_sizes[k] = 0
            for j in range(n_lists):
                recorded[j, k] = 0
        for m in range(n_cells):
            for i in range(n_classes):
                k = order[i]
                w = nu[k]
                for j in range(n_lists):
                    w *= lam[j, k] if patterns[m, j] == 1 else 1.0 - lam[j, k]
                weights[i] = w
            multinomial(state, freqs[m], weights, suffix, draw)
            for i in range(n_classes):
                c = draw[i]
                if c > 0:
                    k = order[i]
                    observed_sizes[k] += c
                    for j in range(n_lists):
                        if patterns[m, j] == 1:
                            recorded[j, k] += c
        # 2. capture probabilities; Beta(1, 1) = uniform for an empty class
        for k in range(n_classes):
            sizes[k] = observed_sizes[k] + zero_class[k]
            for j in range(n_lists):
                if sizes[k] == 0:
                    lam[j, k] = _uniform(state)
                else:
                    x = _gamma_variate(rng, state, 1.0 + recorded[j, k])
                    y = _gamma_variate(rng, state, 1.0 + sizes[k] - recorded[j, k])
                    lam[j, k] = x / (x + y)
        # 3. class weights
        _sample_sticks(rng, state, sizes, alpha, log_nu, nu)
        # 4. number of people no list recorded
        _order_by_weight(nu, order)
        p0 = 0.0
        for i in range(n_classes):
            k = order[i]
            q = nu[k]
            for j in range(n_lists):
                q *= 1.0 - lam[j, k]
            miss_prob[i] = q
            p0 += q
        n0 = rng.negative_binomial(n_obs, max(1.0 - p0, 1e-300))
        # 5. classes of the unobserved
        multinomial(state, n0, miss_prob, suffix, draw)
        for i in range(n_classes):
            zero_class[order[i]] = draw[i]
        # 6. concentration (held fixed during the warm-up)
        if sweep >= WARMUP_SWEEPS:
            rate = b_alpha - log_nu[n_classes - 1]
            alpha = rng.gamma(a_alpha + n_classes - 1.0, 1.0 / rate)

        if sweep >= first_kept and (sweep - first_kept + 1) % thinning == 0:
            occupied = 0
            for k in range(n_classes):
                if observed_sizes[k] + zero_class[k] > 0:
                    occupied += 1
            out_n[kept] = n_obs + n0
            out_alpha[kept] = alpha
            out_occupied[kept] = occupied
            kept += 1
