"""The cached tracker store gives exactly what Rasa's own SQL store gives, turn after turn.

Each test drives the cached store and, where it matters, reads the same database with a plain
``SQLTrackerStore``: the database stays the truth, the cache only saves the rebuild.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import CachedSQLTrackerStore
from bot.tracker_store.incremental_tracker import IncrementalTracker
from tests.services import require_postgres

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(ROOT / "domain.yml")


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty tracker database on each backend (PostgreSQL: a fresh schema per test)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    base = require_postgres().replace("postgresql+psycopg2://", "postgresql://")
    schema = f"tracker_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, future=True)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    monkeypatch.setenv("POSTGRESQL_SCHEMA", schema)  # Rasa's own setting for its SQL store
    try:
        yield base
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def cached(url: str, **kwargs: Any) -> CachedSQLTrackerStore:
    return CachedSQLTrackerStore(domain=DOMAIN, host=url, **kwargs)


def plain(url: str) -> SQLTrackerStore:
    return SQLTrackerStore(domain=DOMAIN, host=url)


def turn(text: str, slot: str | None = None, value: Any = None) -> list[Event]:
    events: list[Event] = [UserUttered(text, {"name": "inform", "confidence": 1.0}), ActionExecuted("action_listen")]
    if slot:
        events.insert(1, SlotSet(slot, value))
    return events


def take_turn(store: CachedSQLTrackerStore, sender: str, events: list[Event]) -> DialogueStateTracker:
    """What Rasa does for one message: read the tracker, add the turn's events, save it."""
    tracker = run(store.retrieve(sender)) or DialogueStateTracker(sender, DOMAIN.slots)
    for event in events:
        tracker.update(event, DOMAIN)
    run(store.save(tracker))
    return tracker


def dialogue(tracker: DialogueStateTracker | None) -> Any:
    assert tracker is not None
    return tracker.current_state()


def engine_for(url: str) -> sa.engine.Engine:
    """A plain engine on the same tables (on PostgreSQL, inside the test's schema)."""
    schema = os.environ.get("POSTGRESQL_SCHEMA")
    if url.startswith("postgresql") and schema:
        return sa.create_engine(url, future=True, connect_args={"options": f"-csearch_path={schema}"})
    return sa.create_engine(url, future=True)


def rows(url: str, sender: str) -> list[tuple[Any, ...]]:
    engine = engine_for(url)
    with engine.connect() as connection:
        found = connection.execute(
            sa.text("SELECT type_name, intent_name, action_name, data FROM events WHERE sender_id = :s ORDER BY id"),
            {"s": sender},
        ).all()
    engine.dispose()
    return [tuple(row) for row in found]


def test_every_turn_matches_a_fresh_read_by_rasas_store(url: str) -> None:
    store = cached(url)
    for number in range(6):
        take_turn(store, "alice", turn(f"answer {number}", "age", number + 60))
        assert dialogue(run(store.retrieve("alice"))) == dialogue(run(plain(url).retrieve("alice")))
    assert run(store.retrieve("alice")).get_slot("age") == 65


def test_an_unchanged_conversation_is_not_rebuilt(url: str) -> None:
    store = cached(url)
    saved = take_turn(store, "bob", turn("hello"))
    assert run(store.retrieve("bob")) is saved
    assert run(store.retrieve("nobody")) is None


def test_rows_written_are_exactly_those_rasas_store_writes(url: str, tmp_path: Path) -> None:
    store = cached(url)
    reference_url = f"sqlite:///{tmp_path / 'reference.db'}"
    reference = plain(reference_url)
    for number in range(3):
        events = turn(f"turn {number}", "sex", "female")
        take_turn(store, "carol", events)
        tracker = run(reference.retrieve("carol")) or DialogueStateTracker("carol", DOMAIN.slots)
        for event in events:
            tracker.update(event, DOMAIN)
        run(reference.save(tracker))
    assert rows(url, "carol") == rows(reference_url, "carol")
    assert len(rows(url, "carol")) == 9


def test_a_turn_that_failed_before_saving_leaves_no_trace(url: str) -> None:
    store = cached(url)
    take_turn(store, "dave", turn("first", "age", 61))
    tracker = run(store.retrieve("dave"))
    tracker.update(SlotSet("age", 99), DOMAIN)  # the turn crashes here: never saved
    again = run(store.retrieve("dave"))
    assert again is not tracker
    assert again.get_slot("age") == 61
    assert dialogue(again) == dialogue(run(plain(url).retrieve("dave")))


