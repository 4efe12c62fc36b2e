"""The hand-compiled west Mosul table: structure, provenance and published figures.

Expected figures cite the publications recorded in
src/undercount/data/incidents/SOURCE.md.
"""

from __future__ import annotations

import csv

from undercount.incidents import (
    demo_data_dir,
    grade_clusters,
    match_incidents,
    mosul_acknowledgments,
    mosul_decisions,
    mosul_incidents,
    published_figures,
)


def test_every_row_is_read_and_sourced() -> None:
    data = mosul_incidents()
    assert data.quarantined == 0
    assert data.accepted >= 20
    for record in data.records:
        assert record.incident.source_refs, record.key
        assert record.incident.date is not None, record.key
        assert record.place is not None, record.key
    sources = {r.source for r in data.records}
    assert {"airwars", "amnesty", "cnn", "ohchr"} <= sources


def test_at_least_ten_distinct_west_mosul_incidents() -> None:
    import json
    from importlib import resources

    curated = json.loads(
        resources.files("undercount")
        .joinpath("data", "gazetteer", "curated.json")
        .read_text(encoding="utf-8")
    )
    east = {p["id"] for p in curated["places"] if p.get("bank") == "east"}
    result = match_incidents(mosul_incidents().records, decisions=mosul_decisions())
    assert len(result.clusters) >= 10
    for cluster in result.clusters:
        for record in cluster.records:
            assert record.place.place_id not in east, record.key
            assert record.place.place_id.startswith("IQ-")


def test_jadida_strike_cluster_keeps_each_source_figure() -> None:
    result = match_incidents(mosul_incidents().records, decisions=mosul_decisions())
    cluster = result.cluster_of("airwars:CI550")
    assert set(cluster.keys) == {
        "airwars:CI550",
        "amnesty:2017-03-28-jadida",
        "cnn:2017-03-30-jadidah",
    }
    # Airwars: 105-141 conceded; Amnesty: up to 150; CNN: 141 bodies recovered.
    assert cluster.figures_by_source() == {
        "airwars": [("CI550", 105, 141)],
        "amnesty": [("2017-03-28-jadida", None, 150)],
        "cnn": [("2017-03-30-jadidah", 141, 141)],
    }
    # Airwars keeps its contested high-claims event apart (same source).
    assert result.cluster_of("airwars:CI551").keys == ("airwars:CI551",)


def test_reviewer_decisions_separate_the_aggregate() -> None:
    without = match_incidents(mosul_incidents().records)
    assert "ohchr:2017-06-08-shifa-0601" in without.cluster_of("airwars:CI746").keys
    with_decisions = match_incidents(
        mosul_incidents().records, decisions=mosul_decisions()
    )
    assert with_decisions.cluster_of("airwars:CI746").keys == ("airwars:CI746",)


def test_grades_and_acknowledgments() -> None:
    acks = mosul_acknowledgments()
    assert acks.quarantined == 0
    assert all(a.acknowledgment.document for a in acks.records)
    result = match_incidents(mosul_incidents().records, decisions=mosul_decisions())
    graded = {
        g.cluster.cluster_id: g
        for g in grade_clusters(result.clusters, acknowledgments=acks.records)
    }
    jadida = graded[result.cluster_of("airwars:CI550").cluster_id]
    # US CENTCOM investigation, results of 25 May 2017: 105 civilians killed.
    assert jadida.grade == "confirmed" and jadida.acknowledged == 105
    zanjili = graded[result.cluster_of("ohchr:2017-06-08-zanjili").cluster_id]
    assert zanjili.grade == "contested" and zanjili.acknowledged is None


def test_published_figures_ap_december_2017() -> None:
    figures = published_figures()
    # AP, 20 December 2017: 9,000-11,000 dead; 9,606 names; 326 acknowledged.
    assert (figures["ap-dead"].low, figures["ap-dead"].high) == (9000, 11000)
    assert figures["ap-morgue-names"].low == 9606
    assert figures["ap-coalition-acknowledged"].low == 326
    assert figures["ap-iraqi-or-coalition"].high is None  # "at least 3,200"
    period = [a for a in mosul_acknowledgments().records if not a.is_incident]
    assert [a.acknowledgment.deaths_acknowledged for a in period] == [326]


def test_source_md_lists_every_file() -> None:
    text = (demo_data_dir() / "SOURCE.md").read_text(encoding="utf-8")
    for path in demo_data_dir().glob("*.csv"):
        assert path.name in text
    with (demo_data_dir() / "mosul_incidents.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            assert row["incident_id"] in text, row["incident_id"]


def test_jadida_acknowledgment_cites_the_primary_release() -> None:
    # issue #7: the CENTCOM executive summary released 25 May 2017, not a mirror
    acks = {a.ack_id: a.acknowledgment for a in mosul_acknowledgments().records}
    jadida = acks["cjtf-oir-2017-05-25-jadida"]
    assert jadida.deaths_acknowledged == 105
    assert "centcom.mil" in jadida.document and "25 May 2017" in jadida.document
    assert not any("blogspot" in a.document for a in acks.values())
