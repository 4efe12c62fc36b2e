"""Stage: names. Normalise Arabic-script and Latin-script names and key them.

Public API (see ``docs/names.md`` for the decisions and measured accuracy):

- :func:`normalise_arabic`, :func:`normalise_latin`, :func:`normalise_name`:
  one spelling per name within a script.
- :func:`canonical_key`, :func:`canonical_tokens`: a cross-script key that is equal
  or close for Arabic script and its common Latin transliterations.
- :func:`phonetic_key`: a coarse, high-recall key for blocking.
- :func:`split_name` -> :class:`NameParts`: given / father / grandfather / family.
- :func:`detect_script`.

A name without a usable key gives ``None``: unknown, never equal to another unknown.
"""

from __future__ import annotations

from undercount.names._arabic import normalise_arabic
from undercount.names._keys import (
    canonical_key,
    canonical_tokens,
    consonant_key,
    phonetic_key,
    token_key,
)
from undercount.names._latin import normalise_latin
from undercount.names._normalise import TITLES, UNKNOWN_WORDS, normalise_name
from undercount.names._script import Script, detect_script
from undercount.names._structure import NameParts, split_name

__all__ = [
    "TITLES",
    "UNKNOWN_WORDS",
    "NameParts",
    "Script",
    "canonical_key",
    "canonical_tokens",
    "consonant_key",
    "detect_script",
    "normalise_arabic",
    "normalise_latin",
    "normalise_name",
    "phonetic_key",
    "split_name",
    "token_key",
]
