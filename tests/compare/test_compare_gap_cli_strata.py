"""``undercount gap`` with a stratified estimate and by place (CLI, in process)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner


def run(*args: str):
    from undercount.cli import _register_commands, app

    _register_commands()
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def estimate_file(tmp_path: Path, column: str) -> Path:
    """An ``undercount estimate --strata ... --json`` output (figures invented for
    the test: 2017-03 estimated, 2017-06 not)."""
    path = tmp_path / "est.json"
    path.write_text(
        json.dumps(
            {
                "method": "chapman",
                "observed": 9606,
                "estimate": 10500.0,
                "lower": 10100.0,
                "upper": 11000.0,
                "level": 0.95,
                "strata": [
                    {
                        "stratum": {column: "2017-03"},
                        "observed": 400,
                        "estimated": True,
                        "estimate": 700.0,
                        "lower": 600.0,
                        "upper": 850.0,
                    },
                    {
                        "stratum": {column: "2017-06"},
                        "observed": 30,
                        "estimated": False,
                        "reason": "the lists never overlap",
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def test_period_rows_take_their_stratum(tmp_path: Path) -> None:
    path = estimate_file(tmp_path, "month")
    done = run("gap", "--demo", "--by", "period", "--estimate", str(path), "--json")
    assert done.exit_code == 0, done.stdout
    rows = {r["scope"]["period"]: r for r in json.loads(done.stdout)["rows"]}
    assert rows[None]["figures"]["estimated"]["value"] == 10500
    march = rows["2017-03"]["figures"]["estimated"]
    assert (march["value"], march["low"], march["high"]) == (700, 600, 850)
    assert "month=2017-03" in march["sources"][0]["detail"]
    june = rows["2017-06"]
    assert "estimated" not in june["figures"]
    assert any("never overlap" in n for n in june["notes"])


def test_estimate_strata_option_names_the_dimension(tmp_path: Path) -> None:
    path = estimate_file(tmp_path, "mois")
    done = run("gap", "--demo", "--by", "period", "--estimate", str(path), "--json")
    rows = {r["scope"]["period"]: r for r in json.loads(done.stdout)["rows"]}
    assert "estimated" not in rows["2017-03"]["figures"]
    done = run("gap", "--demo", "--by", "period", "--estimate", str(path),
               "--estimate-strata", "mois=period", "--json")  # fmt: skip
    rows = {r["scope"]["period"]: r for r in json.loads(done.stdout)["rows"]}
    assert rows["2017-03"]["figures"]["estimated"]["value"] == 700
    bad = run("gap", "--demo", "--estimate", str(path), "--estimate-strata", "mois")
    assert bad.exit_code != 0


def test_by_place_table_lists_unplaced_note(tmp_path: Path) -> None:
    acks = tmp_path / "acks.csv"
    acks.write_text(
        "ack_id,belligerent,period_start,period_end,deaths_acknowledged,document\n"
        "all,CJTF-OIR,2016-10,2017-07,326,doc\n",
        encoding="utf-8",
    )
    from undercount.compare import compute_gap
    from undercount.incidents import (
        grade_clusters,
        match_incidents,
        mosul_decisions,
        mosul_incidents,
        read_acknowledgments,
    )

    records = read_acknowledgments(acks).records
    clusters = match_incidents(mosul_incidents().records, decisions=mosul_decisions())
    report = compute_gap(grade_clusters(clusters.clusters), records, by=["place"])
    statuses = {r.acknowledgment_status for r in report.rows[1:]}
    assert statuses == {"not attributable to a place"}
    assert report.notes and "names no place" in report.notes[0]
