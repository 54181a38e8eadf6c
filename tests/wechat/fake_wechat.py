"""A stand-in for WeChat on loopback, both sides of it.

``FakeWeChatAPI`` serves the two API endpoints the channel calls (``/cgi-bin/token`` and
``/cgi-bin/message/custom/send``), records every call, and can reject the next send with an error
code (40001 to force a token refresh, 45047 for the message cap). ``WeChatPusher`` plays WeChat's
servers pushing messages to our webhook: it signs (and in safe mode encrypts) like WeChat does
and decrypts the passive replies.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from defusedxml import ElementTree as SafeET
from wechatpy.crypto import WeChatCrypto

from bot.channels.wechat.security import sign

APP_ID = "wx0123456789abcdef"
APP_SECRET = "fake-secret-for-tests"
TOKEN = "fake-token-for-tests"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, like a real EncodingAESKey
ACCOUNT = "gh_0123456789ab"


@dataclass
class FakeWeChatAPI:
    """The token and customer-service endpoints; ``base_url`` is what WECHAT_API_BASE_URL points at."""

    app_id: str = APP_ID
    secret: str = APP_SECRET
    token_requests: int = 0
    #: Every accepted customer-service message: (openid, text, access token used).
    sent: list[tuple[str, str, str]] = field(default_factory=list)
    #: Error codes to answer the next sends with, in order.
    send_errors: list[int] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)
    valid_tokens: set[str] = field(default_factory=set)
    condition: threading.Condition = field(default_factory=threading.Condition)
    server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/"

    @contextmanager
    def running(self) -> Iterator[FakeWeChatAPI]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def _answer(self, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                if url.path != "/cgi-bin/token":
                    return self._answer({"errcode": 404, "errmsg": "not found"})
                with fake.condition:
                    fake.token_requests += 1
                    if query.get("appid") != fake.app_id or query.get("secret") != fake.secret:
                        return self._answer({"errcode": 40013, "errmsg": "invalid appid"})
                    token = f"ACCESS-{fake.token_requests}-{uuid.uuid4().hex[:8]}"
                    fake.valid_tokens = {token}  # a new token invalidates the old ones
                    fake.condition.notify_all()
                return self._answer({"access_token": token, "expires_in": 7200})

            def do_POST(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if url.path != "/cgi-bin/message/custom/send":
                    return self._answer({"errcode": 404, "errmsg": "not found"})
                with fake.condition:
                    if fake.send_errors:
                        code = fake.send_errors.pop(0)
                        fake.rejected.append(code)
                        return self._answer({"errcode": code, "errmsg": "fake error"})
                    if query.get("access_token") not in fake.valid_tokens:
                        fake.rejected.append(40001)
                        return self._answer({"errcode": 40001, "errmsg": "invalid credential"})
                    fake.sent.append((body["touser"], body["text"]["content"], query["access_token"]))
                    fake.condition.notify_all()
                return self._answer({"errcode": 0, "errmsg": "ok"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()

    def messages_to(self, openid: str) -> list[str]:
        with self.condition:
            return [text for to, text, _ in self.sent if to == openid]

    def wait_for_messages(self, openid: str, count: int, seconds: float = 90) -> list[str]:
        """The first ``count`` customer-service texts to ``openid`` (waits for them; fails after ``seconds``)."""
        deadline = time.monotonic() + seconds
        with self.condition:
            while True:
                texts = [text for to, text, _ in self.sent if to == openid]
                if len(texts) >= count:
                    return texts
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{count} customer-service message(s) expected, got {texts}")
                self.condition.wait(left)


@dataclass
class Pushed:
    """Our webhook's answer to one push: HTTP status, raw body, and the reply text if it was XML."""

    status: int
    body: str
    text: str | None = None
    reply_from: str | None = None
    reply_to: str | None = None


