"""The console in Chinese and English: complete language files, a question label for every screening field,
the language switch kept per user, the lead page and the API in the user's language, and the default
(CONSOLE_LANGUAGE, Chinese when unset) for users who never chose.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.console import accounts, labels, texts
from bot.console.render import Words
from bot.console.settings import ConsoleConfigError, ConsoleSettings
from bot.eligibility.fields import FIELDS
from bot.eligibility.protocol import load_protocol
from bot.screening.questions import load_questions
from bot.store.db import Database
from bot.store.leads import hand_off
from bot.store.models import AuditRow, ConsoleUserRow
from tests.console.conftest import Seeded
from tests.console.harness import PASSWORD, Client, Console, seed_user
from tests.store.helpers import contact, conversation, screened

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = texts.available()
PROTOCOL = "2025-07-22"
#: Audit actions recorded from f-strings (bot/console/login.py), which a scan of literals cannot see.
FORMED_ACTIONS = {f"{what}_{how}" for what in ("console.login", "api.token") for how in ("failed", "locked")}


# --- the language files (no server) -------------------------------------------------------------------------


def test_the_console_speaks_chinese_and_english() -> None:
    assert set(LANGUAGES) >= {"zh", "en"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_file_has_every_key_of_english_with_the_same_placeholders(language: str) -> None:
    reference = json.loads((texts.TRANSLATIONS_DIR / "en.json").read_text(encoding="utf-8"))
    strings = json.loads((texts.TRANSLATIONS_DIR / f"{language}.json").read_text(encoding="utf-8"))
    assert texts.mismatches(language, strings, reference) == []
    assert texts.load(language) == strings  # and loading it is accepted


def test_a_missing_or_changed_key_is_caught() -> None:
    reference = texts.load("en")
    broken = {k: v for k, v in texts.load("zh").items() if k != "logout"}
    broken["summary"] = "共 {total} 位"  # lost {page} and {pages}
    problems = texts.mismatches("zh", broken, reference)
    assert "translations/zh.json: missing logout" in problems
    assert "translations/zh.json: placeholders of summary differ" in problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screening_question_has_a_label_in_every_language(language: str) -> None:
    """Answer fields and gates of questions.yml, and every stored answer field (as_of too)."""
    strings = texts.load(language)
    names = {q.name for q in load_questions()} | set(FIELDS)
    missing = sorted(name for name in names if not strings.get(f"field.{name}", "").strip())
    assert missing == [], f"{language}.json lacks field labels: {missing}"
    labelled = {key.removeprefix("field.") for key in strings if key.startswith("field.")}
    assert labelled - names == set(), "labels for fields that no longer exist"


def test_chinese_labels_are_the_questions_in_chinese() -> None:
    zh, en = Words("zh"), Words("en")
    assert labels.field_label(zh, "type2_diabetes") == "是否确诊2型糖尿病"
    assert labels.field_label(en, "type2_diabetes") == "Type 2 diabetes"
    # Glossary terms (/work/shared/GLOSSARY-zh.md), exactly.
    assert "地舒单抗" in labels.field_label(zh, "last_denosumab")
    assert "阿仑膦酸钠" in labels.field_label(zh, "study_drug_allergy")
    assert "知情同意书" in labels.field_label(zh, "consent")
    assert "估算肾小球滤过率（eGFR" in labels.field_label(zh, "egfr")
    assert labels.answer_value(zh, True) == "是" and labels.answer_value(zh, "female") == "女"
    assert labels.answer_value(zh, "never") == "从未使用" and labels.answer_value(zh, 62) == "62"


def _recorded_actions() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        found |= set(re.findall(r'"((?:console|api|leads|lead|person|audit)\.[a-z_]+)"', path.read_text("utf-8")))
    return {a for a in found if not a.endswith((".html", ".css", ".id"))} | FORMED_ACTIONS


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_audit_action_has_a_label(language: str) -> None:
    actions = _recorded_actions()
    assert "lead.status_changed" in actions and "console.language_changed" in actions
    assert sorted(a for a in actions if f"audit.{a}" not in texts.load(language)) == []


@pytest.mark.parametrize("language", [*LANGUAGES, "fr"])
def test_criterion_titles_fall_back_to_english_per_criterion(language: str) -> None:
    """zh.yml of the protocol may be missing or half-written: every criterion still has a title."""
    ids = [c.id for c in load_protocol(PROTOCOL).criteria]
    english = labels.criterion_titles(PROTOCOL, "en")
    titles = labels.criterion_titles(PROTOCOL, language)
    assert english["I1"] == "Type 2 diabetes"
    assert all(titles.get(cid, "").strip() for cid in ids)
    if language == "fr":
        assert titles == english
    assert labels.criterion_titles("../../etc", language) == {}  # a stored version is never a path


def test_console_language_setting_defaults_to_chinese() -> None:
    assert ConsoleSettings.from_env({}).language == "zh"
    assert ConsoleSettings.from_env({"CONSOLE_LANGUAGE": "en"}).language == "en"
    with pytest.raises(ConsoleConfigError):
        ConsoleSettings.from_env({"CONSOLE_LANGUAGE": "fr"})


# --- through the real HTTP stack ------------------------------------------------------------------------------


def _signed_in(console: Console, username: str, language: str | None = None) -> Client:
    client = console.client()
    page = client.get("/console/login" + (f"?lang={language}" if language else ""))
    fields = {"csrf_token": client.csrf_from(page), "username": username, "password": PASSWORD}
    if language:
        fields["language"] = language
    reply = client.form("/console/login", fields)
    assert reply.status == 303, reply.text[:300]
    return client


def _switch(client: Client, language: str, next_page: str = "/console/leads") -> tuple[int, str | None]:
    token = client.csrf_from(client.get("/console/leads"))
    reply = client.form("/console/language", {"csrf_token": token, "language": language, "next": next_page})
    return reply.status, reply.header("Location")


def _stored_language(database: Database, username: str) -> str | None:
    with database.transaction() as session:
        return session.scalars(select(ConsoleUserRow.language).where(ConsoleUserRow.username == username)).one()


def _user_with_language(
    database: Database, username: str, language: str, role: str = "coordinator", site: str | None = "beijing"
) -> None:
    with database.transaction() as session:
        accounts.create_user(session, username, role, site, PASSWORD, language)


def _html_lang(page: str) -> str:
    found = re.search(r'<html lang="([^"]+)">', page)
    assert found
    return found.group(1)


@pytest.fixture(scope="module")
def chinese_lead(seeded: Seeded) -> str:
    """A Beijing lead from a conversation held in Chinese (the screening stores the conversation's language)."""
    validated, evaluation = screened(sex="female", age=66, years_since_menopause=15)
    evaluation = dataclasses.replace(evaluation, language="zh")
    with seeded.database.transaction() as session:
        result = hand_off(session, conversation=conversation("conv-zh-1"), answers=validated, evaluation=evaluation,
                          contact=contact(name="王秀英"), site_code="beijing", source="test")
        assert result.lead.screening.language == "zh"
        return result.lead.id


@pytest.fixture(scope="module")
def default_console(seeded: Seeded) -> Iterator[Console]:
    """A second server on the same database with CONSOLE_LANGUAGE unset: the built-in default (Chinese)."""
    console = Console(workdir=seeded.console.workdir, database_url=seeded.console.database_url,
                      tracker_url=seeded.console.tracker_url, env_extra={"CONSOLE_LANGUAGE": ""})
    console.start()
    try:
        yield console
    finally:
        console.stop()


def test_the_switch_is_kept_per_user_across_sign_ins(seeded: Seeded) -> None:
    seed_user(seeded.database, "zhou", "coordinator", "beijing")
    client = _signed_in(seeded.console, "zhou")
    english = client.get("/console/leads").text
    assert _html_lang(english) == "en" and ">Leads</h1>" in english and "English" in english and "中文" in english
    assert _stored_language(seeded.database, "zhou") is None  # not chosen yet: the console's default

    assert _switch(client, "zh", "/console/leads?sort=name") == (303, "/console/leads?sort=name")
    chinese = client.get("/console/leads").text
    assert _html_lang(chinese) == "zh-CN" and "<h1>报名者列表</h1>" in chinese and "退出登录" in chinese
    assert 'value="zh" lang="zh-CN" aria-pressed="true"' in chinese
    assert _stored_language(seeded.database, "zhou") == "zh"

    again = _signed_in(seeded.console, "zhou")  # another browser, a new session: the same language
    assert _html_lang(again.get("/console/leads").text) == "zh-CN"
    assert _html_lang(_signed_in(seeded.console, "bj").get("/console/leads").text) == "en"  # others keep theirs

    assert _switch(again, "en") == (303, "/console/leads")
    assert _html_lang(client.get("/console/leads").text) == "en"  # the first session follows: it is on the user
    with seeded.database.transaction() as session:
        changes = [r.detail for r in session.scalars(select(AuditRow).where(
            AuditRow.action == "console.language_changed", AuditRow.actor == "console:zhou").order_by(AuditRow.id))]
    assert [(c["from"], c["to"]) for c in changes] == [(None, "zh"), ("zh", "en")]


def test_the_switch_needs_csrf_a_known_language_and_a_console_address(seeded: Seeded) -> None:
    seed_user(seeded.database, "wu", "coordinator", "beijing")
    client = _signed_in(seeded.console, "wu")
    forged = client.form("/console/language", {"csrf_token": "forged", "language": "zh", "next": "/console/leads"})
    assert forged.status == 403 and _stored_language(seeded.database, "wu") is None
    assert _switch(client, "fr")[0] == 400 and _stored_language(seeded.database, "wu") is None
    for elsewhere in ("https://evil.example/", "//evil.example/console/", "/console/../healthz", "/consolex"):
        assert _switch(client, "zh", elsewhere) == (303, "/console/leads"), elsewhere


def test_the_lead_page_in_chinese_labels_answers_by_question(seeded: Seeded, chinese_lead: str) -> None:
    seed_user(seeded.database, "sun", "coordinator", "beijing")
    client = _signed_in(seeded.console, "sun")
    _switch(client, "zh")
    page = client.get(f"/console/leads/{chinese_lead}").text
    assert _html_lang(page) == "zh-CN" and "<title>报名者 · 研究协调员工作台</title>" in page
    # Answers: the question in Chinese, the value in Chinese; the field name only as a data attribute.
    assert '<tr data-field="type2_diabetes"><th scope="row">是否确诊2型糖尿病</th><td>是</td></tr>' in page
    assert '<tr data-field="sex"><th scope="row">性别</th><td>女</td></tr>' in page
    assert '<th scope="row">type2_diabetes</th>' not in page
    # Criterion titles in the coordinator's language (English where the protocol's zh.yml lacks one).
    titles = labels.criterion_titles(PROTOCOL, "zh")
    for cid in ("I1", "I2", "E1"):
        assert f'<span class="criterion-id">{cid}</span> {titles[cid]}</th>' in page
    assert page.count('<tr class="result-') == 18
    # The conversation's language, in the coordinator's words; statuses and outcome in Chinese.
    assert '<dt>语言</dt><dd data-testid="screening-language">中文</dd>' in page
    assert '<dd data-testid="lead-status">新报名</dd>' in page and '<dd data-testid="outcome">需要复核</dd>' in page
    assert ">北京<" in page and "保存状态" in page and "返回报名者列表" in page
    listing = client.get("/console/leads?per_page=200").text
    row = re.search(rf'<tr><td>[^<]*</td><td><a href="/console/leads/{chinese_lead}">.*?</tr>', listing)
    assert row and "<td>中文</td>" in row.group(0) and "<th scope=\"col\">语言</th>" in listing
    english_row = re.search(rf'<a href="/console/leads/{seeded.beijing_lead}">.*?</tr>', listing)
    assert english_row and "<td>英文</td>" in english_row.group(0)  # that person screened in English


def test_the_same_lead_in_english(seeded: Seeded, chinese_lead: str) -> None:
    page = _signed_in(seeded.console, "bj").get(f"/console/leads/{chinese_lead}").text
    assert '<tr data-field="type2_diabetes"><th scope="row">Type 2 diabetes</th><td>yes</td></tr>' in page
    assert '<dd data-testid="screening-language">Chinese</dd>' in page and _html_lang(page) == "en"


def test_chinese_errors_and_csv_headers(seeded: Seeded) -> None:
    seed_user(seeded.database, "qian", "coordinator", "beijing")
    client = _signed_in(seeded.console, "qian")
    _switch(client, "zh")
    bad = client.get("/console/leads?status=bogus")
    assert bad.status == 400 and "无法使用该筛选条件：status 只能是以下之一" in bad.text
    csv_text = client.get("/console/leads.csv").text
    assert csv_text.splitlines()[0].startswith("报名者编号,创建时间,研究中心,状态,预筛结果")
    token = client.csrf_from(client.get("/console/leads"))
    refused = client.form(f"/console/leads/{seeded.beijing_lead}/status",
                          {"csrf_token": token, "status": "enrolled", "note": "x"})
    assert refused.status == 409 and "当前状态不能改为这个状态。" in refused.text


def test_the_api_speaks_the_token_users_language(seeded: Seeded, chinese_lead: str) -> None:
    seed_user(seeded.database, "li", "coordinator", "beijing")
    _switch(_signed_in(seeded.console, "li"), "zh")
    api = seeded.console.client()
    token = api.token("li")
    bad = api.get("/api/leads?status=bogus", token).json()
    assert bad["reason"] == "bad_filter" and bad["error"].startswith("筛选条件有误：status 只能是以下之一")
    refused = api.send_json("PATCH", f"/api/leads/{seeded.beijing_lead}", {"status": "enrolled", "note": "x"}, token)
    assert refused.status == 409 and refused.json()["error"].startswith("不能从 ")
    detail = api.get(f"/api/leads/{chinese_lead}", token).json()
    assert detail["screening_language"] == "zh" and detail["status"] == "new"  # codes never change
    assert detail["screening"]["answer_labels"]["type2_diabetes"] == "是否确诊2型糖尿病"
    assert detail["screening"]["criteria"][0]["title"] == labels.criterion_titles(PROTOCOL, "zh")["I1"]
    english = api.get(f"/api/leads/{chinese_lead}", api.token("bj")).json()
    assert english["screening"]["answer_labels"]["type2_diabetes"] == "Type 2 diabetes"
    assert api.get("/api/leads").json()["error"] == texts.text("api_unauthorized", "en")  # before sign-in: default


def test_users_who_never_chose_get_the_default_and_the_sign_in_page_choice_sticks(
    seeded: Seeded, default_console: Console
) -> None:
    login = default_console.client().get("/console/login").text
    assert _html_lang(login) == "zh-CN" and "<h1>登录</h1>" in login and 'href="/console/login?lang=en"' in login
    assert _html_lang(default_console.client().get("/console/login?lang=en").text) == "en"
    seed_user(seeded.database, "zheng", "coordinator", "beijing")
    assert _html_lang(_signed_in(default_console, "zheng").get("/console/leads").text) == "zh-CN"
    assert _stored_language(seeded.database, "zheng") is None
    # A user who chose English (here when created: create-user --language en) keeps it on this server.
    _user_with_language(seeded.database, "wang", "en")
    assert _html_lang(_signed_in(default_console, "wang").get("/console/leads").text) == "en"
    # Picking English on the sign-in page becomes the choice of a user who had none (only theirs).
    seed_user(seeded.database, "feng", "coordinator", "beijing")
    assert _html_lang(_signed_in(default_console, "feng", "en").get("/console/leads").text) == "en"
    assert _stored_language(seeded.database, "feng") == "en"
    assert _html_lang(_signed_in(default_console, "feng").get("/console/leads").text) == "en"
    _user_with_language(seeded.database, "chen", "zh")
    _signed_in(default_console, "chen", "en")  # chen had chosen zh: the sign-in page does not overrule it
    assert _stored_language(seeded.database, "chen") == "zh"
    unauthenticated = default_console.client().get("/api/leads").json()
    assert unauthenticated["reason"] == "unauthorized" and "令牌" in unauthenticated["error"]


def test_the_audit_log_in_chinese_names_each_action_and_keeps_its_code(seeded: Seeded) -> None:
    _user_with_language(seeded.database, "zhao-admin-zh", "zh", "admin", None)
    page = _signed_in(seeded.console, "zhao-admin-zh").get("/console/audit").text
    assert "<h1>审计日志</h1>" in page and '<td>登录 <code class="code">console.login</code></td>' in page
    assert "<td>账号 " in page  # the record's type in words, then its id
