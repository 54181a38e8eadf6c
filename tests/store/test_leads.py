"""Hand-off writes the screening and the lead together, once per conversation."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from bot.leads.workflow import TransitionError
from bot.store import audit
from bot.store.db import Database
from bot.store.leads import UnknownSiteError, change_status, hand_off
from bot.store.models import AuditRow, LeadNoteRow, LeadRow, ScreeningRow
from tests.store.helpers import contact, conversation, screened


def _count(database: Database, model: type) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_hand_off_stores_screening_lead_and_audit(database: Database) -> None:
    answers, evaluation = screened()
    with database.transaction() as session:
        result = hand_off(session, conversation=conversation(), answers=answers, evaluation=evaluation,
                          contact=contact(), site_code="beijing", source="test")
        lead_id = result.lead.id
    assert result.created
    with database.transaction() as session:
        lead = session.get(LeadRow, lead_id)
        assert (lead.status, lead.site_code, lead.phone) == ("new", "beijing", "+8613800138000")
        assert lead.screening.protocol_version == evaluation.protocol_version
        assert lead.screening.status == evaluation.status
        assert lead.screening.answers["age"] == 62
        assert len(lead.screening.result) == 18
        row = session.scalars(select(AuditRow).where(AuditRow.entity_id == lead_id)).one()
        assert row.action == "lead.created"
        assert "age" not in row.detail and "phone" not in row.detail


def test_second_hand_off_updates_the_same_lead(database: Database) -> None:
    answers, evaluation = screened()
    with database.transaction() as session:
        first = hand_off(session, conversation=conversation(), answers=answers, evaluation=evaluation,
                         contact=contact(), site_code="beijing").lead.id
    with database.transaction() as session:
        change_status(session, first, "contacted", actor="coordinator:a", note="called")
    answers2, evaluation2 = screened(age=63)
    with database.transaction() as session:
        second = hand_off(session, conversation=conversation(), answers=answers2, evaluation=evaluation2,
                          contact=contact(phone="13900139000"), site_code="kunshan")
    assert not second.created and second.lead.id == first
    assert _count(database, LeadRow) == 1
    assert _count(database, ScreeningRow) == 2
    with database.transaction() as session:
        lead = session.get(LeadRow, first)
        assert (lead.site_code, lead.phone, lead.status) == ("kunshan", "+8613900139000", "contacted")
        assert lead.screening.answers["age"] == 63


def test_different_conversations_get_different_leads(database: Database) -> None:
    answers, evaluation = screened()
    with database.transaction() as session:
        for cid in ("a", "b"):
            hand_off(session, conversation=conversation(cid), answers=answers, evaluation=evaluation,
                     contact=contact(), site_code="jiangxi")
    assert _count(database, LeadRow) == 2


def test_concurrent_hand_offs_of_one_conversation_make_one_lead(database: Database) -> None:
    answers, evaluation = screened()
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker(phone: str) -> None:
        try:
            barrier.wait()
            with database.transaction() as session:
                hand_off(session, conversation=conversation("race"), answers=answers, evaluation=evaluation,
                         contact=contact(phone=phone), site_code="huaian")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"1380013800{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert _count(database, LeadRow) == 1
    assert _count(database, ScreeningRow) == 4
    with database.transaction() as session:
        actions = sorted(session.scalars(select(AuditRow.action).where(AuditRow.action.like("lead.%"))))
    assert actions == ["lead.created"] + ["lead.updated"] * 3


def test_failure_mid_hand_off_stores_nothing(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    answers, evaluation = screened()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError), database.transaction() as session:
        hand_off(session, conversation=conversation(), answers=answers, evaluation=evaluation,
                 contact=contact(), site_code="beijing")
    assert _count(database, ScreeningRow) == 0
    assert _count(database, LeadRow) == 0


def test_unknown_site_is_refused(database: Database) -> None:
    answers, evaluation = screened()
    with pytest.raises(UnknownSiteError), database.transaction() as session:
        hand_off(session, conversation=conversation(), answers=answers, evaluation=evaluation,
                 contact=contact(), site_code="shanghai")
    assert _count(database, ScreeningRow) == 0


def test_status_workflow_records_notes_and_refuses_bad_moves(database: Database) -> None:
    answers, evaluation = screened()
    with database.transaction() as session:
        lead_id = hand_off(session, conversation=conversation(), answers=answers, evaluation=evaluation,
                           contact=contact(), site_code="beijing").lead.id
    with database.transaction() as session:
        change_status(session, lead_id, "contacted", actor="c1", note="left a message")
        change_status(session, lead_id, "scheduled", actor="c1", note="visit booked")
    with pytest.raises(TransitionError, match="scheduled to new"), database.transaction() as session:
        change_status(session, lead_id, "new", actor="c1")
    with database.transaction() as session:
        change_status(session, lead_id, "enrolled", actor="c1")
    with pytest.raises(TransitionError), database.transaction() as session:
        change_status(session, lead_id, "scheduled", actor="c1")
    with database.transaction() as session:
        notes = session.scalars(select(LeadNoteRow).where(LeadNoteRow.lead_id == lead_id).order_by(LeadNoteRow.id))
        assert [(n.from_status, n.to_status, n.text) for n in notes] == [
            ("new", "contacted", "left a message"),
            ("contacted", "scheduled", "visit booked"),
            ("scheduled", "enrolled", ""),
        ]
        assert session.get(LeadRow, lead_id).status == "enrolled"
