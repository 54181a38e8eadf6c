"""The console's HTML pages under /console: login, the lead list, a lead, its status form, CSV, audit log.

Plain server-rendered forms (work without JavaScript). Every page view, change and export is audited;
every POST carries the CSRF token; a coordinator's queries are scoped in bot/console/queries.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.console import accounts, csrf, export, labels, queries, sessions, texts
from bot.console.accounts import Actor
from bot.console.login import attempt_login
from bot.console.render import Html, Words, join
from bot.console.web import (
    client_address,
    first_args,
    in_transaction,
    is_https,
    language_of,
    open_lead,
    record,
    settings_of,
)
from bot.leads.workflow import LeadStatus, TransitionError
from bot.store.leads import LeadNotFoundError
from bot.store.models import LEAD_STATUSES, SCREENING_STATUSES, AuditRow, ConsoleUserRow

STATIC = Path(__file__).with_name("static")
COOKIE = "console_session"
COOKIE_PATH = "/console"
AUDIT_PER_PAGE = 100
#: Where the language switch may send the user back to: a console page, never another site.
_SAFE_NEXT = re.compile(r"^/console/[A-Za-z0-9/_\-.?=&%]*$")
NO_STORE = {"Cache-Control": "no-store"}
Handler = Callable[..., Awaitable[HTTPResponse]]


def words_for(request: Request, live: sessions.LiveSession | None) -> Words:
    """The request's language: the signed-in user's choice, else the console's default."""
    return Words(language_of(request, live.actor if live is not None else None))


def _here(request: Request) -> str:
    """This page's address, for the language switch to come back to."""
    path = request.path + (f"?{request.query_string}" if request.query_string else "")
    return path if request.method == "GET" and _SAFE_NEXT.match(path) else "/console/leads"


def safe_next(value: str | None) -> str:
    value = (value or "").strip()
    return value if _SAFE_NEXT.match(value) and "//" not in value and ".." not in value else "/console/leads"


def _language_choices(words: Words, template: str, **extra: Any) -> Html:
    """One button (signed in) or link (sign-in page) per language, each named in its own language."""
    choices = []
    for code in texts.available():
        current = code == words.language
        choices.append(words.render(
            template, code=code, name=texts.text("language_self", code), html_lang=texts.text("html_lang", code),
            pressed="true" if current else "false", current=Html(' aria-current="true"' if current else ""),
            **extra,
        ))
    return Html(words.render("language_separator.html").join(choices))


def _page(
    request: Request, words: Words, title: str, body: Html, live: sessions.LiveSession | None, status: int = 200,
    *, here: str | None = None,
) -> HTTPResponse:
    if live is not None:
        admin_links = words.render("nav_admin.html") if live.actor.is_admin else Html("")
        nav = words.render(
            "nav.html",
            admin_links=admin_links,
            username=live.actor.username,
            role=words(f"role_{live.actor.role.value}"),
            csrf_token=live.csrf_token,
            next=here or _here(request),
            language_choices=_language_choices(words, "language_button.html"),
        )
    else:
        nav = words.render("login_nav.html", language_choices=_language_choices(words, "language_link.html"))
    page = words.render("layout.html", title=title, nav=nav, body=body)
    return response.html(page, status=status, headers=NO_STORE)


def _message(words: Words, text: str, kind: str = "info") -> Html:
    return words.render("message.html", text=text, kind=kind, role="alert" if kind == "error" else "status")


def _error(request: Request, words: Words, live: sessions.LiveSession | None, status: int, key: str) -> HTTPResponse:
    body = words.render("error.html", heading=words(f"{key}_title"), text=words(f"{key}_text"))
    return _page(request, words, words(f"{key}_title"), body, live, status)


def _redirect(to: str) -> HTTPResponse:
    return response.redirect(to, status=303, headers=NO_STORE)


def _set_cookie(request: Request, reply: HTTPResponse, name: str, value: str) -> None:
    reply.cookies[name] = value
    cookie = reply.cookies[name]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = COOKIE_PATH
    if is_https(request):
        cookie["secure"] = True


def _clear_cookie(reply: HTTPResponse, name: str) -> None:
    reply.cookies[name] = ""
    reply.cookies[name]["path"] = COOKIE_PATH
    reply.cookies[name]["max-age"] = 0


