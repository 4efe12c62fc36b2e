"""The incident tables as a store migration, and the public import of incidents
that do not come from a file (``import_incident_records``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from undercount.errors import UserInputError
from undercount.incidents import import_incident_records, make_record
from undercount.incidents._persist import ProjectIncidents
from undercount.model import Acknowledgment, Incident
from undercount.project import init_project
from undercount.store import Store
from undercount.store._migrations_incidents import INCIDENT_MIGRATIONS, INCIDENT_TABLES
from undercount.store._schema import MIGRATIONS, current_version


@pytest.fixture
def store(tmp_path: Path):
    proj = init_project(tmp_path / "p")
    opened = Store.open(proj.store_path)
    yield opened
    opened.close()


def incident(iid: str, killed: int, source: str = "narrative") -> Incident:
    return Incident(
        source=source,
        incident_id=iid,
        date="2017-03-17",
        place="al-Jadida",
        killed_min=killed,
        killed_max=killed,
    )


def test_incident_tables_are_migration_two(store) -> None:
    assert [m.version for m in INCIDENT_MIGRATIONS] == [2]
    assert any(m is INCIDENT_MIGRATIONS[0] for m in MIGRATIONS)
    assert current_version(store.backend) >= 2
    for table in INCIDENT_TABLES:
        assert store.backend.table_exists(table), table


def test_import_adds_replaces_and_audits(store) -> None:
    first = import_incident_records(
        store, "narrative", [incident("d1-1", 5)], kind="narrative", actor="rev"
    )
    assert (first["accepted"], first["added"], first["replaced"]) == (1, 1, 0)
    second = import_incident_records(
        store,
        "narrative",
        [incident("d1-1", 7), make_record(incident("d2-1", 3))],
        kind="narrative",
        actor="rev",
    )
    assert (second["accepted"], second["added"], second["replaced"]) == (2, 1, 1)
    records = {r.key: r for r in ProjectIncidents(store).records()}
    assert set(records) == {"narrative:d1-1", "narrative:d2-1"}
    assert records["narrative:d1-1"].incident.killed_max == 7
    assert records["narrative:d1-1"].place is not None
    imports = ProjectIncidents(store).tables.imports()
    assert [i["format"] for i in imports] == ["narrative", "narrative"]
    audit = [e for e in store.audit_log() if e.action == "incidents.import.incidents"]
    assert len(audit) == 2 and audit[-1].actor == "rev"
    fresh = import_incident_records(
        store, "narrative", [incident("d3-1", 1)], kind="narrative", replace=True
    )
    assert fresh["accepted"] == 1
    assert [r.key for r in ProjectIncidents(store).records()] == ["narrative:d3-1"]


def test_import_refuses_bad_input(store) -> None:
    with pytest.raises(UserInputError, match="source 'narrative' only"):
        import_incident_records(
            store, "narrative", [incident("x", 1, source="other")], kind="narrative"
        )
    with pytest.raises(UserInputError, match="repeated"):
        import_incident_records(
            store, "narrative", [incident("x", 1), incident("x", 2)], kind="narrative"
        )
    with pytest.raises(UserInputError, match="needs a kind"):
        import_incident_records(store, "narrative", [incident("x", 1)], kind=" ")
    with pytest.raises(UserInputError, match="no incidents"):
        import_incident_records(store, "narrative", [], kind="narrative")


def test_stored_acknowledgment_place_reaches_the_model(store) -> None:
    """Rows stored before the model had a place keep it in the table column."""
    project = ProjectIncidents(store)
    old = Acknowledgment(
        belligerent="CJTF-OIR",
        period_start="2017-03",
        period_end="2017-03",
        deaths_acknowledged=4,
        document="doc",
    ).model_dump(mode="json")
    old.pop("place")
    project.tables.save_import(
        source="acks",
        kind="acknowledgments",
        format="acknowledgments",
        file_path="acks.csv",
        file_sha256="0" * 64,
        acknowledgments=[
            {
                "ack_id": "a",
                "line": 2,
                "place": "Al-Shafaa, Mosul",
                "acknowledgment": old,
            }
        ],
    )
    (ack,) = project.acknowledgments()
    assert ack.acknowledgment.place == ack.place == "al-Shifa"
