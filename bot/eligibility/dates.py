"""Calendar arithmetic for washout windows."""

from __future__ import annotations

import functools
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta


@functools.lru_cache(maxsize=4096)  # relativedelta is slow, and a screening asks for the same few dates
def add_months(start: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's last day (2026-08-31 + 6 = 2027-02-28)."""
    return start + relativedelta(months=months)


def add_weeks(start: date, weeks: int) -> date:
    """Same weekday ``weeks`` later: 7 days a week, no calendar clamping."""
    return start + timedelta(weeks=weeks)
