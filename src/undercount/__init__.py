"""undercount: from overlapping, incomplete lists of the dead to a defensible toll.

The package is organised as a one-way pipeline of stages
(``ingest -> store -> names -> link -> captures -> estimate -> compare -> report``);
each stage folder exposes its public API from its ``__init__``. Heavy stages are
imported lazily so that ``import undercount`` stays fast.
"""

from __future__ import annotations

from undercount.errors import (
    UndercountError,
    UndercountWarning,
    UserInputError,
)

__version__ = "0.1.0"

__all__ = [
    "UndercountError",
    "UndercountWarning",
    "UserInputError",
    "__version__",
]
