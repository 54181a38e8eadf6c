"""The conversation's language: what one message shows (bot.languages), the NLU marker that turns it into
the ``language`` entity, the bilingual tokenizer, and the session start that takes the channel's word."""

from __future__ import annotations

import asyncio

import pytest
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart, stated_language
from bot.languages.detect import has_chinese, message_language, switch_request
from bot.nlu.language_marker import LanguageMarker
from bot.nlu.tokenizer import BilingualTokenizer

SWITCHES = {
    "English please": "en", "english": "en", "Can we speak English?": "en", "in english please": "en",
    "用英文吧": "en", "说英语": "en",
    "说中文": "zh", "中文": "zh", "请用中文": "zh", "能说中文吗": "zh", "我看不懂英文": "zh", "Chinese please": "zh",
    "说中文！": "zh", "ＥＮＧＬＩＳＨ": "en",
}
NOT_SWITCHES = [
    "is the study done in English?", "my English is not good but I can try", "62", "eGFR 45", "ok", "yes",
    "这个研究用中文还是英文", "中文名字怎么填",
]


@pytest.mark.parametrize("text,language", SWITCHES.items())
def test_requests_to_switch_are_recognised(text: str, language: str) -> None:
    assert switch_request(text) == language
    assert message_language(text) == language


@pytest.mark.parametrize("text", NOT_SWITCHES)
def test_questions_about_language_and_plain_answers_are_not_switches(text: str) -> None:
    assert switch_request(text) is None


@pytest.mark.parametrize("text,expected", [
    ("我今年六十二岁", "zh"), ("T值 -2.6", "zh"), ("骨質疏鬆", "zh"), ("62", None), ("eGFR 45", None),
    ("I don't know", None), ("", None),
])
def test_chinese_characters_mean_chinese_and_latin_text_says_nothing(text: str, expected: str | None) -> None:
    assert message_language(text) == expected
    assert has_chinese(text) is (expected == "zh")


def _marked(text: str, intent: str = "affirm") -> Message:
    message = Message(data={"text": text})
    guess = {"name": intent, "confidence": 0.9}
    message.set("intent", guess, add_to_output=True)
    message.set("intent_ranking", [guess], add_to_output=True)
    (message,) = LanguageMarker().process([message])
    return message


def test_the_marker_sets_the_language_entity_and_a_switch_intent() -> None:
    switch = _marked("说中文")
    assert switch.get("intent")["name"] == "switch_language"
    assert [(e["entity"], e["value"]) for e in switch.get("entities")] == [("language", "zh")]
    chinese = _marked("我没有糖尿病", intent="deny")
    assert chinese.get("intent")["name"] == "deny"  # a Chinese answer stays an answer
    assert [e["value"] for e in chinese.get("entities")] == ["zh"]
    digits = _marked("62", intent="inform")
    assert not digits.get("entities")  # the conversation's language stays what it was


def test_the_tokenizer_keeps_english_as_whitespace_tokens_and_cuts_chinese_into_words() -> None:
    tokenizer = BilingualTokenizer(BilingualTokenizer.get_default_config())
    plain = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    for text in ("what's the study for?", "i'm 62, t-score -2.5", "call me at 13800138000 :)"):
        message = Message(data={"text": text})
        ours = [(t.text, t.start) for t in tokenizer.tokenize(message, "text")]
        assert ours == [(t.text, t.start) for t in plain.tokenize(message, "text")]  # English figures unchanged
    chinese = [t.text for t in tokenizer.tokenize(Message(data={"text": "地舒单抗是打针吗？我62岁"}), "text")]
    assert chinese[:2] == ["地舒单抗", "是"]  # the trial's terms stay whole (user dictionary)
    assert "62" in chinese and all(t.strip() for t in chinese)  # digits apart, no whitespace or punctuation
    mixed = tokenizer.tokenize(Message(data={"text": "T值 -2.6"}), "text")
    text = "T值 -2.6"
    assert all(text[t.start : t.end] == t.text for t in mixed)  # offsets point into the message


def _session_start(slots: dict, metadata: dict | None) -> dict:
    tracker = Tracker.from_dict({
        "sender_id": "s1",
        "slots": {"language": None, "session_started_metadata": metadata, **slots},
        "latest_message": {},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": None,
    })
    events = asyncio.run(ActionSessionStart().run(CollectingDispatcher(), tracker, {}))
    assert events[0]["event"] == "session_started" and events[-1]["name"] == "action_listen"
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_session_start_takes_the_channels_language_and_carries_the_rest_over() -> None:
    assert _session_start({}, {"language": "zh"})["language"] == "zh"
    assert "language" not in _session_start({}, None)  # unset: English, until a message shows otherwise
    kept = _session_start({"language": "en", "age": 62.0}, {"language": "zh"})
    assert kept == {"language": "en", "age": 62.0}  # a person's own switch outlives the channel's default
    assert stated_language({"language": "fr"}) is None and stated_language("zh") is None
