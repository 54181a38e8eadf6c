"""wechatpy against the fake WeChat API: the central token, refresh on 40001, errors logged and not retried."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.channels.wechat.client import CentralTokenClient
from bot.channels.wechat.delivery import SERVICE_WINDOW_SECONDS, send_service_messages
from bot.channels.wechat.settings import WeChatSettings
from bot.channels.wechat.token import AccessTokens, DatabaseTokenStore
from bot.store.db import Database
from tests.wechat.fake_wechat import APP_ID, APP_SECRET, TOKEN, FakeWeChatAPI


@pytest.fixture
def fake() -> Iterator[FakeWeChatAPI]:
    with FakeWeChatAPI().running() as running:
        yield running


def client_for(fake: FakeWeChatAPI, database: Database) -> CentralTokenClient:
    settings = WeChatSettings(app_id=APP_ID, app_secret=APP_SECRET, token=TOKEN, api_base_url=fake.base_url)
    tokens = AccessTokens(DatabaseTokenStore(database, APP_ID), lambda: client.fetch_new_token())
    client = CentralTokenClient(settings, tokens)
    return client


def test_many_messages_one_token_request(fake: FakeWeChatAPI, database: Database) -> None:
    client = client_for(fake, database)
    for number in range(6):
        client.message.send_text("o_many", f"message {number}")
    other_worker = client_for(fake, database)
    other_worker.message.send_text("o_many", "from another worker")
    assert len(fake.messages_to("o_many")) == 7
    assert fake.token_requests == 1


def test_a_40001_refreshes_the_token_once_and_the_message_arrives(fake: FakeWeChatAPI, database: Database) -> None:
    client = client_for(fake, database)
    client.message.send_text("o_refresh", "before")
    fake.send_errors.append(40001)
    client.message.send_text("o_refresh", "after")
    assert fake.messages_to("o_refresh") == ["before", "after"]
    assert fake.token_requests == 2 and fake.rejected == [40001]
    assert fake.sent[-1][2] != fake.sent[0][2]  # sent with the new token


def test_a_token_invalidated_elsewhere_is_replaced(fake: FakeWeChatAPI, database: Database) -> None:
    client = client_for(fake, database)
    client.message.send_text("o_elsewhere", "one")
    fake.valid_tokens = set()  # someone fetched a token with our secret outside this system
    client.message.send_text("o_elsewhere", "two")
    assert fake.messages_to("o_elsewhere") == ["one", "two"] and fake.token_requests == 2


def test_service_limits_are_logged_and_the_rest_dropped(fake: FakeWeChatAPI, database: Database,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    client = client_for(fake, database)
    fake.send_errors.extend([45047])
    with caplog.at_level(logging.WARNING):
        sent = send_service_messages(client, "o_limit", ["secret health answer", "two"], message_time=2_000_000_000,
                                     clock=lambda: 2_000_000_000)
    assert sent == 0 and fake.messages_to("o_limit") == [] and fake.rejected == [45047]
    assert "45047" in caplog.text and "secret health answer" not in caplog.text and "o_limit" not in caplog.text


def test_nothing_is_sent_after_the_48_hour_window(fake: FakeWeChatAPI, database: Database) -> None:
    client = client_for(fake, database)
    sent = send_service_messages(client, "o_late", ["hello"], message_time=0, clock=lambda: SERVICE_WINDOW_SECONDS + 1)
    assert sent == 0 and fake.messages_to("o_late") == [] and fake.token_requests == 0


def test_a_persistent_40001_is_not_retried_forever(fake: FakeWeChatAPI, database: Database) -> None:
    client = client_for(fake, database)
    fake.send_errors.extend([40001, 40001, 40001])
    assert send_service_messages(client, "o_stuck", ["a", "b"], message_time=0, clock=lambda: 0) == 0
    assert fake.rejected == [40001, 40001] and fake.send_errors == [40001]
