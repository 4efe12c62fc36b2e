"""import_file: versions, no-op re-imports, atomicity (errors, SIGKILL), scale."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import undercount.ingest._csv as csv_module
from undercount.errors import UserInputError
from undercount.ingest import _validate, import_file
from undercount.project import SourceConfig
from undercount.store import Store

GOOD = "record_id,name,sex,age\n1,Ali,M,30\n2,Omar,M,41\n3,Zainab,F,25\n"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.create(tmp_path / "undercount.duckdb") as s:
        yield s


def _write_list(path: Path, rows: int, seed: int = 7) -> None:
    """A clean, seeded list with ~1% bad ages; 'R<n>' ids."""
    rng = np.random.default_rng(seed)
    ages = rng.integers(0, 95, rows)
    bad = rng.random(rows) < 0.01
    sexes = np.array(["M", "F", "ذكر", "أنثى", ""])[rng.integers(0, 5, rows)]
    days = rng.integers(1, 29, rows)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("record_id,name,sex,age,date_of_death\n")
        for i in range(rows):
            age = "old?" if bad[i] else str(ages[i])
            fh.write(
                f"R{i},name {i % 977} x{i % 13},{sexes[i]},{age},{days[i]}/3/2017\n"
            )


def test_reimport_same_file_is_a_noop(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(GOOD, encoding="utf-8")
    first = import_file(store, "a", path)
    again = import_file(store, "a", path)
    assert (first.status, again.status) == ("imported", "unchanged")
    assert again.import_id == first.import_id and again.rows_in == 3
    assert len(store.imports()) == 1 and store.record_count() == 3
    assert store.audit_log()[-1].action == "import.unchanged"


def test_changed_file_is_a_new_version(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(GOOD, encoding="utf-8")
    import_file(store, "a", path)
    path.write_text(GOOD + "4,Maryam,F,8\n", encoding="utf-8")
    second = import_file(store, "a", path)
    assert second.version == 2
    assert store.record_count("a") == 4
    assert store.record_count("a", version=1) == 3  # the old version stays
    (status,) = store.source_status()
    assert (status.current_version, status.versions) == (2, 2)


def test_changed_settings_are_a_new_version(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(GOOD + "4,Maryam,F,8,extra\n", encoding="utf-8")
    first = import_file(store, "a", path)
    assert first.quarantined == 1
    second = import_file(store, "a", path, SourceConfig(dayfirst=False))
    assert (second.status, second.version) == ("imported", 2)


def test_failure_midway_leaves_store_unchanged(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok = tmp_path / "ok.csv"
    ok.write_text(GOOD, encoding="utf-8")
    import_file(store, "kept", ok)
    big = tmp_path / "big.csv"
    _write_list(big, 5000)
    original = _validate.BatchValidator.validate
    calls = {"n": 0}

    def failing(self: _validate.BatchValidator, batch: object) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk on fire")
        return original(self, batch)  # type: ignore[arg-type]

    monkeypatch.setattr(_validate.BatchValidator, "validate", failing)
    monkeypatch.setattr(csv_module, "CHUNK_CHARS", 4096)  # batches of ~1000 rows
    with pytest.raises(RuntimeError, match="disk on fire"):
        import_file(store, "big", big, batch_rows=1000)
    assert calls["n"] == 3
    assert store.sources() == ["kept"]
    assert store.record_count() == 3
    counts = store.backend.fetchall(
        "SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM quarantine), "
        "(SELECT count(*) FROM imports), (SELECT count(*) FROM source_versions)"
    )[0]
    assert counts == (3, 0, 1, 1)
    assert store.verify_audit_log() is None


def test_header_only_is_an_error_and_writes_nothing(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "h.csv"
    path.write_text("record_id,name\n\n", encoding="utf-8")
    with pytest.raises(UserInputError, match="no data rows"):
        import_file(store, "h", path)
    assert store.sources() == []


def test_progress_is_reported(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csv_module, "CHUNK_CHARS", 4096)
    path = tmp_path / "p.csv"
    _write_list(path, 3000)
    seen: list[tuple[int, int, int]] = []
    import_file(store, "p", path, progress=lambda *a: seen.append(a), batch_rows=500)
    assert len(seen) >= 6
    assert seen[-1][2] == 3000 and seen[-1][0] == seen[-1][1] == path.stat().st_size


def test_hundred_thousand_rows(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    _write_list(path, 100_000)
    started = time.perf_counter()
    result = import_file(store, "big", path)
    elapsed = time.perf_counter() - started
    assert result.rows_in == 100_000
    assert result.rows_in == result.accepted + result.quarantined
    assert 700 < result.quarantined < 1300  # ~1% "old?" ages (seeded)
    assert store.record_count("big") == result.accepted
    assert elapsed < 30  # a generous bound; the benchmark measures speed


_KILL_SCRIPT = """
import os, sys, time
from pathlib import Path
from undercount.store import Store
from undercount.ingest import import_file
marker = Path(sys.argv[3])
def progress(done, total, rows):
    if rows >= 20000 and not marker.exists():
        marker.write_text(str(os.getpid()))
        time.sleep(600)
with Store.open(Path(sys.argv[1])) as store:
    import_file(store, "victims", Path(sys.argv[2]), progress=progress,
                batch_rows=10000)
"""


def test_sigkill_midway_leaves_nothing_partial(tmp_path: Path) -> None:
    db = tmp_path / "undercount.duckdb"
    ok = tmp_path / "ok.csv"
    ok.write_text(GOOD, encoding="utf-8")
    with Store.create(db) as store:
        import_file(store, "kept", ok)
    big = tmp_path / "big.csv"
    _write_list(big, 60_000)
    marker = tmp_path / "midway"
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILL_SCRIPT, str(db), str(big), str(marker)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline, "import never reached the midpoint"
        time.sleep(0.05)
    time.sleep(0.3)  # let the insert thread work on the open transaction
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with Store.open(db) as store:  # opens fine after the kill
        assert store.sources() == ["kept"]
        assert store.record_count() == 3
        counts = store.backend.fetchall(
            "SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM quarantine),"
            " (SELECT count(*) FROM imports)"
        )[0]
        assert counts == (3, 0, 1)
        assert store.verify_audit_log() is None
        result = import_file(store, "victims", big)  # and the import can be redone
        assert result.status == "imported" and result.rows_in == 60_000
