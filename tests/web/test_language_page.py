"""The 中文 / English control and the page following the conversation's language, in a real Chromium.

Against the Rasa stand-in that keeps the language contract (tests/web/fake_rasa.py), so what is
tested is the page and the web app: the page's own strings re-rendered in place, the switch sent to
the bot with the new language in its metadata, a switch typed in the chat followed, the choice kept.
"""

from __future__ import annotations

from typing import Any

from tests.web import chinese
from tests.web.chat import ChatPage
from tests.web.fake_rasa import FakeRasa
from tests.web.webapp import WebApp

OWN_STRINGS = """() => [...document.querySelectorAll('[data-i18n]')].map(n => n.dataset.i18n + '=' + n.textContent)
  .concat([...document.querySelectorAll('[data-i18n-label]')]
    .map(n => n.dataset.i18nLabel + '=' + n.getAttribute('aria-label')))
  .concat([document.title, document.documentElement.lang])"""


def own_strings(page: Any) -> list[str]:
    return page.evaluate(OWN_STRINGS)


def fresh(new_context: Any, web: WebApp, locale: str) -> list[str]:
    """The page's own strings as the server renders them for a new visitor with this browser language."""
    page = new_context(locale=locale).new_page()
    page.goto(web.url)
    page.wait_for_selector("body.ready")
    return own_strings(page)


def test_pressing_chinese_switches_the_page_and_the_bot(
    new_context: Any, web_on_fake_rasa: WebApp, fake_rasa: FakeRasa
) -> None:
    chat = ChatPage(new_context(locale="en-GB").new_page(), web_on_fake_rasa).open()
    replies = chat.say("hello")
    assert chat.html_lang() == "en" and replies == ["You said: hello. Shall we go on?"]
    assert fake_rasa.received[-1]["metadata"] == {"language": "en"}

    replies = chat.switch_language("zh")
    assert chat.html_lang() == "zh-Hans" and chat.page.title() == "研究小助手：骨骼与2型糖尿病"
    assert own_strings(chat.page) == fresh(new_context, web_on_fake_rasa, "zh-CN")  # all of it, in place
    sent = fake_rasa.received[-1]
    assert (sent["message"], sent["metadata"]) == ('/switch_language{"language":"zh"}', {"language": "zh"})
    assert chinese.reads_as_chinese(replies[-1]) and chat.quick_replies() == ["是", "否"]
    assert chat.user_texts() == ["hello", "中文"]
    languages = chat.page.get_by_role("group", name="语言")
    assert languages.get_by_role("button", name="中文").get_attribute("aria-pressed") == "true"
    assert languages.get_by_role("button", name="English").get_attribute("aria-pressed") == "false"
    spoken = chat.page.locator("#log .msg .visually-hidden").all_inner_texts()
    assert spoken[:2] == ["您说：", "助手说："]  # what a screen reader says before each message
    assert chat.page.locator("#log .quick-replies").get_attribute("aria-label") == "选一个回答"

    chat.press("是")
    assert fake_rasa.received[-1]["metadata"] == {"language": "zh"}  # every message says the page's language

    replies = chat.switch_language("en")
    assert chat.html_lang() == "en" and own_strings(chat.page) == fresh(new_context, web_on_fake_rasa, "en-GB")
    assert replies[-1] == "OK, in English. Shall we go on?" and fake_rasa.received[-1]["metadata"] == {"language": "en"}


def test_a_switch_typed_in_the_chat_switches_the_page_and_the_choice_is_kept(
    new_context: Any, web_on_fake_rasa: WebApp
) -> None:
    chat = ChatPage(new_context(locale="zh-CN").new_page(), web_on_fake_rasa).open()
    assert chat.html_lang() == "zh-Hans"
    chat.say("您好")
    chat.say("English please")  # the bot switches: the page follows it
    assert chat.html_lang() == "en" and chat.page.locator("#send").inner_text() == "Send"
    chat.page.reload()
    chat.page.wait_for_selector("body.ready")
    assert chat.html_lang() == "en"  # kept, though the browser still prefers Chinese
    assert chat.user_texts() == ["您好", "English please"]
    chat.say("我想问一下")  # Chinese characters: the bot answers in Chinese, and so does the page
    assert chat.html_lang() == "zh-Hans" and chat.page.locator("#send").inner_text() == "发送"


def test_an_open_confirmation_follows_a_switch(new_context: Any, web_on_fake_rasa: WebApp) -> None:
    chat = ChatPage(new_context(locale="en-GB").new_page(), web_on_fake_rasa).open()
    chat.say("hi")
    chat.page.evaluate("() => document.getElementById('forget').click()")
    confirm = chat.page.locator("#forget-confirm")
    assert confirm.is_visible() and "Delete everything" in confirm.inner_text()
    chat.switch_language("zh")
    assert "要删除您告诉我的所有内容吗？" in confirm.inner_text()
    assert chat.page.get_by_role("button", name="是，全部删除").is_visible()
