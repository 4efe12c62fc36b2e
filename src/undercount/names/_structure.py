"""Name structure: given name, father, grandfather, family from a full-name string.

Iraqi official names are chains: the person's given name, then the father's, the
grandfather's (and sometimes the great-grandfather's), and often a family, tribal
or descriptive name (laqab), usually with the article (الجبوري, al-Jubouri). Lists
differ in how much of the chain they record, so the linker compares part by part.

Rules (documented in ``docs/names.md``):

- Titles at the start and placeholders (Unknown, مجهول) are dropped; kinship
  markers (بن, bin, ibn, bint) are skipped; compounds (عبد الله, Abdul Rahman,
  أبو بكر, Nour al-Din) count as one part.
- The last part is the family name when it carries the article (ال.../al X) or when
  there are five or more parts. Four bare parts are read as four generations:
  given, father, grandfather, and the great-grandfather in ``others``.
- Parts are returned normalised (Arabic or Latin rules by their own script), with
  the Latin article written ``al`` ("al jubouri"); ``original`` is untouched. One
  exception to :func:`normalise_arabic`: a final ى stays ى (مصطفى, not مصطفي), so
  that ``canonical_key(part)`` equals the key the part has inside the full name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from undercount.names._normalise import name_tokens, strip_titles
from undercount.names._script import Script, detect_script

__all__ = ["NameParts", "split_name"]

_MARKERS = frozenset({"bin", "bint", "بن", "بنت"})


@dataclass(frozen=True, slots=True)
class NameParts:
    """The parts of a full name; a part that is not present is ``None``.

    Attributes
    ----------
    given, father, grandfather, family : str or None
        Normalised name parts (alef maqsura ى kept, see the module notes);
        ``canonical_key(part)`` gives each part's cross-script key. ``family``
        is the family, tribal or descriptive name (laqab) when one is recognised.
    original : str
        The input, unchanged.
    script : {"arabic", "latin", "mixed", "unknown"}
        Script of the input (see :func:`detect_script`).
    others : tuple of str
        Further ancestors' names between the grandfather and the family name.
    """

    given: str | None
    father: str | None
    grandfather: str | None
    family: str | None
    original: str
    script: Script
    others: tuple[str, ...] = field(default=())


def _has_article(part: str) -> bool:
    return part.startswith("al ") or (part.startswith("ال") and len(part) > 3)


def _parts(text: str) -> list[str]:
    """Name parts: tokens without titles or markers, Latin articles re-attached."""
    parts: list[str] = []
    pending_article = False
    for token in strip_titles(name_tokens(text, for_key=True)):
        if token in _MARKERS:
            continue
        if token == "al":
            pending_article = True
            continue
        parts.append(f"al {token}" if pending_article else token)
        pending_article = False
    return parts


def split_name(text: str) -> NameParts:
    """Split a full name into given name, father, grandfather and family name.

    Parameters
    ----------
    text : str
        A full name in Arabic or Latin script.

    Returns
    -------
    NameParts
        The parts, normalised; missing parts are ``None`` (never guessed).

    Examples
    --------
    >>> p = split_name("محمد يونس ذنون الحيالي")
    >>> (p.given, p.father, p.grandfather, p.family)
    ('محمد', 'يونس', 'ذنون', 'الحيالي')
    >>> p = split_name("Abdul Rahman bin Khalid al-Jubouri")
    >>> (p.given, p.father, p.grandfather, p.family)
    ('abdulrahman', 'khalid', None, 'al jubouri')
    """
    parts = _parts(text)
    family: str | None = None
    if len(parts) >= 2 and (_has_article(parts[-1]) or len(parts) >= 5):
        family = parts.pop()
    chain: list[str | None] = [*parts, None, None, None]
    return NameParts(
        given=chain[0],
        father=chain[1],
        grandfather=chain[2],
        family=family,
        original=text,
        script=detect_script(text),
        others=tuple(parts[3:]),
    )
