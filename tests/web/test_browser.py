"""The chat page in a real headless Chromium against the real web app, Rasa and action server."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import pytest

from tests.e2e.servers import Servers
from tests.e2e.test_rest_screenings import ELIGIBLE_MAN, NO_DIABETES, UNKNOWNS, WASHOUT, stored
from tests.web.chat import ChatPage, hand_off, screen
from tests.web.webapp import WebApp


def tracker_rows(servers: Servers, sender: str) -> int:
    path = servers.env()["TRACKER_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


def test_first_screen_says_what_it_is_and_offers_three_choices(new_context: Any, web: WebApp) -> None:
    chat = ChatPage(new_context().new_page(), web).open()
    intro = chat.page.locator(".intro").inner_text()
    assert "computer assistant" in intro and "not a doctor" in intro and "diagnosis" in intro
    assert "denosumab and alendronate" in intro and "type 2 diabetes" in intro
    choices = chat.page.locator(".intro button").all_inner_texts()
    assert choices == ["Learn about the trial", "Check if I might qualify", "Talk to a person"]
    assert chat.page.locator(".actions").get_by_role("button", name="Talk to a person").is_visible()
    assert chat.page.locator(".actions").get_by_role("button", name="Start over").is_visible()
    assert chat.bot_texts() == [] and chat.conversation_id() is not None  # issued by the API, not the page


def test_a_question_about_the_trial_is_answered(new_context: Any, web: WebApp) -> None:
    chat = ChatPage(new_context().new_page(), web).open()
    replies = chat.say("Where is the study taking place?")
    assert any("Beijing, Jiangxi, Huai'an and Kunshan" in r for r in replies), replies
    replies = chat.press("Learn about the trial")
    assert "Who can join?" in chat.quick_replies()
    replies = chat.press("Who can join?")
    assert any("men aged 50 or older" in r for r in replies), replies
    assert chat.user_texts() == ["Where is the study taking place?", "Learn about the trial", "Who can join?"]


@pytest.mark.parametrize(
    ("profile", "status", "says", "offer"),
    [
        (UNKNOWNS, "needs_review", "some answers are still missing", "Yes, contact me"),
        (WASHOUT, "ineligible", "You may be able to join from", "Yes, contact me"),
        (NO_DIABETES, "ineligible", "you cannot join this study", "Talk to a person"),  # stops at once
    ],
    ids=["needs_review", "ineligible_washout", "ineligible"],
)
def test_a_screening_reaches_its_outcome(
    new_context: Any, web: WebApp, web_servers: Servers, profile: dict[str, str], status: str, says: str, offer: str
) -> None:
    chat = ChatPage(new_context().new_page(), web).open()
    screen(chat, web_servers, profile)
    sender = chat.conversation_id()
    assert web_servers.slots(sender)["screening_status"] == status
    assert says in chat.bot_texts()[-1]
    assert chat.progress() == ""  # no "questions left" once the screening is over
    assert offer in chat.quick_replies()


def test_eligible_screening_then_hand_off_stores_the_lead(new_context: Any, web: WebApp, web_servers: Servers) -> None:
    chat = ChatPage(new_context().new_page(), web).open()
    chat.press("Check if I might qualify")
    chat.press("Yes, I agree")
    assert re.fullmatch(r"About \d+ questions left", chat.progress())
    screen_rest = screen_from_current(chat, web_servers, ELIGIBLE_MAN)
    assert "years_since_menopause" not in screen_rest
    assert "you may be a good fit" in chat.bot_texts()[-1]
    replies = hand_off(chat)
    assert any("sent your details to the study team at Beijing" in r for r in replies), replies
    lead, screenings = stored(web_servers, chat.conversation_id())
    assert lead is not None and lead.channel == "rest" and lead.phone == "+8613800138000"
    assert lead.site_code == "beijing" and [s.status for s in screenings] == ["eligible"]


def screen_from_current(chat: ChatPage, servers: Servers, profile: dict[str, str]) -> list[str]:
    asked = []
    for _ in range(60):
        requested = servers.slots(chat.conversation_id()).get("requested_slot")
        if requested is None:
            return asked
        asked.append(requested)
        chat.answer(profile[requested])
    raise AssertionError(asked)


def test_a_reload_or_a_closed_tab_resumes_the_screening(new_context: Any, web: WebApp, web_servers: Servers) -> None:
    context = new_context()
    chat = ChatPage(context.new_page(), web).open()
    screen(chat, web_servers, ELIGIBLE_MAN, stop_after=3)
    before = (chat.user_texts(), chat.bot_texts(), chat.quick_replies(), chat.progress())
    sender = chat.conversation_id()
    assert before[3]
    chat.page.reload()
    chat.page.wait_for_selector("body.ready")
    assert (chat.user_texts(), chat.bot_texts(), chat.quick_replies(), chat.progress()) == before
    chat.page.close()  # the tab is closed; the cookie outlives it
    chat = ChatPage(context.new_page(), web).open()
    assert chat.bot_texts() == before[1] and chat.conversation_id() == sender
    requested = web_servers.slots(sender)["requested_slot"]
    chat.answer(ELIGIBLE_MAN[requested])
    assert web_servers.slots(sender)["requested_slot"] != requested  # the same screening went on


def test_change_my_last_answer(new_context: Any, web: WebApp, web_servers: Servers) -> None:
    chat = ChatPage(new_context().new_page(), web).open()
    chat.press("Check if I might qualify")
    chat.press("Yes, I agree")
    assert not chat.page.locator("#change").is_visible()  # nothing answered yet
    chat.press("Yes")
    chat.press("Man")
    sender = chat.conversation_id()
    assert web_servers.slots(sender)["sex"] == "male"
    chat.page.click("#change")
    panel = chat.page.locator("#correcting")
    panel.wait_for(state="visible")
    assert "man or a woman" in panel.inner_text()
    replies = chat._turn(lambda: panel.get_by_role("button", name="Woman").click())
    assert any("changed that answer" in r for r in replies), replies
    assert web_servers.slots(sender)["sex"] == "female"
    assert chat.user_texts()[-1] == "Changed answer: Woman" and not panel.is_visible()
    assert "How old are you" in chat.bot_texts()[-1]  # and the screening goes on where it was


def test_start_over_clears_the_answers(new_context: Any, web: WebApp, web_servers: Servers) -> None:
    chat = ChatPage(new_context().new_page(), web).open()
    screen(chat, web_servers, ELIGIBLE_MAN, stop_after=2)
    replies = chat.press("Start over")
    assert any("cleared your answers" in r for r in replies), replies
    slots = web_servers.slots(chat.conversation_id())
    assert slots["type2_diabetes"] is None and slots["requested_slot"] == "type2_diabetes"


def test_forget_my_answers_deletes_tracker_screening_and_lead(
    new_context: Any, web: WebApp, web_servers: Servers
) -> None:
    chat = ChatPage(new_context().new_page(), web).open()
    screen(chat, web_servers, NO_DIABETES)
    hand_off(chat)
    sender = chat.conversation_id()
    lead, screenings = stored(web_servers, sender)
    assert lead is not None and screenings and tracker_rows(web_servers, sender) > 0
    chat.page.click("#forget")
    chat.page.get_by_role("button", name="Yes, delete everything").click()
    chat.page.wait_for_function("() => document.getElementById('log').childElementCount === 0")
    assert "has been deleted" in chat.page.locator("#notice").inner_text()
    assert stored(web_servers, sender) == (None, [])
    assert tracker_rows(web_servers, sender) == 0
    assert chat.conversation_id() not in (None, sender)  # a new, empty conversation from now on
    chat.page.reload()
    chat.page.wait_for_selector("body.ready")
    assert chat.bot_texts() == [] and chat.user_texts() == []


def test_typing_forget_my_answers_offers_to_delete_the_conversation(
    new_context: Any, web: WebApp, web_servers: Servers
) -> None:
    chat = ChatPage(new_context().new_page(), web).open()
    screen(chat, web_servers, NO_DIABETES)
    sender = chat.conversation_id()
    replies = chat.say("forget my answers")
    assert any("deleted your answers" in r for r in replies), replies  # the bot's own forget (screenings, leads)
    confirm = chat.page.locator("#forget-confirm")
    assert confirm.is_visible()
    confirm.get_by_role("button", name="Yes, delete everything").click()
    chat.page.wait_for_function("() => document.getElementById('log').childElementCount === 0")
    assert tracker_rows(web_servers, sender) == 0 and stored(web_servers, sender) == (None, [])


def test_unreachable_assistant_shows_a_friendly_message_with_retry(new_context: Any, web_without_rasa: WebApp) -> None:
    chat = ChatPage(new_context().new_page(), web_without_rasa).open()
    assert chat.page.locator(".intro").is_visible()  # never a blank page
    chat.page.locator(".choice", has_text="Check if I might qualify").click()
    problem = chat.page.locator("#problem")
    problem.wait_for(state="visible")
    assert "cannot reach the assistant" in problem.inner_text()
    assert chat.user_texts() == []  # not shown as sent: it was not
    chat.page.get_by_role("button", name="Try again").click()
    problem.wait_for(state="visible")
    assert "cannot reach the assistant" in problem.inner_text()


def test_a_lost_connection_is_retried_without_losing_the_message(new_context: Any, web: WebApp) -> None:
    chat = ChatPage(new_context().new_page(), web).open()
    chat.page.route("**/api/chat*", lambda route: route.abort())
    chat.page.fill("#message", "Where is the study taking place?")
    chat.page.click("#send")
    chat.page.locator("#problem").wait_for(state="visible")
    assert "cannot reach the assistant" in chat.page.locator("#problem").inner_text()
    chat.page.unroute("**/api/chat*")
    chat.page.get_by_role("button", name="Try again").click()
    chat.page.wait_for_function("() => document.getElementById('message').value !== ''")
    assert chat.page.input_value("#message") == "Where is the study taking place?"  # not sent: it is given back
    replies = chat._turn(lambda: chat.page.click("#send"))
    assert any("Kunshan" in r for r in replies)


def test_the_web_app_itself_down_shows_the_message_not_a_blank_page(new_context: Any, web_servers: Servers) -> None:
    own = WebApp(workdir=web_servers.workdir, env=web_servers.env(), rasa_url=web_servers.rasa_url)
    own.start()
    try:
        chat = ChatPage(new_context().new_page(), own).open()
    finally:
        own.stop()
    chat.page.locator(".choice", has_text="Talk to a person").click()
    chat.page.locator("#problem").wait_for(state="visible")
    assert "cannot reach the assistant" in chat.page.locator("#problem").inner_text()
    assert chat.page.locator(".intro").is_visible()


def test_another_browser_presenting_my_conversation_id_gets_a_new_empty_conversation(
    new_context: Any, web: WebApp, web_servers: Servers
) -> None:
    mine = ChatPage(new_context().new_page(), web).open()
    screen(mine, web_servers, ELIGIBLE_MAN, stop_after=2)
    victim = mine.conversation_id()
    signed = next(c["value"] for c in mine.page.context.cookies() if c["name"] == "conversation")
    events_before = tracker_rows(web_servers, victim)
    my_words = set(mine.bot_texts()) | set(mine.user_texts())

    other = new_context()
    host = "127.0.0.1"
    forged = [victim, f"{victim}.forged-signature", f"{victim}.{signed.rpartition('.')[2][:-2]}xx"]
    for value in forged:
        other.clear_cookies()
        other.add_cookies([{"name": "conversation", "value": value, "domain": host, "path": "/"}])
        page = ChatPage(other.new_page(), web).open(f"/?sender={victim}&session_id={victim}&conversation_id={victim}")
        assert page.bot_texts() == [] and page.user_texts() == []
        assert page.conversation_id() != victim
        page.page.close()

    # The id in every other place a page could put it: the body, the query, a socket.io handshake.
    page = ChatPage(other.new_page(), web).open()
    reply = page.page.evaluate(
        """async (victim) => {
            const post = await fetch('/api/chat?sender=' + victim + '&session_id=' + victim, {
                method: 'POST', headers: {'Content-Type': 'application/json'},
                body: JSON.stringify({message: 'yes', sender: victim, session_id: victim, conversation_id: victim})});
            const history = await fetch('/api/history?sender=' + victim);
            const socket = await fetch('/socket.io/?EIO=4&transport=polling&session_id=' + victim);
            const rasa = await fetch('/webhooks/rest/webhook', {method: 'POST',
                headers: {'Content-Type': 'application/json'}, body: JSON.stringify({sender: victim, message: 'hi'})});
            return {post: await post.json(), history: await history.json(), socket: socket.status, rasa: rasa.status};
        }""",
        victim,
    )
    assert reply["socket"] == 404 and reply["rasa"] == 404
    seen = {m["text"] for m in reply["history"]["messages"] + reply["post"]["messages"]}
    assert not seen & my_words, seen & my_words
    assert page.conversation_id() not in (None, victim)
    assert tracker_rows(web_servers, victim) == events_before  # nothing was read from or written to mine

    mine.page.reload()
    mine.page.wait_for_selector("body.ready")
    assert set(mine.bot_texts()) | set(mine.user_texts()) == my_words  # mine is intact


def test_change_my_last_answer_after_a_no_to_a_gate_question(
    new_context: Any, web: WebApp, web_servers: Servers
) -> None:
    chat = ChatPage(new_context().new_page(), web).open()
    chat.press("Check if I might qualify")
    chat.press("Yes, I agree")
    sender = chat.conversation_id()
    for _ in range(30):
        requested = web_servers.slots(sender)["requested_slot"]
        chat.answer(ELIGIBLE_MAN[requested])
        if requested == "bone_medicine_any":
            break
    assert web_servers.slots(sender)["bone_medicine_any"] is False
    chat.page.click("#change")
    panel = chat.page.locator("#correcting")
    panel.wait_for(state="visible")
    assert "bone" in panel.inner_text().lower()  # the page names the question the person answered
    chat._turn(lambda: panel.get_by_role("button", name="Yes").click())
    assert web_servers.slots(sender)["bone_medicine_any"] is True
