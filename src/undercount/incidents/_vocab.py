"""Belligerent and weapon vocabularies: many spellings, few comparable families.

Sources name the same party in many ways ("US-led Coalition", "CJTF-OIR", "Military
Forces of the United States (2017-2021)", "Government of United States of
America"), and the same means of harm in many ways ("Air/drone strike", "airstrike",
"coalition air raid"). Matching and grading compare *families*: a short key per
party (``coalition``, ``iraqi-forces``, ``isis``...) and per weapon category
(``air``, ``artillery``, ``ied``...). Names that no alias covers keep a slug of
themselves, so an unknown party is still compared with itself and never silently
merged into another. Extra aliases can be supplied (``[incidents.belligerents]``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

__all__ = [
    "BELLIGERENT_ALIASES",
    "UNKNOWN",
    "WEAPON_ALIASES",
    "WEAPON_KINDS",
    "Vocabulary",
    "slug",
]

#: Family of a party nobody identified ("unidentified armed group", "unknown").
UNKNOWN = "unknown"

# Keys are compared after :func:`slug`; the value is the family.
BELLIGERENT_ALIASES: dict[str, str] = {
    # US-led coalition (Operation Inherent Resolve) and its members
    "coalition": "coalition",
    "us-led coalition": "coalition",
    "us led coalition": "coalition",
    "international coalition": "coalition",
    "global coalition": "coalition",
    "global coalition against daesh": "coalition",
    "cjtf-oir": "coalition",
    "cjtf oir": "coalition",
    "combined joint task force operation inherent resolve": "coalition",
    "operation inherent resolve": "coalition",
    "oir": "coalition",
    "us": "coalition",
    "usa": "coalition",
    "united states": "coalition",
    "us military": "coalition",
    "us air force": "coalition",
    "us forces": "coalition",
    "american forces": "coalition",
    "military forces of the united states": "coalition",
    "government of united states of america": "coalition",
    "centcom": "coalition",
    "us central command": "coalition",
    "australian defence force": "coalition",
    "military forces of australia": "coalition",
    "government of australia": "coalition",
    "uk": "coalition",
    "royal air force": "coalition",
    "military forces of the united kingdom": "coalition",
    "government of united kingdom": "coalition",
    "military forces of france": "coalition",
    "military forces of belgium": "coalition",
    # Iraqi state forces
    "iraqi forces": "iraqi-forces",
    "iraqi security forces": "iraqi-forces",
    "isf": "iraqi-forces",
    "iraqi army": "iraqi-forces",
    "iraqi government forces": "iraqi-forces",
    "iraq government forces": "iraqi-forces",
    "iraqi air force": "iraqi-forces",
    "iraqi federal police": "iraqi-forces",
    "federal police": "iraqi-forces",
    "counter terrorism service": "iraqi-forces",
    "counter-terrorism service": "iraqi-forces",
    "iraqi counter terrorism service": "iraqi-forces",
    "cts": "iraqi-forces",
    "emergency response division": "iraqi-forces",
    "rapid response division": "iraqi-forces",
    "military forces of iraq": "iraqi-forces",
    "police forces of iraq": "iraqi-forces",
    "government of iraq": "iraqi-forces",
    "iraqi government": "iraqi-forces",
    # Popular Mobilisation Forces
    "popular mobilization forces": "pmf",
    "popular mobilisation forces": "pmf",
    "popular mobilization units": "pmf",
    "pmf": "pmf",
    "pmu": "pmf",
    "hashd al-shaabi": "pmf",
    "hashd": "pmf",
    # Kurdish forces
    "peshmerga": "peshmerga",
    "kurdish peshmerga": "peshmerga",
    "krg forces": "peshmerga",
    # The Islamic State group
    "isis": "isis",
    "isil": "isis",
    "is": "isis",
    "islamic state": "isis",
    "islamic state group": "isis",
    "islamic state of iraq and the levant": "isis",
    "islamic state of iraq and syria": "isis",
    "daesh": "isis",
    "da'esh": "isis",
    "daish": "isis",
    # Nobody named
    "unknown": UNKNOWN,
    "unidentified": UNKNOWN,
    "unidentified armed group": UNKNOWN,
    "unidentified perpetrator": UNKNOWN,
    "unspecified": UNKNOWN,
    "unspecified party": UNKNOWN,
    "not stated": UNKNOWN,
}

# Weapon categories; a text may name several ("airstrike and/or artillery").
WEAPON_ALIASES: dict[str, str] = {
    "air": "air",
    "airstrike": "air",
    "air strike": "air",
    "airstrikes": "air",
    "air raid": "air",
    "air/drone strike": "air",
    "drone strike": "air",
    "drone": "air",
    "bomb": "air",
    "aerial bombardment": "air",
    "gbu-38": "air",
    "precision-guided bomb": "air",
    "artillery": "artillery",
    "shelling": "artillery",
    "shelling/artillery/missile attack": "artillery",
    "mortar": "artillery",
    "mortars": "artillery",
    "rocket": "artillery",
    "rockets": "artillery",
    "iram": "artillery",
    "missile": "artillery",
    "ied": "ied",
    "remote explosive/landmine/ied": "ied",
    "landmine": "ied",
    "explosive device": "ied",
    "booby trap": "ied",
    "car bomb": "suicide",
    "vbied": "suicide",
    "suicide bomb": "suicide",
    "suicide attack": "suicide",
    "small arms": "small-arms",
    "small-arms": "small-arms",
    "shooting": "small-arms",
    "gunfire": "small-arms",
    "sniper": "small-arms",
    "execution": "small-arms",
    "executions": "small-arms",
    "armed clash": "small-arms",
    "grenade": "grenade",
    "chemical weapon": "chemical",
    "chemical": "chemical",
}

#: Weapon categories that sources confuse with each other, by kind: reports of
#: one strike in Mosul read "airstrike", "artillery" or "air and artillery
#: strikes"; a car bomb is an IED. Two reports naming categories of one kind
#: disagree less than an airstrike and a shooting do (``weapon_related``).
WEAPON_KINDS: dict[str, str] = {
    "air": "explosive-from-a-distance",
    "artillery": "explosive-from-a-distance",
    "ied": "improvised-explosive",
    "suicide": "improvised-explosive",
}

_PAREN = re.compile(r"\s*\([^)]*\)")
_SPLIT = re.compile(r"\s*(?:;|\||/(?=\s)|\band/or\b|\bor\b|\band\b|,)\s*", re.I)


def slug(text: str) -> str:
    """Lowercase ASCII-folded words separated by single spaces (hyphens kept).

    Parenthesised qualifiers are dropped: ``"Military Forces of the United States
    (2017-2021)"`` and ``"Islamic State (Iraq)"`` lose their years and countries.
    """
    text = _PAREN.sub("", text)
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.lower().replace("\u2019", "'").replace("_", " ")
    folded = re.sub(r"[^\w'/\- ]+", " ", folded)
    return re.sub(r"\s+", " ", folded).strip(" -")


def _is_civilian_party(key: str) -> bool:
    return key.startswith("civilians") or key in {"civilian", "civilians"}


class Vocabulary:
    """Alias tables for belligerents and weapons, with user additions.

    Parameters
    ----------
    belligerents, weapons
        Extra ``{alias: family}`` entries; they override the built-in tables.
    """

    def __init__(
        self,
        belligerents: Mapping[str, str] | None = None,
        weapons: Mapping[str, str] | None = None,
    ) -> None:
        self._bel = {slug(k): v for k, v in BELLIGERENT_ALIASES.items()}
        self._bel.update({slug(k): slug(v) for k, v in (belligerents or {}).items()})
        self._wea = {slug(k): v for k, v in WEAPON_ALIASES.items()}
        self._wea.update({slug(k): slug(v) for k, v in (weapons or {}).items()})

    def belligerent_family(self, name: str) -> str | None:
        """The family of one party name; ``None`` for civilians (victims, not
        parties) and blank names; a slug of the name when no alias knows it."""
        key = slug(name)
        if not key or _is_civilian_party(key):
            return None
        if key in self._bel:
            return self._bel[key]
        # Word prefixes, e.g. "us-led coalition aircraft".
        words = key.split()
        for n in range(len(words) - 1, 0, -1):
            prefix = " ".join(words[:n])
            if prefix in self._bel:
                return self._bel[prefix]
        return key

    def belligerent_families(self, names: Iterable[str]) -> frozenset[str]:
        """Families of every party named (several per cell are split on ``;``,
        ``|``, ``and/or``, ``or``, ``and`` and commas)."""
        out: set[str] = set()
        for name in names:
            parts = [name] if slug(name) in self._bel else _SPLIT.split(name)
            for part in parts:
                family = self.belligerent_family(part)
                if family:
                    out.add(family)
        return frozenset(out)

    def weapon_kinds(self, categories: frozenset[str]) -> frozenset[str]:
        """The kinds of weapon categories (:data:`WEAPON_KINDS`; a category of
        no listed kind is its own kind)."""
        return frozenset(WEAPON_KINDS.get(c, c) for c in categories)

    def weapon_categories(self, text: str | None) -> frozenset[str]:
        """Weapon categories named in ``text`` (empty when none is recognised)."""
        if not text:
            return frozenset()
        whole = slug(text)
        if whole in self._wea:
            return frozenset({self._wea[whole]})
        found: set[str] = set()
        for part in _SPLIT.split(text):
            key = slug(part)
            if key in self._wea:
                found.add(self._wea[key])
                continue
            for word in key.split():
                if word in self._wea:
                    found.add(self._wea[word])
            for alias, category in self._wea.items():
                if " " in alias and alias in key:
                    found.add(category)
        return frozenset(found)
