"""Setting a message's intent from evidence surer than the classifier's guess (a pattern, a control)."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

INTENT_RANKING = "intent_ranking"


#: How far the classifier's other intents drop under a forced one (see force_intent).
_BELOW_FORCED = 0.5


def force_intent(message: Message, name: str) -> None:
    """Make ``name`` the message's intent with full confidence, keeping the rest of the ranking below it.

    The others are halved: left as they were, a classifier sure of another intent (a "Yes" sent from
    the correction panel is ``affirm`` at 1.0) ties with the forced one, and the FallbackClassifier's
    ambiguity check (top two within 0.1) turns the message into ``nlu_fallback``.
    """
    top = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [
        {**r, PREDICTED_CONFIDENCE_KEY: (r.get(PREDICTED_CONFIDENCE_KEY) or 0.0) * _BELOW_FORCED}
        for r in message.get(INTENT_RANKING) or []
        if r.get(INTENT_NAME_KEY) != name
    ]
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING, [top, *ranking], add_to_output=True)


class SurerEvidence(GraphComponent):
    """A component that learns nothing: built from its config alone, it leaves training data as it is
    and only corrects the classifier's intents in ``process``."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SurerEvidence:
        return cls(config)

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = {**self.get_default_config(), **(config or {})}

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
