"""Review decisions: ``undercount run`` applies those in the project store (where the
web service records them) and imports the ``[linkage] decisions`` file into it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from undercount.link import JsonFileDecisionRepository, ReviewDecision
from undercount.pipeline import run_project
from undercount.pipeline._decisions import decisions_sha256
from undercount.store import Store

T0 = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.UTC)


def _two_people(project_root: Path, stage_key: str) -> tuple[tuple[str, str], ...]:
    """Two records of different lists that the linkage put in different clusters."""
    members = pd.read_parquet(
        project_root
        / ".undercount"
        / "cache"
        / "linkage"
        / stage_key
        / "members.parquet"
    )
    first = members.iloc[0]
    other = members[
        (members["source"] != first["source"])
        & (members["cluster_id"] != first["cluster_id"])
    ].iloc[0]
    return (
        (str(first["source"]), str(first["record_id"])),
        (str(other["source"]), str(other["record_id"])),
    )


def _linkage_key(result) -> str:  # type: ignore[no-untyped-def]
    return str(result.results["analyses"][0]["linkage"]["stage_key"])


def _together(
    project_root: Path, result, a: tuple[str, str], b: tuple[str, str]
) -> bool:  # type: ignore[no-untyped-def]
    """Whether the run's clusters put records ``a`` and ``b`` in one person."""
    members = pd.read_parquet(
        project_root
        / ".undercount"
        / "cache"
        / "linkage"
        / _linkage_key(result)
        / "members.parquet"
    ).set_index(["source", "record_id"])
    return bool(members.loc[a, "cluster_id"] == members.loc[b, "cluster_id"])


@pytest.mark.slow
def test_a_decision_recorded_in_the_store_is_applied(
    make_project, tmp_path: Path
) -> None:
    project = make_project()
    first = run_project(project.root, tmp_path / "out1", pdf=False)
    people = first.results["analyses"][0]["headline"]["documented"]
    left, right = _two_people(project.root, _linkage_key(first))
    # what the service's review page does: append to the store, as the reviewer
    with Store.open(project.store_path) as store:
        store.add_decision(
            ReviewDecision.make(left, right, "same", "rana", decided_at=T0),
            origin="service",
        )
    second = run_project(project.root, tmp_path / "out2", pdf=False)
    assert second.stage_status["linkage"] == "computed"
    analysis = second.results["analyses"][0]
    # a must-link: one person now (the clustering may merge more around it)
    assert _together(project.root, second, left, right)
    assert analysis["headline"]["documented"] < people
    assert analysis["inputs"]["review_decisions"]["in_force_same"] == 1
    assert analysis["inputs"]["decisions_sha256"] is not None
    # nothing changed since: every stage from the cache
    third = run_project(project.root, tmp_path / "out3", pdf=False)
    assert set(third.stage_status.values()) == {"cached"}


@pytest.mark.slow
def test_the_config_file_is_imported_and_the_latest_decision_wins(
    make_project, fast_config: str, tmp_path: Path
) -> None:
    project = make_project()
    first = run_project(project.root, tmp_path / "out1", pdf=False)
    people = first.results["analyses"][0]["headline"]["documented"]
    left, right = _two_people(project.root, _linkage_key(first))
    path = project.root / "review" / "decisions.jsonl"
    JsonFileDecisionRepository(path).add(
        ReviewDecision.make(left, right, "same", "cli-user", decided_at=T0)
    )
    project.config_path.write_text(
        fast_config.replace(
            "[linkage]\n", '[linkage]\ndecisions = "review/decisions.jsonl"\n'
        ),
        encoding="utf-8",
    )
    second = run_project(project.root, tmp_path / "out2", pdf=False)
    summary = second.results["analyses"][0]["inputs"]["review_decisions"]
    assert summary["imported_from_file"] == 1
    assert _together(project.root, second, left, right)
    assert second.results["analyses"][0]["headline"]["documented"] < people
    with Store.open(project.store_path) as store:
        rows = store.decisions()
        assert [r.origin for r in rows] == ["file:review/decisions.jsonl"]
        assert store.audit_log(action="review.import")[-1].details["added"] == 1
    # re-running imports nothing and re-links nothing
    again = run_project(project.root, tmp_path / "out3", pdf=False)
    assert (
        again.results["analyses"][0]["inputs"]["review_decisions"]["imported_from_file"]
        == 0
    )
    assert again.stage_status["linkage"] == "cached"
    # a later decision in the service overrides the file's; emptying the file loses
    # nothing
    with Store.open(project.store_path) as store:
        store.add_decision(
            ReviewDecision.make(
                right, left, "different", "rana", decided_at=T0 + dt.timedelta(1)
            ),
            origin="service",
        )
    path.write_text("", encoding="utf-8")
    last = run_project(project.root, tmp_path / "out4", pdf=False)
    analysis = last.results["analyses"][0]
    assert last.stage_status["linkage"] == "computed"
    assert not _together(project.root, last, left, right)
    assert analysis["headline"]["documented"] == people  # as before any decision
    assert analysis["inputs"]["review_decisions"]["recorded"] == 2
    assert analysis["inputs"]["review_decisions"]["in_force_different"] == 1


def test_decisions_hash_follows_the_decisions_in_force() -> None:
    a, b = ("m", "1"), ("h", "2")
    same = ReviewDecision.make(a, b, "same", "x", decided_at=T0)
    again = ReviewDecision.make(b, a, "same", "y", decided_at=T0 + dt.timedelta(1))
    later = T0 + dt.timedelta(2)
    different = ReviewDecision.make(a, b, "different", "z", decided_at=later)
    assert decisions_sha256([]) is None
    assert decisions_sha256([same]) == decisions_sha256([same, again])
    assert decisions_sha256([same]) != decisions_sha256([different, same])
