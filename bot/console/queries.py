"""THE query layer for leads: every query takes the acting user and is scoped to their site.

A coordinator asking for another site's lead gets ``LeadNotFoundError``, exactly as for a lead that
does not exist (so the web layer answers 404 and never reveals that it exists).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql import Select

from bot.console import texts
from bot.console.accounts import Actor
from bot.leads.workflow import TRANSITIONS, LeadStatus, TransitionError
from bot.store import leads as store_leads
from bot.store.leads import LeadNotFoundError
from bot.store.models import LEAD_STATUSES, SCREENING_STATUSES, LeadRow, ScreeningRow, SiteRow

SORTS = {
    "created": (LeadRow.created_at, LeadRow.id),
    "-created": (LeadRow.created_at.desc(), LeadRow.id.desc()),
    "updated": (LeadRow.updated_at, LeadRow.id),
    "-updated": (LeadRow.updated_at.desc(), LeadRow.id.desc()),
    "status": (LeadRow.status, LeadRow.created_at.desc(), LeadRow.id),
    "site": (LeadRow.site_code, LeadRow.created_at.desc(), LeadRow.id),
    "name": (LeadRow.name, LeadRow.id),
}
DEFAULT_SORT = "-created"
QUERY_NAMES = ("status", "site", "outcome", "from", "to", "sort", "page", "per_page")
SITE_CODE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 25
MAX_NOTE_CHARS = 2000


class FilterError(ValueError):
    """A filter value the list does not understand (400).

    Carries a translation key and its values, so the page and the API say it in the user's language;
    ``str()`` is the English text (logs, tests).
    """

    def __init__(self, key: str, **values: Any) -> None:
        self.key, self.values = key, values
        super().__init__(texts.text(key, texts.DEFAULT_LANGUAGE, **values))

    def say(self, language: str) -> str:
        return texts.text(self.key, language, **self.values)


class VersionConflictError(RuntimeError):
    """The lead changed since the caller read it (409)."""


class StatusChangeError(TransitionError):
    """The workflow does not allow this change from the lead's current status (409), with what it allows."""

    def __init__(self, current: str, new: str, allowed: list[str]) -> None:
        self.current, self.new, self.allowed = current, new, allowed
        super().__init__(f"cannot go from {current} to {new}; allowed: {', '.join(allowed) or 'none'}")


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    site: str | None = None
    outcome: str | None = None
    created_from: date | None = None
    created_to: date | None = None
    sort: str = DEFAULT_SORT
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @classmethod
    def parse(cls, args: dict[str, str], *, strict: bool = False) -> Filters:
        """From query-string values (first value of each); raises FilterError naming the bad one.

        ``strict`` (the API) refuses a named but empty value; the HTML form sends "" for "any".
        """
        if strict:
            blank = sorted(name for name, value in args.items() if name in QUERY_NAMES and not value.strip())
            if blank:
                raise FilterError("filter_error_empty", name=blank[0])

        def one_of(name: str, allowed: tuple[str, ...] | list[str]) -> str | None:
            value = (args.get(name) or "").strip()
            if not value:
                return None
            if value not in allowed:
                raise FilterError("filter_error_choice", name=name, allowed=", ".join(allowed))
            return value

        def a_date(name: str) -> date | None:
            value = (args.get(name) or "").strip()
            if not value:
                return None
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise FilterError("filter_error_date", name=name) from None

        def a_number(name: str, default: int, low: int, high: int) -> int:
            value = (args.get(name) or "").strip()
            if not value:
                return default
            if not value.isdigit() or not low <= int(value) <= high:
                raise FilterError("filter_error_number", name=name, low=low, high=high)
            return int(value)

        site = (args.get("site") or "").strip() or None
        if site is not None and not SITE_CODE.match(site):
            raise FilterError("filter_error_site", name="site")
        return cls(
            status=one_of("status", LEAD_STATUSES),
            site=site,
            outcome=one_of("outcome", SCREENING_STATUSES),
            created_from=a_date("from"),
            created_to=a_date("to"),
            sort=one_of("sort", list(SORTS)) or DEFAULT_SORT,
            page=a_number("page", 1, 1, 1_000_000),
            per_page=a_number("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
        )

    def query_args(self, **changes: Any) -> dict[str, str]:
        """These filters as query-string values (for links to other pages and the export)."""
        values = {
            "status": self.status, "site": self.site, "outcome": self.outcome,
            "from": self.created_from.isoformat() if self.created_from else None,
            "to": self.created_to.isoformat() if self.created_to else None,
            "sort": self.sort if self.sort != DEFAULT_SORT else None,
            "page": str(self.page) if self.page != 1 else None,
            "per_page": str(self.per_page) if self.per_page != DEFAULT_PER_PAGE else None,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v}

    def audit(self) -> dict[str, Any]:
        """Filter facts for the audit row (no health or contact data)."""
        return {k: v for k, v in self.query_args().items() if k != "per_page"}


@dataclass
class LeadPage:
    leads: list[LeadRow]
    total: int
    #: Leads per status under the same filters except the status filter itself.
    counts: dict[str, int] = field(default_factory=dict)
    filters: Filters = field(default_factory=Filters)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.filters.per_page))


