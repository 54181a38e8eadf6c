"""``IncrementalTracker.applied_events`` equals Rasa's replay after every event, however the events come.

Rasa's own ``DialogueStateTracker`` is the oracle: the same events go to both trackers one by one,
and after each the applied events must be the same objects in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.slots import AnySlot
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store.incremental_tracker import IncrementalTracker

LISTEN = "action_listen"
FORMS = ("screening_form", "handoff_form")


def _slots() -> list[AnySlot]:
    return [AnySlot(name, mappings=[]) for name in ("requested_slot", *(f"q{i}" for i in range(30)))]


def _tracker(events: list[Event]) -> IncrementalTracker:
    return IncrementalTracker.from_events("x", events, _slots())  # type: ignore[return-value]


def _replayed(tracker: DialogueStateTracker) -> list[Event]:
    """Rasa's own answer for the same events."""
    return DialogueStateTracker.from_events("x", list(tracker.events), _slots()).applied_events()


def _form_turns(form: str, answers: int) -> list[Event]:
    """A form asked ``answers`` questions on its happy path, as Rasa logs it."""
    events: list[Event] = [
        UserUttered("/start", {"name": "start_screening"}),
        ActionExecuted(form),
        ActiveLoop(form),
        SlotSet("requested_slot", "q0"),
        ActionExecuted(LISTEN),
    ]
    for i in range(answers):
        events += [
            UserUttered(f"answer {i}", {"name": "inform"}),
            SlotSet(f"q{i}", "yes"),
            ActionExecuted(form),
            SlotSet("requested_slot", f"q{i + 1}"),
            ActionExecuted(LISTEN),
        ]
    return events


def _same_after_each_event(events: Sequence[Event]) -> None:
    ours = IncrementalTracker("someone", _slots())
    rasa = DialogueStateTracker("someone", _slots())
    for number, event in enumerate(events, start=1):
        ours.update(event)
        rasa.update(event)
        expected = rasa.applied_events()
        got = ours.applied_events()
        assert [id(e) for e in got] == [id(e) for e in expected], f"differs after event {number}: {event}"


def test_a_long_form_folds_like_rasa_and_drops_the_listens_between_form_steps() -> None:
    events = [SessionStarted(), ActionExecuted(LISTEN), *_form_turns("screening_form", 25)]
    _same_after_each_event(events)
    applied = _tracker(events).applied_events()
    # The form's happy path keeps one form execution: each later one undoes back to it.
    assert sum(1 for e in applied if isinstance(e, ActionExecuted) and e.action_name == "screening_form") == 1


def test_an_unhappy_path_digression_and_a_rejection_fold_like_rasa() -> None:
    events = [
        ActionExecuted(LISTEN),
        *_form_turns("screening_form", 3),
        UserUttered("why do you ask?", {"name": "why"}),
        ActionExecutionRejected("screening_form"),
        ActionExecuted("utter_why"),
        ActionExecuted("screening_form"),
        SlotSet("requested_slot", "q3"),
        ActionExecuted(LISTEN),
        UserUttered("stop", {"name": "stop"}),
        ActionExecuted("action_pause_screening"),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        ActionExecuted(LISTEN),
        UserUttered("undo", {"name": "x"}),
        UserUtteranceReverted(),
        ActionExecuted("utter_a"),
        ActionReverted(),
        ActionExecuted(LISTEN),
    ]
    _same_after_each_event(events)


def test_a_loop_named_for_the_first_time_late_refolds_its_earlier_executions() -> None:
    # handoff_form ran as a plain action before any ActiveLoop named it: Rasa folds those earlier
    # executions differently once the name is known, so the fold must start over, not continue.
    events = [
        ActionExecuted(LISTEN),
        UserUttered("a", {"name": "a"}),
        ActionExecuted("handoff_form"),
        ActionExecuted(LISTEN),
        UserUttered("b", {"name": "b"}),
        ActionExecuted("handoff_form"),
        ActionExecuted(LISTEN),
        ActiveLoop("handoff_form"),
        ActionExecuted("handoff_form"),
    ]
    ours = IncrementalTracker("x", _slots())
    rasa = DialogueStateTracker("x", _slots())
    for event in events[:-2]:
        ours.update(event)
        rasa.update(event)
    before = ours.applied_events()
    assert sum(1 for e in before if getattr(e, "action_name", None) == "handoff_form") == 2
    for event in events[-2:]:
        ours.update(event)
        rasa.update(event)
    assert ours.applied_events() == rasa.applied_events()
    assert ours.applied_events() != before + events[-2:]


def test_restart_and_new_session_clear_the_fold() -> None:
    events = [ActionExecuted(LISTEN), *_form_turns("screening_form", 2), Restarted(), ActionExecuted(LISTEN)]
    events += [SessionStarted(), ActionExecuted(LISTEN), *_form_turns("screening_form", 2)]
    _same_after_each_event(events)


def test_a_replaced_or_shortened_event_list_is_folded_afresh() -> None:
    tracker = _tracker([ActionExecuted(LISTEN), *_form_turns("screening_form", 3)])
    assert len(tracker.applied_events()) > 0
    tracker.events.pop()  # shorter than the fold read
    assert tracker.applied_events() == _replayed(tracker)
    last = tracker.events.pop()
    tracker.events.append(ActionExecuted("utter_other"))  # same length, other last event
    assert last not in tracker.applied_events()
    assert tracker.applied_events() == _replayed(tracker)
    listen = ActionExecuted(LISTEN)
    tracker.events = type(tracker.events)([listen])  # another list altogether
    assert tracker.applied_events() == [listen]


def test_callers_get_their_own_list() -> None:
    tracker = _tracker([ActionExecuted(LISTEN), UserUttered("hi", {"name": "greet"})])
    first = tracker.applied_events()
    first.clear()
    assert len(tracker.applied_events()) == 2


_ACTION = st.sampled_from([LISTEN, *FORMS, "utter_x", "action_y"]).map(ActionExecuted)
_USER = st.integers(0, 2).map(lambda i: UserUttered(f"text {i}", {"name": f"intent_{i}"}))
_RARE = st.one_of(
    st.sampled_from([*FORMS, None]).map(ActiveLoop),
    st.sampled_from(FORMS).map(ActionExecutionRejected),
    st.integers(0, 3).map(lambda i: SlotSet("requested_slot", f"q{i}")),
    st.sampled_from([ActionReverted, UserUtteranceReverted, Restarted, SessionStarted]).map(lambda kind: kind()),
)
#: Mostly actions and messages, as in a conversation, with loops, rejections and reverts among them.
EVENTS = st.one_of(_ACTION, _ACTION, _ACTION, _USER, _USER, _RARE)


@settings(max_examples=300, deadline=None)
@given(st.lists(EVENTS, max_size=80))
def test_any_event_sequence_folds_like_rasa(events: list[Event]) -> None:
    _same_after_each_event(events)
