"""Doubtful readings are checked before they are taken; typed answers are said back.

``parse_answer`` is replaced by a stub returning the reading under test, so these tests pin the
form's behaviour, not the parsers' (tests/screening covers those).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import AllSlotsReset
from rasa_sdk.executor import CollectingDispatcher

from actions import screening_form
from actions.common import SCREENING_BOOKKEEPING, screening_state
from actions.dialogue import ActionRestartScreening
from actions.privacy import ActionForgetMe
from actions.screening_form import (
    CONFIRM,
    CONFIRM_FOR,
    NOTED,
    NOTED_FIELD,
    PENDING,
    ValidateScreeningForm,
    confirmation,
    typed,
)
from bot.eligibility.fields import NEVER
from bot.screening.echo import people_value, topics
from bot.screening.parsing import IMPLAUSIBLE, INFERRED, POSITIVE, SIGN, UNIT, Parsed
from bot.screening.planner import plan
from bot.screening.questions import load_questions, question
from tests.actions.helpers import responses, run, slot_events, unfilled
from tests.profiles import DOSE_FIELDS

FORM = "screening_form"
MAN_62 = {"data_consent": True, "type2_diabetes": True, "sex": "male"}
BEFORE_MEDICINES = {**MAN_62, "age": 62.0, "diabetes_years": 12.0, "hip_or_vertebral_fragility_fracture": True,
                    "secondary_osteoporosis": False, "cancer_within_5_years": False}
#: No hip or spine fracture but another one: the T-score decides; it is the next question.
T_SCORE_NEXT = {**BEFORE_MEDICINES, "hip_or_vertebral_fragility_fracture": False, "other_fragility_fracture": True}
#: Everything up to vitamin D answered: it is the next question.
VITAMIN_D_NEXT = {**BEFORE_MEDICINES, "bone_medicine_any": False, **dict.fromkeys(DOSE_FIELDS, NEVER),
                  "osteonecrosis_or_osteomyelitis_of_jaw": False, "dental_issue": False,
                  "calcitonin_over_3_months_past_year": False, "glucocorticoid_high_dose_recent": False}
WOMAN_60 = {**MAN_62, "sex": "female", "age": 60.0}
MAN_62_AGED = {**MAN_62, "age": 62.0}
DRUG_GATES_NEXT = {**BEFORE_MEDICINES, "bone_medicine_any": True}
DENOSUMAB_DATE_NEXT = {**DRUG_GATES_NEXT, "oral_bisphosphonate_ever": False, "last_oral_bisphosphonate": NEVER,
                       "iv_bisphosphonate_ever": False, "last_iv_bisphosphonate": NEVER, "denosumab_ever": True}
MINUS = "\u2212"


class Turn:
    """What one run of the form did: its slot events and the responses it uttered, in order."""

    def __init__(self, events: list[dict[str, Any]], dispatcher: CollectingDispatcher) -> None:
        self.events = events
        self.slots = slot_events(events)
        self.said = responses(dispatcher)
        self.messages = dispatcher.messages


@pytest.fixture
def read_as(monkeypatch: pytest.MonkeyPatch) -> Callable[[Parsed], list[str]]:
    """Make the form read any answer as ``parsed``; returns the list of texts it was asked to read."""

    def stub(parsed: Parsed) -> list[str]:
        seen: list[str] = []

        def parse_answer(question: Any, text: str, **_: Any) -> Parsed:
            seen.append(text)
            return parsed

        monkeypatch.setattr(screening_form, "parse_answer", parse_answer)
        return seen

    return stub


@pytest.fixture
def no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reply must be settled as an answer to the check, never read afresh."""

    def parse_answer(question: Any, text: str, **_: Any) -> Parsed:
        raise AssertionError(f"read afresh: {text!r}")

    monkeypatch.setattr(screening_form, "parse_answer", parse_answer)


