"""An emergency answer needs evidence of an emergency: a red-flag pattern, or the classifier sure of it
in a message that is not a known false alarm. Sensitivity stays: every pattern still wins."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.red_flag_classifier import MIN_CONFIDENCE, RedFlagClassifier


def classified(text: str, confidence: float, runner_up: str = "medical_advice") -> Message:
    message = Message(data={"text": text})
    guess = {"name": "red_flag", "confidence": confidence}
    message.set("intent", guess, add_to_output=True)
    message.set("intent_ranking", [guess, {"name": runner_up, "confidence": 0.05}], add_to_output=True)
    return message


def intent_after(message: Message) -> str:
    (processed,) = RedFlagClassifier().process([message])
    return processed.get("intent")["name"]


@pytest.mark.parametrize(
    "text",
    [
        "I had a bad chest infection last month",
        "I have a chest infection, the doctor gave me antibiotics",
        "Hi, I'm asking for my mother, can I answer for her?",
        "I am filling this in for my dad",
        "I had a stroke in 2019",
    ],
)
def test_a_false_alarm_is_not_an_emergency_even_when_the_classifier_is_sure(text: str) -> None:
    assert intent_after(classified(text, 0.97)) == "medical_advice"


def test_an_unsure_guess_is_not_an_emergency() -> None:
    assert intent_after(classified("my arm feels funny", MIN_CONFIDENCE - 0.05)) == "medical_advice"


def test_a_sure_guess_without_a_false_alarm_stays_an_emergency() -> None:
    assert intent_after(classified("I feel like ending it all", 0.95)) == "red_flag"


@pytest.mark.parametrize(
    "text",
    [
        "I am having chest pain",
        "I had a chest infection and now I have crushing pain in my chest",
        "asking for my mother: she fell and can't get up",
        "my face is drooping",
    ],
)
def test_a_pattern_is_always_an_emergency(text: str) -> None:
    message = classified(text, 0.1, runner_up="affirm")
    message.set("intent", {"name": "affirm", "confidence": 0.9}, add_to_output=True)
    assert intent_after(message) == "red_flag"


def test_other_intents_are_left_alone() -> None:
    message = Message(data={"text": "I had a chest infection"})
    message.set("intent", {"name": "inform", "confidence": 0.6}, add_to_output=True)
    assert intent_after(message) == "inform"
