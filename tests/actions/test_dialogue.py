"""One-turn actions: corrections, the two-stage fallback, "why do you ask", pause / go on / restart, consent asks."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_form import ActionAskHandoffConsent, ActionAskScreeningConsent
from actions.dialogue import (
    ActionApplyCorrection,
    ActionExplainQuestion,
    ActionFallback,
    ActionGoOn,
    ActionPauseScreening,
    ActionRestartScreening,
)
from bot.eligibility.fields import ANSWER_FIELDS, NEVER
from bot.screening.questions import gate_names
from tests.actions.helpers import responses, run, slot_events, unfilled, user_event
from tests.profiles import DOSE_FIELDS

ANSWERED = {"data_consent": True, "type2_diabetes": True, "sex": "male", "age": 62.0, "diabetes_years": 12.0,
            "screening_status": "ineligible", "go_on_after_fail": True}


@pytest.fixture
def act(make_tracker, domain):
    def run_action(action, **tracker_args: Any) -> tuple[list, CollectingDispatcher]:
        dispatcher = CollectingDispatcher()
        events = run(action, dispatcher, make_tracker(**tracker_args), domain)
        assert unfilled(dispatcher, domain) == []
        return events, dispatcher

    return run_action


# --- corrections -----------------------------------------------------------------------------


def test_correction_of_age(act) -> None:
    events, dispatcher = act(ActionApplyCorrection(), slots=ANSWERED, text="actually I'm 63", intent="correction")
    slots = slot_events(events)
    assert slots["age"] == 63.0
    assert slots["screening_status"] is None  # re-judged when the form runs again
    assert slots["go_on_after_fail"] is False
    assert responses(dispatcher) == ["correction_applied"]


def test_gate_correction_reopens_the_date(act) -> None:
    slots = {**ANSWERED, "bone_medicine_any": False, **dict.fromkeys(DOSE_FIELDS, NEVER)}
    events, dispatcher = act(ActionApplyCorrection(), slots=slots, text="wait I did take alendronate",
                             intent="correction")
    result = slot_events(events)
    assert result["oral_bisphosphonate_ever"] is True
    assert "last_oral_bisphosphonate" in result and result["last_oral_bisphosphonate"] is None
    assert result["bone_medicine_any"] is True
    assert responses(dispatcher) == ["correction_applied"]


def test_gate_correction_to_no_answers_the_date_as_never(act) -> None:
    slots = {**ANSWERED, "bone_medicine_any": True, "denosumab_ever": True, "last_denosumab": "2026-01-01"}
    events, _ = act(ActionApplyCorrection(), slots=slots, text="actually no, I did not have prolia",
                    intent="correction")
    result = slot_events(events)
    assert result["denosumab_ever"] is False
    assert result["last_denosumab"] == NEVER


def test_correction_takes_the_question_off_the_skipped_list(act) -> None:
    slots = {**ANSWERED, "sex": None, "screening_skipped": ["sex", "egfr"]}
    events, _ = act(ActionApplyCorrection(), slots=slots, text="i made a mistake, i'm a woman", intent="correction")
    result = slot_events(events)
    assert result["sex"] == "female"
    assert result["screening_skipped"] == ["egfr"]


def test_correction_without_a_topic_changes_the_last_answer(act) -> None:
    events = [
        {"event": "slot", "name": "requested_slot", "value": "type2_diabetes"},
        {"event": "action", "name": "action_listen"},
        user_event("yes", "affirm"),
        {"event": "slot", "name": "type2_diabetes", "value": True},
        {"event": "slot", "name": "requested_slot", "value": "sex"},
        {"event": "action", "name": "action_listen"},
        user_event("sorry, no", "correction"),
    ]
    result, dispatcher = act(ActionApplyCorrection(),
                             slots={"data_consent": True, "type2_diabetes": True, "requested_slot": "sex"},
                             text="sorry, no", intent="correction", events=events)
    assert slot_events(result)["type2_diabetes"] is False
    assert responses(dispatcher) == ["correction_applied"]


def test_correction_after_a_no_to_a_gate_targets_the_gate_not_its_dates(act) -> None:
    """A "no" to the bone-medicine question also fills the dates behind it; those were never asked."""
    events = [
        {"event": "slot", "name": "requested_slot", "value": "bone_medicine_any"},
        {"event": "action", "name": "action_listen"},
        user_event("no", "deny"),
        {"event": "slot", "name": "bone_medicine_any", "value": False},
        {"event": "slot", "name": "last_romosozumab", "value": "never"},
        {"event": "slot", "name": "requested_slot", "value": "osteonecrosis_or_osteomyelitis_of_jaw"},
        {"event": "action", "name": "action_listen"},
        user_event("sorry, yes", "correction"),
    ]
    slots = {**ANSWERED, "bone_medicine_any": False, "requested_slot": "osteonecrosis_or_osteomyelitis_of_jaw"}
    result, _ = act(ActionApplyCorrection(), slots=slots, text="sorry, yes", intent="correction", events=events)
    assert slot_events(result)["bone_medicine_any"] is True


def test_the_panel_names_the_answer_it_changes(act) -> None:
    """The web page's correction panel says which answer it changes: that one, whatever else points elsewhere."""
    history = [
        {"event": "slot", "name": "requested_slot", "value": "sex"},
        {"event": "slot", "name": "requested_slot", "value": "age"},
    ]
    slots = {**ANSWERED, "bone_medicine_any": False, "requested_slot": "age"}

    def correct(target: str) -> list:
        said = {**user_event("correction: yes", "correction"), "metadata": {"correction": {"target": target}}}
        result, _ = act(ActionApplyCorrection(), slots=slots, text="correction: yes", intent="correction",
                        events=[*history, said])
        return slot_events(result)

    assert correct("bone_medicine_any")["bone_medicine_any"] is True  # the history alone would say "sex"
    assert "bone_medicine_any" not in correct("not_a_question")  # an unknown target: the usual reading decides


