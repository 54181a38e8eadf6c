"""The same assistant on the real parts a site would run: PostgreSQL tracker and store, Redis lock store."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.e2e.servers import Servers
from tests.e2e.test_rest_screenings import ELIGIBLE_MAN, hand_off, screen, stored
from tests.services import require_postgres

pytestmark = pytest.mark.services


@pytest.fixture(scope="module")
def service_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    url = require_postgres()
    schema = f"e2e_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, future=True)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    plain_url = url.replace("postgresql+psycopg2://", "postgresql://")
    running = Servers(
        workdir=Path(tmp_path_factory.mktemp("services")),
        overrides={
            "DATABASE_URL": f"{url}?options=-csearch_path%3D{schema}",
            "TRACKER_URL": f"{plain_url}?options=-csearch_path%3D{schema}",
            "LOCK_STORE_TYPE": "redis",
            "LOCK_STORE_HOST": "127.0.0.1",
            "LOCK_STORE_PORT": "6379",
            "LOCK_STORE_DB": "1",
        },
    )
    try:
        with running.running():
            yield running
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_screening_and_hand_off_on_postgresql_and_redis(service_servers: Servers) -> None:
    sender = f"e2e-services-{uuid.uuid4().hex[:6]}"
    _, slots = screen(service_servers, sender, ELIGIBLE_MAN)
    assert slots["screening_status"] == "eligible"
    hand_off(service_servers, sender)
    lead, screenings = stored(service_servers, sender)
    assert lead is not None and [s.status for s in screenings] == ["eligible"]
    # The conversation lives in PostgreSQL: the tracker store table holds this sender's events.
    engine = create_engine(service_servers.overrides["DATABASE_URL"], future=True)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()
    engine.dispose()
    assert count and count > 20
