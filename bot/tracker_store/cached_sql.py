"""Rasa's SQL tracker store, with each conversation's rebuilt tracker kept in memory between turns.

Rasa 3.6 rebuilds the tracker from the database on every message: it reads every event of the
session and replays them one by one. A screening has 200+ events by its end, so that replay was the
largest single cost of a turn (about 12 ms of a 35-55 ms turn, growing with every answer).

The database stays the only source of truth: a cached tracker is used only while the conversation's
rows are exactly the ones it was built from (same count, same highest id), and while nothing has
changed the tracker since it was stored (a turn that failed before saving leaves extra events on the
object; that entry is then thrown away). Anything else (forget-me deleting rows, another Rasa
instance answering, a new session) falls back to Rasa's own read. Only Rasa's lock store lets two
turns of one conversation run at once, never this cache: the cached object is handed to the one turn
that holds the conversation's lock.

The trackers it builds are ``IncrementalTracker``s, so a cached tracker also keeps its applied events
between turns.
"""

from __future__ import annotations

import json
import logging
import os
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store.incremental_tracker import IncrementalTracker

logger = logging.getLogger(__name__)

#: How many conversations to keep; the least recently used are dropped first.
DEFAULT_CAPACITY = 1000


@dataclass(frozen=True)
class _Entry:
    tracker: DialogueStateTracker
    #: (number of rows, highest row id) of this conversation when the tracker matched the database.
    rows: tuple[int, int]
    #: len(tracker.events) at that moment: more means the object changed without being saved.
    stored_events: int


class CachedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` that skips the rebuild when the database has not changed since the last turn.

    Set in endpoints.yml as ``type: bot.tracker_store.CachedSQLTrackerStore`` with ``url:`` as for ``SQL``.
    ``TRACKER_CACHE_SIZE`` sets the number of conversations kept (0 turns the cache off).
    """

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        capacity: int | None = None,
        **kwargs: Any,
    ) -> None:
        self._cache: OrderedDict[str, _Entry] = OrderedDict()
        super().__init__(domain=domain, host=host, event_broker=event_broker, **kwargs)
        self.capacity = int(os.environ.get("TRACKER_CACHE_SIZE", DEFAULT_CAPACITY)) if capacity is None else capacity
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
            self._keep_sqlite_connections()

    def _keep_sqlite_connections(self) -> None:
        """A pool that keeps its connections, in WAL mode, instead of SQLAlchemy 1.4's one file open per session.

        With 1.4's default for a SQLite file (no pool), every read and every save opened the file, and
        closing the last connection checkpointed the WAL into the database: two opens, two closes
        and extra disk writes a turn. WAL mode lets the web chat and the console read while Rasa
        writes; ``synchronous`` stays FULL, so a saved turn survives a power cut.
        """
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(  # not future=True: Rasa's own queries run on this engine, as on its own
            url,
            poolclass=sa.pool.QueuePool,
            pool_size=2,
            max_overflow=8,
            # A pooled connection is used by one thread at a time (the pool sees to that), not always the same one.
            connect_args={"check_same_thread": False},
        )
        sa.event.listen(self.engine, "connect", _sqlite_wal)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    @property
    def domain(self) -> Domain:
        return self._domain

    @domain.setter
    def domain(self, domain: Domain | None) -> None:
        # A new model may bring other slots: trackers built with the old ones must be rebuilt.
        self._domain = domain or Domain.empty()
        self._cache.clear()

    def init_tracker(self, sender_id: str) -> DialogueStateTracker:
        return IncrementalTracker(sender_id, self.domain.slots, max_event_history=self.max_event_history)

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        """Rasa's read, building an ``IncrementalTracker`` (whose fold then lives as long as the cache entry)."""
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions).all()
            events = [json.loads(row.data) for row in rows]
        if not events:
            return None
        return IncrementalTracker.from_dict(sender_id, events, self.domain.slots)

    def _rows(self, session: Any, sender_id: str) -> tuple[int, int]:
        count, highest = session.execute(
            sa.select(sa.func.count(self.SQLEvent.id), sa.func.max(self.SQLEvent.id)).where(
                self.SQLEvent.sender_id == sender_id
            )
        ).one()
        return int(count), int(highest or 0)

    def _remember(self, sender_id: str, entry: _Entry) -> None:
        if self.capacity <= 0:
            return
        self._cache[sender_id] = entry
        self._cache.move_to_end(sender_id)
        while len(self._cache) > self.capacity:
            self._cache.popitem(last=False)

    def _usable(self, entry: _Entry | None, rows: tuple[int, int]) -> bool:
        return entry is not None and entry.rows == rows and len(entry.tracker.events) == entry.stored_events

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            rows = self._rows(session, sender_id)
        entry = self._cache.get(sender_id)
        if self._usable(entry, rows):
            self._cache.move_to_end(sender_id)
            return entry.tracker  # type: ignore[union-attr]
        self._cache.pop(sender_id, None)
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            with self.session_scope() as session:
                if self._rows(session, sender_id) == rows:  # nothing was written while we read
                    self._remember(sender_id, _Entry(tracker, rows, len(tracker.events)))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        entry = self._cache.pop(sender_id, None)
        await self.stream_events(tracker)
        with self.session_scope() as session:
            if entry is not None and entry.tracker is tracker:
                # Checked against the database when this turn read it; should another writer have added
                # rows since, the count below will not match them and the next turn reads afresh.
                rows, start = entry.rows, entry.stored_events
            else:
                rows = self._rows(session, sender_id)
                start = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).count()
            new_rows = [self._row(sender_id, event) for event in list(tracker.events)[start:]]
            session.add_all(new_rows)
            session.flush()
            ids = [row.id for row in new_rows]  # read before commit, which expires the rows
            session.commit()
            count, highest = rows[0] + len(ids), max([rows[1], *ids])
        events_since = list(tracker.events)[start:]
        if not any(isinstance(event, SessionStarted) for event in events_since):
            # A new session changes which rows a fresh read would return: let the next turn read them.
            self._remember(sender_id, _Entry(tracker, (count, highest), len(tracker.events)))

    def _row(self, sender_id: str, event: Any) -> Any:
        """One ``events`` row, exactly as ``SQLTrackerStore.save`` writes it."""
        data = event.as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get("name"),
            action_name=data.get("name"),
            data=json.dumps(data),
        )


def _sqlite_wal(dbapi_connection: Any, _: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
    finally:
        cursor.close()
