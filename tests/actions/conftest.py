"""Fixtures for the custom-action tests: the real domain, a tracker builder, a throwaway store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import common
from tests.actions.helpers import build_tracker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def rasa_domain() -> Domain:
    """domain.yml, loaded and checked by Rasa itself."""
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture(scope="session")
def domain(rasa_domain: Domain) -> dict[str, Any]:
    """The domain as the action server receives it (``Domain.as_dict()``)."""
    return rasa_domain.as_dict()


@pytest.fixture
def make_tracker(domain: dict[str, Any]) -> Callable[..., Tracker]:
    def make(**kwargs: Any) -> Tracker:
        return build_tracker(domain, **kwargs)

    return make


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def action_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh SQLite file behind ``actions.common.database()``; yields its URL."""
    url = f"sqlite:///{tmp_path / 'actions.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(common, "_database", None)
    yield url
    if common._database is not None:
        common._database.dispose()
