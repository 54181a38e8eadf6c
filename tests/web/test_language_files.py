"""Every language file of the web page, the WeChat channel and the notification e-mails has every key.

A key missing in any language fails here, before a person meets an English word in a Chinese page
(or a KeyError). The files are read as they are, not through the loaders that would also refuse them.
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.channels.wechat.texts import TEXTS_DIR as WECHAT_TEXTS
from bot.notify.config import TEXTS_DIR as NOTIFY_TEXTS
from bot.web.translations import TRANSLATIONS_DIR
from tests.web.chinese import reads_as_chinese

FAMILIES = {
    "web": (TRANSLATIONS_DIR, "*.json"),
    "wechat": (WECHAT_TEXTS, "*.yml"),
    "notify": (NOTIFY_TEXTS, "*.json"),
}


def read(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def keys(data: dict[str, Any], prefix: str = "") -> set[str]:
    """Every key, nested ones as ``parent.child``."""
    found = set()
    for key, value in data.items():
        found.add(prefix + key)
        if isinstance(value, dict):
            found |= keys(value, f"{prefix}{key}.")
    return found


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("family", FAMILIES)
def test_every_language_has_every_key_of_english(family: str) -> None:
    folder, pattern = FAMILIES[family]
    files = sorted(folder.glob(pattern))
    assert {path.stem for path in files} >= {"en", "zh"}, files
    english = keys(read(folder / f"en{files[0].suffix}"))
    for path in files:
        assert keys(read(path)) == english, (family, path.name, keys(read(path)) ^ english)


@pytest.mark.parametrize("family", ["wechat", "notify"])
def test_chinese_texts_read_as_chinese_and_fill_the_same_fields(family: str) -> None:
    folder, pattern = FAMILIES[family]
    suffix = pattern.removeprefix("*")
    english, chinese = read(folder / f"en{suffix}"), read(folder / f"zh{suffix}")
    for key, value in chinese.items():
        assert fields(value) == fields(english[key]), (family, key)
        words = re.sub(r"\{[a-z_]+\}", "", value)
        if words.strip(" ，。,."):  # a separator alone has no words
            assert reads_as_chinese(words), (family, key, value)


def test_a_missing_key_is_refused_by_the_wechat_loader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.channels.wechat import texts

    (tmp_path / "en.yml").write_text((WECHAT_TEXTS / "en.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "zh.yml").write_text('options_first: "回复 {number} 表示“{title}”"\n', encoding="utf-8")
    monkeypatch.setattr(texts, "TEXTS_DIR", tmp_path)
    texts.languages.cache_clear()
    texts.channel_texts.cache_clear()
    try:
        with pytest.raises(ValueError, match="lacks"):
            texts.channel_texts("zh")
    finally:
        texts.languages.cache_clear()
        texts.channel_texts.cache_clear()


def test_a_missing_key_is_refused_by_the_notify_loader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.notify import config, mail

    (tmp_path / "en.json").write_text((NOTIFY_TEXTS / "en.json").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "zh.json").write_text('{"email_subject": "{site}"}', encoding="utf-8")
    monkeypatch.setattr(mail, "TEXTS_DIR", tmp_path)
    config.languages.cache_clear()
    mail.texts.cache_clear()
    monkeypatch.setattr(config, "TEXTS_DIR", tmp_path)
    try:
        with pytest.raises(ValueError, match="email_body"):
            mail.texts("zh")
    finally:
        config.languages.cache_clear()
        mail.texts.cache_clear()