@dataclass
class WeChatPusher:
    """Pushes messages to our webhook as WeChat would (``aes_key`` set: safe mode)."""

    url: str
    token: str = TOKEN
    app_id: str = APP_ID
    aes_key: str | None = AES_KEY
    account: str = ACCOUNT

    def __post_init__(self) -> None:
        self.crypto = WeChatCrypto(self.token, self.aes_key, self.app_id) if self.aes_key else None

    def signed_query(self, timestamp: int | None = None, nonce: str | None = None) -> dict[str, str]:
        timestamp_text = str(int(time.time()) if timestamp is None else timestamp)
        nonce = nonce or uuid.uuid4().hex[:10]
        return {"signature": sign(self.token, timestamp_text, nonce), "timestamp": timestamp_text, "nonce": nonce}

    def verify(self, echostr: str, query: dict[str, str] | None = None) -> tuple[int, str]:
        query = {**(query or self.signed_query()), "echostr": echostr}
        return self._request("GET", query, None)

    def text_xml(self, openid: str, content: str, msg_id: int, create_time: int | None = None) -> str:
        return (
            f"<xml><ToUserName><![CDATA[{self.account}]]></ToUserName>"
            f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{create_time or int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>"
        )

    def event_xml(self, openid: str, event: str, create_time: int | None = None) -> str:
        return (
            f"<xml><ToUserName><![CDATA[{self.account}]]></ToUserName>"
            f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{create_time or int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[{event}]]></Event></xml>"
        )

    def push(self, xml: str, query: dict[str, str] | None = None, raw: bool = False) -> Pushed:
        """POST ``xml`` signed (and encrypted in safe mode, unless ``raw``); decrypts an XML reply."""
        query = dict(query or self.signed_query())
        body = xml
        if self.crypto is not None and not raw:
            envelope = SafeET.fromstring(self.crypto.encrypt_message(xml, query["nonce"], query["timestamp"]))
            encrypted = envelope.findtext("Encrypt") or ""
            query.update(
                encrypt_type="aes", msg_signature=sign(self.token, query["timestamp"], query["nonce"], encrypted)
            )
            body = (
                f"<xml><ToUserName><![CDATA[{self.account}]]></ToUserName>"
                f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
            )
        status, text = self._request("POST", query, body.encode())
        return self.read_reply(status, text)

    def read_reply(self, status: int, body: str) -> Pushed:
        if status != 200 or not body.startswith("<xml>"):
            return Pushed(status, body)
        root = SafeET.fromstring(body)
        if self.crypto is not None:
            plain = self.crypto.decrypt_message(
                {"Encrypt": root.findtext("Encrypt")},
                root.findtext("MsgSignature"),
                root.findtext("TimeStamp"),
                root.findtext("Nonce"),
            )
            root = SafeET.fromstring(plain)
        content, source, target = (root.findtext(name) for name in ("Content", "FromUserName", "ToUserName"))
        return Pushed(status, body, content, source, target)

    def _request(self, method: str, query: dict[str, str], body: bytes | None) -> tuple[int, str]:
        request = urllib.request.Request(
            f"{self.url}?{urllib.parse.urlencode(query)}",
            data=body,
            method=method,
            headers={"Content-Type": "text/xml"} if body is not None else {},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xml><ToUserName>gh_x</ToUserName><FromUserName>o_bomb</FromUserName><CreateTime>1</CreateTime>
<MsgType>text</MsgType><Content>&lol9;</Content><MsgId>1</MsgId></xml>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xml><ToUserName>gh_x</ToUserName><FromUserName>o_x</FromUserName><CreateTime>1</CreateTime>
<MsgType>text</MsgType><Content>&secret;</Content><MsgId>2</MsgId></xml>"""


@dataclass
class SlowActionProxy:
    """Forwards Rasa's action calls to the real action server, ``delay`` seconds late (0: no delay)."""

    target: str
    delay: float = 0.0
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/webhook"

    @contextmanager
    def running(self, port: int = 0) -> Iterator[SlowActionProxy]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if proxy.delay:
                    time.sleep(proxy.delay)
                request = urllib.request.Request(
                    proxy.target, data=body, method="POST", headers={"Content-Type": "application/json"}
                )
                try:
                    with urllib.request.urlopen(request, timeout=120) as reply:
                        status, data = reply.status, reply.read()
                except urllib.error.HTTPError as error:
                    status, data = error.code, error.read()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()
