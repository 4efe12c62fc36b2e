"""Sources and victim records: the canonical columns of DESIGN.md as pydantic models.

A :class:`VictimRecord` holds what one list says about one person, in canonical
form. Unknown stays unknown: every field but ``source`` and ``record_id`` may be
missing, and nothing is filled in. :meth:`VictimRecord.from_raw` builds a record
from a row of cell text and, when the row cannot be read, raises
:class:`RecordValidationError` listing *every* failing field, for the quarantine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from undercount.model._age_parser import age_from_birth_year, parse_age
from undercount.model._ages import AgeRange
from undercount.model._date_parser import parse_partial_date
from undercount.model._dates import MAX_YEAR, MIN_YEAR, PartialDate
from undercount.model._fields import (
    SOURCE_NAME_PATTERN,
    NonEmptyText,
    OptionalText,
    SourceName,
    clean_cell,
    parse_text,
)
from undercount.model._numbers import parse_number
from undercount.model._sex import Sex, parse_sex
from undercount.model.errors import RecordValidationError, ValueParseError

__all__ = ["VICTIM_COLUMNS", "Source", "SourceKind", "VictimRecord"]

SourceKind = Literal["victim_list", "incident_reports", "acknowledgments", "narrative"]
"""What a source holds: named victims, incident reports (including UCDP/ACLED
events), belligerents' acknowledgments, or narrative text (reports, articles)."""


