"""The Rasa input channel: ``/webhooks/wechat/webhook`` (GET verification, POST messages).

credentials.yml names ``bot.channels.wechat.channel.WeChatInput``; every setting comes from
WECHAT_* environment variables (settings.py), so Rasa starts without them and the endpoint then
answers 503 "WeChat is not configured" (logged once). Conversations are Rasa sender ids
``wechat-<OpenID>`` with input channel ``wechat``; a failed turn is answered with the domain's
apology, like our REST channel. Every message carries the metadata ``{"language": WECHAT_LANGUAGE}``
(default zh), which Rasa reads when it starts a session.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.rest import apology_texts
from bot.channels.wechat.client import CentralTokenClient
from bot.channels.wechat.dedupe import seen_store
from bot.channels.wechat.delivery import send_service_messages
from bot.channels.wechat.options import last_buttons
from bot.channels.wechat.settings import NotConfigured, WeChatSettings, message_metadata
from bot.channels.wechat.webhook import Answer, WeChatWebhook, error
from bot.languages.detect import message_language

logger = logging.getLogger(__name__)
NOT_CONFIGURED = "WeChat is not configured"


class WeChatInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(**(credentials or {}))

    def __init__(self, domain_file: str = "domain.yml") -> None:
        self.apologies = apology_texts(domain_file)
        try:
            self.settings: WeChatSettings | None = WeChatSettings.from_env()
            self.problem = ""
        except NotConfigured as exc:
            self.settings, self.problem = None, str(exc)
        self._webhook: WeChatWebhook | None = None
        self._client: CentralTokenClient | None = None
        self._warned = False

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("wechat_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.settings else "not configured"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            handler = self._handler(on_new_message)
            if handler is None:
                return _http(error(503, NOT_CONFIGURED))
            return _http(await handler.verify(_query(request)))

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            handler = self._handler(on_new_message)
            if handler is None:
                return _http(error(503, NOT_CONFIGURED))
            agent = request.app.ctx.agent

            async def load_buttons(sender: str) -> list[dict[str, Any]]:
                return await _last_buttons(agent, sender)

            async def load_language(sender: str) -> str | None:
                return await _language(agent, sender)

            return _http(await handler.receive(_query(request), request.body or b"", load_buttons, load_language))

        return webhook

    def _handler(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> WeChatWebhook | None:
        """Built on first use (inside the server's event loop), or None when WeChat is not configured."""
        if self.settings is None:
            if not self._warned:
                logger.warning("%s; /webhooks/wechat/webhook answers 503 (%s)", NOT_CONFIGURED, self.problem)
                self._warned = True
            return None
        if self._webhook is None:
            settings = self.settings

            async def run_turn(sender: str, text: str) -> list[dict[str, Any]]:
                return await self._run_turn(on_new_message, sender, text)

            async def send_texts(openid: str, texts: list[str], message_time: int) -> None:
                if self._client is None:
                    self._client = CentralTokenClient(settings)
                await asyncio.to_thread(send_service_messages, self._client, openid, texts, message_time)

            self._webhook = WeChatWebhook(settings, seen_store(settings.redis_url), run_turn, send_texts)
            logger.info("WeChat channel ready (%s mode)", "safe" if settings.safe_mode else "plaintext")
        return self._webhook

    async def _run_turn(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]], sender: str, text: str
    ) -> list[dict[str, Any]]:
        """One Rasa turn; a failed or silent one gets the domain's apology (the text is never logged)."""
        collector = CollectingOutputChannel()
        metadata = message_metadata(self.settings) if self.settings else {}
        try:
            await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata))
        except Exception as exc:
            logger.error("turn failed for a WeChat message (%s); the text is not logged", type(exc).__name__)
        if not collector.messages:
            logger.warning("a WeChat turn produced no reply; sending the apology")
            # The tracker may be what failed: the message's own words, else the account's language.
            language = message_language(text) or metadata.get("language")
            await collector.send_text_message(sender, self.apologies.get(language) or self.apologies[None])
        return collector.messages


async def _last_buttons(agent: Any, sender: str) -> list[dict[str, Any]]:
    """Buttons of the bot's messages since the person's last message, from the tracker store."""
    try:
        tracker = await agent.tracker_store.retrieve(sender)
    except Exception as exc:
        logger.warning("could not read the tracker for numbered options (%s)", type(exc).__name__)
        return []
    if tracker is None:
        return []
    tail = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            tail.append({"event": "bot", "data": event.data})
    return last_buttons(list(reversed(tail)))


async def _language(agent: Any, sender: str) -> str | None:
    """The conversation's ``language`` slot, or None (no tracker yet, or the store cannot be read)."""
    try:
        tracker = await agent.tracker_store.retrieve(sender)
    except Exception as exc:
        logger.warning("could not read the tracker for the conversation's language (%s)", type(exc).__name__)
        return None
    value = tracker.get_slot("language") if tracker is not None else None
    return value if isinstance(value, str) else None


def _query(request: Request) -> dict[str, str]:
    """The first value of each query argument."""
    return {name: values[0] for name, values in request.args.items() if values}


def _http(answer: Answer) -> HTTPResponse:
    return response.text(answer.body, status=answer.status, content_type=answer.content_type)
