"""Acknowledgment.place: optional, trimmed, blank means none."""

from __future__ import annotations

from undercount.model import Acknowledgment


def test_place_is_optional_and_trimmed() -> None:
    base = {
        "belligerent": "CJTF-OIR",
        "period_start": "2017-03",
        "period_end": "2017-04",
        "deaths_acknowledged": 3,
        "document": "doc",
    }
    assert Acknowledgment(**base).place is None
    assert Acknowledgment(**base, place="  al-Shifa ").place == "al-Shifa"
    assert Acknowledgment(**base, place="   ").place is None
    dumped = Acknowledgment(**base, place="Zanjili").model_dump(mode="json")
    assert Acknowledgment.model_validate(dumped).place == "Zanjili"
