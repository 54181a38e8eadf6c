"""Rasa custom actions: thin adapters between Rasa trackers and the core in ``bot/``.

rasa-sdk registers every submodule of this package; one module per concern.
"""
