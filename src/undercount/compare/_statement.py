"""The plain-language statement of a gap row, written from its figures only.

Each number is inserted through :class:`_Writer.quote`, which records the figure
it came from; the statement therefore has no number that is not one of the row's
figures (tests check this), and a reader can follow any number to its inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from undercount.compare._figures import Figure
from undercount.compare._scope import PARTIES_PREFIX

if TYPE_CHECKING:
    from undercount.compare._gap import IncidentGap
    from undercount.compare._scope import RowScope

__all__ = ["write_statement"]

_DISPLAY = {
    "coalition": "the US-led coalition",
    "iraqi-forces": "Iraqi forces",
    "isis": "the Islamic State group",
    "pmf": "the Popular Mobilisation Forces",
    "peshmerga": "Peshmerga forces",
    "unattributed": "no identified party",
}


class _Writer:
    def __init__(self, figures: Mapping[str, Figure]) -> None:
        self.figures = figures
        self.used: list[str] = []

    def quote(self, name: str, decimals: int = 0) -> str:
        figure = self.figures[name]
        self.used.append(name)
        return figure.text(decimals)


def _scope_text(scope: RowScope) -> str:
    parts = []
    if scope.period:
        parts.append(f"in {scope.period}")
    if scope.place:
        parts.append(f"in {scope.place}")
    if scope.belligerent and scope.belligerent.startswith(PARTIES_PREFIX):
        sides = scope.belligerent.removeprefix(PARTIES_PREFIX).split(" vs ")
        shown = [_DISPLAY.get(side, side) for side in sides]
        parts.append(
            f"in fighting between {', '.join(shown[:-1])} and {shown[-1]}, "
            "attributed to neither"
            if len(shown) > 1
            else f"in fighting involving {shown[0]}, not attributed to it"
        )
    elif scope.belligerent:
        parts.append(
            f"alleged against {_DISPLAY.get(scope.belligerent, scope.belligerent)}"
        )
    return " ".join(parts) if parts else "over all periods, places and belligerents"


def write_statement(
    scope: RowScope,
    figures: dict[str, Figure],
    status: str,
    incidents: Sequence[IncidentGap],
    grades: str = "confirmed or fair",
    *,
    who: Sequence[str] = (),
    wider_who: Sequence[str] = (),
    unplaced_who: Sequence[str] = (),
    orphan_who: Sequence[str] = (),
    no_estimate: bool = False,
) -> tuple[str, tuple[str, ...]]:
    """The statement and the names of the figures it quotes, in order."""
    _add_counts(figures, incidents, grades)
    w = _Writer(figures)
    out: list[str] = []
    head = f"Incidents {_scope_text(scope)}: "
    if "documented" in figures:
        out.append(
            f"{head}{w.quote('incidents_documented')} incident(s) graded {grades} "
            f"document {w.quote('documented')} civilian deaths"
        )
    else:
        out.append(f"{head}no incident graded {grades} documents deaths")
    if "also_alleged" in figures:
        out[-1] += (
            f"; {w.quote('incidents_other')} more incident(s) of weaker grades "
            f"allege {w.quote('also_alleged')}"
        )
    out[-1] += "."
    names = " and ".join(who) or "the belligerents"
    if status == "acknowledged":
        out.append(f"{names} acknowledged {w.quote('acknowledged')} deaths.")
    elif status == "acknowledged for individual incidents only":
        out.append(
            f"{names} acknowledged {w.quote('acknowledged')} deaths for individual "
            "incidents only; no period statement lies inside this scope."
        )
    else:
        out.append(
            "No acknowledgment lies inside this scope: it is shown as not "
            "acknowledged, not as zero."
        )
    if "acknowledged_unmatched" in figures:
        if status == "acknowledged":
            out.append(
                f"{' and '.join(orphan_who) or 'A belligerent'} also acknowledged "
                f"{w.quote('acknowledged_unmatched')} deaths for incident(s) not "
                "in this project (date and place unknown): shown, not added to "
                "the period statement."
            )
        else:
            out.append(
                f"Of these, {w.quote('acknowledged_unmatched')} are for incident(s) "
                "not in this project (date and place unknown)."
            )
    if "acknowledged_wider" in figures:
        out.append(
            f"{' and '.join(wider_who) or 'A belligerent'} acknowledged "
            f"{w.quote('acknowledged_wider')} deaths for a wider period or area; "
            "that figure is not broken down to this row."
        )
    if "acknowledged_unattributed" in figures:
        out.append(
            f"{' and '.join(unplaced_who) or 'A belligerent'} acknowledged "
            f"{w.quote('acknowledged_unattributed')} deaths without naming a place; "
            "that figure is not attributable to a place and counts only over all "
            "places."
        )
    if "incidents_not_acknowledged" in figures:
        out.append(
            f"{w.quote('incidents_not_acknowledged')} of the "
            f"{w.quote('incidents_all')} incident(s) have no acknowledgment of "
            "their own."
        )
    if "named" in figures:
        label = figures["named"].label
        out.append(f"{label[0].upper()}{label[1:]}: {w.quote('named')}.")
    if "estimated" in figures:
        out.append(f"The estimate of all deaths is {w.quote('estimated')}.")
    elif no_estimate:
        out.append(
            "There is no estimate for this scope (see the notes); the overall "
            "estimate is not applied to it."
        )
    ratio = figures.get("ratio:documented/acknowledged")
    if ratio is not None:
        out.append(
            f"Documented deaths are {w.quote(ratio.name, 1)} times the acknowledged "
            f"figure (a difference of {w.quote('difference:documented-acknowledged')})."
        )
    if "ratio:named/acknowledged" in figures:
        out.append(
            f"Named victims are {w.quote('ratio:named/acknowledged', 1)} times "
            "the acknowledged figure."
        )
    if "ratio:estimated/acknowledged" in figures:
        out.append(
            f"The estimate is {w.quote('ratio:estimated/acknowledged', 1)} "
            "times the acknowledged figure."
        )
    if "acknowledged" in figures and ("named" in figures or "estimated" in figures):
        out.append(
            "The lists and the estimate count deaths from every cause and party; "
            "an acknowledgment counts only what its belligerent accepts."
        )
    if "difference:estimated-named" in figures:
        out.append(
            f"An estimated {w.quote('difference:estimated-named')} deaths are "
            "on no list."
        )
    return " ".join(out), tuple(w.used)


def _add_counts(
    figures: dict[str, Figure], incidents: Sequence[IncidentGap], grades: str
) -> None:
    """Incident counts as figures, so the statement can quote them."""
    from undercount.compare._figures import Provenance

    def count(name: str, label: str, items: Sequence[IncidentGap]) -> None:
        figures[name] = Figure(
            name,
            label,
            "count",
            value=len(items),
            derivation="number of incident clusters",
            sources=tuple(Provenance("incident", i.cluster_id, i.grade) for i in items),
        )

    documented = [
        i
        for i in incidents
        if "documented" in figures
        and any(s.ref == i.cluster_id for s in figures["documented"].sources)
    ]
    other = [
        i
        for i in incidents
        if "also_alleged" in figures
        and any(s.ref == i.cluster_id for s in figures["also_alleged"].sources)
    ]
    if documented:
        count("incidents_documented", f"incidents graded {grades}", documented)
    if other:
        count("incidents_other", "incidents of weaker grades", other)
    missing = [i for i in incidents if i.acknowledged is None]
    if incidents and missing:
        count("incidents_all", "incidents in this scope", list(incidents))
        count("incidents_not_acknowledged", "incidents with no acknowledgment", missing)
