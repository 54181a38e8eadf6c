"""Bot messages as WeChat text (numbered options, merged, within the limits) and numbers back to payloads."""

from __future__ import annotations

import yaml

from bot.channels.wechat.options import chosen_payload, is_option_number, last_buttons
from bot.channels.wechat.render import MAX_TEXT_BYTES, pack, render
from bot.channels.wechat.texts import TEXTS_DIR, channel_texts

TEXTS = channel_texts("en")
YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"},
          {"title": "I don't know", "payload": "/dont_know"}]


def test_buttons_become_one_numbered_line() -> None:
    texts = render([{"text": "Do you have type 2 diabetes?", "buttons": YES_NO}], TEXTS)
    assert texts == ["Do you have type 2 diabetes?\nReply 1 for Yes, 2 for No, 3 for I don't know."]


def test_numbers_continue_across_the_messages_of_a_turn_and_map_back_in_the_same_order() -> None:
    menu = [{"title": "Learn", "payload": "/learn_more"}, {"title": "Talk", "payload": "/human_handoff"}]
    messages = [{"text": "Thanks."}, {"text": "Question?", "buttons": YES_NO}, {"text": "Or:", "buttons": menu}]
    rendered = render(messages, TEXTS)
    assert rendered[2] == "Or:\nReply 4 for Learn, 5 for Talk."
    events = [{"event": "user", "text": "hi"}, {"event": "action"}] + [
        {"event": "bot", "text": m["text"], "data": {"buttons": m.get("buttons")}} for m in messages]
    buttons = last_buttons(events)
    assert [chosen_payload(str(n), buttons) for n in (1, 3, 4, 5)] == ["/affirm", "/dont_know", "/learn_more",
                                                                       "/human_handoff"]


def test_only_the_bot_messages_after_the_last_user_message_count() -> None:
    events = [{"event": "bot", "data": {"buttons": YES_NO}}, {"event": "user", "text": "2"},
              {"event": "bot", "data": {"buttons": [{"title": "Man", "payload": "man"}]}}]
    assert chosen_payload("1", last_buttons(events)) == "man"
    assert chosen_payload("2", last_buttons(events)) is None  # no option 2 now: "2" is passed on as typed
    assert last_buttons([{"event": "bot", "data": {}}, {"event": "user"}]) == []


def test_what_counts_as_an_option_number() -> None:
    assert chosen_payload(" 2 ", YES_NO) == "/deny"
    assert chosen_payload("２", YES_NO) == "/deny"  # full-width digit, as typed on a Chinese keyboard
    assert chosen_payload("3.", YES_NO) == "/dont_know"
    assert chosen_payload("0", YES_NO) is None
    assert chosen_payload("62", YES_NO) is None
    assert chosen_payload("1 year", YES_NO) is None
    assert chosen_payload("", YES_NO) is None
    assert is_option_number("12") and not is_option_number("123") and not is_option_number("yes")


def test_messages_merge_into_as_few_texts_as_fit() -> None:
    assert pack(["a", "b", "c"]) == ["a\n\nb\n\nc"]
    long = "x" * 1500
    assert pack([long, long]) == [long, long]
    assert pack([]) == []


def test_an_overlong_text_is_split_within_the_byte_limit_even_in_chinese() -> None:
    chinese = "研究" * 1500  # 3 bytes per character: 9000 bytes
    texts = pack([chinese])
    assert all(len(t.encode()) <= MAX_TEXT_BYTES for t in texts)
    assert "".join(texts) == chinese
    assert len(texts) == 5


def test_never_more_than_five_service_messages() -> None:
    texts = pack(["y" * 2000] * 8)
    assert len(texts) == 5 and texts[-1].endswith("…")
    assert all(len(t.encode()) <= MAX_TEXT_BYTES for t in texts)


def test_every_language_file_has_every_key() -> None:
    english = set(yaml.safe_load((TEXTS_DIR / "en.yml").read_text(encoding="utf-8")))
    for path in TEXTS_DIR.glob("*.yml"):
        assert set(yaml.safe_load(path.read_text(encoding="utf-8"))) == english, path.name
    assert channel_texts("xx") == TEXTS  # an unknown language falls back to English
