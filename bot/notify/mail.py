"""The e-mail for a new lead: who it is for and a console link only (no personal or health data).

Written in NOTIFY_LANGUAGE (default zh: the sites' coordinators read Chinese), from
``texts/<language>.json``; every language file has the keys of the English one.
"""

from __future__ import annotations

import functools
import json
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from bot.notify.config import TEXTS_DIR, Smtp, languages
from bot.notify.webhook import DeliveryError

REFERENCE_LANGUAGE = "en"


@functools.cache
def texts(language: str = REFERENCE_LANGUAGE) -> dict[str, str]:
    """One language's texts; a file lacking one of the English keys fails here, not in a half-written mail."""
    if language not in languages():
        raise KeyError(language)
    strings = json.loads((TEXTS_DIR / f"{language}.json").read_text(encoding="utf-8"))
    if language != REFERENCE_LANGUAGE:
        missing = set(texts(REFERENCE_LANGUAGE)) - set(strings)
        if missing:
            raise ValueError(f"notify texts/{language}.json lacks {sorted(missing)}")
    return strings


def message(
    smtp: Smtp, to: list[str], notification_id: str, site: str, console_url: str, language: str = REFERENCE_LANGUAGE
) -> EmailMessage:
    strings = texts(language)
    mail = EmailMessage()
    mail["From"] = smtp.sender
    mail["To"] = ", ".join(to)
    mail["Subject"] = strings["email_subject"].format(site=site)
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(idstring=notification_id.replace("-", ""))
    mail["X-Notification-Id"] = notification_id
    mail.set_content(strings["email_body"].format(site=site, console_url=console_url, notification_id=notification_id))
    return mail


def send(smtp: Smtp, mail: EmailMessage, timeout: float) -> None:
    try:
        if smtp.ssl:
            client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=timeout,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=timeout)
        with client:
            if smtp.starttls and not smtp.ssl:
                client.starttls(context=ssl.create_default_context())
            if smtp.user:
                client.login(smtp.user, smtp.password or "")
            client.send_message(mail)
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"SMTP delivery failed: {type(exc).__name__}: {exc}") from None
