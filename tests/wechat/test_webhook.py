"""The request logic with a stand-in for Rasa: status codes, the 5-second rule, retries, options, events."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from bot.channels.wechat.dedupe import MemorySeenStore
from bot.channels.wechat.settings import NotConfigured, WeChatSettings
from bot.channels.wechat.webhook import WeChatWebhook
from tests.wechat.fake_wechat import AES_KEY, APP_ID, APP_SECRET, BILLION_LAUGHS, TOKEN, WeChatPusher

YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]


class FakeRasa:
    """Records each turn; answers with a question with buttons after ``delay`` seconds."""

    def __init__(self, delay: float = 0.0) -> None:
        self.turns: list[tuple[str, str]] = []
        self.delay = delay
        self.sent: list[tuple[str, list[str]]] = []

    async def run_turn(self, sender: str, text: str) -> list[dict[str, Any]]:
        self.turns.append((sender, text))
        await asyncio.sleep(self.delay)
        return [{"recipient_id": sender, "text": f"You said {text}. Sure?", "buttons": YES_NO}]

    async def send_texts(self, openid: str, texts: list[str], message_time: int) -> None:
        self.sent.append((openid, texts))

    async def load_buttons(self, sender: str) -> list[dict[str, Any]]:
        return YES_NO


def webhook(rasa: FakeRasa, safe: bool = True, deadline: float = 4.0, language: str = "en") -> WeChatWebhook:
    """An English account unless told: these tests read the channel's words (tests/wechat/test_language.py: zh)."""
    settings = WeChatSettings(app_id=APP_ID, app_secret=APP_SECRET, token=TOKEN,
                              encoding_aes_key=AES_KEY if safe else None, reply_deadline=deadline, language=language)
    return WeChatWebhook(settings, MemorySeenStore(), rasa.run_turn, rasa.send_texts)


def push(hook: WeChatWebhook, rasa: FakeRasa, xml: str, safe: bool = True, raw: bool = False):
    """Sign/encrypt like WeChat, call the webhook in-process, decode the answer like WeChat."""
    pusher = WeChatPusher(url="unused", aes_key=AES_KEY if safe else None)
    query = pusher.signed_query()
    body = xml
    if pusher.crypto is not None and not raw:
        from defusedxml import ElementTree

        from bot.channels.wechat.security import sign

        encrypted = ElementTree.fromstring(pusher.crypto.encrypt_message(xml, query["nonce"], query["timestamp"]))
        encrypt = encrypted.findtext("Encrypt") or ""
        query.update(encrypt_type="aes", msg_signature=sign(TOKEN, query["timestamp"], query["nonce"], encrypt))
        body = f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    answer = asyncio.get_event_loop().run_until_complete(hook.receive(query, body.encode(), rasa.load_buttons))
    return pusher.read_reply(answer.status, answer.body)


@pytest.fixture
def loop():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()


PUSHER = WeChatPusher(url="unused")


@pytest.mark.parametrize("safe", [True, False])
def test_a_quick_turn_is_a_passive_reply_with_numbered_options(loop, safe: bool) -> None:
    rasa = FakeRasa()
    reply = push(webhook(rasa, safe), rasa, PUSHER.text_xml("o_1", "hello", 1), safe)
    assert reply.status == 200
    assert reply.text == "You said hello. Sure?\nReply 1 for Yes, 2 for No."
    assert (reply.reply_from, reply.reply_to) == (PUSHER.account, "o_1")
    assert rasa.turns == [("wechat-o_1", "hello")]


def test_a_number_is_sent_to_rasa_as_the_payload_of_that_option(loop) -> None:
    rasa = FakeRasa()
    hook = webhook(rasa)
    push(hook, rasa, PUSHER.text_xml("o_2", "2", 2))
    push(hook, rasa, PUSHER.text_xml("o_2", "7", 3))
    assert rasa.turns == [("wechat-o_2", "/deny"), ("wechat-o_2", "7")]


def test_a_slow_turn_answers_success_then_sends_customer_service_messages(loop) -> None:
    rasa = FakeRasa(delay=0.5)
    hook = webhook(rasa, deadline=0.1)
    reply = push(hook, rasa, PUSHER.text_xml("o_3", "slow", 4))
    assert (reply.status, reply.body) == (200, "success")
    assert rasa.sent == []
    loop.run_until_complete(asyncio.sleep(0.8))
    assert rasa.sent == [("o_3", ["You said slow. Sure?\nReply 1 for Yes, 2 for No."])]


def test_retries_of_one_msgid_make_one_turn_and_get_the_same_reply(loop) -> None:
    rasa = FakeRasa()
    hook = webhook(rasa)
    replies = [push(hook, rasa, PUSHER.text_xml("o_4", "again", 5, 1_700_000_000)) for _ in range(3)]
    assert len(rasa.turns) == 1
    assert {r.text for r in replies} == {"You said again. Sure?\nReply 1 for Yes, 2 for No."}


def test_a_byte_identical_resend_gets_the_first_answer_and_a_forged_body_is_refused(loop) -> None:
    """WeChat may resend the very same request; a reused nonce with another body is a replay."""
    rasa = FakeRasa()
    hook = webhook(rasa, safe=False)
    query = PUSHER.signed_query()
    xml = PUSHER.text_xml("o_6", "same", 7).encode()
    answers = [loop.run_until_complete(hook.receive(query, xml, rasa.load_buttons)) for _ in range(3)]
    assert len(rasa.turns) == 1
    assert [a.status for a in answers] == [200] * 3
    assert len({a.body for a in answers}) == 1 and "You said same" in answers[0].body
    forged = PUSHER.text_xml("o_6", "forged", 8).encode()
    refused = loop.run_until_complete(hook.receive(query, forged, rasa.load_buttons))
    assert refused.status == 403 and len(rasa.turns) == 1


