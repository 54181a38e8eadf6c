"""``python -m bot.console``: create-user, set-password, disable-user, and every exit-2 case."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.console import accounts
from bot.store.db import Database
from bot.store.models import AuditRow, ConsoleUserRow
from tests.e2e.servers import ROOT, VENV_BIN

GOOD = "a long enough password"


def _cli(url: str, *args: str, password: str | None = GOOD) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DATABASE_URL=url, PYTHONPATH=str(ROOT), SQLALCHEMY_SILENCE_UBER_WARNING="1")
    return subprocess.run(
        [str(VENV_BIN / "python"), "-m", "bot.console", *args], cwd=ROOT, env=env, text=True,
        input=None if password is None else password + "\n", capture_output=True, timeout=120,
    )


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = Path(tmp_path_factory.mktemp("cli")) / "bot.db"
    return f"sqlite:///{path}"


def _user(url: str, name: str) -> ConsoleUserRow | None:
    database = Database(url)
    try:
        with database.transaction() as session:
            row = accounts.find_user(session, name)
            session.expunge_all()
            return row
    finally:
        database.dispose()


def test_create_admin_and_coordinator_on_a_fresh_database(url: str) -> None:
    admin = _cli(url, "create-user", "root", "--role", "admin", "--password-stdin")
    assert admin.returncode == 0, admin.stderr
    coordinator = _cli(url, "create-user", "wang", "--role", "coordinator", "--site", "beijing", "--password-stdin")
    assert coordinator.returncode == 0, coordinator.stderr
    row = _user(url, "wang")
    assert row is not None and (row.role, row.site_code, row.active) == ("coordinator", "beijing", True)
    assert row.password_hash.startswith("$argon2id$") and GOOD not in row.password_hash
    database = Database(url)
    with database.transaction() as session:
        actions = list(session.scalars(select(AuditRow.action).where(AuditRow.actor == "operator:cli")))
    database.dispose()
    assert actions.count("console.user_created") == 2


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (("create-user", "x1", "--role", "superuser", "--password-stdin"), GOOD, "unknown role"),
        (("create-user", "x2", "--role", "coordinator", "--site", "paris", "--password-stdin"), GOOD, "unknown site"),
        (("create-user", "x3", "--role", "coordinator", "--password-stdin"), GOOD, "needs --site"),
        (("create-user", "x4", "--role", "admin", "--site", "beijing", "--password-stdin"), GOOD, "leave out --site"),
        (("create-user", "x5", "--role", "admin", "--password-stdin"), "short pass", "at least 12"),
        (("create-user", "x6", "--role", "admin"), GOOD, "--password-stdin"),
        (("set-password", "nobody", "--password-stdin"), GOOD, "no user"),
        (("set-password", "root", "--password-stdin"), "tiny", "at least 12"),
        (("disable-user", "nobody"), None, "no user"),
        (("create-user", "--role", "admin"), GOOD, "usage"),
    ],
)
def test_bad_input_exits_2_with_a_message(url: str, args: tuple[str, ...], password: str | None, message: str) -> None:
    result = _cli(url, *args, password=password)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_duplicate_user_exits_2(url: str) -> None:
    assert _cli(url, "create-user", "dup", "--role", "admin", "--password-stdin").returncode == 0
    again = _cli(url, "create-user", "dup", "--role", "admin", "--password-stdin")
    assert again.returncode == 2 and "already exists" in again.stderr


def test_set_password_and_disable(url: str) -> None:
    created = _cli(url, "create-user", "li", "--role", "coordinator", "--site", "kunshan", "--password-stdin")
    assert created.returncode == 0
    before = _user(url, "li").password_hash
    assert _cli(url, "set-password", "li", "--password-stdin", password="another long password").returncode == 0
    after = _user(url, "li")
    assert after.password_hash != before
    database = Database(url)
    with database.transaction() as session:
        assert accounts.authenticate(session, "li", "another long password") is not None
        assert accounts.authenticate(session, "li", GOOD) is None
    assert _cli(url, "disable-user", "li", password=None).returncode == 0
    with database.transaction() as session:
        assert accounts.authenticate(session, "li", "another long password") is None
    database.dispose()
