"""The WeChat channel through the real Rasa server and action server, with a fake WeChat on loopback.

One Rasa start for the module. Safe mode throughout (AES); wechatpy talks to ``FakeWeChatAPI``
(WECHAT_API_BASE_URL); Rasa calls the action server through ``SlowActionProxy``, which a test slows
down to force the 5-second path (no test hook in the channel itself). WECHAT_REPLY_DEADLINE is 2 s
here (4 s by default) so the slow path costs less time; the other tests accept either path.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.store import prepare
from bot.store.db import Database
from bot.store.models import LeadRow, ScreeningRow
from tests.e2e.servers import Servers, _get
from tests.e2e.test_rest_screenings import ELIGIBLE_MAN, NO, YES
from tests.wechat.fake_wechat import (
    AES_KEY,
    APP_ID,
    APP_SECRET,
    BILLION_LAUGHS,
    TOKEN,
    FakeWeChatAPI,
    Pushed,
    SlowActionProxy,
    WeChatPusher,
)

DEADLINE = 2.0
SLOW = 3.5


@dataclass
class World:
    servers: Servers
    fake: FakeWeChatAPI
    proxy: SlowActionProxy
    pusher: WeChatPusher
    msg_id: int = 1000

    def next_id(self) -> int:
        self.msg_id += 1
        return self.msg_id

    def say(self, openid: str, text: str) -> list[str]:
        """The bot's texts for one message, from the passive reply or, after ``success``, customer service."""
        before = len(self.fake.messages_to(openid))
        reply = self.pusher.push(self.pusher.text_xml(openid, text, self.next_id()))
        return self.answer(openid, reply, before)

    def event(self, openid: str, event: str) -> Pushed:
        return self.pusher.push(self.pusher.event_xml(openid, event))

    def answer(self, openid: str, reply: Pushed, before: int) -> list[str]:
        assert reply.status == 200, reply
        if reply.text is not None:
            return [reply.text]
        assert reply.body == "success", reply
        return self.fake.wait_for_messages(openid, before + 1)[before:]

    def tracker(self, openid: str) -> dict[str, Any]:
        return _get(f"{self.servers.rasa_url}/conversations/wechat-{openid}/tracker", timeout=30)

    def user_turns(self, openid: str) -> int:
        return sum(1 for event in self.tracker(openid)["events"] if event["event"] == "user")


@contextmanager
def running_world(workdir: Path, language: str) -> Iterator[World]:
    """Rasa, the action server and a fake WeChat, for an account in ``language`` (WECHAT_LANGUAGE)."""
    servers = Servers(workdir=workdir)
    database = Database(servers.database_url)
    prepare(database)  # `make run` migrates before starting; here the token table must exist before Rasa uses it
    database.dispose()
    proxy = SlowActionProxy(target=f"http://127.0.0.1:{servers.actions_port}/webhook")
    with FakeWeChatAPI().running() as fake, proxy.running():
        servers.overrides = {
            "ACTION_SERVER_URL": proxy.url,
            "WECHAT_APP_ID": APP_ID,
            "WECHAT_APP_SECRET": APP_SECRET,
            "WECHAT_TOKEN": TOKEN,
            "WECHAT_ENCODING_AES_KEY": AES_KEY,
            "WECHAT_API_BASE_URL": fake.base_url,
            "WECHAT_REPLY_DEADLINE": str(DEADLINE),
            "WECHAT_REDIS_URL": "",
            "WECHAT_LANGUAGE": language,
        }
        with servers.running():
            yield World(servers, fake, proxy, WeChatPusher(url=f"{servers.rasa_url}/webhooks/wechat/webhook"))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """An English account (the default is zh: test_e2e_zh.py is the same person in Chinese)."""
    with running_world(Path(tmp_path_factory.mktemp("wechat")), "en") as running:
        yield running


def openid() -> str:
    return "o" + uuid.uuid4().hex[:27]  # 28 characters, like a real OpenID


def test_server_verification_echoes_only_for_our_signature(world: World) -> None:
    assert world.pusher.verify("5678901234") == (200, "5678901234")
    status, body = world.pusher.verify("5678901234", {**world.pusher.signed_query(), "signature": "a" * 40})
    assert status == 403 and "5678901234" not in body
    stale = world.pusher.signed_query(timestamp=int(time.time()) - 301)
    assert world.pusher.verify("1", stale)[0] == 403


def test_subscribe_welcomes_with_numbered_choices_and_a_number_picks_one(world: World) -> None:
    user = openid()
    welcome = world.pusher.push(world.pusher.event_xml(user, "subscribe"))
    assert welcome.status == 200 and welcome.reply_to == user
    (text,) = world.answer(user, welcome, 0)
    assert "I am not a doctor" in text
    assert "Reply 1 for Learn about the trial, 2 for Check if I might qualify, 3 for Talk to a person." in text
    consent = world.say(user, "2")
    assert any("Do you agree to answer the questions?" in t and "Reply 1 for Yes, I agree, 2 for No." in t
               for t in consent), consent
    assert world.tracker(user)["slots"]["requested_slot"] == "data_consent"
    user_texts = [e["text"] for e in world.tracker(user)["events"] if e["event"] == "user"]
    assert user_texts == ["/greet", "/start_screening"]  # "2" reached Rasa as the button's payload