def test_concurrent_retries_of_a_slow_turn_make_one_turn_and_one_delivery(loop) -> None:
    rasa = FakeRasa(delay=0.4)
    hook = webhook(rasa, deadline=0.1)
    pusher = WeChatPusher(url="unused")

    async def three() -> list[Any]:
        xml = pusher.text_xml("o_5", "busy", 6)
        tasks = []
        for _ in range(3):
            query = pusher.signed_query()
            tasks.append(hook.receive(query, xml.encode(), rasa.load_buttons))
        return await asyncio.gather(*tasks)

    hook.crypto = None  # plaintext for this one
    answers = loop.run_until_complete(three())
    loop.run_until_complete(asyncio.sleep(0.6))
    assert [a.body for a in answers] == ["success"] * 3
    assert len(rasa.turns) == 1 and len(rasa.sent) == 1


def test_subscribe_greets_unsubscribe_and_other_events_store_nothing(loop) -> None:
    rasa = FakeRasa()
    hook = webhook(rasa)
    assert push(hook, rasa, PUSHER.event_xml("o_6", "subscribe")).text.startswith("You said /greet.")
    assert push(hook, rasa, PUSHER.event_xml("o_6", "unsubscribe")).body == "success"
    assert push(hook, rasa, PUSHER.event_xml("o_6", "CLICK")).body == "success"
    assert rasa.turns == [("wechat-o_6", "/greet")]


def test_images_and_empty_text_get_the_text_only_notice_without_rasa(loop) -> None:
    rasa = FakeRasa()
    hook = webhook(rasa)
    image = ("<xml><ToUserName>gh_0123456789ab</ToUserName><FromUserName>o_7</FromUserName>"
             f"<CreateTime>{int(time.time())}</CreateTime><MsgType>image</MsgType><PicUrl>http://x</PicUrl>"
             "<MediaId>m</MediaId><MsgId>8</MsgId></xml>")
    assert "only read text" in push(hook, rasa, image).text
    assert "only read text" in push(hook, rasa, PUSHER.text_xml("o_7", "   ", 9)).text
    assert rasa.turns == []


def test_refusals(loop) -> None:
    rasa = FakeRasa()
    hook = webhook(rasa)
    run = asyncio.get_event_loop().run_until_complete
    tampered = {**PUSHER.signed_query(), "signature": "0" * 40}
    assert run(hook.receive(tampered, b"<xml/>", rasa.load_buttons)).status == 403
    assert push(hook, rasa, BILLION_LAUGHS, raw=True).status == 400  # plaintext bomb in safe mode: parsed first
    assert push(hook, rasa, BILLION_LAUGHS).status == 400  # the bomb inside the encrypted payload
    big = b"<xml>" + b"a" * (64 * 1024) + b"</xml>"
    assert run(hook.receive(PUSHER.signed_query(), big, rasa.load_buttons)).status == 413
    assert rasa.turns == []


def test_verification_echoes_only_for_a_good_signature(loop) -> None:
    hook = webhook(FakeRasa())
    run = asyncio.get_event_loop().run_until_complete
    good = run(hook.verify({**PUSHER.signed_query(), "echostr": "12345"}))
    assert (good.status, good.body) == (200, "12345")
    bad = run(hook.verify({**PUSHER.signed_query(), "signature": "f" * 40, "echostr": "12345"}))
    assert bad.status == 403 and "12345" not in bad.body
    stale = run(hook.verify({**PUSHER.signed_query(timestamp=int(time.time()) - 400), "echostr": "1"}))
    assert stale.status == 403


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"WECHAT_APP_ID": "a", "WECHAT_APP_SECRET": "s"},
        {"WECHAT_APP_ID": "a", "WECHAT_APP_SECRET": "s", "WECHAT_TOKEN": "t", "WECHAT_ENCODING_AES_KEY": "short"},
        {"WECHAT_APP_ID": "a", "WECHAT_APP_SECRET": "s", "WECHAT_TOKEN": "t", "WECHAT_REPLY_DEADLINE": "9"},
    ],
)
def test_missing_or_wrong_settings_are_named_without_values(env: dict[str, str]) -> None:
    with pytest.raises(NotConfigured) as raised:
        WeChatSettings.from_env(env)
    assert "WECHAT_" in str(raised.value) and "short" not in str(raised.value)


def test_settings_reuse_the_redis_lock_store() -> None:
    env = {"WECHAT_APP_ID": "a", "WECHAT_APP_SECRET": "s", "WECHAT_TOKEN": "t", "LOCK_STORE_TYPE": "redis",
           "LOCK_STORE_HOST": "10.0.0.5", "LOCK_STORE_PORT": "6380", "LOCK_STORE_DB": "2"}
    settings = WeChatSettings.from_env(env)
    assert settings.redis_url == "redis://10.0.0.5:6380/2" and not settings.safe_mode
    assert WeChatSettings.from_env({**env, "WECHAT_REDIS_URL": "redis://r:1/0"}).redis_url == "redis://r:1/0"
    assert WeChatSettings.from_env({**env, "LOCK_STORE_TYPE": "in_memory"}).redis_url is None
