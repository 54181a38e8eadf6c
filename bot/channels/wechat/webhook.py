"""One WeChat request from start to answer, independent of the web framework (``channel.py`` adapts it).

Order matters: size limit (413), then signature, time window and nonce (403) before any parsing,
then safe XML parsing and decryption (400/403), then retries deduplicated by MsgId (or sender +
CreateTime for events), and only then Rasa.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from wechatpy.crypto import WeChatCrypto
from wechatpy.replies import TextReply

from bot.channels import MAX_MESSAGE_CHARS
from bot.channels.wechat.dedupe import SeenStore, message_key
from bot.channels.wechat.delivery import Turn
from bot.channels.wechat.messages import Incoming, parse
from bot.channels.wechat.options import chosen_payload, is_option_number
from bot.channels.wechat.render import render
from bot.channels.wechat.security import Refused, RequestGuard
from bot.channels.wechat.settings import WeChatSettings
from bot.channels.wechat.texts import channel_texts

logger = logging.getLogger(__name__)

#: What a new follower is sent to Rasa as: the greeting with the three starting choices.
SUBSCRIBE_MESSAGE = "/greet"
SENDER_PREFIX = "wechat-"
#: How long a turn's answer is kept for WeChat's retries (they come within about 20 s).
TURN_MEMORY_SECONDS = 120
DEDUPE_SECONDS = 600

#: Runs one Rasa turn for (sender id, text) and returns the bot's messages (never raises).
RunTurn = Callable[[str, str], Awaitable[list[dict[str, Any]]]]
#: The buttons of the bot's last messages to this sender (see options.py).
LoadButtons = Callable[[str], Awaitable[list[dict[str, Any]]]]
#: The conversation's language (Rasa's ``language`` slot) for this sender, or None while unknown.
LoadLanguage = Callable[[str], Awaitable[str | None]]
#: Sends texts to an OpenID by customer-service API, given the person's message time.
SendTexts = Callable[[str, list[str], int], Awaitable[None]]


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    content_type: str = "text/plain; charset=utf-8"


def error(status: int, message: str) -> Answer:
    return Answer(status, json.dumps({"error": message}), "application/json")


SUCCESS = Answer(200, "success")


class WeChatWebhook:
    def __init__(
        self,
        settings: WeChatSettings,
        seen: SeenStore,
        run_turn: RunTurn,
        send_texts: SendTexts,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.seen = seen
        self.guard = RequestGuard(settings.token, seen, settings.time_window, clock)
        self.crypto = (
            WeChatCrypto(settings.token, settings.encoding_aes_key, settings.app_id) if settings.safe_mode else None
        )
        self.run_turn = run_turn
        self.send_texts = send_texts
        self.texts = channel_texts(settings.language)
        self.turns: dict[str, Turn] = {}
        self.clock = clock

    async def verify(self, query: Mapping[str, str]) -> Answer:
        """GET: WeChat checks the server URL; echo ``echostr`` only for a good signature."""
        try:
            await self.guard.check(query)
        except Refused as refused:
            logger.info("WeChat verification refused: %s", refused.reason)
            return error(refused.status, refused.reason)
        echostr = query.get("echostr")
        if not echostr:
            return error(400, "missing echostr")
        return Answer(200, echostr)

    async def receive(
        self,
        query: Mapping[str, str],
        body: bytes,
        load_buttons: LoadButtons,
        load_language: LoadLanguage | None = None,
    ) -> Answer:
        """POST: a message or event; the answer is reply XML or ``success`` within WeChat's 5 s.

        The channel's own words (numbered options, "text only") are in the conversation's language
        when ``load_language`` knows it (a person may have switched), else in the account's.
        """
        started = time.monotonic()
        if len(body) > self.settings.max_body_bytes:
            return error(413, f"the body is larger than {self.settings.max_body_bytes} bytes")
        try:
            await self.guard.check(query, body)
            incoming = parse(body, query, self.crypto)
        except Refused as refused:
            logger.info("WeChat message refused (%d): %s", refused.status, refused.reason)
            return error(refused.status, refused.reason)
        if incoming.kind == "other":
            texts = await self._texts(SENDER_PREFIX + incoming.sender, load_language)
            return self.reply_xml(incoming, texts["only_text"], query)
        if incoming.kind == "event":
            if incoming.event != "subscribe":
                return SUCCESS  # unsubscribe, menu clicks, location reports...: nothing to say, nothing kept
            text = SUBSCRIBE_MESSAGE
        else:
            text = incoming.content.strip()[:MAX_MESSAGE_CHARS]
            if not text:
                return self.reply_xml(incoming, self.texts["only_text"], query)
        key = message_key(self.settings.app_id, incoming.sender, incoming.msg_id, incoming.create_time, incoming.event)
        turn = self.turns.get(key)
        if turn is None and not await self.seen.first(key, DEDUPE_SECONDS):
            return SUCCESS  # a retry handled by another process, or after this one forgot it
        if turn is None:
            turn = self._start(key, incoming, text, load_buttons, load_language)
        reply = await turn.passive(self.settings.reply_deadline - (time.monotonic() - started))
        return self.reply_xml(incoming, reply, query) if reply else SUCCESS

    async def _texts(self, sender: str, load_language: LoadLanguage | None) -> Mapping[str, str]:
        """The channel's texts in the conversation's language, else the account's."""
        language = None
        if load_language is not None:
            try:
                language = await load_language(sender)
            except Exception as exc:
                logger.warning("could not read the conversation's language (%s)", type(exc).__name__)
        return channel_texts(language) if language else self.texts

    def _start(
        self, key: str, incoming: Incoming, text: str, load_buttons: LoadButtons, load_language: LoadLanguage | None
    ) -> Turn:
        sender = SENDER_PREFIX + incoming.sender

        async def run() -> list[str]:
            message = text
            if is_option_number(text):
                message = chosen_payload(text, await load_buttons(sender)) or text
            messages = await self.run_turn(sender, message)
            return render(messages, await self._texts(sender, load_language))

        async def send(texts: list[str]) -> None:
            await self.send_texts(incoming.sender, texts, incoming.create_time)

        turn = Turn(run, send).start()
        self.turns[key] = turn
        asyncio.get_running_loop().call_later(TURN_MEMORY_SECONDS, self.turns.pop, key, None)
        return turn

    def reply_xml(self, incoming: Incoming, text: str | None, query: Mapping[str, str]) -> Answer:
        """A passive text reply, encrypted and signed in safe mode."""
        if not text:
            return SUCCESS
        xml = TextReply(message=incoming.message, content=text).render()
        if self.crypto is not None:
            xml = self.crypto.encrypt_message(xml, query.get("nonce") or "", str(int(self.clock())))
        return Answer(200, xml, "application/xml; charset=utf-8")
