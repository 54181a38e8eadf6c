"""Start the real action server and Rasa server on free loopback ports, for end-to-end tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "assistant.tar.gz"
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 2.0) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as reply:
        return json.loads(reply.read() or b"null")


def post_json(url: str, body: Any, timeout: float = 60.0) -> tuple[int, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, json.loads(reply.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def wait_until(check: Any, what: str, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{what} did not come up within {seconds:.0f} s")


@dataclass
class Servers:
    """The action server and Rasa, with their own SQLite files under ``workdir``."""

    workdir: Path
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    actions: subprocess.Popen[bytes] | None = None
    rasa: subprocess.Popen[bytes] | None = None
    #: Environment overrides, e.g. a PostgreSQL tracker store and a Redis lock store.
    overrides: dict[str, str] = field(default_factory=dict)

    @property
    def database_url(self) -> str:
        return self.overrides.get("DATABASE_URL") or f"sqlite:///{self.workdir / 'bot.db'}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            PYTHONPATH=str(ROOT),
            SANIC_HOST="127.0.0.1",
            DATABASE_URL=self.database_url,
            ACTION_SERVER_URL=f"http://127.0.0.1:{self.actions_port}/webhook",
            TRACKER_URL=f"sqlite:///{self.workdir / 'tracker.db'}",
            LOCK_STORE_TYPE="in_memory",
            LOCK_STORE_HOST="127.0.0.1",
            LOCK_STORE_PORT="6379",
            LOCK_STORE_DB="1",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
        )
        env.update(self.overrides)
        return env

    def start_actions(self) -> None:
        log = open(self.workdir / "actions.log", "ab")
        self.actions = subprocess.Popen(
            [str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.actions_port)],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: _get(f"http://127.0.0.1:{self.actions_port}/health")["status"] == "ok", "action server")

    def stop_actions(self) -> None:
        if self.actions and self.actions.poll() is None:
            self.actions.send_signal(signal.SIGKILL)
            self.actions.wait(30)

    def start_rasa(self) -> None:
        if not MODEL.exists():
            raise RuntimeError(f"no trained model at {MODEL}: run `make train` first")
        log = open(self.workdir / "rasa.log", "ab")
        self.rasa = subprocess.Popen(
            [
                str(VENV_BIN / "rasa"),
                "run",
                "--model",
                str(MODEL),
                "--interface",
                "127.0.0.1",
                "--port",
                str(self.rasa_port),
                "--enable-api",
                "--endpoints",
                "endpoints.yml",
                "--credentials",
                "credentials.yml",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: _get(f"{self.rasa_url}/status").get("model_file"), "Rasa server", 180)

    @contextmanager
    def running(self) -> Iterator[Servers]:
        """Both servers up for the duration of a ``with`` block, stopped after it whatever happens."""
        try:
            self.start_actions()
            self.start_rasa()
            yield self
        finally:
            self.stop()

    def stop(self) -> None:
        for process in (self.rasa, self.actions):
            if process and process.poll() is None:
                process.terminate()
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()

    def say(self, sender: str, message: str) -> list[dict[str, Any]]:
        status, reply = post_json(f"{self.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": message})
        assert status == 200, reply
        return reply

    def slots(self, sender: str) -> dict[str, Any]:
        return _get(f"{self.rasa_url}/conversations/{sender}/tracker", timeout=30)["slots"]
