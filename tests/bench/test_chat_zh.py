"""Reading the assistant's replies in Chinese (against the real domain.yml), and a screening driven in Chinese
against a small fake assistant on loopback."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bench import chat
from bench.profiles import NO_EXCLUSIONS, Profile
from bot.screening.questions import load_questions, question

ZH = chat.responses("zh")
EN = chat.responses("en")


def said(*texts: str) -> list[dict[str, Any]]:
    return [{"recipient_id": "x", "text": t} for t in texts]


def test_every_prompt_has_a_distinct_chinese_text() -> None:
    zh = chat.prompts("zh")
    assert sorted(zh.values()) == sorted([q.name for q in load_questions()] + ["data_consent"])
    assert not set(zh) & set(chat.prompts("en"))
    assert chat.prompts() == {**chat.prompts("en"), **zh}


@pytest.mark.parametrize("q", load_questions(), ids=lambda q: q.name)
def test_open_question_in_chinese(q: Any) -> None:
    prompt = ZH[f"ask_{q.name}"]
    assert chat.open_question(said("记下了。", prompt)) == q.name
    assert chat.open_question(said(prompt)) == q.name


def test_consent_notice_in_chinese() -> None:
    assert chat.open_question(said(ZH["ask_data_consent_screening"])) == "data_consent"


def test_chinese_confirmations() -> None:
    assert chat.confirmation(said(ZH["confirm_unit"].format(value=30))) == "confirm_unit"
    assert chat.confirmation(said(ZH["confirm_sign"].format(value=2.5, signed=-2.5))) == "confirm_sign"
    assert chat.confirmation(said(ZH["confirm_inferred_male"])) is not None
    assert chat.confirmation(said(ZH["confirm_declined"])) is None
    assert chat.confirmation(said(ZH["ask_age"])) is None


def test_no_confirmation_opening_starts_a_prompt_or_outcome() -> None:
    """The driver looks for a confirming question first: its opening must not also start a question."""
    others = [*chat.prompts(), *(r[name] for r in (EN, ZH) for name in chat.OUTCOMES)]
    for name, opening in chat.confirmations():
        assert opening.strip(), name
        assert not [t for t in others if t.startswith(opening)], name


@pytest.mark.parametrize("name", list(chat.OUTCOMES))
def test_chinese_outcomes(name: str) -> None:
    text = ZH[name].replace("{", "").replace("}", "")  # the variables filled with their own names
    assert chat.outcome(said("记下了。", text)) == chat.OUTCOMES[name]
    assert chat.outcome(said(EN[name].replace("{", "").replace("}", ""))) == chat.OUTCOMES[name]


def test_outcome_openings_tell_statuses_apart() -> None:
    for r in (EN, ZH):
        openings = {name: r[name].split("{")[0] for name in chat.OUTCOMES}
        for a, x in openings.items():
            for b, y in openings.items():
                if chat.OUTCOMES[a] != chat.OUTCOMES[b]:
                    assert not y.startswith(x), (a, b)


def test_apology_in_either_language() -> None:
    assert chat.is_apology(said(ZH["technical_problem"]))
    assert chat.is_apology(said(EN["technical_problem"]))
    assert not chat.is_apology(said(ZH["ask_age"]))


def test_every_chinese_response_reads_as_chinese() -> None:
    """A correct Chinese reply is never taken for English."""
    for name, text in ZH.items():
        assert chat.not_in_language(said(text), "zh") is None, name
    assert set(EN) == set(ZH), "every response has a Chinese variation"


def test_english_reply_in_a_chinese_screening() -> None:
    assert chat.not_in_language(said(ZH["noted_yes"], EN["ask_age"]), "zh") == EN["ask_age"]
    assert chat.not_in_language([{"recipient_id": "x", "image": "x.png"}], "zh") is None
    assert chat.not_in_language(said(EN["ask_age"]), "en") is None


def test_first_metadata() -> None:
    assert chat.first_metadata("zh") == {"language": "zh"}
    assert chat.first_metadata("en") is None


# --- a screening over HTTP against a fake assistant -------------------------------------------------------

#: The questions the fake asks, in order; after the vitamin D answer it asks for the unit first.
ASKED = ["type2_diabetes", "sex", "age", "diabetes_years", "vitamin_d_ng_ml", "oral_bisphosphonate_ever"]
ASKED += ["last_oral_bisphosphonate"]
PERSON = Profile(
    "fake",
    {
        **NO_EXCLUSIONS,
        "type2_diabetes": True,
        "sex": "male",
        "age": 62,
        "diabetes_years": 12,
        "vitamin_d_ng_ml": 30,
        "last_oral_bisphosphonate": "2025-03-14",
    },
    "eligible",
)


def script(language: str) -> list[tuple[str, list[str]]]:
    """(the message the fake expects, the responses it replies with) per turn."""
    consent = {"zh": "同意", "en": "yes"}[language]
    turns = [("/start_screening", ["ask_data_consent_screening"]), (consent, [f"ask_{ASKED[0]}"])]
    for asked, following in zip(ASKED, [*ASKED[1:], None], strict=True):
        answer = PERSON.text(question(asked), language)
        if asked == "vitamin_d_ng_ml":
            turns.append((answer, ["confirm_unit"]))
            answer = "ng/mL"
        turns.append((answer, ["noted_yes", f"ask_{following}"] if following else ["outcome_eligible"]))
    return turns


class FakeAssistant:
    """Replies from domain.yml in the language the first message's metadata states; records what it got."""

    def __init__(self, english_from: str | None = None) -> None:
        #: The first question the fake asks in English whatever the language (None: it never does).
        self.english_from = english_from
        self.received: list[dict[str, Any]] = []
        self.turns: list[tuple[str, list[str]]] = []
        self.language = "en"

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append(body)
        if len(self.received) == 1:
            self.language = (body.get("metadata") or {}).get("language", "en")
            self.turns = script(self.language)
        expected, replies = self.turns[len(self.received) - 1]
        if body["message"] != expected:
            return web.json_response(said(f"unexpected {body['message']!r}, wanted {expected!r}"))
        if f"ask_{self.english_from}" in replies:
            self.language = "en"
        texts = chat.responses(self.language)
        return web.json_response(said(*(texts[name].replace("{value}", "30") for name in replies)))


def run_screening(fake: FakeAssistant, language: str) -> chat.Screening:
    async def go() -> chat.Screening:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", fake.webhook)
        async with TestServer(app, host="127.0.0.1") as server:
            base = str(server.make_url("")).rstrip("/")
            async with aiohttp.ClientSession() as session:
                return await chat.screening(session, base, "s1", PERSON, language=language)

    return asyncio.run(go())


@pytest.mark.parametrize("language", ["zh", "en"])
def test_screening(language: str) -> None:
    fake = FakeAssistant()
    result = run_screening(fake, language)
    assert result.error is None
    assert (result.status, result.asked, result.confirmations) == ("eligible", ASKED, 1)
    assert result.language == language
    assert len(result.latencies) == len(fake.received) == len(ASKED) + 3
    first, *rest = fake.received
    if language == "zh":
        assert first["metadata"] == {"language": "zh"}
    else:
        assert "metadata" not in first  # English requests are as before
    assert all("metadata" not in body for body in rest)


def test_screening_answered_in_english_is_an_error() -> None:
    result = run_screening(FakeAssistant(english_from="age"), "zh")
    assert result.status is None
    assert result.error is not None and "not in zh" in result.error
    assert result.asked == ["type2_diabetes", "sex"]  # the age question came in English
