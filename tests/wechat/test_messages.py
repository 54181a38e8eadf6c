"""Parsing: defusedxml first (no DTD, no entities), wechatpy's crypto in safe mode, required fields."""

from __future__ import annotations

import pytest
from wechatpy.crypto import WeChatCrypto

from bot.channels.wechat.messages import parse
from bot.channels.wechat.security import Refused, sign
from tests.wechat.fake_wechat import AES_KEY, APP_ID, BILLION_LAUGHS, EXTERNAL_ENTITY, TOKEN, WeChatPusher

PUSHER = WeChatPusher(url="http://unused", aes_key=None)
CRYPTO = WeChatCrypto(TOKEN, AES_KEY, APP_ID)


def encrypted(xml: str, app_id: str = APP_ID, nonce: str = "n1", timestamp: str = "1700000000") -> tuple[bytes, dict]:
    envelope = WeChatCrypto(TOKEN, AES_KEY, app_id).encrypt_message(xml, nonce, timestamp)
    encrypt = envelope.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
    query = {"timestamp": timestamp, "nonce": nonce, "encrypt_type": "aes",
             "msg_signature": sign(TOKEN, timestamp, nonce, encrypt)}
    return f"<xml><ToUserName>gh_x</ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>".encode(), query


def status_of(body: bytes | str, query: dict | None = None, crypto: WeChatCrypto | None = None) -> int:
    try:
        parse(body if isinstance(body, bytes) else body.encode(), query or {}, crypto)
    except Refused as refused:
        return refused.status
    return 200


def test_plaintext_text_message() -> None:
    incoming = parse(PUSHER.text_xml("o_user", "I'm 62", 42, 1700000000).encode(), {}, None)
    assert (incoming.kind, incoming.sender, incoming.content, incoming.msg_id, incoming.create_time) == (
        "text", "o_user", "I'm 62", 42, 1700000000)
    assert incoming.account == PUSHER.account


@pytest.mark.parametrize(("event", "expected"), [("subscribe", "subscribe"), ("unsubscribe", "unsubscribe"),
                                                 ("CLICK", "click")])
def test_events_have_no_msgid(event: str, expected: str) -> None:
    incoming = parse(PUSHER.event_xml("o_user", event, 1700000000).encode(), {}, None)
    assert (incoming.kind, incoming.event, incoming.msg_id) == ("event", expected, None)


@pytest.mark.parametrize("kind", ["image", "voice", "video", "location", "link", "file", "shortvideo"])
def test_other_message_types_are_other(kind: str) -> None:
    xml = (f"<xml><ToUserName>gh_x</ToUserName><FromUserName>o_u</FromUserName><CreateTime>1700000000</CreateTime>"
           f"<MsgType>{kind}</MsgType><MsgId>7</MsgId></xml>")
    assert parse(xml.encode(), {}, None).kind == "other"


def test_safe_mode_decrypts_and_checks_the_app_id() -> None:
    body, query = encrypted(PUSHER.text_xml("o_safe", "yes", 9))
    incoming = parse(body, query, CRYPTO)
    assert (incoming.sender, incoming.content) == ("o_safe", "yes")
    other_app, other_query = encrypted(PUSHER.text_xml("o_safe", "yes", 9), app_id="wxsomeoneelse000")
    assert status_of(other_app, other_query, CRYPTO) == 403


def test_safe_mode_refuses_a_tampered_body_a_bad_msg_signature_and_plaintext() -> None:
    body, query = encrypted(PUSHER.text_xml("o_safe", "yes", 9))
    assert status_of(body, {**query, "msg_signature": "0" * 40}, CRYPTO) == 403
    assert status_of(body.replace(b"<Encrypt><![CDATA[", b"<Encrypt><![CDATA[AAAA"), query, CRYPTO) == 403
    assert status_of(PUSHER.text_xml("o_plain", "yes", 9), {}, CRYPTO) == 400
    assert status_of(body, {k: v for k, v in query.items() if k != "encrypt_type"}, CRYPTO) == 403


def test_undecryptable_ciphertext_with_a_valid_signature_is_400() -> None:
    garbage = "bm90IGEgcmVhbCBjaXBoZXJ0ZXh0"
    query = {"timestamp": "1", "nonce": "n", "encrypt_type": "aes", "msg_signature": sign(TOKEN, "1", "n", garbage)}
    assert status_of(f"<xml><Encrypt>{garbage}</Encrypt></xml>", query, CRYPTO) == 400


@pytest.mark.parametrize(
    "body",
    [
        BILLION_LAUGHS,
        EXTERNAL_ENTITY,
        "<xml><ToUserName>gh",  # truncated
        "not xml at all",
        "",
        "<notxml><MsgType>text</MsgType></notxml>",
        "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><MsgType>text</MsgType></xml>",  # no time
        "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>x</CreateTime>"
        "<MsgType>text</MsgType><Content>a</Content></xml>",  # CreateTime not a number
        "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime>"
        "<MsgType>text</MsgType></xml>",  # no Content
        "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime>"
        "<MsgType>event</MsgType></xml>",  # no Event
        "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime>"
        "<MsgType>text</MsgType><Content>a</Content><MsgId>abc</MsgId></xml>",  # MsgId not a number
    ],
)
def test_bad_bodies_are_400(body: str) -> None:
    assert status_of(body) == 400


def test_a_bomb_inside_the_encrypted_payload_is_400_too() -> None:
    body, query = encrypted(BILLION_LAUGHS)
    assert status_of(body, query, CRYPTO) == 400
