"""The 5-second rule: answer in the HTTP reply when the turn is quick, else by customer-service messages.

WeChat waits 5 s for the reply to a message, then shows the person an error and retries. A ``Turn``
runs the bot once per message; ``passive()`` waits up to the deadline (about 4 s): if the bot's
answer is ready and fits one text, it is the passive reply (every retry of the same message gets
the same one); otherwise the decision is "service", the HTTP answer is ``success`` and the
messages are sent through the customer-service API when the turn ends (at most 5, within 48 hours
of the person's message; errors such as 45015/45047 are logged and the rest dropped, never
retried in a loop).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal

from wechatpy.exceptions import WeChatClientException

from bot.channels.wechat.render import pack

logger = logging.getLogger(__name__)

#: Customer-service messages may be sent within 48 h of the person's last message.
SERVICE_WINDOW_SECONDS = 48 * 3600
Mode = Literal["undecided", "passive", "service"]
#: Strong references: asyncio keeps only weak ones, and a turn may outlive every request waiting for it.
_RUNNING: set[asyncio.Task[None]] = set()


def _keep(task: asyncio.Task[None]) -> asyncio.Task[None]:
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)
    return task


class Turn:
    """One person's message, processed once, answered once (passively or by customer service)."""

    def __init__(
        self,
        run: Callable[[], Awaitable[list[str]]],
        send: Callable[[list[str]], Awaitable[None]],
    ) -> None:
        self._run_turn = run
        self._send = send
        self.mode: Mode = "undecided"
        self.texts: list[str] | None = None
        self.reply: str | None = None
        self.done = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.delivery: asyncio.Task[None] | None = None

    def start(self) -> Turn:
        self.task = _keep(asyncio.create_task(self._run()))
        return self

    async def _run(self) -> None:
        try:
            self.texts = await self._run_turn()
        except Exception as exc:  # run() apologises itself; this is the last line of defence
            logger.error("WeChat turn failed (%s)", type(exc).__name__)
            self.texts = []
        self.done.set()
        if self.mode == "service":
            await self._deliver()

    async def passive(self, timeout: float) -> str | None:
        """The passive reply text, or None for ``success`` (the answer then comes by customer service)."""
        if self.mode == "undecided" and not self.done.is_set():
            try:
                await asyncio.wait_for(asyncio.shield(self.done.wait()), max(0.0, timeout))
            except asyncio.TimeoutError:
                pass
        if self.mode == "undecided":
            if not self.done.is_set():
                self.mode = "service"  # _run delivers when the turn ends
            else:
                texts = pack(self.texts or [], max_messages=1_000)
                if len(texts) <= 1:
                    self.mode, self.reply = "passive", (texts[0] if texts else None)
                else:
                    self.mode = "service"
                    self.delivery = _keep(asyncio.create_task(self._deliver()))
        return self.reply if self.mode == "passive" else None

    async def _deliver(self) -> None:
        texts = pack(self.texts or [])
        if texts:
            try:
                await self._send(texts)
            except Exception as exc:
                logger.error("WeChat customer-service delivery failed (%s)", type(exc).__name__)


def send_service_messages(
    client: Any, openid: str, texts: Sequence[str], message_time: int, clock: Callable[[], float] = time.time
) -> int:
    """Send ``texts`` by customer-service API (blocking: call in a thread); returns how many were sent.

    Stops at the first error: 45015 (outside the 48-hour window), 45047 (too many messages) and the
    rest are logged by code only (no OpenID, no text) and not retried.
    """
    sent = 0
    for text in texts:
        if clock() - message_time > SERVICE_WINDOW_SECONDS:
            logger.warning("WeChat customer-service window (48 h) has closed; %d message(s) dropped", len(texts) - sent)
            break
        try:
            client.message.send_text(openid, text)
        except WeChatClientException as exc:
            logger.warning(
                "WeChat customer-service message refused (errcode %s); %d message(s) dropped",
                exc.errcode,
                len(texts) - sent,
            )
            break
        except Exception as exc:
            logger.warning("WeChat customer-service API unreachable (%s); %d message(s) dropped",
                           type(exc).__name__, len(texts) - sent)
            break
        sent += 1
    return sent
