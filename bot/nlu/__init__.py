"""Rasa NLU components of our own (adapters over the pure core)."""
