"""Incidents in a project store: atomic imports, round trips, decisions, runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from undercount.errors import UserInputError
from undercount.incidents import ReviewDecision, demo_data_dir, match_incidents
from undercount.incidents._persist import IncidentsConfig, ProjectIncidents
from undercount.project import init_project
from undercount.store import Store

DATA = Path(__file__).resolve().parents[1] / "data" / "incidents"


@pytest.fixture
def project(tmp_path: Path):
    proj = init_project(tmp_path / "p")
    store = Store.open(proj.store_path)
    yield ProjectIncidents(store)
    store.close()


def test_import_round_trip_and_unchanged(project) -> None:
    first = project.import_file("mosul", demo_data_dir() / "mosul_incidents.csv")
    assert first["status"] == "imported"
    assert first["rows_in"] == first["accepted"] + first["quarantined"] == 21
    again = project.import_file("mosul", demo_data_dir() / "mosul_incidents.csv")
    assert again["status"] == "unchanged"
    records = project.records()
    assert len(records) == 21
    by_key = {r.key: r for r in records}
    cnn = by_key["cnn:2017-03-30-jadidah"]
    assert cnn.incident.killed_max == 141 and cnn.place.place_id.endswith("jadida")
    assert cnn.original["source"] == "cnn"


def test_quarantine_is_stored(project) -> None:
    summary = project.import_file("ged", DATA / "ucdp_ged_codebook_fixture.csv")
    assert (summary["rows_in"], summary["quarantined"]) == (11, 5)
    rows = project.tables.quarantine()
    assert [r["line"] for r in rows] == [8, 9, 10, 11, 12]
    assert rows[0]["original"]["id"] == "900007"


def test_reimport_replaces_the_source(project, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("incident_id,date\n1,2017\n2,2017\n", encoding="utf-8")
    project.import_file("s", path)
    path.write_text("incident_id,date\n1,2017\n", encoding="utf-8")
    project.import_file("s", path)
    assert [r.key for r in project.records()] == ["s:1"]
    assert len(project.tables.imports()) == 2  # history kept


def test_acknowledgments_and_decisions(project) -> None:
    project.import_file("mosul", demo_data_dir() / "mosul_incidents.csv")
    summary = project.import_file("acks", demo_data_dir() / "acknowledgments.csv")
    assert summary["format"] == "acknowledgments" and summary["accepted"] == 6
    assert {a.ack_id for a in project.acknowledgments()} >= {"cjtf-oir-ci537"}
    decision = ReviewDecision.make(
        "cannot-link",
        "airwars:CI746",
        "ohchr:2017-06-08-shifa-0601",
        reviewer="r",
        reason="aggregate",
    )
    project.decide(decision)
    assert project.decisions() == [decision]
    with pytest.raises(UserInputError, match="no report"):
        project.decide(
            ReviewDecision.make("discount", "nope:1", reviewer="r", reason="x")
        )


def test_match_run_is_stored(project) -> None:
    project.import_file("mosul", demo_data_dir() / "mosul_incidents.csv")
    result = match_incidents(project.records())
    run_id = project.save_match(result)
    latest = project.tables.latest_run("match")
    assert latest["run_id"] == run_id
    assert len(latest["clusters"]) == 21
    assert latest["summary"]["clusters"] == len(result.clusters)
    audit = project.tables.store.audit_log()
    assert any(e.action == "incidents.match" for e in audit)


def test_config_from_project_table() -> None:
    config = IncidentsConfig.from_project_extra(
        {"incidents": {"matching": {"threshold": 5.0}}}, "undercount.toml"
    )
    assert config.matching.threshold == 5.0
    with pytest.raises(UserInputError, match=r"incidents\.matching"):
        IncidentsConfig.from_project_extra(
            {"incidents": {"matching": {"treshold": 5.0}}}, "undercount.toml"
        )
