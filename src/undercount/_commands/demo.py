"""``undercount demo [--out DIR]``: the whole pipeline on the bundled data.

Three parts, each clearly labelled in the report:

1. **Simulated west Mosul lists** (``undercount.data.demo``): four messy lists of
   SIMULATED victims are imported into a project (quarantine included), linked,
   turned into capture tables and estimated; because the simulation is seeded, the
   true number of deaths and the true links are known, so the report shows the
   error of every estimate and the quality of the linkage.
2. **Kosovo 1999** (``undercount.data.kosovo``): the REAL four-list capture table
   (EXH, ABA, OSCE, HRW), estimated with the same methods and set beside the
   published estimate (Ball et al. 2002).
3. **Incidents with acknowledged figures**: from ``undercount.data.incidents`` once
   the incidents stage ships them (the report says so until then).

Writes ``DIR/report.html``, ``DIR/report.pdf`` (when a PDF engine is available) and
``DIR/results.json``; the demo project (store and stage cache) is kept in
``DIR/project`` so that a second run reuses every stage.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer

from undercount.cli import app
from undercount.errors import UserInputError

#: Demo files and the source name each is imported as, in import order.
DEMO_FILES = (
    ("morgue", "morgue.csv"),
    ("hospital", "hospital.csv"),
    ("ngo", "ngo.csv"),
    ("media", "media.jsonl"),
)
#: How the bundled lists were simulated (scripts/make_demo_lists.py); their truth
#: is shipped beside them (``truth.csv``).
DEMO_SEED = 20170710
DEMO_N_DEAD = 900
DEFAULT_OUT = Path("out") / "demo"

DEMO_CONFIG = """\
# undercount demo project: SIMULATED lists (see undercount/data/demo/SOURCE.md)
[project]
name = "West Mosul 2017: four lists of the dead (SIMULATED)"
description = '''Four simulated sources (morgue, hospital, NGO interviews, media
monitoring) record part of a simulated population of deaths in west Mosul,
February-July 2017. Nobody here is a real person.'''

[sources.morgue]
title = "Forensic morgue register (simulated, Arabic)"
[sources.morgue.columns]
# The register's "name" column holds the given name only; father, grandfather and
# family names have their own columns.
"الاسم" = "given_name"
[sources.hospital]
title = "Hospital death records (simulated, Arabic)"
[sources.ngo]
title = "NGO family interviews (simulated, transliterated)"
[sources.media]
title = "Media monitoring (simulated, transliterated)"

[linkage]
threshold = 0.9
seed = 0

[estimate]
methods = ["lcmcr", "loglinear", "dga", "chao"]
headline = "lcmcr"
level = 0.95
seed = 2017
strata = ["month"]
stratified_methods = ["loglinear", "lcmcr"]
sensitivity_method = "loglinear"

# Chain lengths chosen so that R-hat <= 1.01 and ESS >= 400 (checked by
# tests/pipeline/test_pipeline_demo.py) and the demo stays under 90 s on 2 cores.
# K = 25 latent classes: with the default 15 the posterior fills every class
# (the truncation would bind); the estimate is the same, the warning goes.
[estimate.options.lcmcr]
K = 25
burnin = 20000
samples = 2000
thinning = 100
chains = 2

# Strata are small and mix fast: shorter chains per stratum (the report shows the
# worst stratum's R-hat and ESS).
[estimate.strata_options.lcmcr]
burnin = 10000
samples = 1000
thinning = 50

[report]
title = "undercount demo: simulated west Mosul lists and the real Kosovo 1999 lists"
small_cells = 5
simulated = true

