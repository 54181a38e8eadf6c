"""Facts volunteered beyond the open question: said back together in one message, taken after one yes,
never over an answer the person already gave; in English and Chinese, mid-form and in the opening message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.screening_form import PENDING, ValidateScreeningForm
from tests.actions.helpers import responses, run, slot_events, user_event

FORM = "screening_form"
CONSENTED = {"data_consent": True}
#: The same person telling three facts at the diabetes question, in each language.
RAMBLE = {
    "en": "I'm a 62 year old woman, my periods stopped 5 years ago",
    "zh": "我是女的，今年62岁，绝经5年了",
}
FACTS = {"sex": "female", "age": 62.0, "years_since_menopause": 5.0}


@pytest.fixture
def turn(make_tracker: Callable[..., Tracker], domain: dict[str, Any]) -> Callable[..., tuple[dict, list, list]]:
    def say(slots: dict[str, Any], requested: str, text: str, intent: str = "inform") -> tuple[dict, list, list]:
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(slots={**slots, "requested_slot": requested}, text=text, intent=intent,
                               active_loop=FORM, form_turn=True)
        events = run(ValidateScreeningForm(), dispatcher, tracker, domain)
        return slot_events(events), responses(dispatcher), dispatcher.messages

    return say


@pytest.mark.parametrize("language", ["en", "zh"])
def test_facts_told_at_another_question_are_said_back_in_one_message(turn, language: str) -> None:
    slots, said, messages = turn({**CONSENTED, "language": language}, "type2_diabetes", RAMBLE[language])
    assert said == ["confirm_volunteered"]  # one message, and no question asked with it
    assert slots["type2_diabetes"] is None and slots.get("sex") is None  # nothing taken yet
    assert slots[PENDING]["facts"] == FACTS
    listed = messages[0]["facts"]
    assert ("62" in listed) and (("woman" in listed) if language == "en" else ("女" in listed))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_yes_takes_them_and_their_questions_are_not_asked(turn, language: str) -> None:
    pending, _, _ = turn({**CONSENTED, "language": language}, "type2_diabetes", RAMBLE[language])
    slots, said, _ = turn({**CONSENTED, "language": language, PENDING: pending[PENDING]}, "type2_diabetes", "/affirm",
                          "affirm")
    assert {k: slots[k] for k in FACTS} == FACTS
    assert said[0] == "volunteered_noted"
    assert said[-1] == "ask_type2_diabetes"  # then what was actually asked, again
    later, asked, _ = turn({**CONSENTED, **FACTS, "language": language}, "type2_diabetes", "/affirm", "affirm")
    assert asked[-1] not in ("ask_sex", "ask_age", "ask_years_since_menopause")


@pytest.mark.parametrize("language,no", [("en", "no"), ("zh", "不对")])
def test_a_no_keeps_nothing_and_asks_one_at_a_time(turn, language: str, no: str) -> None:
    pending, _, _ = turn({**CONSENTED, "language": language}, "type2_diabetes", RAMBLE[language])
    slots, said, _ = turn({**CONSENTED, "language": language, PENDING: pending[PENDING]}, "type2_diabetes", no)
    assert all(slots.get(k) is None for k in FACTS)
    assert said == ["volunteered_declined", "ask_type2_diabetes"]


def test_a_volunteered_fact_never_replaces_an_answer_already_given(turn) -> None:
    slots, said, _ = turn({**CONSENTED, "age": 64.0}, "type2_diabetes", RAMBLE["en"])
    assert "age" not in slots[PENDING]["facts"]  # the answer to the direct question stands, unasked
    assert slots[PENDING]["facts"]["sex"] == "female"


def test_the_open_questions_own_answer_is_part_of_the_same_check(turn) -> None:
    slots, said, _ = turn(CONSENTED, "type2_diabetes", "yes, type 2 for 12 years, I'm a man of 66")
    facts = slots[PENDING]["facts"]
    assert facts["type2_diabetes"] is True and facts["sex"] == "male" and facts["age"] == 66.0
    assert said == ["confirm_volunteered"]


def test_a_plain_answer_volunteers_nothing(turn) -> None:
    for requested, text in (("age", "62"), ("sex", "woman"), ("type2_diabetes", "yes"), ("age", "六十二")):
        slots, said, _ = turn(CONSENTED, requested, text)
        assert PENDING not in slots or slots[PENDING] is None, text
        assert "confirm_volunteered" not in said


@pytest.mark.parametrize("language,opening", [
    ("en", "my daughter told me about this, I'm a 70 year old man with type 2 diabetes for 15 years, can I join?"),
    ("zh", "我女儿让我来问问，我是男的，今年70岁，2型糖尿病15年了，我能参加吗"),
])
def test_the_opening_messages_facts_wait_for_consent_then_one_yes(make_tracker, domain, language, opening) -> None:
    events = [
        {"event": "action", "name": "action_listen"},
        user_event(opening, "start_screening"),
        {"event": "action", "name": FORM},
        {"event": "active_loop", "name": FORM},
        {"event": "slot", "name": "requested_slot", "value": "data_consent"},
        {"event": "action", "name": "action_listen"},
        user_event("/affirm", "affirm"),
        {"event": "action", "name": FORM},
    ]
    tracker = make_tracker(slots={"language": language, "requested_slot": "data_consent"}, text="/affirm",
                           intent="affirm", events=events, active_loop=FORM)
    dispatcher = CollectingDispatcher()
    slots = slot_events(run(ValidateScreeningForm(), dispatcher, tracker, domain))
    assert slots["data_consent"] is True
    assert responses(dispatcher) == ["screening_intro", "confirm_volunteered"]  # no health data before consent
    assert slots[PENDING]["facts"] == {"type2_diabetes": True, "sex": "male", "age": 70.0, "diabetes_years": 15.0}


@pytest.mark.parametrize("language,text", [
    ("en", "I'm a 70 year old man, I have type 2 diabetes for 15 years"),
    ("zh", "我是男的，今年70岁，2型糖尿病15年了"),
])
def test_a_case_told_outside_any_question_starts_the_screening(make_tracker, domain, language, text) -> None:
    from actions.dialogue import ActionAnswerOutsideAQuestion

    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={"language": language}, text=text, intent="inform")
    events = run(ActionAnswerOutsideAQuestion(), dispatcher, tracker, domain)
    assert responses(dispatcher) == ["volunteered_start"]
    assert {"event": "followup", "name": "screening_form", "timestamp": None} in events
    plain = CollectingDispatcher()
    assert run(ActionAnswerOutsideAQuestion(), plain, make_tracker(text="62", intent="inform"), domain) == []
    assert responses(plain) == ["utter_main_menu"]


def test_a_correction_without_correction_words_answers_the_open_question(make_tracker) -> None:
    """The classifier called "my husband had a stroke, not me" a correction (found in the REST tests)."""
    from actions.answer_form import digression

    base = {**CONSENTED, "requested_slot": "cerebrovascular_disease"}
    answer = make_tracker(slots=base, text="my husband had a stroke, not me", intent="correction",
                          active_loop=FORM, form_turn=True)
    assert not digression(answer)
    fix = make_tracker(slots=base, text="actually I'm 63", intent="correction", active_loop=FORM, form_turn=True)
    assert digression(fix)
