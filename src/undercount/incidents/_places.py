"""Place names to gazetteer places: alias normalisation for incident matching.

Sources spell the same neighbourhood in many ways ("al-Shifa", "Al-Shafaa",
"Shifaa", "الشفاء"; "Zanjili", "Zanjilly"; "Mosul al-Jadida", "al-Jadidah", "New
Mosul"). :class:`PlaceResolver` reads the gazetteer shipped with undercount
(``data/gazetteer/``: Iraqi administrative units and towns with coordinates, Mosul
neighbourhoods with aliases but without coordinates) and resolves a place text to
one entry through a spelling *key* (article, doubled letters, common vowel
spellings and a final ``-ah``/``-eh`` are forgotten). When the key is unknown, a
consonant skeleton is tried among the neighbourhoods (``shafa`` and ``shifa`` share
``shf``), but only when it designates a single place.

A resolved neighbourhood without coordinates inherits its city's point with
``near`` precision, so a report that names only "al-Shifa" can still be compared
by distance with a geolocated one; the place identity itself is compared too.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from undercount.model import LocationPrecision

__all__ = ["PlaceHit", "PlaceResolver", "place_key"]

_ARTICLES = {"al", "el", "ad", "as", "ash", "az", "an", "ar", "at", "ath", "ad-"}
_AR_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")
_AR_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و"}
)
_ARABIC = re.compile("[\u0600-\u06ff]")
_WORD = re.compile(r"[^\W\d_]+|\d+")
_VOWELS = re.compile(r"[aeiouy]")
_LEVEL_RANK = {
    "landmark": 0,
    "neighbourhood": 0,
    "subdistrict": 1,
    "area": 2,
    "city": 3,
    "district": 4,
    "governorate": 5,
    "country": 6,
}
_PRECISION_OF_LEVEL: dict[str, LocationPrecision] = {
    "landmark": "exact",
    "neighbourhood": "near",
    "subdistrict": "district",
    "area": "near",
    "city": "near",
    "district": "district",
    "governorate": "governorate",
    "country": "country",
}
# Words that describe rather than name ("neighbourhood", "district of", "west").
_NOISE = {
    "neighbourhood",
    "neighborhood",
    "district",
    "quarter",
    "area",
    "hay",
    "hayy",
    "of",
    "the",
    "in",
    "near",
    "city",
    "town",
    "village",
    "street",
    "iraq",
    "nineveh",
    "ninewa",
    "governorate",
    "province",
    "west",
    "western",
    "east",
    "eastern",
    "right",
    "left",
    "side",
    "bank",
    "sub",
}


def _latin_word(word: str) -> str:
    word = word.lower().replace("'", "")
    word = re.sub(r"(.)\1+", r"\1", word)
    word = word.replace("ou", "u").replace("oo", "u").replace("ee", "i")
    word = re.sub(r"(?<=\w\w)(?:ah|eh|a|e)$", "a", word)
    word = re.sub(r"(?<=\w\w)(?:y|ie)$", "i", word)
    return word.replace("q", "k").replace("kh", "h").replace("dh", "d")


def _arabic_word(word: str) -> str:
    word = _AR_DIACRITICS.sub("", word).translate(_AR_LETTERS)
    return word[2:] if word.startswith("ال") and len(word) > 3 else word


def place_key(text: str, *, drop_noise: bool = False) -> str:
    """The spelling key of a place name (see the module docstring).

    Examples
    --------
    >>> place_key("al-Jadidah") == place_key("Jadida")
    True
    >>> place_key("Zanjilly") == place_key("al-Zanjili")
    True
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u02bf", "'").replace("\u02be", "'")
    words = [m.group() for m in _WORD.finditer(text.replace("'", ""))]
    keys: list[str] = []
    for i, word in enumerate(words):
        low = word.lower()
        if low in _ARTICLES and i + 1 < len(words):
            continue
        if drop_noise and low in _NOISE:
            continue
        keys.append(_arabic_word(word) if _ARABIC.match(word) else _latin_word(word))
    return " ".join(k for k in keys if k)


