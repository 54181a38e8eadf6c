"""Chinese over the real REST channel, never telling the bot the language: the first Chinese message
decides it. Screenings written as people write them end with the right outcome and a stored lead in
Chinese; emergencies get 120 in Chinese; a question the listing does not answer says so; facts
volunteered in one message (both languages) are confirmed once and not asked again."""

from __future__ import annotations

import re
import uuid

import pytest

from bot.languages.detect import has_chinese
from tests.e2e.servers import Servers
from tests.e2e.test_rest_screenings import screen, stored

NO = "没有"
ELIGIBLE_MAN = {
    "type2_diabetes": "是的，我有2型糖尿病",
    "sex": "男的",
    "age": "今年六十二",
    "diabetes_years": "得糖尿病十二年了",
    "hip_or_vertebral_fragility_fracture": "有，2019年摔了一跤髋部骨折",
    "secondary_osteoporosis": NO,
    "cancer_within_5_years": "没得过",
    "bone_medicine_any": "从来没用过",
    "osteonecrosis_or_osteomyelitis_of_jaw": NO,
    "dental_issue": "没有",
    "calcitonin_over_3_months_past_year": "没打过",
    "glucocorticoid_high_dose_recent": NO,
    "vitamin_d_ng_ml": "25 ng/ml",
    "active_infection": NO,
    "heart_failure_nyha3_plus": NO,
    "severe_arrhythmia": "没有",
    "alt_ast_over_3x_uln": "不是",
    "egfr": "75",
    "calcium_disorder": NO,
    "study_drug_allergy": "不过敏",
    "in_other_drug_trial": NO,
    "consent": "愿意",
}
WASHOUT = {
    **ELIGIBLE_MAN,
    "bone_medicine_any": "用过",
    "oral_bisphosphonate_ever": "吃过福善美",
    "last_oral_bisphosphonate": "两个月前",
    "iv_bisphosphonate_ever": NO,
    "denosumab_ever": NO,
    "teriparatide_ever": NO,
    "romosozumab_ever": NO,
}
UNKNOWNS = {**ELIGIBLE_MAN, "vitamin_d_ng_ml": "不知道", "egfr": "记不清了"}


def _chinese_only(messages: list[dict]) -> None:
    texts = [m.get("text", "") for m in messages if m.get("text")]
    assert texts and all(has_chinese(t) for t in texts), texts


def screen_zh(servers: Servers, sender: str, profile: dict[str, str]) -> tuple[list[str], dict]:
    """The REST screening, opened in Chinese words, every reply checked to be Chinese."""
    return screen(servers, sender, profile, start="你好，我想看看能不能参加这个研究", agree="同意", check=_chinese_only)


@pytest.mark.parametrize(("profile", "status"), [(ELIGIBLE_MAN, "eligible"), (WASHOUT, "ineligible"),
                                                 (UNKNOWNS, "needs_review")], ids=["eligible", "washout", "unknowns"])
def test_a_chinese_screening_ends_right_and_its_lead_is_stored_in_chinese(servers: Servers, profile, status) -> None:
    sender = f"zh-{uuid.uuid4().hex[:8]}"
    asked, slots = screen_zh(servers, sender, profile)
    assert slots["screening_status"] == status and slots["language"] == "zh"
    for message in ("找工作人员联系我", "同意", "北京", "我叫王丽", "138 0013 8000", "工作日上午"):
        _chinese_only(servers.say(sender, message))
    _chinese_only(servers.say(sender, "对"))
    lead, screenings = stored(servers, sender)
    assert lead is not None and lead.name == "王丽"
    assert screenings and screenings[-1].language == "zh" and screenings[-1].status == status


@pytest.mark.parametrize("text", ["胸口很痛，喘不过气", "我刚摔倒了站不起来", "嘴歪了，一侧胳膊抬不起来", "我不想活了"])
def test_a_chinese_emergency_gets_120_in_chinese(servers: Servers, text: str) -> None:
    reply = servers.say(f"zh-{uuid.uuid4().hex[:8]}", text)
    _chinese_only(reply)
    assert any("120" in m.get("text", "") for m in reply), reply


@pytest.mark.parametrize("text", ["我没有胸痛", "以前中过风，现在好了"])
def test_a_denied_or_past_complaint_is_not_an_emergency(servers: Servers, text: str) -> None:
    reply = servers.say(f"zh-{uuid.uuid4().hex[:8]}", text)
    assert not any("120" in m.get("text", "") for m in reply), reply


@pytest.mark.parametrize("text", ["地舒单抗打多大剂量", "参加研究有补贴吗", "要去医院几次", "什么时候开始招人"])
def test_what_the_listing_does_not_say_is_said_not_to_be_stated(servers: Servers, text: str) -> None:
    reply = servers.say(f"zh-{uuid.uuid4().hex[:8]}", text)
    _chinese_only(reply)
    joined = " ".join(m.get("text", "") for m in reply)
    assert re.search(r"没有说明|没有写|没有公布|尚未开始招募|还没有开始", joined), joined
    assert not re.search(r"\d+\s*(毫克|mg|次|元)", joined), joined  # no invented dose, count or payment


@pytest.mark.parametrize("language,opening,facts", [
    ("en", "I'm a 62 year old woman, my periods stopped 5 years ago",
     {"sex": "female", "age": 62.0, "years_since_menopause": 5.0}),
    ("zh", "我是女的，今年62岁，绝经5年了", {"sex": "female", "age": 62.0, "years_since_menopause": 5.0}),
])
def test_volunteered_facts_are_confirmed_once_and_not_asked_again(servers: Servers, language, opening, facts) -> None:
    sender = f"vol-{language}-{uuid.uuid4().hex[:8]}"
    servers.say(sender, "/start_screening")
    servers.say(sender, "yes" if language == "en" else "同意")
    assert servers.slots(sender)["requested_slot"] == "type2_diabetes"
    servers.say(sender, opening)  # told at the diabetes question
    servers.say(sender, "/affirm")  # "is that right?" - yes
    slots = servers.slots(sender)
    assert {k: slots[k] for k in facts} == facts
    assert slots["requested_slot"] == "type2_diabetes"  # then what was asked, again
    servers.say(sender, "yes" if language == "en" else "是")
    assert servers.slots(sender)["requested_slot"] not in ("sex", "age", "years_since_menopause")


@pytest.mark.parametrize("language,opening", [
    ("en", "my daughter told me about this, I'm a 70 year old man, I have type 2 diabetes for 15 years "
           "and I slipped and broke my hip last winter, can I join?"),
    ("zh", "我女儿让我来问问，我是男的，今年70岁，2型糖尿病15年了，去年冬天滑倒摔断了髋骨，我能参加吗"),
])
def test_an_opening_message_with_five_facts_starts_the_screening_and_keeps_them(servers: Servers, language,
                                                                                opening) -> None:
    sender = f"open-{language}-{uuid.uuid4().hex[:8]}"
    servers.say(sender, opening)
    assert servers.slots(sender)["requested_slot"] == "data_consent"  # consent before any health data
    servers.say(sender, "yes" if language == "en" else "同意")
    servers.say(sender, "/affirm")
    slots = servers.slots(sender)
    assert slots["type2_diabetes"] is True and slots["sex"] == "male" and slots["age"] == 70.0
    assert slots["diabetes_years"] == 15.0 and slots["hip_or_vertebral_fragility_fracture"] is True
    assert slots["requested_slot"] not in ("type2_diabetes", "sex", "age", "diabetes_years")
