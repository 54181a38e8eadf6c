"""The participants' web chat: a sanic app that serves the page and proxies to Rasa's REST channel.

The app issues each conversation id itself (a signed HttpOnly cookie) and never accepts one from
the page, because Rasa's REST ``sender`` and socket.io ``session_id`` are client-chosen.
"""
