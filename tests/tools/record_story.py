"""Record conversations with a running assistant as Rasa test stories (tests/test_stories.yml format).

Each conversation is sent, message by message, to the REST channel of a live server (started
with --enable-api), under a fresh sender id; the tracker is then read back and written as a test
story: the user's words with the intent the NLU gave them, every action, every form (de)activation,
and only the slots the dialogue policies look at (``requested_slot`` and the featurized slots).

The transcript (what the assistant said) goes to stderr, so the behaviour can be checked before a
story is kept. Review every recording: it captures what the assistant did, right or wrong.

Usage:
    # conversations from a file: "## <story name>" lines, each followed by one user message a line
    # (blank lines are ignored; "# " lines are comments, copied when right above a story)
    python tests/tools/record_story.py conversations.txt > recorded.yml
    # one conversation from the command line
    python tests/tools/record_story.py --story "Greet and say goodbye" --say hello --say bye

Options: --url (default http://127.0.0.1:5405), --only (record only the stories whose name contains
a text), --slots (comma-separated; default requested_slot plus every domain slot with
influence_conversation: true), --domain (default domain.yml).
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

HEADER = """\
# Recorded from a running assistant by tests/tools/record_story.py; check every story's transcript
# before keeping it. Run: rasa test core --stories tests/test_stories.yml --fail-on-prediction-errors
"""
#: Actions a test story never names: Rasa adds them itself.
SKIPPED_ACTIONS = {"action_listen", "action_session_start"}


def featurized_slots(domain_file: Path) -> list[str]:
    """``requested_slot`` and the slots that influence the conversation (what the policies see)."""
    domain = yaml.safe_load(domain_file.read_text(encoding="utf-8"))
    slots = domain.get("slots") or {}
    names = [name for name, spec in slots.items() if (spec or {}).get("influence_conversation", True)]
    return ["requested_slot", *names]


def _request(url: str, payload: dict[str, Any] | None = None) -> Any:
    data = json.dumps(payload).encode("utf-8") if payload is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read().decode("utf-8"))


def converse(base_url: str, sender: str, messages: list[str]) -> list[tuple[str, list[str]]]:
    """Send the messages in order; return each with the texts the assistant answered."""
    transcript = []
    for message in messages:
        replies = _request(f"{base_url}/webhooks/rest/webhook", {"sender": sender, "message": message})
        transcript.append((message, [r.get("text") or json.dumps(r) for r in replies]))
    return transcript


def tracker_events(base_url: str, sender: str) -> list[dict[str, Any]]:
    return _request(f"{base_url}/conversations/{sender}/tracker")["events"]


def _intent(event: dict[str, Any]) -> str:
    """The intent as a test story names it; a retrieval intent with its response key (faq/costs)."""
    parse = event.get("parse_data") or {}
    name = (parse.get("intent") or {}).get("name") or ""
    selectors = parse.get("response_selector") or {}
    selector = selectors.get(name) or selectors.get("default") or {}
    full = ((selector.get("response") or {}).get("intent_response_key")) or ""
    return full if full.startswith(name + "/") else name


def story_steps(events: list[dict[str, Any]], slots: list[str]) -> list[dict[str, Any]]:
    """Tracker events -> test-story steps (after the latest session start)."""
    starts = [i for i, e in enumerate(events) if e.get("event") == "session_started"]
    events = events[starts[-1] + 1 :] if starts else events
    steps: list[dict[str, Any]] = []
    values: dict[str, Any] = {}  # slot values as the story has set them so far
    for event in events:
        kind = event.get("event")
        if kind == "user":
            steps.append({"user": event.get("text") or "", "intent": _intent(event)})
        elif kind == "action" and event.get("name") not in SKIPPED_ACTIONS:
            steps.append({"action": event["name"]})
        elif kind == "active_loop":
            steps.append({"active_loop": event.get("name")})
        elif kind == "slot" and event.get("name") in slots:
            name, value = event["name"], event.get("value")
            if values.get(name) != value:
                steps.append({"slot_was_set": [{name: value}]})
                values[name] = value
        elif kind == "reset_slots":
            # A test story cannot say "reset all slots": write the tracked ones that change.
            for name in [n for n, v in values.items() if v is not None]:
                steps.append({"slot_was_set": [{name: None}]})
                values[name] = None
        elif kind == "restart":
            raise ValueError("a conversation restart cannot be written as a test story")
    return steps


def _scalar(value: Any) -> str:
    return _quote(value) if isinstance(value, str) else "null" if value is None else json.dumps(value)


def _quote(text: str) -> str:
    """Plain when YAML reads it back unchanged, else double-quoted (JSON strings are valid YAML)."""
    try:
        plain = yaml.safe_load(text) == text and ": " not in text and " #" not in text
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


def render(name: str, steps: list[dict[str, Any]]) -> str:
    """One story in the layout of tests/test_stories.yml."""
    lines = [f"- story: {_quote(name)}", "  steps:"]
    for step in steps:
        if "user" in step:
            lines += ["  - user: |", *(f"      {line}" for line in step["user"].splitlines() or [""])]
            lines.append(f"    intent: {step['intent']}")
        elif "action" in step:
            lines.append(f"  - action: {step['action']}")
        elif "active_loop" in step:
            lines.append(f"  - active_loop: {_scalar(step['active_loop'])}")
        else:
            ((slot, value),) = step["slot_was_set"][0].items()
            lines += ["  - slot_was_set:", f"    - {slot}: {_scalar(value)}"]
    return "\n".join(lines) + "\n"


def record(base_url: str, name: str, messages: list[str], slots: list[str], comments: Sequence[str] = ()) -> str:
    sender = f"record-{uuid.uuid4().hex[:12]}"
    transcript = converse(base_url, sender, messages)
    print(f"### {name}  (sender {sender})", file=sys.stderr)
    for said, replies in transcript:
        print(f"  > {said}", file=sys.stderr)
        for reply in replies:
            print(f"    < {reply}", file=sys.stderr)
    story = render(name, story_steps(tracker_events(base_url, sender), slots))
    return "".join(f"{comment}\n" for comment in comments) + story


def read_conversations(text: str) -> list[dict[str, Any]]:
    """``## name`` starts a conversation; every other non-blank line is one message.

    Lines starting with ``# `` are comments; those right above a story are copied above it.
    """
    conversations: list[dict[str, Any]] = []
    comments: list[str] = []
    for line in text.splitlines():
        if line.startswith("## "):
            conversations.append({"story": line[3:].strip(), "messages": [], "comments": comments})
            comments = []
        elif line.startswith("# ") or line.strip() == "#":
            comments.append(line.rstrip())
        elif not line.strip():
            comments = []  # only comments right above a story are kept
        else:
            if not conversations:
                raise ValueError(f"message before the first '## story name' line: {line!r}")
            conversations[-1]["messages"].append(line.strip())
    return conversations


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("conversations", nargs="?", help='file of "## story name" lines, each followed by messages')
    parser.add_argument("--story", help="name of a single story given with --say")
    parser.add_argument("--say", action="append", default=[], help="one user message (repeat, in order)")
    parser.add_argument("--url", default="http://127.0.0.1:5405")
    parser.add_argument("--domain", default="domain.yml", type=Path)
    parser.add_argument("--only", help="record only the stories whose name contains this text")
    parser.add_argument("--slots", help="comma-separated slots to write (default: the featurized ones)")
    args = parser.parse_args(argv)

    slots = args.slots.split(",") if args.slots else featurized_slots(args.domain)
    if args.conversations:
        conversations = read_conversations(Path(args.conversations).read_text(encoding="utf-8"))
    elif args.story and args.say:
        conversations = [{"story": args.story, "messages": args.say, "comments": []}]
    else:
        parser.error("give a conversations file, or --story with --say")
    conversations = [c for c in conversations if not args.only or args.only.lower() in c["story"].lower()]
    url = args.url.rstrip("/")
    stories = [record(url, c["story"], c["messages"], slots, c.get("comments", [])) for c in conversations]
    print(HEADER + 'version: "3.1"\nstories:\n' + "\n".join(stories), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
