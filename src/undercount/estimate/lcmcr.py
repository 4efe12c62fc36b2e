"""LCMCR: Bayesian latent-class capture-recapture (Manrique-Vallier 2016).

People differ in how likely each list is to record them, and lists can be dependent
once those differences are averaged over. LCMCR models both with a mixture of
latent classes: within a class the lists record people independently, each list
with its own class-specific probability; the number of classes that matter is
learnt from the data through a (truncated) Dirichlet-process prior. The posterior
of the population size ``N`` is explored by a Gibbs sampler with data augmentation
(the people no list recorded are imputed at every sweep).

Priors, as the reference R package ``LCMCR`` (and its paper): ``K`` latent classes
in a truncated stick-breaking process with concentration ``alpha ~ Gamma(a_alpha,
b_alpha)``, ``a_alpha = b_alpha = 0.25``; capture probabilities ``Beta(1, 1)``;
``p(N) ∝ 1/N``. ``K`` defaults to ``min(2**J - 1, 15)``; a larger ``K`` only matters
if the posterior puts people in nearly all of the classes.

Assumptions: a closed population (everyone in the population could have been
listed, nobody listed is outside it), perfect linkage, and dependence between lists
that a mixture of independent-list classes can represent. The unobserved people are
extrapolated from the classes seen on the lists: a group that no list reaches at
all cannot be inferred by any method.

References
----------
Manrique-Vallier, D. (2016). Bayesian population size estimation using Dirichlet
process mixtures. Biometrics 72(4), 1246-1254.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from undercount.errors import BoundaryEstimateWarning, UserInputError
from undercount.estimate._base import register_method
from undercount.estimate._bayes_result import (
    BayesianResult,
    chain_diagnostics,
    convergence_messages,
    read_only,
)
from undercount.estimate._guards import (
    overlap_messages,
    require_lists,
    require_unstratified,
)
from undercount.estimate._messages import emit
from undercount.model.capture_table import CaptureTable

__all__ = ["LCMCR", "LCMCRResult", "default_classes"]

DEFAULT_BURNIN = 10_000
DEFAULT_SAMPLES = 1_000
DEFAULT_THINNING = 100
DEFAULT_CHAINS = 2
MAX_DEFAULT_CLASSES = 15


def default_classes(n_lists: int) -> int:
    """Practitioners' default truncation: ``min(2**J - 1, 15)`` latent classes."""
    return int(min(2**n_lists - 1, MAX_DEFAULT_CLASSES))