def test_rows_deleted_elsewhere_are_noticed(url: str) -> None:
    """Forget-me deletes the rows from another process: the conversation must really be gone."""
    store = cached(url)
    take_turn(store, "erin", turn("my age is 70", "age", 70))
    assert run(store.retrieve("erin")) is not None
    engine = engine_for(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM events WHERE sender_id = 'erin'"))
    engine.dispose()
    assert run(store.retrieve("erin")) is None


def test_turns_saved_by_another_instance_are_read(url: str) -> None:
    first, second = cached(url), cached(url)
    take_turn(first, "frank", turn("one", "age", 60))
    take_turn(second, "frank", turn("two", "age", 61))
    seen = run(first.retrieve("frank"))
    assert seen.get_slot("age") == 61
    take_turn(first, "frank", turn("three", "age", 62))
    assert dialogue(run(second.retrieve("frank"))) == dialogue(run(plain(url).retrieve("frank")))
    assert len(rows(url, "frank")) == 9


def test_a_new_session_reads_only_that_session(url: str) -> None:
    store = cached(url)
    take_turn(store, "gina", turn("old session", "age", 60))
    new_session = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    take_turn(store, "gina", new_session)
    take_turn(store, "gina", turn("new session"))
    assert dialogue(run(store.retrieve("gina"))) == dialogue(run(plain(url).retrieve("gina")))
    events = run(store.retrieve("gina")).events
    assert events[0].type_name == "session_started"
    assert [e.text for e in events if isinstance(e, UserUttered)] == ["new session"]


def test_capacity_bounds_memory_and_zero_turns_the_cache_off(url: str) -> None:
    small = cached(url, capacity=2)
    trackers = {sender: take_turn(small, sender, turn(sender)) for sender in ("h1", "h2", "h3")}
    assert run(small.retrieve("h3")) is trackers["h3"]
    assert run(small.retrieve("h1")) is not trackers["h1"]  # the oldest was dropped, then read again
    assert dialogue(run(small.retrieve("h1"))) == dialogue(trackers["h1"])
    off = cached(url, capacity=0)
    saved = take_turn(off, "h4", turn("no cache"))
    assert run(off.retrieve("h4")) is not saved


def test_a_new_domain_empties_the_cache(url: str) -> None:
    store = cached(url)
    saved = take_turn(store, "ivan", turn("hi"))
    store.domain = DOMAIN
    assert run(store.retrieve("ivan")) is not saved


def test_trackers_it_makes_fold_applied_events_as_rasas_do(url: str) -> None:
    store = cached(url)
    created = run(store.get_or_create_tracker("erin"))
    assert isinstance(created, IncrementalTracker)
    for number in range(4):
        events = [*turn(f"answer {number}", "age", 60 + number)]
        events.insert(-1, ActionExecuted("screening_form"))  # a form step: its earlier ones fold away
        if number == 0:
            events.insert(-1, ActiveLoop("screening_form"))
        take_turn(store, "erin", events)
        ours = run(store.retrieve("erin"))
        reread = run(cached(url).retrieve("erin"))  # another instance: no cache, built from the rows
        assert isinstance(ours, IncrementalTracker) and isinstance(reread, IncrementalTracker)
        expected = [e.as_dict() for e in run(plain(url).retrieve("erin")).applied_events()]
        assert [e.as_dict() for e in ours.applied_events()] == expected
        assert [e.as_dict() for e in reread.applied_events()] == expected
    assert sum(1 for e in ours.applied_events() if getattr(e, "action_name", None) == "screening_form") == 1


def test_a_sqlite_file_is_opened_once_in_wal_mode_not_once_per_read_and_save(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = cached(url)
    opened: list[object] = []
    sa.event.listen(store.engine, "connect", lambda connection, _: opened.append(connection))
    for number in range(3):
        take_turn(store, "frank", turn(f"answer {number}", "age", 60 + number))
        run(store.retrieve("frank"))
    assert len(opened) == 1
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: a saved turn is on disk
    assert dialogue(run(store.retrieve("frank"))) == dialogue(run(plain(url).retrieve("frank")))
