"""Import the estimator modules that register methods, including optional ones.

The classical estimators register themselves when :mod:`undercount.estimate` is
imported. The Bayesian ones (``lcmcr``, ``dga``) live in their own modules, compile
code lazily and may not exist in every build: :func:`load_methods` imports each of
them if present, so a missing module is skipped while a broken one still fails loudly.
"""

from __future__ import annotations

import importlib
import importlib.util

OPTIONAL_MODULES: tuple[str, ...] = (
    "undercount.estimate.lcmcr",
    "undercount.estimate.dga",
)


def load_methods() -> list[str]:
    """Import the optional estimator modules that exist; return the names imported."""
    loaded = []
    for name in OPTIONAL_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
            loaded.append(name)
    return loaded
