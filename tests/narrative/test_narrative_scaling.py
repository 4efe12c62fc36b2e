"""Extraction work grows linearly with the input, also on pathological text.

An audit found ``undercount extract`` super-linear on large files (several
passes rescanned a sentence, a paragraph or a growing list per match, in Python
loops or inside regular-expression calls). These tests measure work without a
clock, deterministically: the Python lines executed (``sys.settrace``) and the
characters handed to regular-expression scans (every compiled pattern in the
narrative modules, and the ``re`` module functions, are wrapped to add up the
length of the region each ``search``/``finditer``/``findall``/``sub`` call may
scan). Each is measured for an input and for the same input four times longer:
linear work gives a ratio of about 4, quadratic work about 16; the bound 8 is
generous either way. Each input is one long line (one paragraph, one
"sentence"), the worst case for per-sentence and per-paragraph rules.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

import pytest

import undercount.ingest.narrative as narrative_package
from undercount.ingest.narrative import extract_text

SEED = Path(__file__).resolve().parents[1] / "data" / "narrative" / "mosul-report.txt"
SMALL = 6_000
RATIO_BOUND = 8.0


class _Work:
    lines = 0
    scanned = 0


def _region(string: str, pos: int = 0, endpos: int | None = None) -> int:
    end = len(string) if endpos is None else min(endpos, len(string))
    return max(0, end - pos)


class _CountingPattern:
    """A compiled pattern that adds the length of each scanned region to _Work."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self._pattern = pattern

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pattern, name)

    def search(self, string: str, *args: int) -> Any:
        _Work.scanned += _region(string, *args)
        return self._pattern.search(string, *args)

    def finditer(self, string: str, *args: int) -> Iterator[re.Match[str]]:
        _Work.scanned += _region(string, *args)
        return self._pattern.finditer(string, *args)

    def findall(self, string: str, *args: int) -> Any:
        _Work.scanned += _region(string, *args)
        return self._pattern.findall(string, *args)

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        _Work.scanned += len(string)
        return self._pattern.sub(repl, string, count)


def _counting_function(name: str) -> Callable[..., Any]:
    original = getattr(re, name)
    string_at = 2 if name == "sub" else 1

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _Work.scanned += len(args[string_at])
        return original(*args, **kwargs)

    return wrapper


def _narrative_modules() -> list[ModuleType]:
    prefix = narrative_package.__name__ + "."
    return [m for name, m in sys.modules.items() if name.startswith(prefix)]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], tuple[int, int]]:
    """``measure(text)`` -> (Python lines executed, characters scanned by regexes)."""
    extract_text("warm up: 5 civilians were killed in Mosul.")  # load lazy modules
    for module in _narrative_modules():
        for attr, value in list(vars(module).items()):
            if isinstance(value, re.Pattern):
                monkeypatch.setattr(module, attr, _CountingPattern(value))
    for name in ("search", "finditer", "findall", "sub"):
        monkeypatch.setattr(re, name, _counting_function(name))

    def measure(text: str) -> tuple[int, int]:
        _Work.lines = _Work.scanned = 0

        def tracer(frame: FrameType, event: str, arg: Any) -> Any:
            if event == "line":
                _Work.lines += 1
            return tracer

        sys.settrace(tracer)
        try:
            extract_text(text)
        finally:
            sys.settrace(None)
        return _Work.lines, _Work.scanned

    return measure


def _seed_one_line(n: int) -> str:
    seed = " ".join(SEED.read_text(encoding="utf-8").split())
    return (seed + " ") * (n // len(seed) + 1)


INPUTS: dict[str, Callable[[int], str]] = {
    "digits and commas": lambda n: "1,234," * (n // 6),
    "straight quote marks": lambda n: '"' * n,
    "short quotes": lambda n: '"a b" ' * (n // 6),
    "quotes with speech verbs": lambda n: '"x y z," said ' * (n // 14),
    "bare numbers": lambda n: "12 " * (n // 3),
    "numbers with outcomes": lambda n: "5 killed, from 3 " * (n // 17),
    "years and dates": lambda n: "on 17 March 2017 " * (n // 17),
    "dots": lambda n: "a. b.c. " * (n // 8),
    "seed report on one line": _seed_one_line,
}


@pytest.mark.parametrize("name", list(INPUTS))
def test_extraction_work_is_linear(
    name: str, counted: Callable[[str], tuple[int, int]]
) -> None:
    make = INPUTS[name]
    small_lines, small_scanned = counted(make(SMALL)[:SMALL])
    large_lines, large_scanned = counted(make(4 * SMALL)[: 4 * SMALL])
    assert small_lines > 0 and small_scanned > 0
    assert large_lines / small_lines < RATIO_BOUND, (name, small_lines, large_lines)
    assert large_scanned / small_scanned < RATIO_BOUND, (
        name,
        small_scanned,
        large_scanned,
    )


def test_the_counter_sees_quadratic_scans(
    counted: Callable[[str], tuple[int, int]],
) -> None:
    """The measure can fail: a rule that rescans the text per match is caught."""
    from undercount.ingest.narrative import _extract

    def rescanning(text: str) -> list[Any]:
        for m in re.finditer(r"\d", text):
            re.search("killed", text[: m.start()])
        return []

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_extract, "_arabic_terms", lambda text, spans: rescanning(text))
        _, small = counted("1 " * 500)
        _, large = counted("1 " * 2000)
    assert large / small > RATIO_BOUND
