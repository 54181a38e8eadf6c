"""Store a finished self-screening with the protocol version it was judged by."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.eligibility import Answers, Evaluation
from bot.store.models import ScreeningRow


@dataclass(frozen=True)
class Conversation:
    """Where a person talked to us: the channel and the id the server issued for them."""

    channel: str
    conversation_id: str

    def __post_init__(self) -> None:
        if not self.channel or not self.conversation_id or len(self.conversation_id) > 128 or len(self.channel) > 32:
            raise ValueError("a conversation needs a channel (≤32 chars) and an id (≤128 chars)")


def save_screening(
    session: Session, conversation: Conversation, answers: Answers, evaluation: Evaluation
) -> ScreeningRow:
    row = ScreeningRow(
        channel=conversation.channel,
        conversation_id=conversation.conversation_id,
        language=evaluation.language,
        protocol_version=evaluation.protocol_version,
        as_of=answers.as_of,
        status=evaluation.status,
        eligible_from=evaluation.eligible_from,
        answers=answers.to_json(),
        result=[c.to_dict() for c in evaluation.criteria],
    )
    session.add(row)
    session.flush()
    return row
