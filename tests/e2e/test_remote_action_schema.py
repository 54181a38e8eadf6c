"""Action-server replies are still checked against Rasa's schema after our compiled-validator swap."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import bot.channels.rest  # noqa: F401 - installs the validator, as the Rasa server does


def test_a_valid_reply_passes() -> None:
    action = RemoteAction("action_x", None)
    reply = {"events": [{"event": "slot", "name": "age", "value": 62}], "responses": [{"response": "why_we_ask"}]}
    assert action._validate_action_result(reply) is True


@pytest.mark.parametrize("reply", [{"events": "not a list"}, {"events": [{"no_event_key": 1}]}, {"responses": 5}])
def test_a_malformed_reply_is_refused(reply: dict) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_x", None)._validate_action_result(reply)
