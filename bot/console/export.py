"""CSV export of a lead list, safe to open in a spreadsheet.

A cell starting with = + - @ (or tab / carriage return) is read as a formula by Excel and LibreOffice;
such values get a leading apostrophe (OWASP's advice), so "+86 138..." exports as "'+86 138...".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from bot.store.models import LeadRow

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (
    "id", "created_at", "site", "status", "screening_outcome", "eligible_from", "protocol_version",
    "name", "phone", "wechat_id", "preferred_time", "screening_id", "screening_language",
)


def neutralise(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _utc(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).isoformat(timespec="seconds")


def lead_values(lead: LeadRow) -> dict[str, Any]:
    screening = lead.screening
    return {
        "id": lead.id,
        "created_at": _utc(lead.created_at),
        "site": lead.site_code,
        "status": lead.status,
        "screening_outcome": screening.status if screening else "",
        "eligible_from": screening.eligible_from.isoformat() if screening and screening.eligible_from else "",
        "protocol_version": screening.protocol_version if screening else "",
        "name": lead.name,
        "phone": lead.phone,
        "wechat_id": lead.wechat_id,
        "preferred_time": lead.preferred_time,
        "screening_id": lead.screening_id,
        "screening_language": screening.language if screening else "",
    }


def to_csv(leads: Iterable[LeadRow], headers: Mapping[str, str]) -> str:
    """The header row (translated labels) and one row per lead, every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(headers.get(column, column)) for column in COLUMNS])
    for lead in leads:
        values = lead_values(lead)
        writer.writerow([neutralise(values[column]) for column in COLUMNS])
    return out.getvalue()
