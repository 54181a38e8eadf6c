"""Contact validation (mainland phone formats, WeChat IDs) and the lead status workflow."""

from __future__ import annotations

import pytest

from bot.leads.contact import Contact, ContactError
from bot.leads.workflow import TRANSITIONS, LeadStatus, TransitionError, check_transition


@pytest.mark.parametrize(
    "raw",
    ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "008613800138000", "+8613800138000"],
)
def test_mainland_mobile_formats(raw: str) -> None:
    assert Contact.create("Li", phone=raw).phone == "+8613800138000"


def test_landline_with_area_code() -> None:
    assert Contact.create("Li", phone="010-6915 6114").phone == "+861069156114"


@pytest.mark.parametrize("raw", ["12345", "1380013800", "abc", "23800138000", "+86 138 0013 80000"])
def test_bad_phone_numbers(raw: str) -> None:
    with pytest.raises(ContactError) as error:
        Contact.create("Li", phone=raw)
    assert error.value.field == "phone"


def test_wechat_id_instead_of_phone() -> None:
    c = Contact.create("  Zhang   Wei ", wechat_id="zhang_wei88", preferred_time=" after 6pm ")
    assert (c.name, c.phone, c.wechat_id, c.preferred_time) == ("Zhang Wei", None, "zhang_wei88", "after 6pm")


@pytest.mark.parametrize("raw", ["88zhang", "ab", "has space1", "x" * 21])
def test_bad_wechat_ids(raw: str) -> None:
    with pytest.raises(ContactError) as error:
        Contact.create("Li", wechat_id=raw)
    assert error.value.field == "wechat_id"


def test_contact_needs_a_way_to_reach_and_a_name() -> None:
    with pytest.raises(ContactError, match="phone number or a WeChat ID"):
        Contact.create("Li")
    with pytest.raises(ContactError) as error:
        Contact.create("   ", phone="13800138000")
    assert error.value.field == "name"


def test_every_allowed_transition_passes_and_every_other_fails() -> None:
    for source in LeadStatus:
        for target in LeadStatus:
            if target in TRANSITIONS[source]:
                assert check_transition(source.value, target.value) is target
            else:
                with pytest.raises(TransitionError):
                    check_transition(source.value, target.value)


def test_main_path_and_final_states() -> None:
    path = ["new", "contacted", "scheduled", "enrolled"]
    for a, b in zip(path, path[1:], strict=False):
        check_transition(a, b)
    for final in ("not_eligible", "withdrawn"):
        assert TRANSITIONS[LeadStatus(final)] == frozenset()
    with pytest.raises(TransitionError, match="unknown status"):
        check_transition("new", "done")