def test_a_full_screening_in_safe_mode_ends_in_a_stored_lead(world: World) -> None:
    user = openid()
    world.event(user, "subscribe")
    world.say(user, "2")
    last = world.say(user, "1")  # "Yes, I agree"
    asked = []
    for _ in range(40):
        slots = world.tracker(user)["slots"]
        requested = slots.get("requested_slot")
        if requested is None:
            break
        asked.append(requested)
        answer = ELIGIBLE_MAN[requested]
        shown = "\n".join(last)
        if answer in (YES, NO) and "1 for Yes, 2 for No" in shown:
            answer = "1" if answer == YES else "2"  # answer with the numbered option
        last = world.say(user, answer)
    assert world.tracker(user)["slots"]["screening_status"] == "eligible", asked
    notice = world.say(user, "/human_handoff")
    assert any("pass your details" in t for t in notice), notice
    for text in ("1", "Beijing", "Wang Li", "138 0013 8000", "weekday mornings"):
        last = world.say(user, text)
    assert any("Yes, send it" in t for t in last), last
    done = world.say(user, "1")
    assert any("sent your details" in t for t in done), done
    database = Database(world.servers.database_url)
    try:
        with database.transaction() as session:
            conversation = f"wechat-{user}"
            lead = session.scalars(select(LeadRow).where(LeadRow.conversation_id == conversation)).one()
            screening = session.scalars(select(ScreeningRow).where(ScreeningRow.conversation_id == conversation)).one()
            assert (lead.channel, lead.site_code, lead.phone) == ("wechat", "beijing", "+8613800138000")
            assert (screening.channel, screening.status) == ("wechat", "eligible")
    finally:
        database.dispose()


def test_the_same_msgid_three_times_is_one_bot_turn(world: World) -> None:
    user = openid()
    world.event(user, "subscribe")
    before = world.user_turns(user)
    xml = world.pusher.text_xml(user, "What is the study for?", world.next_id())
    replies = [world.pusher.push(xml) for _ in range(3)]  # WeChat's retries: new nonce, same MsgId
    assert [r.status for r in replies] == [200, 200, 200]
    assert world.user_turns(user) == before + 1
    assert len({r.body if r.text is None else r.text for r in replies}) == 1


def test_slow_turns_answer_success_then_customer_service_with_one_cached_token(world: World) -> None:
    user = openid()
    world.event(user, "subscribe")
    tokens_before = world.fake.token_requests
    world.proxy.delay = SLOW
    try:
        # "2" starts the screening: the form's validation action is slow now. WeChat retries meanwhile.
        xml = world.pusher.text_xml(user, "2", world.next_id())
        with ThreadPoolExecutor(3) as pool:
            replies = list(pool.map(lambda _: world.pusher.push(xml), range(3)))
        assert [(r.status, r.body) for r in replies] == [(200, "success")] * 3
        (consent,) = world.fake.wait_for_messages(user, 1)
        assert "Do you agree to answer the questions?" in consent and "Reply 1 for Yes, I agree" in consent
        assert world.user_turns(user) == 2  # /greet and one /start_screening, not three
        second = world.say(user, "1")  # consent: the next question also comes by customer service
        assert any("type 2 diabetes" in t for t in second), second
        assert world.fake.token_requests - tokens_before <= 1  # at most one fetch for all of them
        assert len(world.fake.messages_to(user)) == 2 and world.fake.token_requests >= 1
        tokens_now = world.fake.token_requests
        world.fake.send_errors.append(40001)  # WeChat rejects the cached token once
        third = world.say(user, "1")
        assert third and world.fake.rejected[-1] == 40001
        assert world.fake.token_requests == tokens_now + 1  # refreshed once, and the message still arrived
    finally:
        world.proxy.delay = 0


def test_tampered_signature_bomb_replay_size_and_plaintext_are_refused_before_rasa(world: World) -> None:
    user = openid()
    xml = world.pusher.text_xml(user, "hello", world.next_id())
    assert world.pusher.push(xml, {**world.pusher.signed_query(), "signature": "b" * 40}).status == 403
    bomb = world.pusher.push(BILLION_LAUGHS, raw=True)
    assert bomb.status == 400 and "error" in bomb.body
    assert world.pusher.push(BILLION_LAUGHS).status == 400  # the bomb encrypted, with valid signatures
    query = world.pusher.signed_query()
    assert world.pusher.push(xml, query).status == 200
    assert world.pusher.push(xml, query).status == 403  # the same signed request replayed
    assert world.pusher.push(xml.replace("hello", "x" * 70_000)).status == 413
    assert world.pusher.push(xml, raw=True).status == 400  # plaintext in safe mode
    assert world.user_turns(user) == 1
