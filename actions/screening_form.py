"""The self-screening form: slots named exactly as the eligibility fields, asked in the planner's order."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.answer_form import AnswerForm, Slots
from actions.common import language, last_answered, latest_intent, plausible, read_value, screening_state
from actions.volunteered import FACTS, distinct, facts_in, opening_message, proposal, said_back
from bot.eligibility import AnswerError
from bot.eligibility.fields import NEVER
from bot.languages.detect import has_chinese
from bot.screening.echo import people_value, topic
from bot.screening.parsing import (
    FUTURE,
    IMPLAUSIBLE,
    INFERRED,
    OUT_OF_RANGE,
    POSITIVE,
    RESUME,
    SIGN,
    UNIT,
    Parsed,
    fix_opening,
    is_payload,
    normalise,
    parse_answer,
    parse_yes_no,
)
from bot.screening.planner import plan
from bot.screening.questions import Question, load_questions, question

logger = logging.getLogger(__name__)
REASK = {
    "yes_no": "reask_yes_no",
    "sex": "reask_sex",
    "age": "reask_age",
    "years": "reask_years",
    "number": "reask_number",
    "t_score": "reask_t_score",
    "date": "reask_date",
}

#: A reading that waits for the person's yes before it is taken: {"field", "value", "reason"}.
PENDING = "screening_pending"
#: The check each reason for confirming (``Parsed.confirm``) asks, with the proposal as ``{value}``...
CONFIRM = {
    SIGN: "confirm_sign",
    POSITIVE: "confirm_positive",
    UNIT: "confirm_unit",
    IMPLAUSIBLE: "confirm_implausible",
    INFERRED: "confirm_inferred",
}
#: ...unless its wording needs the field or what was read: keyed (reason, field) or (reason, wording).
CONFIRM_FOR = {
    (IMPLAUSIBLE, "years_since_menopause"): "confirm_implausible_years_since_menopause",
    (IMPLAUSIBLE, "diabetes_years"): "confirm_implausible_diabetes_years",
    (INFERRED, "age"): "confirm_inferred_age",
    (INFERRED, "yes"): "confirm_inferred_yes",
    (INFERRED, "no"): "confirm_inferred_no",
    (INFERRED, "male"): "confirm_inferred_male",
    (INFERRED, "female"): "confirm_inferred_female",
}
#: What a typed answer was read as, said back before the next question (by wording, see ``wording``)...
NOTED = {
    "yes": "noted_yes",
    "no": "noted_no",
    "male": "noted_male",
    "female": "noted_female",
    "never": "noted_never",
    "age": "noted_age",
    "years": "noted_years",
    "number": "noted_number",
    "t_score": "noted_t_score",
    "date": "noted_date",
}
#: ...with the field's name and unit where it has one.
NOTED_FIELD = {
    "uacr_mg_g": "noted_uacr_mg_g",
    "egfr": "noted_egfr",
    "vitamin_d_ng_ml": "noted_vitamin_d_ng_ml",
}
#: The unit a lab field is stored in, as its UNIT check's button says it (other units: questions.yml).
OWN_UNIT = {"vitamin_d_ng_ml": "ng"}

QUESTION_NAMES = frozenset(q.name for q in load_questions())


def wording(q: Question, value: Any) -> str:
    """Which sentence says a value back: yes / no / male / female / never, else the question's kind."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value == NEVER:
        return "never"
    return str(value) if q.kind == "sex" else q.kind


def variables(q: Question, value: Any, language_code: str) -> dict[str, str]:
    """The response variables for a value: a yes/no question's ``topic``, else the ``value`` as people read it."""
    if isinstance(value, bool):
        return {"topic": topic(q.name, language_code)}
    return {"value": people_value(value, language_code)}


def confirmation(pending: dict[str, Any], language_code: str) -> tuple[str, dict[str, str]]:
    """The response that checks a pending reading, and its variables."""
    q, value, reason = question(pending["field"]), pending["value"], pending.get("reason")
    response = (
        CONFIRM_FOR.get((reason, q.name))
        or CONFIRM_FOR.get((reason, wording(q, value)))
        or CONFIRM.get(reason, CONFIRM[INFERRED])
    )
    return response, variables(q, value, language_code)


