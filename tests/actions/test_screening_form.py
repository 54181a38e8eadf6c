"""ValidateScreeningForm on the turns Rasa sends it: answers, "I don't know", misreads, gates, digressions, consent."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import screening_state
from actions.screening_form import ValidateScreeningForm
from bot.eligibility.fields import NEVER
from bot.screening.planner import plan
from tests.actions.helpers import responses, run, slot_events, user_event
from tests.profiles import DOSE_FIELDS

FORM = "screening_form"
MAN_62 = {"data_consent": True, "type2_diabetes": True, "sex": "male"}
BEFORE_MEDICINES = {**MAN_62, "age": 62.0, "diabetes_years": 12.0, "hip_or_vertebral_fragility_fracture": True,
                    "secondary_osteoporosis": False, "cancer_within_5_years": False}
#: Had denosumab; no bisphosphonates: the next question is when the last denosumab dose was.
DENOSUMAB_DATE_NEXT = {**BEFORE_MEDICINES, "bone_medicine_any": True, "oral_bisphosphonate_ever": False,
                       "last_oral_bisphosphonate": NEVER, "iv_bisphosphonate_ever": False,
                       "last_iv_bisphosphonate": NEVER, "denosumab_ever": True}


@pytest.fixture
def answer_turn(make_tracker: Callable[..., Tracker], domain: dict[str, Any]) -> Callable[..., tuple[list, list]]:
    """Run the form's validation on the person's answer to ``requested``; returns (events, responses)."""

    def turn(slots: dict[str, Any], requested: str, text: str, intent: str = "inform") -> tuple[list, list]:
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(slots={**slots, "requested_slot": requested}, text=text, intent=intent,
                               active_loop=FORM, form_turn=True)
        events = run(ValidateScreeningForm(), dispatcher, tracker, domain)
        return events, responses(dispatcher)

    return turn


def next_question_for(slots: dict[str, Any], make_tracker: Callable[..., Tracker]) -> str | None:
    """What the planner (independently of the action) says comes next after these slots."""
    return plan(screening_state(make_tracker(slots=slots))).next_question


# --- an answer turn ----------------------------------------------------------------------------


def test_answer_sets_the_slot_and_asks_the_planners_next_question(answer_turn, make_tracker) -> None:
    events, said = answer_turn(MAN_62, "age", "I'm sixty-two")
    assert SlotSet("age", 62.0) in events
    expected_next = next_question_for({**MAN_62, "age": 62.0}, make_tracker)
    assert expected_next == "diabetes_years"  # a man is never asked about menopause
    assert SlotSet("requested_slot", "diabetes_years") in events
    assert said == ["noted_age", "ask_diabetes_years"]  # the typed age is said back first
    remaining = slot_events(events)["screening_remaining"]
    assert isinstance(remaining, float) and remaining > 0


def test_woman_is_asked_about_menopause_next(answer_turn) -> None:
    events, said = answer_turn({**MAN_62, "sex": "female"}, "age", "60")
    assert slot_events(events)["requested_slot"] == "years_since_menopause"
    assert said == ["noted_age", "ask_years_since_menopause"]


@pytest.mark.parametrize(
    ("slots", "requested", "text", "intent", "value"),
    [
        ({"data_consent": True}, "type2_diabetes", "/affirm", "affirm", True),
        ({"data_consent": True}, "type2_diabetes", "yes I do", "affirm", True),
        ({"data_consent": True, "type2_diabetes": True}, "sex", "woman", "inform", "female"),
        ({**MAN_62, "age": 62.0}, "diabetes_years", "since 2010", "inform", float(date.today().year - 2010)),
        ({**BEFORE_MEDICINES, "hip_or_vertebral_fragility_fracture": False, "other_fragility_fracture": True},
         "lowest_t_score", "minus 2.7", "inform", -2.7),
    ],
)
def test_answers_of_each_kind_are_stored_as_engine_values(answer_turn, slots, requested, text, intent, value) -> None:
    events, said = answer_turn(slots, requested, text, intent)
    assert slot_events(events)[requested] == value
    nxt = slot_events(events)["requested_slot"]
    assert nxt != requested
    assert said[-1] == f"ask_{nxt}"


def test_vitamin_d_in_nmol_is_stored_in_ng_per_ml(answer_turn) -> None:
    slots = {**BEFORE_MEDICINES, "bone_medicine_any": False, **dict.fromkeys(DOSE_FIELDS, NEVER),
             "osteonecrosis_or_osteomyelitis_of_jaw": False, "dental_issue": False,
             "calcitonin_over_3_months_past_year": False, "glucocorticoid_high_dose_recent": False}
    events, _ = answer_turn(slots, "vitamin_d_ng_ml", "50 nmol/L")
    assert slot_events(events)["vitamin_d_ng_ml"] == pytest.approx(20.03, abs=0.01)


def test_last_question_answered_ends_the_form(answer_turn) -> None:
    slots = {**BEFORE_MEDICINES, "bone_medicine_any": False, **dict.fromkeys(DOSE_FIELDS, NEVER),
             "osteonecrosis_or_osteomyelitis_of_jaw": False, "dental_issue": False,
             "calcitonin_over_3_months_past_year": False, "glucocorticoid_high_dose_recent": False,
             "vitamin_d_ng_ml": 30.0, "active_infection": False, "heart_failure_nyha3_plus": False,
             "severe_arrhythmia": False, "alt_ast_over_3x_uln": False, "egfr": 80.0, "calcium_disorder": False,
             "study_drug_allergy": False, "in_other_drug_trial": False}
    events, said = answer_turn(slots, "consent", "yes", "affirm")
    assert SlotSet("consent", True) in events
    assert SlotSet("requested_slot", None) in events
    assert not [r for r in said if r and r.startswith("ask_")]


def test_definite_failure_ends_the_form_early(answer_turn) -> None:
    events, said = answer_turn({"data_consent": True}, "type2_diabetes", "no", "deny")
    assert SlotSet("type2_diabetes", False) in events
    assert SlotSet("requested_slot", None) in events
    assert said == []


# --- digressions -------------------------------------------------------------------------------


@pytest.mark.parametrize("intent", ["faq", "why_ask", "stop", "human_handoff", "red_flag", "correction"])
def test_digression_fills_nothing_and_says_nothing(make_tracker, domain, intent: str) -> None:
    """The latest message is the user's and is not an answer: the form is rejected, the rules answer."""
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={**MAN_62, "requested_slot": "age"}, text="what is the study for?", intent=intent,
                           active_loop=FORM)
    assert tracker.events[-1]["event"] == "user"
    assert run(ValidateScreeningForm(), dispatcher, tracker, domain) == []
    assert dispatcher.messages == []


