"""Rasa tracker store used by endpoints.yml: SQL, with each conversation's tracker kept between turns."""

from bot.tracker_store.cached_sql import CachedSQLTrackerStore

__all__ = ["CachedSQLTrackerStore"]
