"""One-turn actions around the screening: why we ask, pause, go on, restart, corrections, fallback."""

from __future__ import annotations

import logging
from datetime import date

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.common import (
    SCREENING_BOOKKEEPING,
    language,
    last_answered,
    latest_intent,
    latest_metadata,
    latest_text,
    plausible,
)
from actions.volunteered import facts_in
from bot.eligibility import load_protocol
from bot.eligibility.fields import ANSWER_FIELDS, NEVER
from bot.eligibility.protocol import rule_fields
from bot.screening.corrections import read_correction
from bot.screening.parsing import OUT_OF_RANGE, for_someone_else, parse_answer
from bot.screening.questions import gate_names, load_questions, question

logger = logging.getLogger(__name__)


def criterion_for(name: str) -> str | None:
    """The first criterion that depends on a question (a gate stands for the fields it opens)."""
    fields = set(question(name).opens or (name,))
    for criterion in load_protocol().criteria:
        if fields & set(rule_fields(criterion.rule)):
            return criterion.id
    return None


class ActionExplainQuestion(Action):
    """ "Why do you ask?": the study rule behind the open question, in the engine's own words."""

    def name(self) -> str:
        return "action_explain_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        requested = tracker.get_slot(REQUESTED_SLOT)
        cid = criterion_for(requested) if requested and requested in {q.name for q in load_questions()} else None
        if cid is None:
            dispatcher.utter_message(response="why_general")
            return []
        text = load_protocol().explanations(language(tracker))[cid]["unknown"]
        dispatcher.utter_message(response="why_we_ask", reason=text)
        return []


class ActionPauseScreening(Action):
    """Pause: the answers stay; "continue" resumes at the question that was open."""

    def name(self) -> str:
        return "action_pause_screening"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response="paused")
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]


class ActionGoOn(Action):
    """ "Go on" / "continue": after an early stop, the person chose to answer the remaining questions
    anyway; after a pause, the screening simply resumes (a later failure still stops it early)."""

    def name(self) -> str:
        return "action_go_on"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if tracker.get_slot("screening_status") != "ineligible":
            return []
        return [SlotSet("go_on_after_fail", True), SlotSet("screening_status", None)]


def cleared_answers() -> list[EventType]:
    names = [*ANSWER_FIELDS, *gate_names(), *SCREENING_BOOKKEEPING, "screening_remaining"]
    events: list[EventType] = [SlotSet(name, None) for name in names]
    return [*events, SlotSet("screening_skipped", []), SlotSet("screening_misreads", {})]


class ActionRestartScreening(Action):
    def name(self) -> str:
        return "action_restart_screening"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response="restarted")
        return [*cleared_answers(), SlotSet(REQUESTED_SLOT, None)]


def _panel_target(tracker: Tracker) -> str | None:
    """The answer a channel's correction control changes, when it says (the web page's panel does)."""
    pinned = latest_metadata(tracker).get("correction")
    target = pinned.get("target") if isinstance(pinned, dict) else None
    return target if target in {q.name for q in load_questions()} else None