@pytest.fixture
def turn(make_tracker: Callable[..., Tracker], domain: dict[str, Any]) -> Callable[..., Turn]:
    def answer(slots: dict[str, Any], requested: str, text: str, intent: str = "inform") -> Turn:
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(slots={**slots, "requested_slot": requested}, text=text, intent=intent,
                               active_loop=FORM, form_turn=True)
        events = run(ValidateScreeningForm(), dispatcher, tracker, domain)
        assert unfilled(dispatcher, domain) == []  # every {value} and {topic} is given
        return Turn(events, dispatcher)

    return answer


def pending(field: str, value: Any, reason: str) -> dict[str, Any]:
    return {PENDING: {"field": field, "value": value, "reason": reason}}


def test_the_setups_are_what_the_planner_asks_next(make_tracker) -> None:
    def next_question(slots: dict[str, Any]) -> str | None:
        return plan(screening_state(make_tracker(slots=slots))).next_question

    assert next_question(T_SCORE_NEXT) == "lowest_t_score"
    assert next_question(VITAMIN_D_NEXT) == "vitamin_d_ng_ml"
    assert next_question(WOMAN_60) == "years_since_menopause"
    assert next_question(MAN_62_AGED) == "diabetes_years"
    assert next_question(MAN_62) == "age"
    assert next_question(DRUG_GATES_NEXT) == "oral_bisphosphonate_ever"


# --- a reading to confirm is proposed, not taken -------------------------------------------------


@pytest.mark.parametrize(
    ("slots", "field", "reading", "response", "values"),
    [
        (T_SCORE_NEXT, "lowest_t_score", Parsed(-2.5, confirm=SIGN, evidence="2.5"), "confirm_sign",
         {"value": f"{MINUS}2.5"}),
        (T_SCORE_NEXT, "lowest_t_score", Parsed(1.5, confirm=POSITIVE, evidence="1.5"), "confirm_positive",
         {"value": "1.5"}),
        (VITAMIN_D_NEXT, "vitamin_d_ng_ml", Parsed(22.0, confirm=UNIT, evidence="22"), "confirm_unit",
         {"value": "22"}),
        (WOMAN_60, "years_since_menopause", Parsed(35.0, confirm=IMPLAUSIBLE),
         "confirm_implausible_years_since_menopause", {"value": "35"}),
        (MAN_62_AGED, "diabetes_years", Parsed(50.0, confirm=IMPLAUSIBLE), "confirm_implausible_diabetes_years",
         {"value": "50"}),
        (MAN_62, "age", Parsed(63.0, confirm=INFERRED, evidence="born 1962"), "confirm_inferred_age",
         {"value": "63"}),
        ({"data_consent": True}, "type2_diabetes", Parsed(True, confirm=INFERRED, evidence="yse"),
         "confirm_inferred_yes", {"topic": "type 2 diabetes"}),
    ],
)
def test_a_reading_to_confirm_is_proposed_and_the_question_stays_open(
    turn, read_as, slots, field, reading, response, values
) -> None:
    seen = read_as(reading)
    result = turn(slots, field, reading.evidence or "some words")
    assert seen == [reading.evidence or "some words"]
    assert result.slots[field] is None  # not taken
    assert result.slots[PENDING] == {"field": field, "value": reading.value, "reason": reading.confirm}
    assert result.said == [response]  # the check only: the question is not asked again after it
    assert {k: result.messages[0][k] for k in values} == values
    assert result.slots["requested_slot"] == field
    assert "screening_misreads" not in result.slots and "screening_skipped" not in result.slots


def test_a_proposal_is_not_a_misread(turn, read_as) -> None:
    """One misread already: a second one would move on; a proposal does not."""
    read_as(Parsed(-2.5, confirm=SIGN, evidence="2.5"))
    result = turn({**T_SCORE_NEXT, "screening_misreads": {"lowest_t_score": 1}}, "lowest_t_score", "2.5")
    assert result.said == ["confirm_sign"]
    assert "moving_on" not in result.said
    assert "screening_misreads" not in result.slots
    assert result.slots["requested_slot"] == "lowest_t_score"


