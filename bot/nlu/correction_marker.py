"""A Rasa NLU component that reads a message sent from a "change my last answer" control as a correction.

The web page's correction panel says in the message's metadata which answer it changes. Its words
alone ("Yes", "No", "Man") read like any other answer, and whether the classifier ranks such a short
message as ``correction`` or as ``affirm`` is a property of one trained model, not of the design: the
control's own word is surer evidence than the classifier's guess. Runs before the red-flag patterns,
so an emergency typed into the panel is still an emergency.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intents import SurerEvidence, force_intent

CORRECTION_INTENT = "correction"
#: The metadata key a channel sets on a message sent from its correction control.
CORRECTION_METADATA = "correction"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CorrectionMarker(SurerEvidence):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            metadata = message.get("metadata")
            if isinstance(metadata, dict) and CORRECTION_METADATA in metadata:
                force_intent(message, CORRECTION_INTENT)
        return messages
