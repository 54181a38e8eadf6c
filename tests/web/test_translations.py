"""Every user-facing string of the page comes from the translations; a new language is a new file."""

from __future__ import annotations

import json
import re

import pytest

from bot.web import translations
from bot.web.app import TEMPLATE, render_page
from tests.web.chinese import reads_as_chinese

#: Placeholders the app fills itself (the language's code, the language buttons), not from a file.
GENERATED = {"language", "languages"}


def test_every_placeholder_of_the_page_has_a_string_in_every_language() -> None:
    keys = set(re.findall(r"\{\{\s*([a-z0-9_]+)\s*\}\}", TEMPLATE.read_text(encoding="utf-8"))) - GENERATED
    for language in translations.available():
        strings = translations.load(language)
        assert keys <= set(strings), (language, keys - set(strings))
        assert "{{" not in render_page(language)


def test_the_script_uses_only_keys_that_exist() -> None:
    script = (TEMPLATE.parent.parent / "static" / "chat.js").read_text(encoding="utf-8")
    used = set(re.findall(r"\bS\.([a-z0-9_]+)", script))
    assert used and used <= set(translations.load("en"))


def test_strings_are_escaped_into_the_page(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(translations, "TRANSLATIONS_DIR", tmp_path)
    strings = {**translations.load("en"), "intro_heading": "<script>alert(1)</script>"}
    translations.load.cache_clear()
    translations.available.cache_clear()
    try:
        (tmp_path / "en.json").write_text(json.dumps(strings), encoding="utf-8")
        page = render_page("en")
    finally:
        translations.load.cache_clear()
        translations.available.cache_clear()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_negotiation_falls_back_to_english() -> None:
    assert translations.negotiate(None, None) == "en"
    assert translations.negotiate("xx", "fr-FR,fr;q=0.9") == "en"
    assert translations.negotiate(None, "en-GB,en;q=0.8") == "en"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("zh-CN", "zh"),
        ("zh-Hans", "zh"),
        ("zh-Hans-CN", "zh"),
        ("zh-TW", "zh"),
        ("zh", "zh"),
        ("ZH-cn", "zh"),
        ("zh_CN", "zh"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("en;q=0.5, zh;q=0.9", "zh"),  # q-values, not the order in the header, decide
        ("zh;q=0.1, en", "en"),  # no q means 1
        ("fr-FR, fr;q=0.9, zh-CN;q=0.5, en;q=0.4", "zh"),  # the first one we have
        ("de, zh;q=0", "en"),  # q=0: "not this one"
        ("zh;q=abc, en;q=0.2", "en"),  # an unreadable weight drops that entry
        ("zh;q=1.5", "en"),  # and so does one out of range
        ("*", "en"),
        ("i-klingon, x-pig-latin", "en"),
        (" ,;, zh ;q=0.7 ", "zh"),
        (",".join(["fr"] * 400) + ",zh", "en"),  # only the first 1000 characters are read
    ],
)
def test_accept_language_with_q_values(accept: str, expected: str) -> None:
    assert translations.negotiate(None, accept) == expected


def test_the_persons_choice_beats_the_browser() -> None:
    assert translations.negotiate(None, "en-GB", chosen="zh") == "zh"
    assert translations.negotiate("en", "zh-CN", chosen="zh") == "en"  # ?lang= in the address is a choice too
    assert translations.negotiate(None, "zh-CN", chosen="klingon") == "zh"  # a forged cookie counts for nothing
    assert translations.negotiate("zh-Hans", None) == "zh"


def test_every_string_of_the_page_can_be_switched_in_place() -> None:
    """Each placeholder sits in an element the script re-renders (data-i18n, or data-i18n-label)."""
    template = TEMPLATE.read_text(encoding="utf-8")
    keys = set(re.findall(r"\{\{\s*([a-z0-9_]+)\s*\}\}", template)) - GENERATED - {"html_lang", "dir"}
    marked = set(re.findall(r'data-i18n(?:-label)?="([a-z0-9_]+)"', template))
    assert keys == marked, keys ^ marked
    for key in marked:  # and the element holds exactly that string
        text = f'data-i18n="{key}">{{{{{key}}}}}<'
        label = f'aria-label="{{{{{key}}}}}" data-i18n-label="{key}"'
        assert text in template or label in template, key


def test_the_chinese_page() -> None:
    page = render_page("zh")
    assert '<html lang="zh-Hans" dir="ltr" data-language="zh">' in page
    assert 'aria-pressed="true">中文</button>' in page and 'lang="en" aria-pressed="false">English</button>' in page
    strings = translations.load("zh")
    for term in ("地舒单抗", "阿仑膦酸钠", "2型糖尿病"):  # the glossary's terms (shared/GLOSSARY-zh.md)
        assert term in strings["intro_trial"], term
    assert strings["payloads"]["/affirm"] == "是" and strings["progress_other"].count("{n}") == 1


def test_chinese_strings_read_as_chinese() -> None:
    """No English left behind in zh.json, and the same {placeholders} as English."""
    english, chinese = translations.load("en"), translations.load("zh")
    own = {"language_name", "html_lang", "dir"}
    for key, value in chinese.items():
        if key in own or key == "payloads":
            continue
        assert reads_as_chinese(value), (key, value)
        assert re.findall(r"\{[a-z]+\}", value) == re.findall(r"\{[a-z]+\}", english[key]), key
    for payload, label in chinese["payloads"].items():
        assert payload.startswith("/switch_language") or reads_as_chinese(label), payload


def test_the_page_has_no_inline_script_or_style_and_no_remote_asset() -> None:
    page = render_page("en")
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/chat.js" defer>']
    assert "<style" not in page and not re.search(r"\s(style|on[a-z]+)\s*=", page)
    assert "http://" not in page and "https://" not in page and "//" not in page.replace("<!--", "")
