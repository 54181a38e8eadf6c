"""Keep the ``sites`` table in step with the sites configuration."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.sites import Site
from bot.store.models import SiteRow


def sync_sites(session: Session, sites: Mapping[str, Site]) -> None:
    """Add or update configured sites; deactivate (never delete) ones no longer configured."""
    rows = {row.code: row for row in session.scalars(select(SiteRow))}
    for code, site in sites.items():
        row = rows.get(code) or SiteRow(code=code)
        row.name_en, row.placeholder, row.active = site.name("en"), site.placeholder, True
        session.add(row)
    for code, row in rows.items():
        if code not in sites:
            row.active = False
