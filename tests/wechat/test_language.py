"""The WeChat channel's language: WECHAT_LANGUAGE (zh unless set), stated to Rasa on every message,
and the channel's own words (numbered options, "text only") in Chinese.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from bot.channels.wechat.render import render
from bot.channels.wechat.settings import NotConfigured, WeChatSettings, message_metadata
from bot.channels.wechat.texts import channel_texts
from tests.wechat.fake_wechat import APP_ID, APP_SECRET, TOKEN
from tests.wechat.test_webhook import PUSHER, FakeRasa, push, webhook

ENV = {"WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": APP_SECRET, "WECHAT_TOKEN": TOKEN}
YES_NO_ZH = [{"title": "是", "payload": "/affirm"}, {"title": "否", "payload": "/deny"},
             {"title": "不知道", "payload": "/dont_know"}]


@pytest.fixture
def loop():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()


def test_an_official_account_speaks_chinese_unless_told() -> None:
    assert WeChatSettings.from_env(ENV).language == "zh"
    assert WeChatSettings(app_id="a", app_secret="s", token="t").language == "zh"
    assert WeChatSettings.from_env({**ENV, "WECHAT_LANGUAGE": "en"}).language == "en"
    assert WeChatSettings.from_env({**ENV, "WECHAT_LANGUAGE": " ZH "}).language == "zh"


def test_an_unknown_language_is_named_not_guessed() -> None:
    with pytest.raises(NotConfigured, match="WECHAT_LANGUAGE must be one of en, zh"):
        WeChatSettings.from_env({**ENV, "WECHAT_LANGUAGE": "fr"})


def test_numbered_options_in_chinese() -> None:
    texts = render([{"text": "医生说过您有2型糖尿病吗？", "buttons": YES_NO_ZH}], channel_texts("zh"))
    assert texts == ["医生说过您有2型糖尿病吗？\n回复 1 表示“是”，回复 2 表示“否”，回复 3 表示“不知道”。"]


def test_a_chinese_account_frames_the_options_in_chinese(loop) -> None:
    rasa = FakeRasa()
    reply = push(webhook(rasa, language="zh"), rasa, PUSHER.text_xml("o_zh1", "你好", 1))
    assert reply.text == "You said 你好. Sure?\n回复 1 表示“Yes”，回复 2 表示“No”。"  # the bot's words are Rasa's


def test_the_text_only_notice_in_chinese(loop) -> None:
    rasa = FakeRasa()
    image = ("<xml><ToUserName>gh_0123456789ab</ToUserName><FromUserName>o_zh2</FromUserName>"
             f"<CreateTime>{int(time.time())}</CreateTime><MsgType>image</MsgType><PicUrl>http://x</PicUrl>"
             "<MediaId>m</MediaId><MsgId>2</MsgId></xml>")
    assert push(webhook(rasa, language="zh"), rasa, image).text == channel_texts("zh")["only_text"]
    assert "只能看懂文字消息" in channel_texts("zh")["only_text"]


def test_the_conversations_own_language_chooses_the_channels_words(loop) -> None:
    """A person on a Chinese account who asked for English gets English options (the slot says en)."""
    rasa = FakeRasa()
    hook = webhook(rasa, safe=False, language="zh")

    async def english(sender: str) -> str | None:
        return "en"

    async def unknown(sender: str) -> str | None:
        return None

    async def broken(sender: str) -> str | None:
        raise RuntimeError("tracker store down")

    cases = ((english, "Reply 1 for Yes, 2 for No."), (unknown, "回复 1 表示“Yes”"), (broken, "回复 1 表示“Yes”"))
    for msg_id, (load_language, expected) in enumerate(cases, start=10):
        xml = PUSHER.text_xml("o_zh3", "hello", msg_id).encode()
        answer = loop.run_until_complete(hook.receive(PUSHER.signed_query(), xml, rasa.load_buttons, load_language))
        assert expected in answer.body, answer.body


def test_every_message_to_rasa_states_the_accounts_language(loop, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.channels.wechat.channel import WeChatInput

    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("WECHAT_LANGUAGE", raising=False)
    channel = WeChatInput()
    seen: list[Any] = []

    async def on_new_message(message: Any) -> None:
        seen.append(message)
        await message.output_channel.send_text_message(message.sender_id, "好的")

    for text in ("/greet", "2", "我今年六十二岁"):
        loop.run_until_complete(channel._run_turn(on_new_message, "wechat-o_zh4", text))
    assert [m.metadata for m in seen] == [{"language": "zh"}] * 3
    assert {m.input_channel for m in seen} == {"wechat"}
    assert message_metadata(WeChatSettings(app_id="a", app_secret="s", token="t", language="en")) == {"language": "en"}


def test_a_failed_turn_apologises_in_the_accounts_language(loop, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.channels.rest import apology_texts
    from bot.channels.wechat.channel import WeChatInput

    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("WECHAT_LANGUAGE", raising=False)
    channel = WeChatInput()

    async def failing(message: Any) -> None:
        raise RuntimeError("the action server is down")

    (reply,) = loop.run_until_complete(channel._run_turn(failing, "wechat-o_zh5", "2"))
    apologies = apology_texts()
    assert reply["text"] == (apologies.get("zh") or apologies[None])
    assert "zh" in apologies, "domain.yml's technical_problem has no Chinese variation yet"
