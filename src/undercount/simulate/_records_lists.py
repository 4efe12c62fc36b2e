"""How each kind of source lists the dead: who it reaches and how it writes them.

A :class:`ListProfile` states both halves: the capture side (a probability for people
who are easy to document and one for people who are hard to document: the two latent
classes that make capture heterogeneous, as in real MSE work) and the recording side
(script, which name parts, date precision, age rounding, mistakes, duplicates).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from undercount.simulate._records_tables import (
    NameTable,
    family_names,
    female_given_names,
    male_given_names,
    west_mosul_places,
)
from undercount.simulate._records_writing import (
    arabic_spelling,
    latin_spelling,
    recorded_age,
)

NameForm = str
"""Which parts a list writes: ``"gfxk"`` letters: g given, f father, x grandfather,
k family. E.g. ``"gfxk"`` is the full four-part name, ``"gk"`` given + family."""


@dataclass(frozen=True, slots=True)
class ListProfile:
    """How one source captures and records victims.

    Attributes
    ----------
    name
        The list's name (becomes the ``source``).
    capture_visible, capture_hidden
        Probability that the list records a person of the easy-to-document and the
        hard-to-document latent class.
    script
        ``"arabic"`` or ``"latin"``.
    name_forms
        ``{form: probability}`` of the name parts written (see :data:`NameForm`).
    split_name_columns
        Write ``given_name``/``father_name``/``grandfather_name``/``family_name``
        columns instead of one ``name`` column.
    date_precision
        ``{"day"|"month"|"year"|"missing": probability}``.
    date_shift
        ``(probability, max_days)``: the recorded day is later by 1..max_days (a body
        recovered later, a death registered late).
    age_rounding, age_error_sd, age_missing
        Adults' ages rounded to this many years; error standard deviation; chance
        the age is not recorded.
    sex_missing, place_missing
        Chance the sex / the place is not recorded.
    habits, typo
        Arabic-script writing habits (see ``arabic_spelling``) and the chance of a
        mistake per name part.
    duplicate
        Chance a recorded person is entered a second time (written anew).
    """

    name: str
    capture_visible: float
    capture_hidden: float
    script: str
    name_forms: dict[NameForm, float]
    split_name_columns: bool = False
    date_precision: dict[str, float] = field(default_factory=lambda: {"day": 1.0})
    date_shift: tuple[float, int] = (0.0, 0)
    age_rounding: int = 1
    age_error_sd: float = 0.0
    age_missing: float = 0.0
    sex_missing: float = 0.0
    place_missing: float = 0.0
    habits: float = 0.5
    typo: float = 0.02
    duplicate: float = 0.02


def mosul_profiles() -> tuple[ListProfile, ...]:
    """Four west Mosul sources, two in Arabic script and two in Latin script.

    Morgue (Arabic, full four-part names in separate columns, exact days, some late
    registrations), NGO interviews (Latin, three-part names, mostly month precision),
    media monitor (Latin, two-part names, ages rounded to 5, gaps) and hospital
    (Arabic, three- or four-part names, more typing mistakes).
    """
    return (
        ListProfile(
            name="morgue",
            capture_visible=0.60,
            capture_hidden=0.25,
            script="arabic",
            name_forms={"gfxk": 0.8, "gfx": 0.12, "gfk": 0.08},
            split_name_columns=True,
            date_precision={"day": 0.93, "missing": 0.07},
            date_shift=(0.12, 6),
            age_error_sd=1.0,
            age_missing=0.05,
            place_missing=0.05,
            habits=0.5,
            typo=0.03,
            duplicate=0.02,
        ),
        ListProfile(
            name="ngo",
            capture_visible=0.50,
            capture_hidden=0.20,
            script="latin",
            name_forms={"gfk": 0.55, "gfx": 0.25, "gfxk": 0.2},
            date_precision={"month": 0.65, "day": 0.25, "year": 0.05, "missing": 0.05},
            age_error_sd=0.8,
            age_missing=0.08,
            place_missing=0.1,
            typo=0.03,
            duplicate=0.03,
        ),
        ListProfile(
            name="media",
            capture_visible=0.40,
            capture_hidden=0.10,
            script="latin",
            name_forms={"gk": 0.55, "gf": 0.3, "gfk": 0.15},
            date_precision={"day": 0.7, "month": 0.2, "missing": 0.1},
            date_shift=(0.15, 2),
            age_rounding=5,
            age_error_sd=1.5,
            age_missing=0.3,
            sex_missing=0.08,
            place_missing=0.3,
            typo=0.02,
            duplicate=0.04,
        ),
        ListProfile(
            name="hospital",
            capture_visible=0.45,
            capture_hidden=0.15,
            script="arabic",
            name_forms={"gfx": 0.5, "gfxk": 0.4, "gfk": 0.1},
            date_precision={"day": 0.97, "missing": 0.03},
            age_error_sd=0.5,
            age_missing=0.03,
            place_missing=0.15,
            habits=0.7,
            typo=0.12,
            duplicate=0.03,
        ),
    )


def _pick(rng: np.random.Generator, options: dict[str, float]) -> str:
    keys = list(options)
    p = np.array([options[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def _write_part(
    table: NameTable,
    index: int,
    profile: ListProfile,
    rng: np.random.Generator,
    *,
    family: bool = False,
) -> str:
    entry = table.entries[index]
    if profile.script == "arabic":
        return arabic_spelling(
            entry.arabic, rng, habits=profile.habits, typo=profile.typo
        )
    return latin_spelling(entry, rng, family=family, typo=profile.typo)


def _write_date(date: dt.date, profile: ListProfile, rng: np.random.Generator) -> str:
    probability, max_days = profile.date_shift
    if max_days > 0 and rng.random() < probability:
        date = date + dt.timedelta(days=int(rng.integers(1, max_days + 1)))
    precision = _pick(rng, profile.date_precision)
    if precision == "day":
        return date.isoformat()
    if precision == "month":
        return f"{date.year:04d}-{date.month:02d}"
    if precision == "year":
        return f"{date.year:04d}"
    return ""


def record_person(
    person: Mapping[Hashable, Any], profile: ListProfile, rng: np.random.Generator
) -> dict[str, object]:
    """One record of ``person`` (a population row) as ``profile`` writes it."""
    males, females, families = male_given_names(), female_given_names(), family_names()
    form = _pick(rng, profile.name_forms)
    given_table = males if person["sex"] == "M" else females
    parts: dict[str, str] = {}
    parts["given_name"] = _write_part(given_table, int(person["given"]), profile, rng)
    if "f" in form:
        parts["father_name"] = _write_part(males, int(person["father"]), profile, rng)
    if "x" in form:
        parts["grandfather_name"] = _write_part(
            males, int(person["grandfather"]), profile, rng
        )
    if "k" in form and int(person["family"]) >= 0:
        parts["family_name"] = _write_part(
            families, int(person["family"]), profile, rng, family=True
        )
    record: dict[str, object] = {}
    order = ("given_name", "father_name", "grandfather_name", "family_name")
    if profile.split_name_columns:
        record.update({key: parts.get(key, "") for key in order})
    else:
        record["name"] = " ".join(parts[key] for key in order if key in parts)
    record["sex"] = "" if rng.random() < profile.sex_missing else person["sex"]
    if rng.random() < profile.age_missing:
        record["age"] = ""
    else:
        record["age"] = str(
            recorded_age(
                int(person["age"]),
                rng,
                rounding=profile.age_rounding,
                error_sd=profile.age_error_sd,
            )
        )
    record["date_of_death"] = _write_date(person["date_of_death"], profile, rng)
    if rng.random() < profile.place_missing:
        record["place_of_death"] = ""
    else:
        place = west_mosul_places().entries[int(person["place"])]
        if profile.script == "arabic":
            record["place_of_death"] = place.arabic
        else:
            record["place_of_death"] = latin_spelling(place, rng)
    return record
