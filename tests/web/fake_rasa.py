"""A stand-in for Rasa that keeps the language contract, for testing the web app's side of it without a model.

Per conversation, like the real bot: the first message's metadata ``language`` starts the session in
that language; ``/switch_language{"language": ...}``, "English please" / "说中文" and any Chinese
characters change it. It answers in the conversation's language with a yes/no question, and its
tracker endpoint shows the ``language`` slot. ``slot`` (when set) overrides every conversation's.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from bot.languages.detect import message_language

SWITCH = "/switch_language"
REPLIES = {
    "en": ("You said: {text}. Shall we go on?", [("Yes", "/affirm"), ("No", "/deny")]),
    "zh": ("您说：{text}。我们继续吗？", [("是", "/affirm"), ("否", "/deny")]),
}
#: What it says after a switch button, before asking its question again.
SWITCHED = {"en": "OK, in English. Shall we go on?", "zh": "好的，我们说中文。我们继续吗？"}


@dataclass
class Conversation:
    language: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class FakeRasa:
    slot: str | None = None
    #: Every body POSTed to the REST channel, in order.
    received: list[dict[str, Any]] = field(default_factory=list)
    conversations: dict[str, Conversation] = field(default_factory=dict)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def turn(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        self.received.append(body)
        conversation = self.conversations.setdefault(str(body["sender"]), Conversation())
        text = str(body["message"])
        if not conversation.events:  # action_session_start: the channel's statement
            conversation.language = (body.get("metadata") or {}).get("language")
        if text.startswith(SWITCH):
            conversation.language = json.loads(text[len(SWITCH):])["language"]
        else:
            conversation.language = message_language(text) or conversation.language
        language = self.slot or conversation.language or "en"
        template, buttons = REPLIES[language]
        said = SWITCHED[language] if text.startswith(SWITCH) else template.format(text=text)
        reply = {"text": said, "buttons": [{"title": t, "payload": p} for t, p in buttons]}
        conversation.events += [{"event": "user", "text": text, "metadata": body.get("metadata")},
                                {"event": "bot", "text": reply["text"], "data": {"buttons": reply["buttons"]}}]
        return [{"recipient_id": body["sender"], **reply}]

    def tracker(self, sender: str) -> dict[str, Any]:
        conversation = self.conversations.get(sender) or Conversation()
        language = self.slot or conversation.language
        return {"sender_id": sender, "slots": {"language": language}, "events": conversation.events,
                "latest_message": {}, "active_loop": {}}

    def start(self) -> FakeRasa:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def _json(self, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                self._json(fake.turn(json.loads(self.rfile.read(int(self.headers["Content-Length"])))))

            def do_GET(self) -> None:  # /conversations/<sender>/tracker?include_events=...
                sender = unquote(urlsplit(self.path).path.split("/")[2])
                self._json(fake.tracker(sender))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
