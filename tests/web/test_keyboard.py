"""The whole flow with the keyboard only (Tab, Shift+Tab, Enter, Space), with a visible focus at every step."""

from __future__ import annotations

from typing import Any

from tests.e2e.servers import Servers
from tests.e2e.test_rest_screenings import ELIGIBLE_MAN, stored
from tests.web.chat import TURN_DONE, ChatPage
from tests.web.webapp import WebApp

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {name: '', visible: false, obscured: false};
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const dock = document.getElementById('dock');
  const cover = dock.getBoundingClientRect();
  const underDock = !dock.contains(el) && rect.top >= cover.top && rect.bottom <= cover.bottom;
  return {
    name: el.id === 'message' ? '#message' : el.textContent.trim(),
    visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    obscured: underDock || rect.bottom <= 0 || rect.top >= window.innerHeight,
  };
}"""


class Keyboard:
    def __init__(self, chat: ChatPage) -> None:
        self.chat = chat
        self.page = chat.page
        self.steps = 0

    def focused(self) -> dict[str, Any]:
        return self.page.evaluate(FOCUSED)

    def focus(self, name: str, limit: int = 40) -> None:
        """Tab forward (then Shift+Tab back) until ``name`` has the focus; every stop must show it."""
        for key in ("Tab", "Shift+Tab"):
            for _ in range(limit):
                now = self.focused()
                if now["name"] == name:
                    return
                self.page.keyboard.press(key)
                self.steps += 1
                now = self.focused()
                if now["name"]:  # "" is the browser's own UI, past the end of the page
                    assert now["visible"], f"no visible focus on {now['name']!r}"
                    assert not now["obscured"], f"{now['name']!r} is hidden behind the message box"
        raise AssertionError(f"could not reach {name!r} with the keyboard")

    def activate(self, name: str, key: str = "Enter") -> list[str]:
        self.focus(name)
        before = self.page.locator("#log .msg.bot").count()
        self.page.keyboard.press(key)
        self.page.wait_for_function(TURN_DONE, arg=before)
        assert self.chat.problem() is None
        return self.chat.bot_texts()[before:]

    def type(self, text: str) -> list[str]:
        self.focus("#message")
        before = self.page.locator("#log .msg.bot").count()
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")
        self.page.wait_for_function(TURN_DONE, arg=before)
        assert self.chat.problem() is None
        return self.chat.bot_texts()[before:]

    def answer(self, text: str, turn: int) -> list[str]:
        for title in self.chat.quick_replies():
            if title.lower() == text.lower():
                return self.activate(title, "Enter" if turn % 2 else "Space")
        return self.type(text)


def test_screening_and_hand_off_with_the_keyboard_only(new_context: Any, web: WebApp, web_servers: Servers) -> None:
    chat = ChatPage(new_context().new_page(), web).open()
    keys = Keyboard(chat)
    keys.page.keyboard.press("Tab")
    assert keys.focused()["name"] == "Skip to the message box" and keys.focused()["visible"]

    keys.focus("Large")
    keys.page.keyboard.press("Space")
    assert "size-large" in keys.page.evaluate("() => document.documentElement.className")

    keys.activate("Check if I might qualify")
    assert keys.focused()["name"] == "Yes, I agree"  # the answer buttons get the focus
    keys.activate("Yes, I agree", "Space")
    sender = chat.conversation_id()
    for turn in range(60):
        requested = web_servers.slots(sender).get("requested_slot")
        if requested is None:
            break
        keys.answer(ELIGIBLE_MAN[requested], turn)
    assert "you may be a good fit" in chat.bot_texts()[-1]

    keys.activate("Yes, contact me")
    keys.activate("Yes, I agree", "Space")  # storing contact details needs its own consent
    keys.activate("Beijing")
    keys.type("Wang Li")
    keys.type("138 0013 8000")
    keys.type("weekday mornings")
    replies = keys.activate("Yes, send it")
    assert any("sent your details" in r for r in replies), replies
    lead, _ = stored(web_servers, sender)
    assert lead is not None and lead.site_code == "beijing"

    # The options stay reachable: "forget my answers" by keyboard, confirmed with Enter.
    keys.focus("Forget my answers")
    keys.page.keyboard.press("Enter")
    assert keys.focused()["name"] == "Delete everything you told me?"
    keys.focus("Yes, delete everything")
    keys.page.keyboard.press("Enter")
    keys.page.wait_for_function("() => document.getElementById('log').childElementCount === 0")
    assert stored(web_servers, sender) == (None, [])