def test_implausible_correction_changes_nothing(act) -> None:
    events, dispatcher = act(ActionApplyCorrection(), slots=ANSWERED, text="actually I'm 150", intent="correction")
    assert events == []
    assert responses(dispatcher) == ["reask_implausible"]


def test_unreadable_correction_changes_nothing(act) -> None:
    events, dispatcher = act(ActionApplyCorrection(), slots=ANSWERED, text="actually my t-score is low",
                             intent="correction")
    assert events == []
    assert responses(dispatcher) == ["correction_not_understood"]


def test_correction_before_consent_has_nothing_to_change(act) -> None:
    events, dispatcher = act(ActionApplyCorrection(), slots={"data_consent": None}, text="actually I'm 63",
                             intent="correction")
    assert events == []
    assert responses(dispatcher) == ["nothing_to_resume"]


# --- fallback --------------------------------------------------------------------------------


def test_first_fallback_asks_to_rephrase(act) -> None:
    events, dispatcher = act(ActionFallback(), text="blorp", intent="nlu_fallback")
    assert events == [SlotSet("person_offered", False)]
    assert responses(dispatcher) == ["default"]


def test_second_fallback_in_a_row_offers_a_person(act) -> None:
    history = [
        {"event": "action", "name": "action_listen"},
        user_event("blorp", "nlu_fallback"),
        {"event": "action", "name": "action_fallback"},
        {"event": "bot", "text": "Sorry, I did not understand that."},
        {"event": "action", "name": "action_listen"},
        user_event("zzzt", "nlu_fallback"),
    ]
    events, dispatcher = act(ActionFallback(), text="zzzt", intent="nlu_fallback", events=history)
    assert events == [SlotSet("person_offered", True)]  # a typed "yes" next now means "contact me"
    assert responses(dispatcher) == ["offer_person"]


def test_fallback_after_an_understood_turn_starts_again(act) -> None:
    history = [
        {"event": "action", "name": "action_listen"},
        user_event("blorp", "nlu_fallback"),
        {"event": "action", "name": "action_fallback"},
        {"event": "action", "name": "action_listen"},
        user_event("hello", "greet"),
        {"event": "action", "name": "utter_greet"},
        {"event": "action", "name": "action_listen"},
        user_event("zzzt", "nlu_fallback"),
    ]
    _, dispatcher = act(ActionFallback(), text="zzzt", intent="nlu_fallback", events=history)
    assert responses(dispatcher) == ["default"]


def test_out_of_scope_fallback(act) -> None:
    _, dispatcher = act(ActionFallback(), text="what's the weather", intent="out_of_scope")
    assert responses(dispatcher) == ["out_of_scope"]


# --- why do you ask --------------------------------------------------------------------------


def test_why_we_ask_gives_the_rule_behind_the_open_question(act) -> None:
    events, dispatcher = act(ActionExplainQuestion(), slots={"data_consent": True, "requested_slot": "age"},
                             text="why?", intent="why_ask")
    assert events == []
    assert responses(dispatcher) == ["why_we_ask"]
    reason = dispatcher.messages[0]["reason"]
    assert "50 or older" in reason and "45 or older" in reason  # I2, the age rule