@dataclass(frozen=True, eq=False, repr=False)
class LCMCRResult(BayesianResult):
    """Posterior of the population size under LCMCR (immutable).

    Attributes
    ----------
    estimate
        Posterior median of ``N``.
    chain_draws
        ``(chains, samples)`` thinned posterior draws of ``N`` (read-only).
    alpha_draws, occupied_draws
        Matching draws of the concentration and of the number of occupied classes.
    diagnostics
        Settings (``K``, ``burnin``, ``samples``, ``thinning``, ``chains``,
        ``seed_entropy``), convergence (``rhat``, ``ess_bulk``, ``ess_tail``, Monte
        Carlo errors of the median and interval ends), speed and posterior summaries.

    The interval is equal-tailed, from the draws.
    """

    chain_draws: npt.NDArray[np.int64] = field(repr=False)
    alpha_draws: npt.NDArray[np.float64] = field(repr=False)
    occupied_draws: npt.NDArray[np.int64] = field(repr=False)

    @property
    def draws(self) -> npt.NDArray[np.int64]:
        """All thinned posterior draws of ``N``, chains one after the other."""
        return self.chain_draws.reshape(-1)

    def quantile(self, p: float) -> float:
        """Posterior quantile of ``N`` (linear interpolation, R's type 7)."""
        return float(np.quantile(self.draws, p))

    def quantiles(self, probs: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Posterior quantiles of ``N`` (linear interpolation, R's type 7)."""
        points = np.asarray(probs, dtype=np.float64)
        return np.asarray(np.quantile(self.draws.astype(np.float64), points))

    def posterior_arrays(self) -> dict[str, npt.NDArray[Any]]:
        """Posterior ``N``, ``alpha`` and ``occupied_classes`` by chain."""
        return {
            "N": self.chain_draws,
            "alpha": self.alpha_draws,
            "occupied_classes": self.occupied_draws,
        }

    def inference_attrs(self) -> dict[str, Any]:
        """Method, lists, settings and diagnostics (seed entropy as text)."""
        attrs = super().inference_attrs()
        attrs.update(
            {k: v for k, v in self.diagnostics.items() if not isinstance(v, dict)}
        )
        attrs["seed_entropy"] = str(self.diagnostics.get("seed_entropy"))
        return attrs

    def repr_details(self) -> str:
        """The number of draws."""
        return f"draws={self.draws.size}"


@dataclass(eq=False)
class LCMCR:
    """Latent-class (Dirichlet-process mixture) Bayesian population-size estimator.

    Parameters
    ----------
    K
        Number of latent classes (truncation of the Dirichlet process); ``K = 1``
        is the model of independent lists with equal capture probabilities.
        Default ``min(2**J - 1, 15)`` for ``J`` lists.
    burnin
        Gibbs sweeps discarded at the start of each chain (after a fixed 500-sweep
        warm-up). Default 10,000.
    samples
        Posterior draws kept per chain. Default 1,000.
    thinning
        Sweeps per kept draw. Default 100.
    chains
        Independent chains, run in parallel threads. Default 2 (R-hat needs > 1).
    seed
        Seed of the whole fit; the same seed gives identical draws. ``None`` draws
        fresh entropy, reported as ``diagnostics["seed_entropy"]``.
    a_alpha, b_alpha
        Shape and rate of the Gamma prior on the concentration. Default 0.25, 0.25.
    workers
        Threads to use (default: one per CPU, at most ``chains``).

    ``None`` for any option means its default (the CLI passes unset options so).

    Examples
    --------
    >>> from undercount.model import CaptureTable
    >>> table = CaptureTable.read_csv("captures.csv")  # doctest: +SKIP
    >>> result = LCMCR(K=10, seed=1).fit(table)  # doctest: +SKIP
    >>> result.estimate, result.interval(0.95)  # doctest: +SKIP
    """

    K: int | None = None  # the name practitioners use
    _: KW_ONLY
    burnin: int | None = None
    samples: int | None = None
    thinning: int | None = None
    chains: int | None = None
    seed: int | None = None
    a_alpha: float | None = None
    b_alpha: float | None = None
    workers: int | None = None

    def fit(self, table: CaptureTable) -> LCMCRResult:
        """Sample the posterior of ``N`` for an unstratified capture table.

        Raises
        ------
        UserInputError
            A stratified table, fewer than 3 lists that recorded someone, or an
            option out of range.

        Warns
        -----
        ConvergenceWarning
            R-hat of ``N`` above 1.01 or an effective sample size below 400.
        SparseCellsWarning
            Two lists that never overlap.
        """
        require_unstratified(table, "lcmcr")
        require_lists(table, "lcmcr", 3)
        options = self._options(table.n_lists)
        seed_sequence = np.random.SeedSequence(options["seed"])

        from undercount.estimate._lcmcr_chains import ChainSettings, run_chains

        settings = ChainSettings(
            n_classes=options["K"],
            a_alpha=options["a_alpha"],
            b_alpha=options["b_alpha"],
            burnin=options["burnin"],
            samples=options["samples"],
            thinning=options["thinning"],
        )
        run = run_chains(
            table.patterns,
            table.counts,
            settings,
            chains=options["chains"],
            seed_sequence=seed_sequence,
            workers=self.workers,
        )
        read_only(run.n, run.alpha, run.occupied)
        draws = run.n.reshape(-1)
        convergence = chain_diagnostics(run.n)
        sweeps = run.sweeps_per_chain
        diagnostics: dict[str, Any] = {
            "K": options["K"],
            "burnin": options["burnin"],
            "samples": options["samples"],
            "thinning": options["thinning"],
            "chains": options["chains"],
            "a_alpha": options["a_alpha"],
            "b_alpha": options["b_alpha"],
            "seed_entropy": seed_sequence.entropy,
            **convergence,
            "posterior_mean": float(draws.mean()),
            "posterior_sd": float(draws.std(ddof=1)) if draws.size > 1 else 0.0,
            "mean_occupied_classes": float(run.occupied.mean()),
            "max_occupied_classes": int(run.occupied.max()),
            "sweeps_per_chain": sweeps,
            "seconds": run.seconds,
            "sweeps_per_second_per_chain": sweeps / max(max(run.chain_seconds), 1e-9),
        }
        messages = convergence_messages(convergence)
        if np.quantile(run.occupied, 0.9) >= options["K"]:
            messages.append(
                (
                    f"the posterior often fills all K = {options['K']} latent "
                    "classes: the truncation may bind; refit with a larger K",
                    BoundaryEstimateWarning,
                )
            )
        messages += overlap_messages(table)
        return LCMCRResult(
            method="lcmcr",
            lists=table.lists,
            observed=table.n_observed,
            estimate=float(np.median(draws)),
            diagnostics=diagnostics,
            warnings=emit(messages),
            chain_draws=run.n,
            alpha_draws=run.alpha,
            occupied_draws=run.occupied,
        )

    def _options(self, n_lists: int) -> dict[str, Any]:
        """Resolve defaults and check ranges (rule, value, fix)."""
        options: dict[str, Any] = {
            "K": default_classes(n_lists) if self.K is None else self.K,
            "burnin": DEFAULT_BURNIN if self.burnin is None else self.burnin,
            "samples": DEFAULT_SAMPLES if self.samples is None else self.samples,
            "thinning": DEFAULT_THINNING if self.thinning is None else self.thinning,
            "chains": DEFAULT_CHAINS if self.chains is None else self.chains,
            "a_alpha": 0.25 if self.a_alpha is None else self.a_alpha,
            "b_alpha": 0.25 if self.b_alpha is None else self.b_alpha,
            "seed": self.seed,
        }
        minimum = {"K": 1, "burnin": 0, "samples": 1, "thinning": 1, "chains": 1}
        for name, low in minimum.items():
            value = options[name]
            if isinstance(value, bool) or not isinstance(value, int | np.integer):
                raise UserInputError(
                    f"lcmcr: {name} must be a whole number, got {value!r}"
                )
            if value < low:
                raise UserInputError(
                    f"lcmcr: {name} must be at least {low}, got {value!r}"
                )
            options[name] = int(value)
        for name in ("a_alpha", "b_alpha"):
            value = options[name]
            if not (
                isinstance(value, int | float) and np.isfinite(value) and value > 0
            ):
                raise UserInputError(
                    f"lcmcr: {name} must be a positive number, got {value!r}; the "
                    "reference package uses 0.25"
                )
            options[name] = float(value)
        seed = options["seed"]
        if seed is not None and (
            isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0
        ):
            raise UserInputError(
                f"lcmcr: seed must be a non-negative whole number or None, got {seed!r}"
            )
        return options


register_method("lcmcr", LCMCR)
