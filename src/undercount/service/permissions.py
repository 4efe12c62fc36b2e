"""Who may do what: roles, actions, and the table mapping every route to an action.

Two declarative tables decide every request:

* :data:`ROLE_ACTIONS` — the actions each role may take;
* :data:`ROUTE_ACTIONS` — the action each route (method, path template) needs.

A route missing from :data:`ROUTE_ACTIONS` is refused for everyone (default deny);
a test checks that the table covers exactly the routes the app serves, and calls
every route with every role. :data:`PUBLIC_ROUTES` need no login.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

__all__ = [
    "ACTIONS",
    "PUBLIC_ROUTES",
    "ROLE_ACTIONS",
    "ROUTE_ACTIONS",
    "Role",
    "action_for",
    "allowed",
]


class Role(StrEnum):
    """A user's role; each includes less than the one before it."""

    ADMIN = "admin"
    ANALYST = "analyst"
    REVIEWER = "reviewer"
    VIEWER = "viewer"


#: Every action, with what it covers (shown in docs/service.md).
ACTIONS: Final[dict[str, str]] = {
    "session": "see one's own account, log out",
    "ui": "open the web pages",
    "users.read": "list users and their roles",
    "users.write": "create users, change roles and passwords, deactivate",
    "audit.read": "read the audit log",
    "settings.read": "read the service settings",
    "project.read": "read the project's name and its data declaration",
    "project.write": "declare the project's data real, simulated or not declared",
    "sources.read": "list sources and imports with their counts (no personal field)",
    "sources.upload": "upload a list and import it",
    "quarantine.read": "read quarantined rows (they hold personal fields)",
    "quarantine.export": "download quarantined rows as CSV",
    "jobs.read": "follow background jobs (imports, linkage, estimates, reports)",
    "linkage.read": "list linkage runs and their counts",
    "linkage.run": "start a linkage run",
    "review.read": "see pairs to review, side by side (personal fields)",
    "review.decide": "record same / different / unsure on a pair",
    "estimates.read": "list estimation methods and results",
    "estimates.run": "run an estimator on the project's capture table",
    "report.read": "read the report (viewers: only a public report)",
    "report.run": "run the whole pipeline and write the report ('undercount run')",
    "incidents.read": "list graded incidents, one incident with its reports and "
    "the reasons for its match and grade, imports and their counts",
    "incidents.descriptions": "read incident reports' free-text descriptions",
    "incidents.import": "upload incident files and acknowledgments and import them",
    "incidents.run": "run incident matching and grading",
    "incidents.review": "record incident match decisions (must-link, cannot-link, "
    "revoke, discount, restore)",
    "gap.read": "read the gap: acknowledged vs documented vs estimated deaths",
}

_EVERYONE = frozenset(
    {
        "session",
        "ui",
        "project.read",
        "sources.read",
        "linkage.read",
        "estimates.read",
        "report.read",
        "incidents.read",
        "gap.read",
    }
)
_REVIEW = frozenset(
    {
        "jobs.read",
        "review.read",
        "review.decide",
        "incidents.descriptions",
        "incidents.review",
    }
)
_ANALYSIS = frozenset(
    {
        "sources.upload",
        "quarantine.read",
        "quarantine.export",
        "linkage.run",
        "estimates.run",
        "report.run",
        "incidents.import",
        "incidents.run",
    }
)

ROLE_ACTIONS: Final[dict[Role, frozenset[str]]] = {
    Role.ADMIN: frozenset(ACTIONS),
    Role.ANALYST: _EVERYONE | _REVIEW | _ANALYSIS,
    Role.REVIEWER: _EVERYONE | _REVIEW,
    Role.VIEWER: _EVERYONE,
}

#: (method, path template) -> action. Paths as FastAPI declares them.
ROUTE_ACTIONS: Final[dict[tuple[str, str], str]] = {
    ("GET", "/api/auth/me"): "session",
    ("POST", "/api/auth/logout"): "session",
    ("GET", "/api/users"): "users.read",
    ("POST", "/api/users"): "users.write",
    ("GET", "/api/users/{username}"): "users.read",
    ("PATCH", "/api/users/{username}"): "users.write",
    ("GET", "/api/audit"): "audit.read",
    ("GET", "/api/settings"): "settings.read",
    ("GET", "/api/project"): "project.read",
    ("PUT", "/api/project"): "project.write",
    ("GET", "/api/sources"): "sources.read",
    ("GET", "/api/sources/{source}"): "sources.read",
    ("GET", "/api/sources/{source}/imports"): "sources.read",
    ("POST", "/api/sources/{source}/imports"): "sources.upload",
    ("GET", "/api/quarantine"): "quarantine.read",
    ("GET", "/api/quarantine/export"): "quarantine.export",
    ("GET", "/api/jobs"): "jobs.read",
    ("GET", "/api/jobs/{job_id}"): "jobs.read",
    ("GET", "/api/linkage/runs"): "linkage.read",
    ("POST", "/api/linkage/runs"): "linkage.run",
    ("GET", "/api/linkage/runs/{run_id}"): "linkage.read",
    ("GET", "/api/review/next"): "review.read",
    ("GET", "/api/review/decisions"): "review.read",
    ("POST", "/api/review/decisions"): "review.decide",
    ("GET", "/api/estimates/methods"): "estimates.read",
    ("GET", "/api/estimates"): "estimates.read",
    ("POST", "/api/estimates"): "estimates.run",
    ("GET", "/api/estimates/{estimate_id}"): "estimates.read",
    ("GET", "/api/report"): "report.read",
    ("GET", "/api/report/files/{name}"): "report.read",
    ("POST", "/api/report/runs"): "report.run",
    ("GET", "/api/incidents"): "incidents.read",
    ("GET", "/api/incidents/imports"): "incidents.read",
    ("POST", "/api/incidents/imports"): "incidents.import",
    ("GET", "/api/incidents/quarantine"): "quarantine.read",
    ("POST", "/api/incidents/match"): "incidents.run",
    ("POST", "/api/incidents/grade"): "incidents.run",
    ("GET", "/api/incidents/decisions"): "review.read",
    ("POST", "/api/incidents/decisions"): "incidents.review",
    ("GET", "/api/incidents/{cluster_id}"): "incidents.read",
    ("GET", "/api/gap"): "gap.read",
    ("GET", "/"): "ui",
    ("GET", "/quarantine"): "quarantine.read",
    ("GET", "/review"): "review.read",
    ("GET", "/incidents"): "incidents.read",
}

#: Routes anyone may call, logged in or not.
PUBLIC_ROUTES: Final[frozenset[tuple[str, str]]] = frozenset(
    {
        ("GET", "/api/health"),
        ("POST", "/api/auth/login"),
        ("POST", "/api/auth/token"),
        ("GET", "/login"),
    }
)


def action_for(method: str, path: str) -> str | None:
    """The action a route needs (``None``: no rule, so nobody may call it)."""
    if method == "HEAD":
        method = "GET"
    return ROUTE_ACTIONS.get((method, path))


def allowed(role: Role | str, action: str) -> bool:
    """Whether ``role`` may take ``action``."""
    try:
        return action in ROLE_ACTIONS[Role(role)]
    except ValueError:
        return False
