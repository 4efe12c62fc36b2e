"""Stage: model. The domain records and the value parsers every stage shares.

Records (pydantic, validated): :class:`Source`, :class:`VictimRecord`,
:class:`Incident`, :class:`Acknowledgment`. Values: :class:`PartialDate` (a date at
year, month or day precision, compared as an interval), :class:`AgeRange` (an age as
an interval of years), :class:`Sex`. Parsers turn cell text (English or Arabic, any
digits) into these values or raise :class:`ValueParseError`; see docs/model.md.
"""

from __future__ import annotations

from undercount.model._age_parser import (
    AGE_CATEGORIES,
    APPROXIMATE_MARGIN,
    age_from_birth_year,
    parse_age,
)
from undercount.model._ages import ADULT_AGE, MAX_AGE, AgeRange
from undercount.model._date_parser import parse_partial_date
from undercount.model._dates import MAX_YEAR, MIN_YEAR, PartialDate, Precision
from undercount.model._digits import digits_to_ascii
from undercount.model._fields import make_source_name, parse_text
from undercount.model._numbers import parse_number
from undercount.model._personal import PERSONAL_FIELDS, is_personal, strip_personal
from undercount.model._sex import Sex, parse_sex
from undercount.model.capture_table import CaptureTable
from undercount.model.errors import RecordValidationError, ValueParseError
from undercount.model.incidents import Acknowledgment, Incident, LocationPrecision
from undercount.model.records import VICTIM_COLUMNS, Source, SourceKind, VictimRecord

# Other modules of this stage add their import above and their names below.

__all__ = [
    "ADULT_AGE",
    "AGE_CATEGORIES",
    "APPROXIMATE_MARGIN",
    "MAX_AGE",
    "MAX_YEAR",
    "MIN_YEAR",
    "PERSONAL_FIELDS",
    "VICTIM_COLUMNS",
    "Acknowledgment",
    "AgeRange",
    "CaptureTable",
    "Incident",
    "LocationPrecision",
    "PartialDate",
    "Precision",
    "RecordValidationError",
    "Sex",
    "Source",
    "SourceKind",
    "ValueParseError",
    "VictimRecord",
    "age_from_birth_year",
    "digits_to_ascii",
    "is_personal",
    "make_source_name",
    "parse_age",
    "parse_number",
    "parse_partial_date",
    "parse_sex",
    "parse_text",
    "strip_personal",
]
