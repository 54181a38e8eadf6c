"""New-lead notifications: written with the lead, delivered by the real worker process to a local webhook
receiver (HMAC checked) and a real SMTP server (aiosmtpd), surviving a SIGKILL between send and mark."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from bot.notify import webhook
from bot.store.db import Database
from bot.store.models import LeadRow, NotificationRow
from tests.console.harness import backend_url, prepared, seed_lead
from tests.e2e.servers import ROOT, VENV_BIN, free_port, wait_until

SECRETS = {"beijing": "beijing-secret-0123456789", "kunshan": "kunshan-secret-0123456789"}


class Receiver:
    """A site's webhook endpoint: checks the signature, records every delivery (duplicates included).

    It can fail the first attempt for one id (to exercise retries) and hold the first request it gets
    until released (so the test can kill the worker after sending, before it marks the row sent).
    """

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.bad_signatures = 0
        #: The first Kunshan delivery that is not the held one fails once (503).
        self.failed_id: str | None = None
        self.hold = threading.Event()
        self.holding = threading.Event()
        self.held_id: str | None = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                site = self.path.strip("/")
                if not webhook.verify(SECRETS[site], self.headers["X-Timestamp"], body, self.headers["X-Signature"]):
                    receiver.bad_signatures += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                payload = json.loads(body)
                assert payload["notification_id"] == self.headers["X-Notification-Id"]
                if receiver.held_id is None:
                    receiver.held_id = payload["notification_id"]
                    receiver.holding.set()
                    receiver.hold.wait(60)
                if site == "kunshan" and receiver.failed_id is None and payload["notification_id"] != receiver.held_id:
                    receiver.failed_id = payload["notification_id"]
                    self.send_response(503)
                    self.end_headers()
                    return
                receiver.received.append(payload)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with backend_url(request.param, tmp_path) as url:
        yield url


def _worker(url: str, receiver: Receiver, smtp_port: int, workdir: Path) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        DATABASE_URL=url,
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        NOTIFY_WEBHOOK_URL_BEIJING=f"{receiver.url}/beijing",
        NOTIFY_WEBHOOK_SECRET_BEIJING=SECRETS["beijing"],
        NOTIFY_WEBHOOK_URL_KUNSHAN=f"{receiver.url}/kunshan",
        NOTIFY_WEBHOOK_SECRET_KUNSHAN=SECRETS["kunshan"],
        NOTIFY_EMAIL_TO_BEIJING="coordinator@beijing.example",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp_port),
        SMTP_FROM="bot@example.org",
        CONSOLE_BASE_URL="https://console.example.org",
        NOTIFY_LEASE_SECONDS="2",
        NOTIFY_RETRY_BASE_SECONDS="0.2",
        NOTIFY_RETRY_CAP_SECONDS="1",
        NOTIFY_POLL_SECONDS="0.2",
    )
    log = open(workdir / "worker.log", "ab")
    return subprocess.Popen([str(VENV_BIN / "python"), "-m", "bot.notify"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)


def _rows(database: Database) -> list[NotificationRow]:
    with database.transaction() as session:
        rows = list(session.scalars(select(NotificationRow)))
        session.expunge_all()
        return rows


def _hand_off_then_fail(database: Database) -> None:
    from bot.store.leads import hand_off
    from tests.store.helpers import contact, conversation, screened

    answers, evaluation = screened()
    with database.transaction() as session:
        hand_off(session, conversation=conversation("conv-rolled-back"), answers=answers, evaluation=evaluation,
                 contact=contact(), site_code="beijing")
        session.flush()
        assert session.scalars(select(NotificationRow).where(NotificationRow.site_code == "beijing")).all()
        raise RuntimeError("crash before commit")


def test_lead_and_its_notifications_commit_together(db_url: str) -> None:
    database = prepared(db_url)
    try:
        lead, _ = seed_lead(database, "conv-n1", "beijing")
        seed_lead(database, "conv-n1", "beijing")  # an update of the same lead at the same site: no new rows
        assert sorted(r.channel for r in _rows(database)) == ["email", "webhook"]
        seed_lead(database, "conv-n1", "kunshan")  # moved to another site: that site hears of it
        assert Counter(r.site_code for r in _rows(database)) == {"beijing": 2, "kunshan": 2}
        assert {r.lead_id for r in _rows(database)} == {lead}
        with pytest.raises(RuntimeError):  # the lead's transaction fails after the hand-off ...
            _hand_off_then_fail(database)
        assert len(_rows(database)) == 4  # ... and takes its notifications with it
        with database.transaction() as session:
            assert session.scalars(select(LeadRow).where(LeadRow.conversation_id == "conv-rolled-back")).first() is None
    finally:
        database.dispose()


def test_worker_delivers_everything_despite_a_kill_between_send_and_mark(db_url: str, tmp_path: Path) -> None:
    database = prepared(db_url)
    receiver = Receiver()
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    workers: list[subprocess.Popen[bytes]] = []
    try:
        for n in range(4):
            seed_lead(database, f"conv-bj-{n}", "beijing", f"Secret Name {n}")
        for n in range(3):
            seed_lead(database, f"conv-ks-{n}", "kunshan", f"Secret Name K{n}")
        seed_lead(database, "conv-jx", "jiangxi")  # no channel configured for Jiangxi
        rows = _rows(database)
        assert len(rows) == 16

        workers.append(_worker(db_url, receiver, smtp.port, tmp_path))
        assert receiver.holding.wait(60), "the worker never sent anything"
        workers[0].send_signal(signal.SIGKILL)  # it has sent one webhook and is waiting for the answer
        workers[0].wait(30)
        receiver.hold.set()  # the receiver got it, but the dead worker never marked it sent
        workers.append(_worker(db_url, receiver, smtp.port, tmp_path))

        wait_until(lambda: all(r.sent_at is not None for r in _rows(database)), "every notification delivered", 90)
    finally:
        receiver.hold.set()
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(15)
        smtp.stop()
        receiver.server.shutdown()

    rows = _rows(database)
    database.dispose()
    webhook_ids = {r.id for r in rows if r.channel == "webhook" and r.site_code in SECRETS}
    email_ids = {r.id for r in rows if r.channel == "email" and r.site_code == "beijing"}
    counts = Counter(p["notification_id"] for p in receiver.received)
    assert set(counts) == webhook_ids  # every webhook notification arrived (deduped by id)
    assert counts[receiver.held_id] == 2 and max(counts.values()) <= 2  # the killed send: one extra copy
    assert receiver.bad_signatures == 0
    assert {m["X-Notification-Id"] for m in mailbox.messages} == email_ids
    unconfigured = [r for r in rows if r.site_code == "jiangxi" or (r.channel == "email" and r.site_code == "kunshan")]
    assert len(unconfigured) == 5 and {r.outcome for r in unconfigured} == {"not_configured"}
    assert all(r.outcome == "delivered" for r in rows if r.id in webhook_ids | email_ids)
    retried = next(r for r in rows if r.id == receiver.failed_id)
    assert retried.attempts >= 2 and retried.sent_at is not None and counts[retried.id] == 1
    # No health or contact data leaves in a notification: ids, site and a console link only.
    everything = json.dumps(receiver.received) + "".join(m.get_content() for m in mailbox.messages)
    assert "Secret Name" not in everything and "13800138000" not in everything and "diabetes" not in everything
    base = "https://console.example.org/console/leads/"
    assert all(p["console_url"] == base + p["lead_id"] for p in receiver.received)
    assert all("https://console.example.org/console/leads/" in m.get_content() for m in mailbox.messages)


def test_signature_verification() -> None:
    body = b'{"a":1}'
    good = webhook.signature("s3cret", "1700000000", body)
    assert webhook.verify("s3cret", "1700000000", body, good, now=1700000100)
    assert not webhook.verify("s3cret", "1700000000", body + b" ", good, now=1700000100)
    assert not webhook.verify("other", "1700000000", body, good, now=1700000100)
    assert not webhook.verify("s3cret", "1700000000", body, good, now=1700009999)  # too old: replay
