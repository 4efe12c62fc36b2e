"""Linkage-side repairs that issue 4's error analysis asked for: a family name
written without its article, typing slips in Arabic script, the family-name veto."""

from __future__ import annotations

import pandas as pd

from undercount.link import LinkageSettings
from undercount.link._keys import name_keys
from undercount.link._places import PlaceAliases
from undercount.link._prepare import prepare_lists


def _prepare(lists: dict[str, pd.DataFrame]) -> pd.DataFrame:
    keys = name_keys()
    places = PlaceAliases.read_csv(None, keys.canonical_key)
    return prepare_lists(lists, keys, places).table


def _named(names: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {"record_id": [str(i) for i in range(len(names))], "name": names}
    )


def test_family_name_without_article_is_read_from_the_lists() -> None:
    # al-Ubaidi appears eight times with its article, never as a given/father name:
    # "Layla Ubaidi" then has Ubaidi as family name, not as father's name.
    table = _prepare(
        {
            "a": _named(["Ahmed Ali al-Ubaidi"] * 8),
            "b": _named(
                ["Layla Ubaidi", "Omar Yunus Ubaidi", "Layla Yunus", "Ali Alubaidi"]
            ),
        }
    )
    b = table[table["source_dataset"] == "b"].set_index("unique_id")
    assert b.loc["0", "family_key"] == b.loc["0", "surname_key"]
    assert pd.isna(b.loc["0", "father_key"])
    assert pd.notna(b.loc["1", "family_key"])
    assert pd.isna(b.loc["1", "grandfather_key"])
    assert pd.notna(b.loc["1", "father_key"])
    # Yunus is not a family name in these lists: it stays the father's name
    assert pd.isna(b.loc["2", "family_key"])
    assert pd.notna(b.loc["2", "father_key"])
    # the article joined to the name: the same family key
    assert b.loc["3", "family_key"] == b.loc["0", "family_key"]


def test_a_name_known_as_both_stays_where_the_split_put_it() -> None:
    # Talib: five times a family name, but as often a father's name
    family = ["Ali Omar al-Talib"] * 5
    father = ["Omar Talib Ahmed"] * 5
    table = _prepare({"a": _named(family + father), "b": _named(["Huda Talib"])})
    b = table[table["source_dataset"] == "b"].iloc[0]
    assert pd.isna(b["family_key"])
    assert pd.notna(b["father_key"])


def test_arabic_parts_keep_a_normalised_spelling_for_slips() -> None:
    table = _prepare({"a": _named(["حمد قاسم الجبوري", "Hamad Qasim"])})
    assert table.loc[0, "given_ar"] == "حمد"
    assert table.loc[0, "family_ar"] == "الجبوري"


def test_latin_parts_borrow_the_arabic_spelling_the_lists_use() -> None:
    # Layla's key is written ليلى twice and ليلا once in the Arabic-script records:
    # the Latin record takes the commoner spelling, so that a slip in Arabic script
    # (لبلى) is one letter from it. Yusra has no Arabic-script record: no spelling.
    table = _prepare(
        {
            "a": _named(["ليلى احمد", "ليلى عمر", "ليلا حسن", "لبلى احمد"]),
            "b": _named(["Layla Ahmed", "Yusra Ahmed"]),
        }
    )
    b = table[table["source_dataset"] == "b"].set_index("unique_id")
    assert b.loc["0", "given_ar"] == "ليلي"
    assert b.loc["0", "father_ar"] == "احمد"
    assert pd.isna(b.loc["1", "given_ar"])
    a = table[table["source_dataset"] == "a"].set_index("unique_id")
    # Arabic-script records keep their own spelling, slips included
    assert a.loc["3", "given_ar"] == "لبلي"


def test_family_name_is_not_vetoed_by_default() -> None:
    # relatives share the family name: a clearly different one is a typing slip
    assert "family_name" not in LinkageSettings().veto
    assert "given_name" in LinkageSettings().veto


def test_a_latin_part_falls_back_to_the_consonant_skeleton() -> None:
    # Khalid's key (xlid) is no Arabic-script record's key (خالد: xld), but the
    # consonants agree: the Latin part borrows خالد, one letter from the slip خاد
    table = _prepare(
        {
            "a": _named(["خالد احمد", "خالد عمر", "خاد حسن"]),
            "b": _named(["Khalid Hassan"]),
        }
    )
    b = table[table["source_dataset"] == "b"].iloc[0]
    assert b["given_ar"] == "خالد"
