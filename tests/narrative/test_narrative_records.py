"""Proposals as storable records, the JSON sink and reviewer decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from undercount.errors import UserInputError
from undercount.ingest.narrative import (
    JsonProposalFile,
    ProposalSink,
    ReviewDecision,
    apply_review,
    extract_text,
    proposal_records,
)

TEXT = (
    "At least 105 civilians were killed in a coalition airstrike in Mosul al-Jadida "
    "on 17 March 2017. “It was the most precise campaign in history,” said Col. John "
    "Dorrian, a coalition spokesman. Amnesty International said that the coalition "
    "used imprecise weapons."
)


def test_records_are_flat_and_deterministic() -> None:
    first = proposal_records(extract_text(TEXT, name="r.txt"))
    second = proposal_records(extract_text(TEXT, name="r.txt"))
    assert [r.proposal_id for r in first] == [r.proposal_id for r in second]
    kinds = [r.proposal_type for r in first]
    assert kinds.count("incident") == 1 and kinds.count("claim") >= 2
    incident = first[0]
    assert incident.status == "proposed"
    assert incident.payload["place_ids"] == ["IQ-mosul-mosul-al-jadida"]
    assert incident.payload["period_start"] == "2017-03-17"
    assert incident.payload["figures"][0]["low"] == 105
    assert (
        incident.payload["weapon_ids"][0] == "airstrike"
    )  # then the paragraph's others
    assert "105" in incident.evidence


def test_json_sink_is_idempotent_and_keeps_reviews(tmp_path: Path) -> None:
    sink = JsonProposalFile(tmp_path / "proposals.json")
    assert isinstance(sink, ProposalSink)
    records = proposal_records(extract_text(TEXT))
    assert sink.write(records) == len(records)
    assert sink.write(records) == 0
    target = records[0].proposal_id
    decided = sink.review(
        ReviewDecision(
            proposal_id=target,
            decision="correct",
            reviewer="analyst",
            note="Coalition later confirmed 105-141",
            corrections={"place_names": ["Mosul al-Jadida"]},
        )
    )
    assert decided.status == "corrected"
    sink.write(records)  # re-extracting must not undo the review
    stored = {r.proposal_id: r for r in sink.read()}
    assert stored[target].status == "corrected"
    assert stored[target].corrections == {"place_names": ["Mosul al-Jadida"]}


def test_review_rules() -> None:
    record = proposal_records(extract_text(TEXT))[0]
    rejected = apply_review(
        record,
        ReviewDecision(proposal_id=record.proposal_id, decision="reject", reviewer="a"),
    )
    assert rejected.status == "rejected" and record.status == "proposed"
    with pytest.raises(UserInputError, match="correction"):
        apply_review(
            record,
            ReviewDecision(
                proposal_id=record.proposal_id,
                decision="correct",
                reviewer="a",
                corrections={"no_such_field": 1},
            ),
        )
    with pytest.raises(UserInputError, match="review is for"):
        apply_review(
            record, ReviewDecision(proposal_id="other", decision="accept", reviewer="a")
        )


def test_sink_refuses_foreign_files(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(UserInputError, match="not an undercount proposals file"):
        JsonProposalFile(path).read()
