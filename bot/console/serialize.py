"""Leads, notes, transcripts and audit rows as JSON-ready dicts (the API's shapes, see openapi.json).

Codes are returned as stored; texts for people (criterion titles, question labels) come in the
requesting user's language next to them.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from bot.console import labels
from bot.console.queries import next_statuses
from bot.console.render import Words
from bot.console.transcript import Line
from bot.store.models import AuditRow, LeadNoteRow, LeadRow


def _when(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat()


def lead_summary(lead: LeadRow) -> dict[str, Any]:
    screening = lead.screening
    return {
        "id": lead.id,
        "site": lead.site_code,
        "status": lead.status,
        "name": lead.name,
        "created_at": _when(lead.created_at),
        "updated_at": _when(lead.updated_at),
        "screening_id": lead.screening_id,
        "screening_outcome": screening.status,
        "screening_language": screening.language,  # the conversation's language, not the coordinator's
        "version": lead.version,
    }


def note(row: LeadNoteRow) -> dict[str, Any]:
    return {
        "at": _when(row.created_at),
        "author": row.author,
        "from_status": row.from_status,
        "to_status": row.to_status,
        "text": row.text,
    }


def line(row: Line) -> dict[str, Any]:
    return {"speaker": row.speaker, "text": row.text, "at": _when(row.at)}


def lead_detail(lead: LeadRow, transcript: list[Line], words: Words) -> dict[str, Any]:
    screening = lead.screening
    titles = labels.criterion_titles(screening.protocol_version, words.language)
    answers = dict(screening.answers or {})
    return {
        **lead_summary(lead),
        "contact": {
            "name": lead.name,
            "phone": lead.phone,
            "wechat_id": lead.wechat_id,
            "preferred_time": lead.preferred_time,
        },
        "screening": {
            "id": screening.id,
            "outcome": screening.status,
            "protocol_version": screening.protocol_version,
            "as_of": _when(screening.as_of),
            "eligible_from": _when(screening.eligible_from),
            "criteria": [
                {"id": str(c.get("id")), "title": titles.get(str(c.get("id")), ""), "result": str(c.get("result")),
                 "explanation": str(c.get("explanation", ""))}
                for c in screening.result or []
            ],
            "answers": answers,
            "answer_labels": {name: labels.field_label(words, name) for name in answers},
        },
        "allowed_statuses": next_statuses(lead),
        "notes": [note(n) for n in lead.notes],
        "transcript": [line(t) for t in transcript],
    }


def audit_entry(row: AuditRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "at": _when(row.at),
        "actor": row.actor,
        "action": row.action,
        "entity_type": row.entity_type,
        "entity_id": row.entity_id,
        "source": row.source,
        "detail": row.detail or {},
    }
