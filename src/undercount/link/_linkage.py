"""The linkage run: lists in, people (clusters) out, with everything needed to audit.

:func:`link_lists` prepares the lists, trains and scores with Splink, and clusters at
the settings' threshold honouring reviewer decisions. The returned
:class:`LinkageResult` can be re-clustered at another threshold or with new decisions
without re-running Splink (clustering is a pure function of the scored pairs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from undercount.errors import UserInputError
from undercount.link._clustering import Clusters, cluster_pairs
from undercount.link._engine import ScoredPairs, score_pairs
from undercount.link._keys import name_keys
from undercount.link._places import PlaceAliases
from undercount.link._prepare import PreparedRecords, prepare_lists
from undercount.link._review import (
    ReviewDecision,
    Verdict,
    latest_decisions,
    review_queue,
)
from undercount.link._settings import LinkageSettings


@dataclass
class LinkageResult:
    """Everything one linkage run produced.

    Attributes
    ----------
    lists
        Source names in input order.
    records
        The linkage table (one row per record; ``unique_id`` is the record id and
        ``source_dataset`` the source).
    scored
        Scored pairs, trained model, blocking rules, charts.
    clusters
        People found at ``settings.threshold`` with the decisions applied.
    settings
        The settings used.
    decisions
        Reviewer decisions applied.
    name_key_provider
        Which name library produced the keys.
    """

    lists: tuple[str, ...]
    records: pd.DataFrame
    scored: ScoredPairs
    clusters: Clusters
    settings: LinkageSettings
    decisions: tuple[ReviewDecision, ...] = ()
    unreadable: dict[tuple[str, str], int] = field(default_factory=dict)
    name_key_provider: str = ""

    @property
    def pairs(self) -> pd.DataFrame:
        """Scored pairs (see :class:`ScoredPairs`)."""
        return self.scored.pairs

    @property
    def record_keys(self) -> pd.DataFrame:
        """``source``, ``record_id`` of every record."""
        return pd.DataFrame(
            {
                "source": self.records["source_dataset"].astype(str),
                "record_id": self.records["unique_id"].astype(str),
            }
        )

    def recluster(
        self,
        threshold: float | None = None,
        decisions: Sequence[ReviewDecision] | None = None,
    ) -> Clusters:
        """Clusters at another threshold and/or with other decisions (no re-scoring)."""
        return cluster_pairs(
            self.record_keys,
            self.pairs,
            self.settings.threshold if threshold is None else threshold,
            self.decisions if decisions is None else decisions,
            match_prior=match_prior(self.scored.model, self.settings),
        )

    def sample_clusters(self, imputations: int, seed: int = 0) -> list[Clusters]:
        """Draws of the people the lists hold, carrying linkage uncertainty.

        Each draw keeps the threshold's links and makes each capture-prior join
        with its posterior probability (see :mod:`undercount.link._joining`), so
        the number of people and their capture patterns vary as the evidence
        allows. Draw ``i`` uses the generator seeded ``(seed, i)``: the same
        draws on every run. Without the capture-prior pass (``capture_prior``
        off, or a model without a prior) every draw is the threshold's clusters.
        """
        if imputations < 1:
            raise UserInputError(f"imputations must be at least 1, got {imputations!r}")
        return [
            cluster_pairs(
                self.record_keys,
                self.pairs,
                self.settings.threshold,
                self.decisions,
                match_prior=match_prior(self.scored.model, self.settings),
                draw=np.random.default_rng([seed, i]),
            )
            for i in range(imputations)
        ]

    def review_queue(self, *, blind: bool = False) -> pd.DataFrame:
        """Undecided pairs in the settings' review band (see :func:`review_queue`)."""
        return review_queue(
            self.pairs,
            self.settings.review_band,
            decisions=self.decisions,
            blind=blind,
            records=self.records,
            seed=self.settings.seed,
        )

    def model_json(self) -> dict[str, Any]:
        """The trained Splink model (JSON-ready), loadable by ``splink.Linker``."""
        return self.scored.model


def match_prior(model: dict[str, Any], settings: LinkageSettings) -> float | None:
    """The model's probability that two random records match, when the settings
    ask for the capture-prior pass (``None`` otherwise, or if the model lacks it)."""
    if not settings.capture_prior:
        return None
    value = model.get("probability_two_random_records_match")
    return float(value) if isinstance(value, int | float) and value > 0 else None


def link_lists(
    lists: Mapping[str, pd.DataFrame],
    settings: LinkageSettings | None = None,
    *,
    decisions: Sequence[ReviewDecision] = (),
    backend: Any = None,
    charts: bool = True,
) -> LinkageResult:
    """Link victim lists: who is the same person, within and across lists.

    Parameters
    ----------
    lists
        ``{source: records}`` in canonical victim-list columns (DESIGN.md):
        ``record_id``, ``name`` or name parts, ``sex``, ``age`` or ``birth_year``,
        ``date_of_death``, ``place_of_death``.
    settings
        Linkage settings (default :class:`LinkageSettings`).
    decisions
        Reviewer decisions: *same* pairs are must-links (and train m), *different*
        pairs cannot-links.
    backend
        A Splink ``DatabaseAPI`` (default: DuckDB in memory).
    charts
        Build Splink's chart specs for the report.

    Returns
    -------
    LinkageResult
    """
    settings = settings or LinkageSettings()
    keys = name_keys()
    places = PlaceAliases.read_csv(settings.place_aliases, keys.canonical_key)
    prepared: PreparedRecords = prepare_lists(
        lists,
        keys,
        places,
        settings.extra_columns,
        with_tokens=settings.token_comparison,
    )
    same = [
        d for d in latest_decisions(decisions).values() if d.verdict is Verdict.SAME
    ]
    labels = None
    if same:
        labels = pd.DataFrame(
            [
                {
                    "source_l": d.left[0],
                    "record_id_l": d.left[1],
                    "source_r": d.right[0],
                    "record_id_r": d.right[1],
                }
                for d in same
            ]
        )
    scored = score_pairs(
        prepared, settings, labels=labels, backend=backend, charts=charts
    )
    record_keys = pd.DataFrame(
        {
            "source": prepared.table["source_dataset"].astype(str),
            "record_id": prepared.table["unique_id"].astype(str),
        }
    )
    clusters = cluster_pairs(
        record_keys,
        scored.pairs,
        settings.threshold,
        decisions,
        match_prior=match_prior(scored.model, settings),
    )
    return LinkageResult(
        lists=tuple(lists),
        records=prepared.table,
        scored=scored,
        clusters=clusters,
        settings=settings,
        decisions=tuple(decisions),
        unreadable=prepared.unreadable,
        name_key_provider=keys.provider,
    )
