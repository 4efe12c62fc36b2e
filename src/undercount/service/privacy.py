"""Victims' personal fields in the service: the filter every viewer-facing output uses.

The list itself is :data:`undercount.model.PERSONAL_FIELDS` (one definition, shared
with the report's public mode and the pipeline). Viewers and public outputs never
receive these keys: schemas of routes a viewer may call have no such field (a test
checks the OpenAPI schema), and library results passed through to those routes go
through :func:`strip_personal` first.
"""

from __future__ import annotations

from undercount.model import PERSONAL_FIELDS, is_personal, strip_personal

__all__ = ["PERSONAL_FIELDS", "is_personal", "strip_personal"]
