"""A signed webhook: HMAC-SHA256 over "<timestamp>.<body>", so receivers can check origin and freshness.

Headers: X-Notification-Id (dedupe key), X-Timestamp (Unix seconds), X-Signature: sha256=<hex>.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Any


class DeliveryError(RuntimeError):
    """The receiver did not accept the notification; it will be retried."""


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(
    secret: str, timestamp: str, body: bytes, given: str, *, now: float | None = None, window: int = 300
) -> bool:
    """For receivers (and our tests): a valid signature over a timestamp within ``window`` seconds."""
    try:
        age = abs((now or time.time()) - int(timestamp))
    except ValueError:
        return False
    return age <= window and hmac.compare_digest(signature(secret, timestamp, body), given or "")


def send(url: str, secret: str, notification_id: str, payload: dict[str, Any], timeout: float) -> None:
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Notification-Id": notification_id,
            "X-Timestamp": timestamp,
            "X-Signature": signature(secret, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            if not 200 <= reply.status < 300:
                raise DeliveryError(f"webhook answered HTTP {reply.status}")
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"webhook answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"webhook unreachable: {exc}") from None
