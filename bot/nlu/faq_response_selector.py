"""Rasa's ``ResponseSelector``, run only on messages the intent classifier read as a retrieval intent.

Rasa runs the selector's network on every message, although only a ``faq`` message ever uses
its choice (the rule ``faq -> utter_faq``). Most messages are screening answers, so that was a
second neural network on almost every turn for nothing (about 3 ms of a 35 ms turn, ``make bench``).
Training and the model are Rasa's own; only the prediction is skipped when it cannot be used.
"""

from __future__ import annotations

import warnings

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message

# Rasa's recipe validator looks for the ResponseSelector class itself, not a subclass, and would warn
# at every training that the FAQ examples go unused. They do not: this class trains on them.
warnings.filterwarnings(
    "ignore",
    message="You have defined training data with examples for training a response selector",
    category=UserWarning,
)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class FaqResponseSelector(ResponseSelector):
    """Must come after the intent classifier in the pipeline: it reads the intent that one set."""

    def _selects_for(self, message: Message) -> bool:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if self.retrieval_intent:
            return intent == self.retrieval_intent
        return intent in self.all_retrieval_intents

    def process(self, messages: list[Message]) -> list[Message]:
        selected = [message for message in messages if self._selects_for(message)]
        if selected:
            super().process(selected)
        return messages
