"""Study sites: configuration, not code, because contacts come from the sponsor and change."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_SITES_FILE = Path(__file__).with_name("sites.yml")
_CODE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


class SitesError(ValueError):
    """The sites file is missing or malformed."""


@dataclass(frozen=True)
class Site:
    code: str
    names: Mapping[str, str]
    phone: str | None
    email: str | None
    #: True until the sponsor supplies real contact details.
    placeholder: bool

    def name(self, language: str = "en") -> str:
        return self.names.get(language) or self.names["en"]


def sites_file() -> Path:
    return Path(os.environ.get("SITES_FILE") or DEFAULT_SITES_FILE)


def _parse(path: Path) -> dict[str, Site]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SitesError(f"cannot read sites file {path}: {exc}") from None
    sites: dict[str, Site] = {}
    for item in (data or {}).get("sites", []):
        code = str(item.get("code", ""))
        if not _CODE.match(code) or code in sites:
            raise SitesError(f"{path}: bad or repeated site code {code!r}")
        names = item.get("name") or {}
        if not isinstance(names, dict) or "en" not in names:
            raise SitesError(f"{path}: site {code} needs a name with at least 'en'")
        contact = item.get("contact") or {}
        sites[code] = Site(
            code=code,
            names={str(k): str(v) for k, v in names.items()},
            phone=contact.get("phone"),
            email=contact.get("email"),
            placeholder=bool(item.get("placeholder", False)),
        )
    if not sites:
        raise SitesError(f"{path}: no sites")
    return sites


@functools.lru_cache(maxsize=8)
def _load(path: Path, mtime: float) -> dict[str, Site]:
    return _parse(path)


def load_sites() -> dict[str, Site]:
    """Sites by code, in file order (re-read when the file changes)."""
    path = sites_file()
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise SitesError(f"cannot read sites file {path}: {exc}") from None
    return _load(path, mtime)
