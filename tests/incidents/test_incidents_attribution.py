"""Who is alleged: perpetrators vs parties to the fighting (issue #7, finding 3).

UCDP GED codebook: ``type_of_violence`` 1 state-based, 2 non-state (``side_a`` and
``side_b`` are the parties fighting; the deaths are not attributed to either),
3 one-sided (``side_a`` is the perpetrator, ``side_b`` the civilians). ACLED
codebook: in "Violence against civilians" (and remote violence) ``actor1`` is the
attacker; in battles both actors are parties. Fixture rows: tests/data/incidents/
SOURCE.md (row 900001 is the 17 March 2017 Mosul al-Jadida strike, state-based,
Government of Iraq vs IS, 105 civilians).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from undercount.compare import compute_gap
from undercount.incidents import (
    grade_clusters,
    make_record,
    match_incidents,
    read_acled,
    read_ucdp_ged,
)
from undercount.model import Incident, PartialDate

DATA = Path(__file__).resolve().parents[1] / "data" / "incidents"


@pytest.fixture(scope="module")
def ged():
    return {
        r.incident.incident_id: r
        for r in read_ucdp_ged(
            DATA / "ucdp_ged_codebook_fixture.csv", source="ucdp-ged"
        ).records
    }


def test_ged_state_based_sides_are_parties(ged) -> None:
    strike = ged["900001"].incident
    assert strike.belligerents == ()
    assert strike.parties == ("Government of Iraq", "IS")
    # type 3, one-sided: side_a alone is the alleged perpetrator
    one_sided = ged["900002"].incident
    assert one_sided.belligerents == ("IS",)
    assert one_sided.parties == ()
    # type 2, non-state: parties too
    assert ged["900006"].incident.belligerents == ()


def test_single_ged_report_is_weak_not_contested(ged) -> None:
    graded = grade_clusters(match_incidents([ged["900001"]]).clusters)
    (g,) = graded
    assert g.grade == "weak"
    assert not any(a.startswith("contested") for a in g.also)
    assert g.cluster.parties() == {"iraqi-forces", "isis"}
    assert g.cluster.alleged_belligerents() == frozenset()


def test_gap_by_belligerent_does_not_double_count(ged) -> None:
    graded = grade_clusters(
        match_incidents([ged["900001"]]).clusters,
    )
    report = compute_gap(graded, by=["belligerent"])
    rows = {r.scope.belligerent: r for r in report.rows}
    assert set(rows) == {None, "parties: iraqi-forces vs isis"}
    assert "isis" not in rows and "iraqi-forces" not in rows
    row = rows["parties: iraqi-forces vs isis"]
    assert "attributed to neither" in row.statement
    assert "Iraqi forces" in row.statement


def _record(source: str, iid: str, belligerents: tuple[str, ...], parties=()):
    return make_record(
        Incident(
            source=source,
            incident_id=iid,
            date=PartialDate(2017, 3, 17),
            place="Mosul al-Jadida",
            killed_min=105,
            killed_max=105,
            belligerents=belligerents,
            parties=parties,
        )
    )


def test_contested_needs_competing_attributions() -> None:
    # two sources alleging different perpetrators: contested
    a = _record("airwars", "CI550", ("US-led Coalition",))
    b = _record("isis-media", "x1", ("Islamic State",))
    result = match_incidents([a, b])
    graded = grade_clusters(result.clusters)
    assert [g.grade for g in graded] == ["contested"]
    # one source alleging alternatives: contested
    (alt,) = grade_clusters(
        match_incidents(
            [_record("airwars", "CI551", ("US-led Coalition", "Islamic State"))]
        ).clusters
    )
    assert alt.grade == "contested"
    # a perpetrator plus the parties named by a battle report: not contested
    (one,) = grade_clusters(
        match_incidents(
            [_record("airwars", "CI552", ("US-led Coalition",), ("Iraqi forces",))]
        ).clusters
    )
    assert one.grade == "weak"


def _acled_with(event_type: str, actor2: str, inter2: str) -> str:
    rows = list(csv.DictReader((DATA / "acled_codebook_fixture.csv").open()))
    row = dict(rows[0])
    row.update(
        event_type=event_type,
        actor1="Military Forces of Iraq (2014-)",
        inter1="1",
        actor2=actor2,
        inter2=inter2,
        civilian_targeting="",
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    return out.getvalue()


@pytest.mark.parametrize(
    ("event_type", "alleged", "parties"),
    [
        ("Battles", (), ("Military Forces of Iraq (2014-)", "Islamic State (Iraq)")),
        (
            "Explosions/Remote violence",
            ("Military Forces of Iraq (2014-)",),
            (),
        ),
        ("Violence against civilians", ("Military Forces of Iraq (2014-)",), ()),
    ],
)
def test_acled_actor_roles(tmp_path: Path, event_type, alleged, parties) -> None:
    path = tmp_path / "acled.csv"
    path.write_text(_acled_with(event_type, "Islamic State (Iraq)", "2"))
    (record,) = read_acled(path).records
    assert record.incident.belligerents == alleged
    assert record.incident.parties == parties


def test_acled_fixture_roles() -> None:
    by_id = {
        r.incident.incident_id: r.incident
        for r in read_acled(DATA / "acled_codebook_fixture.csv").records
    }
    # remote violence by Iraqi forces against IS: Iraqi forces alleged, not IS
    assert by_id["IRQ90003"].belligerents == ("Military Forces of Iraq (2014-)",)
    # violence against civilians: actor1 only
    assert by_id["IRQ90002"].belligerents == ("Islamic State (Iraq)",)


def test_generic_parties_column(tmp_path: Path) -> None:
    from undercount.incidents import read_incidents

    path = tmp_path / "battles.csv"
    path.write_text(
        "incident_id,date,place,killed,parties\n"
        "b1,2017-03-17,Mosul al-Jadida,12,Iraqi Security Forces; ISIS\n"
    )
    (record,) = read_incidents(path, "monitor", format="generic").records
    assert record.incident.parties == ("Iraqi Security Forces", "ISIS")
    assert record.incident.belligerents == ()
    (g,) = grade_clusters(match_incidents([record]).clusters)
    assert g.grade == "weak"
