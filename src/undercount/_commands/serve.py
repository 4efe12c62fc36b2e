"""``undercount serve``: the web service of a project (localhost by default).

Contract (DESIGN.md): ``undercount serve [--host H] [--port P]``. On the first run
(no user yet) it asks for the first admin's name and password; scripts pass
``--admin-user NAME`` with the password in ``$UNDERCOUNT_ADMIN_PASSWORD``. There is
never a default password. Settings come from ``UNDERCOUNT_SERVICE_*`` variables
(see docs/service.md).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from undercount.cli import app
from undercount.errors import UserInputError

ADMIN_PASSWORD_ENV = "UNDERCOUNT_ADMIN_PASSWORD"


def ensure_first_admin(
    store_path: Path,
    *,
    username: str | None,
    password: str | None,
    min_length: int,
    interactive: bool,
) -> str | None:
    """Create the first admin when the project has no user; its name, or ``None``.

    Raises
    ------
    UserInputError
        When there is no user and no way to ask for one, or the name or password
        breaks a rule.
    """
    import re

    from undercount.service._accounts import count_users, create_user, hash_password
    from undercount.service.database import Database
    from undercount.service.permissions import Role
    from undercount.service.schemas import USERNAME_PATTERN

    with Database(store_path) as db:
        if db.read_sync(count_users) > 0:
            return None
        if username is None:
            if not interactive:
                raise UserInputError(
                    "the project has no user yet; pass --admin-user NAME and the "
                    f"password in ${ADMIN_PASSWORD_ENV} (or run interactively)"
                )
            username = typer.prompt("First admin's user name").strip().lower()
        if not re.match(USERNAME_PATTERN, username):
            raise UserInputError(
                f"a user name is 2-64 lower-case letters, digits, '_', '.' or '-'; "
                f"got {username!r}"
            )
        if password is None:
            if not interactive:
                raise UserInputError(
                    f"set ${ADMIN_PASSWORD_ENV} to the first admin's password"
                )
            password = typer.prompt(
                f"Password for {username} (at least {min_length} characters)",
                hide_input=True,
                confirmation_prompt=True,
            )
        if len(password) < min_length:
            raise UserInputError(
                f"the admin password needs at least {min_length} characters "
                f"(got {len(password)}); a few unrelated words make a good one"
            )
        hashed = hash_password(password)
        name = username
        db.write_sync(
            lambda store: create_user(
                store, name, hashed, Role.ADMIN, actor="undercount-serve"
            )
        )
        return name


@app.command("serve")
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (default: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    project_dir: Annotated[
        Path | None,
        typer.Option(
            "--project",
            "-p",
            help="Project directory (default: the current directory or a parent).",
            show_default=False,
        ),
    ] = None,
    admin_user: Annotated[
        str | None,
        typer.Option(
            "--admin-user",
            help="First admin's user name when the project has no user (the "
            f"password is read from ${ADMIN_PASSWORD_ENV}).",
        ),
    ] = None,
) -> None:
    """Serve the web pages and the JSON API of a project.

    Example: ``undercount serve --port 8765`` then open http://127.0.0.1:8765/
    """
    import sys

    import uvicorn

    from undercount.project import find_project
    from undercount.service import ServiceSettings, create_app

    project = find_project(project_dir)
    settings = ServiceSettings.from_env()
    created = ensure_first_admin(
        project.store_path,
        username=admin_user.strip().lower() if admin_user else None,
        password=os.environ.get(ADMIN_PASSWORD_ENV),
        min_length=settings.min_password_length,
        interactive=sys.stdin.isatty(),
    )
    if created:
        typer.echo(f"created the first admin, {created!r}")
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(
            f"warning: listening on {host}; anyone who can reach it can try to log "
            "in. Put it behind HTTPS and set UNDERCOUNT_SERVICE_SECURE_COOKIES=true.",
            err=True,
        )
    application = create_app(project.root, settings)
    typer.echo(f"undercount: serving {project.root} on http://{host}:{port}/")
    uvicorn.run(
        application,
        host=host,
        port=port,
        proxy_headers=False,
        server_header=False,
        log_level="info",
    )
