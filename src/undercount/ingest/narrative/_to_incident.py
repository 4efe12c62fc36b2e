"""An accepted incident proposal as an incident report, and reviewer corrections.

A proposed incident (figures, places, period, actors, weapons of one paragraph)
becomes one :class:`undercount.model.Incident` of the document's own source
(``narrative-<file>-<sha8>``), with the document (file name and SHA-256) and the
quoted words of its span as ``source_refs``, so that the incidents stage can match,
grade and count it like any other report.

A reviewer's corrections use the field names of an incident table
(:data:`INCIDENT_EDIT_FIELDS`, as in ``undercount incidents import``): ``killed``
sets both bounds, ``date`` and ``date_end`` give the window, ``belligerents`` is
``;``-separated. They are checked by building the incident: a correction that
would make an invalid record is refused with the rule it breaks.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from undercount.errors import UserInputError
from undercount.incidents import INCIDENT_FIELDS
from undercount.model import Incident, PartialDate, parse_partial_date

__all__ = [
    "INCIDENT_EDIT_FIELDS",
    "IncidentRow",
    "document_source",
    "incident_from_proposal",
    "parse_edits",
]

#: Incident fields the document and the review fix (never corrected by hand).
_FIXED_FIELDS = frozenset(
    {"source", "incident_id", "source_refs", "document_sha256", "assessment"}
)
#: Fields a reviewer may correct on an incident proposal: the columns of an
#: incident table (``undercount incidents import``), taken from the incidents
#: stage so the two never drift apart.
INCIDENT_EDIT_FIELDS: tuple[str, ...] = tuple(
    f for f in INCIDENT_FIELDS if f not in _FIXED_FIELDS
)
_LIST_FIELDS = frozenset({"belligerents"})
_BLANK = frozenset({"", "none", "null", "-"})
_NOT_VICTIMS = frozenset({"combatants"})
_SUBSETS = {"children": "children_killed", "women": "women_killed"}


def document_source(file_name: str, sha256: str) -> str:
    """The incident source name of a document: ``narrative-<file stem>-<sha8>``.

    One source per document, so that two reports of one event in different
    documents can be matched (the incidents stage never matches two reports of
    one source), and the name says where the report came from.
    """
    stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    slug = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:40].strip("-") or "document"
    return f"narrative-{slug}-{sha256[:8]}"


def parse_edits(edits: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["killed=105", "place=Mosul al-Jadida"]`` as a dict (later wins).

    Raises
    ------
    UserInputError
        When an edit has no ``=`` or no field name.
    """
    out: dict[str, str] = {}
    for edit in edits:
        field, sep, value = edit.partition("=")
        if not sep or not field.strip():
            raise UserInputError(
                f"a correction is FIELD=VALUE, got {edit!r}; for example "
                "killed=105 or place='Mosul al-Jadida'"
            )
        out[field.strip()] = value.strip()
    return out


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in _BLANK)


def _common_date(first: str | None, last: str | None) -> PartialDate | None:
    """The finest partial date holding both days (None when they span years)."""
    if not first or not last:
        return None
    if first == last:
        return PartialDate.from_iso(first)
    if first[:7] == last[:7]:
        return PartialDate.from_iso(first[:7])
    if first[:4] == last[:4]:
        return PartialDate.from_iso(first[:4])
    return None


