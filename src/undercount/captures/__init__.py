"""Stage: captures. Linked clusters -> capture histories (with strata) for estimators.

:func:`capture_table` and :func:`captures_from_linkage` build the
:class:`~undercount.model.capture_table.CaptureTable`; :func:`person_strata` derives
month of death, place, sex and age group per person; :func:`threshold_sensitivity`
reports how the linkage threshold moves the count and the estimate;
:func:`imputed_capture_tables` and :func:`estimate_over_linkage` carry linkage
uncertainty into the estimate by multiple imputation of the uncertain links.
"""

from undercount.captures._imputation import (
    DEFAULT_IMPUTATIONS,
    ImputedEstimate,
    estimate_over_linkage,
    imputed_capture_tables,
)
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
    "DEFAULT_IMPUTATIONS",
    "DEFAULT_THRESHOLDS",
    "STRATA",
    "UNKNOWN",
    "ImputedEstimate",
    "SensitivityBand",
    "ThresholdPoint",
    "capture_table",
    "captures_from_linkage",
    "estimate_over_linkage",
    "imputed_capture_tables",
    "person_strata",
    "threshold_sensitivity",
]
