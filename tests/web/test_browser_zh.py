"""The chat page in Chinese, in a real headless Chromium (Accept-Language zh-CN) against the real servers.

The first test needs no Chinese from the bot. The others need the model trained with the Chinese
data (domain variations and NLU): until it is, they fail at the bot's first Chinese reply.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Any

import pytest

from tests.e2e.servers import Servers
from tests.e2e.test_rest_screenings import stored
from tests.web import chinese
from tests.web.chat import ChatPage, screen
from tests.web.conftest import DESKTOP, PHONE
from tests.web.test_accessibility import no_horizontal_scroll, serious_violations
from tests.web.webapp import WebApp

CHINESE = {"locale": "zh-CN"}  # Playwright sends Accept-Language: zh-CN and sets navigator.language
START, AGREE = "看看我是否可能符合条件", "是，我同意"


def chinese_page(new_context: Any, web: WebApp, **viewport: Any) -> ChatPage:
    return ChatPage(new_context(**viewport, **CHINESE).new_page(), web).open()


def test_the_first_screen_is_chinese_for_a_chinese_browser(new_context: Any, web: WebApp) -> None:
    chat = chinese_page(new_context, web)
    assert chat.html_lang() == "zh-Hans" and chat.language() == "zh"
    assert chat.page.title() == "研究小助手：骨骼与2型糖尿病"
    intro = chat.page.locator(".intro").inner_text()
    assert "电脑助手" in intro and "不是医生" in intro and "诊断" in intro
    assert "地舒单抗" in intro and "阿仑膦酸钠" in intro and "2型糖尿病" in intro
    assert chat.page.locator(".intro button").all_inner_texts() == ["了解这项研究", START, "找真人聊聊"]
    assert chat.page.locator(".actions").get_by_role("button", name="重新开始").is_visible()
    assert chat.page.get_by_label("在这里输入您的话").is_visible()
    languages = chat.page.get_by_role("group", name="语言")
    assert languages.get_by_role("button", name="中文").get_attribute("aria-pressed") == "true"
    assert languages.get_by_role("button", name="English").get_attribute("lang") == "en"
    font = chat.page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert font.startswith('"Noto Sans CJK SC"'), font
    assert chat.bot_texts() == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE, {"width": 320, "height": 640}], ids=["desktop", "phone", "320px"])
def test_the_chinese_page_is_accessible_and_reflows(new_context: Any, web: WebApp, viewport: dict[str, int]) -> None:
    chat = chinese_page(new_context, web, viewport=viewport)
    for size in ("normal", "xlarge"):
        chat.page.evaluate(f"() => localStorage.setItem('chat.textSize', '{size}')")
        chat.page.reload()
        chat.page.wait_for_selector("body.ready")
        assert serious_violations(chat.page) == [], size
        assert no_horizontal_scroll(chat.page), size


def test_a_chinese_font_is_installed() -> None:
    """`make browser` installs fonts-noto-cjk where none covers Chinese: else the pictures show boxes."""
    if shutil.which("fc-list") is None:
        pytest.fail("fontconfig is missing (Debian's chromium brings it): run `make browser`")
    families = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=True).stdout
    assert "Noto Sans CJK SC" in families, "no Chinese font: run `make browser` (installs fonts-noto-cjk)"


def test_a_chinese_screening_switched_to_english_and_back_keeps_the_answers(
    new_context: Any, web: WebApp, web_servers: Servers
) -> None:
    chat = chinese_page(new_context, web)
    replies = chat.press(START)
    assert replies and all(chinese.reads_as_chinese(r) for r in replies), replies
    assert chat.quick_replies() == [AGREE, "不同意"]
    replies = chat.press(AGREE)
    assert "2型糖尿病" in replies[-1], replies
    assert chat.quick_replies() == ["是", "否", "不知道"]
    assert re.fullmatch(r"大约还剩\d+个问题", chat.progress()), chat.progress()
    sender = chat.conversation_id()
    chat.answer(chinese.YES)
    chat.answer("男")
    slots = web_servers.slots(sender)
    assert (slots["language"], slots["type2_diabetes"], slots["sex"], slots["requested_slot"]) == (
        "zh", True, "male", "age")

    replies = chat.switch_language("en")  # the page, then the bot: it asks its open question again, in English
    assert chat.html_lang() == "en" and chat.page.title().startswith("Study helper")
    assert chat.page.locator("#intro-heading").inner_text() == "Hello. I am a computer assistant."
    assert chat.page.locator("#send").inner_text() == "Send"
    assert re.fullmatch(r"About \d+ questions left", chat.progress()), chat.progress()
    assert "How old are you" in replies[-1] and not chinese.has_chinese(replies[-1]), replies
    assert chat.user_texts()[-1] == "English"
    slots = web_servers.slots(sender)
    assert (slots["language"], slots["type2_diabetes"], slots["sex"], slots["requested_slot"]) == (
        "en", True, "male", "age")

    replies = chat.switch_language("zh")
    assert chat.html_lang() == "zh-Hans" and chat.page.locator("#send").inner_text() == "发送"
    assert "年纪" in replies[-1] or "岁" in replies[-1], replies
    assert web_servers.slots(sender)["sex"] == "male"

    chat.say("English please")  # typed in the chat: the bot switches, and the page follows it
    chat.page.wait_for_function("() => document.documentElement.lang === 'en'")
    chat.say("说中文")
    chat.page.wait_for_function("() => document.documentElement.lang === 'zh-Hans'")
    chat.answer(chinese.ELIGIBLE_MAN["age"])
    slots = web_servers.slots(sender)
    assert slots["age"] == 62 and slots["sex"] == "male" and slots["language"] == "zh"

    chat.page.reload()  # the choice is kept (cookie): the page comes back in Chinese, history and all
    chat.page.wait_for_selector("body.ready")
    assert chat.html_lang() == "zh-Hans" and "我今年六十二岁" in chat.user_texts()


def test_a_chinese_screening_reaches_its_outcome_and_the_lead_is_stored(
    new_context: Any, web: WebApp, web_servers: Servers
) -> None:
    chat = chinese_page(new_context, web)
    screen(chat, web_servers, chinese.ELIGIBLE_MAN, start=START, agree=AGREE)
    sender = chat.conversation_id()
    assert web_servers.slots(sender)["screening_status"] == "eligible"
    assert all(chinese.reads_as_chinese(t) for t in chat.bot_texts()), chat.bot_texts()
    chat.press_reply("/human_handoff")
    if "/affirm" in chat.page.locator("#log .quick").evaluate_all("bs => bs.map(b => b.dataset.reply)"):
        chat.press_reply("/affirm")  # consent to pass the details on, if asked again
    site, name, phone, time = chinese.HANDOFF
    chat.press(site)
    chat.say(name)
    chat.say(phone)
    replies = chat.say(time)
    assert "北京" in replies[-1] and "王丽" in replies[-1], replies
    replies = chat.press_reply("/affirm")
    assert all(chinese.reads_as_chinese(r) for r in replies), replies
    lead, screenings = stored(web_servers, sender)
    assert lead is not None and lead.site_code == "beijing" and lead.phone == "+8613800138000"
    assert [(s.status, s.language) for s in screenings] == [("eligible", "zh")]