def _pick(figures: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The largest figure (by lower, then upper bound) of a list."""
    if not figures:
        return None
    return max(
        figures,
        key=lambda f: (f.get("low") or 0, f.get("high") or float("inf")),
    )


def _figures(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Killed, injured and subset counts from the proposal's figures."""
    figures = list(payload.get("figures", []))
    fields: dict[str, Any] = {}
    for outcome in ("killed", "injured"):
        mine = [
            f
            for f in figures
            if f["outcome"] == outcome and f["victims"] not in _NOT_VICTIMS
        ]
        whole = [f for f in mine if f["victims"] not in _SUBSETS] or mine
        best = _pick(whole)
        if best is not None:
            fields[f"{outcome}_min"] = best.get("low")
            fields[f"{outcome}_max"] = best.get("high")
    for victims, field in _SUBSETS.items():
        subset = [
            f
            for f in figures
            if f["outcome"] == "killed" and f["victims"] == victims
            and f.get("low") is not None and f.get("low") == f.get("high")
        ]  # fmt: skip
        best = _pick(subset)
        if best is not None and best is not _pick(
            [f for f in figures if f["outcome"] == "killed"]
        ):
            fields[field] = best["low"]
    return fields


@dataclass(frozen=True, slots=True)
class IncidentRow:
    """An incident report ready for the incident tables."""

    incident: Incident
    first_day: datetime.date | None
    last_day: datetime.date | None
    place_context: str | None

    @property
    def key(self) -> str:
        """``source:incident_id``, the key the incidents stage uses."""
        return f"{self.incident.source}:{self.incident.incident_id}"


def _base_fields(payload: Mapping[str, Any]) -> dict[str, Any]:
    places = list(payload.get("place_names", []))
    weapons = [w.replace("_", " ") for w in payload.get("weapon_ids", [])]
    fields: dict[str, Any] = {
        "date": _common_date(payload.get("period_start"), payload.get("period_end")),
        "date_start": payload.get("period_start"),
        "date_end": payload.get("period_end"),
        "place": places[0] if places else None,
        "place_context": ", ".join(places[1:]) or None,
        "belligerents": tuple(
            a.replace("_", " ") for a in payload.get("actor_ids", [])
        ),
        "weapon": " and/or ".join(weapons) or None,
    }
    fields.update(_figures(payload))
    return fields


def _apply_edits(fields: dict[str, Any], edits: Mapping[str, Any]) -> None:
    unknown = sorted(set(edits) - set(INCIDENT_EDIT_FIELDS))
    if unknown:
        raise UserInputError(
            f"cannot correct {', '.join(map(repr, unknown))} on an incident proposal; "
            f"correctable fields: {', '.join(INCIDENT_EDIT_FIELDS)}"
        )
    for name, raw in edits.items():
        value = None if _blank(raw) else raw
        if name in ("killed", "injured"):
            fields[f"{name}_min"] = fields[f"{name}_max"] = value
        elif name in ("date", "date_end"):
            day = None
            if value is not None:
                try:
                    day = parse_partial_date(str(value))
                except UserInputError as exc:
                    raise UserInputError(f"correction {name}: {exc}") from None
                if day is None:
                    raise UserInputError(
                        f"correction {name} must be a date such as 2017-03-17, "
                        f"2017-03 or 2017; got {raw!r}"
                    )
            if name == "date":
                fields["date"] = day
                fields["date_start"] = day.start().isoformat() if day else None
                if "date_end" not in edits:
                    fields["date_end"] = day.end().isoformat() if day else None
            else:
                fields["date_end"] = day.end().isoformat() if day else None
        elif name in _LIST_FIELDS and isinstance(value, str):
            fields[name] = tuple(p.strip() for p in value.split(";") if p.strip())
        else:
            fields[name] = value if value is not None or name in fields else None


def incident_from_proposal(
    *,
    source: str,
    proposal_id: str,
    payload: Mapping[str, Any],
    corrections: Mapping[str, Any],
    file_name: str,
    sha256: str,
    span: tuple[int, int],
    quoted_text: str,
) -> IncidentRow:
    """The incident report an accepted (or corrected) incident proposal becomes.

    Raises
    ------
    UserInputError
        When a correction names an unknown field or the result is not a valid
        incident (e.g. ``killed_min`` above ``killed_max``, a bad date); the
        message gives the rule and the value.
    """
    fields = _base_fields(payload)
    _apply_edits(fields, corrections)
    first = fields.pop("date_start")
    last = fields.pop("date_end")
    place_context = fields.pop("place_context")
    try:
        first_day = datetime.date.fromisoformat(first) if first else None
        last_day = datetime.date.fromisoformat(last) if last else None
    except ValueError:
        raise UserInputError(f"not a date window: {first!r}..{last!r}") from None
    if first_day and last_day and first_day > last_day:
        raise UserInputError(
            f"the date window starts ({first_day}) after it ends ({last_day}); "
            "correct date or date_end"
        )
    if fields.get("date") is None and first_day and last_day:
        fields["date"] = _common_date(first_day.isoformat(), last_day.isoformat())
    refs = (
        f"{file_name} (sha256 {sha256})",
        f"{file_name} characters {span[0]}-{span[1]}: \u201c{quoted_text}\u201d",
    )
    try:
        incident = Incident.model_validate(
            {
                **fields,
                "source": source,
                "incident_id": proposal_id,
                "description": fields.get("description") or quoted_text,
                "source_refs": refs,
                "document_sha256": sha256,
            }
        )
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'record'}: "
            f"{e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise UserInputError(
            f"proposal {proposal_id!r} is not a valid incident ({problems}); "
            "correct it with FIELD=VALUE edits (e.g. killed_max=141)"
        ) from None
    return IncidentRow(incident, first_day, last_day, place_context)
