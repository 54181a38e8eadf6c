"""Digressions and answers that look like them: the open question's words decide, emergencies always win."""

from __future__ import annotations

import pytest

from actions.answer_form import digression


@pytest.mark.parametrize(
    ("requested", "text", "intent"),
    [
        ("bone_medicine_any", "yes fosamax once a week", "faq"),
        ("oral_bisphosphonate_ever", "i stopped it last march", "stop"),
        ("last_oral_bisphosphonate", "I stopped it last March", "stop"),
        ("egfr", "my kidney doctor said 45", "medical_advice"),
        ("cancer_curable_exception", "they said it's in remission, I don't know about cured", "faq"),
    ],
)
def test_an_answer_that_looks_like_a_digression_is_an_answer(make_tracker, requested, text, intent) -> None:
    tracker = make_tracker(slots={"data_consent": True, "requested_slot": requested}, text=text, intent=intent,
                           active_loop="screening_form", form_turn=True)
    assert digression(tracker) is False


@pytest.mark.parametrize(
    ("requested", "text", "intent"),
    [
        ("bone_medicine_any", "does fosamax count?", "faq"),
        ("bone_medicine_any", "what is alendronate", "faq"),
        ("bone_medicine_any", "I have crushing chest pain and took fosamax", "red_flag"),
        ("age", "stop", "stop"),
        ("egfr", "forget my answers", "forget_me"),
    ],
)
def test_questions_requests_and_emergencies_stay_digressions(make_tracker, requested, text, intent) -> None:
    tracker = make_tracker(slots={"data_consent": True, "requested_slot": requested}, text=text, intent=intent,
                           active_loop="screening_form", form_turn=True)
    assert digression(tracker) is True
