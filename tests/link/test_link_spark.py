"""The same linkage through Splink's Spark backend gives the same clusters as DuckDB.

Needs pyspark (``pip install 'undercount[spark]'``) and Java; skipped otherwise.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from undercount.link import LinkageSettings, link_lists, spark_backend
from undercount.simulate.records import simulate_mosul_lists

pyspark = pytest.importorskip("pyspark")
pytestmark = [pytest.mark.spark, pytest.mark.slow]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    if shutil.which("java") is None:
        pytest.skip("Java is not installed")
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    session = (
        SparkSession.builder.master("local[2]")
        .appName("undercount-link-test")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setCheckpointDir("/tmp/undercount-spark-checkpoints")
    yield session
    session.stop()


def _groups(members: pd.DataFrame) -> set[frozenset[str]]:
    keys = members["source"] + ":" + members["record_id"]
    return {frozenset(v) for v in keys.groupby(members["cluster_id"]).agg(list)}


def test_spark_and_duckdb_give_the_same_clusters(spark: Any) -> None:
    sim = simulate_mosul_lists(n_dead=120, seed=5)
    settings = LinkageSettings(seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        on_duckdb = link_lists(sim.lists, settings, charts=False)
        on_spark = link_lists(
            sim.lists, settings, charts=False, backend=spark_backend(spark)
        )
    assert len(on_spark.clusters.members) == len(on_duckdb.clusters.members)
    assert _groups(on_spark.clusters.members) == _groups(on_duckdb.clusters.members)
