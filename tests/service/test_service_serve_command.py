"""``undercount serve``: the first admin (never a default password), and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from undercount._commands.serve import ensure_first_admin
from undercount.cli import _register_commands, app
from undercount.errors import UserInputError
from undercount.project import init_project
from undercount.service._accounts import get_user, list_users
from undercount.service.database import Database
from undercount.service.permissions import Role


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return init_project(tmp_path / "p").store_path


def _users(store: Path) -> list:
    with Database(store) as db:
        return db.read_sync(list_users)


def test_no_user_and_no_way_to_ask_is_an_error(store: Path) -> None:
    with pytest.raises(UserInputError, match="--admin-user"):
        ensure_first_admin(
            store, username=None, password=None, min_length=12, interactive=False
        )
    with pytest.raises(UserInputError, match="UNDERCOUNT_ADMIN_PASSWORD"):
        ensure_first_admin(
            store, username="amal", password=None, min_length=12, interactive=False
        )
    assert _users(store) == []


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("amal", "short", "at least 12"),
        ("Amal Smith", "long-enough-password", "user name"),
        ("../x", "long-enough-password", "user name"),
    ],
)
def test_bad_admin_is_refused(
    store: Path, username: str, password: str, message: str
) -> None:
    with pytest.raises(UserInputError, match=message):
        ensure_first_admin(
            store,
            username=username,
            password=password,
            min_length=12,
            interactive=False,
        )
    assert _users(store) == []


def test_first_admin_is_created_once(store: Path) -> None:
    name = ensure_first_admin(
        store,
        username="amal",
        password="long-enough-password",
        min_length=12,
        interactive=False,
    )
    assert name == "amal"
    again = ensure_first_admin(
        store, username="other", password="x", min_length=12, interactive=False
    )
    assert again is None
    with Database(store) as db:
        user = db.read_sync(lambda s: get_user(s, "amal"))
        audit = db.read_sync(lambda s: s.audit_log(action="user.create"))
    assert user is not None and user.role is Role.ADMIN
    assert user.password_hash.startswith("$argon2id$")
    assert audit[-1].actor == "undercount-serve"


def test_interactive_prompt(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["Amal", "long-enough-password"])
    monkeypatch.setattr(
        "typer.prompt", lambda *args, **kwargs: next(answers), raising=True
    )
    name = ensure_first_admin(
        store, username=None, password=None, min_length=12, interactive=True
    )
    assert name == "amal"


def test_cli_serve_refuses_without_admin(store: Path) -> None:
    _register_commands()
    result = CliRunner().invoke(app, ["serve", "--project", str(store.parent)], env={})
    assert result.exit_code != 0
    assert isinstance(result.exception, UserInputError)
    help_text = CliRunner().invoke(app, ["serve", "--help"]).output
    assert "--admin-user" in help_text and "127.0.0.1" in help_text
