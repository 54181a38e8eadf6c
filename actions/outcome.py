"""Tell the person what their answers mean, in plain words; the core decides, this only reports."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import language, screening_state
from bot.eligibility import ELIGIBLE, INELIGIBLE, NEEDS_REVIEW, AnswerError, CriterionResult, load_protocol
from bot.screening.parsing import format_date
from bot.screening.planner import hard_failures, plan


def readable(result: CriterionResult, language: str) -> str:
    """A criterion's explanation with its clearing date written as people read dates."""
    if result.clears_on is None:
        return result.explanation
    template = load_protocol().explanations(language)[result.id][result.result]
    return template.format(clears_on=format_date(result.clears_on, language))


def _lines(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


class ActionScreeningOutcome(Action):
    def name(self) -> str:
        return "action_screening_outcome"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if tracker.get_slot("data_consent") is False:
            dispatcher.utter_message(response="consent_declined")
            return [SlotSet("screening_status", "declined")]
        lang = language(tracker)
        try:
            result = plan(screening_state(tracker), language=lang)
        except AnswerError:
            dispatcher.utter_message(response="technical_problem")
            return []
        evaluation = result.evaluation
        by_id = {c.id: c for c in evaluation.criteria}
        if result.stopped_early:
            reason = " ".join(by_id[cid].explanation for cid in hard_failures(evaluation))
            dispatcher.utter_message(response="early_stop", reason=reason)
            return [SlotSet("screening_status", INELIGIBLE), SlotSet("screening_remaining", 0.0)]
        values: dict[str, Any] = {}
        if evaluation.status == ELIGIBLE:
            response = "outcome_eligible"
        elif evaluation.status == NEEDS_REVIEW:
            response = "outcome_needs_review"
            values["missing"] = _lines([f"{c.title}: {c.explanation}" for c in evaluation.unknown()])
        else:
            failing = evaluation.failing()
            values["reasons"] = _lines([readable(c, lang) for c in failing])
            if evaluation.eligible_from:
                response = "outcome_ineligible_until" if len(failing) == 1 else "outcome_ineligible_until_latest"
                values["eligible_from"] = format_date(evaluation.eligible_from, lang)
            elif all(c.washout or c.temporary for c in failing):
                response = "outcome_not_yet"  # an infection, a dental wound, a wait with no date: not for good
            else:
                response = "outcome_ineligible"
        dispatcher.utter_message(response=response, **values)
        return [SlotSet("screening_status", evaluation.status), SlotSet("screening_remaining", 0.0)]
