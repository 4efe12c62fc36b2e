"""Run Splink on the linkage table: train (u by sampling, m by EM or labels), score.

The database backend is a Splink ``DatabaseAPI``: DuckDB in memory by default, Spark
when the caller passes a ``SparkAPI`` (see :func:`duckdb_backend`). Everything the run
learns is returned as plain data (pairs frame, model dict, chart specs) so that the
rest of the package never touches the Linker.
"""

from __future__ import annotations

import copy
import logging
import os
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from undercount.errors import UndercountWarning, UserInputError
from undercount.link._blocking import CANDIDATE_RULES, BlockingRule, choose_rules
from undercount.link._prepare import PreparedRecords
from undercount.link._settings import LinkageSettings, splink_settings

DETERMINISTIC_RULES: tuple[tuple[str, ...], ...] = (
    ("given_key", "father_key", "family_key"),
    ("given_key", "father_key", "grandfather_key"),
    ("given_key", "family_key", "dod_day"),
    ("given_key", "father_key", "dod_day"),
    ("given_key", "father_key", "dod_month", "age_low"),
)
"""Near-certain matches, used only to estimate the prior match probability."""
NAME_COMPARISONS = (
    "given_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "name_tokens",
    "surname",
)
OTHER_COMPARISONS = ("date_of_death", "age", "sex", "place_key", "same_list")
EM_SESSIONS: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (("given_key", "family_key"), ("sex", "name_tokens"), OTHER_COMPARISONS),
    (("given_key", "father_key"), ("sex", "name_tokens"), OTHER_COMPARISONS),
    (("dod_start", "dod_end", "sex", "age_low", "place_key"), (), NAME_COMPARISONS),
    (("dod_start", "dod_end", "sex", "place_key"), (), NAME_COMPARISONS),
    (("dod_start", "dod_end", "age_low", "place_key"), (), ("sex",)),
)
"""EM training sessions: (blocking columns, columns whose comparisons the session must
leave out, comparisons whose m the session sets).

A session estimates m only for comparisons its blocking leaves free, and only where
the non-matches inside the block look like random pairs: namesakes (blocked on names)
are unrelated people, so their dates, ages, sexes and places are random; people killed
in one incident (blocked on date, sex, age, place) are often relatives, whose names
are not random, so that session is trusted for names only because matches dominate
it. Comparisons that agree by construction inside a block (sex within a given name,
the token set within given + family name) are left out of that session: otherwise
EM reads every pair of the block as a match. For each comparison the first usable
session that sets it is used."""
SPLINK_COLUMNS: tuple[str, ...] = (
    "unique_id",
    "source_dataset",
    "list_name",
    "given_key",
    "father_key",
    "grandfather_key",
    "family_key",
    "given_cons",
    "father_cons",
    "grandfather_cons",
    "family_cons",
    "given_ar",
    "father_ar",
    "grandfather_ar",
    "family_ar",
    "given_phon",
    "father_phon",
    "family_phon",
    "last_phon",
    "surname_key",
    "name_tokens",
    "dod_start",
    "dod_end",
    "dod_precision",
    "dod_month",
    "dod_day",
    "dod_year",
    "dod_m",
    "dod_d",
    "age_low",
    "age_high",
    "sex",
    "place_key",
    "name_display",
    "date_display",
)


class LinkageTrainingWarning(UndercountWarning):
    """A training step of the linkage model could not run; defaults were kept."""