[[acknowledgments]]
belligerent = "Simulated belligerent (illustration only, not a real statement)"
period_start = "2017-02"
period_end = "2017-07"
deaths_acknowledged = 120
document = '''Invented for the demo: shows how an acknowledged figure is set
beside the documented and estimated counts'''
"""

KOSOVO_ESTIMATE = {
    "methods": ["lcmcr", "loglinear", "dga", "chao"],
    "headline": "loglinear",
    "level": 0.95,
    "seed": 1999,
    # K = 20: with 10 (the LCMCR package's own example on this table) the posterior
    # fills every latent class, i.e. the truncation binds.
    "options": {"lcmcr": {"K": 20, "burnin": 20000, "samples": 2000, "thinning": 100}},
}


def create_demo_project(directory: Path, *, config: str = DEMO_CONFIG) -> Any:
    """Create a project with the bundled SIMULATED lists imported (once).

    An existing project in ``directory`` is reused as it is (its stage cache too).
    ``config`` is the ``undercount.toml`` text (tests pass faster settings).
    """
    from undercount.ingest import import_file
    from undercount.project import CONFIG_FILENAME, Project
    from undercount.store import Store

    if (directory / CONFIG_FILENAME).is_file():
        return Project.load(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / CONFIG_FILENAME).write_text(config, encoding="utf-8")
    project = Project.load(directory)
    data = resources.files("undercount.data.demo")
    with Store.create(project.store_path) as store:
        store.append_audit("project.init", {"directory": ".", "name": "demo"})
        for source, name in DEMO_FILES:
            with resources.as_file(data / name) as path:
                import_file(store, source, path, project.config.source(source))
    return project


def demo_truth() -> Any:
    """The true links behind the bundled lists: who each record really is.

    Read from ``truth.csv``, written together with the lists by
    ``scripts/make_demo_lists.py``, rather than re-drawn from the simulation seed:
    a later change to the simulator must not silently pair the bundled records
    with people they do not describe.
    """
    import pandas as pd

    from undercount.data import demo

    path = Path(demo.__file__).parent / "truth.csv"
    truth = pd.read_csv(path, dtype={"source": str, "record_id": str, "person_id": int})
    truth.attrs["n_dead"] = DEMO_N_DEAD
    return truth


def _check_truth(truth: Any, lists: dict[str, Any]) -> Any:
    """Keep the truth only if it describes the imported records."""
    import pandas as pd

    imported = pd.concat(
        [
            pd.DataFrame({"source": s, "record_id": f["record_id"]})
            for s, f in lists.items()
        ]
    )
    known = imported.merge(truth, on=["source", "record_id"], how="inner")
    if len(known) < 0.9 * len(imported):
        return None
    kept = truth.merge(imported, on=["source", "record_id"], how="inner")
    kept.attrs["n_dead"] = truth.attrs["n_dead"]
    return kept


def _kosovo(cache: Any, progress: Callable[[str], None]) -> dict[str, Any]:
    from undercount.model import CaptureTable
    from undercount.pipeline import EstimateConfig, analyse_capture_table

    data = resources.files("undercount.data.kosovo")
    reference = json.loads((data / "reference.json").read_text(encoding="utf-8"))
    with resources.as_file(data / "kosovo_1999_patterns.csv") as path:
        table = CaptureTable.read_csv(path)
        from undercount.pipeline._hashing import file_sha256

        sha = file_sha256(path)
    return analyse_capture_table(
        table,
        EstimateConfig.model_validate(KOSOVO_ESTIMATE),
        cache,
        analysis_id="kosovo-1999",
        title="Kosovo 1999: four real lists of killings (EXH, ABA, OSCE, HRW)",
        description=(
            "Killings of Kosovar Albanians, 20 March to 22 June 1999, recorded by "
            "exhumations (EXH), ABA/CEELI interviews (ABA), OSCE reports (OSCE) and "
            "Human Rights Watch interviews (HRW): the canonical example of multiple "
            "systems estimation in human rights work. Only the capture table (counts "
            "per combination of lists) is used; it holds no personal data."
        ),
        provenance={
            "file": "undercount/data/kosovo/kosovo_1999_patterns.csv",
            "sha256": sha,
            "origin": "CRAN package LCMCR 0.4.14, data kosovo_aggregate "
            "(cran/LCMCR commit 4af41313), aggregated to patterns",
            "study": reference["citation"],
        },
        reference=reference,
        data="real",
        progress=progress,
    )


def _incidents() -> dict[str, Any] | None:
    """Real Mosul incidents and acknowledgments (``undercount.data.incidents``),
    read by the incidents stage (see :func:`undercount.pipeline.incidents_section`)."""
    from undercount.pipeline import incidents_section

    data = resources.files("undercount.data") / "incidents"
    if not data.is_dir():
        return None
    published: list[dict[str, Any]] = []
    with (
        resources.as_file(data / "mosul_incidents.csv") as reports,
        resources.as_file(data / "acknowledgments.csv") as acknowledgments,
        resources.as_file(data / "decisions.csv") as decisions,
        resources.as_file(data / "published_figures.csv") as figures,
    ):
        if figures.is_file():
            import csv

            with figures.open(newline="", encoding="utf-8") as handle:
                published = [dict(row) for row in csv.DictReader(handle)]
        named = next(
            (
                {
                    "count": int(row["low"]),
                    "origin": f"{row['publisher']}, {row['published']} ({row['url']})",
                    "description": row["description"],
                }
                for row in published
                if row.get("figure_id") == "ap-morgue-names"
            ),
            None,
        )
        section = incidents_section(
            [("reports", reports)],
            [acknowledgments],
            [decisions] if decisions.is_file() else [],
            published,
            named=named,
        )
    section["data"] = "real"  # published reports and statements: declared real
    section["title"] = "Mosul 2016-17"
    return section


def run_demo(
    out: Path,
    *,
    pdf: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Any:
    """Run the demo into ``out``.

    Returns the :class:`~undercount.pipeline.PipelineResult`.
    """
    from undercount.pipeline import (
        PipelineResult,
        analyse_project,
        assemble_results,
        pipeline_config,
        project_cache,
        read_project_lists,
        write_outputs,
    )

    say = progress or (lambda message: None)
    say("importing the bundled SIMULATED lists")
    project = create_demo_project(out / "project")
    config = pipeline_config(project.config.model_extra)
    cache = project_cache(project)
    truth = _check_truth(demo_truth(), read_project_lists(project).lists)
    mosul = analyse_project(
        project,
        config,
        cache,
        analysis_id="west-mosul-simulated",
        title="West Mosul 2017: four lists of the dead (SIMULATED)",
        simulated=True,
        truth=truth,
        progress=say,
    )
    say("Kosovo 1999 (real capture table)")
    kosovo = _kosovo(cache, say)
    results = assemble_results(
        [mosul, kosovo],
        title=config.report.title or "undercount demo",
        public=False,
        small_cells=config.report.small_cells,
        incidents=_incidents(),
    )
    say("writing results.json, report.html and report.pdf")
    files, message = write_outputs(results, out, pdf=pdf)
    return PipelineResult(
        results=results, files=files, stages=tuple(cache.events), pdf_message=message
    )


def _incident_lines(section: dict[str, Any], title: str) -> list[str]:
    """The incidents part of the headline, when there is one (tagged as declared).

    ``title`` is the section's own (the demo's "Mosul 2016-17") or the project's.
    """
    from undercount.report._text import data_kind, fmt_count, fmt_interval

    totals = section.get("totals")
    if not totals:
        return []
    tag = {"simulated": "[SIMULATED] ", "real": "[REAL] "}.get(data_kind(section), "")
    acknowledged = (
        f"{fmt_count(totals['acknowledged_deaths'])} deaths in "
        f"{totals['acknowledged_incidents']} of them"
        if totals["acknowledged_incidents"]
        else "not acknowledged (no acknowledgment names one of these incidents)"
    )
    lines = [
        f"{tag}{section.get('title') or title}: incidents and acknowledged deaths",
        f"  incidents:    {totals['incidents']} matched from {section.get('reports')} "
        f"reports; sources report "
        f"{fmt_interval(totals['reported_low'], totals['reported_high'])} deaths",
        f"  acknowledged: {acknowledged}",
    ]
    for ack in section.get("acknowledgments", []):
        if ack.get("period_start"):
            lines.append(
                f"  acknowledged for {ack['period_start']} to {ack['period_end']}: "
                f"{fmt_count(ack['deaths_acknowledged'])} ({ack['belligerent']})"
            )
    for figure in section.get("published", []):
        text = str(figure.get("description", ""))
        if "mosul" not in str(figure.get("scope", "")).lower():
            continue
        if not ("estimate" in text.lower() or text.lower().startswith("names on")):
            continue
        low, high = int(figure["low"]), int(figure.get("high") or figure["low"])
        value = fmt_count(low) + (f" to {fmt_count(high)}" if high != low else "")
        lines.append(f"  published:    {value}: {text} ({figure.get('publisher')})")
    return lines


def headline_lines(results: dict[str, Any]) -> list[str]:
    """The headline figures of every analysis, one block of lines each."""
    from undercount.report._text import data_kind, fmt_count, fmt_interval

    lines = []
    for a in results["analyses"]:
        h = a["headline"]
        est = h.get("estimated")
        tag = {"simulated": "[SIMULATED] ", "real": "[REAL] "}.get(data_kind(a), "")
        lines.append(f"{tag}{a['title']}")
        if h.get("acknowledged") is not None:
            invented = " (part of the simulation)" if tag == "[SIMULATED] " else ""
            lines.append(f"  acknowledged: {fmt_count(h['acknowledged'])}{invented}")
        lines.append(f"  documented:   {fmt_count(h['documented'])}")
        if est:
            lines.append(
                f"  estimated:    {fmt_count(est['estimate'])} "
                f"({est['level']:.0%} interval "
                f"{fmt_interval(est['lower'], est['upper'])}, "
                f"{est['method']})"
            )
        imputed = (a.get("linkage") or {}).get("imputed") or {}
        if imputed.get("estimate") is not None:
            lines.append(
                f"  over linkage: {fmt_count(imputed['estimate'])} "
                f"({imputed['level']:.0%} interval "
                f"{fmt_interval(imputed['lower'], imputed['upper'])}, "
                f"{imputed['method']} pooled over {imputed['imputations']} "
                "imputations of the uncertain links)"
            )
        truth = a.get("truth")
        if truth and truth.get("n_dead"):
            errors = {e["method"]: e for e in truth["errors"] if not e["stratified"]}
            head = errors.get(a.get("headline_method") or "")
            extra = (
                f"; error of the estimate {head['error']:+,.0f} "
                f"({head['relative_error'] * 100:+.1f}%)"
                if head
                else ""
            )
            lines.append(f"  true number:  {fmt_count(truth['n_dead'])}{extra}")
        reference = a.get("reference")
        if reference:
            lines.append(
                f"  published:    {fmt_count(reference['estimate'])} "
                f"({fmt_interval(reference['lower'], reference['upper'])}), "
                "Ball et al. 2002"
            )
    lines += _incident_lines(
        results.get("incidents") or {}, str(results.get("title") or "this project")
    )
    return lines


@app.command("demo")
def demo(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Folder for report.html, report.pdf, results.json and the demo "
            "project (reused by later runs).",
        ),
    ] = DEFAULT_OUT,
    pdf: Annotated[
        bool, typer.Option("--pdf/--no-pdf", help="Also write report.pdf.")
    ] = True,
) -> None:
    """Run the whole pipeline on the bundled data and print the headline figures.

    Simulated west Mosul lists (truth known, so the error is shown) and the real
    Kosovo 1999 lists (set beside the published estimate).

    Example: ``undercount demo --out demo/``
    """
    if out.exists() and not out.is_dir():
        raise UserInputError(f"--out {str(out)!r} exists and is not a folder")
    started = time.perf_counter()

    def say(message: str) -> None:
        typer.echo(f"  ... {message}", err=True)

    result = run_demo(out, pdf=pdf, progress=say)
    typer.echo("")
    for line in headline_lines(result.results):
        typer.echo(line)
    typer.echo("")
    for name in ("html", "pdf", "results"):
        path = result.files.get(name)
        if path is not None:
            typer.echo(f"wrote {path}")
    if result.pdf_message and pdf:
        typer.echo(f"note: {result.pdf_message}", err=True)
    cached = sum(1 for e in result.stages if e.status == "cached")
    typer.echo(
        f"done in {time.perf_counter() - started:.1f} s "
        f"({cached} of {len(result.stages)} stages reused from the cache)"
    )
