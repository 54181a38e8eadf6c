"""Sites come from configuration; the listed four by default, all marked as placeholders."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.sites import SitesError, load_sites


def test_default_sites_are_the_four_listed_places() -> None:
    sites = load_sites()
    assert [s.name("en") for s in sites.values()] == ["Beijing", "Jiangxi", "Huai'an", "Kunshan"]
    assert all(s.placeholder for s in sites.values())
    # The listing's printed contact belongs to another institute: it must not appear.
    text = Path("bot/sites/sites.yml").read_text(encoding="utf-8")
    assert "Cobb" not in text and "NIAID" not in text


def test_sites_file_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sites.yml"
    path.write_text("sites:\n  - code: beijing\n    name: {en: Beijing}\n    contact: {phone: '+86 10 0000 0000'}\n")
    monkeypatch.setenv("SITES_FILE", str(path))
    sites = load_sites()
    assert list(sites) == ["beijing"] and sites["beijing"].phone == "+86 10 0000 0000"
    assert not sites["beijing"].placeholder


@pytest.mark.parametrize(
    "content", ["sites: []", "sites:\n  - code: Bad Code\n    name: {en: X}", "sites:\n  - code: x\n    name: {}", "{{"]
)
def test_bad_sites_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str) -> None:
    path = tmp_path / "sites.yml"
    path.write_text(content)
    monkeypatch.setenv("SITES_FILE", str(path))
    with pytest.raises(SitesError):
        load_sites()
