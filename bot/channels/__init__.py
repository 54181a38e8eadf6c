"""Rasa input channels of our own: REST with visible failures, and WeChat (bot/channels/wechat/).

Limits every way in shares, so the web chat refuses exactly what the channel behind it would.
"""

#: The longest message a person may send, in characters.
MAX_MESSAGE_CHARS = 2000
