"""How a clerk writes a name, a date and an age: spelling choices and mistakes.

Arabic script varies by habit (hamza on alef dropped, ta marbuta written as ha, final
ya for alef maqsura, compounds such as عبدالله written apart) and by mistakes (a dot
misplaced turns ب into ت or ن, a letter dropped or doubled). Latin script varies by
transliteration (Mohammed / Muhammad / Mohamed), by how the article is written
(al-Jubouri, Al Jubouri, Aljubouri, el-Jubouri, Jubouri) and by typing mistakes.
"""

from __future__ import annotations

import numpy as np

from undercount.simulate._records_tables import NameEntry

_ARABIC_DOT_SLIPS: dict[str, str] = {
    "ب": "تن",
    "ت": "بثن",
    "ث": "ت",
    "ن": "بت",
    "ي": "ب",
    "ج": "حخ",
    "ح": "جخ",
    "خ": "حج",
    "د": "ذ",
    "ذ": "د",
    "ر": "ز",
    "ز": "ر",
    "س": "ش",
    "ش": "س",
    "ص": "ض",
    "ض": "ص",
    "ع": "غ",
    "غ": "ع",
    "ف": "ق",
    "ق": "ف",
    "ه": "ة",
}
_ARABIC_HABITS: tuple[tuple[str, str], ...] = (
    ("أ", "ا"),
    ("إ", "ا"),
    ("آ", "ا"),
)
_LATIN_NEIGHBOURS: dict[str, str] = {
    "a": "qse",
    "e": "wrd",
    "i": "uok",
    "o": "ipl",
    "u": "yij",
    "s": "adz",
    "d": "sfe",
    "h": "gjn",
    "m": "nk",
    "n": "mbh",
    "r": "etf",
    "l": "kop",
    "b": "vn",
    "k": "jl",
    "t": "ry",
}
_ARTICLE_STYLES: tuple[tuple[str, float], ...] = (
    ("al-", 0.5),
    ("Al-", 0.15),
    ("Al ", 0.12),
    ("Al", 0.06),
    ("el-", 0.05),
    ("", 0.12),
)


def arabic_spelling(
    name: str, rng: np.random.Generator, *, habits: float, typo: float
) -> str:
    """Write an Arabic-script name as a clerk would.

    ``habits`` is the chance of each orthographic habit (plain alef for hamza forms,
    ه for final ة, ي for final ى, compounds split); ``typo`` the chance of one
    mistake (a dot slip, a dropped or doubled letter).
    """
    text = name
    for source, target in _ARABIC_HABITS:
        if source in text and rng.random() < habits:
            text = text.replace(source, target)
    if text.endswith("ة") and rng.random() < habits * 0.4:
        text = text[:-1] + "ه"
    if text.endswith("ى") and rng.random() < habits * 0.8:
        text = text[:-1] + "ي"
    if text.startswith("عبد") and len(text) > 4 and rng.random() < 0.45:
        text = "عبد " + text[3:]
    if rng.random() < typo:
        text = _arabic_typo(text, rng)
    return text


def _arabic_typo(text: str, rng: np.random.Generator) -> str:
    positions = [i for i, ch in enumerate(text) if ch != " "]
    if len(positions) < 3:
        return text
    i = int(rng.choice(positions[1:]))
    kind = rng.random()
    ch = text[i]
    if kind < 0.6 and ch in _ARABIC_DOT_SLIPS:
        options = _ARABIC_DOT_SLIPS[ch]
        return text[:i] + options[int(rng.integers(len(options)))] + text[i + 1 :]
    if kind < 0.85:
        return text[:i] + text[i + 1 :]
    return text[:i] + ch + text[i:]


def latin_spelling(
    entry: NameEntry,
    rng: np.random.Generator,
    *,
    family: bool = False,
    typo: float = 0.0,
    preferred: int | None = None,
) -> str:
    """Write a name in Latin script: pick a transliteration, the article, maybe a typo.

    Transliterations are chosen with weight ``1 / (rank + 1)`` (the most common
    spelling is the most likely) unless ``preferred`` (a list's house spelling)
    names one that exists.
    """
    variants = entry.latin
    if preferred is not None and preferred < len(variants) and rng.random() < 0.6:
        text = variants[preferred]
    else:
        weights = 1.0 / (np.arange(len(variants)) + 1.0)
        text = variants[int(rng.choice(len(variants), p=weights / weights.sum()))]
    if rng.random() < typo:
        text = _latin_typo(text, rng)
    if family:
        styles = [s for s, _ in _ARTICLE_STYLES]
        p = np.array([w for _, w in _ARTICLE_STYLES])
        article = styles[int(rng.choice(len(styles), p=p / p.sum()))]
        text = article + (text if article.endswith((" ", "-")) else text.lower())
        if article == "":
            text = text[0].upper() + text[1:]
    return text


def _latin_typo(text: str, rng: np.random.Generator) -> str:
    if len(text) < 4:
        return text
    i = int(rng.integers(1, len(text) - 1))
    kind = rng.random()
    ch = text[i]
    if kind < 0.4 and ch.lower() in _LATIN_NEIGHBOURS:
        options = _LATIN_NEIGHBOURS[ch.lower()]
        return text[:i] + options[int(rng.integers(len(options)))] + text[i + 1 :]
    if kind < 0.7:
        return text[:i] + text[i + 1 :]
    if kind < 0.85:
        return text[:i] + text[i + 1] + ch + text[i + 2 :]
    return text[:i] + ch + text[i:]


def recorded_age(
    age: int, rng: np.random.Generator, *, rounding: int, error_sd: float
) -> int:
    """An age as a list writes it: with an error, adults rounded to ``rounding``."""
    value = age + round(float(rng.normal(0.0, error_sd))) if error_sd > 0 else age
    value = max(value, 0)
    if rounding > 1 and value >= 15:
        value = int(rounding * round(value / rounding))
    return value
