"""A Rasa tracker that folds only the newly appended events into its applied events.

``DialogueStateTracker.applied_events`` replays the whole event list on every call, and Rasa calls
it several times a turn (session expiry, slot history, every policy prediction). A form's every
step also copies the applied list while folding, so a screening's last turns paid several
milliseconds for lists that had grown by a handful of events. This tracker keeps the fold between
calls and continues it from the first event it has not seen; the result is the same list Rasa
builds (``tests/tracker_store/test_incremental_tracker.py`` checks that after every event of forms,
digressions, reverts, restarts and random event sequences).

The fold restarts from scratch whenever continuing it could differ from Rasa's replay: the event
list is not the one it was built on, it got shorter, its last seen event was replaced, or a new
loop name appears (Rasa decides how a loop's earlier executions fold from all of the loop names).
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable

from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker


class _Fold:
    """Rasa's applied-events fold, paused after ``count`` events of ``events``."""

    def __init__(self, events: deque[Event]) -> None:
        self.events = events
        self.count = 0
        self.last: Event | None = None
        self.loop_names = _loop_names(events)
        self.applied: list[Event] = []

    def fits(self, events: deque[Event]) -> bool:
        """True if ``events`` is the list this fold read, possibly with events appended since."""
        if events is not self.events or len(events) < self.count:
            return False
        return self.count == 0 or events[self.count - 1] is self.last


def _loop_names(events: Iterable[Event]) -> set[str]:
    return {event.name for event in events if isinstance(event, ActiveLoop) and event.name}


class IncrementalTracker(DialogueStateTracker):
    """``DialogueStateTracker`` with ``applied_events`` continued from the last call, not replayed."""

    _fold: _Fold | None = None

    def applied_events(self) -> list[Event]:
        events = self.events
        fold = self._fold
        new = list(itertools.islice(events, fold.count, None)) if fold and fold.fits(events) else None
        if fold is None or new is None or not _loop_names(new) <= fold.loop_names:
            fold, new = _Fold(events), list(events)
        for event in new:
            self._apply(event, fold)
        fold.count = len(events)
        fold.last = events[-1] if events else None
        self._fold = fold
        return list(fold.applied)

    def _apply(self, event: Event, fold: _Fold) -> None:
        """One step of ``DialogueStateTracker.applied_events`` (Rasa 3.6), on Rasa's own helpers."""
        applied = fold.applied
        if isinstance(event, (Restarted, SessionStarted)):
            applied.clear()
        elif isinstance(event, ActionReverted):
            self._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            self._undo_till_previous(UserUttered, applied)
            self._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in fold.loop_names
            and not self._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            self._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)
