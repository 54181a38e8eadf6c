"""The answer readers in Simplified Chinese: what must be understood, confirmed, taken as "don't know" or re-asked.

Expected values come from the questions' meaning and the English readers' conventions (test_parsing.py):
imprecise dates are their latest day, "more than" is strictly more, a T-score without its minus and an age
from a year of birth are confirmed first, unreadable words are never a yes. Dates and durations are read
against a fixed screening date (AS_OF), never against today.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.eligibility.fields import NEVER
from bot.screening.corrections import read_correction
from bot.screening.echo import people_value, topics
from bot.screening.parsing import (
    AMBIGUOUS,
    FUTURE,
    IMPLAUSIBLE,
    INFERRED,
    OUT_OF_RANGE,
    POSITIVE,
    SIGN,
    UNIT,
    UNREADABLE,
    Parsed,
    asks_something,
    fix_opening,
    for_someone_else,
    format_date,
    parse_answer,
    parse_date,
    parse_sex,
    parse_yes_no,
)
from bot.screening.questions import load_questions, question
from bot.screening.words import contains_any, lexicon, normalise, without

AS_OF = date(2026, 12, 1)
YES_NO = [q.name for q in load_questions() if q.kind == "yes_no"]


def read(name: str, text: str, *, age: float | None = None, intent: str | None = None) -> Parsed:
    return parse_answer(question(name), text, as_of=AS_OF, language="zh", age=age, intent=intent)


def assert_value(parsed: Parsed, expected: object, confirm: str | None = None) -> None:
    assert parsed.understood and not parsed.dont_know, parsed
    if isinstance(expected, float):
        assert parsed.value == pytest.approx(expected, abs=0.01), parsed  # lab values are rounded to 2 places
    else:
        assert parsed.value == expected, parsed
    assert parsed.confirm == confirm, parsed


def assert_dont_know(parsed: Parsed) -> None:
    assert parsed.understood and parsed.dont_know and parsed.value is None, parsed


def assert_reask(parsed: Parsed, problem: str | None = None) -> None:
    assert not parsed.understood and parsed.value is None and not parsed.dont_know, parsed
    if problem:
        assert parsed.problem == problem, parsed


# --- yes / no: negation read first ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["是", "是的", "对", "对的", "有", "有的", "嗯", "嗯嗯", "得过", "用过", "吃过", "打过", "是啊", "有过", "确诊了",
     "好像有", "有，别的没有", "有，别的都没有。", "对，2019年的事"],
)
def test_yes(text: str) -> None:
    assert_value(read("hip_or_vertebral_fragility_fracture", text), True)


@pytest.mark.parametrize(
    "text",
    ["没有", "没", "不是", "无", "否", "不对", "从来没有", "从来没", "没得过", "没吃过", "没用过", "没打过", "没有。",
     "没有过", "从没有过", "一次也没有", "好像没有", "没怎么用过"],
)
def test_no(text: str) -> None:
    assert_value(read("hip_or_vertebral_fragility_fracture", text), False)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("type2_diabetes", "我没有糖尿病", False),
        ("coronary_heart_disease", "没有冠心病", False),
        ("coronary_heart_disease", "冠心病没有", False),  # the topic first, then its denial
        ("coronary_heart_disease", "无冠心病", False),
        ("coronary_heart_disease", "我老伴有，我没有", False),  # about someone else: dropped
        ("coronary_heart_disease", "有冠心病", True),
        ("type2_diabetes", "是1型", False),  # a detail that makes the yes a no
        ("type2_diabetes", "不是1型，是2型", True),  # ... unless it is itself denied
        ("type2_diabetes", "我不是糖尿病，是血糖偏高", False),  # "是" says what it is, not yes
        ("bone_medicine_any", "没有，但是打过普罗力", True),  # a contrast naming the topic after a no
        ("hip_or_vertebral_fragility_fracture", "从梯子上摔下来髋部骨折", False),  # not a small fall
        ("hip_or_vertebral_fragility_fracture", "髋部骨折，不是车祸", True),
        ("cancer_within_5_years", "没得过癌", False),
        ("cancer_within_5_years", "良性肿瘤", False),
    ],
)
def test_negation_and_topic(name: str, text: str, expected: bool) -> None:
    assert_value(read(name, text), expected)


@pytest.mark.parametrize(
    "text",
    ["不知道", "不清楚", "不太清楚", "不是很清楚", "记不得了", "记不清", "记不清了", "忘了", "说不准", "不确定",
     "我也不知道", "没印象", "医生没说"],
)
def test_dont_know_is_never_no(text: str) -> None:
    assert_dont_know(read("hip_or_vertebral_fragility_fracture", text))


@pytest.mark.parametrize("text", ["是，没有", "有没有"])
def test_yes_and_no_is_reasked(text: str) -> None:
    assert_reask(read("cancer_within_5_years", text), AMBIGUOUS)


HESITATIONS = ["我再想想", "考虑一下", "让我想一想", "等一下", "等等", "还没想好", "我问问我儿子", "稍等", "我想想"]
UNREADABLE_TEXT = ["啊啊啊", "今天天气不错", "紫色", "哈哈", "随便", "。。。"]


@pytest.mark.parametrize("name", YES_NO)
@pytest.mark.parametrize("text", HESITATIONS + UNREADABLE_TEXT)
def test_hesitations_and_unreadable_words_are_never_a_yes(name: str, text: str) -> None:
    """Whatever the classifier guessed: a hesitation or words nobody can read are asked again."""
    for intent in ("affirm", None):
        parsed = read(name, text, intent=intent)
        assert parsed.value is not True, (text, parsed)
        assert_reask(parsed, UNREADABLE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("是", True), ("是的", True), ("同意", True), ("我同意", True), ("好的", True), ("可以", True), ("对", True),
     ("嗯", True), ("行", True), ("没问题", True), ("非常愿意", True), ("不", False), ("不同意", False),
     ("不要", False), ("不用了", False), ("不行", False), ("算了", False), ("没有", False), ("不愿意", False)],
)
def test_consent_words(text: str, expected: bool) -> None:
    assert_value(parse_yes_no(text, "zh"), expected)
    assert_value(read("consent", text), expected)


@pytest.mark.parametrize("text", HESITATIONS + UNREADABLE_TEXT)
def test_consent_hesitation_is_never_a_yes(text: str) -> None:
    assert parse_yes_no(text, "zh", "affirm").value is not True


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("cancer_within_5_years", "2015年得过乳腺癌", False),  # outside the 5 years
        ("cancer_within_5_years", "三年前得过肺癌", True),
        ("cancer_within_5_years", "肺癌", True),
        ("glucocorticoid_high_dose_recent", "吃了一周泼尼松", False),  # not more than 10 days
        ("glucocorticoid_high_dose_recent", "吃过泼尼松，两个月前停的", False),  # ended before the 6 weeks
        ("glucocorticoid_high_dose_recent", "还在吃强的松，每天10毫克，吃了一个月", True),
        ("glucocorticoid_high_dose_recent", "每天5毫克泼尼松，吃了一个月", False),  # not above 5 mg
        ("glucocorticoid_high_dose_recent", "膝盖打了封闭针", False),  # not for the whole body
    ],
)
def test_time_windows(name: str, text: str, expected: bool) -> None:
    assert_value(read(name, text), expected)


def test_a_yes_about_something_else_is_confirmed() -> None:
    assert_value(read("coronary_heart_disease", "只有高血压"), True, INFERRED)
    assert_value(read("coronary_heart_disease", "是的，我有高血压"), True)  # a plain yes first


def test_a_gate_yes_with_its_date() -> None:
    parsed = read("denosumab_ever", "打过，最后一次是2024年3月")
    assert_value(parsed, True)
    assert parsed.also == {"last_denosumab": "2024-03-31"}


def test_resume_is_not_a_yes() -> None:
    assert read("type2_diabetes", "好了，我们继续").problem == "resume"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [("age", "我老伴65，我62", 62.0), ("diabetes_years", "高血压20年，糖尿病12年", 12.0),
     ("diabetes_years", "糖尿病12年，高血压20年", 12.0), ("years_since_menopause", "绝经的时候50岁，现在62", 12.0),
     ("sex", "我老伴是男的，我是女的", "female")],
)
def test_the_clauses_about_the_person_and_the_question_are_read_first(name: str, text: str, expected: object) -> None:
    assert_value(read(name, text), expected)


def test_not_knowing_the_number_asked_about_is_not_another_number() -> None:
    assert_dont_know(read("diabetes_years", "糖尿病不记得几年了，高血压10年"))


# --- sex ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("男", "male"), ("女", "female"), ("男的", "male"), ("女的", "female"), ("我是男的", "male"),
     ("我是女的", "female"), ("男性", "male"), ("女性", "female"), ("先生", "male"), ("女士", "female"),
     ("阿姨", "female"), ("大爷", "male"), ("不是男的，是女的", "female"), ("我女儿帮我填的，我是男的", "male"),
     ("我先生帮我填的，我是女的", "female")],
)
def test_sex(text: str, expected: str) -> None:
    assert_value(read("sex", text), expected)
    assert_value(parse_sex(text, "zh"), expected)


@pytest.mark.parametrize(("text", "problem"), [("男女", AMBIGUOUS), ("男的还是女的", AMBIGUOUS), ("人", UNREADABLE),
                                               ("不是男的", UNREADABLE)])
def test_sex_both_or_neither_is_reasked(text: str, problem: str) -> None:
    assert_reask(read("sex", text), problem)


# --- age ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "confirm"),
    [
        ("62", 62, None),
        ("62岁", 62, None),
        ("我今年六十二岁", 62, None),
        ("六十二", 62, None),
        ("６２", 62, None),
        ("七十出头", 70, None),  # just over seventy: an age is not bounded ("over 70" is 70)
        ("六十多岁", 60, None),
        ("四十五六岁", 45, None),  # "45 or 46" reads 45
        ("快65了", 64, None),
        ("明年65", 64, None),
        ("不是62，是63", 63, None),
        ("1962年生的", 64, INFERRED),  # from a year of birth: confirmed first
        ("62年出生", 64, INFERRED),
        ("一九六二年出生", 64, INFERRED),
        ("六二年生人", 64, INFERRED),
        ("1962年", 64, INFERRED),
        ("1962年3月5日出生", 64, None),  # a whole birth date: exact
        ("1962年12月25日出生", 63, None),  # birthday not yet this year
        ("虚岁65", 64, INFERRED),  # the traditional count is one more
    ],
)
def test_age(text: str, expected: float, confirm: str | None) -> None:
    assert_value(read("age", text), float(expected), confirm)


@pytest.mark.parametrize(("text", "problem"), [("属虎", UNREADABLE), ("年纪大了", UNREADABLE), ("150岁", OUT_OF_RANGE),
                                               ("12岁", OUT_OF_RANGE), ("2010年出生", OUT_OF_RANGE)])
def test_age_reasked(text: str, problem: str) -> None:
    assert_reask(read("age", text), problem)


@pytest.mark.parametrize("text", ["不知道", "记不清了", "说不准"])
def test_age_dont_know(text: str) -> None:
    assert_dont_know(read("age", text))


# --- durations in years ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("十二年", 12),
        ("得糖尿病十二年了", 12),
        ("12年", 12),
        ("12", 12),
        ("确诊12年了", 12),
        ("2型糖尿病十二年", 12),  # "2型" is a label
        ("2014年查出来的", 12),  # since 2014
        ("2014年开始", 12),
        ("从2010年开始", 16),
        ("14年查出来的", 12),  # a two-digit year, said to be when
        ("从14年开始", 12),
        ("14年", 14),  # alone, to "how many years?": fourteen years (a year is "2014年" or "14年查出来的")
        ("2014年3月查出来的", 12.75),  # March 2014 to December 2026
        ("半年", 0.5),
        ("一年半", 1.5),
        ("两年半", 2.5),
        ("三个月", 0.25),
        ("十来年", 10),  # about ten: does not show more than ten (the limit is strict)
        ("十多年", 10.5),  # more than ten, as "more than 10 years"
        ("十几年", 10.5),
        ("超过10年", 10.5),
        ("快两年了", 1.5),  # almost two, as "almost 2 years"
        ("不到两年", 1.5),
        ("五六年", 6),  # "5 or 6 years" reads 6
        ("两三年了", 3),
        ("十一二年", 12),
    ],
)
def test_years(text: str, expected: float) -> None:
    assert_value(read("diabetes_years", text), float(expected))


@pytest.mark.parametrize(
    ("text", "age", "expected"),
    [("五十岁绝经的", 62, 12), ("我今年62了，50岁绝经", None, 12), ("我今年六十二岁，五十岁就绝经了", None, 12),
     ("绝经八年了", 60, 8)],
)
def test_years_from_an_age(text: str, age: float | None, expected: float) -> None:
    assert_value(read("years_since_menopause", text, age=age), float(expected))


def test_an_age_at_menopause_without_the_age_now_is_reasked() -> None:
    assert_reask(read("years_since_menopause", "五十岁绝经的"), UNREADABLE)


@pytest.mark.parametrize(("name", "text", "age", "expected"), [("diabetes_years", "十二年", 20, 12),
                                                              ("years_since_menopause", "四十年", 62, 40)])
def test_unlikely_years_for_the_age_are_confirmed(name: str, text: str, age: float, expected: float) -> None:
    assert_value(read(name, text, age=age), float(expected), IMPLAUSIBLE)


@pytest.mark.parametrize(("text", "problem"), [("几年", UNREADABLE), ("好多年了", UNREADABLE), ("很久了", UNREADABLE),
                                               ("从2030年开始", FUTURE)])
def test_years_reasked(text: str, problem: str) -> None:
    assert_reask(read("diabetes_years", text), problem)


def test_years_longer_than_the_life_are_out_of_range() -> None:
    assert_reask(read("diabetes_years", "三十年", age=25), OUT_OF_RANGE)


@pytest.mark.parametrize("text", ["不记得了", "不清楚"])
def test_years_dont_know(text: str) -> None:
    assert_dont_know(read("diabetes_years", text))


# --- dates (last dose) -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2014年", "2014-12-31"),  # the latest day meant
        ("14年", "2014-12-31"),  # in a date answer a two-digit "年" is a year
        ("去年三月", "2025-03-31"),
        ("前年", "2024-12-31"),
        ("去年", "2025-12-31"),
        ("今年年初", "2026-03-31"),
        ("去年年底", "2025-12-31"),
        ("今年3月", "2026-03-31"),
        ("3月份", "2026-03-31"),  # the most recent March
        ("2025年6月1日", "2025-06-01"),
        ("2025年6月1号", "2025-06-01"),
        ("二〇二五年六月一日", "2025-06-01"),
        ("2025.6.1", "2025-06-01"),
        ("2025年6月", "2025-06-30"),
        ("2025-06打的", "2025-06-30"),
        ("２０１９年", "2019-12-31"),
        ("三年前", "2023-12-01"),
        ("两个月前", "2026-10-01"),
        ("半年前", "2026-06-01"),
        ("一年半前", "2025-06-01"),
        ("五六年前", "2021-12-01"),  # five or six years ago: the latest day, five
        ("上个月", "2026-11-30"),
        ("上周", "2026-11-24"),
        ("昨天", "2026-11-30"),
        ("还在打", "2026-12-01"),  # still taking it: today
        ("去年冬天", "2026-02-28"),  # the winter that began last December
        ("打了12针，最后一次是7个月前", "2026-05-01"),
    ],
)
def test_dates(text: str, expected: str) -> None:
    assert_value(read("last_denosumab", text), expected)
    assert parse_date(text, AS_OF, "zh").value == expected


@pytest.mark.parametrize("text", ["从来没用过", "没打过", "没有", "从来没有", "没吃过", "一次也没打过"])
def test_never(text: str) -> None:
    assert_value(read("last_denosumab", text), NEVER)


@pytest.mark.parametrize("text", ["明年", "2027年3月", "下个月", "2027年", "下周"])
def test_future_dates_are_reasked_as_future(text: str) -> None:
    assert_reask(read("last_teriparatide", text), FUTURE)


@pytest.mark.parametrize(("text", "problem"), [("五六年", AMBIGUOUS), ("3月前", AMBIGUOUS), ("很久以前", UNREADABLE),
                                               ("几年前", UNREADABLE), ("2026年2月30日", UNREADABLE)])
def test_dates_reasked(text: str, problem: str) -> None:
    assert_reask(read("last_denosumab", text), problem)


@pytest.mark.parametrize("text", ["不记得了", "记不清了", "忘了"])
def test_dates_dont_know(text: str) -> None:
    assert_dont_know(read("last_denosumab", text))


# --- T-score -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "confirm"),
    [
        ("T值 -2.6", -2.6, None),
        ("负二点六", -2.6, None),
        ("-2.6", -2.6, None),
        ("T值是负2.5", -2.5, None),
        ("T值是－２.５", -2.5, None),  # full-width minus and digits
        ("腰椎-2.1，股骨颈-2.8", -2.8, None),  # the lowest
        ("Z值-2.3，T值-1.6", -1.6, None),  # a Z-score is another test
        ("三年前查的，-2.5", -2.5, None),  # "three years ago" is no T-score
        ("L1-L4 -2.4", -2.4, None),  # vertebra labels
        ("2.5", -2.5, SIGN),  # typed without its minus: proposed negative
        ("T值是2.5", -2.5, SIGN),
        ("零点五", -0.5, SIGN),
        ("正0.5", 0.5, POSITIVE),
        ("+1.2", 1.2, POSITIVE),
    ],
)
def test_t_score(text: str, expected: float, confirm: str | None) -> None:
    assert_value(read("lowest_t_score", text), expected, confirm)


@pytest.mark.parametrize("text", ["不知道", "没查过", "没做过骨密度", "没有", "三年前查的，记不清了"])
def test_t_score_dont_know(text: str) -> None:
    assert_dont_know(read("lowest_t_score", text))


def test_t_score_reasked() -> None:
    assert_reask(read("lowest_t_score", "很低"), UNREADABLE)


# --- lab values and units ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "expected", "confirm"),
    [
        ("vitamin_d_ng_ml", "维生素D 18", 18, None),
        ("vitamin_d_ng_ml", "25羟维生素D 50 nmol/L", 50 * 0.4006, None),  # "25羟" names the test
        ("vitamin_d_ng_ml", "维生素D是60纳摩尔/升", 60 * 0.4006, None),
        ("vitamin_d_ng_ml", "维生素D 25 ng/mL", 25, None),
        ("vitamin_d_ng_ml", "维生素D 30", 30, UNIT),  # 20-50 without a unit: which one?
        ("vitamin_d_ng_ml", "大概30", 30, UNIT),
        ("egfr", "eGFR是45", 45, None),
        ("egfr", "肾小球滤过率75", 75, None),
        ("egfr", "血肌酐80，eGFR 45", 45, None),  # another test's value first
        ("egfr", "估算肾小球滤过率（eGFR）是五十八", 58, None),
        ("uacr_mg_g", "尿微量白蛋白肌酐比 4 mg/mmol", 4 * 8.84, None),  # 肌酐 inside the test's own name
        ("uacr_mg_g", "尿白蛋白/肌酐比值是35 mg/g", 35, None),
        ("uacr_mg_g", "UACR大概45", 45, None),
    ],
)
def test_lab_values(name: str, text: str, expected: float, confirm: str | None) -> None:
    assert_value(read(name, text), float(expected), confirm)


@pytest.mark.parametrize("text", ["肌酐清除率 50", "血肌酐 80", "正常"])
def test_lab_values_keep_to_the_question(text: str) -> None:
    """Creatinine clearance, creatinine: other tests; "正常" (normal) is no number."""
    assert_reask(read("egfr", text), UNREADABLE)


@pytest.mark.parametrize("name", ["vitamin_d_ng_ml", "uacr_mg_g", "egfr"])
@pytest.mark.parametrize("text", ["不知道", "没查过", "没有", "不清楚", "没测过"])
def test_lab_dont_know(name: str, text: str) -> None:
    assert_dont_know(read(name, text))


# --- Latin text in a Chinese conversation: the English readers -----------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "expected", "confirm"),
    [
        ("age", "62", 62.0, None),
        ("age", "born in 1962", 64.0, INFERRED),
        ("egfr", "eGFR 45", 45.0, None),
        ("egfr", "45 ml/min", 45.0, None),
        ("uacr_mg_g", "UACR 35 mg/g", 35.0, None),
        ("uacr_mg_g", "4 mg/mmol", 4 * 8.84, None),
        ("vitamin_d_ng_ml", "60 nmol/L", 60 * 0.4006, None),
        ("lowest_t_score", "T -2.6", -2.6, None),
        ("lowest_t_score", "2.5", -2.5, SIGN),
        ("diabetes_years", "12 years", 12.0, None),
        ("last_denosumab", "2 years ago", "2024-12-01", None),
        ("type2_diabetes", "yes", True, None),
        ("type2_diabetes", "no", False, None),
        ("sex", "male", "male", None),
    ],
)
def test_latin_text_is_read_in_english(name: str, text: str, expected: object, confirm: str | None) -> None:
    assert_value(read(name, text), expected, confirm)


@pytest.mark.parametrize("name", ["egfr", "age", "lowest_t_score", "last_denosumab"])
def test_english_dont_know_in_a_chinese_conversation(name: str) -> None:
    assert_dont_know(read(name, "I don't know"))


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [("egfr", "大概45 ml/min", 45.0), ("vitamin_d_ng_ml", "25 ng/ml左右", 25.0),
     ("lowest_t_score", "T值 minus 2.6", -2.6), ("uacr_mg_g", "尿白蛋白肌酐比4mg/mmol", 4 * 8.84),
     ("age", "我62 years old", 62.0)],
)
def test_mixed_digits_and_english_units(name: str, text: str, expected: float) -> None:
    assert_value(read(name, text), expected)


# --- the words behind the readers ----------------------------------------------------------------------------


def test_format_date_in_chinese() -> None:
    assert format_date(date(2027, 2, 28), "zh") == "2027年2月28日"
    assert people_value("2026-03-31", "zh") == "2026年3月31日"
    assert format_date(date(2027, 2, 28), "en") == "28 February 2027"


def test_the_chinese_lexicon_has_every_key_of_the_english_one() -> None:
    assert set(lexicon("en").data) <= set(lexicon("zh").data)
    assert set(topics("zh")) == set(topics("en"))


def test_chinese_phrases_match_inside_words_and_english_ones_only_as_words() -> None:
    zh = lexicon("zh")
    assert zh.has("我不知道呢", "dont_know") and zh.has("我帮我妈填的", "for_someone_else")
    assert contains_any("我今年还在吃", ["还在吃"]) and without("我的微信号是li_wei88", ["我的微信号是"]) == "li_wei88"
    en = lexicon("en")
    assert not en.has("i know", "no_words") and en.has("no", "no_words") and not en.has("nothing known", "dont_know")


@pytest.mark.parametrize(
    ("text", "target", "answer"),
    [("其实我63岁", "age", 63.0), ("等一下，我是女的", "sex", "female"),
     ("说错了，我得糖尿病15年了", "diabetes_years", 15.0), ("更正一下，T值是-1.5", "lowest_t_score", -1.5)],
)
def test_corrections_in_chinese(text: str, target: str, answer: object) -> None:
    correction = read_correction(text, "zh")
    assert correction.target == target
    assert read(target, correction.answer_text).value == answer


@pytest.mark.parametrize(("text", "rest"), [("不对，是-1.5", "-1.5"), ("不对是63", "63"), ("错了 应该是63", "63"),
                                            ("no, it was -1.5", "-1.5")])
def test_a_fix_of_the_answer_said_back(text: str, rest: str) -> None:
    words = normalise(text)
    opening = fix_opening("zh").match(words)
    assert opening and words[opening.end() :] == rest


@pytest.mark.parametrize(("text", "asks"), [("什么是T值", True), ("这个药算吗", True), ("为什么问这个", True),
                                            ("没什么", False), ("还没呢", False), ("62", False), ("有", False)])
def test_a_question_is_not_an_answer(text: str, asks: bool) -> None:
    assert asks_something(text, "zh") is asks


@pytest.mark.parametrize(("text", "other"), [("我帮我妈填的", True), ("我替我爸回答", True), ("我有糖尿病", False),
                                             ("I'm answering for my mother", True)])
def test_someone_answering_for_someone_else(text: str, other: bool) -> None:
    assert for_someone_else(text, "zh") is other


@pytest.mark.parametrize("name", [q.name for q in load_questions()])
def test_a_long_chinese_message_is_read_quickly_and_never_raises(name: str) -> None:
    text = "我今年六十二岁，得糖尿病十二年了，没有冠心病，" * 80
    parsed = read(name, text, age=62)
    assert parsed.understood or parsed.value is None


@pytest.mark.parametrize("text", ["有时候吧", "有点", "有一点", "有些时候", "可能有"])
def test_sometimes_and_maybe_are_not_a_yes(text: str) -> None:
    """有时候 contains 有: "sometimes" is not "yes, a doctor told me" (found recording the Chinese stories)."""
    parsed = parse_answer(question("type2_diabetes"), text, as_of=date(2026, 12, 1), language="zh")
    assert parsed.value is not True


@pytest.mark.parametrize("field,text,value", [
    ("study_drug_allergy", "不过敏", False),
    ("study_drug_allergy", "我不过敏", False),
    ("study_drug_allergy", "没有过敏", False),
    ("study_drug_allergy", "过敏", True),
    ("in_other_drug_trial", "没参加", False),
    ("coronary_heart_disease", "没有，不过我有高血压", False),
])
def test_not_allergic_is_a_no_and_but_still_splits(field: str, text: str, value: bool) -> None:
    """不过敏 starts with 不过 ("but"): found in the Chinese REST screening, where it was re-asked."""
    assert parse_answer(question(field), text, as_of=date(2026, 12, 1), language="zh").value is value
