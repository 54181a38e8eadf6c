"""The console's HTML pages under /console: login, the lead list, a lead, its status form, CSV, audit log.

Plain server-rendered forms (work without JavaScript). Every page view, change and export is audited;
every POST carries the CSRF token; a coordinator's queries are scoped in bot/console/queries.py.
"""

from __future__ import annotations

import json
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

from bot.console import csrf, export, queries, sessions, texts
from bot.console.accounts import Actor
from bot.console.login import attempt_login
from bot.console.render import Html, join, render
from bot.console.web import client_address, first_args, in_transaction, is_https, open_lead, record, settings_of
from bot.leads.workflow import LeadStatus, TransitionError
from bot.sites import load_sites
from bot.store.leads import LeadNotFoundError
from bot.store.models import LEAD_STATUSES, SCREENING_STATUSES, AuditRow

STATIC = Path(__file__).with_name("static")
COOKIE = "console_session"
COOKIE_PATH = "/console"
LANGUAGE = texts.DEFAULT_LANGUAGE
AUDIT_PER_PAGE = 100
NO_STORE = {"Cache-Control": "no-store"}
Handler = Callable[..., Awaitable[HTTPResponse]]


def t(key: str, **values: Any) -> str:
    return texts.text(key, LANGUAGE, **values)


def _page(title: str, body: Html, live: sessions.LiveSession | None, status: int = 200) -> HTTPResponse:
    nav = Html("")
    if live is not None:
        admin_links = render("nav_admin.html") if live.actor.is_admin else Html("")
        nav = render(
            "nav.html",
            admin_links=admin_links,
            username=live.actor.username,
            role=t(f"role_{live.actor.role.value}"),
            csrf_token=live.csrf_token,
        )
    page = render("layout.html", lang=LANGUAGE, title=title, nav=nav, body=body)
    return response.html(page, status=status, headers=NO_STORE)


def _message(text: str, kind: str = "info") -> Html:
    return render("message.html", text=text, kind=kind, role="alert" if kind == "error" else "status")


def _error(live: sessions.LiveSession | None, status: int, key: str) -> HTTPResponse:
    body = render("error.html", heading=t(f"{key}_title"), text=t(f"{key}_text"))
    return _page(t(f"{key}_title"), body, live, status)


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


