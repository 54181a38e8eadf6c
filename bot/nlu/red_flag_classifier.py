"""A Rasa NLU component that marks emergencies as the ``red_flag`` intent on every message.

The trained classifier may miss an emergency phrased in a new way, or may rank it below an
answer while a form is open; these patterns make sure "chest pain" is never read as an answer.

The other way round, an emergency answer ("call 120") needs evidence of an emergency: a pattern
match, or the classifier sure of it (``min_confidence``) in a message that names no known false
alarm ("I had a chest infection", "I'm asking for my mother"). Otherwise the classifier's next
guess stands, so the person's question or answer is dealt with instead.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intents import INTENT_RANKING, SurerEvidence, force_intent
from bot.safety.red_flags import not_an_emergency, red_flag

RED_FLAG_INTENT = "red_flag"
#: Below this, the classifier's guess alone is not evidence of an emergency.
MIN_CONFIDENCE = 0.9


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RedFlagClassifier(SurerEvidence):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"min_confidence": MIN_CONFIDENCE}

    @property
    def min_confidence(self) -> float:
        return float(self.config["min_confidence"])

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if red_flag(text):
                force_intent(message, RED_FLAG_INTENT)
            elif self._unfounded(message, text):
                _demote(message)
        return messages

    def _unfounded(self, message: Message, text: str) -> bool:
        intent = message.get(INTENT) or {}
        if intent.get(INTENT_NAME_KEY) != RED_FLAG_INTENT:
            return False
        return float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0) < self.min_confidence or not_an_emergency(text)


def _demote(message: Message) -> None:
    """The classifier's next guess becomes the intent (its confidence unchanged, so the fallback still judges it)."""
    ranking = [r for r in message.get(INTENT_RANKING) or [] if r.get(INTENT_NAME_KEY) != RED_FLAG_INTENT]
    if ranking:
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING, ranking, add_to_output=True)
