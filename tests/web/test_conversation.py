"""The page's view of Rasa's tracker: history, progress, and the answer a person may change."""

from __future__ import annotations

from typing import Any

from bot.web import conversation
from bot.web.translations import load

STRINGS = load("en")
YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]


def bot(text: str, buttons: list[dict[str, str]] | None = None, action: str | None = None) -> dict[str, Any]:
    return {"event": "bot", "text": text, "data": {"buttons": buttons}, "metadata": {"utter_action": action}}


def user(text: str) -> dict[str, Any]:
    return {"event": "user", "text": text}


def slot(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


EVENTS = [
    {"event": "action", "name": "action_session_start"},
    user("/start_screening"),
    bot("Do you agree?", [{"title": "Yes, I agree", "payload": "/affirm"}], "ask_data_consent_screening"),
    user("/affirm"),
    bot("Thank you."),
    bot("Type 2 diabetes?", [*YES_NO, {"title": "I don't know", "payload": "/dont_know"}], "ask_type2_diabetes"),
    slot("data_consent", True),
    user("/affirm"),
    bot("Man or woman?", [{"title": "Man", "payload": "man"}, {"title": "Woman", "payload": "woman"}], "ask_sex"),
    slot("type2_diabetes", True),
]


def test_history_shows_button_titles_for_payloads_and_only_the_last_buttons() -> None:
    messages = conversation.history(EVENTS, STRINGS)
    assert [(m["from"], m["text"]) for m in messages] == [
        ("user", "Check if I might qualify"),  # a payload from our own page's buttons
        ("bot", "Do you agree?"),
        ("user", "Yes, I agree"),  # the title of the button that was offered
        ("bot", "Thank you."),
        ("bot", "Type 2 diabetes?"),
        ("user", "Yes"),
        ("bot", "Man or woman?"),
    ]
    assert [m["buttons"] for m in messages if m["from"] == "bot"][:-1] == [[], [], []]
    assert [b["title"] for b in messages[-1]["buttons"]] == ["Man", "Woman"]


def test_a_correction_is_shown_as_a_changed_answer() -> None:
    messages = conversation.history([user(STRINGS["correction_prefix"] + "woman")], STRINGS)
    assert messages == [{"from": "user", "text": f"{STRINGS['changed_answer']} woman"}]


def test_the_last_answer_is_the_last_question_asked_and_answered() -> None:
    last = conversation.last_answer(EVENTS)
    assert last == {
        "name": "type2_diabetes",  # the web app sends it back with the correction: the panel's question
        "question": "Type 2 diabetes?",
        "buttons": [{"title": "Yes", "payload": "Yes"}, {"title": "No", "payload": "No"}],
    }


def test_fields_a_gate_answers_without_asking_are_not_the_last_answer() -> None:
    events = [
        *EVENTS,
        bot("Any bone medicine?", YES_NO, "ask_bone_medicine_any"),
        user("/deny"),
        slot("bone_medicine_any", False),
        slot("last_oral_bisphosphonate", "never"),  # set by the gate, never asked
    ]
    assert conversation.last_answer(events)["question"] == "Any bone medicine?"


def test_nothing_to_change_before_an_answer_or_after_a_reset() -> None:
    assert conversation.last_answer(EVENTS[:5]) is None
    assert conversation.last_answer([*EVENTS, {"event": "reset_slots"}]) is None
    assert conversation.last_answer([*EVENTS, slot("type2_diabetes", None)]) is None


def test_progress_only_while_a_screening_question_is_open() -> None:
    asking = {
        "slots": {"data_consent": True, "requested_slot": "age", "screening_remaining": 12.0, "type2_diabetes": True},
        "active_loop": {"name": "screening_form"},
    }
    assert conversation.state(asking) == {
        "progress": {"remaining": 12}, "can_change": True, "forget_asked": False, "language": None}
    consent = {"slots": {"requested_slot": "data_consent"}, "active_loop": {"name": "screening_form"}}
    assert conversation.state(consent) == conversation.EMPTY_STATE
    handoff = {**asking, "active_loop": {"name": "handoff_form"}}
    assert conversation.state(handoff)["progress"] is None and not conversation.state(handoff)["can_change"]
    forgot = {"slots": {}, "latest_message": {"intent": {"name": "forget_me"}}}
    assert conversation.state(forgot)["forget_asked"] is True


def test_the_conversations_language_is_its_slot_when_it_is_one_of_ours() -> None:
    assert conversation.state({"slots": {"language": "zh"}})["language"] == "zh"
    assert conversation.state({"slots": {"language": "en"}})["language"] == "en"
    assert conversation.state({"slots": {"language": "fr"}})["language"] is None
    assert conversation.state({"slots": {}})["language"] is None


def test_a_correction_is_labelled_whatever_language_the_page_was_in() -> None:
    english, chinese = load("en"), load("zh")
    assert conversation.user_label("更正：女", [], english) == "Changed answer: 女"
    assert conversation.user_label("correction: 62", [], chinese) == "修改为 62"
    assert conversation.user_label('/switch_language{"language":"zh"}', [], english) == "中文"
    assert conversation.user_label("/affirm", [], chinese) == "是"


def test_rest_replies_keep_text_and_buttons_only() -> None:
    replies = [{"recipient_id": "x", "text": "Hi", "buttons": YES_NO}, {"recipient_id": "x", "image": "http://x"}]
    assert conversation.bot_messages(replies) == [{"from": "bot", "text": "Hi", "buttons": YES_NO}]
