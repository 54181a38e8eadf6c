"""Driving the chat page as a person would: buttons by their visible names, typing into the message box."""

from __future__ import annotations

from typing import Any

from tests.e2e.servers import Servers
from tests.web.webapp import WebApp

TURN_DONE = """n => document.querySelectorAll('#log .msg.bot').length > n && document.getElementById('typing').hidden
  || !document.getElementById('problem').hidden"""


class ChatPage:
    def __init__(self, page: Any, web: WebApp) -> None:
        self.page = page
        self.web = web

    def open(self, path: str = "/") -> ChatPage:
        self.page.goto(self.web.url + path)
        self.page.wait_for_selector("body.ready")
        return self

    # --- reading ------------------------------------------------------------------------

    def bot_texts(self) -> list[str]:
        return self.page.locator("#log .msg.bot .text").all_inner_texts()

    def user_texts(self) -> list[str]:
        return self.page.locator("#log .msg.user .text").all_inner_texts()

    def quick_replies(self) -> list[str]:
        return [t.strip() for t in self.page.locator("#log .quick").all_inner_texts()]

    def progress(self) -> str:
        return self.page.locator("#progress").inner_text() if self.page.locator("#progress").is_visible() else ""

    def problem(self) -> str | None:
        box = self.page.locator("#problem")
        return box.inner_text() if box.is_visible() else None

    def language(self) -> str:
        """The page's language (``data-language`` on <html>: en, zh)."""
        return self.page.evaluate("() => document.documentElement.dataset.language")

    def html_lang(self) -> str:
        return self.page.evaluate("() => document.documentElement.lang")

    def conversation_id(self) -> str | None:
        for cookie in self.page.context.cookies():
            if cookie["name"] == "conversation":
                return cookie["value"].rpartition(".")[0]
        return None

    # --- acting -------------------------------------------------------------------------

    def _turn(self, act: Any) -> list[str]:
        before = self.page.locator("#log .msg.bot").count()
        act()
        self.page.wait_for_function(TURN_DONE, arg=before)
        assert self.problem() is None, self.problem()
        return self.bot_texts()[before:]

    def press(self, title: str) -> list[str]:
        """A quick reply if there is one with this title, else the intro or the options bar."""
        quick = self.page.locator("#log .quick", has_text=title)
        target = quick if quick.count() else self.page.locator(".choice, .action").filter(has_text=title).first
        return self._turn(lambda: target.first.click())

    def press_reply(self, payload: str) -> list[str]:
        """The quick reply that sends this payload, whatever its title says in this language."""
        return self._turn(lambda: self.page.locator(f'#log .quick[data-reply="{payload}"]').first.click())

    def switch_language(self, code: str) -> list[str]:
        """Press the 中文 / English button; the page and the bot's replies change language."""
        replies = self._turn(lambda: self.page.click(f'button[data-language="{code}"]'))
        self.page.wait_for_function("code => document.documentElement.dataset.language === code", arg=code)
        return replies

    def say(self, text: str) -> list[str]:
        def act() -> None:
            self.page.fill("#message", text)
            self.page.click("#send")

        return self._turn(act)

    def answer(self, text: str) -> list[str]:
        """Press the quick reply that says exactly this (yes, no, man...), else type it."""
        for title in self.quick_replies():
            if title.lower() == text.lower():
                return self.press(title)
        return self.say(text)


def screen(
    chat: ChatPage,
    servers: Servers,
    profile: dict[str, str],
    stop_after: int | None = None,
    start: str = "Check if I might qualify",
    agree: str = "Yes, I agree",
) -> list[str]:
    """Consent, then answer each question the bot asks from the profile; the questions asked."""
    chat.press(start)
    chat.press(agree)
    asked: list[str] = []
    sender = chat.conversation_id()
    assert sender
    for _ in range(60):
        requested = servers.slots(sender).get("requested_slot")
        if requested is None or (stop_after is not None and len(asked) >= stop_after):
            return asked
        asked.append(requested)
        chat.answer(profile[requested])
    raise AssertionError(f"the screening did not end: {asked}")


def hand_off(chat: ChatPage, site: str = "Beijing") -> list[str]:
    """From an outcome's offer (or the options bar): consent if asked, site, name, phone, time, confirm."""
    offers = chat.quick_replies()
    chat.press("Yes, contact me" if "Yes, contact me" in offers else "Talk to a person")
    if "Yes, I agree" in chat.quick_replies():  # not asked again after the screening's consent
        chat.press("Yes, I agree")
    chat.press(site)
    chat.say("Wang Li")
    chat.say("138 0013 8000")
    chat.say("weekday mornings")
    return chat.press("Yes, send it")
