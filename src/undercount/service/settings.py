"""The service's settings: one declarative table (name, type, default, help).

Every setting can be given in code (``ServiceSettings(max_upload_mb=10)``) or in the
environment as ``UNDERCOUNT_SERVICE_<NAME>`` (``UNDERCOUNT_SERVICE_MAX_UPLOAD_MB=10``);
``undercount serve`` reads the environment. The same table feeds the admin-only
``GET /api/settings`` route and docs/service.md (a test checks that every setting is
documented there).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from undercount.errors import UserInputError

__all__ = ["ENV_PREFIX", "ServiceSettings"]

ENV_PREFIX = "UNDERCOUNT_SERVICE_"


class ServiceSettings(BaseModel):
    """Settings of the web service (see the module docstring for the environment)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_upload_mb: float = Field(
        50.0, gt=0, le=10_000, description="Largest accepted upload, in megabytes."
    )
    session_hours: float = Field(
        8.0,
        gt=0,
        le=24 * 30,
        description="A login (cookie or bearer token) expires this many hours after "
        "it was made.",
    )
    login_window_seconds: int = Field(
        900, gt=0, description="Window over which failed logins are counted."
    )
    login_max_failures_per_user: int = Field(
        5,
        gt=0,
        description="Failed logins for one user name within the window before "
        "further attempts are refused (HTTP 429).",
    )
    login_max_failures_per_ip: int = Field(
        20,
        gt=0,
        description="Failed logins from one client address within the window before "
        "further attempts are refused (HTTP 429).",
    )
    min_password_length: int = Field(
        12, ge=8, le=256, description="Shortest password accepted for a user."
    )
    secure_cookies: bool = Field(
        False,
        description="Mark the session cookie Secure (set it when serving over HTTPS "
        "behind a proxy).",
    )
    blind_review: bool = Field(
        False,
        description="Hide match scores from every reviewer and shuffle the queue "
        "(otherwise a reviewer may ask for it with ?blind=true).",
    )
    job_workers: int = Field(
        1,
        ge=1,
        le=8,
        description="Background threads running imports, linkage and estimates.",
    )
    data_dir: Path | None = Field(
        None,
        description="Folder for uploads and linkage runs (default: "
        "PROJECT/.undercount/service).",
    )
    report_dir: Path | None = Field(
        None,
        description="Folder of the report, written by 'undercount run' or by the "
        "service (default: PROJECT/out).",
    )

    @property
    def max_upload_bytes(self) -> int:
        """:attr:`max_upload_mb` in bytes."""
        return int(self.max_upload_mb * 1024 * 1024)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServiceSettings:
        """Settings from ``UNDERCOUNT_SERVICE_*`` variables (others keep defaults).

        Raises
        ------
        UserInputError
            On an unknown ``UNDERCOUNT_SERVICE_*`` variable or an invalid value.
        """
        env = os.environ if environ is None else environ
        values: dict[str, str] = {}
        for key, value in env.items():
            if not key.startswith(ENV_PREFIX):
                continue
            name = key[len(ENV_PREFIX) :].lower()
            if name not in cls.model_fields:
                raise UserInputError(
                    f"unknown setting {key!r}; known settings are "
                    + ", ".join(ENV_PREFIX + n.upper() for n in cls.model_fields)
                )
            values[name] = value
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            first = exc.errors()[0]
            name = ENV_PREFIX + str(first["loc"][0]).upper()
            raise UserInputError(
                f"{name}={values.get(str(first['loc'][0]))!r}: {first['msg']}"
            ) from None

    def public_dict(self) -> dict[str, object]:
        """Every setting as JSON-ready values (none of them is secret)."""
        return {
            name: (str(value) if isinstance(value, Path) else value)
            for name, value in self.model_dump().items()
        }
