"""The real web app (``python -m bot.web``, console mounted) on a free loopback port, and an HTTP client.

The client keeps cookies like a browser, never follows redirects (tests look at them), and returns
status, headers and body for every answer, 4xx/5xx included.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from bot.console import accounts
from bot.store import prepare
from bot.store.db import Database, make_engine
from bot.store.leads import hand_off
from tests.e2e.servers import ROOT, free_port
from tests.store.helpers import contact, conversation, screened
from tests.web.webapp import WebApp

PASSWORD = "correct horse battery"
#: Rasa's SQL tracker store table, as Rasa 3.6 creates it (the columns the console reads).
EVENTS_DDL = (
    "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
    "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"
)


@dataclass
class Reply:
    status: int
    headers: Any
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Client:
    base: str
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(
        self, method: str, path: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Reply:
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {}, method=method)
        try:
            with self.opener.open(req, timeout=60) as answer:
                return Reply(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.headers, error.read())

    def get(self, path: str, token: str | None = None) -> Reply:
        return self.request("GET", path, headers={"Authorization": f"Bearer {token}"} if token else None)

    def form(self, path: str, fields: dict[str, str]) -> Reply:
        body = urllib.parse.urlencode(fields).encode()
        return self.request("POST", path, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})

    def send_json(self, method: str, path: str, body: Any, token: str | None = None, raw: bytes | None = None) -> Reply:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.request(method, path, data=raw if raw is not None else json.dumps(body).encode(), headers=headers)

    def cookie(self, name: str) -> http.cookiejar.Cookie | None:
        return next((c for c in self.jar if c.name == name), None)

    # --- the console's flows ---
    def csrf_from(self, page: Reply) -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert found, page.text[:500]
        return found.group(1)

    def login(self, username: str, password: str = PASSWORD) -> Reply:
        page = self.get("/console/login")
        fields = {"csrf_token": self.csrf_from(page), "username": username, "password": password}
        return self.form("/console/login", fields)

    def token(self, username: str, password: str = PASSWORD) -> str:
        reply = self.send_json("POST", "/api/auth/token", {"username": username, "password": password})
        assert reply.status == 200, reply.text
        return reply.json()["access_token"]


@dataclass
class Console:
    """A running web app (tests/web/webapp.py) with its own database and tracker database."""

    workdir: Path
    database_url: str
    tracker_url: str
    env_extra: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    app: WebApp | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self) -> Client:
        return Client(self.url)

    def database(self) -> Database:
        return Database(self.database_url)

    def start(self) -> None:
        env = dict(
            os.environ,
            PYTHONPATH=str(ROOT),
            DATABASE_URL=self.database_url,
            TRACKER_URL=self.tracker_url,
            WEB_SECRET="x" * 48,
            CONSOLE_LOGIN_DELAY="0.01",
            CONSOLE_LOCK_AFTER="3",
            CONSOLE_IP_LOCK_AFTER="100000",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            # The English tests read English; the Chinese ones switch per user (test_languages.py) or set zh here.
            CONSOLE_LANGUAGE="en",
        )
        env.update(self.env_extra)
        # No Rasa behind it: the console never talks to Rasa, only to its tracker database.
        self.app = WebApp(self.workdir, env, rasa_url=f"http://127.0.0.1:{free_port()}", port=self.port)
        self.app.start()

    def stop(self) -> None:
        if self.app is not None:
            self.app.stop()

    def log(self) -> str:
        return (self.workdir / f"web-{self.port}.log").read_text(errors="replace")


@contextmanager
def backend_url(backend: str, workdir: Path) -> Iterator[str]:
    """A database URL on SQLite, or in a fresh PostgreSQL schema dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{workdir / 'bot.db'}"
        return
    from tests.services import require_postgres

    url = require_postgres()
    schema = f"console_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, future=True)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def seed_user(database: Database, username: str, role: str, site: str | None, password: str = PASSWORD) -> None:
    with database.transaction() as session:
        accounts.create_user(session, username, role, site, password)


def seed_lead(database: Database, cid: str, site: str, name: str = "Wang Li", **answers: object) -> tuple[str, str]:
    """A handed-off lead (and its screening) as the assistant stores it; returns (lead id, screening id)."""
    validated, evaluation = screened(**answers)
    with database.transaction() as session:
        result = hand_off(session, conversation=conversation(cid), answers=validated, evaluation=evaluation,
                          contact=contact(name=name), site_code=site, source="test")
        return result.lead.id, result.lead.screening_id


def seed_transcript(tracker_url: str, sender: str, lines: list[tuple[str, str]]) -> None:
    engine = make_engine(tracker_url)
    with engine.begin() as connection:
        connection.execute(text(EVENTS_DDL))
        for n, (kind, words) in enumerate(lines):
            connection.execute(
                text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, :k, :t, :d)"),
                {"s": sender, "k": kind, "t": 1_764_000_000.0 + n, "d": json.dumps({"event": kind, "text": words})},
            )
    engine.dispose()


def prepared(url: str) -> Database:
    database = Database(url)
    prepare(database)
    return database
