"""The trained model's FAQ response selector answers trial questions and stays out of every other message."""

from __future__ import annotations

from typing import Any

from tests.e2e.servers import Servers, post_json


def parse(servers: Servers, text: str) -> dict[str, Any]:
    status, body = post_json(f"{servers.rasa_url}/model/parse", {"text": text})
    assert status == 200, body
    return body


def test_a_trial_question_gets_its_faq_answer(servers: Servers) -> None:
    result = parse(servers, "how much does it cost to take part")
    assert result["intent"]["name"] == "faq"
    prediction = result["response_selector"]["default"]["response"]
    assert prediction["intent_response_key"] == "faq/costs"
    assert prediction["utter_action"] == "utter_faq/costs"


def test_an_answer_is_not_run_through_the_faq_selector(servers: Servers) -> None:
    for text in ("I'm sixty-two", "yes", "since 2010", "hello"):
        result = parse(servers, text)
        assert result["intent"]["name"] != "faq", text
        assert "response_selector" not in result, text
