"""Run Splink on the linkage table: train (u by sampling, m by EM or labels), score.

The database backend is a Splink ``DatabaseAPI``: DuckDB in memory by default, Spark
when the caller passes a ``SparkAPI`` (see :func:`duckdb_backend`). Everything the run
learns is returned as plain data (pairs frame, model dict, chart specs) so that the
rest of the package never touches the Linker.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from undercount.link._blocking import BlockingRule, choose_rules
from undercount.link._prepare import PreparedRecords
from undercount.link._settings import LinkageSettings, splink_settings

DETERMINISTIC_RULES: tuple[tuple[str, ...], ...] = (
    ("given_key", "father_key", "grandfather_key", "family_key"),
    ("given_key", "father_key", "grandfather_key", "dod_month"),
    ("given_key", "family_key", "dod_day", "age_low"),
)
"""Near-certain matches, used only to estimate the prior match probability."""
EM_SESSIONS: tuple[tuple[str, ...], ...] = (
    ("given_key", "father_key"),
    ("dod_day", "place_key"),
    ("family_key", "dod_month", "age_low"),
)
"""Blocking of the EM training sessions: each leaves other comparisons free."""
SPLINK_COLUMNS: tuple[str, ...] = (
    "unique_id",
    "source_dataset",
    "given_key",
    "father_key",
    "grandfather_key",
    "family_key",
    "given_phon",
    "father_phon",
    "family_phon",
    "name_tokens",
    "dod_start",
    "dod_end",
    "dod_precision",
    "dod_month",
    "dod_day",
    "age_low",
    "age_high",
    "sex",
    "place_key",
    "name_display",
    "date_display",
)


@dataclass
class ScoredPairs:
    """What a Splink run produced.

    Attributes
    ----------
    pairs
        Scored pairs at or above the settings' ``pair_floor``: ``source_l``,
        ``record_id_l``, ``source_r``, ``record_id_r``, ``match_weight``,
        ``match_probability``, ``blocking_rule`` and one ``gamma_*`` column per
        comparison (the level each pair fell in).
    model
        The trained Splink model (settings with m and u), JSON-ready.
    rules
        Blocking rules used, with the pairs each generates on its own.
    charts
        Vega-Lite specs of Splink's charts (match weights, m/u, score histogram).
    """

    pairs: pd.DataFrame
    model: dict[str, Any]
    rules: list[tuple[BlockingRule, int]]
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)


def duckdb_backend() -> Any:
    """A fresh in-memory DuckDB backend for Splink."""
    from splink import DuckDBAPI

    return DuckDBAPI()


def _usable(rule: Sequence[str], present_columns: set[str]) -> bool:
    return set(rule) <= present_columns


def score_pairs(
    prepared: PreparedRecords,
    settings: LinkageSettings,
    *,
    labels: pd.DataFrame | None = None,
    backend: Any = None,
    charts: bool = True,
) -> ScoredPairs:
    """Train a Fellegi-Sunter model on ``prepared`` with Splink and score the pairs.

    Parameters
    ----------
    prepared
        The linkage table (see :func:`undercount.link._prepare.prepare_lists`).
    settings
        Linkage settings.
    labels
        Optional reviewer labels of true matches (``source_l``, ``record_id_l``,
        ``source_r``, ``record_id_r``): when given, m probabilities are re-estimated
        from them after EM.
    backend
        A Splink ``DatabaseAPI`` (default: a new in-memory DuckDB).
    charts
        Whether to build the chart specs (skip for speed).
    """
    from splink import Linker, block_on

    table = prepared.table[list(SPLINK_COLUMNS)]
    present_columns = {c for c in table.columns if table[c].notna().any()}
    rules = choose_rules(table, budget=settings.blocking_budget)
    db_api = backend if backend is not None else duckdb_backend()
    sdf = db_api.register(table, dataset_display_name="records")
    creator = splink_settings(
        prepared.present, settings, [rule.to_splink() for rule, _ in rules]
    )
    logging.getLogger("splink").setLevel(logging.ERROR)
    linker = Linker(sdf, creator, log_level=logging.ERROR)
    deterministic: list[Any] = [
        block_on(*r) for r in DETERMINISTIC_RULES if _usable(r, present_columns)
    ]
    if deterministic:
        linker.training.estimate_probability_two_random_records_match(
            deterministic, recall=settings.prior_recall
        )
    linker.training.estimate_u_using_random_sampling(
        max_pairs=settings.u_max_pairs, seed=settings.seed
    )
    for session in EM_SESSIONS:
        if _usable(session, present_columns):
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*session), estimate_without_term_frequencies=True
            )
    if labels is not None and len(labels):
        frame = labels.rename(
            columns={
                "source_l": "source_dataset_l",
                "record_id_l": "unique_id_l",
                "source_r": "source_dataset_r",
                "record_id_r": "unique_id_r",
            }
        )[["source_dataset_l", "unique_id_l", "source_dataset_r", "unique_id_r"]]
        labels_sdf = db_api.register(frame, dataset_display_name="review_labels")
        linker.training.estimate_m_from_pairwise_labels(labels_sdf)  # type: ignore[no-untyped-call]
    predictions = linker.inference.predict(
        threshold_match_probability=settings.pair_floor, warning_mode="never"
    )
    raw = predictions.as_pandas_dataframe()  # type: ignore[no-untyped-call]
    pairs = _tidy_pairs(raw, rules)
    chart_specs: dict[str, dict[str, Any]] = {}
    if charts:
        chart_specs["match_weights"] = (
            linker.visualisations.match_weights_chart().chart_dict
        )
        chart_specs["m_u_parameters"] = (
            linker.visualisations.m_u_parameters_chart().chart_dict
        )
        if len(pairs):
            chart_specs["match_weights_histogram"] = (
                linker.visualisations.match_weights_histogram(predictions).chart_dict
            )
    model = linker.misc.save_model_to_json()
    predictions.drop_table_from_database_and_remove_from_cache()
    return ScoredPairs(pairs=pairs, model=model, rules=rules, charts=chart_specs)


def _tidy_pairs(
    raw: pd.DataFrame, rules: list[tuple[BlockingRule, int]]
) -> pd.DataFrame:
    """Splink's predictions -> our pair columns, each pair in a canonical order."""
    names = {str(i): rule.name for i, (rule, _) in enumerate(rules)}
    out = pd.DataFrame(
        {
            "source_l": raw["source_dataset_l"].astype(str),
            "record_id_l": raw["unique_id_l"].astype(str),
            "source_r": raw["source_dataset_r"].astype(str),
            "record_id_r": raw["unique_id_r"].astype(str),
            "match_weight": raw["match_weight"].astype(float),
            "match_probability": raw["match_probability"].astype(float),
            "blocking_rule": raw["match_key"].astype(str).map(names),
        }
    )
    for column in raw.columns:
        if column.startswith("gamma_"):
            out[column] = raw[column].astype(int)
    swap = (out["source_l"] + "|" + out["record_id_l"]) > (
        out["source_r"] + "|" + out["record_id_r"]
    )
    for a, b in (("source_l", "source_r"), ("record_id_l", "record_id_r")):
        left = out.loc[swap, a].copy()
        out.loc[swap, a] = out.loc[swap, b]
        out.loc[swap, b] = left
    return out.sort_values(
        ["source_l", "record_id_l", "source_r", "record_id_r"], ignore_index=True
    )
