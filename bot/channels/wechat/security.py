"""Is a request really from WeChat, and new? Checked before anything in the body is parsed.

The plain signature (SHA1 of the sorted token, timestamp and nonce; wechatpy's ``check_signature``)
does not cover the body, and has no time limit: so the timestamp must be within ``window`` seconds
of now and each nonce is accepted once within that window. The one exception is a byte-identical
resend (same query, same body): that is how WeChat retries a message it got no answer to, and the
MsgId dedupe then gives it the first request's answer; the same nonce with another body is a replay.
Safe mode adds ``msg_signature`` over the encrypted body, checked by wechatpy's ``WeChatCrypto`` in
``messages.py``.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Mapping

from wechatpy.exceptions import InvalidSignatureException
from wechatpy.utils import WeChatSigner, check_signature

from bot.channels.wechat.dedupe import SeenStore


class Refused(Exception):
    """The request is not accepted; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def sign(token: str, timestamp: str, nonce: str, *extra: str) -> str:
    """WeChat's signature (also used by tests and the fake WeChat server to sign requests)."""
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce, *extra)
    return signer.signature


def within_window(timestamp: str, now: float, window: int) -> bool:
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return False
    return abs(now - sent) <= window


def signature_matches(token: str, signature: str, timestamp: str, nonce: str) -> bool:
    try:
        check_signature(token, signature, timestamp, nonce)
    except InvalidSignatureException:
        return False
    # wechatpy compares with !=; confirm in constant time as well.
    return hmac.compare_digest(sign(token, timestamp, nonce), signature)


class RequestGuard:
    """Signature, time window and nonce checks for every GET and POST."""

    def __init__(
        self, token: str, nonces: SeenStore, window: int = 300, clock: Callable[[], float] = time.time
    ) -> None:
        self.token = token
        self.nonces = nonces
        self.window = window
        self.clock = clock

    async def check(self, query: Mapping[str, str], body: bytes = b"") -> None:
        """Raise ``Refused(403)`` unless the query is signed with our token, recent and not a replay."""
        signature, timestamp, nonce = (query.get(name) or "" for name in ("signature", "timestamp", "nonce"))
        if not (signature and timestamp and nonce) or len(nonce) > 64:
            raise Refused(403, "missing or malformed signature, timestamp or nonce")
        if not signature_matches(self.token, signature, timestamp, nonce):
            raise Refused(403, "bad signature")
        if not within_window(timestamp, self.clock(), self.window):
            raise Refused(403, "timestamp outside the accepted window")
        # Checked after the signature, so nobody without the token can burn nonces.
        ttl = self.window * 2 + 1
        digest = hashlib.sha256(body).hexdigest()
        first_use = await self.nonces.first(f"nonce:{nonce}", ttl)
        body_is_new = await self.nonces.first(f"nonce:{nonce}:{digest}", ttl)
        if not first_use and body_is_new:
            raise Refused(403, "nonce already used (replay)")
