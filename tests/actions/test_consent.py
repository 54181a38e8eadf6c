"""Consent is taken only from an unambiguous yes, in either language, whatever the classifier guessed.

The classifier reads many messages it does not understand as ``affirm`` (every Chinese one, before it
learnt Chinese). Consent to store health data or to pass contact details on must never come from
that guess: only a button's payload or words the answer reader reads as yes, in the person's language.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ValidateHandoffForm
from actions.screening_form import ValidateScreeningForm
from tests.actions.helpers import responses, slot_events

YES = {
    "en": ["yes", "Yes, I agree", "ok", "sure", "yes please", "/affirm"],
    "zh": ["是", "是的", "同意", "我同意", "好的", "可以", "对", "嗯", "行", "/affirm"],
}
REFUSALS = {
    "en": ["no", "No thanks", "I don't agree", "nope", "/deny"],
    "zh": ["不", "不同意", "不要", "不用了", "不行", "算了", "没有", "/deny"],
}
HESITATIONS = {
    "en": ["not sure", "let me think about it", "maybe later", "I need to ask my son", "hmm"],
    "zh": ["我再想想", "考虑一下", "让我想一想", "我问问我儿子", "不确定", "等等", "还没想好"],
}
UNREADABLE = {
    "en": ["asdfgh", "the weather is nice", "purple", "12345"],
    "zh": ["啊啊啊", "今天天气不错", "紫色", "哈哈"],
}
#: What the classifier might have guessed for any of them: consent must not depend on it.
GUESSES = ["affirm", "deny", "inform", None]


def _consent(
    form: Any, slot: str, text: str, intent: str | None, language: str, make_tracker, domain
) -> tuple[Any, list]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        slots={slot: None, "requested_slot": slot, "language": language},
        text=text,
        intent=intent,
        active_loop=form.name().removeprefix("validate_"),
        form_turn=True,
    )
    events = asyncio.run(form.run(dispatcher, tracker, domain))
    return slot_events(events).get(slot, "unset"), responses(dispatcher)


FORMS = [(ValidateScreeningForm(), "data_consent"), (ValidateHandoffForm(), "contact_consent")]


@pytest.mark.parametrize("form,slot", FORMS, ids=["health data", "contact details"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_only_a_clear_yes_gives_consent(form, slot, language, make_tracker, domain) -> None:
    for text in YES[language]:
        intent = "affirm" if text.startswith("/") else "inform"
        value, _ = _consent(form, slot, text, intent, language, make_tracker, domain)
        assert value is True, (language, text)


@pytest.mark.parametrize("form,slot", FORMS, ids=["health data", "contact details"])
@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("guess", GUESSES)
def test_refusals_hesitations_and_unreadable_text_never_consent(
    form, slot, language, guess, make_tracker, domain
) -> None:
    for kind in (REFUSALS, HESITATIONS, UNREADABLE):
        for text in kind[language]:
            if text.startswith("/"):
                continue  # a button's payload says what it says; the guess cannot differ
            value, said = _consent(form, slot, text, guess, language, make_tracker, domain)
            assert value is not True, (language, text, guess)
            if kind is REFUSALS:
                assert value is False, (language, text, guess)
            if kind is not REFUSALS and value is None:
                assert "reask_yes_no" in said, (language, text)  # asked again, politely


@pytest.mark.parametrize("language", ["en", "zh"])
def test_an_unreadable_answer_to_a_gate_question_is_never_a_yes(language, make_tracker, domain) -> None:
    form = ValidateScreeningForm()
    slots = {"data_consent": True, "type2_diabetes": True, "sex": "male", "age": 62.0, "diabetes_years": 12.0,
             "hip_or_vertebral_fragility_fracture": True, "secondary_osteoporosis": False,
             "cancer_within_5_years": False, "language": language}
    for text in UNREADABLE[language] + HESITATIONS[language]:
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(slots={**slots, "requested_slot": "bone_medicine_any"}, text=text, intent="affirm",
                               active_loop="screening_form", form_turn=True)
        events = asyncio.run(form.run(dispatcher, tracker, domain))
        assert slot_events(events).get("bone_medicine_any") is not True, (language, text)
