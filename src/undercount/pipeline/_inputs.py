"""The pipeline's input: the current version of every source in the project store.

Each source becomes one frame in the canonical victim-list columns that
:func:`undercount.link.link_lists` reads. The content hash of each frame (and the
store's record of which file and which import settings produced it) is the
provenance every later figure points back to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from undercount.errors import UserInputError
from undercount.pipeline._hashing import frame_sha256
from undercount.project import Project

__all__ = ["LIST_COLUMNS", "ProjectLists", "read_project_lists"]

LIST_COLUMNS: tuple[str, ...] = (
    "record_id",
    "name",
    "given_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "sex",
    "age",
    "birth_year",
    "date_of_death",
    "place_of_death",
    "incident_id",
)
"""Canonical columns handed to linkage (personal fields included)."""

#: The store's columns read for them (the age as written; it is parsed by linkage).
_STORE_COLUMNS = ("source", *("age_text" if c == "age" else c for c in LIST_COLUMNS))


@dataclass(frozen=True)
class ProjectLists:
    """The lists of a project as linkage reads them, with their provenance.

    Attributes
    ----------
    lists
        ``{source: frame}`` in :data:`LIST_COLUMNS`, sources in configuration order
        (then alphabetical).
    provenance
        One entry per source: title, version, file and settings hashes of the
        import, record and quarantine counts, and ``sha256`` of the frame.
    """

    lists: dict[str, pd.DataFrame]
    provenance: list[dict[str, Any]] = field(default_factory=list)

    @property
    def hashes(self) -> dict[str, str]:
        """``{source: content sha256}``."""
        return {p["source"]: p["sha256"] for p in self.provenance}


def _text(series: pd.Series) -> pd.Series:
    out = series.astype("string").fillna("")
    return out.str.replace(r"\.0$", "", regex=True)


def read_project_lists(project: Project) -> ProjectLists:
    """Read the current version of every source from the project's store.

    Raises
    ------
    UserInputError
        When the store holds no records (nothing was imported yet), or fewer than
        two lists (multiple systems estimation needs at least two).
    """
    from undercount.store import Store

    if not project.store_path.is_file():
        raise UserInputError(
            f"{str(project.root)!r} has no store ({project.store_path.name}); "
            "create the project with 'undercount init' and import lists first"
        )
    with Store.open(project.store_path, read_only=True) as store:
        status = {s.name: s for s in store.source_status()}
        table = store.records(columns=_STORE_COLUMNS).read_all().to_pandas()
        imports = {i.import_id: i for i in store.imports()}
        current = {
            name: next(
                (v for v in store.versions(name) if v.version == s.current_version),
                None,
            )
            for name, s in status.items()
        }
    configured = [s for s in project.config.sources if s in status]
    order = configured + sorted(s for s in status if s not in configured)
    order = [s for s in order if status[s].records > 0]
    if len(order) < 2:
        raise UserInputError(
            f"the project holds records from {len(order)} list(s) ({order!r}); "
            "multiple systems estimation needs at least two: import more lists "
            "with 'undercount import SOURCE FILE'"
        )
    lists: dict[str, pd.DataFrame] = {}
    provenance: list[dict[str, Any]] = []
    for source in order:
        rows = table[table["source"] == source]
        frame = pd.DataFrame(
            {
                column: _text(rows["age_text" if column == "age" else column])
                for column in LIST_COLUMNS
            }
        ).reset_index(drop=True)
        lists[source] = frame
        info = status[source]
        version = current[source]
        made_by = imports.get(version.import_id) if version else None
        provenance.append(
            {
                "source": source,
                "title": project.config.source(source).title or info.title,
                "version": info.current_version,
                "records": len(frame),
                "quarantined": info.quarantined,
                "file": Path(made_by.file_path).name if made_by else None,
                "file_sha256": version.file_sha256 if version else None,
                "import_settings_sha256": version.settings_sha256 if version else None,
                "sha256": frame_sha256(frame),
            }
        )
    return ProjectLists(lists=lists, provenance=provenance)
