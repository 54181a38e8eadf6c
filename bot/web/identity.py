"""Conversation ids issued by the server, carried in a signed cookie.

Rasa trusts whatever ``sender`` it is given, so the id is never taken from the page: it is made
here (random), signed with the server's secret, and read back only from our own cookie. A value
that is unsigned, forged or malformed yields no id, and the caller issues a new one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

PREFIX = "web-"
_ID = re.compile(r"^web-[A-Za-z0-9_-]{32}$")


def new_conversation_id() -> str:
    """192 random bits: unguessable, and short enough for Rasa's and the store's id columns."""
    return PREFIX + secrets.token_urlsafe(24)


def _signature(secret: bytes, conversation_id: str) -> str:
    digest = hmac.new(secret, f"conversation:{conversation_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign(secret: bytes, conversation_id: str) -> str:
    """The cookie value: ``<id>.<signature>``."""
    if not _ID.match(conversation_id):
        raise ValueError("not a server-issued conversation id")
    return f"{conversation_id}.{_signature(secret, conversation_id)}"


def verify(secret: bytes, cookie: str | None) -> str | None:
    """The conversation id if the cookie was signed by us, else None."""
    if not cookie or len(cookie) > 200 or "." not in cookie:
        return None
    conversation_id, _, signature = cookie.rpartition(".")
    if not _ID.match(conversation_id):
        return None
    if not hmac.compare_digest(signature, _signature(secret, conversation_id)):
        return None
    return conversation_id