def _when(words: Words, value: datetime | date | None) -> str:
    if value is None:
        return words("not_given")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def _options(words: Words, values: list[tuple[str, str]], selected: str | None) -> Html:
    return join(
        [
            words.render("option.html", value=v, label=label, selected=Html(" selected" if v == selected else ""))
            for v, label in values
        ]
    )


def signed_in(handler: Handler) -> Handler:
    """Resume the session from the cookie (or go to the login page); check CSRF on every POST."""

    async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        token = request.cookies.get(COOKIE)
        settings = settings_of(request)
        live = await in_transaction(request, lambda s: sessions.resume(s, token, sessions.BROWSER, settings))
        if live is None:
            reply = _redirect("/console/login" + ("?expired=1" if token else ""))
            if token:
                _clear_cookie(reply, COOKIE)
            return reply
        if request.method == "POST" and not csrf.matches(live.csrf_token, request.form.get(csrf.FIELD)):
            detail = {"path": request.path[:200]}
            await in_transaction(
                request, lambda s: record(s, request, live.actor.audit_name, "console.csrf_refused", detail=detail)
            )
            return _error(request, words_for(request, live), live, 403, "csrf")
        return await handler(request, live, *args, **kwargs)

    wrapped.__name__ = handler.__name__
    return wrapped


def _login_language(request: Request, chosen: str | None) -> tuple[Words, str]:
    """The sign-in page's language: the one picked on it (``?lang=``, then the form's field), else the default."""
    picked = texts.known(chosen)
    return Words(picked or settings_of(request).language), picked or ""


