"""The transcript a coordinator reads: the words as the participant saw them, from the tracker store."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

from bot.console.transcript import transcript
from bot.store.db import make_engine
from bot.web.translations import load
from tests.console.harness import EVENTS_DDL

STRINGS = load("en")


def store(url: str, sender: str, events: list[dict[str, object]]) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(EVENTS_DDL))
        for n, event in enumerate(events):
            connection.execute(
                text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, :k, :t, :d)"),
                {"s": sender, "k": event["event"], "t": 1_764_000_000.0 + n, "d": json.dumps(event)},
            )
    engine.dispose()


def test_pressed_buttons_show_their_titles_and_other_events_are_left_out(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    yes_no = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
    store(url, "c1", [
        {"event": "user", "text": "/start_screening"},
        {"event": "bot", "text": "Do you have type 2 diabetes?", "data": {"buttons": yes_no}},
        {"event": "slot", "name": "requested_slot", "value": "type2_diabetes"},
        {"event": "user", "text": "/deny"},
        {"event": "user", "text": STRINGS["correction_prefix"] + "Yes"},
        {"event": "user", "text": "no I don't"},  # typed words are shown as typed
    ])
    store(url, "other", [{"event": "user", "text": "not this conversation"}])
    engine = make_engine(url)
    lines = [(line.speaker, line.text) for line in transcript(engine, "c1")]
    engine.dispose()
    assert lines == [
        ("user", STRINGS["payloads"]["/start_screening"]),
        ("bot", "Do you have type 2 diabetes?"),
        ("user", "No"),
        ("user", f"{STRINGS['changed_answer']} Yes"),
        ("user", "no I don't"),
    ]
