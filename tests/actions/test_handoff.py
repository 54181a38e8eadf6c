"""The hand-off form's validators, and storing (then updating) a lead in a throwaway SQLite store."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.handoff import ActionSubmitHandoff, ValidateHandoffForm
from bot.store.db import Database
from bot.store.models import LeadNoteRow, LeadRow, ScreeningRow
from tests.actions.helpers import HANDOFF_READY, SENDER, responses, run, slot_events, unfilled

FORM = "handoff_form"
READY = HANDOFF_READY


@pytest.fixture
def validate(make_tracker, domain):
    """Call one ``validate_handoff_<slot>`` as rasa-sdk does; returns (slots, responses)."""

    def call(slot: str, value: Any, **slots: Any) -> tuple[dict[str, Any], list]:
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(slots={"contact_consent": True, **slots}, text=str(value), active_loop=FORM)
        method = getattr(ValidateHandoffForm(), f"validate_{slot}")
        return asyncio.run(method(value, dispatcher, tracker, domain)), responses(dispatcher)

    return call


# --- site ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("huai'an", "huaian"),
        ("Huaian", "huaian"),
        ("Huai\u2019an", "huaian"),
        ("HUAI'AN", "huaian"),
        ("淮安", "huaian"),
        ("Beijing", "beijing"),
        ("beijing please", "beijing"),
        ("北京", "beijing"),
        ("Jiangxi", "jiangxi"),
        ("kunshan", "kunshan"),
    ],
)
def test_site_names(validate, text: str, code: str) -> None:
    assert validate("handoff_site", text) == ({"handoff_site": code}, [])


@pytest.mark.parametrize("text", ["Shanghai", "", "the nearest one"])
def test_unknown_site_is_reasked(validate, text: str) -> None:
    assert validate("handoff_site", text) == ({"handoff_site": None}, ["reask_handoff_site"])


# --- contact -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("138 0013 8000", "+8613800138000"),
        ("13800138000", "+8613800138000"),
        ("138-0013-8000", "+8613800138000"),
        ("0086 138 0013 8000", "+8613800138000"),
        ("my number is 138 0013 8000", "+8613800138000"),
        ("+8613800138000", "+8613800138000"),
        ("my wechat is li_wei88", "wechat:li_wei88"),
        ("WeChat: li_wei88", "wechat:li_wei88"),
        ("wechat id li_wei88", "wechat:li_wei88"),
        ("li_wei88", "wechat:li_wei88"),
        ("my wechat id is LiWei_88", "wechat:LiWei_88"),  # WeChat IDs keep their case
        ("wechat:li_wei88", "wechat:li_wei88"),  # already read on an earlier turn
    ],
)
def test_contact_formats(validate, text: str, contact: str) -> None:
    assert validate("handoff_contact", text) == ({"handoff_contact": contact}, [])


@pytest.mark.parametrize("text", ["hello", "12345", "my phone is 123", "call me", "1li_wei", "138 0013 800"])
def test_bad_contact_is_reasked(validate, text: str) -> None:
    assert validate("handoff_contact", text) == ({"handoff_contact": None}, ["reask_handoff_contact"])


@pytest.mark.parametrize("text", ["+86 13800138000 thanks", "+8613800138000 (mobile)"])
def test_contact_starting_with_plus_is_normalised(validate, text: str) -> None:
    slots, _ = validate("handoff_contact", text)
    assert slots["handoff_contact"] in (None, "+8613800138000")


# --- name, time, confirmation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"), [("my name is Wang Li", "Wang Li"), ("Wang Li", "Wang Li"), ("I'm Li Wei", "Li Wei"),
                       ("call me  Mr.  Zhang", "Mr. Zhang")]
)
def test_name(validate, text: str, name: str) -> None:
    assert validate("handoff_name", text) == ({"handoff_name": name}, [])


@pytest.mark.parametrize("text", ["", "   ", "x" * 100])
def test_bad_name_is_reasked(validate, text: str) -> None:
    assert validate("handoff_name", text) == ({"handoff_name": None}, ["reask_handoff_name"])


def test_time_is_kept_in_one_line(validate) -> None:
    assert validate("handoff_time", "  after \n 6 pm ")[0] == {"handoff_time": "after 6 pm"}
    assert len(validate("handoff_time", "x" * 500)[0]["handoff_time"]) == 120


@pytest.mark.parametrize(("text", "value"), [("yes", True), ("no", False), (True, True), ("yes please send it", True)])
def test_confirm(validate, text: Any, value: bool) -> None:
    assert validate("handoff_confirm", text) == ({"handoff_confirm": value}, [])


def test_unclear_confirm_is_reasked(validate) -> None:
    assert validate("handoff_confirm", "hmm") == ({"handoff_confirm": None}, ["reask_yes_no"])


# --- the form on a whole turn ------------------------------------------------------------------


def test_form_turn_reads_the_site_and_asks_for_a_name(make_tracker, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={"contact_consent": True, "requested_slot": "handoff_site"}, text="Huai'an",
                           active_loop=FORM, form_turn=True)
    events = run(ValidateHandoffForm(), dispatcher, tracker, domain)
    assert SlotSet("handoff_site", "huaian") in events
    assert SlotSet("requested_slot", "handoff_name") in events
    assert responses(dispatcher) == ["ask_handoff_name"]


def test_confirmation_shows_the_details(make_tracker, domain) -> None:
    slots = {**READY, "handoff_contact": "wechat:li_wei88", "handoff_time": None, "handoff_confirm": None,
             "requested_slot": "handoff_time"}
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots=slots, text="evenings", active_loop=FORM, form_turn=True)
    events = run(ValidateHandoffForm(), dispatcher, tracker, domain)
    assert SlotSet("requested_slot", "handoff_confirm") in events
    (message,) = dispatcher.messages
    assert message["response"] == "ask_handoff_confirm"
    assert unfilled(dispatcher, domain) == []
    assert (message["site"], message["name"], message["contact"], message["time"]) == (
        "Huai'an", "Wang Li", "li_wei88", "evenings")


def test_consent_refused_ends_the_handoff_form(make_tracker, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={"requested_slot": "contact_consent"}, text="no", intent="deny", active_loop=FORM,
                           form_turn=True)
    events = run(ValidateHandoffForm(), dispatcher, tracker, domain)
    assert SlotSet("contact_consent", False) in events
    assert SlotSet("requested_slot", None) in events
    assert dispatcher.messages == []


# --- submitting --------------------------------------------------------------------------------


def submit(make_tracker, domain, slots: dict[str, Any], sender: str = SENDER) -> tuple[list, CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots=slots, text="yes", intent="affirm", sender_id=sender)
    events = run(ActionSubmitHandoff(), dispatcher, tracker, domain)
    assert unfilled(dispatcher, domain) == []
    return events, dispatcher


def count(url: str, model: type) -> int:
    database = Database(url)
    try:
        with database.transaction() as session:
            return session.scalar(select(func.count()).select_from(model))
    finally:
        database.dispose()


def test_submit_stores_the_lead_and_its_screening(action_db, make_tracker, domain) -> None:
    events, dispatcher = submit(make_tracker, domain, READY)
    assert responses(dispatcher) == ["handoff_stored", "site_contact_placeholder"]
    assert dispatcher.messages[0]["site"] == "Huai'an"
    slots = slot_events(events)
    assert slots["handoff_confirm"] is None
    database = Database(action_db)
    try:
        with database.transaction() as session:
            lead = session.scalars(select(LeadRow)).one()
            assert slots["lead_id"] == lead.id
            assert (lead.channel, lead.conversation_id) == ("rest", SENDER)
            assert (lead.site_code, lead.name, lead.phone, lead.wechat_id) == (
                "huaian", "Wang Li", "+8613800138000", None)
            assert lead.preferred_time == "weekday mornings"
            assert lead.status == "new"
            assert lead.screening.answers["age"] == 62
            assert lead.screening.answers["sex"] == "male"
            assert "handoff_name" not in lead.screening.answers  # contact data is not health data
    finally:
        database.dispose()


def test_second_submit_updates_the_same_lead(action_db, make_tracker, domain) -> None:
    first, _ = submit(make_tracker, domain, READY)
    second, dispatcher = submit(make_tracker, domain, {**READY, "handoff_site": "kunshan",
                                                       "handoff_contact": "wechat:li_wei88"})
    assert responses(dispatcher)[0] == "handoff_updated"
    assert dispatcher.messages[0]["site"] == "Kunshan"
    assert slot_events(second)["lead_id"] == slot_events(first)["lead_id"]
    assert count(action_db, LeadRow) == 1
    assert count(action_db, ScreeningRow) == 2
    assert count(action_db, LeadNoteRow) == 1
    database = Database(action_db)
    try:
        with database.transaction() as session:
            lead = session.scalars(select(LeadRow)).one()
            assert (lead.site_code, lead.phone, lead.wechat_id) == ("kunshan", None, "li_wei88")
    finally:
        database.dispose()


def test_another_conversation_gets_its_own_lead(action_db, make_tracker, domain) -> None:
    submit(make_tracker, domain, READY)
    _, dispatcher = submit(make_tracker, domain, READY, sender="someone-else")
    assert responses(dispatcher)[0] == "handoff_stored"
    assert count(action_db, LeadRow) == 2


def test_not_confirmed_sends_nothing(action_db, make_tracker, domain) -> None:
    events, dispatcher = submit(make_tracker, domain, {**READY, "handoff_confirm": False})
    assert responses(dispatcher) == ["utter_handoff_cancelled"]
    assert events == [SlotSet("handoff_confirm", None)]
    assert "lead_id" not in slot_events(events)


def test_no_consent_sends_nothing_and_clears_the_details(action_db, make_tracker, domain) -> None:
    events, dispatcher = submit(make_tracker, domain, {**READY, "contact_consent": False})
    assert responses(dispatcher) == ["handoff_no_consent"]
    cleared = slot_events(events)
    assert all(cleared[s] is None for s in ("handoff_site", "handoff_name", "handoff_contact", "handoff_time",
                                            "handoff_confirm"))


def test_bad_stored_details_are_a_technical_problem(action_db, make_tracker, domain) -> None:
    events, dispatcher = submit(make_tracker, domain, {**READY, "handoff_contact": None})
    assert responses(dispatcher) == ["technical_problem"]
    assert "lead_id" not in slot_events(events)


def test_contact_the_form_accepted_can_be_submitted(action_db, make_tracker, domain, validate) -> None:
    slots, said = validate("handoff_contact", "+86 13800138000 thanks")
    assert said == []  # the form accepted it without a re-ask
    _, dispatcher = submit(make_tracker, domain, {**READY, **slots})
    assert responses(dispatcher)[0] == "handoff_stored"


def test_a_name_read_as_a_trial_question_is_still_the_name(make_tracker) -> None:
    """The classifier read "李·阿依古丽" as faq; at the name question any words that ask nothing are the name."""
    from actions.answer_form import answer_after_all

    for text in ("李·阿依古丽", "Wang Li", "晚上"):
        tracker = make_tracker(slots={"requested_slot": "handoff_name"}, text=text, intent="faq",
                               active_loop="handoff_form")
        assert answer_after_all(tracker), text
    asking = make_tracker(slots={"requested_slot": "handoff_name"}, text="研究在哪里做？", intent="faq",
                          active_loop="handoff_form")
    assert not answer_after_all(asking)
