"""Import the estimator modules that register methods, including optional ones.

The classical estimators register themselves when :mod:`undercount.estimate` is
imported. The Bayesian ones (``lcmcr``, ``dga``) live in their own modules, compile
code lazily and may not exist in every build: :func:`load_methods` imports them on
demand, so a missing module is skipped, and a method that was asked for by name still
fails loudly if its module is broken.
"""

from __future__ import annotations

import importlib
import importlib.util

from undercount.estimate._base import available_methods

OPTIONAL_MODULES: dict[str, str] = {
    "lcmcr": "undercount.estimate.lcmcr",
    "dga": "undercount.estimate.dga",
}
"""Method name -> module that registers it."""


def load_methods(name: str | None = None) -> list[str]:
    """Import optional estimator modules; return the modules imported.

    With ``name``, only the module registering that method is imported (and its
    import errors propagate); without it, every optional module that exists is
    tried and the ones that fail to import are skipped (so listing methods never
    breaks because one of them is being rebuilt).
    """
    if name is not None:
        if name in available_methods() or name not in OPTIONAL_MODULES:
            return []
        module = OPTIONAL_MODULES[name]
        if importlib.util.find_spec(module) is None:
            return []
        importlib.import_module(module)
        return [module]
    loaded = []
    for module in OPTIONAL_MODULES.values():
        if importlib.util.find_spec(module) is None:
            continue
        try:
            importlib.import_module(module)
        except ImportError:
            continue
        loaded.append(module)
    return loaded
