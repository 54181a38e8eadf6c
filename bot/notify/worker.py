"""The outbox worker: claim due notifications, deliver each, mark it sent; back off and retry failures.

Claiming leases a row (bot/store/outbox.py) so several workers never send the same row at once, and a
worker killed between sending and marking re-sends that row once after the lease (receivers dedupe
by notification id). Retries never stop while a channel is configured; a site with no channel has its
rows marked "not_configured".
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone

from bot.notify import mail, webhook
from bot.notify.config import NotifyConfigError, NotifySettings
from bot.notify.webhook import DeliveryError
from bot.sites import SitesError, load_sites
from bot.store import outbox
from bot.store.db import Database
from bot.store.models import NotificationRow, SiteRow

logger = logging.getLogger(__name__)
DELIVERED, NOT_CONFIGURED = "delivered", "not_configured"


def _aware_iso(value: datetime) -> str:
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).isoformat()


def site_name(code: str, stored: str | None, language: str) -> str:
    """The site's name in the e-mail's language (sites.yml), else the stored English name, else its code."""
    try:
        site = load_sites().get(code)
    except SitesError:
        site = None
    return site.name(language) if site else stored or code


def deliver(row: NotificationRow, site_name: str, settings: NotifySettings) -> str:
    """Send one notification; returns its outcome or raises DeliveryError / NotifyConfigError."""
    console_url = f"{settings.console_base_url}/console/leads/{row.lead_id}"
    if row.channel == "webhook":
        target = settings.webhook(row.site_code)
        if target is None:
            return NOT_CONFIGURED
        payload = {
            "notification_id": row.id,
            "kind": row.kind,
            "lead_id": row.lead_id,
            "site": row.site_code,
            "created_at": _aware_iso(row.created_at),
            "console_url": console_url,
        }
        webhook.send(target[0], target[1], row.id, payload, settings.timeout)
        return DELIVERED
    recipients = settings.email_to(row.site_code)
    if not recipients:
        return NOT_CONFIGURED
    if settings.smtp is None:
        raise NotifyConfigError(f"NOTIFY_EMAIL_TO_{row.site_code.upper()} is set but SMTP_HOST is not")
    message = mail.message(settings.smtp, recipients, row.id, site_name, console_url, settings.language)
    mail.send(settings.smtp, message, settings.timeout)
    return DELIVERED


def run_once(database: Database, settings: NotifySettings, batch: int = 10) -> int:
    """Deliver what is due now; returns how many rows were handled (delivered, skipped or failed)."""
    with database.transaction() as session:
        ids = outbox.claim_due(session, lease=timedelta(seconds=settings.lease), limit=batch)
    for notification_id in ids:
        with database.transaction() as session:
            row = session.get(NotificationRow, notification_id)
            if row is None:  # the lead was forgotten meanwhile
                continue
            site = session.get(SiteRow, row.site_code)
            session.expunge(row)
        try:
            name = site_name(row.site_code, site.name_en if site else None, settings.language)
            outcome = deliver(row, name, settings)
        except (DeliveryError, NotifyConfigError) as exc:
            retry_in = outbox.backoff(row.attempts, settings.retry_base, settings.retry_cap)
            logger.warning("notification %s (%s) failed, attempt %d; retry in %s: %s",
                           row.id, row.channel, row.attempts, retry_in, exc)
            with database.transaction() as session:
                outbox.mark_failed(session, notification_id, str(exc), retry_in)
            continue
        with database.transaction() as session:
            outbox.mark_done(session, notification_id, outcome)
        logger.info("notification %s (%s) %s", row.id, row.channel, outcome)
    return len(ids)


def run_forever(database: Database, settings: NotifySettings) -> None:
    while True:
        try:
            handled = run_once(database, settings)
        except Exception:  # a database outage must not end the worker; the rows wait in the outbox
            logger.exception("outbox pass failed; trying again")
            handled = 0
        if not handled:
            time.sleep(settings.poll)
