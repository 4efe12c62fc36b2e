"""Stage: captures. Linked clusters -> capture histories (with strata) for estimators.

:func:`capture_table` and :func:`captures_from_linkage` build the
:class:`~undercount.model.capture_table.CaptureTable`; :func:`person_strata` derives
month of death, place, sex and age group per person; :func:`threshold_sensitivity`
reports how the linkage threshold moves the count and the estimate.
"""

from undercount.captures._sensitivity import (
    DEFAULT_THRESHOLDS,
    SensitivityBand,
    ThresholdPoint,
    threshold_sensitivity,
)
from undercount.captures._strata import (
    AGE_GROUPS,
    STRATA,
    UNKNOWN,
    capture_table,
    captures_from_linkage,
    person_strata,
)

__all__ = [
    "AGE_GROUPS",
    "DEFAULT_THRESHOLDS",
    "STRATA",
    "UNKNOWN",
    "SensitivityBand",
    "ThresholdPoint",
    "capture_table",
    "captures_from_linkage",
    "person_strata",
    "threshold_sensitivity",
]
