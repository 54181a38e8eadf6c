"""A Rasa NLU component that says which language a message shows, as the entity ``language``.

The ``language`` slot is filled from that entity (domain.yml), so the slot changes only when a message
shows a language: Chinese characters, or a request such as "English please" / "说中文" (which also
becomes the intent ``switch_language``, with the surer evidence of a pattern). Messages without either
("62", "ok") leave the conversation's language as it was. The channel's own statement of the language
(message metadata) is read once, at session start, by ``action_session_start``.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.languages.detect import message_language, switch_request
from bot.nlu.intents import SurerEvidence, force_intent

LANGUAGE_ENTITY = "language"
SWITCH_INTENT = "switch_language"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LanguageMarker(SurerEvidence):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            language = message_language(text)
            if language is None:
                continue
            if switch_request(text):
                force_intent(message, SWITCH_INTENT)
            entity = {
                "entity": LANGUAGE_ENTITY,
                "value": language,
                "start": 0,
                "end": len(text),
                "extractor": self.__class__.__name__,
            }
            others = [e for e in message.get(ENTITIES) or [] if e.get("entity") != LANGUAGE_ENTITY]
            message.set(ENTITIES, [*others, entity], add_to_output=True)
        return messages
