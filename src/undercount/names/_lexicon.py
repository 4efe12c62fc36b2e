"""Learned Latin spellings of Arabic names (a small lexicon shipped as data).

A Latin spelling does not say whether a vowel is long: "Karim" is كريم (long i)
but "Khalid" is خالد (short i). The rules cannot tell, so the spellings seen in
the *training* split of the Wikidata name pairs (CC0; see ``docs/names.md``) are
kept in ``lexicon.tsv``: for each normalised Latin spelling, the Arabic form it
most often stands for, when one reading has at least 60 % of the occurrences and
the rules alone would key it differently. A Latin token found there is keyed
from its Arabic form; any other token by the rules.

The file is rebuilt with ``benchmarks/bench_names.py --build-lexicon``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["LEXICON_PATH", "latin_lexicon"]

LEXICON_PATH = Path(__file__).with_name("lexicon.tsv")


@cache
def latin_lexicon() -> dict[str, str]:
    """Map of normalised Latin spelling -> Arabic form (empty if the file is absent)."""
    if not LEXICON_PATH.exists():
        return {}
    table: dict[str, str] = {}
    with LEXICON_PATH.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 2:
                table[fields[0]] = fields[1]
    return table
