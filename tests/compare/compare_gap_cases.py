"""Incident reports shared by the gap tests (constructed, not real)."""

from __future__ import annotations

from undercount.incidents import grade_clusters, make_record, match_incidents
from undercount.model import Incident


def rec(source, iid, date, place, killed, belligerents=("US-led Coalition",)):
    return make_record(
        Incident(
            source=source,
            incident_id=iid,
            date=date,
            place=place,
            killed_min=killed[0],
            killed_max=killed[1],
            weapon="airstrike",
            belligerents=belligerents,
        )
    )


# Two fair incidents (two sources each) alleged against the coalition: al-Jadida
# in March (100-120), Zanjili in April (5-30); one weak one alleged against ISIS
# in al-Shifa in June: documented 100+5 = 105 .. 120+30 = 150.
RECORDS = [
    rec("a", "1", "2017-03-17", "Mosul al-Jadida", (100, 120)),
    rec("b", "1", "2017-03-17", "al-Jadidah", (110, 110)),
    rec("a", "2", "2017-04-02", "Zanjili", (5, 30)),
    rec("b", "2", "2017-04-02", "Zanjilly", (None, 20)),
    rec("a", "3", "2017-06-01", "al-Shifa", (163, None), ("ISIL",)),
]


def graded(acks=()):
    """The records matched and graded (with ``acks`` attached)."""
    return grade_clusters(match_incidents(RECORDS).clusters, acknowledgments=acks)
