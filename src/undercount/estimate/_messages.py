"""Caveats of a fit: kept as text in the result and raised as Python warnings.

Every estimator collects its caveats as ``(text, category)`` pairs while it fits and
hands them to :func:`emit` once, at the end: results keep the texts (so JSON and
reports show them beside the number) and callers also receive them through
:mod:`warnings` (so they can filter or escalate them by category).
"""

from __future__ import annotations

import warnings

from undercount.errors import UndercountWarning

Message = tuple[str, type[UndercountWarning]]
"""A caveat: its text and the warning category it is raised with."""


def emit(messages: list[Message], *, depth: int = 1) -> tuple[str, ...]:
    """Raise each (text, category) as a Python warning; return the texts.

    ``depth`` is the number of frames between the estimator's ``fit`` and this call,
    so that the warning points at the caller's line.
    """
    for text, category in messages:
        warnings.warn(text, category, stacklevel=2 + depth)
    return tuple(text for text, _ in messages)
