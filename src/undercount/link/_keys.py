"""The seam between linkage and the name library (:mod:`undercount.names`).

Linkage needs five things from names: a cross-script canonical key per name part, a
consonant-only key (vowel spellings differ most across scripts), the
canonical tokens of a full name, a coarse phonetic key for blocking, and the split of a
full name into given / father / grandfather / family. They come from
:mod:`undercount.names`; while that stage lacks them, a crude consonant-skeleton
stand-in keeps linkage runnable (and says so with a warning).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from undercount.errors import UndercountWarning

_ARTICLE_LATIN = re.compile(r"^(?:al|el|ul)[-\s']?(?=\w{3,})", re.IGNORECASE)
_COMPOUND = re.compile(
    r"\b(abd|abdu|abdul|abdel|abdal|abd al|abd el|abu|abou)[-\s]+", re.I
)
_NON_WORD = re.compile(r"[^\w\s-]")


@dataclass(frozen=True, slots=True)
class SplitName:
    """The parts of a full name (``None`` when the name does not give that part)."""

    given: str | None
    father: str | None
    grandfather: str | None
    family: str | None


@dataclass(frozen=True, slots=True)
class NameKeys:
    """The name functions linkage uses (see module docstring)."""

    canonical_key: Callable[[str], str | None]
    canonical_tokens: Callable[[str], tuple[str, ...]]
    phonetic_key: Callable[[str], str | None]
    consonant_key: Callable[[str], str | None]
    split_name: Callable[[str], SplitName]
    provider: str


class NamesStandInWarning(UndercountWarning):
    """undercount.names is not available: a crude stand-in name key is in use."""


def _skeleton(token: str) -> str:
    from anyascii import anyascii

    if token.startswith("ال") and len(token) > 3:
        token = token[2:]
    text = anyascii(token).lower()
    text = _ARTICLE_LATIN.sub("", text)
    text = re.sub(r"['`\-\s]", "", text)
    for source, target in (
        ("kh", "h"),
        ("sh", "s"),
        ("th", "t"),
        ("dh", "d"),
        ("gh", "g"),
        ("ph", "f"),
    ):
        text = text.replace(source, target)
    text = text.translate(str.maketrans("qgcz", "kkkd"))
    text = re.sub(r"[aeiouwy]", "", text)
    return re.sub(r"(.)\1+", r"\1", text)


def _stand_in_tokens(text: str) -> tuple[str, ...]:
    text = re.sub(r"\b(al|el)\s+", "al-", text, flags=re.IGNORECASE)
    text = _COMPOUND.sub(lambda m: m.group(1).replace(" ", ""), text)
    text = text.replace("عبد ", "عبد")
    text = _NON_WORD.sub(" ", text)
    keys = [_skeleton(t) for t in text.split()]
    return tuple(k for k in keys if k)


def _stand_in_key(text: str) -> str | None:
    tokens = _stand_in_tokens(text)
    return "".join(tokens) or None


def _stand_in_phonetic(text: str) -> str | None:
    key = _stand_in_key(text)
    return None if key is None else key.translate(str.maketrans("tdsj", "ttsk"))[:4]


def _stand_in_split(text: str) -> SplitName:
    text = re.sub(r"\b(al|el)\s+", "al-", text, flags=re.IGNORECASE)
    text = _COMPOUND.sub(lambda m: m.group(1).replace(" ", ""), text)
    text = text.replace("عبد ", "عبد")
    words = [w for w in _NON_WORD.sub(" ", text).split() if w]
    family = None
    if len(words) >= 2 and (
        words[-1].startswith("ال") or _ARTICLE_LATIN.match(words[-1]) or len(words) >= 4
    ):
        family = words.pop()
    parts = [*words[:3], None, None, None]
    return SplitName(parts[0], parts[1], parts[2], family)


_JOINED_ARTICLE = re.compile(r"^(?:al|el)[a-z]{3,}$", re.IGNORECASE)


def _looks_like_family(part: str | None) -> bool:
    """A part written with the article (Aljubouri, al jubouri, الجبوري)."""
    if not part:
        return False
    text = part.strip()
    return bool(
        _JOINED_ARTICLE.match(text.replace(" ", "").replace("-", ""))
        or (text.startswith("ال") and len(text) > 3)
    )


def repair_slots(split: SplitName, others: tuple[str, ...] = ()) -> SplitName:
    """Linkage-side repairs of a name split (the name library's split is kept as is).

    - a fifth or later word (``others``) with no family name: the last one is the
      family name (Iraqi names are given, father, grandfather, then the laqab);
    - no family name, and the last part carries the article, joined or not
      (``Aljubouri``, ``al jubouri``): that part is the family name.
    """
    given, father = split.given, split.father
    grandfather, family = split.grandfather, split.family
    if family is None and others:
        family = others[-1]
    if family is None:
        if grandfather is not None and _looks_like_family(grandfather):
            grandfather, family = None, grandfather
        elif grandfather is None and father is not None and _looks_like_family(father):
            father, family = None, father
    return SplitName(given, father, grandfather, family)


def _from_names_stage() -> NameKeys | None:
    try:
        from undercount import names
    except ImportError:  # pragma: no cover - the stage always exists
        return None
    needed = ("canonical_key", "canonical_tokens", "phonetic_key", "split_name")
    if not all(hasattr(names, attr) for attr in needed):
        return None
    split: Callable[[str], Any] = names.split_name

    def split_name(text: str) -> SplitName:
        parts = split(text)
        return repair_slots(
            SplitName(
                getattr(parts, "given", None) or None,
                getattr(parts, "father", None) or None,
                getattr(parts, "grandfather", None) or None,
                getattr(parts, "family", None) or None,
            ),
            tuple(getattr(parts, "others", ()) or ()),
        )

    return NameKeys(
        canonical_key=names.canonical_key,
        canonical_tokens=names.canonical_tokens,
        phonetic_key=names.phonetic_key,
        consonant_key=getattr(names, "consonant_key", names.phonetic_key),
        split_name=split_name,
        provider="undercount.names",
    )


@cache
def name_keys() -> NameKeys:
    """The name functions in use (undercount.names, or the stand-in with a warning)."""
    found = _from_names_stage()
    if found is not None:
        return found
    warnings.warn(
        "undercount.names does not provide canonical_key/split_name yet; linkage uses "
        "a crude consonant-skeleton stand-in",
        NamesStandInWarning,
        stacklevel=2,
    )
    return NameKeys(
        canonical_key=_stand_in_key,
        canonical_tokens=_stand_in_tokens,
        phonetic_key=_stand_in_phonetic,
        consonant_key=_stand_in_key,
        split_name=_stand_in_split,
        provider="stand-in",
    )
