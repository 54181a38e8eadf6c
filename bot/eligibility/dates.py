"""Calendar arithmetic for washout windows."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta


def add_months(start: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's last day (2026-08-31 + 6 = 2027-02-28)."""
    return start + relativedelta(months=months)
