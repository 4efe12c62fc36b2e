"""Incidents (events with casualties) and belligerents' acknowledgments of deaths.

An :class:`Incident` is what an incident-reporting source (Airwaves, ACLED, UCDP GED,
a monitoring NGO) says about one event: when, where, who, how many. Counts are
kept as ranges (``killed_min``..``killed_max``) because sources report them so.
An :class:`Acknowledgment` is a belligerent's own statement of civilian deaths it
caused, over a period or for one incident; ``compare`` sets it beside the
documented and estimated counts.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from undercount.model._dates import PartialDate
from undercount.model._fields import (
    Count,
    Latitude,
    Longitude,
    NonEmptyText,
    OptionalText,
    RequiredCount,
    Sha256,
    SourceName,
)

__all__ = ["Acknowledgment", "Incident", "LocationPrecision"]

LocationPrecision = Literal["exact", "near", "district", "governorate", "country"]
"""How precisely the coordinates place the event: at the site, within a few
kilometres, or only the centroid of a district, governorate or country (the
scale UCDP GED's ``where_prec`` codes 1-6 and ACLED's ``geo_precision`` map onto)."""


def _check_range(name: str, low: int | None, high: int | None) -> list[str]:
    if low is not None and high is not None and low > high:
        return [f"{name}_min ({low}) is greater than {name}_max ({high})"]
    return []


class Incident(BaseModel):
    """One event with civilian casualties, as reported by one source.

    Attributes
    ----------
    source, incident_id
        The reporting source and the event's identifier there.
    date
        :class:`PartialDate` of the event, at the precision reported.
    place
        Place name as reported (village, neighbourhood, city).
    latitude, longitude
        WGS 84 coordinates, both or neither; ``location_precision`` says how
        precise they are (required with coordinates).
    belligerents
        Parties reported or suspected to be responsible for the deaths
        (alleged perpetrators; several may be alleged).
    parties
        Parties to the fighting when the source attributes the deaths to none
        of them (a battle between two armed groups: UCDP GED state-based and
        non-state events, ACLED battles). They are not alleged perpetrators:
        an incident with parties and no ``belligerents`` is unattributed, and
        two parties to one battle are not competing attributions.
    weapon
        Weapon or means (e.g. "airstrike", "IED", "artillery").
    killed_min, killed_max, injured_min, injured_max
        Reported counts as ranges; one side may be unknown. ``min <= max``.
    children_killed, women_killed
        Subsets of the killed, when reported; at most ``killed_max``.
    description
        Free text as reported.
    source_refs
        URLs or document references backing the report.
    document_sha256
        SHA-256 of the archived evidence document, if archived.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: SourceName
    incident_id: NonEmptyText
    date: PartialDate | None = None
    place: OptionalText = None
    latitude: Latitude = None
    longitude: Longitude = None
    location_precision: LocationPrecision | None = None
    belligerents: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    weapon: OptionalText = None
    killed_min: Count = None
    killed_max: Count = None
    injured_min: Count = None
    injured_max: Count = None
    children_killed: Count = None
    women_killed: Count = None
    description: OptionalText = None
    source_refs: tuple[str, ...] = ()
    document_sha256: Sha256 | None = None

    @model_validator(mode="after")
    def _check_consistency(self) -> Incident:
        problems = _check_range("killed", self.killed_min, self.killed_max)
        problems += _check_range("injured", self.injured_min, self.injured_max)
        if (self.latitude is None) != (self.longitude is None):
            problems.append("latitude and longitude go together: give both or neither")
        if self.latitude is not None and self.location_precision is None:
            problems.append("coordinates need a location_precision")
        ceiling = self.killed_max
        for name in ("children_killed", "women_killed"):
            value = getattr(self, name)
            if value is not None and ceiling is not None and value > ceiling:
                problems.append(f"{name} ({value}) exceeds killed_max ({ceiling})")
        if (
            self.children_killed is not None
            and self.women_killed is not None
            and ceiling is not None
            and self.children_killed + self.women_killed > ceiling
        ):
            problems.append("children_killed + women_killed exceeds killed_max")
        if any(not b.strip() for b in self.belligerents):
            problems.append("belligerents must not contain blank names")
        if any(not b.strip() for b in self.parties):
            problems.append("parties must not contain blank names")
        if any(not r.strip() for r in self.source_refs):
            problems.append("source_refs must not contain blank references")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def killed_range(self) -> tuple[int | None, int | None]:
        """``(killed_min, killed_max)``, with a single known side used for both."""
        low, high = self.killed_min, self.killed_max
        return (low if low is not None else high, high if high is not None else low)


class Acknowledgment(BaseModel):
    """A belligerent's own statement of the civilian deaths it caused.

    Attributes
    ----------
    belligerent
        Who acknowledges (e.g. "CJTF-OIR", "Iraqi Security Forces").
    period_start, period_end
        The period covered, as :class:`PartialDate`; both or neither.
    incident_id
        Or the single incident acknowledged (the id in an incident source).
    place
        Place a period acknowledgment is limited to (``None``: it names no
        place, so it can be set only against all places together). Importers
        store the gazetteer's name for it when the place resolves (alias
        normalisation, see :mod:`undercount.incidents`).
    deaths_acknowledged
        Number of civilian deaths acknowledged (``>= 0``).
    document
        The statement: title, URL or file name (required: an acknowledgment
        without its document cannot be checked).
    document_sha256
        SHA-256 of the archived document, if archived.
    notes
        Free text (caveats, e.g. "under assessment").

    Notes
    -----
    At least a period or an incident is required. ``period_start`` must not
    begin after ``period_end`` ends; coarse bounds are allowed
    (``2016-10`` .. ``2017-07``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    belligerent: NonEmptyText
    period_start: PartialDate | None = None
    period_end: PartialDate | None = None
    incident_id: OptionalText = None
    place: OptionalText = None
    deaths_acknowledged: RequiredCount
    document: NonEmptyText
    document_sha256: Sha256 | None = None
    notes: OptionalText = None

    @model_validator(mode="after")
    def _check_scope(self) -> Acknowledgment:
        start, end = self.period_start, self.period_end
        if (start is None) != (end is None):
            raise ValueError("period_start and period_end go together: give both")
        if start is None and self.incident_id is None:
            raise ValueError("an acknowledgment needs a period or an incident_id")
        if start is not None and end is not None and start.start() > end.end():
            raise ValueError(f"period_start {start} is after period_end {end}")
        return self

    def covers(self, date: PartialDate) -> bool | None:
        """Whether ``date`` falls in the acknowledged period.

        ``True`` if entirely inside, ``False`` if entirely outside, ``None`` when
        it straddles a boundary (or the acknowledgment is for one incident).
        """
        if self.period_start is None or self.period_end is None:
            return None
        first, last = self.period_start.start(), self.period_end.end()
        if first <= date.start() and date.end() <= last:
            return True
        if date.end() < first or date.start() > last:
            return False
        return None
