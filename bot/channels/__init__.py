"""Rasa input channels of our own: REST with visible failures (WeChat comes later)."""
