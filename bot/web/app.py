"""The participants' chat page and its JSON API, proxied to Rasa's REST channel on loopback.

Routes: ``GET /`` (the page, rendered from the translations), ``/static/*`` (our CSS and JS),
``GET /api/strings``, ``GET /api/history``, ``POST /api/chat``, ``GET /api/last-answer``,
``POST /api/forget``, ``GET /healthz``. The conversation id lives only in a signed HttpOnly
cookie set by the API; nothing the page sends (body, query, headers) can choose it.

Language (translations.py): ``?lang=``, else the ``lang`` cookie, else Accept-Language, else English.
Every message to Rasa says it in its metadata (``{"language": ...}``: Rasa takes it at the start of
a session); after each turn the conversation's own ``language`` slot, which Rasa decides (a switch
button, "说中文", a message in Chinese), is told to the page and kept in the cookie.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Awaitable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from sanic import Sanic, response
from sanic.exceptions import NotFound, PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import MAX_MESSAGE_CHARS
from bot.console.web import mount_console
from bot.store import prepare
from bot.store.db import Database, make_engine
from bot.web import conversation, identity, translations
from bot.web.forget import forget
from bot.web.rasa import RasaClient, RasaRefused, RasaSlow, RasaUnavailable
from bot.web.settings import WebSettings

logger = logging.getLogger(__name__)
HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
TEMPLATE = HERE / "templates" / "index.html"
COOKIE = "conversation"
COOKIE_MAX_AGE = 30 * 24 * 3600  # survives a closed tab; "forget my answers" ends it sooner
#: The person's language (a preference, not conversation data: "forget my answers" keeps it).
LANG_COOKIE = "lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600
MAX_BODY_BYTES = 16 * 1024
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z0-9_]+)\s*\}\}")


def language_buttons(current: str) -> str:
    """One button per language, each named in its own language (and marked so, for screen readers)."""
    buttons = []
    for code in translations.available():
        own = translations.load(code)
        buttons.append(
            f'<button type="button" class="setting language" data-language="{html.escape(code)}" '
            f'lang="{html.escape(own["html_lang"])}" aria-pressed="{str(code == current).lower()}">'
            f"{html.escape(own['language_name'])}</button>"
        )
    return "".join(buttons)


def render_page(language: str) -> str:
    """The page with every ``{{key}}`` replaced by the escaped translation; a missing key fails loudly."""
    strings = translations.load(language)
    generated = {"language": html.escape(language), "languages": language_buttons(language)}

    def value(match: re.Match[str]) -> str:
        if match.group(1) in generated:
            return generated[match.group(1)]
        found = strings[match.group(1)]
        if not isinstance(found, str):
            raise KeyError(match.group(1))
        return html.escape(found, quote=True)

    return _PLACEHOLDER.sub(value, TEMPLATE.read_text(encoding="utf-8"))


def create_app(settings: WebSettings, name: str = "participant_web") -> Sanic:
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.config.KEEP_ALIVE_TIMEOUT = 15
    pages = {language: render_page(language) for language in translations.available()}

    @app.before_server_start
    async def start(app: Sanic, _: Any) -> None:
        # Created here, not at import: the event loop exists only now.
        app.ctx.http = aiohttp.ClientSession()
        app.ctx.rasa = RasaClient(settings.rasa_url, app.ctx.http, settings.turn_timeout)
        app.ctx.database = Database(settings.database_url)
        app.ctx.tracker_engine = make_engine(settings.tracker_url)
        await asyncio.to_thread(prepare, app.ctx.database)

    @app.after_server_stop
    async def stop(app: Sanic, _: Any) -> None:
        await app.ctx.http.close()
        app.ctx.database.dispose()
        app.ctx.tracker_engine.dispose()

    @app.on_response
    async def security_headers(request: Request, reply: HTTPResponse) -> None:
        for header, value in SECURITY_HEADERS.items():
            reply.headers.setdefault(header, value)
        if request.path.startswith("/api/"):
            reply.headers["Cache-Control"] = "no-store"
        else:
            reply.headers.setdefault("Cache-Control", "no-cache")

    def language_of(request: Request) -> str:
        """The page's language for this request: ``?lang=``, the kept choice, the browser's, English."""
        return translations.negotiate(
            request.args.get("lang"), request.headers.get("accept-language"), request.cookies.get(LANG_COOKIE)
        )

    def strings_for(request: Request) -> Mapping[str, Any]:
        return translations.load(language_of(request))

    def error(request: Request, key: str, status: int, **values: Any) -> HTTPResponse:
        message = strings_for(request)[key].replace("{n}", str(values.get("n", "")))
        return response.json({"error": message, "reason": key}, status=status)

    def conversation_id(request: Request) -> tuple[str, bool]:
        """The id from our signed cookie, or a new one (True: set the cookie on the reply)."""
        found = identity.verify(settings.secret, request.cookies.get(COOKIE))
        return (found, False) if found else (identity.new_conversation_id(), True)

    def set_cookie(reply: HTTPResponse, name: str, value: str, *, samesite: str, max_age: int) -> HTTPResponse:
        """One HttpOnly cookie for the whole site (Secure when the app faces the public over TLS)."""
        reply.cookies[name] = value
        cookie = reply.cookies[name]
        cookie["httponly"] = True
        cookie["samesite"] = samesite
        cookie["path"] = "/"
        cookie["max-age"] = max_age
        if settings.cookie_secure:
            cookie["secure"] = True
        return reply

    def with_cookie(reply: HTTPResponse, sender: str) -> HTTPResponse:
        signed = identity.sign(settings.secret, sender)
        return set_cookie(reply, COOKIE, signed, samesite="Strict", max_age=COOKIE_MAX_AGE)

    def with_language(reply: HTTPResponse, language: str) -> HTTPResponse:
        """Keep the conversation's language for the next visit (Lax: a link from WeChat keeps it too)."""
        return set_cookie(reply, LANG_COOKIE, language, samesite="Lax", max_age=LANG_COOKIE_MAX_AGE)

    def same_origin_post(request: Request) -> HTTPResponse | None:
        """Refuse cross-site POSTs (the SameSite cookie is the first guard) and non-JSON bodies."""
        origin = request.headers.get("origin")
        if origin and urlsplit(origin).netloc != request.host:
            return response.json({"error": "cross-origin requests are not accepted"}, status=403)
        if request.headers.get("sec-fetch-site") not in (None, "same-origin", "none"):
            return response.json({"error": "cross-site requests are not accepted"}, status=403)
        if (request.content_type or "").split(";")[0].strip() != "application/json":
            return response.json({"error": "send JSON (Content-Type: application/json)"}, status=415)
        return None

    async def rasa_call(request: Request, work: Awaitable[Any]) -> Any:
        """Run a Rasa call; map an outage to the page's friendly messages (raised as a ready reply)."""
        try:
            return await work
        except RasaSlow:
            logger.warning("Rasa did not answer in time")
            raise _Reply(error(request, "slow", 504)) from None
        except RasaRefused as exc:
            logger.warning("Rasa refused a request (%s)", exc)
            raise _Reply(error(request, "bad_request", 400)) from None
        except RasaUnavailable as exc:
            logger.warning("Rasa is unreachable (%s)", exc)
            raise _Reply(error(request, "unreachable", 503)) from None

    @app.exception(_Reply)
    async def ready_reply(_: Request, exc: _Reply) -> HTTPResponse:
        return exc.reply

    @app.exception(PayloadTooLarge)
    async def too_large(request: Request, _: Exception) -> HTTPResponse:
        return error(request, "too_long", 413, n=MAX_MESSAGE_CHARS)

    @app.exception(NotFound)
    async def not_found(_: Request, __: Exception) -> HTTPResponse:
        return response.json({"error": "not found"}, status=404)

    @app.get("/")
    async def page(request: Request) -> HTTPResponse:
        # No cookie here: with SameSite=Strict a link from another site arrives without it, and
        # issuing one would replace the person's conversation. The API (same-origin) issues it.
        return response.html(pages[language_of(request)], headers={"Vary": "Accept-Language, Cookie"})

    @app.get("/healthz")
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.get("/api/strings")
    async def strings(request: Request) -> HTTPResponse:
        return response.json(strings_for(request))

    @app.get("/api/history")
    async def load_history(request: Request) -> HTTPResponse:
        sender, new = conversation_id(request)
        language = language_of(request)
        if new:  # nothing to load: do not make Rasa create a tracker for a page view
            body = {"messages": [], **conversation.EMPTY_STATE, "language": language}
            return with_cookie(response.json(body), sender)
        tracker = await rasa_call(request, request.app.ctx.rasa.tracker(sender, events=True))
        state = conversation.state(tracker)
        events = tracker.get("events") or []
        # A conversation that has said nothing yet has no language of its own (only a slot's default).
        if any(event.get("event") == "user" for event in events):
            language = state["language"] or language
        # The labels of the person's own button presses in the language the page will show.
        body = {"messages": conversation.history(events, translations.load(language))}
        return with_language(response.json({**body, **state, "language": language}), language)

    @app.post("/api/chat")
    async def chat(request: Request) -> HTTPResponse:
        refused = same_origin_post(request)
        if refused:
            return refused
        try:
            body = request.json
        except Exception:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("message"), str):
            return error(request, "bad_request", 400)
        text = body["message"].strip()
        if not text:
            return error(request, "empty", 400)
        if len(text) > MAX_MESSAGE_CHARS:
            return error(request, "too_long", 413, n=MAX_MESSAGE_CHARS)
        # Only the cookie names the conversation: "sender", "session_id" etc. in the body are ignored.
        sender, _ = conversation_id(request)
        rasa: RasaClient = request.app.ctx.rasa
        language = language_of(request)
        # On every message: Rasa reads it when this message starts a session (a new or an expired one).
        metadata: dict[str, Any] = {"language": language}
        if body.get("correction") is True:
            text = translations.load(language)["correction_prefix"] + text
            metadata["correction"] = await correction_target(request, sender)
        replies = await rasa_call(request, rasa.say(sender, text, metadata))
        try:
            state = conversation.state(await rasa.tracker(sender, events=False))
        except (RasaUnavailable, RasaSlow, RasaRefused):
            state = conversation.EMPTY_STATE
        # The conversation's language after this turn (the bot may have switched): the page follows it.
        language = state["language"] or language
        reply = response.json({"messages": conversation.bot_messages(replies), **state, "language": language})
        # Set on every turn, so the cookie lasts COOKIE_MAX_AGE from the last message, not the first.
        return with_language(with_cookie(reply, sender), language)

    async def correction_target(request: Request, sender: str) -> dict[str, Any]:
        """The question the panel showed, read again on the server (the page's word is not trusted).

        Sent as message metadata, so the bot changes exactly that answer, whatever its classifier
        makes of the words.
        """
        tracker = await rasa_call(request, request.app.ctx.rasa.tracker(sender, events=True))
        last = conversation.last_answer(tracker.get("events") or [])
        return {"target": last["name"]} if last else {}

    @app.get("/api/last-answer")
    async def last_answer(request: Request) -> HTTPResponse:
        sender, new = conversation_id(request)
        if new:
            return with_cookie(response.json({"last": None}), sender)
        tracker = await rasa_call(request, request.app.ctx.rasa.tracker(sender, events=True))
        return response.json({"last": conversation.last_answer(tracker.get("events") or [])})

    @app.post("/api/forget")
    async def forget_me(request: Request) -> HTTPResponse:
        refused = same_origin_post(request)
        if refused:
            return refused
        sender, new = conversation_id(request)
        if not new:
            try:
                await asyncio.to_thread(forget, request.app.ctx.database, request.app.ctx.tracker_engine, sender)
            except Exception:
                logger.exception("forgetting a web conversation failed")
                return error(request, "unreachable", 503)
        # A fresh id either way: nothing of the old conversation can be reached from this browser again.
        reply = response.json({"ok": True, "message": strings_for(request)["forgotten"]})
        return with_cookie(reply, identity.new_conversation_id())

    # One route per file: nothing else under static/ (no directory listing, no path to resolve) is served.
    for asset in sorted(STATIC_DIR.iterdir()):
        if asset.is_file():
            name = "static_" + re.sub(r"[^a-z0-9]", "_", asset.name.lower())
            app.static(f"/static/{asset.name}", str(asset), name=name)
    # The coordinator console (issue 6): /console pages and the /api/auth, /api/leads... JSON API.
    mount_console(app)
    return app


class _Reply(Exception):
    """A finished error reply, raised from deep in a handler."""

    def __init__(self, reply: HTTPResponse) -> None:
        super().__init__(reply.status)
        self.reply = reply
