"""Talk to an assistant over its REST channel: timed turns, and a screening driven by a profile.

The open question is read from the reply: every question's prompt (``ask_<slot>`` in domain.yml)
is a distinct text, and so is each outcome. With ``verify`` the driver also reads
``GET /conversations/<id>/tracker`` after every turn (untimed) and records where the tracker's
``requested_slot`` disagrees with what the reply asked.

Replies are recognised in every language the domain speaks: English is each response's
unconditioned variation, another language the variation conditioned on the ``language`` slot. A
screening in another language states it in the first message's metadata (as the web page does)
and counts a reply that is not written in it as an error.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from bench.profiles import Profile, confirm_reply, consent_reply
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


#: The languages whose replies are recognised ("en": the unconditioned variations).
LANGUAGES = ("en", "zh")
#: Every text of a reply in one of these languages has a character of its script (English is not checked).
SCRIPTS = {"zh": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")}


def _response_files() -> list[Path]:
    return [ROOT / "domain.yml", *sorted((ROOT / "data" / "responses").glob("*.yml"))]


def _language_of(variation: dict[str, Any]) -> str | None:
    """The language a variation is said in: "en" unconditioned, the slot's value when conditioned on ``language``
    alone (None: conditioned on something else, never chosen by language only)."""
    conditions = variation.get("condition") or []
    if not conditions:
        return "en"
    values = [c.get("value") for c in conditions if c.get("type") == "slot" and c.get("name") == "language"]
    return values[0] if len(values) == len(conditions) == 1 else None


@functools.cache
def responses(language: str = "en") -> dict[str, str]:
    """Response name -> its text in ``language`` (domain.yml first, then data/responses/*.yml)."""
    out: dict[str, str] = {}
    for path in _response_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variations in (data.get("responses") or {}).items():
            texts = [v["text"] for v in variations if "text" in v and _language_of(v) == language]
            if texts:
                out.setdefault(name, texts[0])
    return out


@functools.cache
def prompts(language: str | None = None) -> dict[str, str]:
    """Prompt text -> the slot it asks for (the screening questions and the consent notice), in ``language``
    or (None) in every language."""
    out: dict[str, str] = {}
    for lang in LANGUAGES if language is None else (language,):
        texts = responses(lang)
        out.update({texts[f"ask_{q.name}"]: q.name for q in load_questions()})
        out[texts["ask_data_consent_screening"]] = "data_consent"
    return out


@functools.cache
def confirmations() -> tuple[tuple[str, str], ...]:
    """(name, opening words) of each confirming question (``confirm_<reason>``, before its first variable),
    in every language."""
    return tuple(
        (name, text.split("{")[0])
        for language in LANGUAGES
        for name, text in responses(language).items()
        if name.startswith("confirm_") and name != "confirm_declined" and text.split("{")[0].strip()
    )


def confirmation(messages: list[dict[str, Any]]) -> str | None:
    """The confirming question the reply ends on ("Did you mean minus 2.5?"), if any."""
    found = [
        name for m in messages for name, opening in confirmations() if str(m.get("text") or "").startswith(opening)
    ]
    return found[-1] if found else None


def open_question(messages: list[dict[str, Any]]) -> str | None:
    """The question the reply ends on, if any."""
    asked = [prompts()[m["text"]] for m in messages if m.get("text") in prompts()]
    return asked[-1] if asked else None


def outcome(messages: list[dict[str, Any]]) -> str | None:
    """The status an outcome message in the reply reports, if there is one (in any language)."""
    for m in messages:
        for language in LANGUAGES:
            texts = responses(language)
            for name, status in OUTCOMES.items():
                if str(m.get("text", "")).startswith(texts[name].split("{")[0]):
                    return status
    return None


def is_apology(messages: list[dict[str, Any]]) -> bool:
    apologies = {responses(language)["technical_problem"] for language in LANGUAGES}
    return any(m.get("text") in apologies for m in messages)


def not_in_language(messages: list[dict[str, Any]], language: str) -> str | None:
    """The first reply text not written in ``language`` (None: all are, or the language is not checked)."""
    script = SCRIPTS.get(language)
    if script is None:
        return None
    texts = [str(m["text"]) for m in messages if m.get("text")]
    return next((t for t in texts if not script.search(t)), None)


class TurnError(RuntimeError):
    """A turn failed: an HTTP error, a timeout, or an apology for a failed turn."""


async def turn(
    session: aiohttp.ClientSession, base: str, sender: str, text: str, metadata: dict[str, Any] | None = None
) -> tuple[float, list[dict[str, Any]]]:
    """Send one message over REST (with ``metadata`` when given); returns (seconds, reply messages)."""
    payload: dict[str, Any] = {"sender": sender, "message": text}
    if metadata is not None:
        payload["metadata"] = metadata
    start = time.perf_counter()
    try:
        async with session.post(f"{base}/webhooks/rest/webhook", json=payload) as resp:
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
    language: str = "en"

    @property
    def completed(self) -> bool:
        return self.status is not None and self.error is None


def first_metadata(language: str) -> dict[str, Any] | None:
    """The first message's metadata: the conversation's language, as the web page states it (English: none)."""
    return None if language == "en" else {"language": language}


async def screening(
    session: aiohttp.ClientSession,
    base: str,
    sender: str,
    profile: Profile,
    *,
    verify: bool = False,
    stop: Callable[[], bool] = lambda: False,
    language: str = "en",
) -> Screening:
    """Run one screening in ``language``: "/start_screening" (stating the language), consent, then answer
    each question from ``profile``."""
    result = Screening(profile.name, sender, language=language)
    text = "/start_screening"
    metadata = first_metadata(language)
    for _ in range(MAX_TURNS):
        if stop():
            break
        try:
            seconds, messages = await turn(session, base, sender, text, metadata)
        except TurnError as exc:
            result.error = str(exc)
            break
        metadata = None
        result.latencies.append(seconds)
        if is_apology(messages):
            result.error = "the assistant apologised for a failed turn"
            break
        foreign = not_in_language(messages, language)
        if foreign is not None:
            result.error = f"a reply to {text!r} not in {language}: {foreign!r:.120}"
            break
        confirming = confirmation(messages)
        if confirming is not None:  # the person confirms what they meant
            result.confirmations += 1
            text = confirm_reply(confirming, language)
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
            text = consent_reply(language)
            continue
        if result.asked and result.asked[-1] == asked:
            result.reasks += 1
            if result.reasks > MAX_REASKS:
                result.error = f"{asked} re-asked more than {MAX_REASKS} times"
                break
        else:
            result.asked.append(asked)
        text = profile.text(question(asked), language)
    else:
        result.error = f"not finished after {MAX_TURNS} turns"
    return result
