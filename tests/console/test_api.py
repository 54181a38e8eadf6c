"""The console's JSON API through the real HTTP stack: tokens, scoping, workflow, CSV, forget, audit, errors."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from bot.store.models import AuditRow, LeadRow, ScreeningRow
from tests.console.conftest import FORMULA_NAME, Seeded
from tests.console.harness import seed_lead, seed_transcript


@pytest.fixture(scope="module")
def tokens(seeded: Seeded) -> dict[str, str]:
    client = seeded.console.client()
    return {user: client.token(user) for user in ("admin", "bj", "ks")}


def _actions(seeded: Seeded, actor: str) -> list[str]:
    with seeded.database.transaction() as session:
        return list(session.scalars(select(AuditRow.action).where(AuditRow.actor == actor).order_by(AuditRow.id)))


def test_token_is_issued_and_audited(seeded: Seeded) -> None:
    body = {"username": "ks", "password": "correct horse battery"}
    reply = seeded.console.client().send_json("POST", "/api/auth/token", body)
    assert reply.status == 200 and reply.json()["token_type"] == "bearer" and len(reply.json()["access_token"]) > 30
    assert "api.token" in _actions(seeded, "console:ks")


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"not json", 400),
        (b"[]", 400),
        (b'{"username": "admin"}', 400),
        (b'{"username": 5, "password": "x"}', 400),
        (b'{"username": "admin", "password": "wrong wrong wrong"}', 401),
        (b'{"username": "nobody", "password": "wrong wrong wrong"}', 401),
    ],
)
def test_token_errors(seeded: Seeded, raw: bytes, status: int) -> None:
    reply = seeded.console.client().send_json("POST", "/api/auth/token", None, raw=raw)
    assert reply.status == status and reply.json()["error"] and reply.json()["reason"]


def test_no_or_bad_token_is_401_and_cookies_are_not_accepted(seeded: Seeded) -> None:
    client = seeded.console.client()
    assert client.get("/api/leads").status == 401
    assert client.get("/api/leads", token="made-up").status == 401
    assert client.get("/api/leads").header("WWW-Authenticate").startswith("Bearer")
    client.login("admin")  # a browser session cookie must not work on the API (no CSRF there)
    assert client.cookie("console_session") is not None
    assert client.get("/api/leads").status == 401


@pytest.mark.parametrize(
    ("user", "lead_attr", "expected"),
    [
        ("admin", "beijing_lead", 200), ("admin", "kunshan_lead", 200),
        ("bj", "beijing_lead", 200), ("bj", "kunshan_lead", 404),
        ("ks", "kunshan_lead", 200), ("ks", "beijing_lead", 404),
    ],
)
def test_every_role_and_site_through_the_api(
    seeded: Seeded, tokens: dict[str, str], user: str, lead_attr: str, expected: int
) -> None:
    client = seeded.console.client()
    lead_id = getattr(seeded, lead_attr)
    reply = client.get(f"/api/leads/{lead_id}", tokens[user])
    assert reply.status == expected
    listed = {lead["id"] for lead in client.get("/api/leads?per_page=200", tokens[user]).json()["leads"]}
    assert (lead_id in listed) == (expected == 200)
    patched = client.send_json("PATCH", f"/api/leads/{lead_id}", {"status": "bogus", "note": "x"}, tokens[user])
    assert patched.status == (409 if expected == 200 else 404)  # scope is checked before anything else


def test_coordinator_list_is_site_scoped_even_with_a_site_filter(seeded: Seeded, tokens: dict[str, str]) -> None:
    client = seeded.console.client()
    body = client.get("/api/leads?site=kunshan&per_page=200", tokens["bj"]).json()
    assert body["leads"] == [] and body["total"] == 0
    own = client.get("/api/leads?per_page=200", tokens["bj"]).json()
    assert own["leads"] and {lead["site"] for lead in own["leads"]} == {"beijing"}
    assert sum(own["counts"].values()) == own["total"]


def test_lead_detail_has_criteria_answers_and_transcript(seeded: Seeded, tokens: dict[str, str]) -> None:
    body = seeded.console.client().get(f"/api/leads/{seeded.beijing_lead}", tokens["bj"]).json()
    assert body["contact"]["phone"] == "+8613800138000"
    assert len(body["screening"]["criteria"]) == 18 and body["screening"]["answers"]["age"] == 62
    assert body["screening"]["protocol_version"] == "2025-07-22"
    assert [line["speaker"] for line in body["transcript"]] == ["bot", "user"]
    assert "contacted" in body["allowed_statuses"]


def test_patch_workflow_and_errors(seeded: Seeded, tokens: dict[str, str]) -> None:
    lead, _ = seed_lead(seeded.database, "conv-api-flow", "kunshan")
    client = seeded.console.client()
    token = tokens["ks"]
    path = f"/api/leads/{lead}"
    assert client.send_json("PATCH", path, None, token, raw=b"{bad").status == 400
    assert client.send_json("PATCH", path, {"status": "contacted"}, token).status == 400  # note missing
    assert client.send_json("PATCH", path, {"status": "contacted", "note": "  "}, token).status == 400
    assert client.send_json("PATCH", path, {"status": 3, "note": "x"}, token).status == 400
    refused = client.send_json("PATCH", path, {"status": "enrolled", "note": "x"}, token)
    assert refused.status == 409 and "allowed" in refused.json()["error"]
    moved = client.send_json("PATCH", path, {"status": "contacted", "note": "phoned", "version": 1}, token)
    assert moved.status == 200 and moved.json()["status"] == "contacted" and moved.json()["version"] == 2
    assert moved.json()["notes"][-1]["text"] == "phoned"
    stale = client.send_json("PATCH", path, {"status": "scheduled", "note": "x", "version": 1}, token)
    assert stale.status == 409 and stale.json()["reason"] == "conflict"
    missing = client.send_json("PATCH", "/api/leads/does-not-exist", {"status": "contacted", "note": "x"}, token)
    assert missing.status == 404


def test_bad_filters_are_400(seeded: Seeded, tokens: dict[str, str]) -> None:
    client = seeded.console.client()
    for query in ("status=open", "outcome=maybe", "from=2026-13-01", "page=0", "per_page=1000", "sort=random"):
        reply = client.get(f"/api/leads?{query}", tokens["admin"])
        assert reply.status == 400 and reply.json()["reason"] == "bad_filter", query


def test_csv_through_the_api_is_scoped_and_formula_safe(seeded: Seeded, tokens: dict[str, str]) -> None:
    reply = seeded.console.client().get("/api/leads.csv", tokens["ks"])
    rows = list(csv.DictReader(io.StringIO(reply.text)))
    assert reply.status == 200 and rows and {r["Site"] for r in rows} == {"kunshan"}
    admin_rows = list(csv.DictReader(io.StringIO(seeded.console.client().get("/api/leads.csv", tokens["admin"]).text)))
    formula = [r for r in admin_rows if r["Name"].endswith(FORMULA_NAME)]
    assert [r["Name"] for r in formula] == ["'" + FORMULA_NAME]


def test_forget_is_admin_only_and_removes_the_person_and_transcript(seeded: Seeded, tokens: dict[str, str]) -> None:
    lead, screening = seed_lead(seeded.database, "conv-forget", "beijing")
    seed_transcript(seeded.console.tracker_url, "conv-forget", [("user", "hello")])
    client = seeded.console.client()
    assert client.request("DELETE", f"/api/people/{screening}",
                          headers={"Authorization": f"Bearer {tokens['bj']}"}).status == 403
    done = client.request("DELETE", f"/api/people/{screening}", headers={"Authorization": f"Bearer {tokens['admin']}"})
    assert done.status == 200 and done.json() == {"screenings": 1, "leads": 1, "tracker_events": 1}
    with seeded.database.transaction() as session:
        assert session.get(LeadRow, lead) is None and session.get(ScreeningRow, screening) is None
    again = client.request("DELETE", f"/api/people/{screening}", headers={"Authorization": f"Bearer {tokens['admin']}"})
    assert again.status == 404
    assert "person.forgotten" in _actions(seeded, "console:admin")
    assert "person.forget_refused" in _actions(seeded, "console:bj")


def test_audit_api_is_admin_only_and_lists_views(seeded: Seeded, tokens: dict[str, str]) -> None:
    client = seeded.console.client()
    assert client.get("/api/audit", tokens["ks"]).status == 403
    client.get(f"/api/leads/{seeded.kunshan_lead}", tokens["ks"])
    body = client.get("/api/audit", tokens["admin"]).json()
    seen = [(e["actor"], e["action"], e["entity_id"]) for e in body["entries"]]
    assert ("console:ks", "lead.viewed", seeded.kunshan_lead) in seen
    assert all(e["source"] for e in body["entries"] if e["actor"].startswith("console:"))
    assert client.get("/api/audit?page=x", tokens["admin"]).status == 400


def test_audit_rows_hold_no_health_or_contact_data(seeded: Seeded) -> None:
    with seeded.database.transaction() as session:
        rows = list(session.scalars(select(AuditRow)))
    text = repr([(r.actor, r.action, r.detail) for r in rows])
    assert rows and "Zhang Wei" not in text and "+8613800138000" not in text and "type2_diabetes" not in text


def test_openapi_document_is_served(seeded: Seeded) -> None:
    body = seeded.console.client().get("/api/openapi.json").json()
    assert body["openapi"].startswith("3.") and "/api/leads/{lead_id}" in body["paths"]


def test_participant_routes_are_unaffected(seeded: Seeded) -> None:
    client = seeded.console.client()
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/api/strings").status == 200
