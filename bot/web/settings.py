"""The web app's settings, from the environment, checked once at start-up."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bot.settings import VAR_DIR, database_url

MIN_SECRET_BYTES = 32


class ConfigError(ValueError):
    """A setting is missing or malformed: ``python -m bot.web`` exits 2 with this message."""


@dataclass(frozen=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    #: Rasa's server; its REST channel and HTTP API must stay on loopback behind this app.
    rasa_url: str = "http://127.0.0.1:5005"
    #: Rasa's SQL tracker store, so "forget my answers" can delete the conversation's events.
    tracker_url: str = "sqlite:///var/tracker.db"
    #: The core store (screenings, leads).
    database_url: str = "sqlite:///var/bot.db"
    #: Key that signs the conversation cookie; keep it across restarts or every cookie becomes invalid.
    secret: bytes = b""
    #: Send the cookie only over HTTPS (set WEB_COOKIE_SECURE=1 behind a TLS proxy).
    cookie_secure: bool = False
    #: Seconds one turn may take before the page is told to try again (Rasa's own action timeout is 300 s).
    turn_timeout: float = 60.0

    def __post_init__(self) -> None:
        if len(self.secret) < MIN_SECRET_BYTES:
            raise ConfigError(f"the cookie signing secret must be at least {MIN_SECRET_BYTES} bytes")
        if not 0 < self.port < 65536:
            raise ConfigError(f"WEB_PORT must be a port number, not {self.port}")
        parts = urlsplit(self.rasa_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"RASA_URL must be an http(s) URL, not {self.rasa_url!r}")
        if self.turn_timeout <= 0:
            raise ConfigError("WEB_TURN_TIMEOUT must be a positive number of seconds")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> WebSettings:
        """Read WEB_HOST, WEB_PORT, RASA_URL, TRACKER_URL, DATABASE_URL, WEB_SECRET(_FILE), WEB_COOKIE_SECURE."""
        env = dict(os.environ if env is None else env)
        try:
            port = int(env.get("WEB_PORT") or 8000)
            timeout = float(env.get("WEB_TURN_TIMEOUT") or 60)
        except ValueError as exc:
            raise ConfigError(f"WEB_PORT and WEB_TURN_TIMEOUT must be numbers ({exc})") from None
        secure = (env.get("WEB_COOKIE_SECURE") or "0").strip().lower()
        if secure not in ("0", "1", "true", "false", "yes", "no"):
            raise ConfigError(f"WEB_COOKIE_SECURE must be 0 or 1, not {secure!r}")
        return cls(
            host=env.get("WEB_HOST") or "127.0.0.1",
            port=port,
            rasa_url=(env.get("RASA_URL") or "http://127.0.0.1:5005").rstrip("/"),
            tracker_url=env.get("TRACKER_URL") or f"sqlite:///{VAR_DIR / 'tracker.db'}",
            database_url=env.get("DATABASE_URL") or database_url(),
            secret=load_secret(env),
            cookie_secure=secure in ("1", "true", "yes"),
            turn_timeout=timeout,
        )


def load_secret(env: dict[str, str]) -> bytes:
    """WEB_SECRET, else the file WEB_SECRET_FILE (default var/web-secret), created with a random key."""
    if env.get("WEB_SECRET"):
        return env["WEB_SECRET"].encode()
    path = Path(env.get("WEB_SECRET_FILE") or VAR_DIR / "web-secret")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(48))
    try:
        return path.read_text(encoding="utf-8").strip().encode()
    except OSError as exc:
        raise ConfigError(f"cannot read the cookie secret {path}: {exc}") from None
