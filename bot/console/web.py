"""What the console's pages and API share: mounting on the web app, the client's address, database calls
off the event loop, and the audit helper."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from sanic import Sanic, response
from sanic.exceptions import MethodNotSupported, NotFound
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from bot.console import queries, texts
from bot.console.accounts import Actor
from bot.console.settings import ConsoleSettings
from bot.console.transcript import Line, transcript
from bot.store import audit
from bot.store.db import Database
from bot.store.leads import LeadNotFoundError
from bot.store.models import LeadRow

T = TypeVar("T")
MAX_ACTOR_CHARS = 80
ALLOWABLE = ("GET", "POST", "PUT", "PATCH", "DELETE")


class OpenedLead(NamedTuple):
    lead: LeadRow
    #: The conversation, read from the tracker store.
    transcript: list[Line]


def mount_console(app: Sanic, settings: ConsoleSettings | None = None) -> None:
    """Add the console's blueprints to the participant web app (it owns the database engines)."""
    from bot.console.api import api_blueprint
    from bot.console.pages import pages_blueprint

    app.ctx.console = settings or ConsoleSettings.from_env()
    app.blueprint(pages_blueprint())
    app.blueprint(api_blueprint())

    not_found_handler = app.error_handler.lookup(NotFound(""), None)

    @app.exception(NotFound)
    async def not_found_or_bad_method(request: Request, exc: NotFound) -> HTTPResponse:
        """A path that exists under another method is a 405 with Allow, not a 404.

        sanic-routing 0.7 reports a wrong method on /api/leads/<id> (next to /api/leads.csv) and any
        method it does not know (TRACE) as 404; every true 404 still goes to the web app's own handler.
        """
        if request.method not in ("GET", "HEAD"):
            allowed = [m for m in ALLOWABLE if m != request.method and _routes(app, request.path, m)]
            if allowed:
                return response.json(
                    {"error": texts.text("api_method_not_allowed", settings_of(request).language),
                     "reason": "method_not_allowed"},
                    status=405, headers={"Allow": ", ".join(allowed)},
                )
        if not_found_handler is not None:
            return await _maybe_await(not_found_handler(request, exc))
        return response.json({"error": "not found"}, status=404)

    @app.exception(MethodNotSupported)
    async def method_not_allowed(request: Request, exc: MethodNotSupported) -> HTTPResponse:
        """JSON like every other error, with the Allow header RFC 9110 asks for (sanic's JSON page drops it)."""
        words = texts.text("api_method_not_allowed", settings_of(request).language)
        return response.json({"error": words, "reason": "method_not_allowed"}, status=405, headers=exc.headers)


def _routes(app: Sanic, path: str, method: str) -> bool:
    try:
        app.router.get(path, method, None)
    except (NotFound, MethodNotSupported):
        return False
    return True


async def _maybe_await(result: Any) -> Any:
    return await result if inspect.isawaitable(result) else result


def settings_of(request: Request) -> ConsoleSettings:
    return request.app.ctx.console


def language_of(request: Request, actor: Actor | None) -> str:
    """The signed-in user's chosen language, else the console's (CONSOLE_LANGUAGE, Chinese by default)."""
    return (actor.language if actor is not None else None) or settings_of(request).language


def database_of(request: Request) -> Database:
    return request.app.ctx.database


def client_address(request: Request) -> str:
    """The peer's address; X-Forwarded-For's first entry only when CONSOLE_TRUST_PROXY=1."""
    if settings_of(request).trust_proxy:
        forwarded = (request.headers.get("x-forwarded-for") or "").split(",")[0].strip()
        if forwarded:
            return forwarded[:64]
    return (request.ip or "unknown")[:64]


def is_https(request: Request) -> bool:
    if settings_of(request).cookie_secure or request.scheme == "https":
        return True
    return settings_of(request).trust_proxy and request.headers.get("x-forwarded-proto") == "https"


async def in_transaction(request: Request, work: Callable[[Session], T]) -> T:
    """Run ``work`` in one database transaction in a worker thread (SQLAlchemy is synchronous)."""
    database = database_of(request)

    def run() -> T:
        with database.transaction() as session:
            return work(session)

    return await asyncio.to_thread(run)


def record(
    session: Session,
    request: Request,
    actor: str,
    action: str,
    *,
    entity_type: str | None = None,
    entity_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        actor=actor[:MAX_ACTOR_CHARS],
        action=action,
        entity_type=entity_type,
        entity_id=entity_id[:64] if entity_id else None,
        source=client_address(request),
        detail=detail,
    )


def first_args(request: Request, *, keep_blank: bool = False) -> dict[str, str]:
    """Query-string values, the first of each name (blank ones too with ``keep_blank``)."""
    args = request.get_args(keep_blank_values=keep_blank)
    return {name: values[0] for name, values in args.items() if values}


async def open_lead(request: Request, actor: Actor, lead_id: str, action: str = "lead.viewed") -> OpenedLead | None:
    """The actor's lead with its transcript, or None (404); the view, or the refused look, is audited.

    Pages and API share it, so both answer another site's lead exactly like a missing one.
    """

    def work(session: Session) -> LeadRow | None:
        try:
            lead = queries.get_lead(session, actor, lead_id)
        except LeadNotFoundError:
            record(session, request, actor.audit_name, "lead.not_found", entity_type="lead", entity_id=lead_id)
            return None
        if action:
            record(session, request, actor.audit_name, action, entity_type="lead", entity_id=lead.id)
        return lead

    lead = await in_transaction(request, work)
    if lead is None:
        return None
    language = lead.screening.language if lead.screening is not None else None
    lines = await asyncio.to_thread(transcript, request.app.ctx.tracker_engine, lead.conversation_id, language)
    return OpenedLead(lead, lines)
