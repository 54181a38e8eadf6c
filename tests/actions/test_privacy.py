"""ActionForgetMe deletes this conversation's stored screenings and leads, then resets every slot."""

from __future__ import annotations

from rasa_sdk.events import ActiveLoop, AllSlotsReset
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.handoff import ActionSubmitHandoff
from actions.privacy import ActionForgetMe
from bot.store.db import Database
from bot.store.models import AuditRow, LeadNoteRow, LeadRow, ScreeningRow
from tests.actions.helpers import HANDOFF_READY as READY
from tests.actions.helpers import SENDER, responses, run


def _submit(make_tracker, domain, sender: str, **slots) -> None:
    dispatcher = CollectingDispatcher()
    run(ActionSubmitHandoff(), dispatcher, make_tracker(slots={**READY, **slots}, sender_id=sender), domain)
    assert responses(dispatcher)[0] in ("handoff_stored", "handoff_updated")


def _rows(url: str, model: type, sender: str | None = None) -> list:
    database = Database(url)
    try:
        with database.transaction() as session:
            query = select(model)
            if sender is not None:
                query = query.where(model.conversation_id == sender)
            return list(session.scalars(query))
    finally:
        database.dispose()


def test_forget_me_deletes_the_stored_rows_and_resets_slots(action_db, make_tracker, domain) -> None:
    _submit(make_tracker, domain, SENDER)
    _submit(make_tracker, domain, SENDER, handoff_site="beijing")  # a second screening and a lead note
    _submit(make_tracker, domain, "someone-else")
    assert len(_rows(action_db, LeadRow, SENDER)) == 1
    assert len(_rows(action_db, ScreeningRow, SENDER)) == 2

    dispatcher = CollectingDispatcher()
    events = run(ActionForgetMe(), dispatcher, make_tracker(slots=READY, text="forget my answers",
                                                            intent="forget_me"), domain)

    assert AllSlotsReset() in events
    assert ActiveLoop(None) in events
    assert responses(dispatcher) == ["forgotten"]
    assert _rows(action_db, LeadRow, SENDER) == []
    assert _rows(action_db, ScreeningRow, SENDER) == []
    assert _rows(action_db, LeadNoteRow) == []
    assert len(_rows(action_db, LeadRow, "someone-else")) == 1  # only this person is forgotten
    assert len(_rows(action_db, ScreeningRow, "someone-else")) == 1
    audit = [row for row in _rows(action_db, AuditRow) if row.action == "person.forgotten"]
    assert len(audit) == 1
    assert "Wang Li" not in str(audit[0].detail) and "+8613800138000" not in str(audit[0].detail)


def test_forget_me_with_nothing_stored(action_db, make_tracker, domain) -> None:
    dispatcher = CollectingDispatcher()
    events = run(ActionForgetMe(), dispatcher, make_tracker(text="delete my data", intent="forget_me"), domain)
    assert AllSlotsReset() in events
    assert responses(dispatcher) == ["forgotten"]


def test_forget_me_when_the_store_fails_says_so(action_db, make_tracker, domain, monkeypatch) -> None:
    import actions.privacy

    def broken():
        raise RuntimeError("database down")

    monkeypatch.setattr(actions.privacy, "database", broken)
    dispatcher = CollectingDispatcher()
    events = run(ActionForgetMe(), dispatcher, make_tracker(text="forget me", intent="forget_me"), domain)
    assert events == []  # the slots stay: nothing was deleted
    assert responses(dispatcher) == ["technical_problem"]
