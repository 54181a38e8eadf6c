"""Conversation ids are issued and signed by the server; nothing else is accepted."""

from __future__ import annotations

import pytest

from bot.web import identity

SECRET = b"s" * 40


def test_a_signed_id_verifies_and_ids_are_random() -> None:
    first, second = identity.new_conversation_id(), identity.new_conversation_id()
    assert first != second and first.startswith("web-")
    assert identity.verify(SECRET, identity.sign(SECRET, first)) == first


@pytest.mark.parametrize(
    "cookie",
    [
        None,
        "",
        "web-" + "a" * 32,  # a bare id, as a page or an attacker would send it
        "web-" + "a" * 32 + ".",
        "web-" + "a" * 32 + ".forged",
        "someone-else.abc",
        "x" * 500,
    ],
)
def test_unsigned_forged_or_malformed_cookies_give_no_id(cookie: str | None) -> None:
    assert identity.verify(SECRET, cookie) is None


def test_a_cookie_signed_with_another_secret_is_refused() -> None:
    cookie = identity.sign(b"o" * 40, identity.new_conversation_id())
    assert identity.verify(SECRET, cookie) is None


def test_a_signature_cannot_be_moved_to_another_id() -> None:
    mine, theirs = identity.new_conversation_id(), identity.new_conversation_id()
    signature = identity.sign(SECRET, mine).rpartition(".")[2]
    assert identity.verify(SECRET, f"{theirs}.{signature}") is None


def test_only_server_ids_can_be_signed() -> None:
    with pytest.raises(ValueError):
        identity.sign(SECRET, "chosen-by-the-page")