def test_digression_as_rasa_sends_it_on_a_form_turn(make_tracker, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={**MAN_62, "requested_slot": "age"}, text="is it safe?", intent="faq",
                           active_loop=FORM, form_turn=True)
    assert run(ValidateScreeningForm(), dispatcher, tracker, domain) == []
    assert dispatcher.messages == []


def test_words_that_started_the_form_are_not_an_answer(make_tracker, domain) -> None:
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "check if I qualify",
         "parse_data": {"text": "check if I qualify", "intent": {"name": "start_screening", "confidence": 0.99}}},
        {"event": "action", "name": FORM},
        {"event": "active_loop", "name": FORM},
    ]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text="check if I qualify", intent="start_screening", events=events, active_loop=FORM)
    result = run(ValidateScreeningForm(), dispatcher, tracker, domain)
    assert slot_events(result) == {"requested_slot": "data_consent"}
    assert dispatcher.messages == []  # consent is asked by action_ask_screening_form_data_consent


# --- don't know, misreads, implausible values ------------------------------------------------


@pytest.mark.parametrize(("text", "intent"), [("I don't know", "dont_know"), ("/dont_know", "dont_know"),
                                              ("not sure", "inform")])
def test_dont_know_leaves_the_slot_empty_and_skips_it(answer_turn, text: str, intent: str) -> None:
    events, said = answer_turn(MAN_62, "age", text, intent)
    slots = slot_events(events)
    assert slots["age"] is None
    assert slots["screening_skipped"] == ["age"]
    assert said[0] == "dont_know_noted"
    assert slots["requested_slot"] not in (None, "age")
    assert said[-1] == f"ask_{slots['requested_slot']}"


def test_dont_know_to_a_gate_skips_the_questions_behind_it(answer_turn) -> None:
    events, said = answer_turn(BEFORE_MEDICINES, "bone_medicine_any", "can't remember", "dont_know")
    skipped = slot_events(events)["screening_skipped"]
    assert "bone_medicine_any" in skipped
    assert set(DOSE_FIELDS) <= set(skipped)
    assert said[0] == "dont_know_noted"