def typed(q: Question, text: Any) -> bool:
    """Free text worth saying back: not a button's payload ("/affirm", "man"), and for yes/no and
    man/woman questions a sentence ("I was treated for lymphoma in 2023"), not a single word."""
    if not isinstance(text, str) or is_payload(text):
        return False
    if q.kind not in ("yes_no", "sex"):
        return True
    # Chinese has no spaces: a few characters ("没有得过", "我是男的") are a sentence; "是的" is a word.
    return len(normalise(text).split()) > 1 or (has_chinese(text) and len(text.strip()) > 3)


def unit_factor(q: Question, clean: str) -> float | None:
    """The factor to the field's unit when the words name a unit (a UNIT check's button), else None."""
    for unit, factor in q.units:
        if unit in clean:
            return factor
    own = OWN_UNIT.get(q.name)
    return 1.0 if own and re.search(rf"(?<![a-z]){re.escape(own)}", clean) else None


class ValidateScreeningForm(AnswerForm):
    consent_given_response = "screening_intro"

    async def validate_data_consent(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        """Consent first; then the facts the opening message volunteered (kept until now: no health
        data before consent) wait for one yes, in place of the first question."""
        slots = self.consent(v, d, t)
        if slots.get("data_consent") is not True:
            return slots
        facts = facts_in(opening_message(t), None, t)
        if not facts:
            return slots
        first = plan(screening_state(t), language=language(t)).next_question
        return {**slots, PENDING: proposal(first, facts)} if first else slots

    def name(self) -> str:
        return "validate_screening_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """Consent first; then only the next question whose answer can still change the result.

        The open question stays in the list while its slot holds the person's unread words, so
        rasa-sdk hands them to its ``validate_<slot>``.
        """
        consent = tracker.get_slot("data_consent")
        if consent is False:
            return []
        if consent is not True:
            return ["data_consent"]
        slots = ["data_consent"]
        requested = tracker.get_slot(REQUESTED_SLOT)
        if requested in QUESTION_NAMES and tracker.get_slot(requested) is not None:
            # The open question keeps its place while it holds an answer, so rasa-sdk validates (and
            # keeps) it, even when the words already look like a stored value ("male", "never").
            slots.append(requested)
        try:
            next_question = plan(screening_state(tracker), language=language(tracker)).next_question
        except AnswerError as exc:
            logger.error("stored answers failed validation on field %s; ending for review", exc.field)
            return slots
        if next_question and next_question not in slots:
            slots.append(next_question)
        return slots

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        if events and tracker.get_slot("data_consent") is True:
            try:
                remaining = plan(screening_state(tracker), language=language(tracker)).remaining
                events.append(SlotSet("screening_remaining", float(remaining)))
            except AnswerError:
                pass
        return events

    # --- reading one answer -----------------------------------------------------------------

    def answer(self, name: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Slots:
        """Read the person's words as the answer to ``name`` and check it is plausible.

        A reading that must be confirmed first is proposed, not taken (the question stays open);
        the next words answer that check. A value read from typed words is said back.
        """
        if value is None:
            return {name: None}
        q = question(name)
        pending = tracker.get_slot(PENDING)
        cleared: Slots = {PENDING: None} if pending else {}  # any other reply drops a waiting proposal
        if isinstance(value, str):
            fixed = self._fix_said_back(name, value, dispatcher, tracker)
            if fixed is not None:
                return {**cleared, **fixed}
            if isinstance(pending, dict) and pending.get("field") == name:
                settle = self._settle_facts if FACTS in pending else self._settle
                settled = settle(q, pending, value, dispatcher, tracker)
                if settled is not None:
                    return settled
            parsed = parse_answer(
                q,
                value,
                as_of=date.today(),
                language=language(tracker),
                intent=latest_intent(tracker),
                age=read_value("age", tracker.get_slot("age")),
            )
            offered = self._offer_facts(name, value, parsed, dispatcher, tracker)
            if offered is not None:
                return offered
        else:
            parsed = Parsed(value)  # already read (a form re-activated with earlier answers)
        if parsed.dont_know:
            dispatcher.utter_message(response="dont_know_noted")
            skipped = list(tracker.get_slot("screening_skipped") or [])
            skipped += [n for n in (name, *q.opens) if n not in skipped]
            return {name: None, "screening_skipped": skipped, **cleared}
        if parsed.problem == RESUME:
            return {name: None, **cleared}  # the question is simply asked again: nothing was misread
        if not parsed.understood:
            response = {FUTURE: "reask_future", OUT_OF_RANGE: "reask_implausible"}.get(parsed.problem, REASK[q.kind])
            return {**self.misread(name, response, dispatcher, tracker), **cleared}
        if parsed.confirm:
            return self._propose(q, parsed, dispatcher, tracker)
        taken = self._take(q, parsed.value, dispatcher, tracker, text=value, also=parsed.also, echo=typed(q, value))
        return {**cleared, **taken}

    def _fix_said_back(self, name: str, text: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Slots | None:
        """ "no, it was -1.5" right after "Noted: T-score -2.5.": the answer said back is fixed on the spot,
        and the open question is asked again. Only for the number, date and man/woman answers said back
        (a "no, ..." after a yes/no question is that question's answer)."""
        words = normalise(text)
        opening = fix_opening(language(tracker)).match(words)
        previous = last_answered(tracker)
        if not opening or not words[opening.end() :] or previous is None or previous == name:
            return None
        before = question(previous)
        if before.kind == "yes_no" or tracker.get_slot(previous) is None:
            return None
        lang = language(tracker)
        read = parse_answer(before, words[opening.end() :], as_of=date.today(), language=lang,
                            age=read_value("age", tracker.get_slot("age")))
        if not read.understood or read.dont_know or read.confirm or read.value == tracker.get_slot(previous):
            return None
        fixed = self._take(before, read.value, dispatcher, tracker, echo=True)
        return {**fixed, name: None} if fixed.get(previous) is not None else None

    def _offer_facts(
        self, name: str, text: str, parsed: Parsed, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Slots | None:
        """Other questions' answers in the same words: said back together, taken after a yes."""
        if is_payload(text) or parsed.dont_know or parsed.problem == RESUME:
            return None
        facts = facts_in(text, name, tracker)
        if not facts or (parsed.understood and not parsed.confirm and distinct(facts) < 2):
            return None  # "I'm 71 and the report said -3.0": the T-score is taken; the age is asked in turn
        pending = proposal(name, facts, parsed)
        dispatcher.utter_message(response="confirm_volunteered", **said_back(pending, tracker))
        return {name: None, PENDING: pending}

    def _settle_facts(
        self, q: Question, pending: dict[str, Any], text: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Slots | None:
        """Yes takes every volunteered fact; no keeps none (the open question is asked again); other
        words are a fresh answer (None)."""
        reply = parse_yes_no(text, language(tracker), latest_intent(tracker))
        if any(ch.isdigit() for ch in text) or not isinstance(reply.value, bool):
            return None
        if not reply.value:
            dispatcher.utter_message(response="volunteered_declined")
            return {q.name: None, PENDING: None}
        slots: Slots = {q.name: None, PENDING: None}  # the reply's own words are not the open question's answer
        for name, value in pending[FACTS].items():
            if name not in QUESTION_NAMES or (name != q.name and tracker.get_slot(name) is not None):
                continue  # answered meanwhile: the person's own answer stands
            fact = question(name)
            if fact.is_gate:
                slots.update({k: v for k, v in self._gate(name, value, None, tracker).items() if k not in slots})
            elif plausible(name, value, tracker):
                slots[name] = value
        dispatcher.utter_message(response="volunteered_noted")
        return slots

    def _propose(self, q: Question, parsed: Parsed, dispatcher: CollectingDispatcher, tracker: Tracker) -> Slots:
        """Ask whether a doubtful reading is right, keeping it in ``screening_pending`` (not a misread)."""
        if not q.is_gate and not plausible(q.name, parsed.value, tracker):
            return {**self.misread(q.name, "reask_implausible", dispatcher, tracker), PENDING: None}
        pending = {"field": q.name, "value": parsed.value, "reason": parsed.confirm}
        response, values = confirmation(pending, language(tracker))
        dispatcher.utter_message(response=response, **values)
        return {q.name: None, PENDING: pending}

    def _settle(
        self, q: Question, pending: dict[str, Any], text: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Slots | None:
        """The reply to a check: yes takes the proposal, no asks the question again, a unit button
        converts it. None when the words are a fresh answer instead (a number, "I don't know")."""
        has_number = any(ch.isdigit() for ch in text)
        proposal = pending.get("value")
        if pending.get("reason") == UNIT:
            factor = None if has_number else unit_factor(q, normalise(text))
            if factor is None:
                return None
            value = round(float(proposal) * factor, 2)
            return {PENDING: None, **self._take(q, value, dispatcher, tracker, echo=True)}
        reply = parse_yes_no(text, language(tracker), latest_intent(tracker))
        if has_number or not isinstance(reply.value, bool):
            return None
        if reply.value:
            return {PENDING: None, **self._take(q, proposal, dispatcher, tracker, echo=True)}
        dispatcher.utter_message(response="confirm_declined")
        return {q.name: None, PENDING: None}  # the question is asked again (ask() sees nothing pending)

    def _take(
        self,
        q: Question,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        *,
        text: Any = None,
        also: Mapping[str, Any] | None = None,
        echo: bool = False,
    ) -> Slots:
        """Store a reading (a gate also answers the fields behind it) and, if ``echo``, say it back."""
        if q.is_gate:
            slots = self._gate(q.name, value, text, tracker, also)
        elif plausible(q.name, value, tracker):
            slots = {q.name: value}
        else:
            return self.misread(q.name, "reask_implausible", dispatcher, tracker)
        if echo:
            lang = language(tracker)
            when = next((slots[f] for f in q.opens if slots.get(f) not in (None, NEVER)), None)
            if value is True and when is not None:
                dispatcher.utter_message(
                    response="noted_yes_when", topic=topic(q.name, lang), value=people_value(when, lang)
                )
            else:
                echoed = NOTED_FIELD.get(q.name) or NOTED[wording(q, value)]
                dispatcher.utter_message(response=echoed, **variables(q, value, lang))
        return slots

    def _gate(
        self, name: str, answer: bool, text: Any, tracker: Tracker, also: Mapping[str, Any] | None = None
    ) -> Slots:
        """A "no" answers every field behind the gate as never; a "yes" may already say when: the
        reading's ``also`` ("yes, the last one in March 2024", found by ``parse_answer``)."""
        q = question(name)
        if answer is False:
            return {name: False, **{f: NEVER for f in q.opens if tracker.get_slot(f) is None}}
        slots: Slots = {name: True}
        if also:
            slots.update({f: v for f, v in also.items() if f in QUESTION_NAMES and read_value(f, v) is not None})
        return slots

    def ask(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        """Ask the open question; while a reading of its answer waits for a yes, ask that check
        instead, once (``answer()`` may just have said it)."""
        pending = tracker.get_slot(PENDING)
        if isinstance(pending, dict) and pending.get("field") == slot:
            if FACTS in pending:
                response, values = "confirm_volunteered", said_back(pending, tracker)
            else:
                response, values = confirmation(pending, language(tracker))
            if response not in {m.get("response") for m in dispatcher.messages}:
                dispatcher.utter_message(response=response, **values)  # back after a digression or a pause
            return
        super().ask(slot, dispatcher, tracker)

    # --- one validate_<slot> per question (rasa-sdk finds them by name) ----------------------

    async def validate_type2_diabetes(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("type2_diabetes", v, d, t)

    async def validate_sex(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("sex", v, d, t)

    async def validate_age(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("age", v, d, t)

    async def validate_years_since_menopause(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("years_since_menopause", v, d, t)

    async def validate_diabetes_years(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("diabetes_years", v, d, t)

    async def validate_coronary_heart_disease(
        self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict
    ) -> Slots:
        return self.answer("coronary_heart_disease", v, d, t)

    async def validate_cerebrovascular_disease(
        self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict
    ) -> Slots:
        return self.answer("cerebrovascular_disease", v, d, t)

    async def validate_retinopathy_stage3_plus(
        self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict
    ) -> Slots:
        return self.answer("retinopathy_stage3_plus", v, d, t)

    async def validate_uacr_mg_g(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("uacr_mg_g", v, d, t)

    async def validate_egfr(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("egfr", v, d, t)

    async def validate_hip_or_vertebral_fragility_fracture(
        self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict
    ) -> Slots:
        return self.answer("hip_or_vertebral_fragility_fracture", v, d, t)

    async def validate_other_fragility_fracture(
        self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict
    ) -> Slots:
        return self.answer("other_fragility_fracture", v, d, t)

    async def validate_lowest_t_score(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("lowest_t_score", v, d, t)

    async def validate_secondary_osteoporosis(
        self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict
    ) -> Slots:
        return self.answer("secondary_osteoporosis", v, d, t)

    async def validate_cancer_within_5_years(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("cancer_within_5_years", v, d, t)

    async def validate_cancer_curable_exception(
        self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict
    ) -> Slots:
        return self.answer("cancer_curable_exception", v, d, t)

    async def validate_bone_medicine_any(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("bone_medicine_any", v, d, t)

    async def validate_oral_bisphosphonate_ever(
        self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict
    ) -> Slots:
        return self.answer("oral_bisphosphonate_ever", v, d, t)

    async def validate_last_oral_bisphosphonate(
        self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict
    ) -> Slots:
        return self.answer("last_oral_bisphosphonate", v, d, t)

    async def validate_iv_bisphosphonate_ever(
        self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict
    ) -> Slots:
        return self.answer("iv_bisphosphonate_ever", v, d, t)

    async def validate_last_iv_bisphosphonate(
        self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict
    ) -> Slots:
        return self.answer("last_iv_bisphosphonate", v, d, t)

    async def validate_denosumab_ever(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("denosumab_ever", v, d, t)

    async def validate_last_denosumab(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("last_denosumab", v, d, t)

    async def validate_teriparatide_ever(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("teriparatide_ever", v, d, t)

    async def validate_last_teriparatide(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("last_teriparatide", v, d, t)

    async def validate_romosozumab_ever(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("romosozumab_ever", v, d, t)

    async def validate_last_romosozumab(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("last_romosozumab", v, d, t)

    async def validate_osteonecrosis_or_osteomyelitis_of_jaw(
        self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict
    ) -> Slots:
        return self.answer("osteonecrosis_or_osteomyelitis_of_jaw", v, d, t)

    async def validate_dental_issue(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("dental_issue", v, d, t)

    async def validate_calcitonin_over_3_months_past_year(
        self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict
    ) -> Slots:
        return self.answer("calcitonin_over_3_months_past_year", v, d, t)

    async def validate_glucocorticoid_high_dose_recent(
        self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict
    ) -> Slots:
        return self.answer("glucocorticoid_high_dose_recent", v, d, t)

    async def validate_glucocorticoid_last_dose(
        self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict
    ) -> Slots:
        return self.answer("glucocorticoid_last_dose", v, d, t)

    async def validate_vitamin_d_ng_ml(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("vitamin_d_ng_ml", v, d, t)

    async def validate_active_infection(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("active_infection", v, d, t)

    async def validate_heart_failure_nyha3_plus(
        self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict
    ) -> Slots:
        return self.answer("heart_failure_nyha3_plus", v, d, t)

    async def validate_severe_arrhythmia(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("severe_arrhythmia", v, d, t)

    async def validate_alt_ast_over_3x_uln(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("alt_ast_over_3x_uln", v, d, t)

    async def validate_calcium_disorder(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("calcium_disorder", v, d, t)

    async def validate_study_drug_allergy(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("study_drug_allergy", v, d, t)

    async def validate_in_other_drug_trial(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("in_other_drug_trial", v, d, t)

    async def validate_consent(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.answer("consent", v, d, t)
