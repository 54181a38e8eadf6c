"""A coordinator in a real headless Chromium (Debian's) works a lead that a real screening just created.

The screening runs through the real Rasa server and action server (REST channel), so the lead, its
criteria and the transcript in the tracker store are what production would hold.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.store.db import Database
from bot.store.models import LeadRow
from tests.console.harness import Console, backend_url
from tests.e2e.servers import ROOT, VENV_BIN, Servers
from tests.e2e.test_rest_screenings import ELIGIBLE_MAN, hand_off, screen
from tests.web.conftest import ARTIFACTS, chromium

SENDER = "console-e2e-1"
PASSWORD = "a coordinator's long password"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """This module's own Chromium, closed when the module ends (see tests/web/conftest.py: chromium)."""
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def screened_lead(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Console, str]]:
    workdir = Path(tmp_path_factory.mktemp("console-e2e"))
    with (
        backend_url(request.param, workdir) as url,
        Servers(workdir=workdir, overrides={"DATABASE_URL": url}).running() as servers,
    ):
        _, slots = screen(servers, SENDER, ELIGIBLE_MAN)
        assert slots["screening_status"] == "eligible"
        hand_off(servers, SENDER, "Beijing")
        env = dict(os.environ, DATABASE_URL=servers.database_url, PYTHONPATH=str(ROOT))
        created = subprocess.run(
            [str(VENV_BIN / "python"), "-m", "bot.console", "create-user", "zhao", "--role", "coordinator",
             "--site", "beijing", "--password-stdin"],
            cwd=ROOT, env=env, input=PASSWORD + "\n", text=True, capture_output=True, timeout=120,
        )
        assert created.returncode == 0, created.stderr
        database = Database(servers.database_url)
        with database.transaction() as session:
            lead_id = session.query(LeadRow.id).filter(LeadRow.conversation_id == SENDER).scalar()
        database.dispose()
        console = Console(workdir=workdir, database_url=servers.database_url, tracker_url=servers.env()["TRACKER_URL"])
        try:
            console.start()
            yield console, lead_id
        finally:
            console.stop()


def test_coordinator_works_a_new_lead_in_the_browser(screened_lead: tuple[Console, str], new_context: Any) -> None:
    console, lead_id = screened_lead
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = new_context(accept_downloads=True).new_page()
    page.goto(f"{console.url}/console/login")
    page.get_by_label("Username").fill("zhao")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console/leads")
    row = page.locator("table.leads tbody tr", has_text="Wang Li")
    assert row.count() == 1 and "May be eligible" in row.inner_text() and "New" in row.inner_text()
    page.screenshot(path=str(ARTIFACTS / "console-list.png"), full_page=True)

    row.get_by_role("link", name="Wang Li").click()
    page.wait_for_url(f"**/console/leads/{lead_id}")
    assert page.get_by_test_id("outcome").inner_text() == "May be eligible"
    criteria = page.locator("table.criteria tbody tr")
    assert criteria.count() == 18
    assert "Pass" in criteria.first.inner_text() and criteria.first.locator("td").last.inner_text().strip()
    transcript = page.get_by_test_id("transcript").inner_text()
    assert "I'm sixty-two" in transcript and "about 12 years" in transcript and "Assistant" in transcript

    page.get_by_label("New status").select_option("contacted")
    page.get_by_label("Note (what happened)").fill("Phoned; a screening visit is being arranged.")
    page.get_by_role("button", name="Save status").click()
    page.wait_for_url("**?changed=1")
    assert page.get_by_role("status").first.inner_text() == "The status was changed."
    assert page.get_by_test_id("lead-status").inner_text() == "Contacted"
    assert "Phoned; a screening visit is being arranged." in page.locator("ol.notes").inner_text()
    page.screenshot(path=str(ARTIFACTS / "console-lead.png"), full_page=True)

    page.get_by_role("link", name="Back to the lead list").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export these leads as CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("leads-") and download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert [(r["Lead ID"], r["Status"], r["Phone"]) for r in rows] == [(lead_id, "contacted", "'+8613800138000")]