def scoped(actor: Actor) -> Select:
    """Every lead query starts here: a coordinator's is limited to their site."""
    query = select(LeadRow)
    if not actor.is_admin:
        query = query.where(LeadRow.site_code == actor.site_code)
    return query


def _filtered(actor: Actor, filters: Filters, *, with_status: bool = True) -> Select:
    query = scoped(actor).join(ScreeningRow, LeadRow.screening_id == ScreeningRow.id)
    if with_status and filters.status:
        query = query.where(LeadRow.status == filters.status)
    if filters.site:
        query = query.where(LeadRow.site_code == filters.site)
    if filters.outcome:
        query = query.where(ScreeningRow.status == filters.outcome)
    if filters.created_from:
        query = query.where(LeadRow.created_at >= datetime.combine(filters.created_from, time.min, timezone.utc))
    if filters.created_to:
        end = datetime.combine(filters.created_to + timedelta(days=1), time.min, timezone.utc)
        query = query.where(LeadRow.created_at < end)
    return query


def list_leads(session: Session, actor: Actor, filters: Filters, *, paginate: bool = True) -> LeadPage:
    query = _filtered(actor, filters)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ordered = query.order_by(*SORTS[filters.sort])
    if paginate:
        ordered = ordered.limit(filters.per_page).offset((filters.page - 1) * filters.per_page)
    leads = list(session.scalars(ordered).unique())
    per_status = _filtered(actor, filters, with_status=False).with_only_columns(LeadRow.status, func.count())
    counts = {status: 0 for status in LEAD_STATUSES}
    counts.update({status: n for status, n in session.execute(per_status.group_by(LeadRow.status))})
    return LeadPage(leads=leads, total=total, counts=counts, filters=filters)


def get_lead(session: Session, actor: Actor, lead_id: str) -> LeadRow:
    """The lead if this actor may see it; otherwise LeadNotFoundError, as if it did not exist."""
    if not lead_id or len(lead_id) > 36:
        raise LeadNotFoundError(lead_id)
    lead = session.scalars(scoped(actor).where(LeadRow.id == lead_id)).first()
    if lead is None:
        raise LeadNotFoundError(lead_id)
    return lead


def change_status(
    session: Session,
    actor: Actor,
    lead_id: str,
    new_status: str,
    note: str,
    *,
    expected_version: int | None = None,
    source: str | None = None,
) -> LeadRow:
    """Scope check, optimistic version check, then the store's workflow change (note + audit) in one transaction."""
    lead = get_lead(session, actor, lead_id)
    if expected_version is not None and lead.version != expected_version:
        raise VersionConflictError(f"the lead changed (version {lead.version}, not {expected_version}); reload it")
    allowed = next_statuses(lead)
    if new_status not in allowed:  # the store checks again; this one can say it in the user's language
        raise StatusChangeError(lead.status, new_status, allowed)
    try:
        return store_leads.change_status(session, lead.id, new_status, actor=actor.audit_name, note=note, source=source)
    except StaleDataError:
        raise VersionConflictError("the lead was changed by someone else at the same time; reload it") from None


def next_statuses(lead: LeadRow) -> list[str]:
    return sorted(s.value for s in TRANSITIONS[LeadStatus(lead.status)])


def visible_sites(session: Session, actor: Actor) -> list[SiteRow]:
    query = select(SiteRow).order_by(SiteRow.code)
    if not actor.is_admin:
        query = query.where(SiteRow.code == actor.site_code)
    return list(session.scalars(query))
