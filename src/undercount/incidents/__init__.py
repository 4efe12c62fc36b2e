"""Stage: incidents — conflict-event reports, matched across sources and graded.

Much of what is known about civilian harm comes as incidents rather than names.
This stage reads incident reports (UCDP GED and ACLED exports with their own
codebook columns, or any table through a column mapping), matches reports of the
same event across sources into clusters that keep every source's figures, and
grades each cluster the way civilian-harm monitors do. Acknowledgments by
belligerents are read with the documents they come from.

Examples
--------
>>> from undercount.incidents import (
...     grade_clusters, match_incidents, mosul_acknowledgments, mosul_decisions,
...     mosul_incidents)
>>> reports = mosul_incidents().records
>>> result = match_incidents(reports, decisions=mosul_decisions())
>>> graded = grade_clusters(result.clusters,
...                         acknowledgments=mosul_acknowledgments().records)
>>> sorted({g.grade for g in graded})
['confirmed', 'contested', 'weak']

See docs/incidents.md.
"""

from __future__ import annotations

from undercount.incidents._acknowledgments import (
    AcknowledgmentImport,
    AcknowledgmentRecord,
    normalise_place,
    read_acknowledgments,
)
from undercount.incidents._acled import ACLED_COLUMNS, read_acled
from undercount.incidents._clusters import IncidentCluster, KilledSpan, Link
from undercount.incidents._data import (
    PublishedFigure,
    demo_data_dir,
    mosul_acknowledgments,
    mosul_decisions,
    mosul_incidents,
    published_figures,
)
from undercount.incidents._decisions import (
    DECISION_KINDS,
    DecisionState,
    ReviewDecision,
    read_decisions,
    resolve_decisions,
    write_decisions,
)
from undercount.incidents._generic import (
    INCIDENT_FIELDS,
    IncidentSourceConfig,
    read_generic,
)
from undercount.incidents._grading import (
    GRADES,
    ActiveWindow,
    Grade,
    GradedIncident,
    GradingRules,
    grade_clusters,
)
from undercount.incidents._import import detect_format, read_incidents
from undercount.incidents._match import MatchResult, match_incidents
from undercount.incidents._persist import ProjectIncidents, import_incident_records
from undercount.incidents._places import PlaceHit, PlaceResolver, place_key
from undercount.incidents._record import (
    IncidentImport,
    IncidentRecord,
    QuarantinedRow,
    make_record,
)
from undercount.incidents._settings import (
    IncidentsConfig,
    MatchSettings,
    MatchWeights,
)
from undercount.incidents._ucdp import GED_COLUMNS, read_ucdp_ged
from undercount.incidents._vocab import Vocabulary

__all__ = [
    "ACLED_COLUMNS",
    "DECISION_KINDS",
    "GED_COLUMNS",
    "GRADES",
    "INCIDENT_FIELDS",
    "AcknowledgmentImport",
    "AcknowledgmentRecord",
    "ActiveWindow",
    "DecisionState",
    "Grade",
    "GradedIncident",
    "GradingRules",
    "IncidentCluster",
    "IncidentImport",
    "IncidentRecord",
    "IncidentSourceConfig",
    "IncidentsConfig",
    "KilledSpan",
    "Link",
    "MatchResult",
    "MatchSettings",
    "MatchWeights",
    "PlaceHit",
    "PlaceResolver",
    "ProjectIncidents",
    "PublishedFigure",
    "QuarantinedRow",
    "ReviewDecision",
    "Vocabulary",
    "demo_data_dir",
    "detect_format",
    "grade_clusters",
    "import_incident_records",
    "make_record",
    "match_incidents",
    "mosul_acknowledgments",
    "mosul_decisions",
    "mosul_incidents",
    "normalise_place",
    "place_key",
    "published_figures",
    "read_acknowledgments",
    "read_acled",
    "read_decisions",
    "read_generic",
    "read_incidents",
    "read_ucdp_ged",
    "resolve_decisions",
    "write_decisions",
]