@dataclass
class ScoredPairs:
    """What a Splink run produced.

    Attributes
    ----------
    pairs
        Scored pairs at or above the settings' pair floor: ``source_l``,
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


DUCKDB_MEMORY_LIMIT = "2GB"
"""DuckDB spills to disk beyond this (a shared 2-core machine; see the benchmark)."""


DUCKDB_TEMP_ENV = "UNDERCOUNT_DUCKDB_TEMP"
"""Environment variable naming the folder DuckDB spills to (default: a folder in the
system temp dir)."""


def duckdb_temp_directory() -> str:
    """Where DuckDB spills beyond its memory budget.

    ``$UNDERCOUNT_DUCKDB_TEMP`` if set, else ``<system temp>/undercount-duckdb``. An
    in-memory DuckDB otherwise spills to ``.tmp`` in the working directory, which put
    about 20 GB of temp files inside the repository during a million-record run.
    """
    configured = os.environ.get(DUCKDB_TEMP_ENV, "").strip()
    if configured:
        return configured
    return str(Path(tempfile.gettempdir()) / "undercount-duckdb")


def duckdb_backend(
    memory_limit: str = DUCKDB_MEMORY_LIMIT, temp_directory: str | None = None
) -> Any:
    """A fresh in-memory DuckDB backend for Splink, with a bounded memory budget.

    ``temp_directory`` (default :func:`duckdb_temp_directory`) is where it spills;
    DuckDB names its files by process id, so runs can share the folder.
    """
    import duckdb
    from splink import DuckDBAPI

    spill = temp_directory or duckdb_temp_directory()
    connection = duckdb.connect(":memory:")
    connection.execute(f"SET memory_limit = '{memory_limit}'")
    quoted = spill.replace("'", "''")
    connection.execute(f"SET temp_directory = '{quoted}'")
    connection.execute("SET preserve_insertion_order = false")
    return DuckDBAPI(connection)


def spark_backend(spark_session: Any) -> Any:
    """A Splink Spark backend on ``spark_session`` (pyspark is an optional extra:
    ``pip install undercount[spark]``). The session needs Splink's similarity jar,
    e.g. ``.config("spark.jars", splink.backends.spark.similarity_jar_location())``."""
    try:
        from splink import SparkAPI
    except ImportError:
        raise UserInputError(
            "the Spark backend needs pyspark: pip install 'undercount[spark]'"
        ) from None
    return SparkAPI(spark_session=spark_session)  # type: ignore[no-untyped-call]


def _for_backend(table: pd.DataFrame, backend: Any) -> pd.DataFrame:
    """Spark cannot take pandas' nullable integers or ``pd.NA``: plain floats/None."""
    if backend is None or type(backend).__name__ == "DuckDBAPI":
        return table
    out = table.copy()
    for column in out.columns:
        if str(out[column].dtype) == "Int64":
            out[column] = out[column].astype("float64")
        elif out[column].dtype == object or str(out[column].dtype) in ("str", "string"):
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


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

    extra = [f"x_{c}" for c in settings.extra_columns]
    columns = [c for c in SPLINK_COLUMNS if c in prepared.table.columns]
    table = prepared.table[[*columns, *extra]]
    present_columns = {c for c in table.columns if table[c].notna().any()}
    rules = choose_rules(
        table,
        budget=settings.blocking_budget,
        candidates=[*CANDIDATE_RULES, *((c,) for c in extra)],
    )
    db_api = backend if backend is not None else duckdb_backend()
    sdf = db_api.register(_for_backend(table, backend), dataset_display_name="records")
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
    base_model = linker.misc.save_model_to_json()
    trained = _train_m_by_sessions(
        db_api, sdf, base_model, present_columns, tuple(extra), frozenset(table.columns)
    )
    linker = Linker(sdf, trained, log_level=logging.ERROR)
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
        threshold_match_probability=settings.effective_pair_floor(len(table)),
        warning_mode="never",
    )
    model = linker.misc.save_model_to_json()
    # only ids, scores and levels leave the database (the records are joined back
    # when shown): a million records give millions of kept pairs
    wanted = [
        "source_dataset_l",
        "unique_id_l",
        "source_dataset_r",
        "unique_id_r",
        "match_weight",
        "match_probability",
        "match_key",
        *(f"gamma_{c['output_column_name']}" for c in model["comparisons"]),
    ]
    raw = db_api.query_sql(
        f"SELECT {', '.join(wanted)} FROM {predictions.physical_name}",
        output_type="pandas",
    )
    pairs = _tidy_pairs(raw, rules, veto=settings.veto)
    del raw
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
    predictions.drop_table_from_database_and_remove_from_cache()
    return ScoredPairs(pairs=pairs, model=model, rules=rules, charts=chart_specs)


_FLOOR = 1e-6
"""Smallest m or u kept: a level never seen in training is rare, not impossible."""


