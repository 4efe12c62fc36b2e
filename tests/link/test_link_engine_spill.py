"""DuckDB spills outside the working directory, and the slip pre-filter is lossless."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from undercount.link._engine import DUCKDB_TEMP_ENV, duckdb_backend
from undercount.link._settings import _one_slip_filter


def _setting(api: object) -> str:
    con = api._con  # type: ignore[attr-defined]
    return str(con.execute("SELECT current_setting('temp_directory')").fetchone()[0])


def test_spill_folder_is_system_temp_not_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DUCKDB_TEMP_ENV, raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    folder = _setting(duckdb_backend())
    assert folder == str(tmp_path / "undercount-duckdb")
    assert not folder.endswith(".tmp")


def test_spill_folder_configurable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DUCKDB_TEMP_ENV, str(tmp_path / "spill it's"))
    assert _setting(duckdb_backend()) == str(tmp_path / "spill it's")
    assert _setting(duckdb_backend(temp_directory=str(tmp_path))) == str(tmp_path)


@pytest.mark.parametrize(
    ("a", "b", "one_slip"),
    [
        ("حسن", "حسين", True),  # insertion
        ("حسن", "حسم", True),  # substitution at the end
        ("ahmed", "hamed", True),  # swap at the start
        ("ab", "ba", True),  # swap in a two-letter word: both ends change
        ("ali", "omar", False),
        ("karim", "kareem", False),
    ],
)
def test_slip_filter_keeps_every_one_edit_pair(a: str, b: str, one_slip: bool) -> None:
    """The filter must pass every pair within one edit (it only saves work)."""
    con = duckdb.connect()
    con.execute("CREATE TABLE t (x_l VARCHAR, x_r VARCHAR)")
    con.execute("INSERT INTO t VALUES (?, ?)", [a, b])
    filtered = con.execute(
        f"SELECT ({_one_slip_filter('x', short_ok=True)}) "
        "AND damerau_levenshtein(x_l, x_r) <= 1 FROM t"
    ).fetchone()
    distance = con.execute("SELECT damerau_levenshtein(x_l, x_r) FROM t").fetchone()
    assert filtered is not None and distance is not None
    assert bool(filtered[0]) is one_slip
    assert (distance[0] <= 1) is one_slip


def test_spilling_query_leaves_no_tmp_in_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A query bigger than the memory budget spills to the configured folder, not
    to ``.tmp`` in the working directory (which was the repository)."""
    work, spill = tmp_path / "work", tmp_path / "spill"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv(DUCKDB_TEMP_ENV, str(spill))
    api = duckdb_backend(memory_limit="20MB")
    con = api._con
    con.execute("SET threads = 1")
    con.execute(
        "CREATE TABLE big AS SELECT i, md5(i::VARCHAR) AS h FROM range(1000000) t(i)"
    )
    n = con.execute("SELECT count(*) FROM (SELECT * FROM big ORDER BY h)").fetchone()
    assert n is not None and n[0] == 1_000_000
    assert not (work / ".tmp").exists()
