"""The web app's HTTP surface: headers, limits, the server-issued id, and nothing of Rasa's exposed."""

from __future__ import annotations

import http.cookiejar
import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.e2e.servers import Servers
from tests.web.webapp import WebApp


class Client:
    """One browser-like client with its own cookie jar."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None, raw: bytes | None = None
    ) -> tuple[int, Any, Any]:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        sent = {"Content-Type": "application/json"} if data is not None else {}
        sent.update(headers or {})
        request = urllib.request.Request(self.base + path, data=data, headers=sent, method=method)
        try:
            with self.opener.open(request, timeout=60) as reply:
                content = reply.read()
                status, reply_headers = reply.status, reply.headers
        except urllib.error.HTTPError as error:
            content, status, reply_headers = error.read(), error.code, error.headers
        is_json = (reply_headers.get("Content-Type") or "").startswith("application/json")
        return status, reply_headers, json.loads(content) if is_json else content.decode(errors="replace")

    def cookie(self) -> str | None:
        return next((c.value for c in self.jar if c.name == "conversation"), None)


@pytest.mark.parametrize("path", ["/", "/static/chat.js", "/static/chat.css", "/api/strings", "/api/history"])
def test_security_headers_everywhere(web: WebApp, path: str) -> None:
    status, headers, _ = Client(web.url).request("GET", path)
    assert status == 200
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"


def test_the_page_sets_no_cookie_and_the_api_sets_a_strict_httponly_one(web: WebApp) -> None:
    status, headers, _ = Client(web.url).request("GET", "/")
    assert status == 200 and "Set-Cookie" not in headers  # a cross-site link must not replace the conversation
    status, headers, body = Client(web.url).request("GET", "/api/history")
    cookie = headers["Set-Cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie and "max-age=" in cookie
    assert body["messages"] == [] and headers["Cache-Control"] == "no-store"


def test_limits_and_bad_requests_get_json_with_a_message(web: WebApp) -> None:
    client = Client(web.url)
    status, _, body = client.request("POST", "/api/chat", {"message": "a" * 2001})
    assert status == 413 and "2000" in body["error"]
    status, _, body = client.request("POST", "/api/chat", {"message": "a" * 30_000})
    assert status == 413 and "too long" in body["error"]  # over the request size limit, refused before reading
    for bad in ({}, {"message": 5}, [], "text"):
        status, _, body = client.request("POST", "/api/chat", bad)
        assert status == 400 and body["error"]
    status, _, body = client.request("POST", "/api/chat", {"message": "   "})
    assert status == 400 and "type a message" in body["error"]
    status, _, body = client.request("POST", "/api/chat", raw=b"message=hi", headers={"Content-Type": "text/plain"})
    assert status == 415


def test_cross_site_posts_are_refused(web: WebApp) -> None:
    client = Client(web.url)
    status, _, _ = client.request("POST", "/api/chat", {"message": "hi"}, headers={"Origin": "https://evil.example"})
    assert status == 403
    status, _, _ = client.request("POST", "/api/forget", {}, headers={"Sec-Fetch-Site": "cross-site"})
    assert status == 403


@pytest.mark.parametrize(
    "path", ["/socket.io/?EIO=4&transport=polling", "/webhooks/rest/webhook", "/conversations/x/tracker", "/status"]
)
def test_none_of_rasas_endpoints_are_reachable_through_the_web_app(web: WebApp, path: str) -> None:
    status, _, _ = Client(web.url).request("GET", path)
    assert status == 404


@pytest.mark.parametrize("path", ["/static/", "/static", "/static/../app.py", "/static/missing.js"])
def test_only_the_listed_static_files_are_served(web: WebApp, path: str) -> None:
    status, _, _ = Client(web.url).request("GET", path)
    assert status == 404


def test_ids_from_the_body_query_or_a_bare_cookie_are_ignored(web: WebApp, web_servers: Servers) -> None:
    victim = Client(web.url)
    victim.request("POST", "/api/chat", {"message": "/start_screening"})
    victim.request("POST", "/api/chat", {"message": "/affirm"})
    victim_id = victim.cookie().rpartition(".")[0]
    before = web_servers.slots(victim_id)
    assert before["data_consent"] is True

    attacker = Client(web.url)
    attacker.jar.set_cookie(_cookie(victim_id))  # the bare id, without our signature
    status, _, body = attacker.request(
        "POST",
        f"/api/chat?sender={victim_id}&session_id={victim_id}",
        {"message": "/deny", "sender": victim_id, "session_id": victim_id, "conversation_id": victim_id},
    )
    assert status == 200 and attacker.cookie().rpartition(".")[0] != victim_id
    status, _, history = attacker.request("GET", f"/api/history?sender={victim_id}")
    assert all("type 2 diabetes" not in m["text"] for m in history["messages"])
    assert web_servers.slots(victim_id) == before  # the "/deny" did not reach the victim's conversation


def test_the_unreachable_assistant_is_a_503_with_a_message(web_without_rasa: WebApp) -> None:
    client = Client(web_without_rasa.url)
    client.request("GET", "/api/history")  # a new conversation: nothing to load, no Rasa needed
    status, _, body = client.request("POST", "/api/chat", {"message": "hello"})
    assert status == 503 and "cannot reach the assistant" in body["error"]
    status, _, body = client.request("GET", "/api/history")
    assert status == 503 and body["reason"] == "unreachable"


def _cookie(value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0, "conversation", value, None, False, "127.0.0.1", False, False, "/", True, False, None, False, None, None, {}
    )
