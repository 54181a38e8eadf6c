"""A person's contact details for a site coordinator, validated before anything is stored."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

#: WeChat IDs: 6-20 characters, a letter first, then letters, digits, "_" or "-".
_WECHAT_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{5,19}$")
MAX_NAME = 80
MAX_TIME = 120


class ContactError(ValueError):
    """A contact detail that cannot be used; ``field`` names which."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        super().__init__(f"{field}: {problem}")


def normalise_phone(raw: str, region: str = "CN") -> str:
    """E.164 form of a phone number; mainland numbers may be written without +86."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise ContactError("phone", "not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ContactError("phone", "not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_wechat_id(raw: str) -> str:
    value = raw.strip()
    if not _WECHAT_ID.match(value):
        raise ContactError("wechat_id", "a WeChat ID has 6 to 20 letters, digits, _ or -, and starts with a letter")
    return value


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str | None = None
    wechat_id: str | None = None
    preferred_time: str | None = None

    @classmethod
    def create(
        cls, name: str, phone: str | None = None, wechat_id: str | None = None, preferred_time: str | None = None
    ) -> Contact:
        """Validate and normalise; at least one of phone and WeChat ID is required."""
        clean_name = " ".join((name or "").split())
        if not clean_name or len(clean_name) > MAX_NAME:
            raise ContactError("name", f"a name of 1 to {MAX_NAME} characters is needed")
        phone_value = normalise_phone(phone) if phone and phone.strip() else None
        wechat_value = normalise_wechat_id(wechat_id) if wechat_id and wechat_id.strip() else None
        if not phone_value and not wechat_value:
            raise ContactError("phone", "a phone number or a WeChat ID is needed")
        time_value = " ".join((preferred_time or "").split()) or None
        if time_value and len(time_value) > MAX_TIME:
            raise ContactError("preferred_time", f"at most {MAX_TIME} characters")
        return cls(name=clean_name, phone=phone_value, wechat_id=wechat_value, preferred_time=time_value)
