"""Slow down, then lock, repeated failed logins, per username and per client address.

Counted in the database (``login_throttle``), so the limit holds across workers and restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.console.settings import ConsoleSettings
from bot.store.models import LoginThrottleRow, utcnow


@dataclass(frozen=True)
class Verdict:
    locked: bool
    #: Seconds to wait before answering a failed attempt.
    delay: float = 0.0


def keys(username: str, address: str | None) -> tuple[str, str]:
    return f"user:{username[:150]}", f"ip:{address or 'unknown'}"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def delay_for(failures: int, settings: ConsoleSettings) -> float:
    """No wait for the first failure, then base, 2·base, 4·base, ... up to the cap."""
    if failures < 2:
        return 0.0
    return min(settings.login_delay_cap, settings.login_delay * 2 ** (failures - 2))


def is_locked(session: Session, username: str, address: str | None) -> bool:
    now = utcnow()
    for key in keys(username, address):
        row = session.get(LoginThrottleRow, key)
        if row is not None and row.locked_until is not None and _aware(row.locked_until) > now:
            return True
    return False


def _row(session: Session, key: str) -> LoginThrottleRow:
    row = session.get(LoginThrottleRow, key, with_for_update=True)
    if row is not None:
        return row
    try:
        with session.begin_nested():
            row = LoginThrottleRow(key=key, failures=0, window_started_at=utcnow())
            session.add(row)
        return row
    except IntegrityError:  # another worker added it first
        return session.get(LoginThrottleRow, key, with_for_update=True, populate_existing=True)


def record_failure(session: Session, username: str, address: str | None, settings: ConsoleSettings) -> Verdict:
    """Count a failure for both keys; lock a key that reached its limit."""
    now = utcnow()
    worst = 0
    locked = False
    for key, limit in zip(keys(username, address), (settings.lock_after, settings.ip_lock_after), strict=True):
        row = _row(session, key)
        lock_over = row.locked_until is not None and _aware(row.locked_until) <= now
        if lock_over or now - _aware(row.window_started_at) > timedelta(seconds=settings.failure_window_seconds):
            row.failures, row.window_started_at, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= limit:
            row.locked_until = now + timedelta(seconds=settings.lock_seconds)
            locked = True
        worst = max(worst, row.failures)
    return Verdict(locked=locked, delay=delay_for(worst, settings))


def record_success(session: Session, username: str) -> None:
    """A correct password clears the username's count (not the address's: others may be guessing from it)."""
    session.execute(delete(LoginThrottleRow).where(LoginThrottleRow.key == keys(username, None)[0]))