def test_an_implausible_proposal_is_reasked_not_proposed(turn, read_as) -> None:
    read_as(Parsed(70.0, confirm=IMPLAUSIBLE))  # longer with diabetes than alive
    result = turn(MAN_62_AGED, "diabetes_years", "70")
    assert result.slots[PENDING] is None
    assert result.said == ["reask_implausible", "ask_diabetes_years"]
    assert result.slots["screening_misreads"] == {"diabetes_years": 1}


# --- the reply to the check ----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "intent"), [("/affirm", "affirm"), ("yes", "affirm"), ("yes that's right", "inform")])
def test_yes_takes_the_proposal_and_says_it_back(turn, no_reading, text, intent) -> None:
    result = turn({**T_SCORE_NEXT, **pending("lowest_t_score", -2.5, SIGN)}, "lowest_t_score", text, intent)
    assert result.slots["lowest_t_score"] == -2.5
    assert result.slots[PENDING] is None
    nxt = result.slots["requested_slot"]
    assert nxt not in (None, "lowest_t_score")
    assert result.said == ["noted_t_score", f"ask_{nxt}"]
    assert result.messages[0]["value"] == f"{MINUS}2.5"


@pytest.mark.parametrize(("text", "intent"), [("/deny", "deny"), ("no", "deny"), ("no I did not", "inform")])
def test_no_clears_the_proposal_and_asks_the_question_again(turn, no_reading, text, intent) -> None:
    result = turn({**T_SCORE_NEXT, **pending("lowest_t_score", -2.5, SIGN)}, "lowest_t_score", text, intent)
    assert result.slots["lowest_t_score"] is None
    assert result.slots[PENDING] is None
    assert result.slots["requested_slot"] == "lowest_t_score"
    assert result.said == ["confirm_declined", "ask_lowest_t_score"]
    assert "screening_misreads" not in result.slots


@pytest.mark.parametrize("intent", ["inform", "deny"])  # a typed number is an answer, whatever the NLU thinks
def test_a_fresh_typed_answer_replaces_the_proposal(turn, read_as, intent) -> None:
    seen = read_as(Parsed(-2.7, evidence="-2.7"))
    result = turn({**T_SCORE_NEXT, **pending("lowest_t_score", -2.5, SIGN)}, "lowest_t_score", "-2.7", intent)
    assert seen == ["-2.7"]
    assert result.slots["lowest_t_score"] == -2.7
    assert result.slots[PENDING] is None
    assert result.said[0] == "noted_t_score"
    assert result.messages[0]["value"] == f"{MINUS}2.7"


def test_a_fresh_answer_that_needs_checking_again_is_checked_again(turn, read_as) -> None:
    read_as(Parsed(-3.0, confirm=SIGN, evidence="3"))
    result = turn({**T_SCORE_NEXT, **pending("lowest_t_score", -2.5, SIGN)}, "lowest_t_score", "3")
    assert result.slots["lowest_t_score"] is None
    assert result.slots[PENDING] == {"field": "lowest_t_score", "value": -3.0, "reason": SIGN}
    assert result.said == ["confirm_sign"]
    assert result.messages[0]["value"] == f"{MINUS}3"


def test_dont_know_instead_of_a_reply_skips_the_question(turn, read_as) -> None:
    read_as(Parsed(dont_know=True))
    result = turn({**T_SCORE_NEXT, **pending("lowest_t_score", -2.5, SIGN)}, "lowest_t_score", "not sure")
    assert result.slots[PENDING] is None
    assert result.slots["lowest_t_score"] is None
    assert "lowest_t_score" in result.slots["screening_skipped"]
    assert result.said[0] == "dont_know_noted"


