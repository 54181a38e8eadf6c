"""Talk to an assistant over its REST channel: timed turns, and a screening driven by a profile.

The open question is read from the reply: every question's prompt (``ask_<slot>`` in domain.yml)
is a distinct text, and so is each outcome. With ``verify`` the driver also reads
``GET /conversations/<id>/tracker`` after every turn (untimed) and records where the tracker's
``requested_slot`` disagrees with what the reply asked.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import yaml

from bench.profiles import Profile
from bench.servers import ROOT
from bot.screening.questions import load_questions, question

#: A screening is abandoned after this many turns, or this many re-asks of one question.
MAX_TURNS = 80
MAX_REASKS = 3
TURN_TIMEOUT_S = 60.0
OUTCOMES = {
    "early_stop": "ineligible",
    "outcome_eligible": "eligible",
    "outcome_needs_review": "needs_review",
    "outcome_ineligible": "ineligible",
    "outcome_ineligible_until": "ineligible",
    "outcome_not_yet": "ineligible",
}


@functools.cache
def _responses() -> dict[str, str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return {name: variations[0]["text"] for name, variations in domain["responses"].items() if "text" in variations[0]}


@functools.cache
def prompts() -> dict[str, str]:
    """Prompt text -> the slot it asks for (the screening questions and the consent notice)."""
    texts = _responses()
    out = {texts[f"ask_{q.name}"]: q.name for q in load_questions()}
    out[texts["ask_data_consent_screening"]] = "data_consent"
    return out


@functools.cache
def confirmations() -> dict[str, str]:
    """The opening words of each confirming question (``confirm_<reason>``, before its first variable)."""
    texts = _responses()
    return {
        name: text.split("{")[0]
        for name, text in texts.items()
        if name.startswith("confirm_") and name != "confirm_declined" and text.split("{")[0].strip()
    }


def confirmation(messages: list[dict[str, Any]]) -> str | None:
    """The confirming question the reply ends on ("Did you mean minus 2.5?"), if any."""
    found = [
        name
        for m in messages
        for name, opening in confirmations().items()
        if str(m.get("text") or "").startswith(opening)
    ]
    return found[-1] if found else None


def open_question(messages: list[dict[str, Any]]) -> str | None:
    """The question the reply ends on, if any."""
    asked = [prompts()[m["text"]] for m in messages if m.get("text") in prompts()]
    return asked[-1] if asked else None


def outcome(messages: list[dict[str, Any]]) -> str | None:
    """The status an outcome message in the reply reports, if there is one."""
    texts = _responses()
    for m in messages:
        for name, status in OUTCOMES.items():
            if str(m.get("text", "")).startswith(texts[name].split("{")[0]):
                return status
    return None


def is_apology(messages: list[dict[str, Any]]) -> bool:
    return any(m.get("text") == _responses()["technical_problem"] for m in messages)


class TurnError(RuntimeError):
    """A turn failed: an HTTP error, a timeout, or an apology for a failed turn."""


async def turn(session: aiohttp.ClientSession, base: str, sender: str, text: str) -> tuple[float, list[dict[str, Any]]]:
    """Send one message over REST; returns (seconds, reply messages)."""
    start = time.perf_counter()
    try:
        async with session.post(f"{base}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as resp:
            body = await resp.json(content_type=None)
            status = resp.status
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise TurnError(f"{type(exc).__name__}: {exc}") from exc
    elapsed = time.perf_counter() - start
    if status != 200 or not isinstance(body, list):
        raise TurnError(f"HTTP {status}: {str(body)[:200]}")
    return elapsed, body


async def tracker_slots(session: aiohttp.ClientSession, base: str, sender: str) -> tuple[dict[str, Any], str | None]:
    """The conversation's slots and active loop, from Rasa's HTTP API (not timed)."""
    url = f"{base}/conversations/{sender}/tracker?include_events=NONE"
    try:
        async with session.get(url) as resp:
            body = await resp.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise TurnError(f"tracker: {type(exc).__name__}: {exc}") from exc
    if not isinstance(body, dict):
        raise TurnError(f"tracker: unexpected body {str(body)[:200]}")
    return body.get("slots") or {}, (body.get("active_loop") or {}).get("name")


@dataclass
class Screening:
    profile: str
    sender: str
    latencies: list[float] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    reasks: int = 0
    #: Confirming questions the bot asked before taking an answer ("Did you mean minus 2.5?").
    confirmations: int = 0
    status: str | None = None
    error: str | None = None
    #: Turns where the tracker's requested_slot was not the question the reply asked.
    mismatches: list[str] = field(default_factory=list)
    tracker_status: str | None = None

    @property
    def completed(self) -> bool:
        return self.status is not None and self.error is None


async def screening(
    session: aiohttp.ClientSession,
    base: str,
    sender: str,
    profile: Profile,
    *,
    verify: bool = False,
    stop: Callable[[], bool] = lambda: False,
) -> Screening:
    """Run one screening: "/start_screening", consent "yes", then answer each question from ``profile``."""
    result = Screening(profile.name, sender)
    text = "/start_screening"
    for _ in range(MAX_TURNS):
        if stop():
            break
        try:
            seconds, messages = await turn(session, base, sender, text)
        except TurnError as exc:
            result.error = str(exc)
            break
        result.latencies.append(seconds)
        if is_apology(messages):
            result.error = "the assistant apologised for a failed turn"
            break
        confirming = confirmation(messages)
        if confirming is not None:  # the person confirms what they meant
            result.confirmations += 1
            text = "ng/mL" if confirming == "confirm_unit" else "yes"
            continue
        asked = open_question(messages)
        if verify:
            try:
                slots, loop = await tracker_slots(session, base, sender)
            except TurnError as exc:
                result.error = str(exc)
                break
            requested = slots.get("requested_slot") if loop else None
            if requested != asked:
                result.mismatches.append(f"reply asked {asked}, tracker requested_slot {requested}")
            result.tracker_status = slots.get("screening_status")
        if asked is None:
            result.status = outcome(messages)
            if result.status is None:
                result.error = f"no question and no outcome in the reply to {text!r}: {messages!r:.300}"
            break
        if asked == "data_consent":
            text = "yes"
            continue
        if result.asked and result.asked[-1] == asked:
            result.reasks += 1
            if result.reasks > MAX_REASKS:
                result.error = f"{asked} re-asked more than {MAX_REASKS} times"
                break
        else:
            result.asked.append(asked)
        text = profile.text(question(asked))
    else:
        result.error = f"not finished after {MAX_TURNS} turns"
    return result
