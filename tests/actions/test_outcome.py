"""ActionScreeningOutcome reports the engine's verdict with the right response and its variables."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.outcome import ActionScreeningOutcome
from tests.actions.helpers import run, unfilled
from tests.profiles import ELIGIBLE_ANSWERS

ELIGIBLE: dict[str, Any] = {**ELIGIBLE_ANSWERS, "data_consent": True, "bone_medicine_any": False}


@pytest.fixture
def outcome(make_tracker, domain):
    def run_outcome(slots: dict[str, Any]) -> tuple[list, list[dict[str, Any]]]:
        dispatcher = CollectingDispatcher()
        events = run(ActionScreeningOutcome(), dispatcher, make_tracker(slots=slots, text="ok"), domain)
        assert unfilled(dispatcher, domain) == []  # every {variable} of the response text is given
        return events, dispatcher.messages

    return run_outcome


def test_eligible(outcome) -> None:
    events, messages = outcome(ELIGIBLE)
    assert [m["response"] for m in messages] == ["outcome_eligible"]
    assert SlotSet("screening_status", "eligible") in events
    assert SlotSet("screening_remaining", 0.0) in events


def test_needs_review_lists_what_is_missing(outcome) -> None:
    events, messages = outcome({**ELIGIBLE, "vitamin_d_ng_ml": None, "egfr": None})
    assert [m["response"] for m in messages] == ["outcome_needs_review"]
    missing = messages[0]["missing"]
    assert isinstance(missing, str) and missing.strip()
    assert "vitamin D" in missing and "eGFR" in missing
    assert len(missing.splitlines()) == 2  # E8 (vitamin D) and E10 (eGFR), one line each
    assert SlotSet("screening_status", "needs_review") in events


def test_early_stop_on_a_definite_failure(outcome) -> None:
    events, messages = outcome({"data_consent": True, "type2_diabetes": False})
    assert [m["response"] for m in messages] == ["early_stop"]
    assert "type 2 diabetes" in messages[0]["reason"]
    assert SlotSet("screening_status", "ineligible") in events


def test_ineligible_after_going_on(outcome) -> None:
    events, messages = outcome({**ELIGIBLE, "in_other_drug_trial": True, "go_on_after_fail": True})
    assert [m["response"] for m in messages] == ["outcome_ineligible"]
    assert "another medicine study" in messages[0]["reasons"]
    assert "eligible_from" not in messages[0]
    assert SlotSet("screening_status", "ineligible") in events


def test_washout_says_from_when(outcome) -> None:
    last = date.today() - relativedelta(months=2)
    slots = {**ELIGIBLE, "bone_medicine_any": True, "denosumab_ever": True, "last_denosumab": last.isoformat()}
    events, messages = outcome(slots)
    assert [m["response"] for m in messages] == ["outcome_ineligible_until"]
    clears = last + relativedelta(months=6)  # E5: 6 months after the last denosumab dose
    assert messages[0]["eligible_from"] == f"{clears.day} {calendar.month_name[clears.month]} {clears.year}"
    assert messages[0]["reasons"].startswith("- ")
    assert SlotSet("screening_status", "ineligible") in events


def test_consent_declined(outcome) -> None:
    events, messages = outcome({"data_consent": False})
    assert [m["response"] for m in messages] == ["consent_declined"]
    assert events == [SlotSet("screening_status", "declined")]


def test_raw_words_left_in_a_slot_count_as_unknown(outcome) -> None:
    # Raw words still in a slot count as unknown, never as an answer.
    events, messages = outcome({**ELIGIBLE, "age": "sixty-something"})
    assert [m["response"] for m in messages] == ["outcome_needs_review"]
    assert SlotSet("screening_status", "needs_review") in events


@pytest.mark.parametrize("slots", [{"active_infection": True}, {"dental_issue": True},
                                   {"active_infection": True, "dental_issue": True}])
def test_a_failure_that_passes_with_time_is_not_told_as_for_good(outcome, slots) -> None:
    """An infection being treated or an unhealed dental wound: "at the moment", never a flat no."""
    events, messages = outcome({**ELIGIBLE, **slots})
    assert [m["response"] for m in messages] == ["outcome_not_yet"]
    assert "check again" in messages[0]["reasons"] or "healed" in messages[0]["reasons"]
    assert SlotSet("screening_status", "ineligible") in events


def test_a_lasting_failure_beside_a_temporary_one_is_told_as_it_is(outcome) -> None:
    _, messages = outcome({**ELIGIBLE, "active_infection": True, "calcium_disorder": True, "go_on_after_fail": True})
    assert [m["response"] for m in messages] == ["outcome_ineligible"]
