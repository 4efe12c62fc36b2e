"""``undercount link`` end to end on small simulated lists (DESIGN.md contract)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from undercount.model.capture_table import CaptureTable
from undercount.simulate.records import simulate_mosul_lists


@pytest.fixture(scope="module")
def list_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("lists")
    return simulate_mosul_lists(n_dead=250, seed=11).write_csv(folder)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "undercount", *args],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def linked(list_files: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    done = _run("link", *map(str, list_files), "--out", str(out), "--seed", "3")
    assert done.returncode == 0, done.stderr
    assert "people" in done.stdout
    return out


def test_outputs_exist(linked: Path) -> None:
    for name in (
        "clusters.csv",
        "captures.csv",
        "pairs.csv",
        "linkage_report.html",
        "linkage_report.json",
        "model.json",
        "settings.json",
    ):
        assert (linked / name).stat().st_size > 0, name


def test_every_record_once_in_clusters(linked: Path, list_files: list[Path]) -> None:
    clusters = pd.read_csv(linked / "clusters.csv", dtype=str)
    assert list(clusters.columns) == ["source", "record_id", "cluster_id"]
    expected = set()
    for path in list_files:
        frame = pd.read_csv(path, dtype=str)
        expected |= {(path.stem, r) for r in frame["record_id"]}
    got = list(zip(clusters["source"], clusters["record_id"], strict=True))
    assert len(got) == len(set(got)) == len(expected)
    assert set(got) == expected


def test_captures_agree_with_clusters(linked: Path, list_files: list[Path]) -> None:
    table = CaptureTable.read_csv(linked / "captures.csv")
    clusters = pd.read_csv(linked / "clusters.csv", dtype=str)
    assert table.lists == tuple(p.stem for p in list_files)
    assert table.n_observed == clusters["cluster_id"].nunique()
    report = json.loads((linked / "linkage_report.json").read_text(encoding="utf-8"))
    assert report["people"] == table.n_observed
    assert report["records"] == len(clusters)


def test_source_name_from_config(list_files: list[Path], tmp_path: Path) -> None:
    config = tmp_path / "link.json"
    config.write_text(
        json.dumps({"sources": {"morgue": {"name": "forensic"}}}), encoding="utf-8"
    )
    out = tmp_path / "out"
    done = _run(
        "link", *map(str, list_files[:2]), "--out", str(out), "--config", str(config)
    )
    assert done.returncode == 0, done.stderr
    sources = set(pd.read_csv(out / "clusters.csv", dtype=str)["source"])
    assert sources == {"forensic", list_files[1].stem}


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["missing.csv"], "file not found"),
        (["--threshold", "1.5"], "threshold"),
    ],
)
def test_errors_are_one_line(
    args: list[str], fragment: str, list_files: list[Path], tmp_path: Path
) -> None:
    if args[0] == "missing.csv":
        files = [str(tmp_path / "missing.csv")]
    else:
        files = [str(list_files[0]), *args]
    done = _run("link", *files, "--out", str(tmp_path / "o"))
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert fragment in lines[0]
    assert "Traceback" not in done.stderr


def test_decisions_in_config_are_applied(
    list_files: list[Path], tmp_path: Path
) -> None:
    from undercount.link import JsonFileDecisionRepository, ReviewDecision

    morgue = pd.read_csv(list_files[0], dtype=str)
    ngo = pd.read_csv(list_files[1], dtype=str)
    left = ("morgue", morgue["record_id"].iloc[0])
    right = ("ngo", ngo["record_id"].iloc[0])
    JsonFileDecisionRepository(tmp_path / "decisions.jsonl").add(
        ReviewDecision.make(left, right, "same", "tester", note="test")
    )
    config = tmp_path / "link.toml"
    config.write_text('decisions = "decisions.jsonl"\n[linkage]\nthreshold = 0.9\n')
    out = tmp_path / "out"
    done = _run(
        "link", *map(str, list_files[:2]), "--out", str(out), "--config", str(config)
    )
    assert done.returncode == 0, done.stderr
    clusters = pd.read_csv(out / "clusters.csv", dtype=str).set_index(
        ["source", "record_id"]
    )
    assert clusters.loc[left, "cluster_id"] == clusters.loc[right, "cluster_id"]
    settings = json.loads((out / "settings.json").read_text(encoding="utf-8"))
    assert settings["threshold"] == 0.9
