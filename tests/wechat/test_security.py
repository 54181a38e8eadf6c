"""Signature, time window and nonce checks (every request, before any parsing)."""

from __future__ import annotations

import asyncio

import pytest

from bot.channels.wechat.dedupe import MemorySeenStore
from bot.channels.wechat.security import Refused, RequestGuard, sign, signature_matches, within_window

TOKEN = "tok"
NOW = 1_800_000_000


def guard(now: float = NOW) -> RequestGuard:
    return RequestGuard(TOKEN, MemorySeenStore(), window=300, clock=lambda: now)


def query(timestamp: int = NOW, nonce: str = "n1", token: str = TOKEN) -> dict[str, str]:
    return {"signature": sign(token, str(timestamp), nonce), "timestamp": str(timestamp), "nonce": nonce}


def check(g: RequestGuard, q: dict[str, str], body: bytes = b"") -> int:
    try:
        asyncio.run(g.check(q, body))
    except Refused as refused:
        return refused.status
    return 200


def test_signature_is_sha1_of_the_sorted_token_timestamp_and_nonce() -> None:
    import hashlib

    expected = hashlib.sha1("".join(sorted([TOKEN, "1700000000", "abc"])).encode()).hexdigest()
    assert sign(TOKEN, "1700000000", "abc") == expected
    assert signature_matches(TOKEN, expected, "1700000000", "abc")
    assert not signature_matches(TOKEN, expected, "1700000001", "abc")
    assert not signature_matches("other", expected, "1700000000", "abc")


def test_a_nonce_reused_with_another_body_is_a_replay() -> None:
    g = guard()
    q = query()
    assert check(g, q, b"<xml>first</xml>") == 200
    assert check(g, q, b"<xml>forged</xml>") == 403
    assert check(g, q) == 403
    assert check(g, query(nonce="n2"), b"<xml>forged</xml>") == 200


def test_a_byte_identical_resend_is_wechats_retry_and_passes() -> None:
    """WeChat retries an unanswered message as it was; the MsgId dedupe keeps it to one turn."""
    g = guard()
    q = query()
    for _ in range(3):
        assert check(g, q, b"<xml>same</xml>") == 200


@pytest.mark.parametrize(
    "q",
    [
        {},
        {"signature": "x", "timestamp": str(NOW)},
        {**query(), "signature": "0" * 40},
        {**query(), "timestamp": str(NOW + 1)},  # signed for another timestamp
        query(token="not-ours"),
        {**query(), "nonce": "x" * 100},
    ],
)
def test_bad_or_missing_signatures_are_403(q: dict[str, str]) -> None:
    assert check(guard(), q) == 403


def test_timestamps_more_than_300_seconds_away_are_refused_both_ways() -> None:
    assert check(guard(), query(timestamp=NOW - 300)) == 200
    assert check(guard(), query(timestamp=NOW + 300, nonce="n3")) == 200
    assert check(guard(), query(timestamp=NOW - 301)) == 403
    assert check(guard(), query(timestamp=NOW + 301)) == 403


def test_a_refused_request_does_not_burn_its_nonce() -> None:
    g = guard()
    assert check(g, {**query(), "signature": "0" * 40}) == 403
    assert check(g, query()) == 200


@pytest.mark.parametrize("timestamp", ["", "abc", "1e9", None])
def test_unreadable_timestamps_are_outside_the_window(timestamp: str | None) -> None:
    assert not within_window(timestamp, NOW, 300)  # type: ignore[arg-type]