class Source(BaseModel):
    """A list or document that undercount reads, and who produced it.

    Attributes
    ----------
    name
        Identifier used everywhere else (capture-table column, ``source`` of
        records): a letter or digit then letters, digits, ``_ . -`` (any script);
        see :func:`make_source_name`.
    title
        Human-readable title; defaults to ``name`` in :attr:`label`.
    kind
        What the source holds (:data:`SourceKind`).
    organisation, description
        Who compiled it and how (free text, shown in reports).
    language
        BCP 47 tag of the main language (``ar``, ``en``, ``ar-IQ``), if known.
    script
        ISO 15924 code of the main script of names (``Arab``, ``Latn``), if known.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: SourceName
    title: OptionalText = None
    kind: SourceKind = "victim_list"
    organisation: OptionalText = None
    description: OptionalText = None
    language: str | None = Field(
        default=None, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
    )
    script: str | None = Field(default=None, pattern=r"^[A-Z][a-z]{3}$")

    @property
    def label(self) -> str:
        """The title, or the name when there is no title."""
        return self.title or self.name


VICTIM_COLUMNS: tuple[str, ...] = (
    "record_id",
    "name",
    "given_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "sex",
    "age",
    "birth_year",
    "date_of_death",
    "place_of_death",
    "incident_id",
    "perpetrator",
    "notes",
)
"""The canonical victim-list columns (DESIGN.md), in order; ``source`` is not a
column of a list file but the name of the list."""

_TEXT_COLUMNS = frozenset(
    {"name", "given_name", "father_name", "grandfather_name", "family_name",
     "place_of_death", "incident_id", "perpetrator", "notes"}
)  # fmt: skip


def _parse_birth_year(value: object) -> int | None:
    number = parse_number(value)  # type: ignore[arg-type]
    if number is None:
        return None
    accepted = f"a four-digit year {MIN_YEAR}-{MAX_YEAR}, e.g. 1985 or ١٩٨٥"
    if isinstance(number, float):
        if not number.is_integer():
            raise ValueParseError("birth year", value, "not a whole year", accepted)
        number = int(number)
    if not MIN_YEAR <= number <= MAX_YEAR:
        raise ValueParseError("birth year", value, "year out of range", accepted)
    return number


def _cross_field_errors(
    birth_year: int | None, date_of_death: PartialDate | None
) -> list[tuple[str, str]]:
    if (
        birth_year is not None
        and date_of_death is not None
        and birth_year > date_of_death.end().year
    ):
        return [
            (
                "birth_year",
                f"birth year {birth_year} is after the date of death {date_of_death}",
            )
        ]
    return []


class VictimRecord(BaseModel):
    """One person as recorded by one source (the canonical columns of DESIGN.md).

    Attributes
    ----------
    source
        Name of the list the record comes from (see :class:`Source`).
    record_id
        Identifier of the row within its list (non-empty, unique per list).
    name
        Full name as written, any script; or the parts ``given_name``,
        ``father_name``, ``grandfather_name``, ``family_name`` (Arabic
        patronymic chain). A record with no name at all is valid: the list
        still counts the person.
    sex
        :class:`Sex`; ``Sex.UNKNOWN`` when not recorded.
    age
        :class:`AgeRange` or ``None``.
    birth_year
        Four-digit year or ``None``; must not be after the date of death.
    date_of_death
        :class:`PartialDate` at the precision recorded, or ``None``.
    place_of_death, incident_id, perpetrator, notes
        Free text or ``None``.

    Notes
    -----
    Text fields are NFC-normalised with single spaces; blank cells and
    "unknown" markers become ``None``. Assigning ``sex``, ``age`` or
    ``date_of_death`` from text runs the same parsers as :meth:`from_raw`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: SourceName
    record_id: NonEmptyText
    name: OptionalText = None
    given_name: OptionalText = None
    father_name: OptionalText = None
    grandfather_name: OptionalText = None
    family_name: OptionalText = None
    sex: Sex = Sex.UNKNOWN
    age: AgeRange | None = None
    birth_year: int | None = Field(default=None, ge=MIN_YEAR, le=MAX_YEAR)
    date_of_death: PartialDate | None = None
    place_of_death: OptionalText = None
    incident_id: OptionalText = None
    perpetrator: OptionalText = None
    notes: OptionalText = None

    _PARSERS: ClassVar[dict[str, Callable[[Any], Any]]] = {
        "sex": parse_sex,
        "age": parse_age,
        "birth_year": _parse_birth_year,
    }

    @field_validator("sex", mode="before")
    @classmethod
    def _read_sex(cls, value: object) -> object:
        return parse_sex(value) if isinstance(value, str) or value is None else value

    @field_validator("age", "date_of_death", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        if isinstance(value, str) and parse_text(value) is None:
            return None
        return value

    @field_validator("birth_year", mode="before")
    @classmethod
    def _read_birth_year(cls, value: object) -> object:
        return _parse_birth_year(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _check_consistency(self) -> VictimRecord:
        """Check the fields against each other (birth year vs date of death)."""
        errors = _cross_field_errors(self.birth_year, self.date_of_death)
        if errors:
            raise ValueError(errors[0][1])
        return self

    # ------------------------------------------------------------------ helpers
    @property
    def has_name(self) -> bool:
        """Whether any name field is known."""
        return any(
            (self.name, self.given_name, self.father_name, self.grandfather_name,
             self.family_name)
        )  # fmt: skip

    def full_name(self) -> str | None:
        """``name``, or the known name parts joined by spaces, or ``None``."""
        if self.name:
            return self.name
        parts = (self.given_name, self.father_name, self.grandfather_name,
                 self.family_name)  # fmt: skip
        joined = " ".join(p for p in parts if p)
        return joined or None

    def age_range(self) -> AgeRange | None:
        """The recorded age, else the age implied by birth year and date of death.

        Nothing is invented: without an age, a birth year and a date of death,
        the result is ``None``.
        """
        if self.age is not None:
            return self.age
        if self.birth_year is not None and self.date_of_death is not None:
            return age_from_birth_year(self.birth_year, self.date_of_death)
        return None

    # ------------------------------------------------------------ construction
    @classmethod
    def from_raw(
        cls,
        source: str,
        raw: Mapping[str, object],
        *,
        dayfirst: bool = True,
        ignore_extra: bool = False,
    ) -> VictimRecord:
        """Build a record from a row of cells keyed by canonical column name.

        Parameters
        ----------
        source
            The list's name.
        raw
            Cells keyed by the names in :data:`VICTIM_COLUMNS`; values are text
            (any script and digits), ``None``, or numbers/dates from typed formats.
            Missing keys are unknown values (except ``record_id``, required).
        dayfirst
            Passed to :func:`parse_partial_date` for ``date_of_death``.
        ignore_extra
            Skip keys that are not canonical columns instead of reporting them.

        Raises
        ------
        RecordValidationError
            Listing every failing field with its reason, in column order.
        """
        errors: list[tuple[str, str]] = []
        values: dict[str, Any] = {}
        if not isinstance(source, str) or not SOURCE_NAME_PATTERN.fullmatch(source):
            errors.append(("source", f"not a valid source name: {source!r}"))
        for key in raw:
            if key not in VICTIM_COLUMNS and not ignore_extra:
                errors.append((str(key), "not a canonical column (map or drop it)"))
        record_id = clean_cell(raw.get("record_id"))
        if record_id is None:
            errors.append(("record_id", "record_id is missing or blank"))
        values["record_id"] = record_id
        for column in VICTIM_COLUMNS[1:]:
            cell = raw.get(column)
            try:
                if column in _TEXT_COLUMNS:
                    values[column] = parse_text(cell)
                elif column == "date_of_death":
                    values[column] = parse_partial_date(cell, dayfirst=dayfirst)  # type: ignore[arg-type]
                else:
                    values[column] = cls._PARSERS[column](cell)
            except ValueParseError as error:
                errors.append((column, str(error)))
        if not any(field == "birth_year" for field, _ in errors):
            errors += _cross_field_errors(
                values.get("birth_year"), values.get("date_of_death")
            )
        if errors:
            order = {c: i for i, c in enumerate(("source", *VICTIM_COLUMNS))}
            errors.sort(key=lambda e: order.get(e[0], len(order)))
            raise RecordValidationError(errors, record_id)
        # Every field is now parsed and checked exactly as the validators would;
        # skipping a second validation keeps bulk imports fast.
        return cls.model_construct(source=source, **values)