@pytest.mark.parametrize(("text", "stored", "echoed"), [("ng/mL", 22.0, "22"), ("nmol/L", 8.81, "8.81"),
                                                          ("it says nmol", 8.81, "8.81")])
def test_unit_buttons_convert_the_proposal(turn, no_reading, text, stored, echoed) -> None:
    result = turn({**VITAMIN_D_NEXT, **pending("vitamin_d_ng_ml", 22.0, UNIT)}, "vitamin_d_ng_ml", text)
    assert result.slots["vitamin_d_ng_ml"] == pytest.approx(stored)
    assert result.slots[PENDING] is None
    assert result.said[0] == "noted_vitamin_d_ng_ml"
    assert result.messages[0]["value"] == echoed
    assert result.slots["requested_slot"] != "vitamin_d_ng_ml"


def test_a_number_with_its_unit_is_a_fresh_answer_to_the_unit_check(turn, read_as) -> None:
    seen = read_as(Parsed(20.03, evidence="50 nmol/L"))
    result = turn({**VITAMIN_D_NEXT, **pending("vitamin_d_ng_ml", 22.0, UNIT)}, "vitamin_d_ng_ml", "50 nmol/L")
    assert seen == ["50 nmol/L"]
    assert result.slots["vitamin_d_ng_ml"] == 20.03  # not 22 converted
    assert result.slots[PENDING] is None


def test_a_confirmed_yes_to_a_gate_opens_its_questions(turn, no_reading) -> None:
    slots = {**DRUG_GATES_NEXT, **pending("oral_bisphosphonate_ever", True, INFERRED)}
    result = turn(slots, "oral_bisphosphonate_ever", "/affirm", "affirm")
    assert result.slots["oral_bisphosphonate_ever"] is True
    assert result.said == ["noted_yes", "ask_last_oral_bisphosphonate"]
    assert result.messages[0]["topic"] == "bisphosphonate tablets"


def test_a_proposal_for_another_question_is_dropped(turn, read_as) -> None:
    read_as(Parsed(12.0))
    result = turn({**MAN_62_AGED, **pending("lowest_t_score", -2.5, SIGN)}, "diabetes_years", "yes")
    assert result.slots["diabetes_years"] == 12.0
    assert result.slots[PENDING] is None


# --- asking while a check waits --------------------------------------------------------------------


def _back_after_a_digression(make_tracker, domain, slots: dict[str, Any]) -> list[str | None]:
    """The form runs again after the rules answered "why do you ask?": nothing to read this time."""
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "why?", "parse_data": {"text": "why?", "intent": {"name": "why_ask"}}},
        {"event": "action", "name": "action_explain_question"},
        {"event": "action", "name": FORM},
    ]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={**slots, "requested_slot": "lowest_t_score"}, text="why?", intent="why_ask",
                           events=events, active_loop=FORM)
    run(ValidateScreeningForm(), dispatcher, tracker, domain)
    return responses(dispatcher)


def test_back_at_a_question_with_a_check_waiting_the_check_is_asked(make_tracker, domain) -> None:
    assert _back_after_a_digression(make_tracker, domain, T_SCORE_NEXT) == ["ask_lowest_t_score"]
    with_check = {**T_SCORE_NEXT, **pending("lowest_t_score", -2.5, SIGN)}
    assert _back_after_a_digression(make_tracker, domain, with_check) == ["confirm_sign"]


# --- restart and forget clear a waiting check ----------------------------------------------------


def test_restart_clears_the_waiting_check(make_tracker, domain) -> None:
    assert PENDING in SCREENING_BOOKKEEPING
    dispatcher = CollectingDispatcher()
    slots = {**T_SCORE_NEXT, **pending("lowest_t_score", -2.5, SIGN)}
    events = run(ActionRestartScreening(), dispatcher, make_tracker(slots=slots, text="start over",
                                                                    intent="start_over"), domain)
    cleared = slot_events(events)
    assert PENDING in cleared and cleared[PENDING] is None


