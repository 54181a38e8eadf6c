"""The conversation's language: which of our languages a message is written in, and requests to switch."""
