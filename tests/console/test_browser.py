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

from bot.console import accounts, labels, texts
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


def test_a_chinese_coordinator_works_the_lead_in_chinese(screened_lead: tuple[Console, str], new_context: Any) -> None:
    """Signs in on the Chinese sign-in page, works the lead in Chinese, switches to English and back; the
    choice is kept on the user, so signing in again shows the same language."""
    console, lead_id = screened_lead
    database = Database(console.database_url)
    with database.transaction() as session:
        accounts.create_user(session, "qian", "coordinator", "beijing", PASSWORD)
    database.dispose()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = new_context().new_page()
    page.goto(f"{console.url}/console/login")  # this server's default is English (tests/console/harness.py)
    page.get_by_role("link", name="中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.get_by_label("用户名").fill("qian")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/console/leads")
    row = page.locator("table.leads tbody tr", has_text="Wang Li")
    assert "可能符合条件" in row.inner_text() and "英文" in row.inner_text()  # the person screened in English

    row.get_by_role("link", name="Wang Li").click()
    page.wait_for_url(f"**/console/leads/{lead_id}")
    assert page.get_by_test_id("outcome").inner_text() == "可能符合条件"
    assert page.get_by_test_id("screening-language").inner_text() == "英文"
    answers = page.locator("table.answers")
    assert answers.locator('tr[data-field="type2_diabetes"] th').inner_text() == "是否确诊2型糖尿病"
    assert answers.locator('tr[data-field="type2_diabetes"] td').inner_text() == "是"
    assert answers.locator('tr[data-field="consent"] th').inner_text() == "是否愿意签署知情同意书"
    criteria = page.locator("table.criteria tbody tr")
    assert criteria.count() == 18
    assert labels.criterion_titles("2025-07-22", "zh")["I1"] in criteria.first.locator("th").inner_text()
    assert criteria.first.locator("td").first.inner_text() == "符合"
    assert "预筛助手" in page.get_by_test_id("transcript").inner_text()

    offered = [o.get_attribute("value") for o in page.locator("#new-status option").all()]
    choice = next(s for s in ("contacted", "scheduled") if s in offered)  # the lead moves on, whatever came first
    page.get_by_label("新状态").select_option(choice)
    page.get_by_label("备注（发生了什么）").fill("已电话联系，约好下周来院做筛选访视。")
    page.get_by_role("button", name="保存状态").click()
    page.wait_for_url("**?changed=1")
    assert page.get_by_role("status").first.inner_text() == "状态已更改。"
    assert page.get_by_test_id("lead-status").inner_text() == texts.text(f"status_{choice}", "zh")
    page.screenshot(path=str(ARTIFACTS / "console-lead-zh.png"), full_page=True)

    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"**/console/leads/{lead_id}")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_test_id("outcome").inner_text() == "May be eligible"
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/console/login")
    page.get_by_label("Username").fill("qian")  # the sign-in page is in the server's default again
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console/leads")
    assert page.locator("html").get_attribute("lang") == "en"  # kept on the user: still English
    page.get_by_role("button", name="中文").click()
    page.wait_for_url("**/console/leads")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.get_by_role("heading", level=1).inner_text() == "报名者列表"
