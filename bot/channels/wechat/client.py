"""wechatpy's ``WeChatClient`` with the central token (``token.py``) and a configurable API base URL.

wechatpy would fetch and keep a token per process and refetch it on 40001/40014/42001 without a
lock; here every call takes the token from ``AccessTokens`` and, when WeChat rejects it, asks the
central cache to replace exactly that token, then retries once. wechatpy is synchronous
(``requests``): call it from a thread (``asyncio.to_thread``), never on the event loop.
"""

from __future__ import annotations

import json
from typing import Any

from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from bot.channels.wechat.settings import WeChatSettings
from bot.channels.wechat.token import REJECTED_TOKEN_ERRORS, AccessTokens, DatabaseTokenStore, RedisTokenStore
from bot.store.db import Database


class CentralTokenClient(WeChatClient):
    """Use ``client.message.send_text(openid, text)`` and the other wechatpy APIs as usual."""

    def __init__(self, settings: WeChatSettings, tokens: AccessTokens | None = None) -> None:
        super().__init__(settings.app_id, settings.app_secret, timeout=settings.http_timeout, auto_retry=False)
        self.API_BASE_URL = settings.api_base_url
        self.tokens = tokens or AccessTokens(token_store(settings), self.fetch_new_token)

    @property
    def access_token(self) -> str:
        return self.tokens.get()

    def fetch_access_token(self) -> dict[str, Any]:
        raise RuntimeError("access tokens are fetched only through the central cache (bot.channels.wechat.token)")

    def fetch_new_token(self) -> tuple[str, int]:
        """GET <base>token: one call to WeChat; only ``AccessTokens`` calls this, under its lock."""
        reply = self._http.get(
            self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
            timeout=self.timeout,
        )
        reply.raise_for_status()
        result = json.loads(reply.content.decode("utf-8", "replace"))
        if result.get("errcode"):
            raise WeChatClientException(result["errcode"], result.get("errmsg"), client=self, response=reply)
        return str(result["access_token"]), int(result.get("expires_in", 7200))

    def _request(self, method: str, url_or_endpoint: str, **kwargs: Any) -> Any:
        params = dict(kwargs.pop("params", None) or {})
        token = params.get("access_token") or self.tokens.get()
        params["access_token"] = token
        try:
            return super()._request(method, url_or_endpoint, params=dict(params), **kwargs)
        except WeChatClientException as exc:
            if exc.errcode not in REJECTED_TOKEN_ERRORS:
                raise
            params["access_token"] = self.tokens.replace(token)
            return super()._request(method, url_or_endpoint, params=dict(params), **kwargs)


def token_store(settings: WeChatSettings) -> DatabaseTokenStore | RedisTokenStore:
    """Redis when configured, else the screenings database (``DATABASE_URL``, migrated by ``make run``)."""
    if settings.redis_url:
        return RedisTokenStore(settings.redis_url, settings.app_id)
    return DatabaseTokenStore(Database(), settings.app_id)
