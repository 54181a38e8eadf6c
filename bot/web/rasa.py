"""The web app's client for Rasa: the REST channel for turns, the HTTP API for the tracker.

Both stay on loopback; only this app talks to them, always with the conversation id it issued.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

import aiohttp


class RasaUnavailable(Exception):
    """Rasa did not answer (not running, refused, broken reply): the message did not get through."""


class RasaSlow(Exception):
    """Rasa did not answer in time: the turn may still complete, so the page reloads instead of resending."""


class RasaRefused(Exception):
    """Rasa refused the request (HTTP 4xx): a bad message, not an outage."""


class RasaClient:
    def __init__(self, base_url: str, session: aiohttp.ClientSession, turn_timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.turn_timeout = turn_timeout

    async def _request(self, method: str, path: str, timeout: float, **kwargs: Any) -> Any:
        try:
            async with self.session.request(
                method, self.base_url + path, timeout=aiohttp.ClientTimeout(total=timeout), **kwargs
            ) as reply:
                if 400 <= reply.status < 500:
                    raise RasaRefused(f"HTTP {reply.status}")
                if reply.status != 200:
                    raise RasaUnavailable(f"HTTP {reply.status}")
                return await reply.json(content_type=None)
        except asyncio.TimeoutError:
            raise RasaSlow(f"no answer within {timeout:.0f} s") from None
        except (aiohttp.ClientError, ValueError) as exc:
            raise RasaUnavailable(type(exc).__name__) from None

    async def say(self, sender: str, text: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """One turn through our REST channel; the bot's replies in order."""
        body: dict[str, Any] = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        replies = await self._request("POST", "/webhooks/rest/webhook", self.turn_timeout, json=body)
        if not isinstance(replies, list):
            raise RasaUnavailable("the REST channel did not answer with a list")
        return [r for r in replies if isinstance(r, dict)]

    async def tracker(self, sender: str, *, events: bool) -> dict[str, Any]:
        """The conversation's tracker: with every event (history) or only slots and the active form."""
        include = "ALL" if events else "NONE"
        tracker = await self._request(
            "GET", f"/conversations/{quote(sender, safe='')}/tracker?include_events={include}", self.turn_timeout
        )
        if not isinstance(tracker, dict):
            raise RasaUnavailable("the tracker is not an object")
        return tracker
