"""The Chinese criterion explanations (zh.yml) mirror the English ones (en.yml) key for key.

A key missing in one language would make the engine show nothing (or the loader fail) for that
result, and a placeholder lost in translation would leave ``{clears_on}`` unfilled or the date
missing. The loader falls back to en.yml when a language file is absent, so the tests also make
sure the Chinese file is really the one read.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from bot.eligibility import load_protocol
from bot.eligibility.protocol import Protocol

#: How the engine's caller is to write a clearing date in Chinese.
CHINESE_DATE = "2027年2月28日"
HAN = re.compile(r"[\u4e00-\u9fff]")

KeyPath = tuple[str, ...]


def leaves(tree: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, Any]]:
    """Every (key path, value) of a nested mapping, so a difference is caught at any depth."""
    if isinstance(tree, Mapping):
        for key, value in tree.items():
            yield from leaves(value, (*path, str(key)))
    else:
        yield path, tree


def mapping_paths(tree: Any, path: KeyPath = ()) -> Iterator[KeyPath]:
    """Every key path, inner mappings included (a mapping in one file may be a text in the other)."""
    if isinstance(tree, Mapping):
        for key, value in tree.items():
            yield (*path, str(key))
            yield from mapping_paths(value, (*path, str(key)))


def placeholders(text: str) -> list[str]:
    """The ``{name}`` fields of a text, in order; malformed braces raise ValueError."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


@pytest.fixture(scope="module")
def protocol() -> Protocol:
    return load_protocol("2025-07-22")


@pytest.fixture(scope="module")
def en(protocol: Protocol) -> Mapping[str, Any]:
    return protocol.explanations("en")


@pytest.fixture(scope="module")
def zh(protocol: Protocol) -> Mapping[str, Any]:
    # Through the loader: it also checks that every text each criterion can need is there.
    return protocol.explanations("zh")


def test_the_chinese_file_exists_and_is_the_one_loaded(protocol: Protocol, zh: Mapping[str, Any]) -> None:
    assert (protocol.directory / "explanations" / "zh.yml").is_file()
    for path, text in leaves(zh):
        assert isinstance(text, str) and HAN.search(text), f"{'.'.join(path)} is not Chinese: {text!r}"


def test_same_keys_at_every_level(en: Mapping[str, Any], zh: Mapping[str, Any]) -> None:
    en_paths, zh_paths = set(mapping_paths(en)), set(mapping_paths(zh))
    assert sorted(en_paths - zh_paths) == [], "missing in zh.yml"
    assert sorted(zh_paths - en_paths) == [], "not in en.yml"


def test_every_criterion_is_explained(protocol: Protocol, zh: Mapping[str, Any]) -> None:
    assert set(zh) == {c.id for c in protocol.criteria}


def test_same_placeholders_in_every_text(en: Mapping[str, Any], zh: Mapping[str, Any]) -> None:
    en_texts = dict(leaves(en))
    for path, text in leaves(zh):
        assert placeholders(text) == placeholders(en_texts[path]), ".".join(path)


def test_texts_with_a_date_take_a_chinese_date(zh: Mapping[str, Any]) -> None:
    dated = [(path, text) for path, text in leaves(zh) if placeholders(text)]
    assert dated, "the washout failures carry {clears_on}"
    for path, text in dated:
        filled = text.format(clears_on=CHINESE_DATE)
        assert CHINESE_DATE in filled and "{" not in filled, ".".join(path)
