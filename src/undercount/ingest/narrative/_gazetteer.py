"""The shipped gazetteer and the place matcher.

Two data files under ``undercount/data/gazetteer/`` (provenance in SOURCE.md):
``iraq_admin.json`` (derived: Iraqi governorates, districts, sub-districts, towns)
and ``curated.json`` (hand-curated: Mosul neighbourhoods and landmarks, Syria,
extra spellings). Names are matched token by token through a *key* that forgets
what English transliterations disagree on: the Arabic article (al-, el-, as-...),
doubled letters, ``ou``/``u``, ``ee``/``i``, a final ``-ah``/``-a`` and ``q``/``k``.
So "Qayyarah", "Qayara" and "al-Qayyara" are one key. Arabic-script names are
keyed after removing diacritics and unifying alef, yaa and taa marbuta forms, and
may carry the clitics و ب ل ف before the article.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

_LATIN_ARTICLES = {"al", "el"}
_HYPHEN_ARTICLES = {"al", "el", "ad", "as", "ash", "az", "an", "ar", "at", "ath"}
_LEVEL_RANK = {
    "country": 0,
    "city": 1,
    "governorate": 2,
    "area": 3,
    "district": 4,
    "neighbourhood": 5,
    "landmark": 5,
    "subdistrict": 6,
}
# Words, with inner apostrophes (Sha'afa) but not a possessive "'s" (Mosul's).
_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019\u02bf\u02be](?!s\b)[^\W\d_]+)*|\d+")
_AR_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")
_AR_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و"}
)
_ARABIC_CHAR = re.compile("[\u0600-\u06ff\u0750-\u077f]")
_AREA_AFTER = re.compile(r"\s+(?:neighbou?rhoods?|district|quarter|area)\b", re.I)
# Generic words for an administrative or urban unit ("Hay al-Tanak" = the al-Tanak
# neighbourhood; "Qada Sinjar" = Sinjar district). Without an article they only
# introduce the name after them and are never a place by themselves (bare "Hay"
# is otherwise the key of the town Al Hayy, bare "حي" that of Al-Hai).
GENERIC_PREFIXES = frozenset(
    {"hay", "hayy", "hai", "mahalla", "mahallah", "mahallat", "qada", "qadaa",
     "nahiya", "nahiyah", "nahiyat", "حي", "محلة", "محله", "قضاء", "ناحية", "ناحيه"}
)  # fmt: skip
_GENERIC_AR = frozenset(
    w.translate(_AR_LETTERS) for w in GENERIC_PREFIXES if _ARABIC_CHAR.match(w)
)
_GENERIC_CUE = (
    r"|Hay|Hayy|Hai|Mahalla|Mahallah|Mahallat|Qada|Qadaa|Nahiya|Nahiyah|Nahiyat"
)
_NAME_IN_LIST = r"(?:(?:al|el)-)?[A-Z][\w'\u2019-]*(?:\s+[A-Z0-9][\w'\u2019-]*)?"
# "the Nablus, Yarmouk and al-Mansour neighbourhoods": a name opening a list that
# ends with a word for urban areas is in such an area.
_LIST_AREA_AFTER = re.compile(
    rf"(?:\s*,\s*{_NAME_IN_LIST}){{0,8}}\s*,?\s+(?:and|or)\s+{_NAME_IN_LIST}"
    r"\s+(?:neighbou?rhoods|districts|quarters|areas)\b"
)
# A name that continues a list of Mosul neighbourhoods ("in Zanjili, Nablus and
# Yarmouk") inherits the list's locative cue.
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)")
_LOCATIVE = re.compile(
    r"(?:\b(?:in|of|near|at|from|to|into|around|outside|inside|across|toward|towards"
    rf"|neighbou?rhoods?|districts?|quarters?|areas?|town|village|city{_GENERIC_CUE})"
    r"\s+(?:the\s+)?)$",
    re.IGNORECASE,
)


@lru_cache(maxsize=65536)
def _latin_skeleton(token: str) -> str:
    token = token.lower()
    token = re.sub(r"['\u2019\u02bf\u02be`]", "", token)
    token = re.sub(r"(.)\1+", r"\1", token)
    token = token.replace("ou", "u").replace("oo", "u").replace("ee", "i")
    token = re.sub(r"(?<=\w\w)[ae]h$", "a", token)
    return token.replace("q", "k")


@lru_cache(maxsize=65536)
def _arabic_key(token: str) -> str:
    token = _AR_DIACRITICS.sub("", token).translate(_AR_LETTERS)
    return token[2:] if token.startswith("ال") and len(token) > 3 else token


def name_key(name: str) -> str:
    """The matching key of a place name (see the module docstring)."""
    tokens = [m.group() for m in _TOKEN.finditer(name)]
    keys: list[str] = []
    for i, token in enumerate(tokens):
        low = token.lower()
        if _ARABIC_CHAR.match(token):
            keys.append(_arabic_key(token))
        elif low in _HYPHEN_ARTICLES and i + 1 < len(tokens):
            continue
        else:
            keys.append(_latin_skeleton(token))
    return " ".join(k for k in keys if k)


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One place of the gazetteer."""

    id: str
    name: str
    name_ar: str | None
    level: str
    country: str
    parent: str | None
    lat: float | None
    lon: float | None
    source: str
    ambiguous: bool = False
    bank: str | None = None
    needs_article: bool = False


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A gazetteer hit in a text."""

    start: int
    end: int
    entry: GazetteerEntry
    script: str
    confidence: float


@dataclass
class Gazetteer:
    """Places indexed by name key; build with :func:`load_gazetteer`."""

    entries: dict[str, GazetteerEntry] = field(default_factory=dict)
    index: dict[str, list[str]] = field(default_factory=dict)
    ambiguous_keys: frozenset[str] = frozenset()
    max_tokens: int = 1
    first_keys: set[str] = field(default_factory=set)

    def add_name(self, place_id: str, name: str) -> None:
        """Index ``name`` (any script) as a name of ``place_id``."""
        key = name_key(name)
        if not key:
            return
        self.first_keys.add(key.split()[0])
        ids = self.index.setdefault(key, [])
        if place_id not in ids:
            ids.append(place_id)
        self.max_tokens = max(self.max_tokens, len(key.split()))

    def _could_start(self, tokens: list[re.Match[str]], i: int) -> bool:
        """Cheap test: can a name start at token ``i`` (or after an article)?"""
        word = tokens[i].group()
        if _ARABIC_CHAR.match(word):
            return True
        if _latin_skeleton(word) in self.first_keys:
            return True
        low = word.lower()
        return (
            low in _HYPHEN_ARTICLES
            and i + 1 < len(tokens)
            and _latin_skeleton(tokens[i + 1].group()) in self.first_keys
        )

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, text: str) -> list[PlaceMatch]:
        """Find gazetteer places in ``text``, longest match first, no overlaps."""
        tokens = list(_TOKEN.finditer(text))
        mentions_mosul = bool(re.search(r"\bMosul\b|الموصل", text))
        out: list[PlaceMatch] = []
        i = 0
        while i < len(tokens):
            previous = out[-1] if out else None
            in_list = (
                previous is not None
                and previous.entry.bank is not None
                and previous.entry.level in ("neighbourhood", "landmark")
                and _LIST_GAP.fullmatch(text, previous.end, tokens[i].start())
                is not None
            )
            hit = self._match_at(text, tokens, i, mentions_mosul, in_list)
            if hit is None:
                i += 1
                continue
            match, used = hit
            out.append(match)
            i += used
        return out

    def _match_at(
        self,
        text: str,
        tokens: list[re.Match[str]],
        i: int,
        mosul: bool,
        in_list: bool = False,
    ) -> tuple[PlaceMatch, int] | None:
        if not self._could_start(tokens, i):
            return None
        # A bare generic word ("Hay", "حي") starts only a longer name ("حي 17
        # تموز"); by itself it introduces the next name and is no place.
        shortest = 2 if _is_generic(tokens[i].group()) else 1
        for n in range(min(self.max_tokens + 1, len(tokens) - i), shortest - 1, -1):
            window = tokens[i : i + n]
            if not _adjacent(text, window):
                continue
            for key in _window_keys(text, window):
                ids = self.index.get(key)
                if not ids:
                    continue
                start, end = window[0].start(), window[-1].end()
                entry = self._choose(text, ids, start, end, key, mosul, in_list)
                if entry is None:
                    continue
                arabic = bool(_ARABIC_CHAR.match(window[0].group()))
                confidence = 0.9 if not entry.ambiguous else 0.7
                return PlaceMatch(
                    start,
                    end,
                    entry,
                    "arabic" if arabic else "latin",
                    confidence,
                ), n
        return None

    def _choose(
        self,
        text: str,
        ids: list[str],
        start: int,
        end: int,
        key: str,
        mosul: bool,
        in_list: bool = False,
    ) -> GazetteerEntry | None:
        surface = text[start:end]
        arabic = bool(_ARABIC_CHAR.match(surface))
        if not arabic and not any(
            t[0].isupper() or t[0].isdigit() for t in _content_tokens(surface)
        ):
            return None
        before = text[max(0, start - 30) : start]
        locative = (
            in_list
            or bool(_LOCATIVE.search(before))
            or bool(_AREA_AFTER.match(text, end))
            or bool(_LIST_AREA_AFTER.match(text, end))
        )
        has_article = bool(re.match(r"(?i)(?:al|el)\b", surface))
        candidates: list[GazetteerEntry] = []
        for place_id in ids:
            entry = self.entries[place_id]
            if entry.ambiguous and not arabic:
                if not mosul or not (has_article or locative):
                    continue
            elif entry.bank and not mosul:
                continue
            if key in self.ambiguous_keys and not arabic and not locative:
                continue
            if entry.needs_article and not (arabic or has_article):
                continue
            if entry.level == "subdistrict" and not (arabic or has_article or locative):
                continue
            candidates.append(entry)
        if not candidates:
            return None

        def rank(entry: GazetteerEntry) -> tuple[int, int]:
            mosul_first = 0 if (mosul and entry.bank) else 1
            return mosul_first, _LEVEL_RANK.get(entry.level, 9)

        return min(candidates, key=rank)


def _is_generic(token: str) -> bool:
    """A generic unit word without an article ("Hay", "Mahalla", "حي")."""
    if _ARABIC_CHAR.match(token):
        return _AR_DIACRITICS.sub("", token).translate(_AR_LETTERS) in _GENERIC_AR
    return token.lower() in GENERIC_PREFIXES


def _content_tokens(surface: str) -> list[str]:
    return [
        t.group()
        for t in _TOKEN.finditer(surface)
        if t.group().lower() not in _HYPHEN_ARTICLES
    ]


def _adjacent(text: str, window: list[re.Match[str]]) -> bool:
    """Tokens of a multi-word name are separated only by spaces or hyphens."""
    for left, right in pairwise(window):
        gap = text[left.end() : right.start()]
        if not re.fullmatch(r"[ \-\u2010\u2011'\u2019]{1,2}", gap):
            return False
    return True


def _window_keys(text: str, window: list[re.Match[str]]) -> list[str]:
    """Keys to try for a token window (Arabic clitics give several)."""
    first = window[0].group()
    if _ARABIC_CHAR.match(first):
        heads = [_arabic_key(first)]
        bare = _AR_DIACRITICS.sub("", first).translate(_AR_LETTERS)
        for clitic in ("وال", "بال", "فال", "كال"):
            if bare.startswith(clitic) and len(bare) > 4:
                heads.append(_arabic_key(bare[1:]))
        if bare.startswith("لل") and len(bare) > 3:
            heads.append(_arabic_key("ال" + bare[2:]))
        if bare.startswith("و") and len(bare) > 3:
            heads.append(_arabic_key(bare[1:]))
        rest = [_arabic_key(t.group()) for t in window[1:]]
        return [" ".join([h, *rest]) for h in heads]
    keys: list[str] = []
    for index, token in enumerate(window):
        word = token.group()
        low = word.lower()
        joined_by_hyphen = index + 1 < len(window) and text[token.end()] in "-\u2010"
        is_article = low in _LATIN_ARTICLES or (
            low in _HYPHEN_ARTICLES and joined_by_hyphen
        )
        if is_article and index + 1 < len(window):
            continue
        keys.append(_latin_skeleton(word))
    return [" ".join(keys)]


def _entry_from(record: dict[str, Any]) -> GazetteerEntry:
    return GazetteerEntry(
        id=record["id"],
        name=record["name"],
        name_ar=record.get("name_ar"),
        level=record["level"],
        country=record["country"],
        parent=record.get("parent"),
        lat=record.get("lat"),
        lon=record.get("lon"),
        source=record.get("source", ""),
        ambiguous=bool(record.get("ambiguous", False)),
        bank=record.get("bank"),
        needs_article=bool(record.get("needs_article", False)),
    )


def _read(name: str) -> dict[str, Any]:
    path = resources.files("undercount").joinpath("data", "gazetteer", name)
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Load the gazetteer shipped with undercount (cached; no network).

    Returns
    -------
    Gazetteer
        Entries from ``iraq_admin.json`` and ``curated.json``, every English,
        transliterated and Arabic name indexed by its key.
    """
    gazetteer = Gazetteer()
    admin, curated = _read("iraq_admin.json"), _read("curated.json")
    for record in [*admin["places"], *curated["places"]]:
        entry = _entry_from(record)
        gazetteer.entries[entry.id] = entry
        gazetteer.add_name(entry.id, entry.name)
        if entry.name_ar:
            gazetteer.add_name(entry.id, entry.name_ar)
        for alias in [*record.get("aliases", []), *record.get("aliases_ar", [])]:
            gazetteer.add_name(entry.id, alias)
    for table in ("extra_aliases", "extra_aliases_ar"):
        for place_id, aliases in curated.get(table, {}).items():
            if place_id in gazetteer.entries:
                for alias in aliases:
                    gazetteer.add_name(place_id, alias)
    gazetteer.ambiguous_keys = frozenset(
        name_key(alias) for alias in curated.get("ambiguous_aliases", [])
    )
    return gazetteer
