"""Server-side sessions and API tokens: a random secret for the client, only its SHA-256 in the database.

A browser session ends after ``idle_seconds`` without a request (or ``session_max_seconds`` after login);
an API token after ``token_seconds``. Logout deletes the row, so the cookie is worthless afterwards.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.console.accounts import Actor
from bot.console.settings import ConsoleSettings
from bot.store.models import ConsoleSessionRow, ConsoleUserRow, utcnow

BROWSER, API = "browser", "api"


@dataclass(frozen=True)
class LiveSession:
    actor: Actor
    csrf_token: str
    token_hash: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def start(session: Session, user: ConsoleUserRow, kind: str, settings: ConsoleSettings) -> str:
    """A new session or token for this user; returns the secret the client keeps."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    lifetime = settings.session_max_seconds if kind == BROWSER else settings.token_seconds
    session.add(
        ConsoleSessionRow(
            token_hash=_digest(token),
            user_id=user.id,
            kind=kind,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(seconds=lifetime),
        )
    )
    # Expired rows are removed as a side effect of logins, so the table stays small.
    session.execute(delete(ConsoleSessionRow).where(ConsoleSessionRow.expires_at < now))
    return token


def resume(session: Session, token: str | None, kind: str, settings: ConsoleSettings) -> LiveSession | None:
    """The live session for this secret, touched; None if unknown, of the other kind, idle too long or expired."""
    if not token or len(token) > 200:
        return None
    row = session.get(ConsoleSessionRow, _digest(token))
    if row is None or row.kind != kind:
        return None
    now = utcnow()
    idle_limit = timedelta(seconds=settings.idle_seconds if kind == BROWSER else settings.token_seconds)
    if _aware(row.expires_at) <= now or now - _aware(row.last_seen_at) > idle_limit:
        session.delete(row)
        return None
    user = session.get(ConsoleUserRow, row.user_id)
    if user is None or not user.active:
        session.delete(row)
        return None
    row.last_seen_at = now
    return LiveSession(actor=Actor.of(user), csrf_token=row.csrf_token, token_hash=row.token_hash)


def end(session: Session, token: str | None) -> bool:
    if not token:
        return False
    result = session.execute(delete(ConsoleSessionRow).where(ConsoleSessionRow.token_hash == _digest(token)))
    return bool(result.rowcount)
