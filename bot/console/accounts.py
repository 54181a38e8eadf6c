"""Console users: admins (every site) and coordinators (one site), passwords as argon2id hashes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.console import texts
from bot.store.models import ConsoleSessionRow, ConsoleUserRow, SiteRow, utcnow

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024
MAX_USERNAME_CHARS = 64
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
#: Verified against when the username is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


class Role(str, Enum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"


class AccountError(ValueError):
    """A bad role, unknown site, duplicate or unknown user, or a password that is too short."""


@dataclass(frozen=True)
class Actor:
    """Who is acting: every lead query is scoped by this (bot/console/queries.py)."""

    user_id: int
    username: str
    role: Role
    site_code: str | None
    #: The console language the user chose; None: the console's default (CONSOLE_LANGUAGE).
    language: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def audit_name(self) -> str:
        return f"console:{self.username}"

    @classmethod
    def of(cls, row: ConsoleUserRow) -> Actor:
        return cls(user_id=row.id, username=row.username, role=Role(row.role), site_code=row.site_code,
                   language=texts.known(row.language))


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise AccountError(f"the password must have at most {MAX_PASSWORD_CHARS} characters")


def _check_username(username: str) -> None:
    if not username or len(username) > MAX_USERNAME_CHARS or not username.isprintable() or username.strip() != username:
        raise AccountError(f"a username is 1-{MAX_USERNAME_CHARS} printable characters without surrounding spaces")


def find_user(session: Session, username: str) -> ConsoleUserRow | None:
    return session.scalars(select(ConsoleUserRow).where(ConsoleUserRow.username == username)).first()


def check_language(language: str) -> str:
    if texts.known(language) is None:
        raise AccountError(f"unknown console language {language!r}; languages are {', '.join(texts.available())}")
    return language


def create_user(
    session: Session, username: str, role: str, site_code: str | None, password: str, language: str | None = None
) -> ConsoleUserRow:
    """``language`` None leaves the choice to the user (until then: the console's default)."""
    _check_username(username)
    if language is not None:
        check_language(language)
    try:
        parsed = Role(role)
    except ValueError:
        raise AccountError(f"unknown role {role!r}; roles are admin, coordinator") from None
    if parsed is Role.COORDINATOR and not site_code:
        raise AccountError("a coordinator needs --site (the one site whose leads they see)")
    if parsed is Role.ADMIN and site_code:
        raise AccountError("an admin sees every site; leave out --site")
    if site_code is not None:
        site = session.get(SiteRow, site_code)
        if site is None or not site.active:
            raise AccountError(f"unknown site {site_code!r}")
    check_password(password)
    if find_user(session, username) is not None:
        raise AccountError(f"user {username!r} already exists")
    row = ConsoleUserRow(
        username=username, role=parsed.value, site_code=site_code, password_hash=_hasher.hash(password), active=True,
        language=language,
    )
    session.add(row)
    session.flush()
    return row


def set_password(session: Session, username: str, password: str) -> ConsoleUserRow:
    """New hash; every session and token of the user ends."""
    check_password(password)
    row = find_user(session, username)
    if row is None:
        raise AccountError(f"no user {username!r}")
    row.password_hash = _hasher.hash(password)
    row.password_changed_at = utcnow()
    session.execute(delete(ConsoleSessionRow).where(ConsoleSessionRow.user_id == row.id))
    return row


def set_language(session: Session, user_id: int, language: str) -> ConsoleUserRow:
    """The user's own choice in the console's switch; kept across sessions (it is on the user, not the session)."""
    check_language(language)
    row = session.get(ConsoleUserRow, user_id)
    if row is None:
        raise AccountError(f"no user with id {user_id}")
    row.language = language
    return row


def disable_user(session: Session, username: str) -> ConsoleUserRow:
    row = find_user(session, username)
    if row is None:
        raise AccountError(f"no user {username!r}")
    row.active = False
    session.execute(delete(ConsoleSessionRow).where(ConsoleSessionRow.user_id == row.id))
    return row


def authenticate(session: Session, username: str, password: str) -> ConsoleUserRow | None:
    """The active user with this password, else None (unknown users cost the same hash check)."""
    row = find_user(session, username) if len(username) <= MAX_USERNAME_CHARS else None
    if len(password) > MAX_PASSWORD_CHARS:
        return None
    try:
        _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row.active:
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        row.password_hash = _hasher.hash(password)
    return row
