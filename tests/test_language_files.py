"""Every language file has every key, in every part of the assistant: a text missing in Chinese (or in
English) fails here, not in front of a patient. (The web page, WeChat, e-mail and console files have
their own parity tests beside their code; this covers the domain and the screening's data.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.languages.detect import LANGUAGES, has_chinese

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"{(\w+)}")


def _responses() -> dict[str, list[dict]]:
    responses = dict(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"])
    for path in (ROOT / "data" / "responses").glob("*.yml"):
        responses.update(yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {})
    return responses


def _language(variation: dict) -> str:
    stated = [c["value"] for c in variation.get("condition") or [] if c.get("name") == "language"]
    return stated[0] if stated else "en"


def test_every_response_has_one_variation_per_language_with_the_same_placeholders_and_buttons() -> None:
    problems = []
    for name, variations in _responses().items():
        by_language: dict[str, list[dict]] = {}
        for variation in variations:
            by_language.setdefault(_language(variation), []).append(variation)
        if sorted(by_language) != sorted(LANGUAGES):
            problems.append(f"{name}: languages {sorted(by_language)}")
            continue
        english, chinese = by_language["en"][0], by_language["zh"][0]
        if set(PLACEHOLDER.findall(english.get("text", ""))) != set(PLACEHOLDER.findall(chinese.get("text", ""))):
            problems.append(f"{name}: placeholders differ")
        if not has_chinese(chinese.get("text", "")):
            problems.append(f"{name}: the zh variation is not written in Chinese")
        slash = [b["payload"] for b in english.get("buttons") or [] if b["payload"].startswith("/")]
        if slash != [b["payload"] for b in chinese.get("buttons") or [] if b["payload"].startswith("/")]:
            problems.append(f"{name}: button payloads differ")
    assert problems == []


def _keys(value: object, depth: int, prefix: str = "") -> set[str]:
    """Keys down to ``depth`` levels ("groups.sex"): below that, each language may say it its own way
    (English cue words, Chinese patterns)."""
    here = {prefix.rstrip(".")} if prefix else set()
    if isinstance(value, dict) and depth > 0:
        return here | {k for key, inner in value.items() for k in _keys(inner, depth - 1, f"{prefix}{key}.")}
    return here


@pytest.mark.parametrize("folder", ["bot/screening/lexicon", "bot/screening/topics", "bot/screening/volunteered"])
def test_the_screenings_word_files_have_the_same_keys_in_every_language(folder: str) -> None:
    files = {path.stem: yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
             for path in (ROOT / folder).glob("*.yml")}
    assert sorted(files) == sorted(LANGUAGES)
    depth = 2 if folder.endswith("volunteered") else 1
    english, chinese = _keys(files["en"], depth), _keys(files["zh"], depth)
    assert sorted(english - chinese) == []  # the Chinese file may hold more (Chinese-only words), never less


def test_the_criterion_explanations_exist_in_every_language() -> None:
    for protocol in (ROOT / "bot" / "eligibility" / "protocols").iterdir():
        assert sorted(p.stem for p in (protocol / "explanations").glob("*.yml")) == sorted(LANGUAGES), protocol
