"""Run several LCMCR chains in parallel threads, reproducibly.

Seeding: one :class:`numpy.random.SeedSequence` per fit (from the user's seed, or
from fresh entropy that is then reported so the run can be repeated) is split into
one child per chain; each child seeds the chain's numpy ``Generator`` (normal and
negative-binomial draws) and the xoshiro256+ state of its uniform draws. Chain ``c``
therefore gets the same stream whatever the number of threads or their timing.

Parallelism: the compiled sampler releases the GIL (``nogil=True``), so chains run in
a thread pool on all cores with no copies of the data and no process start-up.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class ChainDraws:
    """Thinned draws of each chain, shaped ``(chains, samples)``, and timings."""

    n: npt.NDArray[np.int64]
    alpha: npt.NDArray[np.float64]
    occupied: npt.NDArray[np.int64]
    sweeps_per_chain: int
    seconds: float
    chain_seconds: tuple[float, ...]


def chain_streams(
    seed_sequence: np.random.SeedSequence, chains: int
) -> list[tuple[np.random.Generator, npt.NDArray[np.uint64]]]:
    """The (Generator, xoshiro state) pair of every chain, from one SeedSequence."""
    streams = []
    for child in seed_sequence.spawn(chains):
        normal_seq, uniform_seq = child.spawn(2)
        state = np.asarray(uniform_seq.generate_state(4, np.uint64), dtype=np.uint64)
        if not state.any():  # xoshiro's one forbidden state
            state[0] = np.uint64(1)
        streams.append((np.random.Generator(np.random.PCG64(normal_seq)), state))
    return streams


@dataclass(frozen=True)
class ChainSettings:
    """The model and schedule every chain of a fit runs with.

    ``n_classes`` latent classes, ``Gamma(a_alpha, b_alpha)`` prior on the
    concentration; ``burnin`` sweeps discarded, then ``samples`` draws kept, one every
    ``thinning`` sweeps.
    """

    n_classes: int
    a_alpha: float
    b_alpha: float
    burnin: int
    samples: int
    thinning: int

    def kernel_arguments(self) -> tuple[int, float, float, int, int, int]:
        """The settings in the order the compiled ``run_chain`` takes them."""
        return (
            self.n_classes,
            self.a_alpha,
            self.b_alpha,
            self.burnin,
            self.samples,
            self.thinning,
        )


def run_chains(
    patterns: npt.NDArray[np.uint8],
    counts: npt.NDArray[np.int64],
    settings: ChainSettings,
    *,
    chains: int,
    seed_sequence: np.random.SeedSequence,
    workers: int | None = None,
) -> ChainDraws:
    """Run ``chains`` chains of the compiled sampler, in parallel threads.

    ``workers`` defaults to the number of CPUs (capped at ``chains``).
    """
    from undercount.estimate._lcmcr_sampler import WARMUP_SWEEPS, run_chain

    samples = settings.samples

    # writeable C-ordered copies: numba compiles read-only arrays separately
    patterns = np.array(patterns, dtype=np.uint8, order="C")
    counts = np.array(counts, dtype=np.int64, order="C")
    out_n = np.zeros((chains, samples), dtype=np.int64)
    out_alpha = np.zeros((chains, samples), dtype=np.float64)
    out_occupied = np.zeros((chains, samples), dtype=np.int64)
    streams = chain_streams(seed_sequence, chains)
    chain_seconds = [0.0] * chains

    def one(c: int) -> None:
        rng, state = streams[c]
        start = time.perf_counter()
        run_chain(
            rng,
            state,
            patterns,
            counts,
            *settings.kernel_arguments(),
            out_n[c],
            out_alpha[c],
            out_occupied[c],
        )
        chain_seconds[c] = time.perf_counter() - start

    n_workers = max(1, min(chains, workers or os.cpu_count() or 1))
    start = time.perf_counter()
    if n_workers == 1:
        for c in range(chains):
            one(c)
    else:
        if not getattr(run_chain, "signatures", ()):
            # compile (or load from the disk cache) once, here, with a throw-away
            # stream, rather than have the threads queue on numba's compiler lock
            rng, state = chain_streams(np.random.SeedSequence(0), 1)[0]
            tiny = np.zeros(1, dtype=np.int64)
            warm = replace(settings, burnin=0, samples=1, thinning=1)
            run_chain(
                rng,
                state,
                patterns,
                counts,
                *warm.kernel_arguments(),
                tiny,
                np.zeros(1),
                tiny.copy(),
            )
        with ThreadPoolExecutor(max_workers=n_workers) as pool:
            list(pool.map(one, range(chains)))
    seconds = time.perf_counter() - start
    return ChainDraws(
        n=out_n,
        alpha=out_alpha,
        occupied=out_occupied,
        sweeps_per_chain=WARMUP_SWEEPS
        + settings.burnin
        + settings.samples * settings.thinning,
        seconds=seconds,
        chain_seconds=tuple(chain_seconds),
    )
