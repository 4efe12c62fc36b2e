"""Stage: store — the embedded DuckDB project database (see DESIGN.md).

One file per project (``undercount.duckdb``) holds sources and their versions, every
import with its row accounting, the accepted records (normalised columns plus the
original row as JSON, never altered), the quarantine, and an append-only,
hash-chained audit log. The schema is versioned; :func:`migrate` applies ordered
migrations. All SQL stays in this package; callers use :class:`Store`.
"""

from __future__ import annotations

from undercount.store._backend import Backend, DuckDBBackend, StoreLockedError
from undercount.store._decisions import StoredDecision, StoreDecisionRepository
from undercount.store._export import (
    EXPORT_COLUMNS,
    ExportResult,
    escape_formulas,
    export_quarantine,
    export_records,
)
from undercount.store._migrations_service import (
    SERVICE_SCHEMA_VERSION,
    migrate_service,
    service_schema_version,
)
from undercount.store._proposal_tables import DocumentRow, ProposalRow, ProposalTables
from undercount.store._schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Migration,
    StoreVersionError,
    migrate,
)
from undercount.store._store import Store
from undercount.store._types import (
    AuditEntry,
    ImportInfo,
    QuarantineEntry,
    SourceStatus,
    SourceVersion,
)
from undercount.store._writer import RECORD_FIELDS, ImportWriter

__all__ = [
    "EXPORT_COLUMNS",
    "MIGRATIONS",
    "RECORD_FIELDS",
    "SCHEMA_VERSION",
    "SERVICE_SCHEMA_VERSION",
    "AuditEntry",
    "Backend",
    "DocumentRow",
    "DuckDBBackend",
    "ExportResult",
    "ImportInfo",
    "ImportWriter",
    "Migration",
    "ProposalRow",
    "ProposalTables",
    "QuarantineEntry",
    "SourceStatus",
    "SourceVersion",
    "Store",
    "StoreDecisionRepository",
    "StoreLockedError",
    "StoreVersionError",
    "StoredDecision",
    "escape_formulas",
    "export_quarantine",
    "export_records",
    "migrate",
    "migrate_service",
    "service_schema_version",
]
