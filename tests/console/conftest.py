"""One console server per backend (SQLite always; PostgreSQL with REQUIRE_SERVICES=1), seeded once.

Seeded: an admin, coordinators of Beijing and Kunshan, leads at both sites (one whose name is a
spreadsheet formula), and a transcript for the first Beijing lead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.store.db import Database
from tests.console.harness import Console, backend_url, prepared, seed_lead, seed_transcript, seed_user
from tests.web.conftest import new_context  # noqa: F401 (a fixture; test_browser.py has its own `browser`)

FORMULA_NAME = "=HYPERLINK(\"http://evil.example\",\"x\")"


@dataclass
class Seeded:
    console: Console
    database: Database
    beijing_lead: str
    beijing_screening: str
    kunshan_lead: str
    formula_lead: str


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    workdir = Path(tmp_path_factory.mktemp(f"console-{request.param}"))
    with backend_url(request.param, workdir) as url:
        database = prepared(url)
        seed_user(database, "admin", "admin", None)
        seed_user(database, "bj", "coordinator", "beijing")
        seed_user(database, "ks", "coordinator", "kunshan")
        beijing_lead, beijing_screening = seed_lead(database, "conv-bj-1", "beijing", "Zhang Wei")
        seed_lead(database, "conv-bj-2", "beijing", "Li Na", type2_diabetes=False)
        kunshan_lead, _ = seed_lead(database, "conv-ks-1", "kunshan", "Chen Jing")
        formula_lead, _ = seed_lead(database, "conv-bj-formula", "beijing", FORMULA_NAME)
        tracker_url = f"sqlite:///{workdir / 'tracker.db'}"
        seed_transcript(tracker_url, "conv-bj-1", [("bot", "Do you have type 2 diabetes?"), ("user", "yes I do")])
        console = Console(workdir=workdir, database_url=url, tracker_url=tracker_url)
        try:
            console.start()
            yield Seeded(console, database, beijing_lead, beijing_screening, kunshan_lead, formula_lead)
        finally:
            console.stop()
            database.dispose()
