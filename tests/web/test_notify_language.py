"""The new-lead e-mail's language: NOTIFY_LANGUAGE, Chinese by default (the sites' coordinators read it).

(Here with the other language tests; the outbox worker's delivery tests are tests/console/test_outbox.py.)
"""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from bot.notify import mail, worker
from bot.notify.config import NotifyConfigError, NotifySettings, Smtp

LINK = "https://console.example.org/console/leads/L1"


def test_the_default_is_chinese_and_english_can_be_chosen() -> None:
    assert NotifySettings.from_env({}).language == "zh"
    assert NotifySettings.from_env({"NOTIFY_LANGUAGE": "en"}).language == "en"
    assert NotifySettings.from_env({"NOTIFY_LANGUAGE": " ZH "}).language == "zh"
    with pytest.raises(NotifyConfigError, match="NOTIFY_LANGUAGE"):
        NotifySettings.from_env({"NOTIFY_LANGUAGE": "fr"})


def test_a_chinese_mail_names_the_site_in_chinese_and_survives_the_wire() -> None:
    name = worker.site_name("beijing", "Beijing", "zh")
    assert name == "北京"
    sent = mail.message(Smtp(host="smtp.example.org"), ["crc@example.org"], "n-1", name, LINK, "zh")
    received = message_from_bytes(sent.as_bytes(), policy=policy.default)  # as the coordinator's client reads it
    assert received["Subject"] == "北京研究中心有一位新的潜在受试者（预筛查助手）"
    body = received.get_content()
    assert LINK in body and "通知编号：n-1" in body and "研究协调员" in body
    assert received.get_content_charset() == "utf-8"


def test_an_english_mail_and_the_names_fallbacks() -> None:
    sent = mail.message(Smtp(host="h"), ["a@example.org"], "n-2", worker.site_name("kunshan", None, "en"), LINK)
    assert sent["Subject"] == "New lead for Kunshan (pre-screening assistant)"
    assert worker.site_name("nowhere", "Nowhere", "zh") == "Nowhere"  # not in sites.yml: the stored name
    assert worker.site_name("nowhere", None, "zh") == "nowhere"