def test_why_we_ask_about_a_gate_explains_the_washout(act) -> None:
    _, dispatcher = act(ActionExplainQuestion(), slots={"data_consent": True, "requested_slot": "bone_medicine_any"},
                        text="why do you need that", intent="why_ask")
    assert responses(dispatcher) == ["why_we_ask"]
    assert "bisphosphonate" in dispatcher.messages[0]["reason"].lower()


@pytest.mark.parametrize("requested", [None, "data_consent", "handoff_name"])
def test_why_without_a_screening_question_introduces_the_screening(act, requested) -> None:
    _, dispatcher = act(ActionExplainQuestion(), slots={"requested_slot": requested}, text="why", intent="why_ask")
    assert responses(dispatcher) == ["why_general"]


# --- pause, go on, restart, consent asks ---------------------------------------------------------


def test_pause_keeps_answers_and_leaves_the_form(act) -> None:
    events, dispatcher = act(ActionPauseScreening(), slots=ANSWERED, text="stop", intent="stop")
    assert events == [ActiveLoop(None), SlotSet("requested_slot", None)]
    assert responses(dispatcher) == ["paused"]


def test_go_on_after_an_early_stop(act) -> None:
    stopped = {**ANSWERED, "screening_status": "ineligible"}
    events, _ = act(ActionGoOn(), slots=stopped, text="answer the other questions", intent="go_on")
    assert slot_events(events) == {"go_on_after_fail": True, "screening_status": None}


def test_continue_after_a_pause_only_resumes(act) -> None:
    """A later failure must still stop the screening early: "continue" is not "go on anyway"."""
    paused = {**ANSWERED, "screening_status": None, "go_on_after_fail": False}
    events, _ = act(ActionGoOn(), slots=paused, text="continue", intent="go_on")
    assert slot_events(events) == {}


def test_restart_clears_every_answer_and_gate(act) -> None:
    events, dispatcher = act(ActionRestartScreening(), slots=ANSWERED, text="start over", intent="start_over")
    cleared = slot_events(events)
    for name in (*ANSWER_FIELDS, *gate_names(), "screening_status", "go_on_after_fail", "requested_slot"):
        assert name in cleared and cleared[name] is None, name
    assert cleared["screening_skipped"] == [] and cleared["screening_misreads"] == {}
    assert "data_consent" not in cleared  # consent given stays given
    assert responses(dispatcher) == ["restarted"]


@pytest.mark.parametrize(
    ("action", "response"),
    [
        (ActionAskScreeningConsent(), "ask_data_consent_screening"),
        (ActionAskHandoffConsent(), "ask_contact_consent"),
    ],
)
def test_consent_is_asked(act, action, response) -> None:
    events, dispatcher = act(action, text="hi", intent="start_screening")
    assert events == []
    assert responses(dispatcher) == [response]


def test_a_correction_to_dont_know_makes_the_answer_unknown(act) -> None:
    slots = {**ANSWERED, "lowest_t_score": -2.6, "screening_skipped": ["egfr"]}
    events, dispatcher = act(ActionApplyCorrection(), slots=slots, text="actually I don't know my T-score",
                             intent="correction")
    result = slot_events(events)
    assert result["lowest_t_score"] is None
    assert result["screening_skipped"] == ["egfr", "lowest_t_score"]  # not asked again
    assert result["screening_status"] is None
    assert responses(dispatcher) == ["correction_applied"]


def test_a_correction_that_adds_a_medicine_keeps_its_date(act) -> None:
    slots = {**ANSWERED, "bone_medicine_any": False, **dict.fromkeys(DOSE_FIELDS, NEVER)}
    events, dispatcher = act(ActionApplyCorrection(), slots=slots,
                             text="wait, I also had a zoledronic acid drip in June 2025", intent="correction")
    result = slot_events(events)
    assert result["iv_bisphosphonate_ever"] is True
    assert result["bone_medicine_any"] is True
    assert result["last_iv_bisphosphonate"] == "2025-06-30"
    assert responses(dispatcher) == ["correction_applied"]


@pytest.mark.parametrize("text", ["Hi, I'm asking for my mother, can I answer for her?",
                                  "I am filling this in for my dad", "can I answer on behalf of my husband"])
def test_someone_answering_for_another_person_is_told_how(act, text) -> None:
    """A carer is a normal path: told to answer with the person's agreement, never 'say it another way'."""
    events, dispatcher = act(ActionFallback(), text=text, intent="nlu_fallback")
    assert responses(dispatcher) == ["for_someone_else"]
    assert slot_events(events) == {"person_offered": False}
