"""Store: review decisions (schema v4), read-only opening, audited writes by actor."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from undercount.errors import UserInputError
from undercount.link import DecisionRepository, ReviewDecision, latest_decisions
from undercount.store import (
    SCHEMA_VERSION,
    Store,
    StoreDecisionRepository,
    export_quarantine,
    migrate,
)
from undercount.store._backend import DuckDBBackend

T0 = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)


def _decision(
    verdict: str, minutes: int = 0, reviewer: str = "ana", right: str = "7"
) -> ReviewDecision:
    return ReviewDecision.make(
        ("morgue", "1"),
        ("hospital", right),
        verdict,
        reviewer,
        note=f"{verdict} at {minutes}",
        decided_at=T0 + dt.timedelta(minutes=minutes),
    )


def test_repository_satisfies_the_link_protocol_and_round_trips(store: Store) -> None:
    repo = StoreDecisionRepository(store, origin="service", run_id="ab" * 8)
    assert isinstance(repo, DecisionRepository)
    repo.add(_decision("same"))
    repo.add(_decision("different", minutes=5))
    back = repo.all()
    assert [d.verdict.value for d in back] == ["same", "different"]
    assert back[0].decided_at == T0 and back[0].note == "same at 0"
    assert latest_decisions(back)[back[0].key].verdict.value == "different"
    rows = store.decisions()
    assert [r.origin for r in rows] == ["service", "service"]
    assert rows[0].run_id == "ab" * 8


def test_each_decision_is_audited_with_its_actor(store: Store) -> None:
    store.add_decision(_decision("same", reviewer="ana"), actor="ana")
    entry = store.audit_log(action="review.decide")[-1]
    assert entry.actor == "ana"
    assert entry.details["verdict"] == "same"
    assert entry.details["decision_id"] == 1


def test_import_adds_only_new_decisions(store: Store) -> None:
    first = [_decision("same"), _decision("different", minutes=1, right="8")]
    assert store.import_decisions(first, origin="file:d.jsonl", actor="cli") == 2
    # the same file again: nothing new (re-running never duplicates)
    assert store.import_decisions(first, origin="file:d.jsonl", actor="cli") == 0
    # a grown file: only the added line
    grown = [*first, _decision("unsure", minutes=2)]
    assert store.import_decisions(grown, origin="file:d.jsonl", actor="cli") == 1
    # a shrunk file: nothing removed from the store
    assert store.import_decisions(first[:1], origin="file:d.jsonl") == 0
    assert len(store.decisions()) == 3
    imports = store.audit_log(action="review.import")
    assert [e.details["added"] for e in imports] == [2, 1]
    assert {e.actor for e in imports} == {"cli"}
    # a decision recorded by the service and also found in a file is held once
    store.add_decision(_decision("same", minutes=9), origin="service")
    assert store.import_decisions([_decision("same", minutes=9)], origin="f") == 0


def test_version_4_copies_the_service_decisions(tmp_path: Path) -> None:
    path = tmp_path / "undercount.duckdb"
    backend = DuckDBBackend(path)
    migrate(backend, target=3)
    backend.execute("CREATE SCHEMA service")
    backend.execute(
        "CREATE TABLE service.review_decisions (decision_id BIGINT PRIMARY KEY, "
        "source_l VARCHAR, record_id_l VARCHAR, source_r VARCHAR, record_id_r "
        "VARCHAR, verdict VARCHAR, reviewer VARCHAR, decided_at TIMESTAMP, "
        "note VARCHAR, run_id VARCHAR)"
    )
    backend.execute(
        "INSERT INTO service.review_decisions VALUES "
        "(1, 'morgue', '1', 'hospital', '7', 'same', 'ana', "
        "TIMESTAMP '2024-03-01 12:00:00', 'seen', 'r1')"
    )
    backend.close()
    # read-only: no migration, the old table is read as it is
    with Store.open(path, read_only=True) as old:
        assert old.schema_version == 3
        assert [d.verdict for d in old.decisions()] == ["same"]
    with Store.open(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        rows = s.decisions()
        assert [(r.decision_id, r.reviewer, r.origin, r.run_id) for r in rows] == [
            (1, "ana", "service", "r1")
        ]
        assert rows[0].to_review().decided_at == T0


def test_read_only_open_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "undercount.duckdb"
    Store.create(path).close()
    backend = DuckDBBackend(path)
    entries_before = backend.fetchall("SELECT count(*) FROM audit_log")[0][0]
    backend.close()
    with Store.open(path, read_only=True) as ro:
        assert ro.read_only
        assert ro.sources() == [] and ro.decisions() == []
        with pytest.raises(UserInputError, match="read-only"):
            ro.append_audit("x", {})
        with pytest.raises(UserInputError, match="read-only"):
            ro.add_decision(_decision("same"))
        with pytest.raises(UserInputError, match="read-only"):
            ro.begin_import(
                source="m",
                file_path="m.csv",
                file_sha256="a" * 64,
                file_size=1,
                settings={},
                settings_sha256="b" * 64,
            )
        with pytest.raises(UserInputError, match="read-only"):
            export_quarantine(ro, tmp_path / "q.csv")
        # DuckDB itself refuses writes on this connection
        with pytest.raises(duckdb.Error):
            ro.backend.execute("CREATE TABLE t (i INTEGER)")
    with Store.open(path) as s:
        assert len(s.audit_log()) == entries_before


def test_read_only_open_beside_a_writer_in_the_same_process(store: Store) -> None:
    # the web service holds the store open for writing; its readers are read-only
    assert store.path is not None
    with Store.open(store.path, read_only=True) as ro:
        store.add_decision(_decision("same"))
        assert len(ro.decisions()) == 1
        with pytest.raises(UserInputError, match="read-only"):
            ro.add_decision(_decision("different"))


def test_audited_groups_a_change_and_its_entry(store: Store) -> None:
    with pytest.raises(RuntimeError), store.audited("t.write", {"k": 1}, actor="bob"):
        store.backend.execute("CREATE TABLE t (i INTEGER)")
        raise RuntimeError("rolled back")
    assert not store.backend.table_exists("t")
    assert store.audit_log(action="t.write") == []
    with store.audited("t.write", {"k": 2}, actor="bob") as entry:
        store.backend.execute("CREATE TABLE t (i INTEGER)")
    assert store.audit_log(action="t.write") == [entry]
    assert entry.actor == "bob"
    with store.transaction():
        store.append_audit("t.note", {"k": 3}, actor="carol")
    assert store.audit_log(action="t.note")[0].actor == "carol"
    assert store.verify_audit_log() is None


def test_export_audit_records_a_relative_path_and_the_actor(
    store: Store, tmp_path: Path
) -> None:
    (tmp_path / "exports").mkdir()
    export_quarantine(store, tmp_path / "exports" / "q.csv", actor="dana")
    entry = store.audit_log(action="export")[-1]
    assert entry.details["path"] == "exports/q.csv"
    assert entry.actor == "dana"
    outside = tmp_path.parent / f"{tmp_path.name}-outside.csv"
    try:
        export_quarantine(store, outside)
        assert store.audit_log(action="export")[-1].details["path"] == outside.name
    finally:
        outside.unlink(missing_ok=True)
    assert all(not str(e.details).count(str(tmp_path)) for e in store.audit_log())


def test_new_source_is_audited_with_the_importing_actor(store: Store) -> None:
    with store.begin_import(
        source="morgue",
        file_path="morgue.csv",
        file_sha256="a" * 64,
        file_size=1,
        settings={},
        settings_sha256="b" * 64,
        actor="erin",
    ) as writer:
        writer.commit(
            rows_in=0,
            blank_lines=0,
            file_format="csv",
            encoding="utf-8",
            accepted=0,
            quarantined=0,
        )
    assert store.audit_log(action="source.create")[-1].actor == "erin"
    assert store.audit_log(action="import")[-1].actor == "erin"


def test_read_only_processes_share_the_store(tmp_path: Path) -> None:
    """'undercount status' (read-only) runs while another reader holds the file."""
    from undercount.project import init_project

    project = init_project(tmp_path / "p")
    with Store.open(project.store_path, read_only=True) as held:
        assert held.sources() == []
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "undercount",
                "status",
                "--json",
                "-p",
                str(project.root),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["sources"] == []
