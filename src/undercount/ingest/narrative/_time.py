"""Time expressions: dates, months, years, seasons, relative days and durations.

Resolution rules (documented in docs/extract.md):

* A full date ("17 March 2017", "March 17, 2017", "2017-03-17") is exact.
* A day and month without a year ("on 17 March") takes the year that makes it the
  latest date not after the report date; without a report date it takes the most
  frequent explicit year in the document, at a lower confidence.
* "last week", "yesterday", "two days ago" need the report date; without one the
  mention is kept unresolved.
* A duration ("nine-month battle", "for three weeks") is kept as an ISO-8601
  duration; with a report date it is also read as the period that ends on it.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from datetime import date, timedelta
from typing import Any

from undercount.ingest.narrative._model import TimeMention
from undercount.ingest.narrative._quantities import parse_number

_MONTH_NAMES = {
    name.lower(): index for index, name in enumerate(calendar.month_name) if name
}
_MONTH_NAMES.update(
    {name.lower(): index for index, name in enumerate(calendar.month_abbr) if name}
)
_MONTH_NAMES["sept"] = 9
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?"
    r"|Oct\.?|Nov\.?|Dec\.?)"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_NUMWORD = (
    r"(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty"
    r"|thirty|forty|fifty|sixty|ninety|a|an|several|many|few)"
)
_UNIT = r"(?P<unit>day|week|month|year)"
_EVENT = (
    r"(?:battle|siege|offensive|campaign|operation|war|fight|fighting|assault"
    r"|occupation|conflict|bombing\s+campaign|military\s+campaign|rule|ordeal)"
)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("dmy", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b")),
    ("mdy", re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b")),
    ("my", re.compile(rf"\b(?:(?P<part>early|late|mid)[\s-]+)?{_MONTH},?\s+(?:of\s+)?"
                      rf"{_YEAR}\b")),
    ("dm", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b(?!\s*,?\s*(?:19|20)\d\d)")),
    ("md", re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*,?\s*(?:19|20)\d\d|\d)")),
    ("yrange", re.compile(r"\b(?P<year>(?:19|20)\d\d)\s*(?:-|\u2013|to)\s*"
                          r"(?P<year2>(?:19|20)?\d\d)\b")),
    ("season", re.compile(r"\b(?:(?P<part>early|late|mid)[\s-]+)?(?P<season>spring"
                          rf"|summer|autumn|fall|winter)\s+(?:of\s+)?{_YEAR}\b",
                          re.I)),
    ("month", re.compile(rf"(?:\b(?i:in|since|until|by|during|from|through|of|last"
                         rf"|early|late|mid|between|and)[\s-]+){_MONTH}\b(?![\s-]\d)")),
    ("year", re.compile(r"(?:\b(?i:in|since|until|by|during|of|from|through|early"
                        r"|late|mid|before|after|throughout)[\s-]+)(?P<year>(?:19|20)\d\d)"
                        r"\b(?![-\u2013]\d)")),
    ("weekday", re.compile(r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday"
                           r"|Saturday|Sunday)(?:\s+(?:morning|afternoon|evening"
                           r"|night))?\b")),
    ("relative", re.compile(r"\b(?:yesterday|today|last\s+(?:week|month|year|night)"
                            r"|this\s+(?:week|month|year)|(?P<ago>\w+)\s+(?P<aunit>"
                            r"days?|weeks?|months?|years?)\s+ago)\b", re.I)),
    ("duration", re.compile(rf"\b{_NUMWORD}[\s-]+{_UNIT}s?(?:[\s-]long)?\s+(?:-\s*)?"
                            rf"(?:long\s+)?(?:(?:US|Iraqi|coalition|military|aerial|air"
                            rf"|ground|bombing|brutal|deadly)\s+)*{_EVENT}", re.I)),
    ("duration", re.compile(rf"\b(?:for|after|over|within|lasting|spent)\s+"
                            rf"(?:(?:about|nearly|almost|more\s+than|over)\s+)?"
                            rf"{_NUMWORD}\s+{_UNIT}s?\b", re.I)),
    ("duration", re.compile(r"\b(?:for|spent|over|after)\s+(?P<vague>days|weeks|months"
                            r"|years)\b", re.I)),
]  # fmt: skip
_MONTH_CUE = re.compile(r"(?i)in|since|until|by|during|early|late|mid|last")
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_VAGUE_N = {"several": 3, "many": 3, "few": 2, "a": 1, "an": 1}


def find_times(text: str, report_date: date | None) -> list[TimeMention]:
    """Find time mentions, longest first, without overlaps (ids assigned later)."""
    years = Counter(int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", text))
    default_year = years.most_common(1)[0][0] if years else None
    found: list[TimeMention] = []
    taken = bytearray(len(text))  # 1 where a time was already found
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            if kind in ("month", "year"):
                start = m.start("month" if kind == "month" else "year")
                ambiguous_month = kind == "month" and m.group("month") in (
                    "May",
                    "March",
                    "Mar",
                )
                if (
                    kind == "month"
                    and ambiguous_month
                    and not _MONTH_CUE.match(m.group())
                ):
                    continue
            if any(taken[start:end]):
                continue
            mention = _resolve(
                kind, m, text[start:end], start, end, report_date, default_year
            )
            if mention is not None:
                found.append(mention)
                taken[start:end] = b"\x01" * (end - start)
    found.sort(key=lambda t: t.start)
    return found


def _month(m: re.Match[str]) -> int:
    return _MONTH_NAMES[m.group("month").lower().rstrip(".")]


def _iso_month(year: int, month: int) -> tuple[str, str, str]:
    last = calendar.monthrange(year, month)[1]
    return (
        f"{year:04d}-{month:02d}",
        f"{year:04d}-{month:02d}-01",
        (f"{year:04d}-{month:02d}-{last:02d}"),
    )


def _resolve(
    kind: str,
    m: re.Match[str],
    surface: str,
    start: int,
    end: int,
    report: date | None,
    default_year: int | None,
) -> TimeMention | None:
    base = {"id": "", "start": start, "end": end, "text": surface}
    if kind in ("iso", "dmy", "mdy"):
        month = int(m.group("m")) if kind == "iso" else _month(m)
        day = _safe_date(int(m.group("year")), month, int(m.group("day")))
        if day is None:
            return None
        iso = day.isoformat()
        return TimeMention(
            **base,
            confidence=0.95,
            time_kind="date",
            value=iso,
            period_start=iso,
            period_end=iso,
        )
    if kind in ("dm", "md"):
        month, day_number = _month(m), int(m.group("day"))
        if report is not None:
            year, resolved, conf = report.year, True, 0.8
            candidate = _safe_date(year, month, day_number)
            if candidate is not None and candidate > report:
                year -= 1
        elif default_year is not None:
            year, resolved, conf = default_year, False, 0.6
        else:
            return TimeMention(
                **base,
                confidence=0.5,
                time_kind="date",
                value=f"--{month:02d}-{day_number:02d}",
            )
        day = _safe_date(year, month, day_number)
        if day is None:
            return None
        iso = day.isoformat()
        return TimeMention(
            **base,
            confidence=conf,
            time_kind="date",
            value=iso,
            period_start=iso,
            period_end=iso,
            resolved_with_report_date=resolved,
        )
    if kind == "my":
        value, first, last = _iso_month(int(m.group("year")), _month(m))
        return TimeMention(
            **base,
            confidence=0.9,
            time_kind="month",
            value=value,
            period_start=first,
            period_end=last,
        )
    if kind == "month":
        month = _month(m)
        month_year = report.year if report else default_year
        if month_year is None:
            return TimeMention(
                **base, confidence=0.5, time_kind="month", value=f"--{month:02d}"
            )
        if report is not None and month > report.month:
            month_year -= 1
        value, first, last = _iso_month(month_year, month)
        return TimeMention(
            **base,
            confidence=0.6,
            time_kind="month",
            value=value,
            period_start=first,
            period_end=last,
            resolved_with_report_date=report is not None,
        )
    if kind == "year":
        y = m.group("year")
        return TimeMention(
            **base,
            confidence=0.8,
            time_kind="year",
            value=y,
            period_start=f"{y}-01-01",
            period_end=f"{y}-12-31",
        )
    if kind == "yrange":
        y1, y2 = m.group("year"), m.group("year2")
        y2 = y2 if len(y2) == 4 else y1[:2] + y2
        if not int(y1) < int(y2) <= int(y1) + 20:
            return None
        return TimeMention(
            **base,
            confidence=0.8,
            time_kind="year",
            value=f"{y1}/{y2}",
            period_start=f"{y1}-01-01",
            period_end=f"{y2}-12-31",
        )
    if kind == "season":
        y = int(m.group("year"))
        season = m.group("season").lower()
        months = {
            "spring": (3, 5),
            "summer": (6, 8),
            "autumn": (9, 11),
            "fall": (9, 11),
            "winter": (12, 14),
        }[season]
        season_start = date(y, months[0], 1)
        last_month = months[1] if months[1] <= 12 else months[1] - 12
        last_year = y if months[1] <= 12 else y + 1
        season_end = date(
            last_year, last_month, calendar.monthrange(last_year, last_month)[1]
        )
        return TimeMention(
            **base,
            confidence=0.7,
            time_kind="season",
            value=str(y),
            period_start=season_start.isoformat(),
            period_end=season_end.isoformat(),
        )
    if kind == "relative":
        return _relative(m, base, report)
    if kind == "weekday":
        return _weekday(m, base, report)
    return _duration(m, base, report)


def _relative(
    m: re.Match[str], base: dict[str, object], report: date | None
) -> TimeMention | None:
    phrase = m.group().lower()
    if m.group("ago"):
        n = parse_number(m.group("ago")) or _VAGUE_N.get(m.group("ago").lower())
        if n is None:
            return None
    if report is None:
        return TimeMention(**base, confidence=0.5, time_kind="relative")
    if phrase == "yesterday":
        first = last = report - timedelta(days=1)
    elif phrase in ("today", "last night"):
        first = last = report - timedelta(days=1 if "night" in phrase else 0)
    elif phrase.endswith("week"):
        back = 7 if phrase.startswith("last") else 0
        first = report - timedelta(days=report.weekday() + back)
        last = first + timedelta(days=6)
    elif phrase.endswith("month"):
        month_start = report.replace(day=1)
        if phrase.startswith("last"):
            month_start = (month_start - timedelta(days=1)).replace(day=1)
        first = month_start
        last = month_start.replace(
            day=calendar.monthrange(month_start.year, month_start.month)[1]
        )
    elif phrase.endswith("year"):
        y = report.year - (1 if phrase.startswith("last") else 0)
        first, last = date(y, 1, 1), date(y, 12, 31)
    else:
        unit = m.group("aunit").lower().rstrip("s")
        ago = parse_number(m.group("ago")) or _VAGUE_N.get(m.group("ago").lower(), 1)
        first = last = report - timedelta(days=ago * _UNIT_DAYS[unit])
    return TimeMention(
        **base,
        confidence=0.75,
        time_kind="relative",
        value=first.isoformat() if first == last else None,
        period_start=first.isoformat(),
        period_end=last.isoformat(),
        resolved_with_report_date=True,
    )


def _weekday(
    m: re.Match[str], base: dict[str, Any], report: date | None
) -> TimeMention:
    """'on Monday': the latest such weekday on or before the report date."""
    if report is None:
        return TimeMention(**base, confidence=0.5, time_kind="relative")
    weekday = list(calendar.day_name).index(m.group("wd"))
    day = report - timedelta(days=(report.weekday() - weekday) % 7)
    return TimeMention(
        **base,
        confidence=0.6,
        time_kind="relative",
        value=day.isoformat(),
        period_start=day.isoformat(),
        period_end=day.isoformat(),
        resolved_with_report_date=True,
    )


def _duration(
    m: re.Match[str], base: dict[str, object], report: date | None
) -> TimeMention | None:
    groups = m.groupdict()
    if groups.get("vague"):
        unit = groups["vague"].lower().rstrip("s")
        return TimeMention(
            **base,
            confidence=0.45,
            time_kind="duration",
            value=f"P{unit[0].upper()}",
        )
    word = groups["n"].lower()
    n = parse_number(word) if word not in _VAGUE_N else _VAGUE_N[word]
    if n is None or n <= 0 or n > 1000:
        return None
    unit = groups["unit"].lower()
    days = n * _UNIT_DAYS[unit]
    value = f"P{n}{'W' if unit == 'week' else unit[0].upper()}"
    fields: dict[str, object] = {"duration_days": days}
    if report is not None:
        fields.update(
            period_start=(report - timedelta(days=days)).isoformat(),
            period_end=report.isoformat(),
            resolved_with_report_date=True,
        )
    confidence = 0.85 if word not in _VAGUE_N else 0.6
    return TimeMention(
        **base,
        **fields,
        confidence=confidence,
        time_kind="duration",
        value=value,
    )


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