def _when(value: datetime | date | None) -> str:
    if value is None:
        return t("not_given")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def _options(values: list[tuple[str, str]], selected: str | None) -> Html:
    return join(
        [
            render("option.html", value=v, label=label, selected=Html(" selected" if v == selected else ""))
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
            return _error(live, 403, "csrf")
        return await handler(request, live, *args, **kwargs)

    wrapped.__name__ = handler.__name__
    return wrapped


def pages_blueprint() -> Blueprint:
    bp = Blueprint("console_pages", url_prefix="/console")
    bp.static("/static/console.css", str(STATIC / "console.css"), name="console_css")

    @bp.get("/")
    async def home(_: Request) -> HTTPResponse:
        return _redirect("/console/leads")

    @bp.get("/login")
    async def login_form(request: Request) -> HTTPResponse:
        return _login_page(request, Html(_message(t("session_expired")) if request.args.get("expired") else ""))

    def _login_page(request: Request, message: Html, status: int = 200, username: str = "") -> HTTPResponse:
        token = csrf.new_token()
        body = render("login.html", message=message, csrf_token=token, username=username)
        reply = _page(t("login_title"), body, None, status)
        _set_cookie(request, reply, csrf.LOGIN_COOKIE, token)
        return reply

    @bp.post("/login")
    async def login(request: Request) -> HTTPResponse:
        if not csrf.matches(request.cookies.get(csrf.LOGIN_COOKIE), request.form.get(csrf.FIELD)):
            return _login_page(request, _message(t("csrf_text"), "error"), 403)
        username = (request.form.get("username") or "").strip()[:200]
        password = request.form.get("password") or ""
        if not username or not password:
            return _login_page(request, _message(t("login_failed"), "error"), 400, username[:64])
        outcome = await attempt_login(request, username, password, sessions.BROWSER)
        if outcome.token is None:
            key, status = ("login_locked", 429) if outcome.reason == "locked" else ("login_failed", 401)
            return _login_page(request, _message(t(key), "error"), status, username[:64])
        reply = _redirect("/console/leads")
        _set_cookie(request, reply, COOKIE, outcome.token)
        _clear_cookie(reply, csrf.LOGIN_COOKIE)
        return reply

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
        try:
            filters = queries.Filters.parse(first_args(request))
        except queries.FilterError as exc:
            return _page(t("leads_title"), _message(t("bad_filter", problem=str(exc)), "error"), live, 400)

        def work(session: Session) -> tuple[queries.LeadPage, list[tuple[str, str]]]:
            page = queries.list_leads(session, live.actor, filters)
            sites = [(s.code, s.name_en) for s in queries.visible_sites(session, live.actor)]
            record(session, request, live.actor.audit_name, "leads.viewed",
                   detail={"filters": filters.audit(), "shown": len(page.leads), "total": page.total})
            return page, sites

        page, sites = await in_transaction(request, work)
        return _page(t("leads_title"), _list_body(page, sites, live.actor), live)

    @bp.get("/leads.csv")
    @signed_in
    async def lead_csv(request: Request, live: sessions.LiveSession) -> HTTPResponse:
        try:
            filters = queries.Filters.parse(first_args(request))
        except queries.FilterError as exc:
            return _page(t("leads_title"), _message(t("bad_filter", problem=str(exc)), "error"), live, 400)
        body = await export_csv(request, live.actor, filters)
        return csv_reply(body)

    @bp.get("/leads/<lead_id:str>")
    @signed_in
    async def lead_page(request: Request, live: sessions.LiveSession, lead_id: str) -> HTTPResponse:
        message = Html(_message(t("status_changed"), "ok") if request.args.get("changed") else "")
        return await _lead_page(request, live, lead_id, message)

    async def _lead_page(
        request: Request, live: sessions.LiveSession, lead_id: str, message: Html, status: int = 200
    ) -> HTTPResponse:
        opened = await open_lead(request, live.actor, lead_id)
        if opened is None:
            return _error(live, 404, "not_found")
        return _page(t("lead_title"), _lead_body(opened.lead, opened.transcript, live, message), live, status)

    @bp.post("/leads/<lead_id:str>/status")
    @signed_in
    async def lead_status(request: Request, live: sessions.LiveSession, lead_id: str) -> HTTPResponse:
        new_status = (request.form.get("status") or "").strip()
        note = (request.form.get("note") or "").strip()
        version_raw = (request.form.get("version") or "").strip()
        version = int(version_raw) if version_raw.isdigit() else None
        if not note or len(note) > queries.MAX_NOTE_CHARS:
            key = "note_required" if not note else "note_too_long"
            return await _lead_page(request, live, lead_id, _message(t(key, n=queries.MAX_NOTE_CHARS), "error"), 400)

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
            return _error(live, 404, "not_found")
        return await _lead_page(request, live, lead_id, _message(t(outcome), "error"), 409)

    @bp.get("/audit")
    @signed_in
    async def audit_log(request: Request, live: sessions.LiveSession) -> HTTPResponse:
        if not live.actor.is_admin:
            await in_transaction(request, lambda s: record(s, request, live.actor.audit_name, "audit.refused"))
            return _error(live, 403, "forbidden")
        raw = first_args(request).get("page", "1")
        number = int(raw) if raw.isdigit() and 0 < int(raw) <= 1_000_000 else 1
        entries, total = await in_transaction(
            request, lambda s: read_audit(s, request, live.actor, number, AUDIT_PER_PAGE)
        )
        rows = [
            render("audit_row.html", at=_when(e.at), actor=e.actor, action=e.action,
                   entity=f"{e.entity_type or ''} {e.entity_id or ''}".strip(), source=e.source or "",
                   detail=json.dumps(e.detail, ensure_ascii=False, sort_keys=True))
            for e in entries
        ] or [render("empty_row.html", span=6)]
        pages = max(1, -(-total // AUDIT_PER_PAGE))
        links = _pagination(lambda n: "/console/audit?" + urlencode({"page": n}), number, pages)
        body = render("audit.html", rows=join(rows), pagination=links)
        return _page(t("audit_title"), body, live)

    return bp


def read_audit(
    session: Session, request: Request, actor: Actor, page: int, per_page: int
) -> tuple[list[AuditRow], int]:
    """Newest first; reading the log is itself audited (admins only: checked by the callers)."""
    total = session.scalar(select(func.count()).select_from(AuditRow)) or 0
    query = select(AuditRow).order_by(AuditRow.id.desc()).limit(per_page).offset((page - 1) * per_page)
    rows = list(session.scalars(query))
    record(session, request, actor.audit_name, "audit.viewed", detail={"page": page})
    return rows, total


async def export_csv(request: Request, actor: Actor, filters: queries.Filters) -> str:
    """Every lead under the filters (no pagination), site-scoped, audited."""

    def work(session: Session) -> str:
        page = queries.list_leads(session, actor, filters, paginate=False)
        record(session, request, actor.audit_name, "leads.exported",
               detail={"filters": filters.audit(), "rows": len(page.leads)})
        return export.to_csv(page.leads, {c: t(f"csv_{c}") for c in export.COLUMNS})

    return await in_transaction(request, work)


def csv_reply(body: str) -> HTTPResponse:
    name = f"leads-{date.today().isoformat()}.csv"
    return response.text(
        body,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', **NO_STORE},
    )


def _pagination(url: Callable[[int], str], page: int, pages: int) -> Html:
    links = []
    if page > 1:
        links.append(render("page_link.html", url=url(page - 1), rel="prev", label=t("page_prev")))
    if page < pages:
        links.append(render("page_link.html", url=url(page + 1), rel="next", label=t("page_next")))
    return join(links)


def _site_name(code: str) -> str:
    """The site's display name from the sites file, or its code if the file no longer lists it."""
    site = load_sites().get(code)
    return site.name() if site else code


def _list_body(page: queries.LeadPage, sites: list[tuple[str, str]], actor: Actor) -> Html:
    filters = page.filters
    counts = join(
        [
            render("count.html", url="/console/leads?" + urlencode(filters.query_args(status=s, page=None)),
                   label=t(f"status_{s}"), count=page.counts.get(s, 0))
            for s in LEAD_STATUSES
        ]
    )
    names = dict(sites)
    rows = [
        render("lead_row.html", created=_when(lead.created_at), id=lead.id, name=lead.name,
               site=names.get(lead.site_code, lead.site_code),
               outcome=t(f"outcome_{lead.screening.status}"), status=t(f"status_{lead.status}"))
        for lead in page.leads
    ] or [render("empty_row.html", span=5)]
    site_filter = (
        render("site_filter.html", site_options=_options(sites, filters.site)) if actor.is_admin else Html("")
    )
    return render(
        "leads.html",
        message=Html(""),
        counts=counts,
        status_options=_options([(s, t(f"status_{s}")) for s in LEAD_STATUSES], filters.status),
        site_filter=site_filter,
        outcome_options=_options([(s, t(f"outcome_{s}")) for s in SCREENING_STATUSES], filters.outcome),
        sort_options=_options([(s, t("sort_" + s.replace("-", "desc_"))) for s in queries.SORTS], filters.sort),
        **{"from": filters.created_from.isoformat() if filters.created_from else "",
           "to": filters.created_to.isoformat() if filters.created_to else ""},
        summary=t("summary", total=page.total, page=filters.page, pages=page.pages),
        export_url="/console/leads.csv?" + urlencode(filters.query_args(page=None, per_page=None)),
        rows=join(rows),
        pagination=_pagination(
            lambda n: "/console/leads?" + urlencode(filters.query_args(page=str(n) if n > 1 else None)),
            filters.page, page.pages,
        ),
    )


def _answer(value: Any) -> str:
    if value is True:
        return t("yes")
    if value is False:
        return t("no")
    if value is None:
        return t("not_given")
    return str(value)


def _lead_body(lead: Any, lines: list[Any], live: sessions.LiveSession, message: Html) -> Html:
    screening = lead.screening
    criteria = [
        render("criterion_row.html", id=c.get("id", ""), result_code=c.get("result", ""),
               result=t(f"result_{c.get('result', 'unknown')}"), explanation=c.get("explanation", ""))
        for c in screening.result or []
    ] or [render("empty_row.html", span=3)]
    answers = [
        render("answer_row.html", field=name, value=_answer(value)) for name, value in (screening.answers or {}).items()
    ] or [render("empty_row.html", span=2)]
    notes = [
        render("note_item.html", at=_when(n.created_at), author=n.author, text=n.text or "",
               change=(t("note_change", old=t(f"status_{n.from_status}"), new=t(f"status_{n.to_status}"))
                       if n.from_status and n.to_status else t("note_no_change")))
        for n in lead.notes
    ] or [render("empty_item.html")]
    spoken = [
        render("transcript_line.html", speaker_code=line.speaker, speaker=t(f"speaker_{line.speaker}"), text=line.text)
        for line in lines
    ] or [render("empty_item.html")]
    allowed = queries.next_statuses(lead)
    if allowed:
        options = _options([(s, t(f"status_{s}")) for s in allowed], None)
        status_form = render("status_form.html", id=lead.id, csrf_token=live.csrf_token, version=lead.version,
                             options=options)
    else:
        status_form = render("final_status.html")
    return render(
        "lead.html",
        message=message,
        name=lead.name,
        phone=lead.phone or t("not_given"),
        wechat_id=lead.wechat_id or t("not_given"),
        preferred_time=lead.preferred_time or t("not_given"),
        site=_site_name(lead.site_code),
        status=t(f"status_{LeadStatus(lead.status).value}"),
        created=_when(lead.created_at),
        outcome=t(f"outcome_{screening.status}"),
        eligible_from=_when(screening.eligible_from),
        protocol_version=screening.protocol_version,
        as_of=_when(screening.as_of),
        criteria=join(criteria),
        answers=join(answers),
        status_form=status_form,
        notes=join(notes),
        transcript=join(spoken),
    )
