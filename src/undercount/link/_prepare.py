"""Victim lists -> the linkage table: one row per record, comparison-ready columns.

Each list arrives in the canonical victim-list columns (DESIGN.md). This module turns
them into the columns the Splink comparisons and blocking rules read:

- name parts (``given``, ``father``, ``grandfather``, ``family``): the cross-script
  canonical key of each (``*_key``), its consonant skeleton (``*_cons``: vowels are
  what transliterations disagree on most), a phonetic key for blocking (``*_phon``), the
  phonetic key of the name's last word whatever its slot (``last_phon``, for
  blocking) and, when the token comparison is on, the canonical tokens of the whole
  name (``name_tokens``);
- date of death as the interval it covers, in days since 1970-01-01 (``dod_start``,
  ``dod_end``), its precision, its month (``dod_month``) and exact day (``dod_day``);
- age as an interval (``age_low``, ``age_high``), from ``age`` or ``birth_year``;
- ``sex`` (M/F) and ``place_key`` (through the place alias table).

Columns named in ``LinkageSettings.extra_columns`` (an identity number, a phone,
a postcode) are kept as ``x_<column>`` (trimmed, case-folded) and compared as they are.

Unknown values stay unknown (null), never invented. Integers for dates keep every
comparison plain arithmetic, the same in DuckDB and Spark SQL.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from undercount.errors import UserInputError
from undercount.link._keys import NameKeys
from undercount.link._places import PlaceAliases
from undercount.model._tallies import commonest_per_key

PART_COLUMNS: dict[str, str] = {
    "given": "given_name",
    "father": "father_name",
    "grandfather": "grandfather_name",
    "family": "family_name",
}
"""Name part -> canonical input column."""
_EPOCH = dt.date(1970, 1, 1)
_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")
_ARABIC_LETTER = re.compile(r"[\u0620-\u064a\u066e-\u06d3]")
_NUMBER = re.compile(r"^\s*(\d{1,3})(?:\.0+)?\s*$")
_SEX = {
    "m": "M",
    "male": "M",
    "man": "M",
    "ذكر": "M",
    "f": "F",
    "female": "F",
    "woman": "F",
    "أنثى": "F",
    "انثى": "F",
}


@dataclass
class PreparedRecords:
    """The linkage table and what could not be read.

    Attributes
    ----------
    table
        One row per record (see module docstring for the columns).
    unreadable
        ``{(source, column): count}`` of cells that could not be parsed and were
        treated as unknown.
    present
        Which kinds of evidence the inputs hold at all (``name``, ``date``, ``age``,
        ``sex``, ``place``): comparisons are generated only for these.
    """

    table: pd.DataFrame
    unreadable: dict[tuple[str, str], int] = field(default_factory=dict)
    present: frozenset[str] = frozenset()


def _mapped(values: pd.Series, function: Callable[[str], Any]) -> pd.Series:
    """Apply ``function`` once per distinct non-empty value (names repeat a lot)."""
    text = values.fillna("").astype(str).str.strip()
    uniques = pd.unique(text[text != ""])
    lookup = {value: function(value) for value in uniques}
    return text.map(lambda v: lookup.get(v) if v else None)


def _model_parser(name: str) -> Callable[[str], Any] | None:
    try:
        import undercount.model as model
    except ImportError:  # pragma: no cover
        return None
    parser = getattr(model, name, None)
    return parser if callable(parser) else None


def _dates(
    values: pd.Series, source: str, unreadable: dict[tuple[str, str], int]
) -> pd.DataFrame:
    """Date cells -> start/end day numbers and precision (vectorised for ISO)."""
    text = values.fillna("").astype(str).str.strip()
    parts = text.str.extract(_ISO)
    year = pd.to_numeric(parts[0], errors="coerce")
    month = pd.to_numeric(parts[1], errors="coerce")
    day = pd.to_numeric(parts[2], errors="coerce")
    precision = pd.Series([None] * len(text), index=text.index, dtype="object")
    precision[year.notna()] = "year"
    precision[month.notna()] = "month"
    precision[day.notna()] = "day"
    start_month = month.fillna(1)
    start_day = day.fillna(1)
    start = pd.to_datetime(
        pd.DataFrame({"year": year, "month": start_month, "day": start_day}),
        errors="coerce",
    )
    end_month = month.fillna(12)
    end = pd.to_datetime(
        pd.DataFrame({"year": year, "month": end_month, "day": 1}), errors="coerce"
    )
    end = end + pd.offsets.MonthEnd(0)
    end = end.where(day.isna(), start)
    other = (text != "") & (start.isna())
    if other.any():
        parser = _model_parser("parse_partial_date")
        bad = 0
        for index in text.index[other]:
            parsed = None
            if parser is not None:
                try:
                    parsed = parser(text[index])
                except (ValueError, TypeError, UserInputError):
                    parsed = None
            if parsed is None:
                bad += 1
                precision[index] = None
                continue
            start[index] = pd.Timestamp(parsed.start())
            end[index] = pd.Timestamp(parsed.end())
            precision[index] = parsed.precision
        if bad:
            unreadable[(source, "date_of_death")] = bad
    epoch = pd.Timestamp(_EPOCH)
    start_days = ((start - epoch).dt.days).astype("Int64")
    end_days = ((end - epoch).dt.days).astype("Int64")
    month_label = start.dt.strftime("%Y-%m").where(precision.isin(["day", "month"]))
    return pd.DataFrame(
        {
            "dod_start": start_days,
            "dod_end": end_days,
            "dod_precision": precision,
            "dod_month": month_label.astype(object).where(month_label.notna(), None),
            "dod_day": start_days.where(precision == "day"),
            "dod_year": start.dt.year.astype("Int64"),
            "dod_m": start.dt.month.astype("Int64").where(precision == "day"),
            "dod_d": start.dt.day.astype("Int64").where(precision == "day"),
        }
    )


def _ages(
    frame: pd.DataFrame,
    death_year: pd.Series,
    source: str,
    unreadable: dict[tuple[str, str], int],
) -> pd.DataFrame:
    """``age`` (or ``birth_year``) cells -> an age interval in whole years."""
    low = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    high = low.copy()
    if "age" in frame.columns:
        text = frame["age"].fillna("").astype(str).str.strip()
        number = pd.to_numeric(text.str.extract(_NUMBER)[0], errors="coerce").astype(
            "Int64"
        )
        low, high = number.copy(), number.copy()
        other = (text != "") & number.isna()
        if other.any():
            parser = _model_parser("parse_age")
            bad = 0
            for index in text.index[other]:
                parsed = None
                if parser is not None:
                    try:
                        parsed = parser(text[index])
                    except (ValueError, TypeError, UserInputError):
                        parsed = None
                if parsed is None:
                    bad += 1
                    continue
                low[index] = getattr(parsed, "low", None)
                high[index] = getattr(parsed, "high", None)
            if bad:
                unreadable[(source, "age")] = bad
    if "birth_year" in frame.columns:
        text = frame["birth_year"].fillna("").astype(str).str.strip()
        born = pd.to_numeric(text.str.extract(r"^(\d{4})")[0], errors="coerce").astype(
            "Int64"
        )
        reference = death_year.fillna(
            int(death_year.median()) if death_year.notna().any() else 2017
        )
        use = low.isna() & born.notna()
        low = low.where(~use, reference - born - 1)
        high = high.where(~use, reference - born)
        bad = int(((text != "") & born.isna()).sum())
        if bad:
            unreadable[(source, "birth_year")] = bad
    return pd.DataFrame({"age_low": low, "age_high": high})


def _sex(values: pd.Series) -> pd.Series:
    text = values.fillna("").astype(str).str.strip().str.casefold()
    return text.map(lambda v: _SEX.get(v))


def _name_parts(frame: pd.DataFrame, keys: NameKeys) -> pd.DataFrame:
    """The four name parts as text, from part columns and/or a full ``name``."""
    parts = pd.DataFrame(index=frame.index, columns=list(PART_COLUMNS), dtype=object)
    for part, column in PART_COLUMNS.items():
        if column in frame.columns:
            parts[part] = (
                frame[column].fillna("").astype(str).str.strip().replace("", None)
            )
    if "name" in frame.columns:
        names = frame["name"].fillna("").astype(str).str.strip()
        need = parts.isna().all(axis=1) & (names != "")
        if need.any():
            split = _mapped(names[need], keys.split_name)
            for part in PART_COLUMNS:
                parts.loc[need, part] = split.map(lambda s, p=part: getattr(s, p))
    return parts


def _arabic_letters(part: str) -> str | None:
    """A name part written in Arabic script, normalised, without spaces; else None.

    Compared by edit distance: a clerk's slip (a dot misplaced, a letter dropped, as
    in حد for حمد) changes one letter of the Arabic spelling but can move the
    cross-script key of a short name far (``hd`` / ``hmd``).
    """
    if not _ARABIC_LETTER.search(part):
        return None
    from undercount.names import normalise_arabic

    text = normalise_arabic(part).replace(" ", "")
    return text if len(text) >= 2 else None


def _join_parts(parts: pd.DataFrame) -> pd.Series:
    """The name parts joined by single spaces (vectorised)."""
    text = parts["given"].fillna("").astype(str)
    for part in ("father", "grandfather", "family"):
        text = text + " " + parts[part].fillna("").astype(str)
    return text.str.replace(r"\s+", " ", regex=True).str.strip()


def _display_name(frame: pd.DataFrame, parts: pd.DataFrame) -> pd.Series:
    if "name" in frame.columns:
        names = frame["name"].fillna("").astype(str).str.strip()
    else:
        names = pd.Series("", index=frame.index)
    joined = _join_parts(parts)
    return names.where(names != "", joined)


def prepare_list(
    source: str,
    frame: pd.DataFrame,
    keys: NameKeys,
    places: PlaceAliases,
    unreadable: dict[tuple[str, str], int],
    *,
    with_tokens: bool = False,
) -> pd.DataFrame:
    """One list -> its rows of the linkage table (see module docstring)."""
    columns = list(map(str, frame.columns))
    if "record_id" not in frame.columns:
        raise UserInputError(
            f"list {source!r}: no record_id column; columns are {columns!r}; "
            "add a record_id unique within the list or map one in the config"
        )
    ids = frame["record_id"].fillna("").astype(str).str.strip()
    if (ids == "").any():
        row = int(np.flatnonzero((ids == "").to_numpy())[0]) + 2
        raise UserInputError(
            f"list {source!r}: row {row}: record_id is empty; every record needs one"
        )
    duplicated = ids[ids.duplicated()]
    if len(duplicated):
        raise UserInputError(
            f"list {source!r}: record_id {duplicated.iloc[0]!r} appears more than "
            "once; record ids must be unique within a list"
        )
    name_columns = {"name", *PART_COLUMNS.values()} & set(frame.columns)
    if not name_columns:
        raise UserInputError(
            f"list {source!r}: no name column; expected 'name' or given_name/"
            f"father_name/grandfather_name/family_name, found {columns!r}"
        )
    parts = _name_parts(frame, keys)
    out = pd.DataFrame(
        {"unique_id": ids.to_numpy(), "source_dataset": source, "list_name": source},
        index=frame.index,
    )
    for part in PART_COLUMNS:
        out[f"{part}_key"] = _mapped(parts[part], keys.canonical_key)
        out[f"{part}_phon"] = _mapped(parts[part], keys.phonetic_key)
        out[f"{part}_cons"] = _mapped(parts[part], keys.consonant_key)
        out[f"{part}_ar"] = _mapped(parts[part], _arabic_letters)
    full = _join_parts(parts)
    last_part = parts["grandfather"].where(
        parts["grandfather"].notna(), parts["father"]
    )
    surname = parts["family"].where(parts["family"].notna(), last_part)
    out["surname_key"] = _mapped(surname, keys.canonical_key)
    last = full.str.split().str[-1].fillna("")
    out["last_phon"] = _mapped(last, keys.phonetic_key).where(
        parts.notna().sum(axis=1) > 1, None
    )
    if with_tokens:
        out["name_tokens"] = _mapped(
            full, lambda t: sorted(set(keys.canonical_tokens(t))) or None
        )
    dates = _dates(
        frame.get("date_of_death", pd.Series("", index=frame.index)), source, unreadable
    )
    out = pd.concat([out, dates.set_axis(frame.index)], axis=1)
    ages = _ages(frame, out["dod_year"], source, unreadable)
    out = pd.concat([out, ages], axis=1)
    out["sex"] = _sex(frame["sex"]) if "sex" in frame.columns else None
    if "place_of_death" in frame.columns:
        out["place_key"] = _mapped(
            frame["place_of_death"], lambda t: places.key(t, keys.canonical_key)
        )
    else:
        out["place_key"] = None
    out["name_display"] = _display_name(frame, parts)
    out["date_display"] = (
        frame.get("date_of_death", pd.Series("", index=frame.index))
        .fillna("")
        .astype(str)
    )
    return out.reset_index(drop=True)


FAMILY_EVIDENCE = (5, 3.0)
"""A last name part is read as the family name when its key is a family name at
least this many times in the lists and this many times as often as it is a given,
father's or grandfather's name."""
_PART_SUFFIXES = ("key", "phon", "cons", "ar")


def _family_without_article(table: pd.DataFrame) -> None:
    """Move a last name part that the lists themselves know as a family name
    into the family slot (in place).

    "Layla Ubaidi" and "Ahmed Amar Taie" write the family name without its article,
    so the name split reads Ubaidi as the father's name and Taie as the
    grandfather's, and the comparison then finds "different fathers" against
    «ليلى يونس العبيدي». Whether a word is a family name is read from the lists
    being linked: the key of a name's last part (when the name has no family name)
    is moved to the family slot when that key appears as a family name (written
    with the article, or in a family-name column) in at least
    ``FAMILY_EVIDENCE[0]`` records and ``FAMILY_EVIDENCE[1]`` times as often as it
    appears as a given, father's or grandfather's name. Names that are both (Talib,
    Hussein) stay where the split put them. A family key that is a known family
    key with an ``l`` in front ("Aljubouri": the article joined to the name) loses
    the ``l``.
    """
    at_least, ratio = FAMILY_EVIDENCE
    family_counts = table["family_key"].value_counts()
    family_counts = family_counts[family_counts >= at_least]
    if family_counts.empty:
        return
    name_counts = (
        pd.concat([table[f"{p}_key"] for p in ("given", "father", "grandfather")])
        .value_counts()
        .reindex(family_counts.index, fill_value=0)
    )
    family_like = set(family_counts.index[family_counts >= ratio * name_counts])
    # "Aljubouri": the article joined to the name leaves an "l" in front of the key
    joined = table["family_key"].fillna("").str.match(r"^l[^ ]{3,}$")
    if joined.any():
        bare = table.loc[joined, "family_key"].str[1:]
        fix = bare.isin(family_like) & ~table.loc[joined, "family_key"].isin(
            family_counts.index
        )
        fixed = fix[fix].index
        table.loc[fixed, "family_key"] = bare[fix]
        cons = table.loc[fixed, "family_cons"].fillna("")
        table.loc[fixed, "family_cons"] = cons.str.replace(r"^l", "", regex=True)
    no_family = table["family_key"].isna()
    for slot, later in (("grandfather", None), ("father", "grandfather")):
        move = no_family & table[f"{slot}_key"].isin(family_like)
        if later is not None:
            move &= table[f"{later}_key"].isna()
        if not move.any():
            continue
        mask = move.to_numpy()
        for suffix in _PART_SUFFIXES:
            family = table[f"family_{suffix}"].to_numpy(dtype=object, copy=True)
            moved = table[f"{slot}_{suffix}"].to_numpy(dtype=object, copy=True)
            family[mask] = moved[mask]
            moved[mask] = None
            table[f"family_{suffix}"] = family
            table[f"{slot}_{suffix}"] = moved
        no_family &= ~move


def _borrow_arabic_spellings(table: pd.DataFrame) -> None:
    """Give each Latin-script name part the Arabic spelling the lists themselves
    use for its canonical key (in place).

    A clerk's slip in an Arabic-script list (لبلي for ليلى, سغاد for سعاد) moves
    the cross-script key of a short name far from its transliteration (``lbli`` /
    ``lil``), so the pair lands in the "clearly different" level and is vetoed as
    two siblings. In Arabic script the slip is one letter. A Latin part
    (``Layla``, key ``lil``) therefore takes the spelling most often written in
    the Arabic-script records with the same key (ties: the first in sort order),
    and the "one slip apart in Arabic script" level compares the two. Parts whose
    key no Arabic-script record has stay without one; nothing is invented beyond
    what the lists contain. On the simulated Mosul lists every given-name pair this
    moved out of "clearly different" was one person (30 of 30).
    """
    for part in PART_COLUMNS:
        arabic = table[f"{part}_ar"]
        written = arabic.notna()
        if not written.any():
            continue
        for by in ("key", "cons"):
            missing = table[f"{part}_ar"].isna() & table[f"{part}_{by}"].notna()
            if not missing.any():
                break
            spelling = commonest_per_key(
                table.loc[written, f"{part}_{by}"], arabic[written]
            )
            table.loc[missing, f"{part}_ar"] = table.loc[missing, f"{part}_{by}"].map(
                spelling
            )


def prepare_lists(
    lists: Mapping[str, pd.DataFrame],
    keys: NameKeys,
    places: PlaceAliases,
    extra_columns: Sequence[str] = (),
    *,
    with_tokens: bool = False,
) -> PreparedRecords:
    """All lists -> one linkage table (see :func:`prepare_list`)."""
    if len(lists) < 1:
        raise UserInputError("no lists given; pass at least one list to link")
    unreadable: dict[tuple[str, str], int] = {}
    tables = []
    for source, frame in lists.items():
        table = prepare_list(
            source, frame, keys, places, unreadable, with_tokens=with_tokens
        )
        for column in extra_columns:
            values = (
                frame[column].fillna("").astype(str).str.strip().str.casefold()
                if column in frame.columns
                else pd.Series("", index=frame.index)
            )
            table[f"x_{column}"] = values.replace("", None).to_numpy()
        tables.append(table)
    table = pd.concat(tables, ignore_index=True)
    _family_without_article(table)
    _borrow_arabic_spellings(table)
    present: dict[str, bool] = {
        "name": bool(table[[f"{p}_key" for p in PART_COLUMNS]].notna().any().any()),
        "date": bool(table["dod_start"].notna().any()),
        "age": bool(table["age_low"].notna().any()),
        "sex": bool(table["sex"].notna().any()),
        "place": bool(table["place_key"].notna().any()),
    }
    for part in PART_COLUMNS:
        present[part] = bool(table[f"{part}_key"].notna().any())
    for column in extra_columns:
        present[f"x_{column}"] = bool(table[f"x_{column}"].notna().any())
    return PreparedRecords(
        table=table,
        unreadable=unreadable,
        present=frozenset(k for k, v in present.items() if v),
    )
