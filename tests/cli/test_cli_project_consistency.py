"""One project, one set of figures: ``incidents``, ``run`` and ``gap`` agree.

The audit found that ``undercount run`` read incidents only from files listed in
``[incidents] files`` while ``undercount gap`` read only the project store (and
never the project's own linked lists or estimate), and that the two commands
accepted incompatible ``[incidents]`` tables. These tests build one project whose
``undercount.toml`` uses ``files``, ``[incidents.matching]`` and
``[incidents.sources.NAME.columns]`` together, import more incidents from the
command line, and check that every command accepts the file and quotes the same
figures.

Data: the lists are the bundled SIMULATED demo lists (undercount/data/demo, see its
SOURCE.md) with the pipeline tests' fast estimator settings; the incident rows and
acknowledgments below are invented for these tests (no real event is described).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from undercount.cli import _register_commands, app
from undercount.errors import UserInputError

FAST = """\
[project]
name = "Test town 2017 (SIMULATED lists)"

[sources.morgue.columns]
"الاسم" = "given_name"

[linkage]
threshold = 0.9
seed = 0

[estimate]
methods = ["loglinear", "chao"]
headline = "loglinear"
seed = 11
strata = ["month"]
stratified_methods = ["loglinear"]
sensitivity_method = "chao"
thresholds = [0.9]

[report]
simulated = true
"""

INCIDENTS = """
[[acknowledgments]]
belligerent = "CJTF-OIR"
period_start = "2017-01"
period_end = "2017-06"
deaths_acknowledged = 200
document = "invented statement for this test"

[incidents]
files = { a = "srcA.csv" }

[incidents.matching]
threshold = 4.0

