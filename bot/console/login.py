"""One login procedure for the browser form and the API token endpoint: throttle, check, audit, start."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sanic.request import Request
from sqlalchemy.orm import Session

from bot.console import accounts, sessions, throttle
from bot.console.web import client_address, in_transaction, record, settings_of


@dataclass(frozen=True)
class LoginOutcome:
    #: The session/token secret, or None when refused.
    token: str | None
    #: "ok" | "failed" | "locked"
    reason: str
    #: The signed-in user (None when refused).
    user_id: int | None = None


async def attempt_login(request: Request, username: str, password: str, kind: str) -> LoginOutcome:
    """Locked keys are refused even with the right password; each failure is audited and slowed down."""
    settings = settings_of(request)
    address = client_address(request)
    what = "console.login" if kind == sessions.BROWSER else "api.token"
    actor = f"console:{username[:64]}"

    def work(session: Session) -> tuple[LoginOutcome, float]:
        if throttle.is_locked(session, username, address):
            record(session, request, actor, f"{what}_locked")
            return LoginOutcome(None, "locked"), 0.0
        user = accounts.authenticate(session, username, password)
        if user is None:
            verdict = throttle.record_failure(session, username, address, settings)
            record(session, request, actor, f"{what}_failed", detail={"locked_now": verdict.locked})
            return LoginOutcome(None, "locked" if verdict.locked else "failed"), verdict.delay
        throttle.record_success(session, username)
        token = sessions.start(session, user, kind, settings)
        record(session, request, actor, what, entity_type="console_user", entity_id=str(user.id))
        return LoginOutcome(token, "ok", user.id), 0.0

    outcome, delay = await in_transaction(request, work)
    if delay:
        await asyncio.sleep(delay)
    return outcome
