"""Behaviour shared by our forms: free text goes to the open question; consent comes first."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction
from rasa_sdk.types import DomainDict

from actions.common import DIGRESSION_INTENTS, language, latest_intent, latest_text
from bot.screening.corrections import opens_a_correction
from bot.screening.parsing import asks_something, parse_answer, parse_yes_no
from bot.screening.questions import load_questions, question

Slots = dict[str, Any]
#: After this many answers that could not be read, a question is left unknown.
MAX_MISREADS = 2
#: Digressions a plain answer can be mistaken for (never red_flag, forget_me, human_handoff, start_over).
ANSWER_LOOKALIKES = frozenset({"faq", "stop", "medical_advice", "learn_more", "goodbye"})
#: Hand-off answers that are free text (a name, a phone number, a time): any words that ask nothing answer them.
FREE_TEXT_SLOTS = frozenset({"handoff_name", "handoff_contact", "handoff_time"})


def question_names() -> frozenset[str]:
    return frozenset(q.name for q in load_questions())


def just_activated(tracker: Tracker) -> bool:
    """True when the form started in this turn: the latest message was not an answer to it."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "active_loop" and event.get("name") == tracker.active_loop_name:
            return True
    return False


def answering(tracker: Tracker) -> bool:
    """True when the form runs on the person's new message, not on returning after another reply.

    (Rasa hands the validation action a tracker that already ends with the form's own action.)
    """
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            return True
        if kind == "action" and event.get("name") not in (tracker.active_loop_name, "action_listen"):
            return False
    return False


def digression(tracker: Tracker) -> bool:
    """The person's latest message is not an answer (a trial question, "why", "stop", an emergency)."""
    if not answering(tracker) or just_activated(tracker) or latest_intent(tracker) not in DIGRESSION_INTENTS:
        return False
    return not answer_after_all(tracker)


def answer_after_all(tracker: Tracker) -> bool:
    """A message the classifier took for a digression but whose words answer the open question.

    "yes fosamax once a week" reads like the alendronate FAQ and "I stopped it last March" like
    "stop", yet both answer the question on the screen. Only for the classifier's guesses that a
    plain answer can look like, and never for a message that asks something ("does fosamax count?").
    An emergency is always an emergency.
    """
    intent = latest_intent(tracker)
    requested = tracker.get_slot(REQUESTED_SLOT)
    text = latest_text(tracker)
    if intent == "correction" and not opens_a_correction(text, language(tracker)):
        intent = "inform"  # "my husband had a stroke, not me": no "actually", no "I said": an answer
    if intent not in ANSWER_LOOKALIKES and intent != "inform":
        return False
    if asks_something(text, language(tracker)):
        return False
    if requested in FREE_TEXT_SLOTS:
        return True  # a name, a number or a time of day is never a trial question ("李·阿依古丽" read as faq)
    if requested not in question_names():
        return False
    read = parse_answer(question(requested), text, as_of=date.today(), language=language(tracker))
    return read.understood and (read.dont_know or read.value is not None)


class ActionAskScreeningConsent(Action):
    """Rasa asks for consent through this action when a form starts with nothing to validate."""

    def name(self) -> str:
        return "action_ask_screening_form_data_consent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response="ask_data_consent_screening")
        return []


class ActionAskHandoffConsent(Action):
    def name(self) -> str:
        return "action_ask_handoff_form_contact_consent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response="ask_contact_consent")
        return []


class AnswerForm(FormValidationAction, metaclass=ABCMeta):
    """Puts the person's words into the open question's slot; ``validate_<slot>`` reads them.

    Messages with another purpose (a question about the trial, "why", "stop", an emergency)
    are left alone, so the form is rejected for that turn and the rules answer them; the form
    then asks the same question again.
    """

    @abstractmethod
    def name(self) -> str: ...

    #: The slot holding this form's consent (asked first, through action_ask_<form>_<slot>).
    consent_slot = "data_consent"
    #: Response sent when consent is given (each form says what comes next).
    consent_given_response: str | None = None

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if digression(tracker):
            return []  # nothing filled: Rasa rejects the form for this turn and the rules answer
        if just_activated(tracker) and tracker.get_slot(self.consent_slot) is False:
            # Asking again after a "no": the person may have changed their mind. Rasa asks the notice.
            return [SlotSet(self.consent_slot, None), SlotSet(REQUESTED_SLOT, self.consent_slot)]
        return await super().run(dispatcher, tracker, domain)

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        requested = tracker.get_slot(REQUESTED_SLOT)
        if not requested or just_activated(tracker) or not answering(tracker):
            return []
        return [SlotSet(requested, tracker.latest_message.get("text") or "")]

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventType | None:
        """Choose the next open question and ask it (the validation action knows which one it chose).

        Consent is the exception: Rasa asks it through ``action_ask_<form>_<consent slot>``, since on
        a first activation no validation runs.
        """
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        missing = next((slot for slot in required if tracker.get_slot(slot) is None), None)
        if missing is not None and missing != self.consent_slot:
            self.ask(missing, dispatcher, tracker)
        return SlotSet(REQUESTED_SLOT, missing)

    def ask(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        dispatcher.utter_message(response=f"ask_{slot}")

    def consent(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Slots:
        """Yes stores consent; no or "don't know" is a no; anything else is asked again (by Rasa)."""
        if isinstance(value, bool) or value is None:
            return {self.consent_slot: value}
        parsed = parse_yes_no(str(value), language(tracker), latest_intent(tracker))
        if parsed.value is True:
            if self.consent_given_response:
                dispatcher.utter_message(response=self.consent_given_response)
            return {self.consent_slot: True}
        if parsed.value is False or parsed.dont_know:
            return {self.consent_slot: False}
        dispatcher.utter_message(response="reask_yes_no")
        return {self.consent_slot: None}

    def misread(self, slot: str, reask_response: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Slots:
        """Re-ask politely with an example; after MAX_MISREADS, move on (the answer stays unknown)."""
        misreads = dict(tracker.get_slot("screening_misreads") or {})
        misreads[slot] = misreads.get(slot, 0) + 1
        if misreads[slot] >= MAX_MISREADS:
            dispatcher.utter_message(response="moving_on")
            skipped = list(tracker.get_slot("screening_skipped") or [])
            if slot not in skipped:
                skipped.append(slot)
            return {slot: None, "screening_misreads": misreads, "screening_skipped": skipped}
        dispatcher.utter_message(response=reask_response)
        return {slot: None, "screening_misreads": misreads}
