"""Stage: compare — the gap between acknowledged, documented and estimated deaths.

For a period, a place and a belligerent (or all of them), set what belligerents
acknowledged beside what incident reports document (graded, see
:mod:`undercount.incidents`), the distinct people named on the linked lists, and
the multiple systems estimate with its interval; give differences and ratios with
their ranges or intervals, and a plain-language statement whose every number is a
:class:`Figure` carrying its provenance. An incident nobody acknowledged is shown
as *not acknowledged*, never as zero.

Examples
--------
>>> from undercount.compare import compute_gap
>>> from undercount.incidents import (grade_clusters, match_incidents,
...     mosul_acknowledgments, mosul_decisions, mosul_incidents)
>>> acks = mosul_acknowledgments().records
>>> clusters = match_incidents(mosul_incidents().records,
...                            decisions=mosul_decisions()).clusters
>>> report = compute_gap(grade_clusters(clusters, acknowledgments=acks), acks,
...                      named=9606)
>>> report.total.figures["acknowledged"].value
326
>>> report.total.acknowledgment_status
'acknowledged'

See docs/incidents.md.
"""

from __future__ import annotations

from undercount.compare._figures import Figure, Provenance, fmt_number
from undercount.compare._gap import (
    GapReport,
    GapRow,
    IncidentGap,
    compute_gap,
    incident_gaps,
)
from undercount.compare._inputs import (
    STRATUM_DIMENSIONS,
    Estimated,
    EstimatedStratum,
    NamedVictims,
    Scope,
)
from undercount.compare._scope import RowScope

__all__ = [
    "STRATUM_DIMENSIONS",
    "Estimated",
    "EstimatedStratum",
    "Figure",
    "GapReport",
    "GapRow",
    "IncidentGap",
    "NamedVictims",
    "Provenance",
    "RowScope",
    "Scope",
    "compute_gap",
    "fmt_number",
    "incident_gaps",
]
