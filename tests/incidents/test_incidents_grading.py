"""Every grade, each with its reasons; the rules are configurable."""

from __future__ import annotations

from pathlib import Path

import pytest

from undercount.errors import UserInputError
from undercount.incidents import (
    AcknowledgmentRecord,
    GradingRules,
    ReviewDecision,
    grade_clusters,
    make_record,
    match_incidents,
)
from undercount.model import Acknowledgment, Incident


def rec(
    source,
    iid,
    date="2017-03-17",
    place="Mosul al-Jadida",
    killed=(100, 120),
    belligerents=("US-led Coalition",),
    assessment=None,
):
    incident = Incident(
        source=source,
        incident_id=iid,
        date=date,
        place=place,
        killed_min=killed[0],
        killed_max=killed[1],
        weapon="airstrike",
        belligerents=belligerents,
    )
    return make_record(incident, assessment=assessment)


def grade(records, **kwargs):
    rules = kwargs.pop("rules", None)
    decisions = kwargs.pop("decisions", ())
    result = match_incidents(records, decisions=decisions)
    graded = grade_clusters(result.clusters, rules, decisions=decisions, **kwargs)
    return sorted(graded, key=lambda g: g.cluster.keys)


def ack(incident_id, deaths=105, belligerent="CJTF-OIR"):
    return AcknowledgmentRecord(
        f"ack-{incident_id}",
        Acknowledgment(
            belligerent=belligerent,
            incident_id=incident_id,
            deaths_acknowledged=deaths,
            document="CENTCOM release",
        ),
    )


def test_confirmed_by_belligerent_acknowledgment() -> None:
    (g,) = grade(
        [rec("airwars", "1"), rec("amnesty", "2")], acknowledgments=[ack("airwars:1")]
    )
    assert g.grade == "confirmed"
    assert "CJTF-OIR acknowledged 105" in g.reasons[0]
    assert g.acknowledged == 105
    assert any(a.startswith("fair:") for a in g.also)


def test_acknowledgment_by_bare_incident_id() -> None:
    (g,) = grade([rec("airwars", "CI550")], acknowledgments=[ack("CI550")])
    assert g.grade == "confirmed"


def test_zero_acknowledged_is_not_a_confirmation() -> None:
    (g,) = grade([rec("airwars", "1")], acknowledgments=[ack("airwars:1", deaths=0)])
    assert g.grade == "weak"


def test_fair_needs_two_credible_sources_and_attribution() -> None:
    (g,) = grade([rec("airwars", "1"), rec("amnesty", "2")])
    assert g.grade == "fair"
    assert "2 credible sources (airwars, amnesty)" in g.reasons[0]
    assert "coalition" in g.reasons[0]
    (g,) = grade(
        [rec("airwars", "1", belligerents=()), rec("amnesty", "2", belligerents=())]
    )
    assert g.grade == "weak"
    assert "no credible source names a belligerent" in g.reasons[0]


def test_weak_single_source() -> None:
    (g,) = grade([rec("airwars", "1")])
    assert g.grade == "weak" and g.reasons == ("a single source (airwars)",)
    assert g.acknowledged is None  # not acknowledged, not zero


def test_contested_competing_attributions() -> None:
    (g,) = grade([rec("airwars", "1"), rec("local", "2", belligerents=("ISIL",))])
    assert g.grade == "contested"
    assert "coalition (airwars)" in g.reasons[0] and "isis (local)" in g.reasons[0]


def test_contested_when_disjoint_sources_only() -> None:
    rules = GradingRules(contested_when="disjoint_sources")
    joint = [
        rec("a", "1", belligerents=("US-led Coalition; Iraqi Security Forces",)),
        rec("b", "2"),
    ]
    (g,) = grade(joint, rules=rules)
    assert g.grade == "fair"  # overlapping attributions are not competing
    (g,) = grade(joint)  # default: several belligerents alleged -> contested
    assert g.grade == "contested"


def test_discounted_by_reviewer_and_restored() -> None:
    records = [rec("airwars", "1"), rec("amnesty", "2")]
    discount = ReviewDecision(
        "discount", "amnesty:2", None, "r", "combatants", "2024-01-01T00:00:00"
    )
    (g,) = grade(records, decisions=[discount])
    assert g.grade == "discounted" and "combatants" in g.reasons[0]
    restore = ReviewDecision(
        "restore", "amnesty:2", None, "r", "new evidence", "2024-01-02T00:00:00"
    )
    (g,) = grade(records, decisions=[discount, restore])
    assert g.grade == "fair"


def test_discounted_by_source_assessment() -> None:
    (g,) = grade([rec("airwars", "1", assessment="Discounted")])
    assert g.grade == "discounted"
    assert "airwars assesses airwars:1 as 'Discounted'" in g.reasons[0]


def test_credibility_is_configurable() -> None:
    rules = GradingRules(not_credible_sources=["amnesty"])
    (g,) = grade([rec("airwars", "1"), rec("amnesty", "2")], rules=rules)
    assert g.grade == "weak" and "only 1 credible source" in g.reasons[0]


def test_active_windows_decide_plausibility() -> None:
    rules = GradingRules(
        active_belligerents=[
            {"belligerent": "coalition", "start": "2016-10", "end": "2017-07"}
        ]
    )
    (g,) = grade([rec("airwars", "1"), rec("amnesty", "2")], rules=rules)
    assert g.grade == "fair" and "active 2016-10..2017-07" in g.reasons[0]
    rules = GradingRules(
        active_belligerents=[
            {"belligerent": "coalition", "start": "2018", "end": "2019"}
        ]
    )
    (g,) = grade([rec("airwars", "1"), rec("amnesty", "2")], rules=rules)
    assert g.grade == "weak"


def test_order_is_configurable() -> None:
    records = [rec("airwars", "1"), rec("local", "2", belligerents=("ISIL",))]
    rules = GradingRules(order=["discounted", "contested", "confirmed", "fair", "weak"])
    (g,) = grade(records, rules=rules, acknowledgments=[ack("airwars:1")])
    assert g.grade == "contested"
    assert any(a.startswith("confirmed:") for a in g.also)


def test_rules_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        "[incidents.grading]\nmin_sources_fair = 3\n"
        'not_credible_sources = ["party-media"]\n',
        encoding="utf-8",
    )
    rules = GradingRules.from_toml(path)
    assert rules.min_sources_fair == 3 and rules.not_credible_sources == ["party-media"]
    path.write_text("min_sources_fair = 0\n", encoding="utf-8")
    with pytest.raises(UserInputError, match="min_sources_fair"):
        GradingRules.from_toml(path)
    path.write_text('order = ["weak", "weak"]\n', encoding="utf-8")
    with pytest.raises(UserInputError, match="order"):
        GradingRules.from_toml(path)


def test_to_dict_says_not_acknowledged() -> None:
    (g,) = grade([rec("airwars", "1")])
    data = g.to_dict()
    assert data["acknowledged"] is None
    assert data["acknowledgment_status"] == "not acknowledged"
    assert data["grade"] == "weak" and data["reasons"]