def test_forget_resets_the_waiting_check_to_nothing(action_db, make_tracker, domain) -> None:
    spec = domain["slots"][PENDING]
    assert spec.get("initial_value") is None  # what AllSlotsReset returns it to
    assert spec["influence_conversation"] is False
    assert spec["mappings"] == [{"type": "custom"}]
    dispatcher = CollectingDispatcher()
    slots = {**T_SCORE_NEXT, **pending("lowest_t_score", -2.5, SIGN)}
    events = run(ActionForgetMe(), dispatcher, make_tracker(slots=slots, text="forget me", intent="forget_me"),
                 domain)
    assert AllSlotsReset() in events


# --- saying back what typed words were read as ---------------------------------------------------


@pytest.mark.parametrize(
    ("slots", "field", "text", "reading", "response", "values"),
    [
        (MAN_62, "age", "62", Parsed(62.0), "noted_age", {"value": "62"}),
        (MAN_62_AGED, "diabetes_years", "since 2013", Parsed(12.0), "noted_years", {"value": "12"}),
        (T_SCORE_NEXT, "lowest_t_score", "minus 2.5", Parsed(-2.5), "noted_t_score", {"value": f"{MINUS}2.5"}),
        (DENOSUMAB_DATE_NEXT, "last_denosumab", "March 2025", Parsed("2025-03-31"), "noted_date",
         {"value": "31 March 2025"}),
        (DENOSUMAB_DATE_NEXT, "last_denosumab", "never", Parsed(NEVER), "noted_never", {}),
        ({**BEFORE_MEDICINES, "cancer_within_5_years": None}, "cancer_within_5_years",
         "I was treated for lymphoma in 2023", Parsed(True), "noted_yes", {"topic": "cancer in the last 5 years"}),
        ({"data_consent": True}, "type2_diabetes", "I have never been told that", Parsed(False), "noted_no",
         {"topic": "type 2 diabetes"}),
        ({"data_consent": True, "type2_diabetes": True}, "sex", "I am a woman", Parsed("female"), "noted_female",
         {}),
    ],
)
def test_a_typed_answer_is_said_back_before_the_next_question(
    turn, read_as, slots, field, text, reading, response, values
) -> None:
    read_as(reading)
    result = turn(slots, field, text)
    assert result.slots[field] == reading.value
    assert result.said[0] == response
    assert {k: result.messages[0][k] for k in values} == values
    assert result.said[1:] == ([f"ask_{result.slots['requested_slot']}"] if result.slots["requested_slot"] else [])


@pytest.mark.parametrize(
    ("slots", "field", "text", "intent", "reading"),
    [
        ({"data_consent": True}, "type2_diabetes", "/affirm", "affirm", Parsed(True)),
        ({"data_consent": True}, "type2_diabetes", "yes", "affirm", Parsed(True)),
        ({"data_consent": True}, "type2_diabetes", "No.", "deny", Parsed(False)),
        ({"data_consent": True, "type2_diabetes": True}, "sex", "man", "inform", Parsed("male")),
        (DRUG_GATES_NEXT, "oral_bisphosphonate_ever", "/deny", "deny", Parsed(False)),
    ],
)
def test_a_button_press_or_a_one_word_answer_is_not_said_back(turn, read_as, slots, field, text, intent,
                                                               reading) -> None:
    read_as(reading)
    result = turn(slots, field, text, intent)
    assert result.slots[field] == reading.value
    assert not [r for r in result.said if r and r.startswith("noted_")]


@pytest.mark.parametrize(
    ("name", "text", "said_back"),
    [
        ("egfr", "75", True),
        ("egfr", "/affirm", False),  # a stray button payload is never typed text
        ("type2_diabetes", "Yes!", False),
        ("type2_diabetes", "yes I do", True),
        ("sex", "woman", False),
        ("sex", "I am a woman", True),
    ],
)
def test_which_words_count_as_typed(name, text, said_back) -> None:
    assert typed(question(name), text) is said_back


