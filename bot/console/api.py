"""The console's JSON API under /api (described exactly by openapi.json, served at /api/openapi.json).

Bearer tokens only (POST /api/auth/token): the session cookie is never accepted here, so the API
needs no CSRF token. Errors are ``{"error": message, "reason": key}`` with the right 4xx; the message (and
every other text meant for people: criterion titles, question labels) is in the token user's console
language, before sign-in in the console's default. Codes (statuses, field names, reasons) never change.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from bot.console import queries, serialize, sessions, texts
from bot.console.login import attempt_login
from bot.console.pages import csv_reply, export_csv, read_audit
from bot.console.people import forget_person
from bot.console.render import Words
from bot.console.web import (
    client_address,
    first_args,
    in_transaction,
    language_of,
    open_lead,
    record,
    settings_of,
)
from bot.leads.workflow import TransitionError
from bot.store.leads import LeadNotFoundError

OPENAPI = Path(__file__).with_name("openapi.json")
AUDIT_PER_PAGE = 100
Handler = Callable[..., Awaitable[HTTPResponse]]


def error(status: int, reason: str, language: str, **values: Any) -> HTTPResponse:
    reply = response.json({"error": texts.text(f"api_{reason}", language, **values), "reason": reason}, status=status)
    if status == 401:
        reply.headers["WWW-Authenticate"] = 'Bearer realm="console"'
    return reply


def _json_body(request: Request) -> dict[str, Any] | None:
    if (request.content_type or "").split(";")[0].strip() != "application/json":
        return None
    try:
        body = json.loads(request.body or b"")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def bearer(handler: Handler) -> Handler:
    """Resume the API token from ``Authorization: Bearer``; 401 otherwise."""

    async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
        settings = settings_of(request)
        if scheme.lower() != "bearer" or not token.strip():
            return error(401, "unauthorized", settings.language)
        live = await in_transaction(request, lambda s: sessions.resume(s, token.strip(), sessions.API, settings))
        if live is None:
            return error(401, "unauthorized", settings.language)
        return await handler(request, live, *args, **kwargs)

    wrapped.__name__ = handler.__name__
    return wrapped


def api_blueprint() -> Blueprint:
    bp = Blueprint("console_api", url_prefix="/api")
    document = json.loads(OPENAPI.read_text(encoding="utf-8"))

    @bp.get("/openapi.json")
    async def openapi(_: Request) -> HTTPResponse:
        return response.json(document)

    @bp.post("/auth/token")
    async def token(request: Request) -> HTTPResponse:
        language = settings_of(request).language  # nobody is signed in yet
        body = _json_body(request)
        if body is None:
            return error(400, "bad_json", language)
        username, password = body.get("username"), body.get("password")
        if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
            return error(400, "bad_credentials", language)
        outcome = await attempt_login(request, username[:200], password, sessions.API)
        if outcome.token is None:
            if outcome.reason == "locked":
                return error(429, "login_locked", language)
            return error(401, "login_failed", language)
        expires_in = int(settings_of(request).token_seconds)
        return response.json({"access_token": outcome.token, "token_type": "bearer", "expires_in": expires_in})

    @bp.get("/leads")
    @bearer
    async def leads(request: Request, live: sessions.LiveSession) -> HTTPResponse:
        language = language_of(request, live.actor)
        try:
            filters = queries.Filters.parse(first_args(request, keep_blank=True), strict=True)
        except queries.FilterError as exc:
            return error(400, "bad_filter", language, problem=exc.say(language))

        def work(session: Session) -> dict[str, Any]:
            page = queries.list_leads(session, live.actor, filters)
            record(session, request, live.actor.audit_name, "leads.viewed",
                   detail={"filters": filters.audit(), "shown": len(page.leads), "total": page.total, "via": "api"})
            return {
                "leads": [serialize.lead_summary(lead) for lead in page.leads],
                "total": page.total,
                "page": filters.page,
                "per_page": filters.per_page,
                "counts": page.counts,
            }

        return response.json(await in_transaction(request, work))

    @bp.get("/leads.csv")
    @bearer
    async def leads_csv(request: Request, live: sessions.LiveSession) -> HTTPResponse:
        language = language_of(request, live.actor)
        try:
            filters = queries.Filters.parse(first_args(request, keep_blank=True), strict=True)
        except queries.FilterError as exc:
            return error(400, "bad_filter", language, problem=exc.say(language))
        return csv_reply(await export_csv(request, live.actor, filters, language))

    async def _detail(request: Request, live: sessions.LiveSession, lead_id: str, action: str) -> HTTPResponse:
        words = Words(language_of(request, live.actor))
        opened = await open_lead(request, live.actor, lead_id, action)
        if opened is None:
            return error(404, "not_found", words.language)
        return response.json(serialize.lead_detail(opened.lead, opened.transcript, words))

    @bp.get("/leads/<lead_id:str>")
    @bearer
    async def lead(request: Request, live: sessions.LiveSession, lead_id: str) -> HTTPResponse:
        return await _detail(request, live, lead_id, "lead.viewed")

    @bp.patch("/leads/<lead_id:str>")
    @bearer
    async def change(request: Request, live: sessions.LiveSession, lead_id: str) -> HTTPResponse:
        language = language_of(request, live.actor)
        body = _json_body(request)
        if body is None:
            return error(400, "bad_json", language)
        status, note, version = body.get("status"), body.get("note"), body.get("version")
        if not isinstance(status, str) or (version is not None and (type(version) is not int or version < 1)):
            return error(400, "bad_status", language)
        if not isinstance(note, str) or not note.strip() or len(note) > queries.MAX_NOTE_CHARS:
            return error(400, "note_required", language, n=queries.MAX_NOTE_CHARS)

        def work(session: Session) -> HTTPResponse | None:
            try:
                queries.change_status(session, live.actor, lead_id, status, note.strip(),
                                      expected_version=version, source=client_address(request))
            except LeadNotFoundError:
                record(session, request, live.actor.audit_name, "lead.not_found", entity_type="lead", entity_id=lead_id)
                return error(404, "not_found", language)
            except queries.StatusChangeError as exc:
                allowed = ", ".join(exc.allowed) or texts.text("api_allowed_none", language)
                return error(409, "bad_transition", language, old=exc.current, new=exc.new, allowed=allowed)
            except (TransitionError, queries.VersionConflictError):
                # A TransitionError that passed the pre-check means the lead changed meanwhile: a conflict.
                return error(409, "conflict", language)
            return None

        refused = await in_transaction(request, work)
        if refused is not None:
            return refused
        return await _detail(request, live, lead_id, "")

    @bp.delete("/people/<screening_id:str>")
    @bearer
    async def forget(request: Request, live: sessions.LiveSession, screening_id: str) -> HTTPResponse:
        language = language_of(request, live.actor)
        if not live.actor.is_admin:
            await in_transaction(
                request,
                lambda s: record(s, request, live.actor.audit_name, "person.forget_refused",
                                 entity_type="screening", entity_id=screening_id),
            )
            return error(403, "forbidden", language)
        done = await asyncio.to_thread(
            forget_person, request.app.ctx.database, request.app.ctx.tracker_engine, live.actor, screening_id,
            client_address(request),
        )
        if done is None:
            return error(404, "not_found", language)
        return response.json(
            {"screenings": done.screenings, "leads": done.leads, "tracker_events": done.tracker_events}
        )

    @bp.get("/audit")
    @bearer
    async def audit(request: Request, live: sessions.LiveSession) -> HTTPResponse:
        language = language_of(request, live.actor)
        if not live.actor.is_admin:
            await in_transaction(request, lambda s: record(s, request, live.actor.audit_name, "audit.refused"))
            return error(403, "forbidden", language)
        raw = first_args(request, keep_blank=True).get("page", "1")
        if not raw.isdigit() or not 0 < int(raw) <= 1_000_000:
            problem = queries.FilterError("filter_error_number", name="page", low=1, high=1_000_000)
            return error(400, "bad_filter", language, problem=problem.say(language))
        page = int(raw)
        rows, total = await in_transaction(request, lambda s: read_audit(s, request, live.actor, page, AUDIT_PER_PAGE))
        return response.json(
            {"entries": [serialize.audit_entry(r) for r in rows], "total": total, "page": page,
             "per_page": AUDIT_PER_PAGE}
        )

    return bp
