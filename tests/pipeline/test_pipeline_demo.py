"""``undercount demo`` end to end: bundled data in, report and results out.

The Kosovo figures are Ball et al. (2002), see src/undercount/data/kosovo/SOURCE.md;
the simulated truth is the ``truth.csv`` written with the bundled lists
(scripts/make_demo_lists.py). The demo's time (target < 90 s) is measured by
``benchmarks/bench_demo.py``, not here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from undercount.cli import _register_commands, app


@pytest.mark.slow
def test_demo_end_to_end(tmp_path: Path) -> None:
    _register_commands()
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    out = tmp_path / "demo"
    for name in ("report.html", "results.json", "report.pdf"):
        assert (out / name).is_file(), name
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    mosul, kosovo = results["analyses"]
    # Simulated data is labelled as such, with its truth and errors.
    assert mosul["simulated"] is True and "SIMULATED" in mosul["title"]
    assert mosul["truth"]["n_dead"] == 900
    assert mosul["truth"]["errors"]
    # The truth describes the bundled records: the linkage is measured against the
    # right people (a truth re-drawn by a changed simulator gave F1 0.001 here).
    quality = mosul["truth"]["linkage"]
    assert quality["precision"] >= 0.9 and quality["recall"] >= 0.9, quality
    assert abs(quality["people_found"] - quality["people_true"]) <= 0.05 * 709
    assert mosul["headline"]["acknowledged"] == 120
    # Real Kosovo lists reproduce the published estimate.
    assert kosovo["simulated"] is False and kosovo["data"] == "real"
    published = {c["method"]: c for c in kosovo["reference"]["comparison"]}
    assert abs(published["loglinear"]["difference"]) <= 1
    # Bayesian fits converged (chain lengths are chosen for it).
    for analysis in (mosul, kosovo):
        lcmcr = next(e for e in analysis["estimates"] if e["method"] == "lcmcr")
        assert lcmcr["diagnostics"]["rhat"] <= 1.01
        assert lcmcr["diagnostics"]["ess_bulk"] >= 400
        assert not lcmcr["warnings"], lcmcr["warnings"]
    by_month = next(e for e in mosul["stratified_estimates"] if e["method"] == "lcmcr")
    for stratum in by_month["strata"]:
        assert stratum["diagnostics"]["rhat"] <= 1.01, stratum
        assert stratum["diagnostics"]["ess_bulk"] >= 400, stratum
    # The headline is printed.
    assert "documented:" in result.output and "estimated:" in result.output
    assert "published:    10,356" in result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "SIMULATED DATA" in html and "REAL DATA" in html
    # A second run reuses every stage.
    again = CliRunner().invoke(app, ["demo", "--out", str(out), "--no-pdf"])
    assert again.exit_code == 0, again.output
    reused = re.search(r"\((\d+) of (\d+) stages reused", again.output)
    assert reused is not None and reused.group(1) == reused.group(2), again.output
