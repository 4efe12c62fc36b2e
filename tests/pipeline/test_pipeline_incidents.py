"""Incidents in the pipeline: matched, graded and set beside the project's counts.

Data: the incidents stage's bundled Mosul reports and acknowledgments
(src/undercount/data/incidents, real published figures); the lists are the bundled
SIMULATED demo lists.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from undercount.pipeline import incidents_section, run_project

DATA = Path(str(resources.files("undercount.data") / "incidents"))


def test_incidents_section_matches_grades_and_computes_the_gap() -> None:
    pytest.importorskip("undercount.compare")
    section = incidents_section(
        [("reports", DATA / "mosul_incidents.csv")],
        [DATA / "acknowledgments.csv"],
        [DATA / "decisions.csv"],
        named={"count": 9606, "origin": "AP, 2017-12-20"},
    )
    assert section["incidents"], section["note"]
    assert section["totals"]["incidents"] == len(section["incidents"])
    assert section["reports"] >= section["totals"]["incidents"]
    grades = {row["grade"] for row in section["incidents"]}
    assert grades <= {"confirmed", "fair", "contested", "weak", "discounted"}
    total = section["gap"]["rows"][0]
    assert total["figures"]["acknowledged"]["value"] == 326  # CJTF-OIR via AP
    assert total["figures"]["named"]["value"] == 9606
    assert "326" in total["statement"]


def test_unreadable_incident_file_is_a_note_not_a_failure(tmp_path: Path) -> None:
    section = incidents_section([("x", tmp_path / "missing.csv")])
    assert section["incidents"] == []
    assert "could not be read" in section["note"]


def test_run_project_sets_incidents_beside_the_estimate(
    make_project, fast_config: str, tmp_path: Path
) -> None:
    pytest.importorskip("undercount.compare")
    incidents = f"""
[incidents]
files = {{ reports = "{DATA / "mosul_incidents.csv"}" }}
acknowledgments = ["{DATA / "acknowledgments.csv"}"]
"""
    project = make_project(config=fast_config + incidents)
    result = run_project(project.root, tmp_path / "out", pdf=False)
    section = result.results["incidents"]
    assert section["incidents"], section["note"]
    figures = section["gap"]["rows"][0]["figures"]
    analysis = result.results["analyses"][0]
    assert figures["named"]["value"] == analysis["headline"]["documented"]
    assert figures["estimated"]["value"] == pytest.approx(
        analysis["headline"]["estimated"]["estimate"]
    )
    html = result.files["html"].read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert "The gap" in html and "Incidents in Mosul" in html
