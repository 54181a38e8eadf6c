"""Check action-server replies against Rasa's schema with one compiled validator, not a new one per call.

Rasa 3.6 validates every action-server reply with ``jsonschema.validate(result, spec)``, which checks
the schema itself against the JSON-Schema meta-schema on every call: about 15 ms of CPU per custom
action, more than a whole stock assistant turn. The schema never changes, so it is checked once here
and the compiled validator is reused. Same checks, same ``ValidationError`` on a bad reply.

Installed by ``bot.channels.rest`` (the channel module every server of ours loads).
"""

from __future__ import annotations

import functools
from typing import Any

from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@functools.lru_cache(maxsize=1)
def _validator() -> Validator:
    spec = RemoteAction.action_response_format_spec()
    cls = validator_for(spec)
    cls.check_schema(spec)
    return cls(spec)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    try:
        _validator().validate(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
