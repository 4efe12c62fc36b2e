"""Stage: link. Who is the same person, within and across lists (Splink inside).

Public face: :func:`link_lists` runs a linkage and returns a :class:`LinkageResult`;
:class:`LinkageSettings` is the serialisable configuration; :func:`cluster_pairs` is
the constrained clustering (pure function of pairs and reviewer decisions);
:class:`ReviewDecision`, :class:`DecisionRepository` and :func:`review_queue` are the
clerical review model. See docs/linkage.md.
"""

from undercount.link._clustering import Clusters, cluster_pairs
from undercount.link._engine import ScoredPairs, duckdb_backend, spark_backend
from undercount.link._io import read_list, read_lists
from undercount.link._linkage import LinkageResult, link_lists, match_prior
from undercount.link._review import (
    DecisionRepository,
    InMemoryDecisionRepository,
    JsonFileDecisionRepository,
    ReviewDecision,
    Verdict,
    latest_decisions,
    review_queue,
)
from undercount.link._settings import LinkageSettings

__all__ = [
    "Clusters",
    "DecisionRepository",
    "InMemoryDecisionRepository",
    "JsonFileDecisionRepository",
    "LinkageResult",
    "LinkageSettings",
    "ReviewDecision",
    "ScoredPairs",
    "Verdict",
    "cluster_pairs",
    "duckdb_backend",
    "latest_decisions",
    "link_lists",
    "match_prior",
    "read_list",
    "read_lists",
    "review_queue",
    "spark_backend",
]
