"""Store: creation, migrations, atomic imports, versions, audit log."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from undercount.errors import UserInputError
from undercount.store import (
    RECORD_FIELDS,
    SCHEMA_VERSION,
    ImportWriter,
    Migration,
    Store,
    StoreLockedError,
    StoreVersionError,
    _schema,
    migrate,
)


def _records(ids: list[str]) -> pa.Table:
    cols: dict[str, Any] = {"line": list(range(2, 2 + len(ids)))}
    for field in RECORD_FIELDS:
        cols[field] = pa.nulls(len(ids), pa.string())
    cols["record_id"] = ids
    cols["sex"] = ["unknown"] * len(ids)
    for f in ("age_low", "age_high"):
        cols[f] = pa.nulls(len(ids), pa.float64())
    cols["age_approx"] = pa.nulls(len(ids), pa.bool_())
    cols["birth_year"] = pa.nulls(len(ids), pa.int32())
    for f in ("date_start", "date_end"):
        cols[f] = pa.nulls(len(ids), pa.date32())
    cols["raw_0"] = ids
    cols["raw_1"] = [f"name {i}" for i in ids]
    return pa.table(cols)


def _quarantine(lines: list[int]) -> pa.Table:
    return pa.table(
        {
            "line": lines,
            "field": ["age"] * len(lines),
            "reason": ["bad age"] * len(lines),
            "errors": ["[]"] * len(lines),
            "original": ['{"id": "x"}'] * len(lines),
        }
    )


def _begin(store: Store, source: str = "m", **fields: Any) -> ImportWriter:
    """``store.begin_import`` with test defaults (``fields`` override them)."""
    values: dict[str, Any] = {
        "file_path": f"{source}.csv",
        "file_sha256": "a" * 64,
        "file_size": 1,
        "settings": {},
        "settings_sha256": "b" * 64,
    }
    return store.begin_import(source=source, **(values | fields))


def _commit(writer: ImportWriter, rows_in: int, accepted: int, quarantined: int) -> Any:
    return writer.commit(
        rows_in=rows_in,
        blank_lines=0,
        file_format="csv",
        encoding=None,
        accepted=accepted,
        quarantined=quarantined,
    )


def _import(
    store: Store, source: str, ids: list[str], bad: list[int], sha: str = "a" * 64
) -> int:
    with store.begin_import(
        source=source,
        file_path=f"{source}.csv",
        file_sha256=sha,
        file_size=10,
        settings={"k": 1},
        settings_sha256="b" * 64,
    ) as writer:
        writer.add_records(_records(ids), ["id", "الاسم"])
        writer.add_quarantine(_quarantine(bad))
        info = writer.commit(
            rows_in=len(ids) + len(bad),
            blank_lines=0,
            file_format="csv",
            encoding="utf-8",
            accepted=len(ids),
            quarantined=len(bad),
        )
    return info.version


def test_create_sets_schema_version(store: Store) -> None:
    assert store.schema_version == SCHEMA_VERSION
    assert store.audit_log()[0].action == "store.migrate"


def test_create_refuses_existing_file(tmp_path: Path) -> None:
    (tmp_path / "x.duckdb").write_bytes(b"")
    with pytest.raises(UserInputError, match="already exists"):
        Store.create(tmp_path / "x.duckdb")


def test_open_missing_file_is_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="undercount init"):
        Store.open(tmp_path / "nope.duckdb")


def test_open_garbage_file_is_user_error(tmp_path: Path) -> None:
    path = tmp_path / "undercount.duckdb"
    path.write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(UserInputError, match="not a readable undercount store"):
        Store.open(path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "undercount.duckdb"
    with Store.create(path) as s:
        s.backend.execute(
            "INSERT INTO schema_version VALUES (?, now()::TIMESTAMP, 'future')",
            [SCHEMA_VERSION + 1],
        )
    with pytest.raises(StoreVersionError, match="upgrade undercount"):
        Store.open(path)


def test_migrations_apply_in_order_and_are_audited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "undercount.duckdb"
    Store.create(path).close()

    def add_column(backend: Any) -> None:
        backend.execute("ALTER TABLE sources ADD COLUMN contact VARCHAR")

    extra = Migration(SCHEMA_VERSION + 1, "test: contact column", add_column)
    monkeypatch.setattr(_schema, "MIGRATIONS", (*_schema.MIGRATIONS, extra))
    monkeypatch.setattr(_schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with Store.open(path) as s:
        assert s.schema_version == SCHEMA_VERSION + 1
        assert s.audit_log(action="store.migrate")[-1].details["to"] == (
            SCHEMA_VERSION + 1
        )
        assert migrate(s.backend) == []  # idempotent


def test_failed_migration_leaves_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "undercount.duckdb"
    Store.create(path).close()

    def broken(backend: Any) -> None:
        backend.execute("ALTER TABLE sources ADD COLUMN contact VARCHAR")
        raise RuntimeError("boom")

    extra = Migration(SCHEMA_VERSION + 1, "broken", broken)
    monkeypatch.setattr(_schema, "MIGRATIONS", (*_schema.MIGRATIONS, extra))
    monkeypatch.setattr(_schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(RuntimeError, match="boom"):
        Store.open(path)
    monkeypatch.undo()
    with Store.open(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        cols = s.backend.fetchall("SELECT * FROM sources LIMIT 0")
        assert cols == []
        names = [r[0] for r in s.backend.fetchall("DESCRIBE sources")]
        assert "contact" not in names


def test_import_commit_and_status(store: Store) -> None:
    _import(store, "morgue", ["1", "2", "3"], [5])
    (status,) = store.source_status()
    assert (status.name, status.records, status.quarantined) == ("morgue", 3, 1)
    assert status.last_import is not None
    assert status.last_import.rows_in == 4
    rows = store.records().read_all().to_pylist()
    assert [r["record_id"] for r in rows] == ["1", "2", "3"]
    assert rows[0]["original"] == '{"id":"1","الاسم":"name 1"}'
    (entry,) = store.quarantine()
    assert (entry.line, entry.field, entry.original) == (5, "age", {"id": "x"})


def test_new_version_keeps_old_one_queryable(store: Store) -> None:
    assert _import(store, "ngo", ["1", "2"], [], sha="1" * 64) == 1
    assert _import(store, "ngo", ["9"], [], sha="2" * 64) == 2
    assert store.record_count("ngo") == 1
    assert store.record_count("ngo", version=1) == 2
    old = store.records("ngo", version=1).read_all().column("record_id").to_pylist()
    assert old == ["1", "2"]
    assert [v.version for v in store.versions("ngo")] == [1, 2]
    found = store.find_import("ngo", "1" * 64, "b" * 64)
    assert found is not None and found.version == 1


def test_exception_rolls_back_everything(store: Store) -> None:
    with (
        pytest.raises(ValueError, match="reader failed"),
        _begin(store, "morgue") as writer,
    ):
        writer.add_records(_records(["1", "2"]), ["id", "name"])
        raise ValueError("reader failed")
    assert store.sources() == []
    assert store.backend.fetchall("SELECT count(*) FROM records")[0][0] == 0
    assert [e.action for e in store.audit_log()] == ["store.migrate"]


def test_commit_checks_the_invariant(store: Store) -> None:
    with (
        pytest.raises(AssertionError, match="row accounting"),
        _begin(store, "m") as writer,
    ):
        writer.add_records(_records(["1"]), ["id", "name"])
        _commit(writer, 2, 1, 0)
    assert store.backend.fetchall("SELECT count(*) FROM records")[0][0] == 0


def test_commit_checks_counts_against_inserted_rows(store: Store) -> None:
    with (
        pytest.raises(AssertionError, match="inserted 1 records"),
        _begin(store, "m") as writer,
    ):
        writer.add_records(_records(["1"]), ["id", "name"])
        _commit(writer, 2, 2, 0)


def test_leaving_without_commit_rolls_back_and_complains(store: Store) -> None:
    with (
        pytest.raises(RuntimeError, match="without commit"),
        _begin(store, "m") as writer,
    ):
        writer.add_records(_records(["1"]), ["id", "name"])
    assert store.sources() == []


def test_database_rejects_broken_invariant(store: Store) -> None:
    with pytest.raises(Exception, match="CHECK constraint"):
        store.backend.execute(
            "INSERT INTO imports VALUES (1, 's', 1, 'f', 'h', 1, 'h', '{}', 'csv', "
            "NULL, 3, 1, 1, 0, now()::TIMESTAMP, now()::TIMESTAMP, 'imported', 'me')"
        )


def test_audit_log_has_no_update_or_delete_api() -> None:
    public = {name for name in dir(Store) if not name.startswith("_")}
    assert not {n for n in public if "audit" in n} - {
        "append_audit",
        "audited",
        "audit_log",
        "verify_audit_log",
    }


def test_audit_hash_chain_detects_tampering(store: Store) -> None:
    _import(store, "m", ["1"], [])
    store.append_audit("export", {"out": "x.csv", "rows": 1})
    assert store.verify_audit_log() is None
    entries = store.audit_log()
    assert entries[-1].prev_hash == entries[-2].entry_hash
    store.backend.execute(
        'UPDATE audit_log SET details = \'{"out": "y.csv", "rows": 1}\' '
        "WHERE action = 'export'"
    )
    assert store.verify_audit_log() == entries[-1].id


def test_audit_chain_detects_deleted_entry(store: Store) -> None:
    store.append_audit("a", {})
    store.append_audit("b", {})
    store.append_audit("c", {})
    store.backend.execute("DELETE FROM audit_log WHERE action = 'b'")
    assert store.verify_audit_log() == 4


def test_second_process_gets_a_clear_lock_error(tmp_path: Path) -> None:
    path = tmp_path / "undercount.duckdb"
    with Store.create(path):
        code = (
            "import sys\n"
            "from pathlib import Path\n"
            "from undercount.store import Store, StoreLockedError\n"
            "try:\n"
            f"    Store.open(Path({str(path)!r}))\n"
            "except StoreLockedError as exc:\n"
            "    print(exc)\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
    assert "in use by another undercount process" in out.stdout
    assert StoreLockedError.__mro__[1] is UserInputError
