"""Reviewing stored proposals; accepted incident proposals become incident reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from undercount.errors import UserInputError
from undercount.incidents import grade_clusters, match_incidents
from undercount.incidents._persist import ProjectIncidents
from undercount.ingest.narrative import (
    extract_text,
    list_proposals,
    parse_edits,
    review_proposal,
    store_extraction,
    sync_incidents,
)
from undercount.store import ProposalTables, Store

TEXT = (
    "At least 105 civilians were killed in a coalition airstrike in Mosul al-Jadida "
    "on 17 March 2017. “It was the most precise campaign in history,” said Col. John "
    "Dorrian, a coalition spokesman."
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.create(tmp_path / "undercount.duckdb")
    store_extraction(opened, extract_text(TEXT, name="jadida.txt"), actor="a")
    yield opened
    opened.close()


def _incident_id(store: Store) -> str:
    (incident,) = list_proposals(store, kind="incident")
    return incident.proposal_id


def _keys(store: Store) -> list[str]:
    return [r.key for r in ProjectIncidents(store).records()]


def test_accepted_incident_becomes_a_report_with_the_text_as_source(
    store: Store,
) -> None:
    pid = _incident_id(store)
    assert _keys(store) == []
    row = review_proposal(store, pid, "accept", reviewer="ana", note="checked")
    assert row.status == "accepted" and row.reviewer == "ana" and row.note == "checked"
    (record,) = ProjectIncidents(store).records()
    assert record.key == row.incident_key
    assert sync_incidents(store, row.document_id, actor="a") is None  # idempotent
    incident = record.incident
    assert incident.source.startswith("narrative-jadida-")
    assert incident.killed_min == 105 and incident.killed_max is None
    assert incident.date is not None and incident.date.iso() == "2017-03-17"
    assert incident.place == "Mosul al-Jadida"
    assert incident.weapon == "airstrike"
    assert incident.belligerents == ("coalition",)
    document = ProposalTables(store).documents()[0]
    assert incident.document_sha256 == document.sha256
    assert incident.source_refs[0] == f"jadida.txt (sha256 {document.sha256})"
    assert "At least 105 civilians were killed" in incident.source_refs[1]
    # the incidents stage matches and grades it like any report
    result = match_incidents(ProjectIncidents(store).records())
    graded = grade_clusters(result.clusters)
    assert [g.cluster.keys for g in graded] == [(record.key,)]
    assert graded[0].grade == "weak"  # a single source


def test_reject_after_accept_removes_the_report_and_accept_restores_it(
    store: Store,
) -> None:
    pid = _incident_id(store)
    review_proposal(store, pid, "accept", reviewer="ana")
    key = _keys(store)
    review_proposal(store, pid, "reject", reviewer="ana", note="duplicate")
    assert _keys(store) == []
    assert ProposalTables(store).proposal(pid).incident_key is None  # type: ignore[union-attr]
    review_proposal(store, pid, "accept", reviewer="ana")
    assert _keys(store) == key
    actions = [e.details["to"] for e in store.audit_log(action="narrative.review")]
    assert actions == ["accepted", "rejected", "accepted"]
    assert store.verify_audit_log() is None


def test_rejected_incident_never_becomes_a_report(store: Store) -> None:
    pid = _incident_id(store)
    review_proposal(store, pid, "reject", reviewer="ana")
    assert _keys(store) == []
    assert sync_incidents(store, 1, actor="a") is None  # nothing to write


def test_correction_is_validated_and_applied(store: Store) -> None:
    pid = _incident_id(store)
    edits = parse_edits(["killed_max=141", "belligerents=coalition;isis"])
    row = review_proposal(store, pid, "correct", reviewer="ana", corrections=edits)
    assert row.status == "corrected"
    assert row.corrections == {"killed_max": "141", "belligerents": "coalition;isis"}
    (record,) = ProjectIncidents(store).records()
    assert (record.incident.killed_min, record.incident.killed_max) == (105, 141)
    assert record.incident.belligerents == ("coalition", "isis")
    # the original payload is kept next to the corrections
    assert ProposalTables(store).proposal(pid).payload["figures"][0]["low"] == 105  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("decision", "edits", "message"),
    [
        ("correct", {"colour": "red"}, "cannot correct 'colour'"),
        ("correct", {"killed_max": "50"}, "killed_min \\(105\\) is greater"),
        ("correct", {"date": "17 Smarch"}, "correction date"),
        ("correct", {}, "needs FIELD=VALUE"),
        ("accept", {"killed": "3"}, "only a correction"),
    ],
)
def test_bad_corrections_are_refused_without_writing(
    store: Store, decision: str, edits: dict[str, str], message: str
) -> None:
    pid = _incident_id(store)
    with pytest.raises(UserInputError, match=message):
        review_proposal(store, pid, decision, corrections=edits)  # type: ignore[arg-type]
    assert ProposalTables(store).proposal(pid).status == "proposed"  # type: ignore[union-attr]
    assert _keys(store) == []


def test_unknown_id_and_repeated_decisions(store: Store) -> None:
    with pytest.raises(UserInputError, match="no proposal 'incident-nope'"):
        review_proposal(store, "incident-nope", "accept")
    pid = _incident_id(store)
    review_proposal(store, pid, "accept", reviewer="ana")
    with pytest.raises(UserInputError, match="already accepted"):
        review_proposal(store, pid, "accept", reviewer="bo")
    review_proposal(store, pid, "reject", reviewer="bo")
    with pytest.raises(UserInputError, match="already rejected"):
        review_proposal(store, pid, "reject", reviewer="bo")
    with pytest.raises(UserInputError, match="FIELD=VALUE"):
        parse_edits(["killed"])


def test_claims_and_quotations_are_reviewed_without_incidents(store: Store) -> None:
    quote = list_proposals(store, kind="quotation")[0]
    row = review_proposal(
        store, quote.proposal_id, "correct", corrections={"speaker": "John Dorrian"}
    )
    assert row.status == "corrected" and row.incident_key is None
    with pytest.raises(UserInputError, match="not valid for a quotation"):
        review_proposal(
            store, quote.proposal_id, "correct", corrections={"attribution": "psychic"}
        )
    with pytest.raises(UserInputError, match="cannot correct 'mention_id'"):
        review_proposal(
            store, quote.proposal_id, "correct", corrections={"mention_id": "x"}
        )
    claim = list_proposals(store, kind="claim")[0]
    assert claim.payload["quotation_id"] == quote.payload["mention_id"]
    assert review_proposal(store, claim.proposal_id, "accept").status == "accepted"
    assert _keys(store) == []
    assert (
        len(list_proposals(store, status="proposed")) == len(list_proposals(store)) - 2
    )


def test_correctable_fields_are_those_of_an_incident_table() -> None:
    from undercount.incidents import INCIDENT_FIELDS
    from undercount.ingest.narrative import INCIDENT_EDIT_FIELDS

    fixed = {"source", "incident_id", "source_refs", "document_sha256", "assessment"}
    assert tuple(f for f in INCIDENT_FIELDS if f not in fixed) == INCIDENT_EDIT_FIELDS
