"""Facts a person volunteers in one message, in English and Chinese: what must be read, and what must not.

Each message is one a patient could really send (short lists, long rambling ones, facts about someone
else, plans, questions). Each case names every field the message must fill, with its value, and the
fields a careless reader would fill that must stay empty; every other field must stay empty too.
Expected values come from the rules (questions.yml, the brief), not from running the code.
Dates are read against a fixed screening date, never against today.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from bot.screening.parsing import INFERRED, Parsed
from bot.screening.questions import load_questions
from bot.screening.volunteered import read_volunteered, summary

AS_OF = date(2026, 12, 1)
FIELDS = [q.name for q in load_questions()]
MEDICINE_GATES = ("oral_bisphosphonate_ever", "iv_bisphosphonate_ever", "denosumab_ever", "teriparatide_ever",
                  "romosozumab_ever")
LAST_DOSES = ("last_oral_bisphosphonate", "last_iv_bisphosphonate", "last_denosumab", "last_teriparatide",
              "last_romosozumab")
FRACTURES = ("hip_or_vertebral_fragility_fracture", "other_fragility_fracture")


@dataclass(frozen=True)
class Inferred:
    """A value proposed to confirm ("diabetes" with no type is type 2 only if the person says so)."""

    value: Any


@dataclass(frozen=True)
class Case:
    text: str
    #: Every field the message fills, with its value (``Inferred`` when it must be confirmed).
    read: dict[str, Any]
    #: Fields a careless reader would fill from these words; they must stay empty.
    not_read: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.text[:60]


ENGLISH = [
    Case("I'm a 62 year old woman, my periods stopped 5 years ago",
         {"sex": "female", "age": 62, "years_since_menopause": 5},
         ("type2_diabetes", "diabetes_years")),
    Case("my daughter told me about this, I have sugar diabetes for a long time and broke my wrist last winter, "
         "can I join?",
         {"type2_diabetes": Inferred(True)},
         ("diabetes_years", *FRACTURES, "sex")),
    Case("Hello, I am a 68-year-old woman with type 2 diabetes for 15 years and my periods stopped when I was 50.",
         {"sex": "female", "age": 68, "type2_diabetes": True, "diabetes_years": 15, "years_since_menopause": 18}),
    Case("Female, 70, type 2 diabetic since 2009, went through the change at 52",
         {"sex": "female", "age": 70, "type2_diabetes": True, "diabetes_years": 17, "years_since_menopause": 18}),
    Case("I'm 71 and a man. I was diagnosed with type 2 diabetes twelve years ago. I slipped on the ice two winters "
         "ago and broke my wrist.",
         {"age": 71, "sex": "male", "type2_diabetes": True, "diabetes_years": 12, "other_fragility_fracture": True},
         ("hip_or_vertebral_fragility_fracture",)),
    Case("I took Fosamax for 3 years, stopped last March. Never had Prolia.",
         {"oral_bisphosphonate_ever": True, "last_oral_bisphosphonate": "2026-03-31", "bone_medicine_any": True,
          "denosumab_ever": False},
         ("last_denosumab",)),
    Case("I have type 1 diabetes, since I was a child",
         {"type2_diabetes": False},
         ("diabetes_years",)),
    Case("I fell off a ladder and broke my hip in 2020, I'm 66",
         {"age": 66},
         FRACTURES),
    Case("I tripped over the cat and fractured my hip last year",
         {"hip_or_vertebral_fragility_fracture": True},
         ("other_fragility_fracture",)),
    Case("my husband has diabetes and broke his hip when he slipped, I'm the one asking, I'm 58 and female",
         {"age": 58, "sex": "female"},
         ("type2_diabetes", *FRACTURES)),
    Case("I've had diabetes since I was 45, I'm 66 now",
         {"type2_diabetes": Inferred(True), "age": 66, "diabetes_years": 21}),
    Case("I had prolia injections, the last one in June 2025",
         {"denosumab_ever": True, "last_denosumab": "2025-06-30", "bone_medicine_any": True}),
    Case("I started fosamax in 2020 and I'm still on it",
         {"oral_bisphosphonate_ever": True, "bone_medicine_any": True},
         ("last_oral_bisphosphonate",)),
    Case("The doctor offered me Prolia but I didn't take it",
         {},
         ("denosumab_ever", "bone_medicine_any", "last_denosumab")),
    Case("I was born in 1956, I'm a woman, no diabetes",
         {"age": Inferred(70), "sex": "female", "type2_diabetes": False}),
    Case("Sixty-two years old, woman, menopause 10 years ago, diabetes 8 years",
         {"age": 62, "sex": "female", "years_since_menopause": 10, "type2_diabetes": Inferred(True),
          "diabetes_years": 8}),
    Case("I never took fosamax or prolia",
         {"oral_bisphosphonate_ever": False},
         ("bone_medicine_any", "denosumab_ever")),
    Case("I took fosamax then prolia, the last shot was in May",
         {"oral_bisphosphonate_ever": True, "denosumab_ever": True, "last_denosumab": "2026-05-31",
          "bone_medicine_any": True},
         ("last_oral_bisphosphonate",)),
    Case("I am 67. Type 2 diabetes. Menopause at 49. Fractured a vertebra lifting a box in 2022.",
         {"age": 67, "type2_diabetes": True, "years_since_menopause": 18, "hip_or_vertebral_fragility_fracture": True},
         ("diabetes_years", "other_fragility_fracture")),
    Case("Hi, my name is Mary, I'm seventy three, I've had type two diabetes for twenty years, no fractures that I "
         "know of, I take calcium and vitamin D and my doctor wants me to start Prolia",
         {"age": 73, "type2_diabetes": True, "diabetes_years": 20},
         ("denosumab_ever", "bone_medicine_any", *FRACTURES)),
    Case("I'm 59 and I've been a diabetic for 9 years, I broke my ankle when I fell down the stairs",
         {"age": 59, "type2_diabetes": Inferred(True), "diabetes_years": 9},
         FRACTURES),
    Case("I have gestational diabetes",
         {},
         ("type2_diabetes", "diabetes_years")),
    Case("a man at the clinic told me about this study, I'm 58",
         {"age": 58},
         ("sex",)),
    Case("Well, where do I start. I'm 64, retired teacher. Diabetes type 2, diagnosed 2011. My periods stopped around "
         "2012. Two years ago I slipped in the bathroom and cracked two ribs. Before that I was on alendronate for "
         "about 5 years, I stopped it in 2021. I've never had any injections for my bones. Is it in Beijing?",
         {"age": 64, "type2_diabetes": True, "diabetes_years": 15, "years_since_menopause": 14,
          "other_fragility_fracture": True, "oral_bisphosphonate_ever": True, "last_oral_bisphosphonate": "2021-12-31",
          "bone_medicine_any": True},
         ("hip_or_vertebral_fragility_fracture", "denosumab_ever", "sex")),
    Case("I am a 75 year old man, no diabetes, but I broke my hip 3 years ago when I lost my balance in the garden",
         {"sex": "male", "age": 75, "type2_diabetes": False, "hip_or_vertebral_fragility_fracture": True},
         ("other_fragility_fracture", "diabetes_years")),
    Case("I'm not diabetic, my sister is",
         {"type2_diabetes": False}),
    Case("I think I have type 2 diabetes",
         {},
         ("type2_diabetes",)),
    Case("I had a zoledronic acid drip in 2023 and an Evenity course that ended 8 months ago",
         {"iv_bisphosphonate_ever": True, "last_iv_bisphosphonate": "2023-12-31", "romosozumab_ever": True,
          "last_romosozumab": "2026-04-01", "bone_medicine_any": True}),
    Case("my wife is 60 years old and she broke her wrist tripping on a kerb",
         {},
         ("age", "other_fragility_fracture")),
    Case("I used Forteo injections every day for 2 years, finished in January",
         {"teriparatide_ever": True, "last_teriparatide": "2026-01-31", "bone_medicine_any": True}),
    Case("Yes I'm 61, periods stopped 3 years ago, type 2 for 11 years",
         {"age": 61, "years_since_menopause": 3, "type2_diabetes": True, "diabetes_years": 11}),
    Case("I broke my wrist back in 2019, no idea how, and I've been on prolia since",
         {"denosumab_ever": True, "bone_medicine_any": True},
         (*FRACTURES, "last_denosumab")),
    Case("Diabetes runs in my family, I'm allergic to fosamax, female 62",
         {"sex": "female", "age": 62},
         ("type2_diabetes", "oral_bisphosphonate_ever", "bone_medicine_any")),
    Case("I took fosamax, last year I had a stroke",
         {"oral_bisphosphonate_ever": True, "bone_medicine_any": True},
         ("last_oral_bisphosphonate",)),
    Case("I have had no periods since 2016, I'm 58 and I've never had any bone medicines",
         {"years_since_menopause": 10, "age": 58, "bone_medicine_any": False},
         MEDICINE_GATES),
    Case("my husband has diabetes, 70 years old",
         {},
         ("age", "type2_diabetes")),
    Case("I cracked a vertebra last year, I didn't fall, it was from bending down",
         {"hip_or_vertebral_fragility_fracture": True},
         ("other_fragility_fracture",)),
    Case("menopause at 50, now 63",
         {"age": 63, "years_since_menopause": 13}),
    Case("May 2020 was my last Prolia injection, I'd had it for 4 years",
         {"denosumab_ever": True, "last_denosumab": "2020-05-31", "bone_medicine_any": True}),
]

CHINESE = [
    Case("我是女的，今年六十二，绝经五年了，糖尿病十几年了",
         {"sex": "female", "age": 62, "years_since_menopause": 5, "type2_diabetes": Inferred(True),
          "diabetes_years": 10.5}),
    Case("62岁女性，2型糖尿病12年，绝经10年",
         {"age": 62, "sex": "female", "type2_diabetes": True, "diabetes_years": 12, "years_since_menopause": 10}),
    Case("我今年70岁了，男的，糖尿病有二十年了",
         {"age": 70, "sex": "male", "type2_diabetes": Inferred(True), "diabetes_years": 20}),
    Case("我今年68，是2型糖尿病，2010年查出来的",
         {"age": 68, "type2_diabetes": True, "diabetes_years": 16}),
    Case("去年冬天在家里滑倒了，右手腕骨折",
         {"other_fragility_fracture": True},
         ("hip_or_vertebral_fragility_fracture",)),
    Case("前年骑电动车摔了，把髋部摔断了",
         {},
         FRACTURES),
    Case("我没有糖尿病",
         {"type2_diabetes": False},
         ("diabetes_years",)),
    Case("我是1型糖尿病",
         {"type2_diabetes": False},
         ("diabetes_years",)),
    Case("吃过三年福善美，去年三月停的",
         {"oral_bisphosphonate_ever": True, "last_oral_bisphosphonate": "2025-03-31", "bone_medicine_any": True}),
    Case("没吃过福善美，也没打过普罗力",
         {"oral_bisphosphonate_ever": False, "denosumab_ever": False},
         ("bone_medicine_any", "last_oral_bisphosphonate", "last_denosumab")),
    Case("我老伴有糖尿病，他去年摔断了腿",
         {},
         ("type2_diabetes", *FRACTURES)),
    Case("打过两年普罗力，最后一针是今年五月",
         {"denosumab_ever": True, "last_denosumab": "2026-05-31", "bone_medicine_any": True}),
    Case("医生建议我打密固达，还没打",
         {},
         ("iv_bisphosphonate_ever", "bone_medicine_any")),
    Case("您好，我是个退休老师，今年66岁，2型糖尿病十五年了，50岁绝经的，腰椎压缩性骨折过，是弯腰搬东西的时候弄的",
         {"age": 66, "type2_diabetes": True, "diabetes_years": 15, "years_since_menopause": 16,
          "hip_or_vertebral_fragility_fracture": True},
         ("sex", "other_fragility_fracture")),
    Case("我62岁，还没绝经",
         {"age": 62},
         ("years_since_menopause",)),
    Case("女，71岁，糖尿病很多年了，记不清几年",
         {"sex": "female", "age": 71, "type2_diabetes": Inferred(True)},
         ("diabetes_years",)),
    Case("我是男的，58岁，血糖高有六年了",
         {"sex": "male", "age": 58, "type2_diabetes": Inferred(True), "diabetes_years": 6}),
    Case("我妈让我问问，我自己是女的，1960年出生",
         {"sex": "female", "age": Inferred(66)}),
    Case("我今年65岁，吃过阿仑膦酸钠，2019年到2021年",
         {"age": 65, "oral_bisphosphonate_ever": True, "bone_medicine_any": True},
         ("last_oral_bisphosphonate",)),
    Case("从2020年开始吃福善美，一直吃到现在",
         {"oral_bisphosphonate_ever": True, "bone_medicine_any": True},
         ("last_oral_bisphosphonate",)),
    Case("糖尿病十年了，是2型",
         {"type2_diabetes": True, "diabetes_years": 10}),
    Case("我是2型糖尿病患者，今年59岁，女，绝经8年",
         {"type2_diabetes": True, "age": 59, "sex": "female", "years_since_menopause": 8},
         ("diabetes_years",)),
    Case("我72岁了，三年前在卫生间摔了一跤，髋骨骨折，做了手术",
         {"age": 72, "hip_or_vertebral_fragility_fracture": True},
         ("other_fragility_fracture",)),
    Case("糖尿病二十多年了，打过一年的地舒单抗，半年前停的",
         {"type2_diabetes": Inferred(True), "diabetes_years": 20.5, "denosumab_ever": True,
          "last_denosumab": "2026-06-01", "bone_medicine_any": True}),
    Case("我没用过任何治骨质疏松的药",
         {"bone_medicine_any": False},
         MEDICINE_GATES),
    Case("我是个62岁的老太太",
         {"sex": "female", "age": 62}),
    Case("我爱人是男的，我是女的，今年58",
         {"sex": "female", "age": 58}),
    Case("医生您好，我在网上看到你们这个研究。我今年六十七，女的，五十一岁绝经。糖尿病是2009年查出来的，2型，"
         "一直在吃二甲双胍。去年冬天出门买菜滑了一跤，左手腕骨折了。以前吃过两年福善美，2022年就停了。请问我能参加吗？",
         {"age": 67, "sex": "female", "years_since_menopause": 16, "type2_diabetes": True, "diabetes_years": 17,
          "other_fragility_fracture": True, "oral_bisphosphonate_ever": True, "last_oral_bisphosphonate": "2022-12-31",
          "bone_medicine_any": True},
         ("hip_or_vertebral_fragility_fracture",)),
    Case("我不是糖尿病，是血糖偏高",
         {"type2_diabetes": False},
         ("diabetes_years",)),
    Case("我骨折过两次，一次是手腕，一次是脚趾",
         {},
         FRACTURES),
    Case("女 65岁 糖尿病15年",
         {"sex": "female", "age": 65, "type2_diabetes": Inferred(True), "diabetes_years": 15}),
    Case("我老伴是男的，七十岁",
         {},
         ("sex", "age")),
    Case("我老伴有糖尿病，我六十五",
         {"age": 65},
         ("type2_diabetes",)),
    Case("我打了三年普罗力，最后一针是2025年12月",
         {"denosumab_ever": True, "last_denosumab": "2025-12-31", "bone_medicine_any": True}),
    Case("绝经的时候50岁，现在63",
         {"age": 63, "years_since_menopause": 13}),
    Case("我的腰椎去年压缩性骨折了，没摔跤，就是弯腰拿东西",
         {"hip_or_vertebral_fragility_fracture": True},
         ("other_fragility_fracture",)),
    Case("对福善美过敏",
         {},
         ("oral_bisphosphonate_ever", "bone_medicine_any")),
    Case("我是女的我今年65岁我有糖尿病20年了",
         {"sex": "female", "age": 65, "type2_diabetes": Inferred(True), "diabetes_years": 20}),
    Case("股骨颈骨折，从梯子上摔下来",
         {},
         FRACTURES),
    Case("特立帕肽打了一年半，今年6月停的",
         {"teriparatide_ever": True, "last_teriparatide": "2026-06-30", "bone_medicine_any": True}),
    Case("以前打过唑来膦酸，一年一次，最后一次是2023年",
         {"iv_bisphosphonate_ever": True, "last_iv_bisphosphonate": "2023-12-31", "bone_medicine_any": True}),
    Case("我有糖尿病，一直在吃二甲双胍",
         {"type2_diabetes": Inferred(True)},
         ("diabetes_years",)),
    Case("我62岁，吃过Fosamax，去年停了",
         {"age": 62, "oral_bisphosphonate_ever": True, "last_oral_bisphosphonate": "2025-12-31",
          "bone_medicine_any": True}),
]


def _check(case: Case, language: str) -> dict[str, Parsed]:
    facts = read_volunteered(case.text, as_of=AS_OF, language=language)
    expected = {name: (v.value if isinstance(v, Inferred) else v) for name, v in case.read.items()}
    assert {name: p.value for name, p in facts.items()} == expected, facts
    for name, value in case.read.items():
        assert (facts[name].confirm == INFERRED) == isinstance(value, Inferred), (name, facts[name])
    assert not set(case.not_read) & set(facts)
    message = unicodedata.normalize("NFKC", case.text).replace(" ", "").lower()
    for name, parsed in facts.items():
        assert parsed.understood and not parsed.dont_know and not parsed.also, (name, parsed)
        pieces = [p.replace(" ", "").lower() for p in parsed.evidence.split(", ")]
        assert parsed.evidence and all(p in message for p in pieces), (name, parsed.evidence)
    return facts


@pytest.mark.parametrize("case", ENGLISH, ids=str)
def test_english_messages(case: Case) -> None:
    _check(case, "en")


@pytest.mark.parametrize("case", CHINESE, ids=[f"zh{i:02d}" for i, _ in enumerate(CHINESE, 1)])
def test_chinese_messages(case: Case) -> None:
    _check(case, "zh")


def test_enough_messages_in_each_language() -> None:
    assert len(ENGLISH) >= 20 and len(CHINESE) >= 20


def test_facts_come_in_questions_order() -> None:
    facts = read_volunteered("I took Fosamax until 2024, I'm 70, female, type 2 diabetes for 12 years",
                             as_of=AS_OF, language="en")
    assert list(facts) == [name for name in FIELDS if name in facts]
    assert list(facts)[:4] == ["type2_diabetes", "sex", "age", "diabetes_years"]


def test_skip_leaves_the_asked_question_to_the_form() -> None:
    text = "yes, type 2 for 12 years, I'm a 62 year old woman"
    facts = read_volunteered(text, as_of=AS_OF, language="en", skip={"type2_diabetes"})
    assert {n: p.value for n, p in facts.items()} == {"sex": "female", "age": 62, "diabetes_years": 12}


def test_skipped_age_still_reads_since_i_was() -> None:
    facts = read_volunteered("I'm 66, diabetic since I was 50", as_of=AS_OF, language="en", skip={"age"})
    assert facts["diabetes_years"].value == 16 and "age" not in facts


def test_age_from_earlier_answers_reads_since_i_was() -> None:
    facts = read_volunteered("my periods stopped when I was 50", as_of=AS_OF, language="en", age=63)
    assert {n: p.value for n, p in facts.items()} == {"years_since_menopause": 13}
    alone = read_volunteered("my periods stopped when I was 50", as_of=AS_OF, language="en")
    assert alone == {}


def test_two_different_values_cancel() -> None:
    facts = read_volunteered("I'm 62. Actually I'm 63. Type 2 diabetes", as_of=AS_OF, language="en")
    assert "age" not in facts and facts["type2_diabetes"].value is True


def test_a_named_medicine_beats_a_denied_class() -> None:
    facts = read_volunteered("no other bone medicines, just fosamax", as_of=AS_OF, language="en")
    assert facts["bone_medicine_any"].value is True and facts["oral_bisphosphonate_ever"].value is True


# --- the confirmation -----------------------------------------------------------------------


def _facts(**values: Any) -> dict[str, Parsed]:
    return {name: (Parsed(v.value, confirm=INFERRED) if isinstance(v, Inferred) else Parsed(v))
            for name, v in values.items()}


@pytest.mark.parametrize(
    ("facts", "english", "chinese"),
    [
        (_facts(sex="female", age=62.0, years_since_menopause=5.0, type2_diabetes=True, diabetes_years=12.0),
         "woman, 62, periods stopped 5 years ago, type 2 diabetes for 12 years",
         "女性，62岁，绝经5年，2型糖尿病12年"),
        (_facts(type2_diabetes=Inferred(True), age=70.0),
         "70, diabetes (we took it to be type 2)",
         "70岁，有糖尿病（我们先按2型糖尿病记下）"),
        (_facts(age=Inferred(70.0), sex="male", years_since_menopause=1.0),
         "man, about 70, periods stopped 1 year ago",
         "男性，大约70岁，绝经1年"),
        (_facts(type2_diabetes=False, other_fragility_fracture=True),
         "not type 2 diabetes, another bone broken in a small fall (not hip or spine)",
         "不是2型糖尿病，轻微摔倒造成的其他部位骨折（不是髋部或脊椎）"),
        (_facts(bone_medicine_any=True, oral_bisphosphonate_ever=True, last_oral_bisphosphonate="2026-03-31",
                denosumab_ever=False),
         "bisphosphonate tablets such as alendronate (Fosamax), last dose 31 March 2026, never had denosumab (Prolia)",
         None),
        (_facts(bone_medicine_any=False),
         "no bone medicines",
         "没用过治疗骨质疏松的药"),
        (_facts(bone_medicine_any=True, denosumab_ever=True),
         "denosumab (Prolia)",
         "打过地舒单抗（普罗力）"),
        (_facts(diabetes_years=20.5, hip_or_vertebral_fragility_fracture=True),
         "diabetes for 20.5 years, a broken hip or spine bone from a small fall",
         "糖尿病20.5年，轻微摔倒造成的髋部或椎体（脊椎骨）骨折"),
    ],
)
def test_summary(facts: dict[str, Parsed], english: str, chinese: str | None) -> None:
    assert summary(facts, "en") == english
    if chinese is not None:
        assert summary(facts, "zh") == chinese


def test_summary_dates_in_each_language() -> None:
    facts = _facts(denosumab_ever=True, last_denosumab="2025-06-30")
    assert summary(facts, "en") == "denosumab (Prolia), last injection 30 June 2025"
    chinese = summary(facts, "zh")
    assert chinese.startswith("打过地舒单抗（普罗力），最后一针是") and "2025" in chinese


def test_summary_of_what_was_read() -> None:
    facts = read_volunteered("I'm a 62 year old woman, my periods stopped 5 years ago, type 2 diabetes for 12 years",
                             as_of=AS_OF, language="en")
    assert summary(facts, "en") == "woman, 62, periods stopped 5 years ago, type 2 diabetes for 12 years"


def test_english_words_in_a_chinese_conversation() -> None:
    facts = read_volunteered("I'm a 62 year old woman", as_of=AS_OF, language="zh")
    assert {n: p.value for n, p in facts.items()} == {"sex": "female", "age": 62}
    assert summary(facts, "zh") == "女性，62岁"


def test_summary_of_nothing_is_empty() -> None:
    assert summary({}, "en") == "" and summary({}, "zh") == ""
