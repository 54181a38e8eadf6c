"""Setting a message's intent from evidence surer than the classifier's guess (a pattern, a control)."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

INTENT_RANKING = "intent_ranking"


def force_intent(message: Message, name: str) -> None:
    """Make ``name`` the message's intent with full confidence, keeping the rest of the ranking below it."""
    top = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [r for r in message.get(INTENT_RANKING) or [] if r.get(INTENT_NAME_KEY) != name]
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING, [top, *ranking], add_to_output=True)
