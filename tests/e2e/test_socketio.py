"""Rasa's socket.io channel delivers replies (python-socketio is pinned below 5.10: RasaHQ/rasa#13027)."""

from __future__ import annotations

import threading

import socketio

from tests.e2e.servers import Servers


def test_socketio_reply_arrives_in_the_session_room(servers: Servers) -> None:
    client = socketio.Client(reconnection=False)
    replies: list[dict] = []
    got_reply = threading.Event()
    session_ready = threading.Event()

    @client.on("session_confirm")
    def on_session(*_: object) -> None:
        session_ready.set()

    @client.on("bot_uttered")
    def on_reply(message: dict) -> None:
        replies.append(message)
        got_reply.set()

    client.connect(servers.rasa_url, socketio_path="/socket.io", transports=["polling"], wait_timeout=30)
    try:
        client.emit("session_request", {"session_id": "e2e-socketio-session"})
        assert session_ready.wait(30), "no session_confirm"
        client.emit("user_uttered", {"message": "hello", "session_id": "e2e-socketio-session"})
        assert got_reply.wait(60), "no bot_uttered reply: socket.io rooms are broken"
    finally:
        client.disconnect()
    assert "computer assistant" in replies[0].get("text", "")
