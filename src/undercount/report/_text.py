"""Plain-language text of the report: number formats, sentences and the methods'
assumptions (closure, list dependence, heterogeneity, linkage error)."""

from __future__ import annotations

from typing import Any

__all__ = [
    "ASSUMPTIONS",
    "DATA_LABELS",
    "data_kind",
    "fmt_count",
    "fmt_interval",
    "fmt_share",
]

#: How the report labels data, by what the user declared (``[report] data``): it
#: never calls data real unless the user said so.
DATA_LABELS: dict[str, str] = {
    "simulated": "SIMULATED DATA",
    "real": "REAL DATA",
    "undeclared": "data provenance not declared",
}


def data_kind(section: dict[str, Any]) -> str:
    """``real``, ``simulated`` or ``undeclared``: what ``section`` declares.

    Reads ``data`` (written since the declaration exists) and falls back to the
    older ``simulated`` flag; anything else is undeclared.
    """
    declared = section.get("data")
    if declared in DATA_LABELS:
        return str(declared)
    return "simulated" if section.get("simulated") else "undeclared"


def fmt_count(value: Any) -> str:
    """A count or estimate for readers: ``10,357``; suppressed text kept; ``-``."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:,.0f}"
    return str(value)


def fmt_interval(lower: Any, upper: Any) -> str:
    """``9,002 to 12,122``."""
    if lower is None or upper is None:
        return "–"
    return f"{fmt_count(lower)} to {fmt_count(upper)}"


def fmt_share(value: Any, digits: int = 1) -> str:
    """``0.123`` -> ``12.3%``."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "–"
    return f"{value * 100:.{digits}f}%"


ASSUMPTIONS: tuple[dict[str, str], ...] = (
    {
        "title": "What is estimated",
        "text": (
            "Several organisations each list some of the dead. Nobody's list is "
            "complete, and the lists overlap: some people appear on two, three or all "
            "of them. How much the lists overlap tells how many people no list "
            "recorded. If two independent lists each recorded half of the dead, about "
            "a quarter of the dead would be on both; finding that only a tenth are on "
            "both means the lists reach a larger population than either shows. "
            "Multiple systems estimation (MSE) makes this reasoning precise for three "
            "or more lists and states how uncertain the answer is. The documented "
            "count is a floor: the true number cannot be lower. The estimate is not a "
            "count; its interval is the range of totals the data support under the "
            "method's assumptions."
        ),
    },
    {
        "title": "Closure: one population, one period",
        "text": (
            "All lists must describe the same deaths: the same place, period and kind "
            "of death. A list that also counts combatants, or deaths outside the "
            "period, adds people the others could never record, and the estimate "
            "grows. A list that covers only part of the city or the period makes the "
            "others look more incomplete than they are. Each list's scope must be "
            "checked, and out-of-scope records removed, before estimating."
        ),
    },
    {
        "title": "Dependence between lists",
        "text": (
            "Lists are rarely independent: a morgue and a hospital may pass names to "
            "each other; two NGOs may interview in the same camps. Lists that tend to "
            "record the same people make the overlap look large and the estimate too "
            "low; lists that avoid each other make it too high. Log-linear models "
            "include interactions between lists to absorb this (the chosen model is "
            "shown); with three or more lists some dependence can be estimated, but "
            "dependence among all the lists together never can."
        ),
    },
    {
        "title": "Heterogeneity: some deaths are harder to record",
        "text": (
            "People killed in a family home in the Old City, buried in rubble with "
            "their whole household, are less likely to be listed by anyone than a "
            "man who died in hospital. If such hard-to-record deaths are missed by "
            "every list, no method can count them: the estimate extrapolates from "
            "people like those who were recorded. LCMCR models hidden groups with "
            "different chances of being listed; stratifying by period, place, sex or "
            "age does the same for differences we can see. When methods disagree, "
            "the disagreement is itself a finding: the data cannot tell the models "
            "apart, and the range across them is a better statement of uncertainty "
            "than any single interval."
        ),
    },
    {
        "title": "Linkage error: is it the same person?",
        "text": (
            "Before counting overlaps, records of the same person on different lists "
            "must be matched, across spellings, scripts (Arabic and Latin) and "
            "missing details. Missed matches make people look like different people: "
            "the overlap shrinks and the estimate grows. False matches (two brothers "
            "merged into one person) do the opposite and also lower the documented "
            "count. Linkage here is probabilistic (Splink, Fellegi-Sunter), uncertain "
            "pairs go to human review, and the threshold sensitivity chart shows how "
            "much the choice of threshold moves the result."
        ),
    },
    {
        "title": "Acknowledged counts",
        "text": (
            "An acknowledged figure is what a belligerent itself says it caused, with "
            "the document it said it in. It is compared with the documented count and "
            "the estimate for the same place and period; the difference is the part "
            "of the toll that is not acknowledged. Acknowledgments that overlap in "
            "time are not de-duplicated here: each statement is listed with its "
            "source so that a reader can check it."
        ),
    },
)
"""The report's plain-language section on assumptions (title, text)."""
