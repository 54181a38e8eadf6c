"""Where each site's notifications go, from environment variables (README.md, "Configuration").

Per site (code upper-cased, ``-`` as ``_``): NOTIFY_WEBHOOK_URL_<SITE>, NOTIFY_WEBHOOK_SECRET_<SITE>,
NOTIFY_EMAIL_TO_<SITE> (comma-separated). SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM,
SMTP_STARTTLS (1/0), SMTP_SSL (1/0). CONSOLE_BASE_URL for the link. NOTIFY_LANGUAGE (zh or en,
default zh: the coordinators are Chinese) for the e-mails. A site without a channel gets its rows
marked "not_configured" instead of being retried for ever.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

#: The e-mails' words, one JSON file per language (mail.py).
TEXTS_DIR = Path(__file__).with_name("texts")
DEFAULT_LANGUAGE = "zh"


@functools.lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """The languages an e-mail can be written in: one file each."""
    return tuple(sorted(path.stem for path in TEXTS_DIR.glob("*.json")))


class NotifyConfigError(ValueError):
    """A notification setting is malformed."""


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = "prescreening@localhost"
    starttls: bool = False
    ssl: bool = False


@dataclass(frozen=True)
class NotifySettings:
    env: Mapping[str, str]
    console_base_url: str = "http://127.0.0.1:8000"
    smtp: Smtp | None = None
    #: Backoff: base·2^(attempt-1) seconds, at most cap; a claimed row is leased for lease seconds.
    retry_base: float = 5.0
    retry_cap: float = 3600.0
    lease: float = 60.0
    poll: float = 2.0
    timeout: float = 10.0
    #: The language of the e-mails (the webhook's JSON has no words).
    language: str = DEFAULT_LANGUAGE

    def webhook(self, site: str) -> tuple[str, str] | None:
        """(url, secret) for this site, or None when no webhook is configured."""
        url = self.env.get(f"NOTIFY_WEBHOOK_URL_{_suffix(site)}")
        secret = self.env.get(f"NOTIFY_WEBHOOK_SECRET_{_suffix(site)}")
        if not url:
            return None
        if not secret:
            raise NotifyConfigError(f"NOTIFY_WEBHOOK_SECRET_{_suffix(site)} is needed with its webhook URL")
        if urlsplit(url).scheme not in ("http", "https"):
            raise NotifyConfigError(f"NOTIFY_WEBHOOK_URL_{_suffix(site)} must be an http(s) URL")
        return url, secret

    def email_to(self, site: str) -> list[str]:
        raw = self.env.get(f"NOTIFY_EMAIL_TO_{_suffix(site)}") or ""
        return [address.strip() for address in raw.split(",") if address.strip()]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> NotifySettings:
        env = dict(os.environ if env is None else env)

        def number(name: str, default: float) -> float:
            try:
                value = float(env.get(name) or default)
            except ValueError:
                raise NotifyConfigError(f"{name} must be a number") from None
            if value <= 0:
                raise NotifyConfigError(f"{name} must be positive")
            return value

        def flag(name: str) -> bool:
            return (env.get(name) or "0").strip().lower() in ("1", "true", "yes")

        language = (env.get("NOTIFY_LANGUAGE") or DEFAULT_LANGUAGE).strip().lower()
        if language not in languages():
            raise NotifyConfigError(f"NOTIFY_LANGUAGE must be one of {', '.join(languages())}")
        smtp = None
        if env.get("SMTP_HOST"):
            smtp = Smtp(
                host=env["SMTP_HOST"],
                port=int(number("SMTP_PORT", 25)),
                user=env.get("SMTP_USER") or None,
                password=env.get("SMTP_PASSWORD") or None,
                sender=env.get("SMTP_FROM") or Smtp.sender,
                starttls=flag("SMTP_STARTTLS"),
                ssl=flag("SMTP_SSL"),
            )
        return cls(
            env=env,
            console_base_url=(env.get("CONSOLE_BASE_URL") or cls.console_base_url).rstrip("/"),
            smtp=smtp,
            retry_base=number("NOTIFY_RETRY_BASE_SECONDS", cls.retry_base),
            retry_cap=number("NOTIFY_RETRY_CAP_SECONDS", cls.retry_cap),
            lease=number("NOTIFY_LEASE_SECONDS", cls.lease),
            poll=number("NOTIFY_POLL_SECONDS", cls.poll),
            timeout=number("NOTIFY_TIMEOUT_SECONDS", cls.timeout),
            language=language,
        )


def _suffix(site: str) -> str:
    return site.upper().replace("-", "_")
