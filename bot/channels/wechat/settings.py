"""The channel's configuration, read from the environment (never from a committed file).

Missing credentials are not an error at start-up: ``make run`` must work on a machine without a
WeChat account, so the endpoint then answers 503 (see ``channel.py``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from bot.channels.wechat.texts import languages

DEFAULT_API_BASE_URL = "https://api.weixin.qq.com/cgi-bin/"
REQUIRED = ("WECHAT_APP_ID", "WECHAT_APP_SECRET", "WECHAT_TOKEN")
#: An Official Account serves people in China: Chinese unless WECHAT_LANGUAGE says otherwise.
DEFAULT_LANGUAGE = "zh"


class NotConfigured(Exception):
    """The WeChat environment variables are missing or invalid (the message names which, never values)."""


@dataclass(frozen=True)
class WeChatSettings:
    app_id: str
    app_secret: str
    token: str
    #: 43 characters; set means safe mode (AES-encrypted messages) is required.
    encoding_aes_key: str | None = None
    api_base_url: str = DEFAULT_API_BASE_URL
    #: Redis for the token, its lock, the nonce cache and MsgId dedupe; None: database + in-process.
    redis_url: str | None = None
    #: Seconds to wait for a turn before answering ``success`` and sending customer-service messages.
    reply_deadline: float = 4.0
    #: Accepted distance between a request's timestamp and now, in seconds (replay window).
    time_window: int = 300
    max_body_bytes: int = 64 * 1024
    #: The account's language: stated to Rasa on every message (it starts each session in it) and
    #: the channel's own texts for a conversation whose language is not known yet.
    language: str = DEFAULT_LANGUAGE
    #: Seconds to wait for a WeChat API call.
    http_timeout: float = 10.0

    @property
    def safe_mode(self) -> bool:
        return self.encoding_aes_key is not None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> WeChatSettings:
        """Settings from WECHAT_* variables; raises ``NotConfigured`` naming what is missing or wrong."""
        env = os.environ if env is None else env
        missing = [name for name in REQUIRED if not env.get(name, "").strip()]
        if missing:
            raise NotConfigured(f"WeChat is not configured: set {', '.join(missing)}")
        aes_key = env.get("WECHAT_ENCODING_AES_KEY", "").strip() or None
        if aes_key is not None and len(aes_key) != 43:
            raise NotConfigured("WECHAT_ENCODING_AES_KEY must be the 43-character EncodingAESKey")
        base = env.get("WECHAT_API_BASE_URL", "").strip() or DEFAULT_API_BASE_URL
        try:
            deadline = float(env.get("WECHAT_REPLY_DEADLINE", "") or 4.0)
        except ValueError as exc:
            raise NotConfigured("WECHAT_REPLY_DEADLINE must be a number of seconds") from exc
        if not 0 < deadline < 5:
            raise NotConfigured("WECHAT_REPLY_DEADLINE must be between 0 and 5 seconds (WeChat waits 5)")
        language = env.get("WECHAT_LANGUAGE", "").strip().lower() or DEFAULT_LANGUAGE
        if language not in languages():
            raise NotConfigured(f"WECHAT_LANGUAGE must be one of {', '.join(languages())}")
        return cls(
            app_id=env["WECHAT_APP_ID"].strip(),
            app_secret=env["WECHAT_APP_SECRET"].strip(),
            token=env["WECHAT_TOKEN"].strip(),
            encoding_aes_key=aes_key,
            api_base_url=base if base.endswith("/") else base + "/",
            redis_url=redis_url(env),
            reply_deadline=deadline,
            language=language,
        )


def message_metadata(settings: WeChatSettings) -> dict[str, str]:
    """What every message to Rasa carries: the account's language (read when a session starts)."""
    return {"language": settings.language}


def redis_url(env: Mapping[str, str]) -> str | None:
    """``WECHAT_REDIS_URL``, else Rasa's lock store when that is Redis, else None."""
    url = env.get("WECHAT_REDIS_URL", "").strip()
    if url:
        return url
    if env.get("LOCK_STORE_TYPE", "").strip().lower() == "redis":
        host = env.get("LOCK_STORE_HOST", "").strip() or "127.0.0.1"
        port = env.get("LOCK_STORE_PORT", "").strip() or "6379"
        db = env.get("LOCK_STORE_DB", "").strip() or "1"
        return f"redis://{host}:{port}/{db}"
    return None
