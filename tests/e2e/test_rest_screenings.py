"""Complete screenings over the real REST channel, checking the outcome slot and the stored lead."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot.store.db import Database
from bot.store.models import LeadRow, ScreeningRow
from tests.e2e.servers import Servers

NO = "no"
YES = "yes"
DONT_KNOW = "I don't know"

ELIGIBLE_MAN: dict[str, str] = {
    "type2_diabetes": YES,
    "sex": "man",
    "age": "I'm sixty-two",
    "diabetes_years": "about 12 years",
    "hip_or_vertebral_fragility_fracture": "yes I had a hip fracture in 2019",
    "secondary_osteoporosis": NO,
    "cancer_within_5_years": NO,
    "bone_medicine_any": NO,
    "osteonecrosis_or_osteomyelitis_of_jaw": NO,
    "dental_issue": NO,
    "calcitonin_over_3_months_past_year": NO,
    "glucocorticoid_high_dose_recent": NO,
    "vitamin_d_ng_ml": "25 ng/ml",
    "active_infection": NO,
    "heart_failure_nyha3_plus": NO,
    "severe_arrhythmia": NO,
    "alt_ast_over_3x_uln": NO,
    "egfr": "75",
    "calcium_disorder": NO,
    "study_drug_allergy": NO,
    "in_other_drug_trial": NO,
    "consent": YES,
}
ELIGIBLE_WOMAN = {
    **ELIGIBLE_MAN,
    "sex": "woman",
    "age": "58",
    "years_since_menopause": "since 2015",
    "diabetes_years": "6 years",
    "coronary_heart_disease": NO,
    "cerebrovascular_disease": NO,
    "retinopathy_stage3_plus": NO,
    "uacr_mg_g": "45",
    "hip_or_vertebral_fragility_fracture": NO,
    "other_fragility_fracture": YES,
    "lowest_t_score": "minus 1.8",
}
WASHOUT = {
    **ELIGIBLE_MAN,
    "bone_medicine_any": YES,
    "oral_bisphosphonate_ever": YES,
    "last_oral_bisphosphonate": "2 months ago",
    "iv_bisphosphonate_ever": NO,
    "denosumab_ever": NO,
    "teriparatide_ever": NO,
    "romosozumab_ever": NO,
}
# Answers typed exactly as the values they are stored as ("male", "never", an ISO date) must be kept too.
STORED_VALUE_WORDS = {
    **WASHOUT,
    "sex": "male",
    "last_oral_bisphosphonate": "x",  # replaced below with a date two months ago, typed as YYYY-MM-DD
    "iv_bisphosphonate_ever": NO,
}
UNKNOWNS = {**ELIGIBLE_MAN, "vitamin_d_ng_ml": DONT_KNOW, "egfr": "not sure"}
NO_DIABETES = {**ELIGIBLE_MAN, "type2_diabetes": NO}


def _two_months_ago() -> str:
    from datetime import date

    from dateutil.relativedelta import relativedelta

    return (date.today() - relativedelta(months=2)).isoformat()


STORED_VALUE_WORDS["last_oral_bisphosphonate"] = _two_months_ago()


def screen(
    servers: Servers,
    sender: str,
    profile: dict[str, str],
    *,
    start: str = "/start_screening",
    agree: str = "yes",
    check: Callable[[list[dict[str, Any]]], None] = lambda reply: None,
) -> tuple[list[str], dict[str, Any]]:
    """Start, consent, then answer each open question from the profile (``check`` sees every reply);
    returns the questions asked and the final slots."""
    check(servers.say(sender, start))
    check(servers.say(sender, agree))
    asked: list[str] = []
    for _ in range(60):
        slots = servers.slots(sender)
        requested = slots.get("requested_slot")
        if requested is None:
            return asked, slots
        asked.append(requested)
        assert requested in profile, f"asked {requested}, which this profile's outcome cannot depend on"
        check(servers.say(sender, profile[requested]))
    raise AssertionError(f"screening did not end: {asked}")


def hand_off(servers: Servers, sender: str, site: str = "Beijing") -> list[dict[str, Any]]:
    """Ask for a person, agree to pass on contact details, give them, confirm."""
    notice = servers.say(sender, "/human_handoff")
    assert any("pass your details" in m.get("text", "") for m in notice), notice
    for message in ("yes", site, "Wang Li", "138 0013 8000", "weekday mornings"):
        servers.say(sender, message)
    return servers.say(sender, "yes")


def stored(servers: Servers, sender: str) -> tuple[LeadRow | None, list[ScreeningRow]]:
    database = Database(servers.database_url)
    try:
        with database.transaction() as session:
            lead = session.scalars(select(LeadRow).where(LeadRow.conversation_id == sender)).first()
            screenings = list(session.scalars(select(ScreeningRow).where(ScreeningRow.conversation_id == sender)))
            session.expunge_all()
            return lead, screenings
    finally:
        database.dispose()


@pytest.mark.parametrize(
    ("sender", "profile", "status"),
    [
        ("e2e-eligible-man", ELIGIBLE_MAN, "eligible"),
        ("e2e-eligible-woman", ELIGIBLE_WOMAN, "eligible"),
        ("e2e-washout", WASHOUT, "ineligible"),
        ("e2e-stored-words", STORED_VALUE_WORDS, "ineligible"),
        ("e2e-unknowns", UNKNOWNS, "needs_review"),
        ("e2e-no-diabetes", NO_DIABETES, "ineligible"),
    ],
)
def test_screening_outcome_and_stored_lead(servers: Servers, sender: str, profile: dict[str, str], status: str) -> None:
    asked, slots = screen(servers, sender, profile)
    assert slots["screening_status"] == status
    reply = hand_off(servers, sender)
    assert any("sent your details" in m.get("text", "") for m in reply), reply
    lead, screenings = stored(servers, sender)
    assert lead is not None and lead.site_code == "beijing" and lead.phone == "+8613800138000"
    assert [s.status for s in screenings] == [status]
    assert screenings[0].protocol_version == "2025-07-22"
    if profile in (WASHOUT, STORED_VALUE_WORDS):
        assert screenings[0].eligible_from is not None
    assert len(asked) == len(set(asked)), f"a question was asked twice: {asked}"
    if profile is NO_DIABETES:
        assert asked == ["type2_diabetes"]  # a definite fail ends the screening at once


def test_a_man_is_never_asked_about_menopause_nor_complications_after_ten_years(servers: Servers) -> None:
    asked, slots = screen(servers, "e2e-man-questions", ELIGIBLE_MAN)
    assert slots["screening_status"] == "eligible"
    assert "years_since_menopause" not in asked
    assert not {"coronary_heart_disease", "uacr_mg_g", "retinopathy_stage3_plus"} & set(asked)
    assert not {"other_fragility_fracture", "lowest_t_score"} & set(asked)  # hip fracture decides I4
    assert len(asked) == len(set(asked))


def test_consent_refused_stores_nothing(servers: Servers) -> None:
    servers.say("e2e-no-consent", "/start_screening")
    reply = servers.say("e2e-no-consent", "no")
    assert any("not stored any health answers" in m.get("text", "") for m in reply)
    assert servers.slots("e2e-no-consent")["screening_status"] == "declined"
    assert stored(servers, "e2e-no-consent") == (None, [])


def test_second_hand_off_updates_the_lead(servers: Servers) -> None:
    screen(servers, "e2e-twice", ELIGIBLE_MAN)
    hand_off(servers, "e2e-twice", "Kunshan")
    confirm = servers.say("e2e-twice", "/human_handoff")  # details are kept: only the confirmation is asked
    assert any("Kunshan" in m.get("text", "") for m in confirm), confirm
    reply = servers.say("e2e-twice", "yes")
    assert any("updated" in m.get("text", "") for m in reply), reply
    lead, screenings = stored(servers, "e2e-twice")
    assert lead is not None and lead.site_code == "kunshan"
    assert (
        len(screenings) == 2
        and lead.screening_id == screenings[-1].id
        or lead.screening_id in {s.id for s in screenings}
    )


@pytest.mark.parametrize(
    "body",
    [{}, {"sender": "x"}, {"message": "hi"}, {"sender": "", "message": "hi"}, {"sender": "x", "message": 5}, []],
)
def test_bad_requests_get_a_400_with_a_message(servers: Servers, body: Any) -> None:
    from tests.e2e.servers import post_json

    status, reply = post_json(f"{servers.rasa_url}/webhooks/rest/webhook", body)
    assert status == 400 and "error" in reply


def test_overlong_message_is_refused(servers: Servers) -> None:
    from tests.e2e.servers import post_json

    status, reply = post_json(f"{servers.rasa_url}/webhooks/rest/webhook", {"sender": "x", "message": "a" * 5000})
    assert status == 413 and "error" in reply
