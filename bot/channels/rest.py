"""Rasa's REST channel, made safe: bad requests get a 400, and a failed turn gets an apology.

Stock Rasa answers HTTP 200 with ``[]`` when a turn fails (the action server is down, the
database fails): the person sees nothing. Here, a turn that produced no message at all is
answered with the domain's ``technical_problem``, and the failure is logged without the
person's words (they may be health data).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import yaml
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import MAX_MESSAGE_CHARS, remote_action_schema
from bot.languages.detect import message_language

remote_action_schema.install()

logger = logging.getLogger(__name__)
MAX_SENDER_CHARS = 128
APOLOGY_RESPONSE = "technical_problem"


def apology_texts(domain_file: str | Path = "domain.yml") -> dict[str | None, str]:
    """The apology response's text per language (``None``: the unconditioned default)."""
    domain = yaml.safe_load(Path(domain_file).read_text(encoding="utf-8"))
    texts: dict[str | None, str] = {}
    for variation in domain["responses"][APOLOGY_RESPONSE]:
        languages = [c.get("value") for c in variation.get("condition") or [] if c.get("name") == "language"]
        texts.setdefault(languages[0] if languages else None, variation["text"])
    return texts


def apology_text(domain_file: str | Path = "domain.yml", language: str | None = None) -> str:
    """The apology in ``language`` (the default language's when it has none)."""
    texts = apology_texts(domain_file)
    return texts.get(language) or texts[None]


def _error(message: str, status: int = 400) -> HTTPResponse:
    return response.json({"error": message}, status=status)


class SafeRestInput(InputChannel):
    """POST /webhooks/rest/webhook ``{"sender": str, "message": str, "metadata": {...}?}``."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(**(credentials or {}))

    def __init__(self, domain_file: str = "domain.yml") -> None:
        self.apologies = apology_texts(domain_file)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("safe_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:
                return _error("the body must be JSON")
            if not isinstance(body, dict):
                return _error('the body must be a JSON object {"sender": ..., "message": ...}')
            sender, text, metadata = body.get("sender"), body.get("message"), body.get("metadata")
            if not isinstance(sender, str) or not 0 < len(sender) <= MAX_SENDER_CHARS:
                return _error(f"'sender' must be a string of 1 to {MAX_SENDER_CHARS} characters")
            if not isinstance(text, str) or not text.strip():
                return _error("'message' must be a non-empty string")
            if len(text) > MAX_MESSAGE_CHARS:
                return _error(f"'message' is longer than {MAX_MESSAGE_CHARS} characters", 413)
            if metadata is not None and not isinstance(metadata, dict):
                return _error("'metadata' must be an object")
            collector = CollectingOutputChannel()
            message = UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
            await self.handle(on_new_message, message)
            return response.json(collector.messages)

        return webhook

    async def handle(self, on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage) -> None:
        """Run one turn; if it failed or said nothing, apologise instead of staying silent."""
        collector = message.output_channel
        assert isinstance(collector, CollectingOutputChannel)
        try:
            await on_new_message(message)
        except Exception as exc:
            logger.error("turn failed for a REST message (%s); the text is not logged", type(exc).__name__)
        if not collector.messages:
            logger.warning("a REST turn produced no reply; sending the apology")
            # The tracker may be what failed: the message's own language (its words, or the channel's
            # statement in the metadata) chooses the apology's.
            stated = (message.metadata or {}).get("language")
            language = message_language(message.text or "") or stated
            await collector.send_text_message(message.sender_id, self.apologies.get(language) or self.apologies[None])
