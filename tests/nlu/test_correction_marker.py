"""The correction marker: a message from a correction control is a correction, whatever the classifier guessed."""

from __future__ import annotations

from pathlib import Path

import yaml
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.correction_marker import CorrectionMarker
from bot.nlu.red_flag_classifier import RedFlagClassifier

CONFIG = Path(__file__).resolve().parents[2] / "config.yml"


def _classified(text: str, metadata: dict | None) -> Message:
    message = Message(data={"text": text, "metadata": metadata})
    guess = {"name": "affirm", "confidence": 0.93}
    message.set("intent", guess, add_to_output=True)
    message.set("intent_ranking", [guess, {"name": "correction", "confidence": 0.05}], add_to_output=True)
    return message


def test_a_message_from_the_correction_panel_is_a_correction() -> None:
    (message,) = CorrectionMarker().process([_classified("correction: Yes", {"correction": {"target": "sex"}})])
    assert message.get("intent") == {"name": "correction", "confidence": 1.0}
    ranking = [r["name"] for r in message.get("intent_ranking")]
    assert ranking == ["correction", "affirm"]  # the classifier's guess stays below, without a duplicate


def test_other_messages_keep_the_classifier_reading() -> None:
    for metadata in (None, {}, {"channel": "web"}, "correction"):
        (message,) = CorrectionMarker().process([_classified("yes", metadata)])
        assert message.get("intent")["name"] == "affirm"


def test_an_emergency_typed_into_the_panel_stays_an_emergency() -> None:
    """The red-flag patterns run after the marker (config.yml), so they have the last word."""
    message = _classified("correction: I have chest pain right now", {"correction": {}})
    (message,) = RedFlagClassifier().process(CorrectionMarker().process([message]))
    assert message.get("intent")["name"] == "red_flag"
    names = [c["name"] for c in yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["pipeline"]]
    assert names.index("bot.nlu.correction_marker.CorrectionMarker") < names.index(
        "bot.nlu.red_flag_classifier.RedFlagClassifier"
    )


def test_a_classifier_sure_of_another_intent_does_not_make_the_correction_ambiguous() -> None:
    """The FallbackClassifier after the marker reads a top two within its ambiguity threshold as
    nlu_fallback: then the panel's "Yes" answered the open question instead of the corrected one."""
    fallback = next(c for c in yaml.safe_load(CONFIG.read_text())["pipeline"] if c["name"] == "FallbackClassifier")
    message = Message(data={"text": "correction: Yes", "metadata": {"correction": {"target": "bone_medicine_any"}}})
    sure = {"name": "affirm", "confidence": 1.0}
    message.set("intent", sure, add_to_output=True)
    message.set("intent_ranking", [sure, {"name": "correction", "confidence": 0.0}], add_to_output=True)
    (message,) = CorrectionMarker().process([message])
    first, second = message.get("intent_ranking")[:2]
    assert first["name"] == "correction" and second["name"] == "affirm"
    assert first["confidence"] - second["confidence"] > fallback["ambiguity_threshold"]