def test_a_misread_is_not_said_back(turn, read_as) -> None:
    read_as(Parsed(problem="unreadable"))
    result = turn(MAN_62, "age", "old enough")
    assert result.said == ["reask_age", "ask_age"]


# --- a gate's yes that already says when ---------------------------------------------------------


def test_a_gate_yes_with_also_fills_the_date_and_says_both(turn, read_as) -> None:
    read_as(Parsed(True, evidence="yes", also={"last_oral_bisphosphonate": "2024-03-31"}))
    result = turn(DRUG_GATES_NEXT, "oral_bisphosphonate_ever", "yes, 3 years ago, in March 2024", "affirm")
    assert result.slots["oral_bisphosphonate_ever"] is True
    assert result.slots["last_oral_bisphosphonate"] == "2024-03-31"  # the reading's, not "3 years ago"
    assert result.said == ["noted_yes_when", "ask_iv_bisphosphonate_ever"]
    assert result.messages[0]["value"] == "31 March 2024"
    assert result.messages[0]["topic"] == "bisphosphonate tablets"


def test_also_ignores_what_is_not_an_answer(turn, read_as) -> None:
    read_as(Parsed(True, also={"last_oral_bisphosphonate": "not a date", "favourite_colour": "blue"}))
    result = turn(DRUG_GATES_NEXT, "oral_bisphosphonate_ever", "yes I took them", "affirm")
    assert result.slots["oral_bisphosphonate_ever"] is True
    assert "last_oral_bisphosphonate" not in result.slots and "favourite_colour" not in result.slots
    assert result.slots["requested_slot"] == "last_oral_bisphosphonate"


def test_the_date_in_a_gate_yes_is_read_by_the_parser(turn) -> None:
    """The real reader puts "in 2020" into ``also``: the one way a gate's date is read."""
    result = turn(DRUG_GATES_NEXT, "oral_bisphosphonate_ever", "yes, in 2020", "affirm")
    assert result.slots["last_oral_bisphosphonate"] == "2020-12-31"


# --- the wording exists ----------------------------------------------------------------------------


def test_every_check_and_echo_response_exists_with_its_buttons(domain) -> None:
    names = {*CONFIRM.values(), *CONFIRM_FOR.values(), *NOTED.values(), *NOTED_FIELD.values(), "confirm_declined",
             "noted_yes_when"}
    assert sorted(names - set(domain["responses"])) == []
    for name in {*CONFIRM.values(), *CONFIRM_FOR.values()} - {"confirm_unit"}:
        for variation in domain["responses"][name]:  # one per language
            assert [b["payload"] for b in variation["buttons"]] == ["/affirm", "/deny"], name
    for unit in domain["responses"]["confirm_unit"]:
        assert [(b["title"], b["payload"]) for b in unit["buttons"]] == [("ng/mL", "ng/mL"), ("nmol/L", "nmol/L")]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_yes_no_question_has_a_topic(language: str) -> None:
    yes_no = {q.name for q in load_questions() if q.kind == "yes_no"}
    assert sorted(yes_no - set(topics(language))) == []
    assert sorted(set(topics(language)) - yes_no) == []
    assert all(phrase and phrase == phrase.strip() for phrase in topics(language).values())


@pytest.mark.parametrize(
    ("value", "shown"),
    [(-2.5, f"{MINUS}2.5"), (22.0, "22"), (8.8132, "8.81"), (0.0, "0"), (-0.001, "0"), ("2026-03-31", "31 March 2026")],
)
def test_values_are_shown_as_people_read_them(value, shown) -> None:
    assert people_value(value) == shown


def test_a_reason_the_form_does_not_know_still_gets_a_check() -> None:
    response, values = confirmation({"field": "age", "value": 63.0, "reason": "new_reason"}, "en")
    assert response == CONFIRM[INFERRED]
    assert values == {"value": "63"}
