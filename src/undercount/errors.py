"""The exception and warning taxonomy shared by every stage.

User errors (bad files, bad options) derive from :class:`UserInputError`; the CLI
prints them as one line without a traceback. Statistical trouble that does not stop
a computation is reported with a subclass of :class:`UndercountWarning`, so that
callers can filter or escalate it.
"""

from __future__ import annotations


class UndercountError(Exception):
    """Base class of every error raised on purpose by undercount."""


class UserInputError(UndercountError):
    """Input the user supplied cannot be used; the message says what and where.

    Messages follow the pattern: the rule, the supplied value (``{x!r}``), and a fix.
    """


class UndercountWarning(UserWarning):
    """Base class of undercount's warnings."""


class ConvergenceWarning(UndercountWarning):
    """An iterative fit or sampler did not converge (R-hat, ESS, iteration cap)."""


class SparseCellsWarning(UndercountWarning):
    """The capture table has too few observations for the model to be trusted."""


class BoundaryEstimateWarning(UndercountWarning):
    """An estimate sits at a prior or numeric boundary; do not read it as data."""


class DataQualityWarning(UndercountWarning):
    """Input was accepted but changed or merged (e.g. duplicate patterns summed)."""
