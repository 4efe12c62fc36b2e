"""Place names to place keys through an alias table.

One place is written many ways (المدينة القديمة, Old City, al-Madina al-Qadima). An
alias table lists, per place, its spellings; every spelling maps to one key (the
table's first Latin spelling, lower-cased). Spellings not in the table fall back to the
cross-script canonical name key, so that two unlisted spellings can still agree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from undercount.errors import UserInputError

_DEFAULT_TABLE = ("undercount.data.names", "places_west_mosul.csv")


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").replace("'", "").split())


@dataclass(frozen=True)
class PlaceAliases:
    """Spelling -> place key lookup.

    Attributes
    ----------
    by_spelling
        Folded spelling (case-folded, hyphens as spaces) -> place key.
    by_name_key
        Canonical name key of a spelling -> place key (catches spelling variants).
    """

    by_spelling: dict[str, str]
    by_name_key: dict[str, str]

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[tuple[str, Iterable[str]]],
        name_key: Callable[[str], str | None],
    ) -> PlaceAliases:
        """Build from ``(key, spellings)`` rows."""
        by_spelling: dict[str, str] = {}
        by_name_key: dict[str, str] = {}
        for key, spellings in rows:
            for spelling in [key, *spellings]:
                by_spelling.setdefault(_fold(spelling), key)
                canonical = name_key(spelling)
                if canonical:
                    by_name_key.setdefault(canonical, key)
        return cls(by_spelling, by_name_key)

    @classmethod
    def read_csv(
        cls, path: str | Path | None, name_key: Callable[[str], str | None]
    ) -> PlaceAliases:
        """Read an alias table: columns ``arabic``, ``latin`` (``|``-separated) or
        ``place``, ``aliases`` (``|``-separated). ``None`` reads the packaged west
        Mosul table."""
        if path is None:
            text = (
                resources.files(_DEFAULT_TABLE[0])
                .joinpath(_DEFAULT_TABLE[1])
                .read_text(encoding="utf-8")
            )
            origin = "packaged west Mosul place table"
        else:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except OSError as exc:
                raise UserInputError(
                    f"place alias table {str(path)!r} cannot be read ({exc}); "
                    "give a CSV with columns place,aliases"
                ) from None
            origin = str(path)
        reader = csv.DictReader(io.StringIO(text))
        columns = set(reader.fieldnames or [])
        rows: list[tuple[str, list[str]]] = []
        for row in reader:
            if {"place", "aliases"} <= columns:
                key = row["place"].strip()
                aliases = row["aliases"].split("|")
            elif {"arabic", "latin"} <= columns:
                latin = [v.strip() for v in row["latin"].split("|") if v.strip()]
                key = latin[0] if latin else row["arabic"].strip()
                aliases = [row["arabic"], *latin]
            else:
                raise UserInputError(
                    f"{origin}: a place alias table needs columns place,aliases "
                    f"(or arabic,latin); found {sorted(columns)!r}"
                )
            rows.append((_fold(key), [a.strip() for a in aliases if a.strip()]))
        return cls.from_rows(rows, name_key)

    def key(self, text: str, name_key: Callable[[str], str | None]) -> str | None:
        """The place key of ``text`` (``None`` when empty or unknown)."""
        if not text or not text.strip():
            return None
        folded = _fold(text)
        if folded in self.by_spelling:
            return self.by_spelling[folded]
        canonical = name_key(text)
        if canonical is None:
            return None
        return self.by_name_key.get(canonical, f"~{canonical}")
