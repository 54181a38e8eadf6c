"""The self-screening form: slots named exactly as the eligibility fields, asked in the planner's order."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.answer_form import AnswerForm, Slots
from actions.common import language, latest_intent, read_value, screening_state
from bot.eligibility import AnswerError, validate
from bot.eligibility.fields import ANSWER_FIELDS, NEVER
from bot.screening.parsing import FUTURE, Parsed, parse_answer, parse_date
from bot.screening.planner import plan
from bot.screening.questions import load_questions, question

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


QUESTION_NAMES = frozenset(q.name for q in load_questions())


class ValidateScreeningForm(AnswerForm):
    consent_given_response = "screening_intro"

    async def validate_data_consent(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.consent(v, d, t)

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
        """Read the person's words as the answer to ``name`` and check it is plausible."""
        if value is None:
            return {name: None}
        q = question(name)
        today = date.today()
        if isinstance(value, str):
            parsed = parse_answer(
                q,
                value,
                as_of=today,
                language=language(tracker),
                intent=latest_intent(tracker),
                age=read_value("age", tracker.get_slot("age")),
            )
        else:
            parsed = Parsed(value)  # already read (a form re-activated with earlier answers)
        if parsed.dont_know:
            dispatcher.utter_message(response="dont_know_noted")
            skipped = list(tracker.get_slot("screening_skipped") or [])
            skipped += [n for n in (name, *q.opens) if n not in skipped]
            return {name: None, "screening_skipped": skipped}
        if not parsed.understood:
            response = "reask_future" if parsed.problem == FUTURE else REASK[q.kind]
            return self.misread(name, response, dispatcher, tracker)
        if q.is_gate:
            return self._gate(name, parsed.value, value, tracker)
        answers = {f: tracker.get_slot(f) for f in ANSWER_FIELDS if tracker.get_slot(f) is not None}
        answers[name] = parsed.value
        try:
            validate({**answers, "as_of": today.isoformat()})
        except AnswerError:
            return self.misread(name, "reask_implausible", dispatcher, tracker)
        return {name: parsed.value}

    def _gate(self, name: str, answer: bool, text: Any, tracker: Tracker) -> Slots:
        """A "no" answers every field behind the gate as never; a "yes" may already say when."""
        q = question(name)
        if answer is False:
            return {name: False, **{f: NEVER for f in q.opens if tracker.get_slot(f) is None}}
        slots: Slots = {name: True}
        if len(q.opens) == 1 and isinstance(text, str):
            when = parse_date(text, date.today(), language(tracker))
            if when.understood and when.value not in (None, NEVER):
                slots[q.opens[0]] = when.value
        return slots

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