def _fresh(model: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(model)
    out.pop("linker_uid", None)
    return out


def _training_rule(columns: Sequence[str], leave_out: Sequence[str]) -> Any:
    """``block_on(columns)``, plus an always-true condition naming each ``leave_out``
    column: Splink leaves out of an EM session every comparison whose columns the
    training rule mentions."""
    from splink import block_on
    from splink.blocking_rule_library import And, CustomRule

    rule = block_on(*columns)
    if not leave_out:
        return rule
    neutral = [CustomRule(f"(l.{c} IS NULL) = (l.{c} IS NULL)") for c in leave_out]
    return And(rule, *neutral)


def _train_m_by_sessions(
    db_api: Any,
    sdf: Any,
    base_model: dict[str, Any],
    present_columns: set[str],
    extra: tuple[str, ...] = (),
    registered_columns: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Run the EM sessions (each on its own linker) and keep, per comparison, the m
    probabilities of the session trusted for it (see :data:`EM_SESSIONS`)."""
    from splink import Linker

    final = _fresh(base_model)
    by_name = {c["output_column_name"]: c for c in final["comparisons"]}
    done: set[str] = set()
    for columns, leave_out, trusted in EM_SESSIONS:
        if trusted is OTHER_COMPARISONS:
            trusted = (*trusted, *extra)
        wanted = [c for c in trusted if c in by_name and c not in done]
        if not wanted or not _usable(columns, present_columns):
            continue
        leave_out = tuple(c for c in leave_out if c in registered_columns)
        linker = Linker(sdf, _fresh(base_model), log_level=logging.ERROR)
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                _training_rule(columns, leave_out),
                estimate_without_term_frequencies=True,
            )
        except ValueError as exc:
            # Splink refuses an m that EM drove to exactly 0 (tiny blocks): keep
            # the starting values for this session's comparisons and say so.
            warnings.warn(
                f"EM session blocked on {', '.join(columns)} failed ({exc}); "
                "later sessions or starting m values are used instead",
                LinkageTrainingWarning,
                stacklevel=3,
            )
            continue
        session = linker.misc.save_model_to_json()
        for comparison in session["comparisons"]:
            name = comparison["output_column_name"]
            if name in wanted:
                by_name[name]["comparison_levels"] = comparison["comparison_levels"]
                done.add(name)
    for comparison in final["comparisons"]:
        for level in comparison["comparison_levels"]:
            for key in ("m_probability", "u_probability"):
                value = level.get(key)
                if value is None:
                    continue
                if not isinstance(value, (int, float)):
                    level.pop(key)  # "level not observed": let Splink use its default
                else:
                    level[key] = _stable(min(max(float(value), _FLOOR), 1.0))
    prior = final.get("probability_two_random_records_match")
    if isinstance(prior, float):
        final["probability_two_random_records_match"] = _stable(prior)
    return final


def _stable(value: float) -> float:
    """Round to 10 significant digits: DuckDB sums EM statistics in parallel, in an
    order that varies between runs, which moves parameters in the 16th digit; the
    rounding makes scores (and everything downstream) identical run to run."""
    return float(f"{value:.10g}")


def _vetoes(pairs: pd.DataFrame, veto: Sequence[str]) -> pd.Series:
    """Pairs in the "clearly different" level of a vetoing comparison.

    (A mistyped given name of one person, e.g. هة for هبة, is vetoed too: on the
    simulated Mosul lists exempting same-sex, same-age pairs let in more siblings
    than it recovered typos. Such pairs go to the review queue.)
    """
    vetoed = pd.Series(False, index=pairs.index)
    for name in veto:
        column = f"gamma_{name}"
        if column in pairs.columns:
            vetoed |= pairs[column] == 0
    return vetoed


def _tidy_pairs(
    raw: pd.DataFrame,
    rules: list[tuple[BlockingRule, int]],
    *,
    veto: Sequence[str] = (),
) -> pd.DataFrame:
    """Splink's predictions -> our pair columns, each pair in a canonical order.

    ``vetoed`` marks pairs that fall in the last ("clearly different") level of a
    comparison named in ``veto``: see ``LinkageSettings.veto``.
    """
    names = {str(i): rule.name for i, (rule, _) in enumerate(rules)}
    if "match_probability" not in raw.columns:  # nothing scored at all
        raw = pd.DataFrame(
            columns=[
                "source_dataset_l",
                "unique_id_l",
                "source_dataset_r",
                "unique_id_r",
                "match_weight",
                "match_probability",
                "match_key",
            ]
        )
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
            out[column] = raw[column].astype("int8")
    out["vetoed"] = _vetoes(out, veto)
    swap = (out["source_l"] + "|" + out["record_id_l"]) > (
        out["source_r"] + "|" + out["record_id_r"]
    )
    for a, b in (("source_l", "source_r"), ("record_id_l", "record_id_r")):
        left = out.loc[swap, a].copy()
        out.loc[swap, a] = out.loc[swap, b]
        out.loc[swap, b] = left
    out = out.sort_values(
        ["source_l", "record_id_l", "source_r", "record_id_r"], ignore_index=True
    )
    # few distinct values over millions of rows: categories save gigabytes
    sources = sorted(set(out["source_l"]) | set(out["source_r"]))
    for column in ("source_l", "source_r"):
        out[column] = pd.Categorical(out[column], categories=sources)
    out["blocking_rule"] = out["blocking_rule"].astype("category")
    return out
