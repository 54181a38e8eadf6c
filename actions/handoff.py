"""Hand a lead to a study site: choose a site, contact details, confirm, then store through the core."""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer_form import AnswerForm, Slots
from actions.common import conversation, database, in_thread, language, latest_intent, screening_state
from bot.eligibility import AnswerError, evaluate, validate
from bot.languages.detect import has_chinese
from bot.leads.contact import Contact, ContactError, normalise_phone, normalise_wechat_id
from bot.screening.parsing import parse_yes_no
from bot.screening.words import lexicon, normalise, without
from bot.sites import Site, load_sites
from bot.store.leads import hand_off

logger = logging.getLogger(__name__)
HANDOFF_SLOTS = ("handoff_site", "handoff_name", "handoff_contact", "handoff_time", "handoff_confirm")
WECHAT_PREFIX = "wechat:"


def find_site(text: str) -> Site | None:
    """The site a person names, in any of its names or its code ("huaian", "Huai'an", "淮安").

    When several are named, the last one counts: "not Beijing, I meant Kunshan" is Kunshan.
    """
    clean = normalise(text).replace("'", "").replace(" ", "")
    best: tuple[int, Site] | None = None
    for site in load_sites().values():
        names = {site.code, *(n.lower().replace("'", "").replace(" ", "") for n in site.names.values())}
        position = max((clean.rfind(name) for name in names if name), default=-1)
        if position >= 0 and (best is None or position > best[0]):
            best = (position, site)
    return best[1] if best else None


def read_contact(text: str, language_code: str = "en") -> str | None:
    """A phone number (E.164) or ``wechat:<id>``, from what the person typed; None if neither."""
    lex = lexicon(language_code)
    digits = re.sub(r"[^\d+]", "", text)
    if len(re.sub(r"\D", "", digits)) >= 7:
        try:
            return normalise_phone(digits)
        except ContactError:
            return None
    candidate = without(text.strip().lower(), lex.phrases("wechat_prefixes")).strip(" :")
    original = next((w for w in text.replace(":", " ").split() if w.lower() == candidate), candidate)
    try:
        return WECHAT_PREFIX + normalise_wechat_id(original)
    except ContactError:
        return None


def contact_parts(value: str) -> dict[str, str | None]:
    if value.startswith(WECHAT_PREFIX):
        return {"phone": None, "wechat_id": value[len(WECHAT_PREFIX) :]}
    return {"phone": value, "wechat_id": None}


class ValidateHandoffForm(AnswerForm):
    consent_slot = "contact_consent"
    consent_given_response = "handoff_intro"

    async def validate_contact_consent(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        return self.consent(v, d, t)

    def name(self) -> str:
        return "validate_handoff_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if tracker.get_slot("contact_consent") is False:
            return []
        return domain_slots

    def ask(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        if slot != "handoff_confirm":
            return super().ask(slot, dispatcher, tracker)
        # The confirmation shows the site's name in the person's language and the contact as typed.
        site = load_sites().get(tracker.get_slot("handoff_site") or "")
        dispatcher.utter_message(
            response="ask_handoff_confirm",
            site=site.name(language(tracker)) if site else "",
            name=tracker.get_slot("handoff_name") or "",
            contact=str(tracker.get_slot("handoff_contact") or "").removeprefix(WECHAT_PREFIX),
            time=tracker.get_slot("handoff_time") or "",
        )
        return None

    async def validate_handoff_site(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        site = find_site(str(v or ""))
        if site is None:
            d.utter_message(response="reask_handoff_site")
            return {"handoff_site": None}
        return {"handoff_site": site.code}

    async def validate_handoff_name(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        text = str(v or "").strip()
        lowered = text.lower()
        for prefix in sorted(lexicon(language(t)).phrases("name_prefixes"), key=len, reverse=True):
            # "my name is Li Wei"; Chinese needs no space: "我叫王丽".
            if lowered.startswith(prefix + " ") or (has_chinese(prefix) and lowered.startswith(prefix)):
                text = text[len(prefix) :].strip(" ，,：:")
                break
        try:
            return {"handoff_name": Contact.create(name=text, phone="13800138000").name}
        except ContactError:
            d.utter_message(response="reask_handoff_name")
            return {"handoff_name": None}

    async def validate_handoff_contact(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        # A value read earlier ("wechat:li_wei88", "+8613800138000") reads back to itself.
        contact = read_contact(str(v or "").removeprefix(WECHAT_PREFIX), language(t))
        if contact is None:
            d.utter_message(response="reask_handoff_contact")
        return {"handoff_contact": contact}

    async def validate_handoff_time(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        text = " ".join(str(v or "").split())[:120]
        return {"handoff_time": text or None}

    async def validate_handoff_confirm(self, v: Any, d: CollectingDispatcher, t: Tracker, _: DomainDict) -> Slots:
        if isinstance(v, bool):
            return {"handoff_confirm": v}
        parsed = parse_yes_no(str(v or ""), language(t), latest_intent(t))
        if parsed.value is None:
            d.utter_message(response="reask_yes_no")
        return {"handoff_confirm": parsed.value}


class ActionSubmitHandoff(Action):
    """Store the screening and the lead in one transaction; a second hand-off updates the lead."""

    def name(self) -> str:
        return "action_submit_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reset = [SlotSet(slot, None) for slot in ("handoff_confirm",)]
        if tracker.get_slot("contact_consent") is False:
            dispatcher.utter_message(response="handoff_no_consent")
            return [SlotSet(slot, None) for slot in HANDOFF_SLOTS]
        if tracker.get_slot("handoff_confirm") is not True:
            dispatcher.utter_message(response="utter_handoff_cancelled")
            return reset
        lang = language(tracker)
        state = screening_state(tracker)
        try:
            answers = validate(
                {**{k: v for k, v in state.answers.items() if v is not None}, "as_of": date.today().isoformat()}
            )
            contact = Contact.create(
                name=tracker.get_slot("handoff_name") or "",
                preferred_time=tracker.get_slot("handoff_time"),
                **contact_parts(tracker.get_slot("handoff_contact") or ""),
            )
        except (AnswerError, ContactError) as exc:
            # Field name only: the value may be health or contact data.
            logger.error("hand-off details failed validation on field %s", exc.field)
            dispatcher.utter_message(response="technical_problem")
            return reset
        evaluation = evaluate(answers, language=lang)
        site_code = tracker.get_slot("handoff_site")
        where = conversation(tracker)

        def store() -> tuple[str, bool]:
            with database().transaction() as session:
                result = hand_off(
                    session,
                    conversation=where,
                    answers=answers,
                    evaluation=evaluation,
                    contact=contact,
                    site_code=site_code,
                    source=f"channel:{where.channel}",
                )
                return result.lead.id, result.created

        try:
            lead_id, created = await in_thread(store)
        except Exception:
            logger.exception("storing the lead failed")
            dispatcher.utter_message(response="technical_problem")
            return reset
        site = load_sites()[site_code]
        dispatcher.utter_message(response="handoff_stored" if created else "handoff_updated", site=site.name(lang))
        if site.placeholder or not site.phone:
            dispatcher.utter_message(response="site_contact_placeholder")
        else:
            dispatcher.utter_message(response="site_contact", phone=site.phone)
        return [*reset, SlotSet("lead_id", lead_id)]