[incidents.sources.a.columns]
"Event" = "incident_id"
"Day" = "date"
"Town" = "place"
"Dead" = "killed"
"Perp" = "belligerents"
"Arms" = "weapon"
"""

SOURCE_A = (
    "Event,Day,Town,Dead,Perp,Arms\n"
    "A1,2017-03-17,Mosul al Jadida,12,US-led Coalition,airstrike\n"
    "A2,2017-04-02,Zanjili,5,ISIS,mortar\n"
)
SOURCE_B = (
    "incident_id,date,place,killed,belligerents,weapon\n"
    "B1,2017-03-17,Jadida,11,US-led Coalition,airstrike\n"
    "B2,2017-05-10,Old City,3,ISIS,sniper\n"
)


def _invoke(*args: str) -> Any:
    _register_commands()
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def _project(tmp_path: Path, extra: str = INCIDENTS) -> Path:
    from undercount._commands.demo import create_demo_project

    root = tmp_path / "project"
    create_demo_project(root, config=FAST + extra)
    (root / "srcA.csv").write_text(SOURCE_A, encoding="utf-8")
    (root / "srcB.csv").write_text(SOURCE_B, encoding="utf-8")
    return root


def _total(gap: dict[str, Any]) -> dict[str, Any]:
    rows = [r for r in gap["rows"] if r["label"] == "all"]
    assert len(rows) == 1
    figures: dict[str, Any] = rows[0]["figures"]
    return figures


def test_import_run_and_gap_accept_one_config_and_agree(tmp_path: Path) -> None:
    root = _project(tmp_path)
    p = str(root)
    # Before: "invalid value at incidents.files: Extra inputs are not permitted".
    imported = _invoke("incidents", "import", "b", str(root / "srcB.csv"), "-p", p)
    assert imported.exit_code == 0, imported.output
    listed = _invoke("incidents", "list", "--project", p)
    assert listed.exit_code == 0, listed.output

    # Before: `run` wrote "incidents": null (it never read the store).
    ran = _invoke("run", "--project", p, "--no-pdf")
    assert ran.exit_code == 0, ran.output
    results = json.loads((root / "out" / "results.json").read_text("utf-8"))
    section = results["incidents"]
    assert section is not None
    assert section["reports"] == 4  # 2 from srcA (config) + 2 from srcB (import)
    assert {f["source"] for f in section["files"]} == {"a", "b"}
    analysis = results["analyses"][0]
    figures = _total(section["gap"])
    assert figures["acknowledged"]["value"] == 200
    assert analysis["headline"]["acknowledged"] == 200
    assert figures["named"]["value"] == analysis["headline"]["documented"]
    estimated = analysis["headline"]["estimated"]
    assert figures["estimated"]["value"] == pytest.approx(estimated["estimate"])

    # The console headline: the project's title, "not acknowledged", no Mosul.
    assert "Test town 2017 (SIMULATED lists): incidents" in ran.output
    assert "Mosul" not in ran.output
    assert "acknowledged: not acknowledged" in ran.output

    # Before: gap said "No acknowledgment lies inside this scope", named "-".
    gapped = _invoke("gap", "--project", p, "--json")
    assert gapped.exit_code == 0, gapped.output
    gap = json.loads(gapped.output)
    same = _total(gap)
    for name in ("acknowledged", "named", "estimated", "documented", "also_alleged"):
        # same figures; only the provenance of named/estimated names the file
        ours = {k: v for k, v in (same.get(name) or {}).items() if k != "sources"}
        theirs = {k: v for k, v in (figures.get(name) or {}).items() if k != "sources"}
        assert ours == theirs, name
    assert any("latest undercount run" in line for line in gap["sources"])

    # Per month, gap quotes the run's stratum estimate, not the overall one.
    by_month = json.loads(
        _invoke("gap", "--project", p, "--json", "--by", "period").output
    )
    march = next(r for r in by_month["rows"] if r["label"] == "2017-03")
    strata = next(
        s["strata"]
        for s in analysis["stratified_estimates"]
        if s["method"] == estimated["method"]
    )
    stratum = next(s for s in strata if s["stratum"] == {"month": "2017-03"})
    assert march["figures"]["estimated"]["value"] == pytest.approx(stratum["estimate"])

    # Explicit options still override the run's figures.
    given = json.loads(_invoke("gap", "--project", p, "--json", "--named", "5").output)
    assert _total(given)["named"]["value"] == 5

    # Text output says where each figure came from.
    text = _invoke("gap", "--project", p).output
    assert "from: named: latest undercount run (out/results.json" in text


def test_run_again_imports_nothing_twice_and_repeats_its_figures(
    tmp_path: Path,
) -> None:
    from undercount.incidents._persist import ProjectIncidents
    from undercount.store import Store

    root = _project(tmp_path)
    p = str(root)
    assert _invoke("run", "--project", p, "--no-pdf").exit_code == 0
    first = json.loads((root / "out" / "results.json").read_text("utf-8"))
    assert _invoke("run", "--project", p, "--no-pdf").exit_code == 0
    second = json.loads((root / "out" / "results.json").read_text("utf-8"))
    assert first["incidents"] == second["incidents"]
    with Store.open(root / "undercount.duckdb", read_only=True) as store:
        imports = ProjectIncidents(store).tables.imports()
    assert [i["source"] for i in imports] == ["a"]  # srcA.csv imported once


def test_config_and_imported_acknowledgments_each_count_once(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "acks.csv").write_text(
        "ack_id,belligerent,period_start,period_end,incident_id,"
        "deaths_acknowledged,place,document,notes\n"
        "isis-1,ISIS,2017-04,2017-05,,7,,invented statement for this test,\n",
        encoding="utf-8",
    )
    p = str(root)
    assert (
        _invoke(
            "incidents", "import", "acks", str(root / "acks.csv"), "-p", p
        ).exit_code
        == 0
    )
    assert _invoke("run", "--project", p, "--no-pdf").exit_code == 0
    results = json.loads((root / "out" / "results.json").read_text("utf-8"))
    figures = _total(results["incidents"]["gap"])
    assert figures["acknowledged"]["value"] == 207  # 200 (toml) + 7 (csv)
    assert results["analyses"][0]["headline"]["acknowledged"] == 207
    gap = json.loads(_invoke("gap", "-p", p, "--json").output)
    assert _total(gap)["acknowledged"]["value"] == 207
    ids = {a["ack_id"] for a in results["incidents"]["acknowledgments"]}
    assert ids == {"undercount.toml:1", "isis-1"}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        (b"\x00\x01\x02garbage\xff\xfe", "incidents.files.a"),
    ],
)
def test_an_unreadable_incident_file_is_a_one_line_error(
    tmp_path: Path, content: bytes | None, expected: str
) -> None:
    root = _project(tmp_path)
    target = root / "srcA.csv"
    if content is None:
        target.unlink()
    else:
        target.write_bytes(content)
    with pytest.raises(UserInputError) as caught:
        _invoke("run", "--project", str(root), "--no-pdf")
    message = str(caught.value)
    assert expected in message and "srcA.csv" in message
    assert "\n" not in message
    assert not (root / "out" / "results.json").exists()


def test_incident_commands_reject_unknown_incident_keys(tmp_path: Path) -> None:
    root = _project(tmp_path, INCIDENTS + "\n[incidents.matchng]\nthreshold = 3\n")
    with pytest.raises(UserInputError) as caught:
        _invoke("incidents", "list", "--project", str(root))
    assert "incidents.matchng" in str(caught.value)
    with pytest.raises(UserInputError) as caught:
        _invoke("run", "--project", str(root), "--no-pdf")
    assert "incidents.matchng" in str(caught.value)


def test_run_reports_narrative_incidents_accepted_in_review(tmp_path: Path) -> None:
    """Incidents accepted through ``extract review`` reach the store through
    ``import_incident_records`` (kind "narrative"); run and gap both see them."""
    from undercount.incidents import import_incident_records
    from undercount.model import Incident
    from undercount.store import Store

    root = _project(tmp_path, "")
    narrative = Incident(
        source="narrative",
        incident_id="doc1-1",
        date="2017-03-17",
        place="al-Jadida",
        killed_min=4,
        killed_max=4,
    )
    with Store.open(root / "undercount.duckdb") as store:
        import_incident_records(store, "narrative", [narrative], kind="narrative")
    p = str(root)
    assert _invoke("run", "--project", p, "--no-pdf").exit_code == 0
    results = json.loads((root / "out" / "results.json").read_text("utf-8"))
    section = results["incidents"]
    assert section is not None and section["reports"] == 1
    assert section["incidents"][0]["reports"] == ["narrative:doc1-1"]
    assert [f["format"] for f in section["files"]] == ["narrative"]
    gap = json.loads(_invoke("gap", "-p", p, "--json").output)
    assert _total(gap)["also_alleged"] == _total(section["gap"])["also_alleged"]