class ActionApplyCorrection(Action):
    """ "Actually I'm 63", "wait, I did take alendronate": change that answer, then carry on."""

    def name(self) -> str:
        return "action_apply_correction"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if tracker.active_loop_name == "handoff_form":
            events = handoff_correction(latest_text(tracker), language(tracker))
            if events:
                dispatcher.utter_message(response="correction_applied")
                return events
        if tracker.get_slot("data_consent") is not True:
            dispatcher.utter_message(response="nothing_to_resume")
            return []
        lang = language(tracker)
        correction = read_correction(tracker.latest_message.get("text") or "", lang)
        target = _panel_target(tracker) or correction.target or last_answered(tracker)
        if target is None:
            dispatcher.utter_message(response="correction_not_understood")
            return []
        q = question(target)
        today = date.today()
        parsed = parse_answer(q, correction.answer_text, as_of=today, language=lang, intent=None)
        if parsed.problem == OUT_OF_RANGE:
            dispatcher.utter_message(response="reask_implausible")
            return []
        if parsed.dont_know:  # "actually I don't know my T-score": that answer becomes unknown
            skipped = list(tracker.get_slot("screening_skipped") or [])
            skipped += [n for n in (target, *q.opens) if n not in skipped]
            dispatcher.utter_message(response="correction_applied")
            return [SlotSet(target, None), SlotSet("screening_skipped", skipped), *_rejudged()]
        if not parsed.understood or parsed.confirm:
            dispatcher.utter_message(response="correction_not_understood")
            return []
        events: list[EventType] = [SlotSet(target, parsed.value)]
        skipped = [n for n in tracker.get_slot("screening_skipped") or [] if n not in (target, *q.opens)]
        events.append(SlotSet("screening_skipped", skipped))
        if q.is_gate:
            for field in q.opens:
                # "no" answers the gated dates as never; "yes" reopens them so the form asks when.
                events.append(SlotSet(field, NEVER if parsed.value is False else None))
            if parsed.value is True and q.after:
                events.append(SlotSet(q.after, True))
            # "wait, I also had a zoledronic acid drip in June 2025": the date comes with the gate.
            events += [SlotSet(field, value) for field, value in parsed.also.items() if field in q.opens]
        else:
            if not plausible(target, parsed.value, tracker):
                dispatcher.utter_message(response="reask_implausible")
                return []
        dispatcher.utter_message(response="correction_applied")
        return [*events, *_rejudged()]


def _rejudged() -> list[EventType]:
    """A changed answer can change the result: the screening is re-judged when the form runs again."""
    return [SlotSet("screening_status", None), SlotSet("go_on_after_fail", False)]


def handoff_correction(text: str, language_code: str) -> list[EventType]:
    """ "Not Beijing, I meant Kunshan", "my number is ...": change hand-off details, then confirm again."""
    from actions.handoff import find_site, read_contact  # the hand-off's own readers

    events: list[EventType] = []
    site = find_site(text)
    if site is not None:
        events.append(SlotSet("handoff_site", site.code))
    contact = read_contact(text, language_code)
    if contact is not None:
        events.append(SlotSet("handoff_contact", contact))
    return [*events, SlotSet("handoff_confirm", None)] if events else []


def tells_a_case(tracker: Tracker) -> bool:
    """ "I'm a 70 year old man with type 2 diabetes for 15 years...": someone telling their case
    outside any question (two facts or more), not a misunderstanding."""
    return tracker.active_loop_name is None and len(facts_in(latest_text(tracker), None, tracker)) >= 2


def start_with_the_case(dispatcher: CollectingDispatcher) -> list[EventType]:
    """The screening starts (consent first); it keeps the facts of that message (``opening_message``)."""
    dispatcher.utter_message(response="volunteered_start")
    return [SlotSet("person_offered", False), FollowupAction("screening_form")]


class ActionAnswerOutsideAQuestion(Action):
    """An answer with no question open: the menu, or the screening when the words tell a case."""

    def name(self) -> str:
        return "action_answer_outside_a_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if tells_a_case(tracker):
            return start_with_the_case(dispatcher)
        dispatcher.utter_message(response="utter_main_menu")
        return []


class ActionFallback(Action):
    """Two-stage fallback: first ask to rephrase; if the next message is not understood either, offer a person."""

    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if for_someone_else(latest_text(tracker), language(tracker)):
            # "I'm asking for my mother, can I answer for her?": a normal path, not a misunderstanding.
            dispatcher.utter_message(response="for_someone_else")
            return [SlotSet("person_offered", False)]
        if tells_a_case(tracker):
            return start_with_the_case(dispatcher)
        if _previous_turn_was_fallback(tracker):
            dispatcher.utter_message(response="offer_person")
            return [SlotSet("person_offered", True)]
        if latest_intent(tracker) == "out_of_scope":
            dispatcher.utter_message(response="out_of_scope")
        else:
            dispatcher.utter_message(response="default")
        return [SlotSet("person_offered", False)]


def _previous_turn_was_fallback(tracker: Tracker) -> bool:
    users_seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users_seen += 1
            if users_seen > 1:
                return False
        elif users_seen == 1 and event.get("event") == "action":
            name = event.get("name")
            if name == "action_listen":
                continue
            return name == "action_fallback"
    return False