def _skeleton(key: str) -> str:
    return " ".join(_VOWELS.sub("", w) or w for w in key.split())


@dataclass(frozen=True, slots=True)
class PlaceHit:
    """A place text resolved to a gazetteer entry.

    ``latitude``/``longitude`` are the entry's point, or its nearest ancestor's
    when the entry has none (``location_precision`` then describes the ancestor's
    scale: a Mosul neighbourhood gets the city point at ``near``).
    """

    place_id: str
    name: str
    level: str
    parent: str | None
    latitude: float | None
    longitude: float | None
    location_precision: LocationPrecision | None
    how: str


@dataclass(frozen=True, slots=True)
class _Entry:
    id: str
    name: str
    level: str
    parent: str | None
    lat: float | None
    lon: float | None


def _read(name: str) -> dict[str, Any]:
    path = resources.files("undercount").joinpath("data", "gazetteer", name)
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


class PlaceResolver:
    """Resolve place texts to gazetteer places (cached; offline).

    Parameters
    ----------
    extra_aliases
        ``{alias: place_id}`` additions (e.g. from ``[incidents.places]``).
    """

    def __init__(self, extra_aliases: dict[str, str] | None = None) -> None:
        self._entries: dict[str, _Entry] = {}
        self._index: dict[str, list[str]] = {}
        self._skeletons: dict[str, set[str]] = {}
        admin, curated = _read("iraq_admin.json"), _read("curated.json")
        for record in [*admin["places"], *curated["places"]]:
            entry = _Entry(
                record["id"],
                record["name"],
                record["level"],
                record.get("parent"),
                record.get("lat"),
                record.get("lon"),
            )
            self._entries[entry.id] = entry
            names = [
                record["name"],
                record.get("name_ar") or "",
                *record.get("aliases", []),
                *record.get("aliases_ar", []),
            ]
            for name in names:
                self._add(entry.id, name, neighbourhood=entry.level == "neighbourhood")
        for table in ("extra_aliases", "extra_aliases_ar"):
            for place_id, aliases in curated.get(table, {}).items():
                if place_id in self._entries:
                    for alias in aliases:
                        self._add(place_id, alias, neighbourhood=False)
        for alias, place_id in (extra_aliases or {}).items():
            if place_id in self._entries:
                self._add(place_id, alias, neighbourhood=True)

    def _add(self, place_id: str, name: str, *, neighbourhood: bool) -> None:
        key = place_key(name)
        if not key:
            return
        ids = self._index.setdefault(key, [])
        if place_id not in ids:
            ids.append(place_id)
        if neighbourhood:
            self._skeletons.setdefault(_skeleton(key), set()).add(place_id)

    def name(self, place_id: str) -> str:
        """The canonical name of ``place_id``."""
        return self._entries[place_id].name

    def ancestors(self, place_id: str) -> list[str]:
        """``place_id``'s parents, nearest first."""
        out: list[str] = []
        parent = self._entries[place_id].parent if place_id in self._entries else None
        while parent and parent in self._entries and parent not in out:
            out.append(parent)
            parent = self._entries[parent].parent
        return out

    def level(self, place_id: str) -> str:
        """Level of the entry (neighbourhood, city, district, governorate...)."""
        return self._entries[place_id].level

    def _pick(self, ids: list[str]) -> str:
        # Most specific first; Mosul neighbourhoods before homonyms elsewhere.
        def rank(place_id: str) -> tuple[int, int, str]:
            entry = self._entries[place_id]
            mosul = 0 if entry.parent == "IQ-town-mosul" else 1
            return _LEVEL_RANK.get(entry.level, 9), mosul, place_id

        return min(ids, key=rank)

    def _hit(self, place_id: str, how: str) -> PlaceHit:
        entry = self._entries[place_id]
        lat, lon = entry.lat, entry.lon
        precision: LocationPrecision | None = _PRECISION_OF_LEVEL.get(entry.level)
        if lat is None or lon is None:
            precision = None
            for ancestor in self.ancestors(place_id):
                up = self._entries[ancestor]
                if up.lat is not None and up.lon is not None:
                    lat, lon = up.lat, up.lon
                    precision = _PRECISION_OF_LEVEL.get(up.level, "district")
                    break
            if lat is None:
                lat = lon = None
        return PlaceHit(
            place_id, entry.name, entry.level, entry.parent, lat, lon, precision, how
        )

    def resolve(self, text: str | None, context: str | None = None) -> PlaceHit | None:
        """The gazetteer place ``text`` names, or ``None``.

        Parameters
        ----------
        text
            The place as reported ("Al-Shafaa, Mosul", "Zanjilly").
        context
            Other location text of the same report (city, district, country
            columns), used to choose between homonyms: "Al-Shafaa" alone is a
            Syrian town, "Al-Shafaa" with "Mosul" the Mosul neighbourhood.

        Notes
        -----
        Every part of the text (split at commas, semicolons, slashes and
        parentheses) and every run of words is looked up by key; hits lying in
        a city, district or governorate also named (in the text or context) win,
        most specific first. A part that names nothing is tried by consonant
        skeleton among the neighbourhoods of the named city (or of every city
        when none is named), and accepted only when it designates one place.
        """
        if not text or not text.strip():
            return None
        return _cached_resolve(self, text.strip(), (context or "").strip())

    def _lookup_all(self, text: str) -> list[tuple[str, str]]:
        """``(place_id, how)`` for every part and word run of ``text``."""
        found: list[tuple[str, str]] = []
        parts = [text, *[p for p in re.split(r"[,;()/]|\s-\s", text) if p.strip()]]
        for part in parts:
            for key in (place_key(part), place_key(part, drop_noise=True)):
                for place_id in self._index.get(key, []):
                    found.append((place_id, f"name {key!r}"))
            words = place_key(part, drop_noise=True).split()
            for n in range(len(words) - 1, 0, -1):
                for i in range(len(words) - n + 1):
                    key = " ".join(words[i : i + n])
                    for place_id in self._index.get(key, []):
                        found.append((place_id, f"words {key!r}"))
        return found

    def _within(self, place_id: str, context: set[str]) -> bool:
        return place_id in context or bool(context & set(self.ancestors(place_id)))

    def _resolve(self, text: str, context_text: str) -> PlaceHit | None:
        found = self._lookup_all(text)
        context_hits = self._lookup_all(context_text) if context_text else []
        # Places at city level or above named anywhere give the context.
        context: set[str] = set()
        for place_id, _ in [*found, *context_hits]:
            if _LEVEL_RANK.get(self._entries[place_id].level, 9) >= 3:
                context.add(place_id)
        ids = [place_id for place_id, _ in found]
        if context:
            inside = [p for p in ids if self._within(p, context)]
            specific = [p for p in inside if _LEVEL_RANK.get(self.level(p), 9) < 3]
            if specific:
                best = self._pick(specific)
                return self._hit(best, dict(found)[best])
        elif ids:
            best = self._pick(ids)
            return self._hit(best, dict(found)[best])
        else:
            inside = []
        # A part naming nothing inside the context: try its consonant skeleton.
        for part in re.split(r"[,;()/]|\s-\s", text):
            key = place_key(part, drop_noise=True)
            if not key:
                continue
            candidates = self._skeletons.get(_skeleton(key), set())
            if context:
                candidates = {c for c in candidates if self._within(c, context)}
            if len(candidates) == 1:
                return self._hit(
                    next(iter(candidates)), f"consonants {_skeleton(key)!r}"
                )
        if inside:
            best = self._pick(inside)
            return self._hit(best, dict(found)[best])
        if ids:
            best = self._pick(ids)
            return self._hit(best, dict(found)[best])
        return None


@lru_cache(maxsize=65536)
def _cached_resolve(
    resolver: PlaceResolver, text: str, context: str
) -> PlaceHit | None:
    return resolver._resolve(text, context)


@lru_cache(maxsize=1)
def default_resolver() -> PlaceResolver:
    """The resolver over the shipped gazetteer (built once)."""
    return PlaceResolver()
