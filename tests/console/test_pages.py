"""The console's HTML pages through the real HTTP stack: login, sessions, CSRF, scoping, workflow, CSV, audit."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.store.models import AuditRow, ConsoleSessionRow, LeadRow, utcnow
from tests.console.conftest import FORMULA_NAME, Seeded
from tests.console.harness import PASSWORD, Client, seed_lead, seed_user


def _audit(seeded: Seeded, action: str, actor: str | None = None) -> list[AuditRow]:
    with seeded.database.transaction() as session:
        query = select(AuditRow).where(AuditRow.action == action)
        if actor:
            query = query.where(AuditRow.actor == actor)
        return list(session.scalars(query.order_by(AuditRow.id)))


def _lead_ids(page: str) -> list[str]:
    return re.findall(r'href="/console/leads/([0-9a-f-]{36})"', page)


def _signed_in(seeded: Seeded, username: str) -> Client:
    client = seeded.console.client()
    reply = client.login(username)
    assert reply.status == 303 and reply.header("Location") == "/console/leads", reply.text[:300]
    return client


def test_pages_need_a_session(seeded: Seeded) -> None:
    client = seeded.console.client()
    for path in ("/console/leads", f"/console/leads/{seeded.beijing_lead}", "/console/leads.csv", "/console/audit"):
        reply = client.get(path)
        assert reply.status == 303 and reply.header("Location").startswith("/console/login"), path


def test_login_sets_a_strict_httponly_cookie_and_is_audited(seeded: Seeded) -> None:
    client = seeded.console.client()
    reply = client.login("bj")
    assert reply.status == 303
    set_cookie = reply.header("Set-Cookie")
    assert "console_session=" in set_cookie and "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie
    assert "Secure" not in set_cookie  # plain http on loopback; https requests get Secure
    page = client.get("/console/leads")
    assert page.status == 200 and "bj" in page.text and page.header("Cache-Control") == "no-store"
    row = _audit(seeded, "console.login", "console:bj")[-1]
    assert row.source == "127.0.0.1" and row.entity_type == "console_user"


def test_secure_cookie_when_the_request_came_over_https_via_a_trusted_proxy(seeded: Seeded) -> None:
    """Without CONSOLE_TRUST_PROXY the header is ignored (anyone could send it)."""
    client = seeded.console.client()
    page = client.request("GET", "/console/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in (page.header("Set-Cookie") or "")


def test_wrong_password_is_refused_and_audited(seeded: Seeded) -> None:
    client = seeded.console.client()
    reply = client.login("admin", "not the password at all")
    assert reply.status == 401 and "not right" in reply.text
    assert client.cookie("console_session") is None
    assert _audit(seeded, "console.login_failed", "console:admin")


def test_lockout_after_repeated_failures_even_with_the_right_password(seeded: Seeded) -> None:
    seed_user(seeded.database, "locky", "coordinator", "beijing")
    client = seeded.console.client()
    statuses = [client.login("locky", f"wrong password {n}").status for n in range(3)]
    assert statuses == [401, 401, 429]  # CONSOLE_LOCK_AFTER=3 for these tests
    assert client.login("locky").status == 429
    assert _audit(seeded, "console.login_locked", "console:locky")
    # The lock ends after CONSOLE_LOCK_SECONDS: move it into the past instead of waiting.
    from bot.store.models import LoginThrottleRow

    with seeded.database.transaction() as session:
        session.execute(update(LoginThrottleRow).where(LoginThrottleRow.key == "user:locky")
                        .values(locked_until=utcnow() - timedelta(seconds=1)))
    assert client.login("locky").status == 303


def test_login_form_needs_its_csrf_token(seeded: Seeded) -> None:
    client = seeded.console.client()
    client.get("/console/login")
    missing = client.form("/console/login", {"username": "admin", "password": PASSWORD})
    wrong = client.form("/console/login", {"username": "admin", "password": PASSWORD, "csrf_token": "forged"})
    assert missing.status == 403 and wrong.status == 403
    assert client.cookie("console_session") is None


def test_forms_need_the_session_csrf_token(seeded: Seeded) -> None:
    lead, _ = seed_lead(seeded.database, "conv-csrf", "beijing")
    client = _signed_in(seeded, "bj")
    for token in (None, "forged-token"):
        fields = {"status": "contacted", "note": "called"}
        if token:
            fields["csrf_token"] = token
        reply = client.form(f"/console/leads/{lead}/status", fields)
        assert reply.status == 403
    with seeded.database.transaction() as session:
        assert session.get(LeadRow, lead).status == "new"
    assert _audit(seeded, "console.csrf_refused", "console:bj")
    assert client.form("/console/logout", {}).status == 403  # logout is a form too


def test_logout_ends_the_session_on_the_server(seeded: Seeded) -> None:
    client = _signed_in(seeded, "ks")
    page = client.get("/console/leads")
    cookie = client.cookie("console_session").value
    reply = client.form("/console/logout", {"csrf_token": client.csrf_from(page)})
    assert reply.status == 303 and reply.header("Location") == "/console/login"
    replay = seeded.console.client()
    reply = replay.request("GET", "/console/leads", headers={"Cookie": f"console_session={cookie}"})
    assert reply.status == 303  # the old cookie is worthless
    assert _audit(seeded, "console.logout", "console:ks")


def test_idle_session_ends(seeded: Seeded) -> None:
    client = _signed_in(seeded, "bj")
    assert client.get("/console/leads").status == 200
    with seeded.database.transaction() as session:
        session.execute(update(ConsoleSessionRow).values(last_seen_at=utcnow() - timedelta(hours=2)))
    reply = client.get("/console/leads")
    assert reply.status == 303 and reply.header("Location") == "/console/login?expired=1"


@pytest.mark.parametrize(
    ("user", "lead_attr", "expected"),
    [
        ("admin", "beijing_lead", 200), ("admin", "kunshan_lead", 200),
        ("bj", "beijing_lead", 200), ("bj", "kunshan_lead", 404),
        ("ks", "kunshan_lead", 200), ("ks", "beijing_lead", 404),
    ],
)
def test_every_role_and_site_sees_only_its_leads(seeded: Seeded, user: str, lead_attr: str, expected: int) -> None:
    client = _signed_in(seeded, user)
    lead_id = getattr(seeded, lead_attr)
    page = client.get(f"/console/leads/{lead_id}")
    assert page.status == expected
    listing = client.get("/console/leads?per_page=200").text
    assert (lead_id in listing) == (expected == 200)
    if expected == 404:
        assert "Chen Jing" not in page.text and "Zhang Wei" not in page.text
        assert _audit(seeded, "lead.not_found", f"console:{user}")
    else:
        assert any(r.entity_id == lead_id for r in _audit(seeded, "lead.viewed", f"console:{user}"))


def test_coordinator_cannot_change_another_sites_lead(seeded: Seeded) -> None:
    client = _signed_in(seeded, "bj")
    page = client.get("/console/leads")
    reply = client.form(f"/console/leads/{seeded.kunshan_lead}/status",
                        {"csrf_token": client.csrf_from(page), "status": "contacted", "note": "x"})
    assert reply.status == 404
    with seeded.database.transaction() as session:
        assert session.get(LeadRow, seeded.kunshan_lead).status == "new"


def test_lead_page_shows_contact_criteria_answers_and_transcript(seeded: Seeded) -> None:
    client = _signed_in(seeded, "bj")
    page = client.get(f"/console/leads/{seeded.beijing_lead}")
    assert page.status == 200
    assert "Zhang Wei" in page.text and "+8613800138000" in page.text and "weekday mornings" in page.text
    assert "2025-07-22" in page.text  # protocol version
    assert ">Beijing<" in page.text  # the site's name from the sites file, not its code
    assert page.text.count("<tr class=\"result-") == 18  # every criterion
    # The answers, labelled by their question (the field name stays only as a data attribute).
    assert '<tr data-field="type2_diabetes"><th scope="row">Type 2 diabetes</th><td>yes</td></tr>' in page.text
    assert '<th scope="row">type2_diabetes</th>' not in page.text
    assert '<span class="criterion-id">I1</span> Type 2 diabetes</th>' in page.text  # criterion titles
    assert '<dd data-testid="screening-language">English</dd>' in page.text  # the person screened in English
    assert "Do you have type 2 diabetes?" in page.text and "yes I do" in page.text  # the transcript


def test_html_escapes_what_participants_typed(seeded: Seeded) -> None:
    lead, _ = seed_lead(seeded.database, "conv-xss", "beijing", "<script>alert(1)</script> {{ csrf_token }}")
    client = _signed_in(seeded, "bj")
    page = client.get(f"/console/leads/{lead}")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ csrf_token }}" in page.text


def test_status_workflow_with_notes(seeded: Seeded) -> None:
    lead, _ = seed_lead(seeded.database, "conv-flow", "beijing")
    client = _signed_in(seeded, "bj")
    page = client.get(f"/console/leads/{lead}")
    token = client.csrf_from(page)

    def move(status: str, note: str = "done") -> int:
        fields = {"csrf_token": token, "status": status, "note": note}
        return client.form(f"/console/leads/{lead}/status", fields).status

    assert move("enrolled") == 409  # new -> enrolled skips steps
    assert move("contacted", "") == 400  # a note is required
    assert move("contacted", "called, will book a visit") == 303
    assert move("scheduled") == 303
    assert move("new") == 409
    assert move("enrolled") == 303
    assert move("withdrawn") == 303
    assert move("contacted") == 409  # withdrawn is final
    page = client.get(f"/console/leads/{lead}?changed=1")
    assert "called, will book a visit" in page.text and "status is final" in page.text
    changes = [r.detail for r in _audit(seeded, "lead.status_changed") if r.entity_id == lead]
    assert [c["to"] for c in changes] == ["contacted", "scheduled", "enrolled", "withdrawn"]


def test_stale_version_is_refused(seeded: Seeded) -> None:
    lead, _ = seed_lead(seeded.database, "conv-stale", "beijing")
    client = _signed_in(seeded, "bj")
    token = client.csrf_from(client.get(f"/console/leads/{lead}"))
    first = client.form(f"/console/leads/{lead}/status",
                        {"csrf_token": token, "status": "contacted", "note": "a", "version": "1"})
    second = client.form(f"/console/leads/{lead}/status",
                         {"csrf_token": token, "status": "not_eligible", "note": "b", "version": "1"})
    assert (first.status, second.status) == (303, 409)


def test_list_filters_sort_pagination_and_counts(seeded: Seeded) -> None:
    admin = _signed_in(seeded, "admin")
    everything = admin.get("/console/leads?per_page=200")
    assert "Chen Jing" in everything.text and "Zhang Wei" in everything.text
    kunshan = admin.get("/console/leads?site=kunshan&per_page=200").text
    assert "Chen Jing" in kunshan and "Zhang Wei" not in kunshan
    reviewed = admin.get("/console/leads?outcome=ineligible&per_page=200").text
    assert "Li Na" in reviewed and "Zhang Wei" not in reviewed  # no type 2 diabetes: not eligible
    by_name = admin.get("/console/leads?sort=name&per_page=200").text
    assert by_name.index("Chen Jing") < by_name.index("Li Na") < by_name.index("Zhang Wei")
    ordered = _lead_ids(by_name)
    paged = [_lead_ids(admin.get(f"/console/leads?per_page=1&sort=name&page={n}").text) for n in (1, 2, 3)]
    assert paged == [[ordered[0]], [ordered[1]], [ordered[2]]]
    assert 'rel="next"' in admin.get("/console/leads?per_page=1&sort=name").text
    future = admin.get("/console/leads?from=2999-01-01").text
    assert "Nothing to show." in future
    assert "New: <strong>" in everything.text
    assert admin.get("/console/leads?status=bogus").status == 400
    assert admin.get("/console/leads?from=yesterday").status == 400
    assert admin.get("/console/leads?page=0").status == 400
    coordinator = _signed_in(seeded, "bj")
    forced = coordinator.get("/console/leads?site=kunshan&per_page=200").text
    assert "Chen Jing" not in forced  # the site filter cannot widen a coordinator's scope


def test_csv_export_is_site_scoped_formula_safe_and_audited(seeded: Seeded) -> None:
    client = _signed_in(seeded, "bj")
    reply = client.get("/console/leads.csv")
    assert reply.status == 200 and reply.header("Content-Type").startswith("text/csv")
    assert "attachment" in reply.header("Content-Disposition")
    rows = list(csv.DictReader(io.StringIO(reply.text)))
    assert rows and {r["Site"] for r in rows} == {"beijing"}
    names = {r["Name"] for r in rows}
    assert "Chen Jing" not in names
    assert "'" + FORMULA_NAME in names and FORMULA_NAME not in names
    assert all(r["Phone"].startswith("'+") for r in rows)  # "+86..." would be read as a formula too
    exported = _audit(seeded, "leads.exported", "console:bj")[-1]
    assert exported.detail["rows"] == len(rows)


def test_audit_log_page_is_for_admins(seeded: Seeded) -> None:
    assert _signed_in(seeded, "bj").get("/console/audit").status == 403
    page = _signed_in(seeded, "admin").get("/console/audit")
    assert page.status == 200 and "console.login" in page.text
    assert _audit(seeded, "audit.viewed", "console:admin")