@pytest.mark.parametrize(
    ("slots", "requested", "text", "reask"),
    [
        (MAN_62, "age", "old enough", "reask_age"),
        ({"data_consent": True}, "type2_diabetes", "hmm", "reask_yes_no"),
        ({"data_consent": True, "type2_diabetes": True}, "sex", "human", "reask_sex"),
        ({**MAN_62, "age": 62.0}, "diabetes_years", "ages", "reask_years"),
        ({**BEFORE_MEDICINES, "hip_or_vertebral_fragility_fracture": False, "other_fragility_fracture": True},
         "lowest_t_score", "low", "reask_t_score"),
        ({**MAN_62, "age": 62.0, "diabetes_years": 5.0, "coronary_heart_disease": False,
          "cerebrovascular_disease": False, "retinopathy_stage3_plus": False}, "uacr_mg_g", "normal", "reask_number"),
        (DENOSUMAB_DATE_NEXT, "last_denosumab", "some time", "reask_date"),
        (DENOSUMAB_DATE_NEXT, "last_denosumab", "2099-01-01", "reask_future"),
    ],
)
def test_unreadable_answer_is_reasked_then_skipped(answer_turn, slots, requested, text, reask) -> None:
    events, said = answer_turn(slots, requested, text)
    first = slot_events(events)
    assert first[requested] is None
    assert first["screening_misreads"] == {requested: 1}
    assert said[0] == reask
    assert first["requested_slot"] == requested  # the same question again
    assert requested not in (first.get("screening_skipped") or [])

    events, said = answer_turn({**slots, "screening_misreads": {requested: 1}}, requested, text)
    second = slot_events(events)
    assert said[0] == "moving_on"
    assert reask not in said
    assert second[requested] is None
    assert requested in second["screening_skipped"]
    assert second["requested_slot"] != requested


def test_implausible_age_is_reasked(answer_turn) -> None:
    events, said = answer_turn(MAN_62, "age", "150")
    slots = slot_events(events)
    assert slots["age"] is None
    assert said[0] == "reask_implausible"
    assert slots["requested_slot"] == "age"


def test_years_longer_than_the_age_are_reasked(answer_turn) -> None:
    events, said = answer_turn({**MAN_62, "age": 62.0}, "diabetes_years", "70 years")
    assert slot_events(events)["diabetes_years"] is None
    assert said[0] == "reask_implausible"


# --- gates -----------------------------------------------------------------------------------


def test_gate_no_answers_every_dose_behind_it_as_never(answer_turn) -> None:
    events, said = answer_turn(BEFORE_MEDICINES, "bone_medicine_any", "no", "deny")
    slots = slot_events(events)
    assert slots["bone_medicine_any"] is False
    assert {f: slots.get(f) for f in DOSE_FIELDS} == dict.fromkeys(DOSE_FIELDS, NEVER)
    assert slots["requested_slot"] == "osteonecrosis_or_osteomyelitis_of_jaw"
    assert said == ["ask_osteonecrosis_or_osteomyelitis_of_jaw"]


def test_gate_no_keeps_a_dose_date_already_given(answer_turn) -> None:
    events, _ = answer_turn({**BEFORE_MEDICINES, "last_denosumab": "2020-01-01"}, "bone_medicine_any", "no", "deny")
    assert "last_denosumab" not in slot_events(events)


def test_gate_yes_opens_the_per_drug_questions(answer_turn) -> None:
    events, said = answer_turn(BEFORE_MEDICINES, "bone_medicine_any", "yes", "affirm")
    slots = slot_events(events)
    assert slots["bone_medicine_any"] is True
    assert not set(DOSE_FIELDS) & set(slots)
    assert said == ["ask_oral_bisphosphonate_ever"]


def test_drug_gate_yes_with_a_date_answers_the_date_too(answer_turn) -> None:
    slots = {**BEFORE_MEDICINES, "bone_medicine_any": True}
    events, said = answer_turn(slots, "oral_bisphosphonate_ever", "yes, 3 years ago", "affirm")
    result = slot_events(events)
    assert result["oral_bisphosphonate_ever"] is True
    assert result["last_oral_bisphosphonate"] == (date.today() - relativedelta(years=3)).isoformat()
    assert said == ["noted_yes_when", "ask_iv_bisphosphonate_ever"]


def test_drug_gate_yes_without_a_date_asks_when(answer_turn) -> None:
    events, said = answer_turn({**BEFORE_MEDICINES, "bone_medicine_any": True}, "oral_bisphosphonate_ever", "yes",
                               "affirm")
    assert slot_events(events)["requested_slot"] == "last_oral_bisphosphonate"
    assert said == ["ask_last_oral_bisphosphonate"]


# --- consent -----------------------------------------------------------------------------------


def test_consent_yes_starts_the_questions(answer_turn) -> None:
    events, said = answer_turn({}, "data_consent", "yes", "affirm")
    assert SlotSet("data_consent", True) in events
    assert SlotSet("requested_slot", "type2_diabetes") in events
    assert said == ["screening_intro", "ask_type2_diabetes"]


@pytest.mark.parametrize(("text", "intent"), [("no", "deny"), ("/deny", "deny"), ("no thanks", "deny")])
def test_consent_no_ends_the_form_with_nothing_asked(answer_turn, make_tracker, domain, text, intent) -> None:
    events, said = answer_turn({}, "data_consent", text, intent)
    assert SlotSet("data_consent", False) in events
    assert SlotSet("requested_slot", None) in events
    assert said == []
    assert not {e["name"] for e in events} - {"data_consent", "requested_slot"}  # no answer slot touched


