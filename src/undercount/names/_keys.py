"""Cross-script comparison keys: canonical key, its tokens, and a blocking key.

``canonical_key`` writes a name in a reduced consonant alphabet that Arabic script
and the common Latin transliterations share (see :mod:`._skeleton`), one key token
per name part, in order. Articles (ال, al-, el-, ash-...), kinship markers
(بن, bin, ibn, bint), leading titles (Hajji, الحاج, Sheikh...) and placeholders
(Unknown, مجهول) are dropped first.

A name with nothing left (empty, titles only, digits only, placeholders only) has
no key: the functions return ``None`` (or an empty tuple). ``None`` means
*unknown*. Callers must never treat two ``None`` keys as agreeing; in SQL, where
``NULL = NULL`` is not true, that comes for free.
"""

from __future__ import annotations

from functools import lru_cache

from undercount.names._lexicon import latin_lexicon
from undercount.names._normalise import name_tokens, strip_titles
from undercount.names._script import char_script
from undercount.names._skeleton import arabic_skeleton, consonants, latin_skeleton

__all__ = [
    "canonical_key",
    "canonical_tokens",
    "consonant_key",
    "phonetic_key",
    "token_key",
]

# Names that begin with the letters ال without an article.
_ARABIC_AL_NAMES = frozenset(
    {"الياس", "الهام", "اليسع", "اليس", "الين", "الفت", "الطاف", "الماس", "الكسندر"}
)
_LATIN_ARTICLES = frozenset({"al"})
_MARKERS = frozenset({"bin", "bint", "بن", "بنت"})
_NOT_ARTICLE = frozenset("aeiouyl")
_LATIN_ABD = frozenset({"abd", "abdul", "abdel", "abdal", "abdil", "abdol"})

# Coarse classes for blocking: dentals, sibilants and velars merge.
_COARSE = str.maketrans({"d": "t", "c": "s", "j": "k", "x": "h"})


def _join(head: str, tail: str) -> str:
    """Concatenate two token keys, collapsing a repeated symbol at the seam."""
    if tail == "a":
        return head
    if head == "a":
        return tail
    return head + tail[1:] if head[-1] == tail[0] else head + tail


@lru_cache(maxsize=1 << 18)
def token_key(token: str) -> str | None:
    """Key of one normalised token, or ``None`` when it yields no letters.

    Parameters
    ----------
    token : str
        One token as produced by the name normaliser (Arabic or Latin script).

    Returns
    -------
    str or None
        The token's key in the reduced alphabet, with the article removed.
    """
    if not token:
        return None
    kind = char_script(token[0])
    if kind == "arabic":
        return _arabic_key(token)
    if kind == "latin" and token.isascii():
        return latin_rule_key(token, lexicon=latin_lexicon())
    # Digits or letters of scripts that romanisation left as they were.
    return None


def _arabic_key(token: str) -> str:
    if token.startswith("ال") and len(token) > 3 and token not in _ARABIC_AL_NAMES:
        token = token[2:]
    return arabic_skeleton(token)


def latin_rule_key(token: str, lexicon: dict[str, str] | None = None) -> str:
    """Key of a normalised Latin token by the rules (and ``lexicon`` if given)."""
    if token in _LATIN_ABD:
        return "bd"
    if lexicon and token in lexicon:
        return _arabic_key(lexicon[token])
    if len(token) >= 6 and token[:2] in {"al", "el"} and token[2] not in _NOT_ARTICLE:
        return latin_rule_key(token[2:], lexicon)
    # Compounds whose seam changes the vowel reading: abu+bakr, nour+aldin.
    if token.startswith("abu") and len(token) > 4:
        return _join("bu", latin_rule_key(token[3:], lexicon))
    if token.endswith("aldin") and len(token) > 6:
        return _join(latin_rule_key(token[:-5], lexicon), "ldin")
    return latin_skeleton(token)


def canonical_tokens(text: str) -> tuple[str, ...]:
    """Key tokens of a name, in order; articles, markers and titles dropped.

    Parameters
    ----------
    text : str
        A full name in any script.

    Returns
    -------
    tuple of str
        One consonant skeleton per name part; empty when the name has no usable
        part. Useful for token-overlap comparison of reordered names.

    Examples
    --------
    >>> canonical_tokens("Mohammed Younis Thanoon al-Hayali")
    ('mhmd', 'yuns', 'dnun', 'hili')
    >>> canonical_tokens("محمد يونس ذنون الحيالي")
    ('mhmd', 'yuns', 'dnun', 'hili')
    """
    keys = []
    for token in strip_titles(name_tokens(text, for_key=True)):
        if token in _LATIN_ARTICLES or token in _MARKERS:
            continue
        key = token_key(token)
        if key is not None:
            keys.append(key)
    return tuple(keys)


def canonical_key(text: str) -> str | None:
    """Cross-script key of a full name: equal (or close) across spellings.

    Parameters
    ----------
    text : str
        A full name in Arabic or Latin script (or both).

    Returns
    -------
    str or None
        Space-separated key tokens in name order, or ``None`` when the name has
        no usable part (empty, only titles, only digits, only placeholders).
        ``None`` means unknown and must never be treated as matching another
        ``None``.

    Examples
    --------
    >>> canonical_key("Muhammad Yunus Dhanun Al Hayyali")
    'mhmd yuns dnun hili'
    >>> canonical_key("Hajji") is None
    True
    """
    tokens = canonical_tokens(text)
    return " ".join(tokens) if tokens else None


def phonetic_key(text: str, length: int = 3) -> str | None:
    """Coarse key for blocking: the first name part in broad consonant classes.

    Dentals (t d z/th/dh), sibilants (s sh) and velars (k q j g gh kh) are merged
    and only the first ``length`` classes of the first name part are kept, so
    that spelling variants of a given name land in the same block.

    Parameters
    ----------
    text : str
        A full name in any script.
    length : int, default 3
        How many consonant classes of the first name part to keep.

    Returns
    -------
    str or None
        The blocking key, or ``None`` when the name has no usable part.

    Examples
    --------
    >>> phonetic_key("Khaled al-Jubouri") == phonetic_key("خالد الجبوري")
    True
    """
    tokens = canonical_tokens(text)
    if not tokens:
        return None
    return consonants(tokens[0]).translate(_COARSE)[:length]


def consonant_key(text: str) -> str | None:
    """The canonical key without its vowel marks: higher recall, lower precision.

    Hasan, Hussein and Husni all give ``hsn`` here, while their canonical keys
    differ. Use it as a looser comparison level (or for blocking), never alone
    as proof of identity. ``None`` as for :func:`canonical_key`.

    Examples
    --------
    >>> consonant_key("Ibrahim Khalil") == consonant_key("إبراهيم خليل")
    True
    """
    tokens = canonical_tokens(text)
    return " ".join(consonants(t) for t in tokens) if tokens else None