def pages_blueprint() -> Blueprint:
    bp = Blueprint("console_pages", url_prefix="/console")
    bp.static("/static/console.css", str(STATIC / "console.css"), name="console_css")

    @bp.get("/")
    async def home(_: Request) -> HTTPResponse:
        return _redirect("/console/leads")

    @bp.get("/login")
    async def login_form(request: Request) -> HTTPResponse:
        words, picked = _login_language(request, request.args.get("lang"))
        message = _message(words, words("session_expired")) if request.args.get("expired") else Html("")
        return _login_page(request, words, picked, message)

    def _login_page(
        request: Request, words: Words, picked: str, message: Html, status: int = 200, username: str = ""
    ) -> HTTPResponse:
        token = csrf.new_token()
        body = words.render("login.html", message=message, csrf_token=token, username=username, language=picked)
        reply = _page(request, words, words("login_title"), body, None, status)
        _set_cookie(request, reply, csrf.LOGIN_COOKIE, token)
        return reply

    @bp.post("/login")
    async def login(request: Request) -> HTTPResponse:
        words, picked = _login_language(request, request.form.get("language"))
        if not csrf.matches(request.cookies.get(csrf.LOGIN_COOKIE), request.form.get(csrf.FIELD)):
            return _login_page(request, words, picked, _message(words, words("csrf_text"), "error"), 403)
        username = (request.form.get("username") or "").strip()[:200]
        password = request.form.get("password") or ""
        if not username or not password:
            failed = _message(words, words("login_failed"), "error")
            return _login_page(request, words, picked, failed, 400, username[:64])
        outcome = await attempt_login(request, username, password, sessions.BROWSER)
        if outcome.token is None:
            key, status = ("login_locked", 429) if outcome.reason == "locked" else ("login_failed", 401)
            return _login_page(request, words, picked, _message(words, words(key), "error"), status, username[:64])
        if picked and outcome.user_id is not None:
            await in_transaction(request, lambda s: _first_choice(s, request, outcome.user_id, picked))
        reply = _redirect("/console/leads")
        _set_cookie(request, reply, COOKIE, outcome.token)
        _clear_cookie(reply, csrf.LOGIN_COOKIE)
        return reply

    @bp.post("/language")
    @signed_in
    async def choose_language(request: Request, live: sessions.LiveSession) -> HTTPResponse:
        """The switch in the navigation: stored on the user, so it holds in every later session."""
        chosen = texts.known((request.form.get("language") or "").strip())
        if chosen is None:
            words = words_for(request, live)
            body = _message(words, words("language_unknown", languages=", ".join(texts.available())), "error")
            return _page(request, words, words("language_switch_label"), body, live, 400)

        def work(session: Session) -> None:
            before = live.actor.language
            accounts.set_language(session, live.actor.user_id, chosen)
            record(session, request, live.actor.audit_name, "console.language_changed", entity_type="console_user",
                   entity_id=str(live.actor.user_id), detail={"from": before, "to": chosen})

        await in_transaction(request, work)
        return _redirect(safe_next(request.form.get("next")))

    @bp.post("/logout")
    @signed_in
    async def logout(request: Request, live: sessions.LiveSession) -> HTTPResponse:
        token = request.cookies.get(COOKIE)

        def work(session: Session) -> None:
            sessions.end(session, token)
            record(session, request, live.actor.audit_name, "console.logout")

        await in_transaction(request, work)
        reply = _redirect("/console/login")
        _clear_cookie(reply, COOKIE)
        return reply

    @bp.get("/leads")
    @signed_in
    async def lead_list(request: Request, live: sessions.LiveSession) -> HTTPResponse:
        words = words_for(request, live)
        try:
            filters = queries.Filters.parse(first_args(request))
        except queries.FilterError as exc:
            body = _message(words, words("bad_filter", problem=exc.say(words.language)), "error")
            return _page(request, words, words("leads_title"), body, live, 400)

        def work(session: Session) -> tuple[queries.LeadPage, list[tuple[str, str]]]:
            page = queries.list_leads(session, live.actor, filters)
            sites = [(s.code, labels.site_name(words, s.code)) for s in queries.visible_sites(session, live.actor)]
            record(session, request, live.actor.audit_name, "leads.viewed",
                   detail={"filters": filters.audit(), "shown": len(page.leads), "total": page.total})
            return page, sites

        page, sites = await in_transaction(request, work)
        return _page(request, words, words("leads_title"), _list_body(words, page, sites, live.actor), live)

    @bp.get("/leads.csv")
    @signed_in
    async def lead_csv(request: Request, live: sessions.LiveSession) -> HTTPResponse:
        words = words_for(request, live)
        try:
            filters = queries.Filters.parse(first_args(request))
        except queries.FilterError as exc:
            body = _message(words, words("bad_filter", problem=exc.say(words.language)), "error")
            return _page(request, words, words("leads_title"), body, live, 400)
        body = await export_csv(request, live.actor, filters, words.language)
        return csv_reply(body)

    @bp.get("/leads/<lead_id:str>")
    @signed_in
    async def lead_page(request: Request, live: sessions.LiveSession, lead_id: str) -> HTTPResponse:
        words = words_for(request, live)
        message = _message(words, words("status_changed"), "ok") if request.args.get("changed") else Html("")
        return await _lead_page(request, live, lead_id, message)

    async def _lead_page(
        request: Request, live: sessions.LiveSession, lead_id: str, message: Html, status: int = 200
    ) -> HTTPResponse:
        words = words_for(request, live)
        opened = await open_lead(request, live.actor, lead_id)
        if opened is None:
            return _error(request, words, live, 404, "not_found")
        body = _lead_body(words, opened.lead, opened.transcript, live, message)
        return _page(request, words, words("lead_title"), body, live, status, here=f"/console/leads/{opened.lead.id}")

    @bp.post("/leads/<lead_id:str>/status")
    @signed_in
    async def lead_status(request: Request, live: sessions.LiveSession, lead_id: str) -> HTTPResponse:
        words = words_for(request, live)
        new_status = (request.form.get("status") or "").strip()
        note = (request.form.get("note") or "").strip()
        version_raw = (request.form.get("version") or "").strip()
        version = int(version_raw) if version_raw.isdigit() else None
        if not note or len(note) > queries.MAX_NOTE_CHARS:
            key = "note_required" if not note else "note_too_long"
            failed = _message(words, words(key, n=queries.MAX_NOTE_CHARS), "error")
            return await _lead_page(request, live, lead_id, failed, 400)

        def work(session: Session) -> str:
            try:
                queries.change_status(session, live.actor, lead_id, new_status, note,
                                      expected_version=version, source=client_address(request))
            except LeadNotFoundError:
                return "not_found"
            except TransitionError:
                return "bad_transition"
            except queries.VersionConflictError:
                return "conflict"
            return "ok"

        outcome = await in_transaction(request, work)
        if outcome == "ok":
            return _redirect(f"/console/leads/{lead_id}?changed=1")
        if outcome == "not_found":
            return _error(request, words, live, 404, "not_found")
        return await _lead_page(request, live, lead_id, _message(words, words(outcome), "error"), 409)

    @bp.get("/audit")
    @signed_in
    async def audit_log(request: Request, live: sessions.LiveSession) -> HTTPResponse:
        words = words_for(request, live)
        if not live.actor.is_admin:
            await in_transaction(request, lambda s: record(s, request, live.actor.audit_name, "audit.refused"))
            return _error(request, words, live, 403, "forbidden")
        raw = first_args(request).get("page", "1")
        number = int(raw) if raw.isdigit() and 0 < int(raw) <= 1_000_000 else 1
        entries, total = await in_transaction(
            request, lambda s: read_audit(s, request, live.actor, number, AUDIT_PER_PAGE)
        )
        rows = [_audit_row(words, e) for e in entries] or [words.render("empty_row.html", span=6)]
        pages = max(1, -(-total // AUDIT_PER_PAGE))
        links = _pagination(words, lambda n: "/console/audit?" + urlencode({"page": n}), number, pages)
        body = words.render("audit.html", rows=join(rows), pagination=links)
        return _page(request, words, words("audit_title"), body, live)

    return bp


def _first_choice(session: Session, request: Request, user_id: int, language: str) -> None:
    """A language picked on the sign-in page becomes the user's only if they have not chosen one before."""
    row = session.get(ConsoleUserRow, user_id)
    if row is None or texts.known(row.language) is not None:
        return
    accounts.set_language(session, user_id, language)
    record(session, request, f"console:{row.username}", "console.language_changed", entity_type="console_user",
           entity_id=str(user_id), detail={"from": None, "to": language, "on": "login"})


def _audit_row(words: Words, entry: AuditRow) -> Html:
    return words.render(
        "audit_row.html", at=_when(words, entry.at), actor=entry.actor,
        action_label=labels.audit_action(words, entry.action), action=entry.action,
        entity=f"{labels.entity_type(words, entry.entity_type)} {entry.entity_id or ''}".strip(),
        source=entry.source or "", detail=json.dumps(entry.detail, ensure_ascii=False, sort_keys=True),
    )


def read_audit(
    session: Session, request: Request, actor: Actor, page: int, per_page: int
) -> tuple[list[AuditRow], int]:
    """Newest first; reading the log is itself audited (admins only: checked by the callers)."""
    total = session.scalar(select(func.count()).select_from(AuditRow)) or 0
    query = select(AuditRow).order_by(AuditRow.id.desc()).limit(per_page).offset((page - 1) * per_page)
    rows = list(session.scalars(query))
    record(session, request, actor.audit_name, "audit.viewed", detail={"page": page})
    return rows, total


async def export_csv(request: Request, actor: Actor, filters: queries.Filters, language: str) -> str:
    """Every lead under the filters (no pagination), site-scoped, audited; headers in the user's language."""

    def work(session: Session) -> str:
        page = queries.list_leads(session, actor, filters, paginate=False)
        record(session, request, actor.audit_name, "leads.exported",
               detail={"filters": filters.audit(), "rows": len(page.leads)})
        return export.to_csv(page.leads, {c: texts.text(f"csv_{c}", language) for c in export.COLUMNS})

    return await in_transaction(request, work)


def csv_reply(body: str) -> HTTPResponse:
    name = f"leads-{date.today().isoformat()}.csv"
    return response.text(
        body,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', **NO_STORE},
    )


def _pagination(words: Words, url: Callable[[int], str], page: int, pages: int) -> Html:
    links = []
    if page > 1:
        links.append(words.render("page_link.html", url=url(page - 1), rel="prev", label=words("page_prev")))
    if page < pages:
        links.append(words.render("page_link.html", url=url(page + 1), rel="next", label=words("page_next")))
    return join(links)


def _list_body(words: Words, page: queries.LeadPage, sites: list[tuple[str, str]], actor: Actor) -> Html:
    filters = page.filters
    counts = join(
        [
            words.render("count.html", url="/console/leads?" + urlencode(filters.query_args(status=s, page=None)),
                         label=words(f"status_{s}"), count=page.counts.get(s, 0))
            for s in LEAD_STATUSES
        ]
    )
    names = dict(sites)
    rows = [
        words.render("lead_row.html", created=_when(words, lead.created_at), id=lead.id, name=lead.name,
                     site=names.get(lead.site_code) or labels.site_name(words, lead.site_code),
                     outcome=words(f"outcome_{lead.screening.status}"), status=words(f"status_{lead.status}"),
                     language=labels.conversation_language(words, lead.screening.language))
        for lead in page.leads
    ] or [words.render("empty_row.html", span=6)]
    site_filter = (
        words.render("site_filter.html", site_options=_options(words, sites, filters.site))
        if actor.is_admin else Html("")
    )
    return words.render(
        "leads.html",
        message=Html(""),
        counts=counts,
        status_options=_options(words, [(s, words(f"status_{s}")) for s in LEAD_STATUSES], filters.status),
        site_filter=site_filter,
        outcome_options=_options(words, [(s, words(f"outcome_{s}")) for s in SCREENING_STATUSES], filters.outcome),
        sort_options=_options(words, [(s, words("sort_" + s.replace("-", "desc_"))) for s in queries.SORTS],
                              filters.sort),
        **{"from": filters.created_from.isoformat() if filters.created_from else "",
           "to": filters.created_to.isoformat() if filters.created_to else ""},
        summary=words("summary", total=page.total, page=filters.page, pages=page.pages),
        export_url="/console/leads.csv?" + urlencode(filters.query_args(page=None, per_page=None)),
        rows=join(rows),
        pagination=_pagination(
            words, lambda n: "/console/leads?" + urlencode(filters.query_args(page=str(n) if n > 1 else None)),
            filters.page, page.pages,
        ),
    )


def _screening_rows(words: Words, screening: Any) -> tuple[Html, Html]:
    """The criteria (titled in the coordinator's language) and the answers (labelled by their question)."""
    titles = labels.criterion_titles(screening.protocol_version, words.language)
    criteria = [
        words.render("criterion_row.html", id=c.get("id", ""), title=titles.get(str(c.get("id")), ""),
                     result_code=c.get("result", ""), result=words(f"result_{c.get('result', 'unknown')}"),
                     explanation=c.get("explanation", ""))
        for c in screening.result or []
    ] or [words.render("empty_row.html", span=3)]
    answers = [
        words.render("answer_row.html", field=name, label=labels.field_label(words, name),
                     value=labels.answer_value(words, value))
        for name, value in labels.ordered_answers(screening.answers or {})
    ] or [words.render("empty_row.html", span=2)]
    return join(criteria), join(answers)


def _lead_body(words: Words, lead: Any, lines: list[Any], live: sessions.LiveSession, message: Html) -> Html:
    screening = lead.screening
    criteria, answers = _screening_rows(words, screening)
    notes = [
        words.render("note_item.html", at=_when(words, n.created_at), author=n.author, text=n.text or "",
                     change=(words("note_change", old=words(f"status_{n.from_status}"),
                                   new=words(f"status_{n.to_status}"))
                             if n.from_status and n.to_status else words("note_no_change")))
        for n in lead.notes
    ] or [words.render("empty_item.html")]
    spoken = [
        words.render("transcript_line.html", speaker_code=line.speaker, speaker=words(f"speaker_{line.speaker}"),
                     text=line.text)
        for line in lines
    ] or [words.render("empty_item.html")]
    allowed = queries.next_statuses(lead)
    if allowed:
        options = _options(words, [(s, words(f"status_{s}")) for s in allowed], None)
        status_form = words.render("status_form.html", id=lead.id, csrf_token=live.csrf_token, version=lead.version,
                                   options=options)
    else:
        status_form = words.render("final_status.html")
    return words.render(
        "lead.html",
        message=message,
        name=lead.name,
        phone=lead.phone or words("not_given"),
        wechat_id=lead.wechat_id or words("not_given"),
        preferred_time=lead.preferred_time or words("not_given"),
        site=labels.site_name(words, lead.site_code),
        status=words(f"status_{LeadStatus(lead.status).value}"),
        created=_when(words, lead.created_at),
        outcome=words(f"outcome_{screening.status}"),
        eligible_from=_when(words, screening.eligible_from),
        protocol_version=screening.protocol_version,
        as_of=_when(words, screening.as_of),
        language=labels.conversation_language(words, screening.language),
        criteria=criteria,
        answers=answers,
        status_form=status_form,
        notes=join(notes),
        transcript=join(spoken),
    )