def test_required_slots_empty_after_consent_refused(make_tracker, domain) -> None:
    tracker = make_tracker(slots={"data_consent": False})
    form = ValidateScreeningForm()
    required = asyncio.run(form.required_slots(form.domain_slots(domain), CollectingDispatcher(), tracker, domain))
    assert required == []


def test_unclear_consent_is_asked_again(answer_turn) -> None:
    events, said = answer_turn({}, "data_consent", "hmm", "inform")
    assert slot_events(events)["data_consent"] is None
    assert said == ["reask_yes_no"]  # Rasa asks the notice again through action_ask_screening_form_data_consent
    assert SlotSet("requested_slot", "data_consent") in events


def test_recent_dose_is_stored_and_the_form_goes_on(answer_turn) -> None:
    """A washout failure is not an early stop: the other questions are still asked."""
    events, said = answer_turn(DENOSUMAB_DATE_NEXT, "last_denosumab", "2 months ago")
    slots = slot_events(events)
    assert slots["last_denosumab"] == (date.today() - relativedelta(months=2)).isoformat()
    # E5 already fails on denosumab, but a later teriparatide or romosozumab dose would move the date
    # from which the person may join: those are still asked.
    assert slots["requested_slot"] == "teriparatide_ever"
    assert said == ["noted_date", "ask_teriparatide_ever"]


def _after_answering(previous: str, requested: str) -> list[dict[str, Any]]:
    """The requested-slot history of a form that asked ``previous``, then ``requested``."""
    return [
        {"event": "slot", "name": "requested_slot", "value": previous},
        {"event": "slot", "name": "requested_slot", "value": requested},
    ]


@pytest.mark.parametrize(
    ("previous", "had", "text", "fixed"),
    [
        ("lowest_t_score", -2.5, "no, it was -1.5", -1.5),
        ("age", 58.0, "no, I said 63", 63.0),
        ("diabetes_years", 2.0, "wrong, 12 years", 12.0),
    ],
)
def test_no_right_after_an_answer_said_back_fixes_it(make_tracker, domain, previous, had, text, fixed) -> None:
    """ "Noted: T-score -2.5." - "no, it was -1.5": the said-back answer changes, the open question is asked again."""
    slots = {**MAN_62, previous: had, "requested_slot": "secondary_osteoporosis"}
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots=slots, text=text, intent="inform", active_loop=FORM, form_turn=True,
                           events=[*_after_answering(previous, "secondary_osteoporosis"),
                                   {"event": "action", "name": "action_listen"}, user_event(text, "inform"),
                                   {"event": "slot", "name": "requested_slot", "value": "secondary_osteoporosis"},
                                   {"event": "action", "name": FORM}])
    result = slot_events(run(ValidateScreeningForm(), dispatcher, tracker, domain))
    assert result[previous] == fixed
    assert result.get("secondary_osteoporosis") is None  # "no" was not taken as the open question's answer
    assert responses(dispatcher)[0].startswith("noted_")


def test_a_plain_no_still_answers_the_open_question(answer_turn) -> None:
    events, _ = answer_turn({**MAN_62, "lowest_t_score": -2.5}, "secondary_osteoporosis", "no, nothing like that")
    assert slot_events(events)["secondary_osteoporosis"] is False


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("不", "affirm"),  # the classifier reads Chinese it cannot understand as affirm
        ("我再想想", "affirm"),
        ("not sure", "affirm"),
        ("hmm let me think", "affirm"),
        ("maybe later", "affirm"),
        ("asdfgh", "affirm"),
        ("no", "deny"),
    ],
)
def test_consent_is_only_ever_a_clear_yes(answer_turn, text, intent) -> None:
    """Refusals, hesitations and unreadable words never give consent, whatever the classifier guessed."""
    events, _ = answer_turn({}, "data_consent", text, intent)
    assert SlotSet("data_consent", True) not in events


@pytest.mark.parametrize(("text", "intent"), [("/affirm", "affirm"), ("yes, I agree", "affirm"), ("ok", "affirm")])
def test_consent_from_a_button_or_a_clear_yes(answer_turn, text, intent) -> None:
    events, _ = answer_turn({}, "data_consent", text, intent)
    assert SlotSet("data_consent", True) in events


@pytest.mark.parametrize("text", ["呃", "啊这", "asdfgh", "hmm"])
def test_an_unreadable_answer_to_a_gate_is_never_a_yes(answer_turn, text) -> None:
    events, _ = answer_turn(MAN_62, "bone_medicine_any", text, "affirm")
    assert SlotSet("bone_medicine_any", True) not in events
