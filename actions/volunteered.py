"""Facts a person volunteers beyond the open question, confirmed in one message and then taken.

"I'm a 62 year old woman, my periods stopped 5 years ago" typed at the diabetes question answers
three other questions. The facts are said back together ("You also told me: woman, 62, periods
stopped 5 years ago. Is that right?") and taken only after a yes; a no keeps nothing, and the
questions are asked one by one. A fact never replaces an answer the person already gave, and the
questions behind the open one (its gate's dates, its follow-ups) are left to the open question's
own reading, which says them back on its own.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker

from actions.common import language, read_value
from bot.screening.parsing import INFERRED, Parsed
from bot.screening.questions import load_questions, question
from bot.screening.volunteered import read_volunteered, summary

#: The key of a pending proposal (``screening_pending``) that holds volunteered facts...
FACTS = "facts"
#: ...and the names of those worked out rather than read.
INFERRED_FACTS = "inferred"


def related(name: str) -> set[str]:
    """The open question, the fields its answer opens, and every follow-up asked after it."""
    found = {name, *question(name).opens}
    grew = True
    while grew:
        grew = False
        for q in load_questions():
            if q.after in found and q.name not in found:
                found.update({q.name, *q.opens})
                grew = True
    return found


#: Fields that tell one fact between them: "diabetic for 20 years" (type and duration), "Fosamax until
#: March" (any bone medicine, tablets, their last dose).
SAME_FACT = ({"type2_diabetes", "diabetes_years"}, "bone_medicine_any")


def distinct(facts: dict[str, Parsed]) -> int:
    """How many separate things the facts tell (``SAME_FACT``)."""
    diabetes, medicines = SAME_FACT
    groups = {"diabetes" if n in diabetes else "medicine" if n in related(medicines) else n for n in facts}
    return len(groups)


def answered(tracker: Tracker) -> set[str]:
    return {q.name for q in load_questions() if tracker.get_slot(q.name) is not None}


def facts_in(text: str, open_question: str | None, tracker: Tracker) -> dict[str, Parsed]:
    """The facts ``text`` volunteers for questions still unanswered, besides the open question's own."""
    skip = answered(tracker) | (related(open_question) if open_question else set())
    found = read_volunteered(
        text,
        as_of=date.today(),
        language=language(tracker),
        age=read_value("age", tracker.get_slot("age")),
        skip=skip,
    )
    return {name: parsed for name, parsed in found.items() if parsed.value is not None}


def proposal(open_question: str, facts: dict[str, Parsed], own: Parsed | None = None) -> dict[str, Any]:
    """A pending proposal: the open question stays open; ``facts`` (with the open question's own
    clear reading first, when the same message gave one) wait for one yes. Readings worked out
    rather than read ("diabetes" taken as type 2) keep their mark, so the summary says so."""
    readings = dict(facts)
    if own is not None and own.understood and not own.dont_know and not own.confirm and own.value is not None:
        readings = {open_question: own, **readings}
    return {
        "field": open_question,
        FACTS: {name: parsed.value for name, parsed in readings.items()},
        INFERRED_FACTS: [name for name, parsed in readings.items() if parsed.confirm],
    }


def said_back(pending: dict[str, Any], tracker: Tracker) -> dict[str, str]:
    """The confirmation's variables: the facts as a short list in the conversation's language."""
    inferred = set(pending.get(INFERRED_FACTS) or [])
    facts = {
        name: Parsed(value, confirm=INFERRED if name in inferred else None) for name, value in pending[FACTS].items()
    }
    return {"facts": summary(facts, language(tracker))}


def opening_message(tracker: Tracker) -> str:
    """The words that started the screening ("... I broke my wrist last winter, can I join?"): the
    person's message right before the form's latest activation; "" for a button."""
    activated = False
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == "screening_form":
            activated = True
        elif activated and event.get("event") == "user":
            text = str(event.get("text") or "")
            return "" if text.startswith("/") else text
    return ""
