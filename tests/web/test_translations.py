"""Every user-facing string of the page comes from the translations; a new language is a new file."""

from __future__ import annotations

import json
import re

from bot.web import translations
from bot.web.app import TEMPLATE, render_page


def test_every_placeholder_of_the_page_has_a_string_in_every_language() -> None:
    keys = set(re.findall(r"\{\{\s*([a-z0-9_]+)\s*\}\}", TEMPLATE.read_text(encoding="utf-8"))) - {"lang"}
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


def test_the_page_has_no_inline_script_or_style_and_no_remote_asset() -> None:
    page = render_page("en")
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/chat.js" defer>']
    assert "<style" not in page and not re.search(r"\s(style|on[a-z]+)\s*=", page)
    assert "http://" not in page and "https://" not in page and "//" not in page.replace("<!--", "")
