"""Narrative documents and proposals in the project store (tables and sink)."""

from __future__ import annotations

from pathlib import Path

import pytest

from undercount.errors import UserInputError
from undercount.ingest.narrative import (
    ProposalSink,
    StoreProposalSink,
    extract,
    extract_text,
    mention_records,
    proposal_records,
    review_proposal,
    store_extraction,
)
from undercount.store import SCHEMA_VERSION, ProposalTables, Store

SEED = Path(__file__).resolve().parents[1] / "data" / "narrative" / "mosul-report.txt"
TEXT = (
    "At least 105 civilians were killed in a coalition airstrike in Mosul al-Jadida "
    "on 17 March 2017. “It was the most precise campaign in history,” said Col. John "
    "Dorrian, a coalition spokesman."
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.create(tmp_path / "undercount.duckdb")
    yield opened
    opened.close()


def test_schema_has_the_narrative_tables(store: Store) -> None:
    assert SCHEMA_VERSION >= 3
    assert store.backend.table_exists("narrative_documents")
    assert store.backend.table_exists("narrative_proposals")


def test_store_sink_keeps_document_text_and_proposals(store: Store) -> None:
    result = extract(SEED)
    sink = StoreProposalSink(store, result, actor="tester")
    assert isinstance(sink, ProposalSink)
    records = [*proposal_records(result), *mention_records(result)]
    assert sink.write(records) == len(records)
    tables = ProposalTables(store)
    (document,) = tables.documents()
    assert document.sha256 == result.source.sha256
    assert document.file_name == "mosul-report.txt"
    assert document.media_type == "text/plain"
    assert document.n_chars == len(result.text)
    assert document.actor == "tester"
    assert document.incident_source == "narrative-mosul-report-8549e22f"
    stored = tables.proposals()
    assert len(stored) == len(records)
    # 3 incidents and 14 claims (docs/extract.md), 9 casualties, 5 quotations
    kinds = {k: sum(p.kind == k for p in stored) for k in {p.kind for p in stored}}
    assert kinds == {"incident": 3, "claim": 14, "casualty": 9, "quotation": 5}
    text = tables.text(document.document_id)
    for p in stored:
        assert p.status == "proposed" and p.reviewer is None
        assert text[p.span_start : p.span_end] == p.quoted_text
    audit = store.audit_log(action="narrative.extract")
    assert audit[-1].actor == "tester"
    assert audit[-1].details["proposals_added"] == len(records)


def test_reextracting_never_duplicates_nor_loses_decisions(store: Store) -> None:
    result = extract(SEED)
    _, added = store_extraction(store, result, actor="a")
    incident = ProposalTables(store).proposals(kind="incident")[0]
    review_proposal(store, incident.proposal_id, "reject", reviewer="r", note="dup")
    again = extract(SEED)
    _, added_again = store_extraction(store, again, actor="b")
    assert added > 0 and added_again == 0
    tables = ProposalTables(store)
    assert len(tables.proposals()) == added
    assert len(tables.documents()) == 1
    kept = tables.proposal(incident.proposal_id)
    assert kept is not None and kept.status == "rejected" and kept.note == "dup"


def test_sink_refuses_records_of_another_document(store: Store) -> None:
    one = extract_text(TEXT, name="one.txt")
    other = extract_text(TEXT + " More text.", name="two.txt")
    sink = StoreProposalSink(store, one, actor="a")
    with pytest.raises(UserInputError, match="another document"):
        sink.write(proposal_records(other))
    assert ProposalTables(store).documents() == []


def test_two_documents_get_their_own_sources(store: Store) -> None:
    store_extraction(store, extract_text(TEXT, name="one.txt"), actor="a")
    store_extraction(store, extract_text(TEXT + " Again.", name="one.txt"), actor="a")
    sources = [d.incident_source for d in ProposalTables(store).documents()]
    assert len(set(sources)) == 2
    assert all(s.startswith("narrative-one-") for s in sources)
