"""Console settings from the environment, with safe defaults (README.md, "Configuration")."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from bot.console import texts


class ConsoleConfigError(ValueError):
    """A console setting is malformed."""


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConsoleConfigError(f"{name} must be a number, not {raw!r}") from None
    if value < 0:
        raise ConsoleConfigError(f"{name} must not be negative")
    return value


def _language(env: Mapping[str, str]) -> str:
    """``CONSOLE_LANGUAGE``: one of the console's translation files; Chinese unless set (the sites are in China)."""
    raw = (env.get("CONSOLE_LANGUAGE") or "").strip() or texts.CONSOLE_DEFAULT
    if raw not in texts.available():
        raise ConsoleConfigError(f"CONSOLE_LANGUAGE must be one of {', '.join(texts.available())}, not {raw!r}")
    return raw


@dataclass(frozen=True)
class ConsoleSettings:
    #: A browser session ends after this long without a request.
    idle_seconds: float = 30 * 60
    #: ... and in any case this long after login.
    session_max_seconds: float = 12 * 3600
    #: Lifetime of an API token.
    token_seconds: float = 3600
    #: Failed logins for one username before it is locked; for one IP address (offices share one).
    lock_after: int = 5
    ip_lock_after: int = 20
    lock_seconds: float = 15 * 60
    #: Failures are counted within this window.
    failure_window_seconds: float = 15 * 60
    #: Each failure waits delay·2^(n-1) seconds (capped) before answering.
    login_delay: float = 0.5
    login_delay_cap: float = 4.0
    #: Trust X-Forwarded-Proto/-For from a TLS proxy in front of the app (only if one is there).
    trust_proxy: bool = False
    #: Always mark the cookie Secure (besides when the request arrived over https).
    cookie_secure: bool = False
    #: The language of users who have not chosen one, of the sign-in page and of API errors before sign-in.
    language: str = texts.CONSOLE_DEFAULT

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ConsoleSettings:
        env = os.environ if env is None else env
        flag = (env.get("CONSOLE_TRUST_PROXY") or "0").strip().lower() in ("1", "true", "yes")
        secure = (env.get("WEB_COOKIE_SECURE") or "0").strip().lower() in ("1", "true", "yes")
        return cls(
            idle_seconds=_number(env, "CONSOLE_IDLE_SECONDS", cls.idle_seconds),
            session_max_seconds=_number(env, "CONSOLE_SESSION_MAX_SECONDS", cls.session_max_seconds),
            token_seconds=_number(env, "CONSOLE_TOKEN_SECONDS", cls.token_seconds),
            lock_after=max(1, int(_number(env, "CONSOLE_LOCK_AFTER", cls.lock_after))),
            ip_lock_after=max(1, int(_number(env, "CONSOLE_IP_LOCK_AFTER", cls.ip_lock_after))),
            lock_seconds=_number(env, "CONSOLE_LOCK_SECONDS", cls.lock_seconds),
            failure_window_seconds=_number(env, "CONSOLE_FAILURE_WINDOW_SECONDS", cls.failure_window_seconds),
            login_delay=_number(env, "CONSOLE_LOGIN_DELAY", cls.login_delay),
            login_delay_cap=_number(env, "CONSOLE_LOGIN_DELAY_CAP", cls.login_delay_cap),
            trust_proxy=flag,
            cookie_secure=secure,
            language=_language(env),
        )
