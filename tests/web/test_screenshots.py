"""Screenshots of the start, a question with buttons and an outcome, on a phone and a desktop, in English
and in Chinese (web-zh-*.png; the Chinese question and outcome need the model trained with Chinese).

Saved to results/screenshots/ on every run; `make screenshots` refreshes the README's copies in
tests/artifacts/ on purpose.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.servers import Servers
from tests.e2e.test_rest_screenings import ELIGIBLE_MAN
from tests.web import chinese
from tests.web.chat import ChatPage
from tests.web.conftest import ARTIFACTS, DESKTOP, PHONE
from tests.web.test_browser import screen_from_current
from tests.web.webapp import WebApp

SHOW_LAST_TURN = """() => {
  const last = document.querySelector('#log').lastElementChild;
  if (last) last.scrollIntoView({block: 'end'}); else window.scrollTo(0, 0);
}"""


def shoot(page: Any, stage: str, reload: bool = False) -> list[str]:
    saved = []
    page.mouse.move(0, 0)  # no hover highlight in the pictures
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        if reload:  # as a person arriving on this screen would see it
            page.reload()
            page.wait_for_selector("body.ready")
        page.evaluate(SHOW_LAST_TURN)
        page.wait_for_timeout(100)
        path = ARTIFACTS / f"web-{stage}-{viewport['width']}x{viewport['height']}.png"
        page.screenshot(path=str(path))
        saved.append(path.name)
    return saved


def test_screenshots_of_start_question_and_outcome(new_context: Any, web: WebApp, web_servers: Servers) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chat = ChatPage(new_context(DESKTOP).new_page(), web).open()
    saved = shoot(chat.page, "start", reload=True)
    chat.press("Check if I might qualify")
    chat.press("Yes, I agree")
    assert chat.quick_replies() == ["Yes", "No", "I don't know"]
    saved += shoot(chat.page, "question")
    screen_from_current(chat, web_servers, ELIGIBLE_MAN)
    assert "you may be a good fit" in chat.bot_texts()[-1]
    saved += shoot(chat.page, "outcome")
    assert all((ARTIFACTS / name).stat().st_size > 5_000 for name in saved)


def test_screenshot_of_the_chinese_start(new_context: Any, web: WebApp) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chat = ChatPage(new_context(DESKTOP, locale="zh-CN").new_page(), web).open()
    assert chat.page.evaluate("() => document.documentElement.lang") == "zh-Hans"
    saved = shoot(chat.page, "zh-start", reload=True)
    assert all((ARTIFACTS / name).stat().st_size > 5_000 for name in saved)


def test_screenshots_of_a_chinese_question_and_outcome(new_context: Any, web: WebApp, web_servers: Servers) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chat = ChatPage(new_context(DESKTOP, locale="zh-CN").new_page(), web).open()
    chat.press("看看我是否可能符合条件")
    chat.press("是，我同意")
    assert chat.quick_replies() == ["是", "否", "不知道"]
    saved = shoot(chat.page, "zh-question")
    screen_from_current(chat, web_servers, chinese.ELIGIBLE_MAN)
    assert web_servers.slots(chat.conversation_id())["screening_status"] == "eligible"
    assert chinese.reads_as_chinese(chat.bot_texts()[-1]), chat.bot_texts()[-1]
    saved += shoot(chat.page, "zh-outcome")
    assert all((ARTIFACTS / name).stat().st_size > 5_000 for name in saved)
