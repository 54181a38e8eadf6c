"""Forgetting a person removes answers and contact data; the audit log keeps only ids."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from bot.store.db import Database
from bot.store.forget import forget_conversation, forget_screening
from bot.store.leads import change_status, hand_off
from bot.store.models import AuditRow, LeadNoteRow, LeadRow, ScreeningRow
from tests.store.helpers import contact, conversation, screened


def _hand_off(database: Database, cid: str) -> tuple[str, str]:
    answers, evaluation = screened()
    with database.transaction() as session:
        lead = hand_off(session, conversation=conversation(cid), answers=answers, evaluation=evaluation,
                        contact=contact(name=f"Person {cid}"), site_code="beijing").lead
        change_status(session, lead.id, "contacted", actor="c1", note="spoke to Person " + cid)
        return lead.id, lead.screening_id


def test_forget_removes_only_that_person(database: Database) -> None:
    lead_a, screening_a = _hand_off(database, "a")
    lead_b, _ = _hand_off(database, "b")
    answers, evaluation = screened(age=70)
    with database.transaction() as session:  # a second screening of person a
        hand_off(session, conversation=conversation("a"), answers=answers, evaluation=evaluation,
                 contact=contact(name="Person a"), site_code="beijing")
    with database.transaction() as session:
        forgotten = forget_screening(session, screening_a, actor="admin:x", source="test")
    assert (forgotten.screenings, forgotten.leads) == (2, 1)
    with database.transaction() as session:
        assert session.get(LeadRow, lead_a) is None
        assert session.get(LeadRow, lead_b) is not None
        assert session.scalar(select(func.count()).select_from(ScreeningRow)) == 1
        assert session.scalar(select(func.count()).where(LeadNoteRow.lead_id == lead_a)) == 0
        entry = session.scalars(select(AuditRow).where(AuditRow.action == "person.forgotten")).one()
        assert entry.actor == "admin:x" and lead_a in entry.detail["lead_ids"]
        # No health or contact data anywhere in the audit log.
        dump = json.dumps([r.detail for r in session.scalars(select(AuditRow))])
        person = contact(name="Person a")
        # The phone as typed and as stored: a bare "138" would also match a random id now and then.
        for secret in (person.name, person.phone, "138 0013 8000", "spoke to Person"):
            assert secret not in dump
        assert '"age"' not in dump


def test_forget_unknown_screening_returns_none(database: Database) -> None:
    with database.transaction() as session:
        assert forget_screening(session, "no-such-id", actor="admin:x") is None


def test_forget_conversation_without_data_still_audits(database: Database) -> None:
    with database.transaction() as session:
        forgotten = forget_conversation(session, conversation("nobody"), actor="participant:rest")
    assert (forgotten.screenings, forgotten.leads) == (0, 0)
    with database.transaction() as session:
        assert session.scalar(select(func.count()).where(AuditRow.action == "person.forgotten")) == 1


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"])
def test_audit_log_is_append_only_in_the_database(database: Database, statement: str) -> None:
    _hand_off(database, "a")
    with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as connection:
        connection.execute(text(statement))


def test_audit_detail_refuses_health_data(database: Database) -> None:
    from bot.store import audit

    with pytest.raises(ValueError, match="age"), database.transaction() as session:
        audit.record(session, actor="x", action="y", detail={"age": 62})


def test_cli_forget(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {"DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "bot.store"]
    assert subprocess.run([*run, "upgrade"], env=env, capture_output=True, text=True).returncode == 0
    database = Database(url)
    _, screening_id = _hand_off(database, "cli")
    database.dispose()
    missing = subprocess.run([*run, "forget", "nope"], env=env, capture_output=True, text=True)
    assert missing.returncode == 2 and "no screening" in missing.stderr
    done = subprocess.run([*run, "forget", screening_id], env=env, capture_output=True, text=True)
    assert done.returncode == 0 and "1 lead" in done.stdout
