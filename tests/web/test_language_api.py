"""The web app's side of the language contract, against a stand-in for Rasa (tests/web/fake_rasa.py).

Which language a request gets (the kept choice, Accept-Language with q-values, English), the
metadata ``{"language": ...}`` on every message to Rasa, and the conversation's ``language`` slot
told back to the page and kept in the ``lang`` cookie.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.fake_rasa import FakeRasa
from tests.web.test_api import Client
from tests.web.webapp import WebApp


@pytest.fixture
def rasa(fake_rasa: FakeRasa) -> Iterator[FakeRasa]:
    fake_rasa.slot = None
    fake_rasa.received.clear()
    yield fake_rasa
    fake_rasa.slot = None


@pytest.fixture
def app(web_on_fake_rasa: WebApp, rasa: FakeRasa) -> WebApp:
    return web_on_fake_rasa


def lang_cookie(client: Client) -> str | None:
    return next((c.value for c in client.jar if c.name == "lang"), None)


@pytest.mark.parametrize(
    ("accept", "html_lang"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans"),
        ("zh-TW", "zh-Hans"),
        ("zh-Hans", "zh-Hans"),
        ("en;q=0.5, zh;q=0.9", "zh-Hans"),
        ("zh;q=0.1, en", "en"),
        ("fr-FR, fr;q=0.9, zh-CN;q=0.5", "zh-Hans"),
        ("fr-FR, de;q=0.9", "en"),
        ("zh;q=0", "en"),
        ("", "en"),
    ],
)
def test_the_page_is_in_the_browsers_language(app: WebApp, accept: str, html_lang: str) -> None:
    status, headers, page = Client(app.url).request("GET", "/", headers={"Accept-Language": accept})
    assert status == 200 and f'<html lang="{html_lang}"' in page
    assert "Accept-Language" in headers["Vary"]


def test_the_chinese_page_names_itself_and_offers_english(app: WebApp) -> None:
    _, _, page = Client(app.url).request("GET", "/", headers={"Accept-Language": "zh-CN"})
    assert '<html lang="zh-Hans" dir="ltr" data-language="zh">' in page
    assert "<title data-i18n=\"page_title\">研究小助手" in page and "地舒单抗" in page
    assert 'data-language="zh" lang="zh-Hans" aria-pressed="true">中文</button>' in page
    assert 'data-language="en" lang="en" aria-pressed="false">English</button>' in page


def test_every_message_to_rasa_states_the_pages_language(app: WebApp, rasa: FakeRasa) -> None:
    client = Client(app.url)
    chinese = {"Accept-Language": "zh-CN,zh;q=0.9"}
    for message in ("/start_screening", "/affirm", "62"):
        status, _, body = client.request("POST", "/api/chat", {"message": message}, headers=chinese)
        assert status == 200 and body["language"] == "zh"
    assert [m["metadata"] for m in rasa.received] == [{"language": "zh"}] * 3
    assert lang_cookie(client) == "zh"
    status, _, body = client.request("POST", "/api/chat", {"message": "hello"})  # no header now: the cookie
    assert rasa.received[-1]["metadata"] == {"language": "zh"}


def test_a_correction_keeps_its_metadata_next_to_the_language(app: WebApp, rasa: FakeRasa) -> None:
    client = Client(app.url)
    client.request("POST", "/api/chat", {"message": "/start_screening"}, headers={"Accept-Language": "zh"})
    client.request("POST", "/api/chat", {"message": "女", "correction": True})
    last = rasa.received[-1]
    assert last["message"] == "更正：女"  # the Chinese page's prefix
    assert last["metadata"]["language"] == "zh" and "correction" in last["metadata"]


def test_the_conversations_language_wins_and_is_kept(app: WebApp, rasa: FakeRasa) -> None:
    """The bot switched (a button, "English please" typed): the page is told, and the cookie follows."""
    client = Client(app.url)
    rasa.slot = "en"
    _, _, body = client.request("POST", "/api/chat", {"message": "English please"}, headers={"Accept-Language": "zh"})
    assert rasa.received[-1]["metadata"] == {"language": "zh"}  # what the page showed when it was sent
    assert body["language"] == "en" and lang_cookie(client) == "en"
    _, _, page = client.request("GET", "/", headers={"Accept-Language": "zh"})
    assert '<html lang="en"' in page  # the kept choice beats the browser's language
    _, _, history = client.request("GET", "/api/history", headers={"Accept-Language": "zh"})
    assert history["language"] == "en"
    rasa.slot = "zh"
    _, _, body = client.request("POST", "/api/chat", {"message": "说中文"})
    assert body["language"] == "zh" and lang_cookie(client) == "zh"


def test_lang_in_the_address_beats_the_kept_choice(app: WebApp) -> None:
    client = Client(app.url)
    client.request("POST", "/api/chat", {"message": "hi"}, headers={"Accept-Language": "zh"})
    assert lang_cookie(client) == "zh"
    _, _, page = client.request("GET", "/?lang=en")
    assert '<html lang="en"' in page
    _, _, strings = client.request("GET", "/api/strings?lang=en")
    assert strings["send"] == "Send"
    _, _, strings = client.request("GET", "/api/strings")
    assert strings["send"] == "发送"


def test_a_new_conversation_is_told_the_pages_language(app: WebApp, rasa: FakeRasa) -> None:
    status, _, body = Client(app.url).request("GET", "/api/history", headers={"Accept-Language": "zh-TW"})
    assert status == 200 and body["messages"] == [] and body["language"] == "zh"
    assert rasa.received == []  # a page view creates no conversation


def test_a_chinese_error_message(app: WebApp) -> None:
    status, _, body = Client(app.url).request("POST", "/api/chat", {"message": "  "}, headers={"Accept-Language": "zh"})
    assert status == 400 and body["error"] == "请先输入您的话，或者点一个按钮。"
